"""End to end on common foods with household amounts, each checked by hand against SR28.

``tests/data/household_entries.csv`` was written after the matcher and the amount rules
(see ``tools/measure_entries.py``, which prints the full comparison). A regression in
matching, portion choice or nutrient arithmetic shows up here as a row that differs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import load_script

from planner.foods import load_foods, load_portions

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "tests" / "data" / "household_entries.csv"


def _tool():
    return load_script("tools/measure_entries.py")


@pytest.fixture(scope="module")
def result():
    return _tool().compare(TABLE)


def test_the_table_is_large_and_points_at_real_portions():
    cases = pd.read_csv(TABLE, dtype=str, keep_default_na=False)
    foods, portions = load_foods(), load_portions()
    assert len(cases) >= 50
    assert cases["food"].is_unique
    for case in cases.itertuples():
        ids = [case.expected_food_id] + [
            item.partition("=")[0] for item in case.acceptable_food_ids.split(";") if item
        ]
        for food_id in ids:
            assert food_id in foods.index, (case.food, food_id)
        # the basis names a real portion row of the expected food (or a plain mass)
        if not case.basis.startswith("mass:") and case.expected_grams:
            grams = portions.loc[portions["food_id"].eq(case.expected_food_id), "grams"]
            assert not grams.empty, case.food


def test_foods_and_grams_agree_with_the_hand_values(result):
    both = result["food_ok"] & result["grams_ok"]
    misses = result.loc[~both, ["food", "amount", "food_id", "grams", "status"]]
    assert both.mean() >= 0.95, misses.to_string()


def test_most_rows_are_trusted(result):
    assert (result["status"] == "matched").mean() >= 0.9


def test_a_measure_no_table_has_is_flagged_not_guessed(result):
    flagged = result[result["expect_flag"]]
    assert not flagged.empty
    assert flagged["status"].ne("matched").all()
    assert flagged["grams"].isna().all()


def test_a_measure_the_food_lacks_is_read_through_the_other_table(result):
    chia = result.set_index("food").loc["chia seeds"]
    assert chia["status"] == "matched" and chia["grams"] == pytest.approx(10.5)


@pytest.mark.parametrize("nid", ["magnesium_mg", "potassium_mg", "calcium_mg"])
def test_nutrients_follow_from_food_and_grams(result, nid):
    right = result[
        result["food_ok"]
        & result["grams_ok"]
        & ~result["expect_flag"]
        & result["status"].eq("matched")
    ]
    pd.testing.assert_series_equal(
        right[nid], right[f"{nid}_expected"], check_names=False, rtol=1e-4
    )
