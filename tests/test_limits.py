"""Limits that guard without blocking: the diary's days judged on known values plus a
documented allowance, a floor under every room, findings stated, blocking limits named."""

from __future__ import annotations

import pytest
from oracle import FOODS

from planner.analysis import score_diary
from planner.candidates import Restrictions, limit_nutrients
from planner.entries import read_entries
from planner.limits import FLOOR_SHARE, diary_limit_days, group_means, limit_rooms
from planner.report import render_report
from planner.suggest import rank_foods, render_suggestions, suggest_addon, suggestions_json
from planner.targets import Profile

FEMALE_45 = Profile(45, "female")


def planner_csv(path, rows, extra=""):
    head = "date,meal,food,amount,unit,food_id" + extra
    path.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    return path


def week(path, foods: list[tuple[str, float]]):
    """Seven days of the same foods: (food_id, grams)."""
    rows = [
        f"2024-03-{d:02d},lunch,{FOODS.loc[fid, 'description'].replace(',', '')},{g},g,{fid}"
        for d in range(4, 11)
        for fid, g in foods
    ]
    return planner_csv(path, rows)


def test_an_unknown_value_of_a_food_counts_its_groups_mean(tmp_path):
    # caraway cheese has no vitamin D value in SR28
    assert FOODS.loc["01008", "vitamin_d_ug"] != FOODS.loc["01008", "vitamin_d_ug"]
    path = planner_csv(tmp_path / "d.csv", ["2024-01-01,lunch,caraway cheese,50,g,01008"])
    days = diary_limit_days(read_entries(path))
    mean = FOODS[FOODS["food_group"].eq("Dairy and Egg Products")]["vitamin_d_ug"].mean()
    assert group_means().loc["Dairy and Egg Products", "vitamin_d_ug"] == pytest.approx(mean)
    assert days["allowance"]["vitamin_d_ug"].iloc[0] == pytest.approx(mean * 0.5)
    assert days["known"]["vitamin_d_ug"].iloc[0] == 0
    assert days["known"]["calcium_mg"].iloc[0] == pytest.approx(
        FOODS.loc["01008", "calcium_mg"] / 2
    )
    assert days["allowance"]["calcium_mg"].iloc[0] == 0  # known values get no allowance


def test_a_row_known_only_by_its_values_counts_its_energy_at_the_diarys_density(tmp_path):
    path = planner_csv(
        tmp_path / "d.csv",
        [
            "2024-01-01,lunch,xqzvw plorf,1,serving,,500,",
            "2024-01-01,lunch,qqxz blorp,1,serving,,100,50",
        ],
        extra=",energy_kcal,calcium_mg",
    )
    entries = read_entries(path)
    assert entries["status"].eq("matched").all() and entries["food_id"].eq("").all()
    days = diary_limit_days(entries)
    # 50 mg of calcium per 100 kcal where both are known: 250 mg for the 500 kcal row
    assert days["allowance"]["calcium_mg"].iloc[0] == pytest.approx(250)
    assert days["intake"]["calcium_mg"].iloc[0] == pytest.approx(300)


def test_room_is_the_ul_minus_the_highest_day_when_the_diary_is_far_from_it(tmp_path):
    report = score_diary(read_entries(week(tmp_path / "d.csv", [("09040", 200)])), FEMALE_45)
    rooms = limit_rooms(report)
    calcium = rooms.loc["calcium_mg"]
    assert calcium["worst"] == pytest.approx(FOODS.loc["09040", "calcium_mg"] * 2)
    assert calcium["room"] == pytest.approx(2500 - calcium["worst"])
    assert not calcium["floor"] and calcium["days_over"] == 0


@pytest.fixture(scope="module")
def above_calcium(tmp_path_factory):
    # 80 g of fortified Total a day (2,666 mg of calcium), white bread and an apple: above
    # the calcium UL on every day, and short in magnesium, potassium and more
    path = week(
        tmp_path_factory.mktemp("limits") / "d.csv", [("08077", 80), ("18069", 100), ("09003", 150)]
    )
    return score_diary(read_entries(path), FEMALE_45)


def test_a_limit_the_diary_passes_is_a_finding_reported_first(above_calcium):
    assert above_calcium.nutrients.loc["calcium_mg", "status"] == "above_ul"
    text = render_report(above_calcium)
    assert text.index("Above an upper limit") < text.index("Gaps, largest first")
    mean = above_calcium.nutrients.loc["calcium_mg", "mean_intake"]
    assert mean > 2500
    finding = f"- Calcium: {mean:,.0f} mg a day, above the 2,500 mg upper limit for food and"
    assert finding in text
    assert "from: Cereals ready-to-eat GENERAL MILLS Whole Grain TOTAL (" in text.replace(
        "\n  ", " "
    )


def test_it_does_not_bar_the_add_on_which_adds_at_most_the_floor(above_calcium):
    addon = suggest_addon(above_calcium)
    assert not addon.foods.empty
    assert addon.closes.loc["magnesium_mg", "closed"]
    calcium = addon.limits.loc["calcium_mg"]
    assert calcium["floor"] and calcium["room"] == pytest.approx(FLOOR_SHARE * 2500)
    # what the chosen foods carry, unknowns counted high, stays within the floor
    counted = limit_nutrients(addon.foods.assign(portion_grams=addon.foods["grams"]))
    assert counted["calcium_mg"].sum() <= FLOOR_SHARE * 2500 + 1e-6
    assert calcium["added"] == pytest.approx(counted["calcium_mg"].sum())
    text = render_suggestions(rank_foods(above_calcium), addon, above_calcium)
    assert text.startswith("Upper limits your diary already reaches\n- Calcium: your diary")
    assert "adds at most 125 mg of it a day (5% of the limit)" in text.replace("\n  ", " ")
    data = suggestions_json(rank_foods(above_calcium), addon)
    limits = {row["key"]: row for row in data["addon"]["limits"]}
    assert limits["calcium_mg"]["floor"] and limits["calcium_mg"]["days_over"] == 7


def test_an_open_gap_names_the_limit_and_the_days_that_block_it(above_calcium):
    vegan = Restrictions(vegan=True)
    addon = suggest_addon(above_calcium, vegan)
    vitamin_d = addon.closes.loc["vitamin_d_ug"]
    assert not vitamin_d["closed"]
    reason = " ".join(vitamin_d["reason"].split())
    assert "would push another nutrient past its UL" in reason
    worst = limit_rooms(above_calcium).loc["calcium_mg", "worst"]
    assert f"Calcium {worst:,.0f} mg on 2024-03-04 against its 2,500 mg UL, above it on 7 of 7" in (
        reason
    )


def test_supplements_count_toward_the_room_under_a_total_ul(tmp_path):
    # 1,200 mg of calcium from a supplement every day: the UL covers all sources, so the
    # add-on's room is what food and the supplement leave under 2,500 mg
    rows = [
        f"2024-03-0{d},{meal},{food},{amount},{unit},{fid},{calcium}"
        for d in (4, 5)
        for meal, food, amount, unit, fid, calcium in (
            ("lunch", "banana", 200, "g", "09040", ""),
            ("supplements", "Calcium carbonate 1200 mg", 1, "tablet", "", 1200),
        )
    ]
    path = planner_csv(tmp_path / "d.csv", rows, extra=",calcium_mg")
    report = score_diary(read_entries(path), FEMALE_45)
    assert report.nutrients.loc["calcium_mg", "mean_intake_supplements"] == 1200
    calcium = limit_rooms(report).loc["calcium_mg"]
    food = FOODS.loc["09040", "calcium_mg"] * 2
    assert calcium["worst"] == pytest.approx(1200 + food)
    assert calcium["room"] == pytest.approx(2500 - 1200 - food)
