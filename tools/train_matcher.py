"""Fit planner's food matcher on the tuning part of the labelled diary lines.

Usage: python tools/train_matcher.py [--table tests/data/diary_lines.csv] [--write]
       [--precision 0.96]

Fits the two models of :mod:`planner.matching.model` on the lines with ``split = tune``
(the ``holdout`` lines are never read here; ``tools/measure_labelled.py`` reports on them):

1. the ranker (conditional logit over each line's candidate foods), by maximum likelihood
   with a small L2 penalty;
2. the calibrator (logistic regression: is the winner right?), on *cross-fitted* winners:
   the tuning lines are cut into 5 folds, and each fold's winners come from a ranker fitted
   on the other four, so the calibrator learns how sure an unseen line's winner is;
3. the thresholds: ``matched`` is the lowest calibrated confidence at which the
   cross-fitted matched lines are right at least ``--precision`` of the time, judged by the
   lower end of a one-sided 90% Wilson interval, not the point estimate;
   ``plausible`` is where a winner is right one time in three.

Prints the cross-fitted precision and coverage; ``--write`` stores the model in
``planner/data/match_model.json`` with what it was fitted on.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.foods import load_foods  # noqa: E402
from planner.matching import load_aliases  # noqa: E402
from planner.matching.features import PAIR_FEATURES, pair_features  # noqa: E402
from planner.matching.matcher import FoodMatcher  # noqa: E402
from planner.matching.model import (  # noqa: E402
    CALIBRATION_FEATURES,
    MODEL_FILE,
    MatchModel,
    rank,
)

TABLE = ROOT / "tests" / "data" / "diary_lines.csv"
# Also fitted on: the 202 food strings of the older accuracy table (tests/data/
# food_strings.csv, with the FNDDS foods a dietitian would accept added), all for tuning.
EXTRA = ROOT / "tests" / "data" / "food_strings.csv"
FOLDS = 5
RANKER_L2 = 0.05
CALIBRATOR_L2 = 0.1
PLAUSIBLE = 1 / 3
Z_ONE_SIDED_90 = 1.2816


def placeholder() -> MatchModel:
    zeros = np.zeros(len(PAIR_FEATURES))
    return MatchModel(zeros, np.zeros(len(CALIBRATION_FEATURES)), 0.0, 1.0, 0.0, {})


def labelled(table: Path) -> tuple[pd.DataFrame, FoodMatcher]:
    """The tuning lines the rules leave to the model, with their accepted ids."""
    lines = pd.read_csv(table, dtype=str, keep_default_na=False)
    lines = lines[lines["split"] == "tune"]
    if EXTRA.exists():
        extra = pd.read_csv(EXTRA, dtype=str, keep_default_na=False)
        extra = extra[~extra["text"].isin(lines["text"])]
        lines = pd.concat([lines, extra[["text", "accepted_ids"]]], ignore_index=True)
    lines = lines.drop_duplicates("text").reset_index(drop=True)
    matcher = FoodMatcher(load_foods(), load_aliases(), model=placeholder())
    ruled = [matcher._rules(t) is not None for t in lines["text"]]
    lines["ruled"] = ruled
    lines["accepted"] = lines["accepted_ids"].map(lambda s: set(filter(None, s.split(";"))))
    return lines, matcher


def fit_ranker(pairs, positive: np.ndarray, lines: np.ndarray) -> np.ndarray:
    """Conditional-logit weights from the pairs of the given lines (those with a positive)."""
    keep = np.isin(pairs.line, lines)
    X, y, line = pairs.X[keep], positive[keep], pairs.line[keep]
    has_pos = np.zeros(line.max() + 1 if len(line) else 0, dtype=bool)
    has_pos[line[y]] = True
    keep = has_pos[line]
    X, y, line = X[keep], y[keep], line[keep]
    starts = np.flatnonzero(np.r_[True, line[1:] != line[:-1]])
    sizes = np.diff(np.r_[starts, len(line)])

    def loss(w):
        s = X @ w
        m = np.repeat(np.maximum.reduceat(s, starts), sizes)
        e = np.exp(s - m)
        all_sum = np.add.reduceat(e, starts)
        pos_sum = np.add.reduceat(np.where(y, e, 0.0), starts)
        value = np.sum(np.log(all_sum) - np.log(pos_sum)) + 0.5 * RANKER_L2 * w @ w
        p_all = e / np.repeat(all_sum, sizes)
        p_pos = np.where(y, e, 0.0) / np.repeat(pos_sum, sizes)
        grad = X.T @ (p_all - p_pos) + RANKER_L2 * w
        return value, grad

    result = minimize(loss, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B")
    return result.x


def fit_calibrator(F: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, float]:
    """Logistic regression of "the winner is right" on the calibration features."""
    mean, scale = F.mean(axis=0), F.std(axis=0) + 1e-9
    Z = (F - mean) / scale

    def loss(theta):
        w, b = theta[:-1], theta[-1]
        z = Z @ w + b
        p = 1 / (1 + np.exp(-z))
        eps = 1e-12
        value = -np.sum(right * np.log(p + eps) + (~right) * np.log(1 - p + eps))
        value += 0.5 * CALIBRATOR_L2 * w @ w
        g = p - right
        return value, np.r_[Z.T @ g + CALIBRATOR_L2 * w, g.sum()]

    theta = minimize(loss, np.zeros(F.shape[1] + 1), jac=True, method="L-BFGS-B").x
    w = theta[:-1] / scale
    return w, float(theta[-1] - (mean / scale) @ theta[:-1])


def wilson_lower(hits: np.ndarray, n: np.ndarray, z: float = Z_ONE_SIDED_90) -> np.ndarray:
    """The lower end of the Wilson score interval for a share of ``hits`` in ``n``."""
    p = hits / n
    centre = p + z * z / (2 * n)
    spread = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - spread) / (1 + z * z / n)


def threshold(confidence: np.ndarray, right: np.ndarray, precision: float) -> float:
    """The lowest confidence at which the lines at or above it are right often enough: not
    the point estimate, which the place chosen flatters, but the lower end of its Wilson
    interval (one-sided 90%) must reach ``precision``."""
    order = np.argsort(-confidence, kind="stable")
    hits = np.cumsum(right[order])
    share = wilson_lower(hits, np.arange(1, len(order) + 1))
    ok = np.flatnonzero(share >= precision)
    if not len(ok):
        return 1.0
    # the last place where the running precision still holds; tie-safe at that value
    return float(confidence[order][ok[-1]])


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", type=Path, default=TABLE)
    parser.add_argument("--precision", type=float, default=0.95)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    lines, matcher = labelled(args.table)
    model_lines = lines[~lines["ruled"]].reset_index(drop=True)
    pairs = pair_features(matcher.index, model_lines["text"].tolist())
    ids = matcher.index.ids
    accepted = model_lines["accepted"].to_numpy()
    positive = np.array(
        [ids[f] in accepted[li] for li, f in zip(pairs.line, pairs.food, strict=True)]
    )
    codable = model_lines["accepted"].map(bool).to_numpy()
    reachable = np.zeros(len(model_lines), dtype=bool)
    reachable[pairs.line[positive]] = True
    print(f"{len(lines)} tuning lines; {int(lines['ruled'].sum())} decided by the rules; "
          f"{len(model_lines)} scored, {int(codable.sum())} codable, "
          f"{int(reachable.sum())} with an accepted food among the candidates")  # fmt: skip

    fold = np.array([int(hashlib.sha1(t.encode()).hexdigest(), 16) % FOLDS
                     for t in model_lines["text"]])  # fmt: skip
    oof_features = np.zeros((len(model_lines), len(CALIBRATION_FEATURES)))
    oof_right = np.zeros(len(model_lines), dtype=bool)
    oof_has = np.zeros(len(model_lines), dtype=bool)
    for k in range(FOLDS):
        train = np.flatnonzero(fold != k)
        weights = fit_ranker(pairs, positive, train)
        _, top_pair, features = rank(pairs, weights, matcher.index.alike)
        test = fold == k
        oof_features[test] = features[test]
        has = test & (top_pair >= 0)
        oof_has |= has
        top_food = ids[pairs.food[np.maximum(top_pair, 0)]]
        right = np.array([f in a for f, a in zip(top_food, accepted, strict=True)])
        oof_right[has] = right[has]
    weights = fit_ranker(pairs, positive, np.arange(len(model_lines)))
    F, right = oof_features[oof_has], oof_right[oof_has]
    calibration, intercept = fit_calibrator(F, right)
    confidence = np.zeros(len(model_lines))
    confidence[oof_has] = 1 / (1 + np.exp(-(F @ calibration + intercept)))
    matched_at = threshold(confidence[oof_has], right, args.precision)
    matched = oof_has & (confidence >= matched_at)
    precision = oof_right[matched].mean() if matched.any() else float("nan")
    coverage = matched[codable].mean()
    top_right = oof_right[codable].mean()
    print(f"cross-fitted: top choice right {top_right:.1%} of codable lines; "
          f"matched at confidence >= {matched_at:.3f}: precision {precision:.1%}, "
          f"coverage {coverage:.1%} (rule-decided lines not included)")  # fmt: skip
    order = np.argsort(-confidence[oof_has])
    hits = np.cumsum(right[order])
    n_codable = codable.sum()
    for target in (0.99, 0.98, 0.97, 0.96, 0.95, 0.94, 0.92, 0.90):
        ok = np.flatnonzero(hits / np.arange(1, len(order) + 1) >= target)
        if len(ok):
            print(f"  precision >= {target:.0%}: coverage {(ok[-1] + 1) / n_codable:.1%} "
                  f"(confidence >= {confidence[oof_has][order][ok[-1]]:.3f})")  # fmt: skip
    for name, w in zip(PAIR_FEATURES, weights, strict=True):
        print(f"  {name:18} {w:+.3f}")
    named = zip(CALIBRATION_FEATURES, calibration, strict=True)
    print("calibration:", {n: round(float(w), 3) for n, w in named})

    if args.write:
        table_bytes = args.table.read_bytes()
        record = {
            "fitted": datetime.date.today().isoformat(),
            "fitted_by": "tools/train_matcher.py",
            "fitted_on": {
                "files": {
                    _name(args.table): hashlib.sha256(table_bytes).hexdigest(),
                    _name(EXTRA): hashlib.sha256(EXTRA.read_bytes()).hexdigest(),
                },
                "split": "tune (diary_lines.csv) and all of food_strings.csv",
                "lines": len(lines),
                "scored_lines": len(model_lines),
            },
            "cross_fitted": {
                "folds": FOLDS,
                "precision_target": args.precision,
                "precision": round(float(precision), 4),
                "coverage": round(float(coverage), 4),
                "top_choice_right": round(float(top_right), 4),
            },
        }
        model = MatchModel(weights, calibration, intercept, round(matched_at, 4),
                           PLAUSIBLE, record)  # fmt: skip
        out = ROOT / "planner" / "data" / MODEL_FILE
        out.write_text(json.dumps(model.to_json(), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
