"""Suggestions: ranked foods per gap and the combined add-on, checked against the food files.

Diaries are small planner-format CSVs (``food_id`` and grams) read with
:func:`planner.entries.read_entries` and scored with :func:`planner.analysis.score_diary`.
What the add-on adds is recomputed here from ``foods/foods.csv``, ``foods/portions.csv``
and ``foods/article_foods.csv`` read directly with pandas, not from the module's tables.
"""

from __future__ import annotations

import csv
import math
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle import ARTICLE, FOODS, amount, per_100, portion_grams

from planner.analysis import score_diary
from planner.candidates import POTASSIUM_DENSE_MG, Restrictions
from planner.entries import read_entries
from planner.limits import FLOOR_SHARE
from planner.suggest import rank_foods, suggest_addon
from planner.targets import Profile, targets_for_profile

# The ULs that apply to food and that a diary's days are checked on (folate's on folic
# acid). Niacin's is tested on its own below.
UL_ON = {
    "calcium_mg": "calcium_mg",
    "vitamin_d_ug": "vitamin_d_ug",
    "vitamin_b6_mg": "vitamin_b6_mg",
    "folate_dfe_ug": "folic_acid_ug",
}
FORTIFIED = set(ARTICLE.index[ARTICLE["family"].eq("fortified_foods")])

FEMALE_45 = Profile(45, "female")
# Plenty of fortified cereal, milk, salmon, fortified orange juice and potatoes: every panel
# nutrient but magnesium met for a woman of 45 (checked below).
MAGNESIUM_DAY = {"08077": 30, "01079": 488, "15237": 170, "09210": 249, "11355": 300, "09003": 150}
# Cereal, chicken, potatoes, plain yogurt, apple, spinach: short only in vitamin D.
VITAMIN_D_DAY = {"08077": 30, "05064": 150, "11355": 300, "01117": 340, "09003": 150, "11458": 180}
# White bread, apple, olive oil and a little chicken: short in almost everything.
POOR_DAY = {"18069": 100, "09003": 150, "04053": 20, "05064": 60}


def write_diary(path: Path, days: list[dict[str, float]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["date", "meal", "food", "amount", "unit", "food_id"])
        for number, day in enumerate(days):
            date = f"2024-03-{number + 4:02d}"
            for food_id, grams in day.items():
                out.writerow(
                    [date, "lunch", FOODS.loc[food_id, "description"], grams, "g", food_id]
                )
    return path


def report_for(path: Path, days: list[dict[str, float]], profile: Profile = FEMALE_45):
    entries = read_entries(write_diary(path, days))
    assert entries["status"].eq("matched").all()
    return score_diary(entries, profile)


def day_intake(day: dict[str, float], nutrient: str) -> float:
    return sum(grams * FOODS.loc[fid, nutrient] / 100.0 for fid, grams in day.items())


def check_portions(foods: pd.DataFrame) -> None:
    """At most two portions of each food, in half-portion steps, grams from portions.csv."""
    assert foods["food_id"].is_unique
    for row in foods.itertuples():
        assert row.food_id in ARTICLE.index
        assert 0 < row.portions <= 2 + 1e-9  # solver amounts carry float noise (see test_plan)
        assert (row.portions * 2) == pytest.approx(round(row.portions * 2))
        assert row.grams == pytest.approx(row.portions * portion_grams(row.food_id))
        for nid in ("energy_kcal", "magnesium_mg", "calcium_mg"):
            assert row._asdict()[nid] == pytest.approx(
                amount(foods[foods.food_id.eq(row.food_id)], nid)
            )


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("suggest")


# --- a diary short only in magnesium ---------------------------------------------------


@pytest.fixture(scope="module")
def magnesium_report(folder):
    return report_for(folder / "magnesium.csv", [MAGNESIUM_DAY, MAGNESIUM_DAY])


def test_magnesium_diary_is_short_only_in_magnesium(magnesium_report):
    assert list(magnesium_report.gaps["nutrient"]) == ["magnesium_mg"]
    mean = day_intake(MAGNESIUM_DAY, "magnesium_mg")
    assert magnesium_report.gaps.loc[0, "mean_intake"] == pytest.approx(mean)
    assert magnesium_report.gaps.loc[0, "shortfall"] == pytest.approx(320 - mean)


def test_magnesium_addon_closes_it_with_the_article_families(magnesium_report):
    addon = suggest_addon(magnesium_report)
    assert addon.status == "optimal"
    assert not addon.foods.empty
    check_portions(addon.foods)
    families = {ARTICLE.loc[f, "family"] for f in addon.foods["food_id"]}
    assert families <= {"seeds", "nuts", "leafy_greens", "legumes"}
    assert list(addon.closes.index) == ["magnesium_mg"]
    row = addon.closes.loc["magnesium_mg"]
    assert bool(row["closed"])
    assert row["reason"] == ""
    extra = amount(addon.foods, "magnesium_mg")
    assert row["added"] == pytest.approx(extra)
    assert day_intake(MAGNESIUM_DAY, "magnesium_mg") + extra >= 320
    assert addon.foods["energy_kcal"].sum() <= addon.kcal_room


def test_magnesium_ranked_foods(magnesium_report):
    ranked = rank_foods(magnesium_report)
    assert set(ranked["nutrient"]) == {"magnesium_mg"}
    assert list(ranked["rank"]) == [1, 2, 3, 4, 5]
    shortfall = magnesium_report.gaps.loc[0, "shortfall"]
    for row in ranked.itertuples():
        per_portion = portion_grams(row.food_id) * FOODS.loc[row.food_id, "magnesium_mg"] / 100
        assert row.per_portion == pytest.approx(per_portion)
        assert row.share_of_gap == pytest.approx(per_portion / shortfall)
        assert ARTICLE.loc[row.food_id, "family"] in {"seeds", "nuts", "leafy_greens", "legumes"}
    assert ranked["share_of_gap"].is_monotonic_decreasing


# --- vitamin D for a vegan who eats no fish --------------------------------------------


def test_vitamin_d_vegan_no_fish(folder):
    report = report_for(folder / "vitamin_d.csv", [VITAMIN_D_DAY])
    assert list(report.gaps["nutrient"]) == ["vitamin_d_ug"]
    restrictions = Restrictions(vegan=True, no_fish=True)
    addon = suggest_addon(report, restrictions)
    check_portions(addon.foods)
    for row in addon.foods.itertuples():
        assert bool(ARTICLE.loc[row.food_id, "vegan"])
        assert not bool(ARTICLE.loc[row.food_id, "fish"])
    suppliers = [f for f in addon.foods["food_id"] if FOODS.loc[f, "vitamin_d_ug"] > 0]
    assert set(suppliers) <= FORTIFIED
    row = addon.closes.loc["vitamin_d_ug"]
    if not row["closed"]:
        reason = row["reason"].lower()
        assert "vegan" in reason and "no-fish" in reason
        assert "restrictions" in reason
        assert "fortified" in reason
        assert "fatty fish" in reason
        assert "health professional" in reason


# --- every suggestion respects the restrictions ----------------------------------------


def _tagged(column: str, value: int):
    return lambda food_id: int(ARTICLE.loc[food_id, column]) == value


def _words(*words: str):
    return lambda food_id: all(w in FOODS.loc[food_id, "description"].lower() for w in words)


RESTRICTION_CASES = {
    "vegetarian": (Restrictions(vegetarian=True), _tagged("vegetarian", 0)),
    "vegan": (Restrictions(vegan=True), _tagged("vegan", 0)),
    "no_dairy": (Restrictions(no_dairy=True), _tagged("dairy", 1)),
    "no_nuts": (Restrictions(no_nuts=True), _tagged("nuts", 1)),
    "no_fish": (Restrictions(no_fish=True), _tagged("fish", 1)),
    "no_gluten": (Restrictions(no_gluten=True), _tagged("gluten", 1)),
    "exclude id": (Restrictions(exclude=("15088",)), lambda f: f == "15088"),
    "exclude id without zero": (Restrictions(exclude=("8077",)), lambda f: f == "08077"),
    "exclude family": (
        Restrictions(exclude=("fatty_fish",)),
        lambda f: ARTICLE.loc[f, "family"] == "fatty_fish",
    ),
    "exclude family words": (
        Restrictions(exclude=("leafy greens",)),
        lambda f: ARTICLE.loc[f, "family"] == "leafy_greens",
    ),
    "exclude word": (Restrictions(exclude=("salmon",)), _words("salmon")),
    "exclude plural word": (Restrictions(exclude=("almonds",)), _words("almond")),
    "exclude two words": (Restrictions(exclude=("Sockeye Salmon",)), _words("sockeye", "salmon")),
    "exclude two terms": (
        Restrictions(exclude=("sardines", "seeds")),
        lambda f: _words("sardine")(f) or ARTICLE.loc[f, "family"] == "seeds",
    ),
}


@pytest.fixture(scope="module")
def poor_report(folder):
    return report_for(folder / "poor.csv", [POOR_DAY, {**POOR_DAY, "09003": 100}])


@pytest.fixture(scope="module")
def unrestricted_ranked(poor_report):
    return rank_foods(poor_report, Restrictions(), limit=200)


@pytest.mark.parametrize("case", list(RESTRICTION_CASES))
def test_suggestions_respect_restrictions(case, poor_report, unrestricted_ranked):
    restrictions, banned = RESTRICTION_CASES[case]
    # The restriction matters here: without it, some gap's ranking holds a banned food.
    assert any(banned(f) for f in unrestricted_ranked["food_id"])
    ranked = rank_foods(poor_report, restrictions, limit=200)
    assert not ranked.empty
    assert not any(banned(f) for f in ranked["food_id"]), case
    addon = suggest_addon(poor_report, restrictions, max_foods=6, explain=False)
    assert not addon.foods.empty
    assert len(addon.foods) <= 6
    check_portions(addon.foods)
    assert not any(banned(f) for f in addon.foods["food_id"]), case


# --- the add-on never pushes a day past a UL ------------------------------------------

# Common SR28 foods whose calcium, vitamin D, B6, folic acid and energy are all known, from
# fruit to fortified cereals (so some diaries sit near a UL already).
DIARY_FOODS = [
    "09040", "09003", "11674", "05064", "01123", "01079", "15237", "08077", "18069", "20045",
    "11090", "11124", "01009", "23557", "10093", "20121", "16098", "12061", "09200", "11529",
    "01256", "09316", "08120", "11457", "16015", "04053", "19335", "14209", "09210", "08013",
    "01211", "15121", "11282", "13317",
]  # fmt: skip


def test_diary_foods_are_fully_known():
    known = FOODS.loc[DIARY_FOODS, ["energy_kcal", *UL_ON.values()]]
    assert known.notna().all().all()


@st.composite
def profiles(draw) -> Profile:
    age = draw(st.integers(4, 80))
    sex = draw(st.sampled_from(["female", "male"]))
    stage = "none"
    if sex == "female" and 18 <= age <= 45:
        stage = draw(st.sampled_from(["none", "pregnant", "lactating"]))
    return Profile(age, sex, pregnant=stage == "pregnant", lactating=stage == "lactating")


diaries = st.lists(
    st.dictionaries(st.sampled_from(DIARY_FOODS), st.integers(5, 400), min_size=1, max_size=8),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    days=diaries,
    profile=profiles(),
    max_foods=st.integers(1, 5),
    kcal_room=st.one_of(st.none(), st.integers(100, 1500)),
)
def test_addon_never_passes_a_ul(days, profile, max_foods, kcal_room):
    with tempfile.TemporaryDirectory() as tmp:
        report = report_for(Path(tmp) / "diary.csv", days, profile)
    # explain=False: the reasons solve again with limits lifted, but never change the foods.
    addon = suggest_addon(report, max_foods=max_foods, kcal_room=kcal_room, explain=False)
    if report.gaps.empty:
        assert addon.no_gaps and addon.foods.empty
        return
    assert addon.status in ("optimal", "time_limit")
    foods = addon.foods
    assert len(foods) <= max_foods
    check_portions(foods)
    # Energy within the room: the given one, or what the target leaves free (>= 300).
    target_kcal = targets_for_profile(profile).energy.kcal
    mean_kcal = sum(day_intake(d, "energy_kcal") for d in days) / len(days)
    room = kcal_room if kcal_room is not None else max(300.0, round(target_kcal - mean_kcal))
    assert addon.kcal_room == pytest.approx(room)
    assert amount(foods, "energy_kcal") <= room + 1e-6
    # No day pushed past a UL that applies to food (unknown counted high for the add-on),
    # unless the diary itself comes within 5% of it: then the add-on adds at most 5% of it.
    table = targets_for_profile(profile).table
    for nid, on in UL_ON.items():
        ul = table.loc[nid, "ul"]
        assert bool(table.loc[nid, "ul_applies_to_food"]) and not math.isnan(ul)
        extra = amount(foods, on, for_limits=True)
        highest = max(day_intake(day, on) for day in days)
        if ul - highest >= FLOOR_SHARE * ul:
            assert highest + extra <= ul + 1e-6 * ul or extra <= 1e-9, (nid, highest, extra, ul)
        else:
            assert extra <= FLOOR_SHARE * ul * (1 + 1e-6), (nid, highest, extra, ul)


def test_addon_keeps_fortified_niacin_within_its_ul(folder):
    # The niacin UL (35 mg for adults) covers nicotinic acid from fortified foods and
    # supplements; plan.limits_for applies it to the niacin of fortified foods. The add-on
    # alone, with no diary niacin from fortified foods at all, should stay within it.
    report = report_for(
        folder / "niacin.csv", [{"18069": 100, "09003": 150, "04053": 20}], Profile(30, "male")
    )
    addon = suggest_addon(report, max_foods=1, explain=False)
    fortified = addon.foods[addon.foods["food_id"].isin(FORTIFIED)]
    ul = targets_for_profile(Profile(30, "male")).table.loc["niacin_mg", "ul"]
    assert amount(fortified, "niacin_mg", for_limits=True) <= ul


# --- kidney disease and diuretics -----------------------------------------------------


def potassium_per_portion(food_id: str) -> float:
    return portion_grams(food_id) * per_100(food_id, "potassium_mg", for_limits=True) / 100.0


def test_kidney_disease(poor_report, unrestricted_ranked):
    assert "potassium_mg" in set(poor_report.gaps["nutrient"])
    assert "potassium_mg" in set(unrestricted_ranked["nutrient"])
    dense = {f for f in ARTICLE.index if potassium_per_portion(f) > POTASSIUM_DENSE_MG}
    assert dense & set(unrestricted_ranked["food_id"])
    restrictions = Restrictions(kidney_disease=True)
    ranked = rank_foods(poor_report, restrictions, limit=200)
    assert not ranked.empty
    assert "potassium_mg" not in set(ranked["nutrient"])
    assert not dense & set(ranked["food_id"])
    addon = suggest_addon(poor_report, restrictions, max_foods=6)
    assert not addon.foods.empty
    assert not dense & set(addon.foods["food_id"])
    assert "potassium_mg" not in addon.closes.index
    assert not addon.closes.empty
    kidney = [n for n in addon.notes if "kidney" in n.lower()]
    assert kidney
    assert "potassium" in kidney[0].lower()
    assert "doctor" in kidney[0].lower()
    assert "advice" in kidney[0].lower()
    assert not any("prescriber" in n for n in addon.notes)


def test_diuretics_note(magnesium_report):
    addon = suggest_addon(magnesium_report, Restrictions(on_diuretics=True))
    assert any("prescriber" in n.lower() and "diuretic" in n.lower() for n in addon.notes)
    plain = suggest_addon(magnesium_report)
    assert not any("prescriber" in n.lower() for n in plain.notes)
    # The note is advice only: the add-on itself does not change.
    assert list(addon.foods["food_id"]) == list(plain.foods["food_id"])


# --- nothing to close ------------------------------------------------------------------


def test_no_gaps(folder):
    report = report_for(folder / "full.csv", [{**MAGNESIUM_DAY, "12014": 60}])
    assert report.gaps.empty
    addon = suggest_addon(report)
    assert addon.no_gaps
    assert addon.status == "no_gaps"
    assert addon.foods.empty
    assert addon.closes.empty
    assert rank_foods(report).empty
