"""Recompute real diary exports from food text and amount alone, and compare with the
exporter's own per-row numbers.

Usage: python tools/measure_exports.py FOLDER [--tolerance 0.20] [--floor 2] [--misses N]

Every CSV under FOLDER that planner reads as a Cronometer servings export (one row per
food, with the exporter's nutrient values) is resolved twice: once as usual, to read the
exporter's values, and once with ``recompute=True``, where each row's nutrients come only
from planner's match of the food text and its conversion of the amount. For magnesium,
potassium and calcium, every row where the exporter gives a value is compared: a value is
a hit when planner's is within ``--tolerance`` of it (or within ``--floor`` units, for
values near zero). Rows planner flags or leaves unmatched are misses. Supplement rows are
left out (they are not foods, and their values are always the export's own).

The exports measured for the README are public files from third-party repositories; they
are not part of this repository (see the food-table issue's note for where they came from).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.diary import read_diary  # noqa: E402
from planner.entries import resolve_entries  # noqa: E402
from planner.errors import PlannerError  # noqa: E402

NUTRIENTS = ("magnesium_mg", "potassium_mg", "calcium_mg")


def compare_file(path: Path, tolerance: float, floor: float) -> pd.DataFrame | None:
    try:
        diary = read_diary(path)
    except PlannerError:
        return None
    if diary.attrs.get("level", "entry") != "entry" or not set(NUTRIENTS) & set(diary):
        return None
    recomputed = resolve_entries(diary, recompute=True)
    rows = []
    supplement = recomputed.get("supplement", pd.Series(False, index=recomputed.index))
    supplement = supplement.to_numpy(dtype=bool)
    live = recomputed["status"].ne("rejected").to_numpy()
    for nid in NUTRIENTS:
        if nid not in diary:
            continue
        theirs = diary[nid].to_numpy(dtype=float)
        ours = recomputed[nid].to_numpy(dtype=float)
        keep = np.isfinite(theirs) & live & ~supplement
        hit = np.abs(ours - theirs) <= np.maximum(tolerance * np.abs(theirs), floor)
        rows.append(pd.DataFrame({
            "file": path.name, "nutrient": nid, "food_text": diary["food_text"].to_numpy()[keep],
            "amount_text": diary["amount_text"].to_numpy()[keep], "theirs": theirs[keep],
            "ours": ours[keep], "status": recomputed["status"].to_numpy()[keep],
            "description": recomputed["description"].to_numpy()[keep],
            "hit": np.where(np.isfinite(ours[keep]), hit[keep], False),
        }))  # fmt: skip
    return pd.concat(rows, ignore_index=True) if rows else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--tolerance", type=float, default=0.20)
    parser.add_argument("--floor", type=float, default=2.0)
    parser.add_argument("--misses", type=int, default=0)
    args = parser.parse_args()
    parts = []
    for path in sorted(args.folder.rglob("*")):
        hidden = any(p.startswith(("_", ".")) for p in path.relative_to(args.folder).parts)
        if path.is_file() and not hidden and ".csv" in path.name.lower():
            found = compare_file(path, args.tolerance, args.floor)
            if found is not None:
                parts.append(found)
    if not parts:
        print("no Cronometer servings export with Mg/K/Ca values found")
        return 1
    values = pd.concat(parts, ignore_index=True)
    counted = values["status"].eq("matched")
    print(f"{values['file'].nunique()} exports, {len(values):,} Mg/K/Ca values the exporter gives")
    print(f"  within {args.tolerance:.0%} (or {args.floor:g} units): {values['hit'].mean():.1%}")
    print(f"  rows planner counts: {counted.mean():.1%}; of those within: "
          f"{values.loc[counted, 'hit'].mean():.1%}")  # fmt: skip
    for nid, part in values.groupby("nutrient"):
        print(f"  {nid:14} {part['hit'].mean():6.1%} of {len(part):,}")
    for name, part in values.groupby("file"):
        print(f"  {name[:60]:60} {part['hit'].mean():6.1%} of {len(part):,}")
    if args.misses:
        misses = values[~values["hit"]].drop_duplicates(["food_text", "nutrient"])
        for r in misses.head(args.misses).itertuples():
            print(
                f"  {r.nutrient:13} {r.food_text[:45]!r:47} {r.amount_text[:18]!r:20} "
                f"theirs {r.theirs:8.4g} ours {r.ours:8.4g} {r.status} {r.description[:40]}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
