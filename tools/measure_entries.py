"""Measure diary rows end to end: food text and household amount to food, grams and nutrients.

Usage: python tools/measure_entries.py [--table tests/data/household_entries.csv]

The table (columns ``food``, ``amount``, ``expected_food_id``, ``acceptable_food_ids``,
``expected_grams``, ``basis``) holds common foods with household amounts, each checked by
hand against SR28's WEIGHT file (the ``basis`` column says which portion row). Where
another food is as right as the expected one (cooked or raw broccoli, any salmon), it is
listed in ``acceptable_food_ids`` as ``id`` (same grams) or ``id=grams`` (its own portion
gives other grams, also checked by hand). Every row is
written into a planner CSV diary and read back with :func:`planner.entries.read_entries`,
exactly as ``planner entries`` would. A row with no expected grams must be flagged (its
amount cannot be converted for that food).

Printed: how many rows got an acceptable food; how many got the expected grams (within 1%);
and, for magnesium, potassium and calcium, how far planner's value for the row is from the
value computed by hand from the expected food and grams.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.entries import read_entries  # noqa: E402
from planner.foods import load_foods  # noqa: E402

TABLE = ROOT / "tests" / "data" / "household_entries.csv"
CHECKED = ("magnesium_mg", "potassium_mg", "calcium_mg")


def read_lines(foods, amounts) -> pd.DataFrame:
    """Type each (food text, amount) pair as one line of a planner diary, and resolve the
    diary as planner reads any other: one entries row per pair, in order."""
    with tempfile.TemporaryDirectory() as folder:
        diary = Path(folder) / "diary.csv"
        with diary.open("w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(["date", "meal", "food", "quantity"])
            for food, amount in zip(foods, amounts, strict=True):
                out.writerow(["2024-03-04", "lunch", food, amount])
        return read_entries(diary)


def compare(table: Path = TABLE) -> pd.DataFrame:
    """One row per case: what planner made of it next to what was checked by hand."""
    cases = pd.read_csv(table, dtype=str, keep_default_na=False)
    entries = read_lines(cases["food"], cases["amount"])
    foods = load_foods()
    result = cases.copy()
    result["food_id"] = entries["food_id"].to_numpy()
    result["status"] = entries["status"].to_numpy()
    result["grams"] = entries["grams"].to_numpy(dtype=float)
    expected = pd.to_numeric(cases["expected_grams"], errors="coerce")
    # per case: every acceptable food with the grams its own portion gives ("id=grams")
    accepted = []
    for case, grams in zip(cases.itertuples(), expected, strict=True):
        ok = {case.expected_food_id: grams}
        for item in filter(None, case.acceptable_food_ids.split(";")):
            food_id, _, own = item.partition("=")
            ok[food_id] = float(own) if own else grams
        accepted.append(ok)
    result["food_ok"] = [f in ok for f, ok in zip(result["food_id"], accepted, strict=True)]
    # the hand-checked food and grams to compare with: planner's food when it is acceptable
    hand_food = [f if f in ok else c for f, ok, c in zip(
        result["food_id"], accepted, cases["expected_food_id"], strict=True)]  # fmt: skip
    hand_grams = pd.Series([ok[f] for f, ok in zip(hand_food, accepted, strict=True)])
    result["expected_grams"] = hand_grams.to_numpy()
    result["expect_flag"] = hand_grams.isna().to_numpy()
    result["grams_ok"] = [
        (status != "matched") if math.isnan(want) else abs(got - want) <= 0.01 * want
        for got, want, status in zip(result["grams"], hand_grams, result["status"], strict=True)
    ]
    for nid in CHECKED:
        per_100 = pd.Series(hand_food).map(foods[nid]).astype(float)
        result[f"{nid}_expected"] = (hand_grams * per_100 / 100.0).to_numpy()
        result[nid] = entries[nid].to_numpy(dtype=float)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", type=Path, default=TABLE)
    args = parser.parse_args(argv)
    result = compare(args.table)
    n = len(result)
    both = result["food_ok"] & result["grams_ok"]
    print(f"{n} diary rows in {args.table.name}")
    print(f"  acceptable food          {int(result['food_ok'].sum()):3}/{n}")
    print(f"  expected grams (1%)      {int(result['grams_ok'].sum()):3}/{n}")
    print(f"  both                     {int(both.sum()):3}/{n}")
    print(f"  flagged as expected      {int((result.expect_flag & result.grams_ok).sum()):3}"
          f"/{int(result.expect_flag.sum())}")  # fmt: skip
    live = result[~result["expect_flag"]]
    for nid in CHECKED:
        error = (live[nid] - live[f"{nid}_expected"]).abs() / live[f"{nid}_expected"]
        within = int((error <= 0.05).sum())
        print(
            f"  {nid:15} within 5% of hand value {within:3}/{len(live)}; "
            f"median error {error.median():.1%}, total {live[nid].sum():,.0f} vs "
            f"{live[f'{nid}_expected'].sum():,.0f} expected"
        )
    misses = result[~(result["food_ok"] & result["grams_ok"])]
    if not misses.empty:
        print(f"\n{len(misses)} row(s) differ:")
        descriptions = load_foods()["description"]
        for row in misses.itertuples():
            got = descriptions.get(row.food_id, "(no food)")
            print(
                f"  {row.food!r} {row.amount!r}: expected {row.expected_food_id} "
                f"{row.expected_grams or 'flagged'} g; got {row.food_id or '-'} {got[:50]!r} "
                f"{row.grams:g} g ({row.status})"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
