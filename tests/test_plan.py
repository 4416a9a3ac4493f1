"""Meal plans, re-checked independently from the food files.

Every check recomputes from ``foods/foods.csv``, ``foods/portions.csv`` and
``foods/article_foods.csv`` read directly with pandas: grams from the portion table, day
totals from per-100 g values (unknown counted as 0 towards a target), and limits with an
unknown value counted as the 95th percentile of the food's USDA food group, as
:mod:`planner.candidates` documents. The plan's own totals are only compared with these.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pandas as pd
import pytest
from oracle import ARTICLE, FOODS, NUTRIENTS, amount, per_100, portion_grams

from planner.candidates import POTASSIUM_DENSE_MG, Restrictions
from planner.errors import DataFileError
from planner.plan import (
    MAX_MEALS_PER_FOOD,
    MAX_PORTIONS_PER_MEAL,
    MEAL_FOODS,
    MEAL_SHARES,
    STEPS_PER_PORTION,
    PlanError,
    plan_days,
    plan_json,
    read_prices,
    totals_frame,
)
from planner.targets import Profile, targets_for_profile

PANEL = [
    "protein_g", "magnesium_mg", "potassium_mg", "calcium_mg", "vitamin_d_ug", "thiamin_mg",
    "riboflavin_mg", "niacin_mg", "vitamin_b6_mg", "folate_dfe_ug", "vitamin_b12_ug",
]  # fmt: skip
TOL = 1e-6

R = Restrictions
# (profile, restrictions, extra plan_days arguments)
CASES = {
    "boy 4": (Profile(4, "male"), R(), {}),
    "girl 7 vegetarian": (Profile(7, "female"), R(vegetarian=True), {}),
    "girl 11": (Profile(11, "female"), R(), {}),
    "boy 16 no fish": (Profile(16, "male"), R(no_fish=True), {}),
    "pregnant 25": (Profile(25, "female", pregnant=True), R(), {}),
    "lactating 33 no dairy": (Profile(33, "female", lactating=True), R(no_dairy=True), {}),
    "woman 45": (Profile(45, "female"), R(), {}),
    "man 30 vegan": (Profile(30, "male"), R(vegan=True), {}),
    "woman 60 vegetarian": (Profile(60, "female"), R(vegetarian=True), {}),
    "man 70 no dairy": (Profile(70, "male"), R(no_dairy=True), {}),
    "man 80": (Profile(80, "male"), R(), {}),
    "man 52 no nuts no gluten": (Profile(52, "male"), R(no_nuts=True, no_gluten=True), {}),
    "lactating 19 vegetarian no fish": (
        Profile(19, "female", lactating=True),
        R(vegetarian=True, no_fish=True),
        {},
    ),
    # A woman over 70 (1,200 mg calcium, 20 µg vitamin D in 1,800 kcal) is slow to prove
    # optimal; a short time limit gives the best plan found, which must still be valid.
    "woman 80 time limit": (Profile(80, "female"), R(), {"time_limit": 2.0}),
}


# --- independent recomputation --------------------------------------------------------


def meal_kind(meal: str) -> str:
    return "snack" if meal.startswith("snack") else meal


def check_day(plan, day, label: str = "") -> None:
    """Every rule of a planned day, recomputed from the food files."""
    table = targets_for_profile(plan.profile).table
    foods = day.foods
    assert not foods.empty, label
    assert not foods.duplicated(["meal", "food_id"]).any()
    # grams = portions x the typical portion's grams (portions.csv, the article's seq)
    for r in foods.itertuples():
        assert r.food_id in ARTICLE.index
        assert r.grams == pytest.approx(r.portions * portion_grams(r.food_id)), r.name
        steps = r.portions * STEPS_PER_PORTION
        assert steps == pytest.approx(round(steps)), r.name
        assert 0 < r.portions <= MAX_PORTIONS_PER_MEAL + 1e-9, r.name
        assert meal_kind(r.meal) in ARTICLE.loc[r.food_id, "meals"].split(";"), (r.meal, r.name)
    # day totals recomputed from per-100 g values
    totals = {n: amount(foods, n) for n in NUTRIENTS}
    for n in NUTRIENTS:
        assert day.totals[n] == pytest.approx(totals[n], rel=1e-9, abs=1e-9), n
    # targets: met on an optimal day; otherwise every miss is reported
    missed = [n for n in PANEL if totals[n] < table.loc[n, "target"] - TOL]
    kcal = plan.targets.energy.kcal
    energy_ok = abs(totals["energy_kcal"] - kcal) <= 0.05 * kcal + TOL
    if day.status in ("optimal", "time_limit"):
        assert missed == [], (label, missed)
        assert energy_ok, (label, totals["energy_kcal"], kcal)
    else:
        assert day.status == "relaxed"
        assert missed, label
        assert set(missed) <= set(day.shortfall.index)
        assert set(missed) <= set(plan.unreachable.index)
        for n in missed:
            assert day.shortfall[n] == pytest.approx(table.loc[n, "target"] - totals[n])
        if not energy_ok:
            assert "energy_kcal" in day.shortfall.index
    # limits, hard on every day, with unknown values counted high
    limits = {n: amount(foods, n, for_limits=True) for n in NUTRIENTS}
    for n in ("calcium_mg", "vitamin_d_ug", "vitamin_b6_mg"):
        assert limits[n] <= table.loc[n, "ul"] + TOL, (label, n, limits[n])
    assert limits["folic_acid_ug"] <= table.loc["folate_dfe_ug", "ul"] + TOL, label
    assert limits["sodium_mg"] <= table.loc["sodium_mg", "cdrr"] + TOL, label
    fortified = foods[foods["food_id"].map(ARTICLE["family"]).eq("fortified_foods")]
    niacin_ul = table.loc["niacin_mg", "ul"]
    assert amount(fortified, "niacin_mg", for_limits=True) <= niacin_ul + TOL, label
    # meals: number of foods, energy share (not on relaxed days), variety
    for meal in plan.meals:
        rows = foods[foods["meal"].eq(meal)]
        fewest, most = MEAL_FOODS[meal_kind(meal)]
        assert fewest <= len(rows) <= most, (label, meal, len(rows))
        assert rows["family"].is_unique, (label, meal)
        if day.status != "relaxed":
            low, high = MEAL_SHARES[meal_kind(meal)]
            share = amount(rows, "energy_kcal") / kcal
            assert low - TOL <= share <= high + TOL, (label, meal, share)
    assert set(foods["meal"]) <= set(plan.meals)
    for food_id, rows in foods.groupby("food_id"):
        assert len(rows) <= MAX_MEALS_PER_FOOD, (label, food_id)
        assert not {"lunch", "dinner"} <= set(rows["meal"]), (label, food_id)
    # restrictions
    check_restrictions(foods["food_id"], plan.restrictions)


def check_restrictions(food_ids, restrictions: Restrictions) -> None:
    tags = ARTICLE.loc[list(food_ids)]
    if restrictions.vegan:
        assert tags["vegan"].eq(1).all()
    if restrictions.vegetarian:
        assert tags["vegetarian"].eq(1).all()
    for flag, column in (("no_dairy", "dairy"), ("no_nuts", "nuts"), ("no_fish", "fish"),
                         ("no_gluten", "gluten")):  # fmt: skip
        if getattr(restrictions, flag):
            assert tags[column].eq(0).all(), flag
    if restrictions.kidney_disease:
        for food_id in food_ids:
            potassium = portion_grams(food_id) * per_100(food_id, "potassium_mg", True) / 100
            assert potassium <= POTASSIUM_DENSE_MG, food_id


# --- plans for many people ------------------------------------------------------------


@pytest.fixture(scope="module")
def plans():
    cache: dict = {}

    def get(case: str):
        if case not in cache:
            profile, restrictions, extra = CASES[case]
            cache[case] = plan_days(profile, restrictions=restrictions, **extra)
        return cache[case]

    return get


def test_article_portion_grams_match_the_portion_table():
    for food_id, row in ARTICLE.iterrows():
        assert row["portion_grams"] == pytest.approx(portion_grams(food_id)), food_id
        assert food_id in FOODS.index


@pytest.mark.parametrize("case", list(CASES))
def test_plan_meets_every_rule(plans, case):
    plan = plans(case)
    assert len(plan.days) == 1
    day = plan.days[0]
    assert day.status in ("optimal", "time_limit", "relaxed")
    check_day(plan, day, case)
    if day.status == "relaxed":
        assert plan.status == "relaxed"
    else:
        assert plan.status == "ok"
        assert plan.unreachable.empty


def test_the_cases_cover_what_they_claim(plans):
    ages = [CASES[c][0].age for c in CASES]
    assert min(ages) == 4 and max(ages) == 80
    assert {CASES[c][0].sex for c in CASES} == {"female", "male"}
    assert any(CASES[c][0].pregnant for c in CASES)
    assert any(CASES[c][0].lactating for c in CASES)
    for flag in ("vegetarian", "vegan", "no_dairy", "no_fish"):
        assert any(getattr(CASES[c][1], flag) for c in CASES), flag
    # Most of them give a plan that meets every target.
    met = [c for c in CASES if plans(c).days[0].status in ("optimal", "time_limit")]
    assert len(met) >= len(CASES) - 2


def test_vegan_plan_says_what_vitamin_d_needs(plans):
    plan = plans("man 30 vegan")
    assert plan.days[0].status == "relaxed"
    assert "vitamin_d_ug" in plan.unreachable.index
    help_text = plan.unreachable.loc["vitamin_d_ug", "what_would_help"]
    assert "health professional" in help_text
    assert "fatty fish" in help_text or "fortified" in help_text


def test_totals_frame_and_json_agree_with_the_plan(plans):
    plan = plans("woman 45")
    frame = totals_frame(plan)
    day = plan.days[0]
    for n in PANEL:
        assert frame.loc[n, "total"] == pytest.approx(amount(day.foods, n))
        assert bool(frame.loc[n, "meets_target"])
    assert frame["within_limit"].all()
    data = json.loads(json.dumps(plan_json(plan)))
    assert data["status"] == "ok"
    assert len(data["days"]) == 1
    listed = [f["id"] for m in data["days"][0]["meals"] for f in m["foods"]]
    assert sorted(listed) == sorted(day.foods["food_id"])
    assert [m["meal"] for m in data["days"][0]["meals"]] == list(plan.meals)


# --- seeds and several days -----------------------------------------------------------


def test_same_seed_same_plan(plans):
    first = plans("woman 45")
    again = plan_days(Profile(45, "female"), seed=0)
    pd.testing.assert_frame_equal(first.days[0].foods, again.days[0].foods)
    pd.testing.assert_series_equal(first.days[0].totals, again.days[0].totals)


def test_seven_days():
    profile = Profile(25, "female", pregnant=True)
    plan = plan_days(profile, days=7, seed=5)
    assert len(plan.days) == 7
    for number, day in enumerate(plan.days, start=1):
        assert day.status in ("optimal", "time_limit")
        check_day(plan, day, f"day {number}")
    sets = [frozenset(day.foods["food_id"]) for day in plan.days]
    for (i, a), (j, b) in itertools.combinations(enumerate(sets, start=1), 2):
        assert a != b, f"days {i} and {j} use the same foods: {sorted(a)}"
    # Each food on at most ceil(7 / 2) = 4 days unless the plan says it reuses foods.
    if not any("reuses foods" in n for n in plan.notes):
        days_per_food = pd.Series([f for s in sets for f in s]).value_counts()
        assert days_per_food.max() <= 4


def test_days_differ_in_foods_not_only_in_meals():
    plan = plan_days(Profile(30, "male"), days=4, max_days_per_food=4)
    sets = [frozenset(day.foods["food_id"]) for day in plan.days]
    assert len(set(sets)) == len(sets)


def test_infeasible_profile_is_relaxed_and_explained():
    restrictions = Restrictions(vegan=True, no_nuts=True, kidney_disease=True)
    plan = plan_days(Profile(30, "male"), restrictions=restrictions)
    day = plan.days[0]
    assert day.status == "relaxed"
    assert plan.status == "relaxed"
    assert not day.foods.empty
    check_day(plan, day, "vegan no nuts kidney")
    table = targets_for_profile(plan.profile).table
    for n in ("vitamin_d_ug", "vitamin_b12_ug"):
        assert n in plan.unreachable.index
        row = plan.unreachable.loc[n]
        assert row["target"] == table.loc[n, "target"]
        assert row["best"] == pytest.approx(amount(day.foods, n))
        assert row["best"] < row["target"]
        assert row["what_would_help"]
    assert "health professional" in plan.unreachable.loc["vitamin_d_ug", "what_would_help"]
    assert any("kidney" in n.lower() and "potassium" in n.lower() for n in plan.notes)


def test_portions_are_exact_half_steps():
    restrictions = Restrictions(vegan=True, no_nuts=True, kidney_disease=True)
    plan = plan_days(Profile(30, "male"), restrictions=restrictions)
    steps = plan.days[0].foods["portions"] * STEPS_PER_PORTION
    assert (steps == steps.round()).all(), steps.tolist()


# --- prices ---------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_read_prices(tmp_path):
    path = write(
        tmp_path / "prices.csv",
        "\ufeffFood_ID, Price\n8077,0.45\n 12014 ,1.20\n09040,0\n",
    )
    prices = read_prices(path)
    assert prices.to_dict() == {"08077": 0.45, "12014": 1.2, "09040": 0.0}
    assert prices.dtype == float


@pytest.mark.parametrize(
    ("text", "row", "column", "words"),
    [
        ("food_id,cost\n08077,1\n", 1, None, "food_id and price"),
        ("id,price\n08077,1\n", 1, None, "food_id and price"),
        ("food_id,price\n08077,1\n12014,abc\n", 3, "price", "not a number"),
        ("food_id,price\n08077,-1\n", 2, "price", "0 or more"),
        ("food_id,price\n08077,nan\n", 2, "price", "0 or more"),
        ("food_id,price\n08077,inf\n", 2, "price", "0 or more"),
        ("food_id,price\n08077,\n", 2, "price", "not a number"),
        ("", None, None, "cannot read"),
    ],
)
def test_bad_prices_files(tmp_path, text, row, column, words):
    path = write(tmp_path / "prices.csv", text)
    with pytest.raises(DataFileError) as info:
        read_prices(path)
    assert info.value.row == row
    assert info.value.column == column
    assert words in str(info.value)
    assert str(path) in str(info.value)


def test_missing_prices_file_raises(tmp_path):
    with pytest.raises((DataFileError, FileNotFoundError)):
        read_prices(tmp_path / "nowhere.csv")


def test_priced_plan_uses_only_priced_foods(tmp_path):
    # Price everything but the nuts and avocados, by the file's row number.
    priced = [f for f in ARTICLE.index if ARTICLE.loc[f, "family"] not in ("nuts", "avocados")]
    lines = [f"{f},{0.2 + (i % 7) * 0.15:.2f}" for i, f in enumerate(priced)]
    prices = read_prices(write(tmp_path / "prices.csv", "food_id,price\n" + "\n".join(lines)))
    assert set(prices.index) == set(priced)
    plan = plan_days(Profile(45, "female"), prices=prices)
    day = plan.days[0]
    assert day.status in ("optimal", "time_limit")
    assert set(day.foods["food_id"]) <= set(priced)
    check_day(plan, day, "priced")
    unpriced = len(ARTICLE) - len(priced)
    assert any(f"{unpriced} candidate foods have no price" in n for n in plan.notes)


def test_prices_that_name_no_candidate(tmp_path):
    prices = read_prices(write(tmp_path / "prices.csv", "food_id,price\n01001,1\n"))
    with pytest.raises(PlanError, match="no candidate food has a price"):
        plan_days(Profile(45, "female"), prices=prices)
