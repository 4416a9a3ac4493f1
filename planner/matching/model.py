"""The learnt part of matching: the weights that rank foods for a line, and the confidence.

Two small models, both fitted by ``tools/train_matcher.py`` on the tuning part of
``tests/data/diary_lines.csv`` (diary lines labelled with every food a dietitian would
accept) and stored in ``planner/data/match_model.json`` with what they were fitted on:

- the **ranker**, a conditional logit: a line's candidates compete, a food's score is a
  weighted sum of its :data:`planner.matching.features.PAIR_FEATURES`, and the weights
  maximise the probability of the accepted foods;
- the **calibrator**, a logistic regression that turns what is known about the winner (its
  probability among the candidates, its lead over the runner-up, how much of the line it
  explains, unknown and misspelt words) into the probability that the winner is right.

Its thresholds, chosen on cross-fitted predictions so that the lines marked ``matched`` are
right at least 95% of the time, decide ``matched`` / ``low_confidence`` / ``unmatched``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import numpy as np

from planner.matching.features import PAIR_FEATURES, Pairs

CALIBRATION_FEATURES = (
    "top_probability", "margin", "best_text", "line_covered", "food_covered",
    "head_covered", "exact_alias", "exact_text", "unknown_share", "typos", "fndds",
    "runner_alike",
)  # fmt: skip
MODEL_FILE = "match_model.json"


@dataclass(frozen=True)
class MatchModel:
    """Ranker weights, calibrator and thresholds, as fitted."""

    weights: np.ndarray  # one per PAIR_FEATURES
    calibration: np.ndarray  # one per CALIBRATION_FEATURES
    intercept: float
    matched: float  # calibrated confidence at or above which a match is trusted
    plausible: float  # at or above: shown for review (low_confidence); below: unmatched
    record: dict  # what the model was fitted on and how it measured

    def to_json(self) -> dict:
        return {
            "pair_features": list(PAIR_FEATURES),
            "weights": [round(float(w), 6) for w in self.weights],
            "calibration_features": list(CALIBRATION_FEATURES),
            "calibration": [round(float(w), 6) for w in self.calibration],
            "intercept": round(float(self.intercept), 6),
            "thresholds": {"matched": self.matched, "plausible": self.plausible},
            **self.record,
        }


@cache
def load_model() -> MatchModel:
    """The bundled model (``planner/data/match_model.json``)."""
    from importlib import resources

    text = resources.files("planner.data").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return model_from_json(json.loads(text))


def model_from_json(data: dict) -> MatchModel:
    """A model from its JSON record; the feature names must be this version's."""
    if (
        tuple(data["pair_features"]) != PAIR_FEATURES
        or tuple(data["calibration_features"]) != CALIBRATION_FEATURES
    ):
        raise ValueError("the match model was fitted on other features: retrain it")
    record = {
        k: v
        for k, v in data.items()
        if k
        not in {
            "pair_features",
            "weights",
            "calibration_features",
            "calibration",
            "intercept",
            "thresholds",
        }
    }
    return MatchModel(
        weights=np.asarray(data["weights"], dtype=float),
        calibration=np.asarray(data["calibration"], dtype=float),
        intercept=float(data["intercept"]),
        matched=float(data["thresholds"]["matched"]),
        plausible=float(data["thresholds"]["plausible"]),
        record=record,
    )


@dataclass
class Ranked:
    """Each line's winner: food row (-1 for none), calibration features, confidence."""

    top: np.ndarray
    features: np.ndarray  # lines x CALIBRATION_FEATURES
    confidence: np.ndarray
    scores: np.ndarray  # every pair's score, aligned with Pairs


def rank(
    pairs: Pairs, weights: np.ndarray, alike=None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scores of every pair, and per line the winning pair and the calibration features.

    ``alike(food_a, food_b)`` says how alike two foods are (0-1, arrays of food rows):
    a winner whose runner-up is nearly the same food (with or without salt) is less likely
    to be a wrong kind of food than its small lead suggests.

    Returns
    -------
    (scores, top_pair, features)
        ``top_pair`` is -1 for a line without candidates.
    """
    scores = pairs.X @ weights
    n = len(pairs.starts) - 1
    top_pair = np.full(n, -1)
    features = np.zeros((n, len(CALIBRATION_FEATURES)))
    columns = {name: i for i, name in enumerate(PAIR_FEATURES)}
    has = np.flatnonzero(pairs.starts[1:] > pairs.starts[:-1])
    if not len(has):
        return scores, top_pair, features
    starts = pairs.starts[has]
    sizes = np.diff(np.r_[starts, len(scores)])
    best = np.maximum.reduceat(scores, starts)
    expanded = np.repeat(best, sizes)
    # the pairs of lines without candidates are none, so reduceat's segments are exact
    exp = np.exp(scores - expanded)
    total = np.add.reduceat(exp, starts)
    position = np.arange(len(scores))
    first_best = np.minimum.reduceat(np.where(scores == expanded, position, len(scores)), starts)
    # the runner-up: the best of the line's other pairs
    second = np.where(position == np.repeat(first_best, sizes), -np.inf, scores)
    runner = np.maximum.reduceat(second, starts)
    margin = np.where(np.isfinite(runner), best - runner, 10.0)
    finite = np.isfinite(runner)
    is_runner = second == np.repeat(runner, sizes)
    runner_pair = np.full(len(starts), -1)
    runner_pair[finite] = np.minimum.reduceat(np.where(is_runner, position, len(scores)), starts)[
        finite
    ]
    top_pair[has] = first_best
    X = pairs.X[first_best]
    values = {
        "top_probability": 1.0 / total,
        "margin": np.minimum(margin, 10.0),
        "unknown_share": pairs.query[has, 0],
        "typos": pairs.query[has, 1],
        "runner_alike": np.where(
            runner_pair >= 0,
            alike(pairs.food[first_best], pairs.food[np.maximum(runner_pair, 0)])
            if alike is not None
            else 0.0,
            0.0,
        ),
    }
    for i, name in enumerate(CALIBRATION_FEATURES):
        if name in values:
            features[has, i] = values[name]
        else:
            features[has, i] = X[:, columns[name]]
    features[:, CALIBRATION_FEATURES.index("unknown_share")] = pairs.query[:, 0]
    features[:, CALIBRATION_FEATURES.index("typos")] = pairs.query[:, 1]
    return scores, top_pair, features


def calibrate(features: np.ndarray, model: MatchModel) -> np.ndarray:
    """The probability that each line's winner is right."""
    z = features @ model.calibration + model.intercept
    return 1.0 / (1.0 + np.exp(-z))


def score_pairs(pairs: Pairs, model: MatchModel, alike=None) -> Ranked:
    """Rank each line's candidates and say how sure the winner is."""
    scores, top_pair, features = rank(pairs, model.weights, alike)
    confidence = np.where(top_pair >= 0, calibrate(features, model), 0.0)
    top = np.full(len(top_pair), -1)
    top[top_pair >= 0] = pairs.food[top_pair[top_pair >= 0]]
    return Ranked(top=top, features=features, confidence=confidence, scores=scores)
