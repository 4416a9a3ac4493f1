"""Type published per-serving values into planner as a person would, and compare.

Usage: python tools/measure_published.py TABLE.csv [--tolerance 0.25] [--misses]

TABLE has columns ``nutrient`` (a registry id such as ``magnesium_mg``), ``food`` (as
published: "Cashews, dry roasted"), ``serving`` ("1 ounce", "1/2 cup", "1 medium") and
``amount`` (the published value per serving, in the nutrient's unit), plus optional
``source_kind`` and ``notes``. Each row becomes one diary line (food text and amount as
written) read by planner's own reader and resolver; the row's nutrient is then compared with
the published amount. A row planner does not count (flagged, unmatched) is a miss.

The tables used for the README come from USDA's Dietary Guidelines "Food Sources of"
pages and NIH ODS fact-sheet tables as copied by third parties; they are not in this
repository (see the note of the food-table issue for where they came from).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from measure_entries import read_lines  # noqa: E402  (tools/, the script's folder)


def measure(table: Path, tolerance: float) -> pd.DataFrame:
    rows = pd.read_csv(table, dtype={"amount": float}, keep_default_na=False)
    entries = read_lines(rows["food"], rows["serving"])
    got = np.array([entries[n].iat[i] for i, n in enumerate(rows["nutrient"])], dtype=float)
    rows["got"] = got
    rows["status"] = entries["status"].to_numpy()
    rows["description"] = entries["description"].to_numpy()
    rows["grams"] = entries["grams"].to_numpy()
    rows["basis"] = entries.get("amount_basis", pd.Series("", index=entries.index)).to_numpy()
    rows["within"] = np.abs(got - rows["amount"]) <= tolerance * rows["amount"]
    rows.loc[rows["status"] != "matched", "within"] = False
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("table", type=Path)
    parser.add_argument("--tolerance", type=float, default=0.25)
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    rows = measure(args.table, args.tolerance)
    n = len(rows)
    print(f"{n} published values; within {args.tolerance:.0%}: {int(rows['within'].sum())} "
          f"({rows['within'].mean():.1%}); counted (matched): "
          f"{(rows['status'] == 'matched').mean():.1%}")  # fmt: skip
    for key in ("nutrient", "source_kind"):
        if key in rows:
            for value, part in rows.groupby(key):
                print(f"  {value:22} {int(part['within'].sum()):4}/{len(part):<4} "
                      f"{part['within'].mean():6.1%}")  # fmt: skip
    if args.misses:
        for r in rows[~rows["within"]].itertuples():
            print(
                f"  {r.nutrient:14} {r.food!r} {r.serving!r}: published {r.amount:g}, "
                f"got {r.got:.4g} ({r.status}; {r.description}; {r.grams:g} g {r.basis})"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
