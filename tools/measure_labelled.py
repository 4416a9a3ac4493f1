"""Measure matching on the labelled diary lines: precision of `matched`, and coverage.

Usage: python tools/measure_labelled.py [--table tests/data/diary_lines.csv] [--misses]
       [--split holdout|tune|all]

tests/data/diary_lines.csv holds 642 diary lines written the way people write them in
Cronometer, MyFitnessPal, Lose It! and their own notes, each with every food id (SR28 or
FNDDS) a dietitian would accept, labelled before the matcher was tuned on them. A third
(`split = holdout`) is never looked at while tuning; report that part.

For each split it prints:

- precision: of the lines planner marks `matched` (counted in totals), the share whose food
  is one of the accepted ids (a line no food can code, such as a supplement, is wrong when
  matched);
- coverage: of the lines some food can code, the share planner marks `matched`;
- top choice right: the share whose best food is accepted, whatever the confidence;
- and the same by style.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.entries import default_matcher  # noqa: E402
from planner.matching import status_for  # noqa: E402

TABLE = ROOT / "tests" / "data" / "diary_lines.csv"


def score(table: Path = TABLE) -> pd.DataFrame:
    """Every labelled line with what the matcher made of it."""
    lines = pd.read_csv(table, dtype=str, keep_default_na=False)
    matches = default_matcher().match(lines["text"])
    lines["accepted"] = lines["accepted_ids"].map(lambda s: set(filter(None, s.split(";"))))
    lines["codable"] = lines["accepted"].map(bool)
    lines["food_id"] = [matches[t].food_id for t in lines["text"]]
    lines["confidence"] = [matches[t].confidence for t in lines["text"]]
    lines["method"] = [matches[t].method for t in lines["text"]]
    lines["status"] = [status_for(matches[t]) for t in lines["text"]]
    lines["right"] = [
        (f in a) if a else (f == "")
        for f, a in zip(lines["food_id"], lines["accepted"], strict=True)
    ]
    lines["matched"] = lines["status"] == "matched"
    return lines


def summary(part: pd.DataFrame) -> dict:
    matched = part[part["matched"]]
    codable = part[part["codable"]]
    return {
        "lines": len(part),
        "matched": len(matched),
        "precision": matched["right"].mean() if len(matched) else float("nan"),
        "coverage": codable["matched"].mean() if len(codable) else float("nan"),
        "top_right": codable["right"].mean() if len(codable) else float("nan"),
    }


def line(label: str, s: dict) -> str:
    return (
        f"{label:28} {s['lines']:4} lines  matched {s['matched']:4}  "
        f"precision {s['precision']:6.1%}  coverage {s['coverage']:6.1%}  "
        f"top choice right {s['top_right']:6.1%}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", type=Path, default=TABLE)
    parser.add_argument("--split", default="all", choices=["all", "tune", "holdout"])
    parser.add_argument("--misses", action="store_true", help="list the wrong and unsure lines")
    args = parser.parse_args()
    lines = score(args.table)
    foods = default_matcher().foods["description"]
    for split in ("tune", "holdout"):
        part = lines[lines["split"] == split]
        print(line(split, summary(part)))
        for style, sub in part.groupby("style"):
            print(line(f"  {style}", summary(sub)))
    if args.misses:
        part = lines if args.split == "all" else lines[lines["split"] == args.split]
        wrong = part[(part["matched"] & ~part["right"]) | (part["codable"] & ~part["matched"])]
        print(f"\n{len(wrong)} lines wrong or not matched ({args.split}):")
        for r in wrong.sort_values(["matched", "confidence"], ascending=False).itertuples():
            got = foods.get(r.food_id, "(nothing)") if r.food_id else "(nothing)"
            mark = "WRONG" if r.matched and not r.right else ("ok?" if r.right else "miss")
            print(f"  {mark:5} {r.confidence:.2f} {r.method:12} {r.text!r} -> {r.food_id} {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
