"""Tests for planner.entries: every diary row resolved once, with a status and a reason."""

from __future__ import annotations

import csv
import io
import math
import string

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import nutrients as registry
from planner.diary import read_diary
from planner.entries import MAX_GRAMS, STATUSES, account, read_entries, resolve_entries
from planner.foods import load_foods

NUTRIENTS = list(registry.ids())


@pytest.fixture(scope="module")
def foods():
    return load_foods()


def planner_csv(rows: list[tuple[str, str, str, str]]) -> str:
    """planner's own format: date, meal, food, quantity."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "meal", "food", "quantity"])
    writer.writerows(rows)
    return out.getvalue()


# --- every row accounted for, whatever the diary holds ------------------------------------

KNOWN_FOODS = [
    "banana", "Bananas, raw", "Spinach, raw", "2% milk", "almonds", "oatmeal",
    "Rice, white, long-grain, regular, enriched, cooked", "Magnesium Citrate",
]  # fmt: skip
GIBBERISH = st.text(alphabet=string.ascii_lowercase + " ", min_size=1, max_size=14)
FOOD = st.one_of(st.sampled_from(KNOWN_FOODS), GIBBERISH, st.just(""), st.just("  "))
AMOUNT = st.sampled_from(
    [
        "1 cup", "2 medium", "100 g", "1/2 cup", "1 1/2 cups", "2", "0.52", "0 g", "",
        "abc", "1/0 cup", "1 slice", "-1 cup", "-2", "999999 g", "6 kg", "1e400 g",
    ]
)  # fmt: skip
DATE = st.sampled_from(
    ["2023-01-05", "2011-4-18", "3/14/2020", "2023-02-30", "2023-13-01", "", "yesterday"]
)
MEAL = st.sampled_from(["breakfast", "lunch", "dinner", "Post-Workout"])
ROWS = st.lists(st.tuples(DATE, MEAL, FOOD, AMOUNT), min_size=1, max_size=8)


@pytest.fixture(scope="module")
def diary_path(tmp_path_factory):
    return tmp_path_factory.mktemp("entries") / "diary.csv"


@settings(max_examples=50, deadline=None)
@given(rows=ROWS)
def test_every_row_is_accounted_for(diary_path, rows):
    diary_path.write_text(planner_csv(rows), encoding="utf-8")
    entries = read_entries(diary_path)

    assert len(entries) == len(rows)
    assert entries["source_row"].tolist() == list(range(2, 2 + len(rows)))
    assert entries["status"].isin(STATUSES).all()
    tally = account(entries)
    assert tally.reconciles
    assert tally.used + tally.flagged + tally.rejected == tally.rows == len(rows)
    assert sum(tally.by_status.values()) == len(rows)

    matched = entries["status"].eq("matched")
    from_table = matched & entries["source"].eq("food_table")
    grams = entries.loc[from_table, "grams"].to_numpy(dtype=float)
    assert np.isfinite(grams).all() and (grams <= MAX_GRAMS).all()
    assert (entries.loc[from_table, "confidence"] >= 0.85).all()
    # a row that is not used contributes nothing: every nutrient is NaN
    assert entries.loc[~matched, NUTRIENTS].isna().all().all()
    # a matched row from the food table has its energy
    assert entries.loc[from_table, "energy_kcal"].notna().all()
    # rejected and flagged rows say why
    assert entries.loc[~matched, "reason"].ne("").all()
    # no date or an impossible one is rejected, whatever else the row holds
    for (day, _, _, _), status in zip(rows, entries["status"], strict=True):
        if day in {"2023-02-30", "2023-13-01", "", "yesterday"}:
            assert status == "rejected"


# --- the exporter's values and the food table ---------------------------------------------

CRONOMETER = "Day,Time,Group,Food Name,Amount,Energy (kcal),Magnesium (mg),Folate (µg),Category"
BANANA_ROW = '2023-09-17,9:51 AM,Breakfast,"Bananas, raw",1.00 medium,105,40,,Fruits\n'


def test_export_values_win_and_the_food_table_fills_blanks(tmp_path, foods):
    path = tmp_path / "servings.csv"
    path.write_text(CRONOMETER + "\n" + BANANA_ROW, encoding="utf-8")
    banana = foods.loc["09040"]  # medium (7" to 7-7/8" long) = 118 g

    entries = read_entries(path)
    row = entries.iloc[0]
    assert (row["food_id"], row["status"], row["grams"]) == ("09040", "matched", 118.0)
    assert row["source"] == "export+food_table"
    assert row["magnesium_mg"] == 40.0  # the export's own value
    assert row["energy_kcal"] == 105.0
    assert row["folate_dfe_ug"] == pytest.approx(banana["folate_dfe_ug"] * 1.18)
    assert row["potassium_mg"] == pytest.approx(banana["potassium_mg"] * 1.18)

    recomputed = read_entries(path, recompute=True).iloc[0]
    assert recomputed["source"] == "food_table"
    assert recomputed["magnesium_mg"] == pytest.approx(banana["magnesium_mg"] * 1.18)
    assert recomputed["magnesium_mg"] != 40.0
    assert recomputed["energy_kcal"] == pytest.approx(banana["energy_kcal"] * 1.18)
    assert recomputed["folate_dfe_ug"] == pytest.approx(row["folate_dfe_ug"])


def test_export_values_without_a_food_match(tmp_path):
    path = tmp_path / "servings.csv"
    row = "2023-09-17,,Staples,Qqzx Brand Thing,1.00 serving,210,55,,Breads\n"
    path.write_text(CRONOMETER + "\n" + row, encoding="utf-8")
    entry = read_entries(path).iloc[0]
    assert (entry["status"], entry["source"]) == ("matched", "export")
    assert entry["magnesium_mg"] == 55.0
    assert math.isnan(entry["folate_dfe_ug"])  # neither source knows it
    assert "export's own values" in entry["reason"]

    flagged = read_entries(path, recompute=True).iloc[0]
    assert flagged["status"] in {"unmatched", "low_confidence"}
    assert flagged[NUTRIENTS].isna().all()


def test_export_values_with_an_amount_that_cannot_be_converted(tmp_path):
    path = tmp_path / "servings.csv"
    row = '2023-09-17,,Breakfast,"Bananas, raw",1.00 burrito,105,32,,Fruits\n'
    path.write_text(CRONOMETER + "\n" + row, encoding="utf-8")
    entry = read_entries(path).iloc[0]
    assert (entry["status"], entry["source"]) == ("matched", "export")
    assert entry["food_id"] == "09040" and math.isnan(entry["grams"])
    assert entry["magnesium_mg"] == 32.0
    assert math.isnan(entry["potassium_mg"])  # the food table cannot fill it without grams
    assert "export's own values are used" in entry["reason"]
    assert "no 'burrito' measure" in entry["reason"]


def test_day_totals_are_used_as_they_are(tmp_path):
    path = tmp_path / "dailysummary.csv"
    path.write_text(
        "Date,Group,Energy (kcal),Magnesium (mg),Completed\n"
        "2023-09-17,Breakfast,500,100,true\n"
        "2023-09-17,Total,2000,300,true\n"
        "2023-09-18,Total,,,false\n",
        encoding="utf-8",
    )
    entries = read_entries(path)
    assert entries["status"].tolist() == ["rejected", "matched", "rejected"]
    assert entries.loc[1, "magnesium_mg"] == 300.0
    assert entries.loc[2, "reason"] == "no nutrient values in the row"
    assert account(entries).reconciles


# --- supplements, impossible amounts -----------------------------------------------------------


@pytest.fixture(scope="module")
def odd_rows(tmp_path_factory):
    path = tmp_path_factory.mktemp("odd") / "diary.csv"
    rows = [
        ("2023-01-01", "breakfast", "Magnesium Citrate", "1 tablet"),
        ("2023-01-01", "lunch", "banana", "6 kg"),
        ("2023-01-01", "lunch", "banana", "-1 cup"),
        ("2023-01-01", "lunch", "banana", "2 medium"),
    ]
    path.write_text(planner_csv(rows), encoding="utf-8")
    return resolve_entries(read_diary(path))


def test_supplement_is_unmatched_with_a_reason(odd_rows):
    row = odd_rows.iloc[0]
    assert row["status"] == "unmatched"
    assert "supplement" in row["reason"]
    assert row[NUTRIENTS].isna().all()


def test_more_than_5_kg_is_flagged_not_summed(odd_rows):
    row = odd_rows.iloc[1]
    assert row["status"] == "low_confidence"
    assert row["grams"] == 6000.0
    assert "more than 5 kg" in row["reason"]
    assert row[NUTRIENTS].isna().all()


def test_negative_amount_is_rejected(odd_rows):
    row = odd_rows.iloc[2]
    assert row["status"] == "rejected"
    assert "negative" in row["reason"]
    assert row[NUTRIENTS].isna().all()


def test_odd_rows_accounting(odd_rows):
    tally = account(odd_rows)
    assert (tally.rows, tally.used, tally.flagged, tally.rejected) == (4, 1, 2, 1)
    assert odd_rows.loc[3, "grams"] == 236.0  # medium (7" to 7-7/8" long) = 118 g


def test_negative_amount_is_rejected_whatever_the_food(tmp_path):
    path = tmp_path / "diary.csv"
    rows = [
        ("2023-01-01", "lunch", "xqzvw plorf", "-1 cup"),
        ("2023-01-01", "lunch", "Magnesium Citrate", "-2 tablet"),
    ]
    path.write_text(planner_csv(rows), encoding="utf-8")
    entries = read_entries(path)
    assert entries["status"].tolist() == ["rejected", "rejected"]
    assert entries["reason"].str.contains("negative").all()
