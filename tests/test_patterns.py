"""Meal patterns and the Dietary Guidelines food patterns, checked against their files."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from oracle import DATA, dga_targets

from planner.patterns import (
    GROUPS,
    food_pattern,
    legume_split,
    meal_patterns,
    pattern_level,
    roles_for,
)

REFERENCE = Path("/work/shared/reference/dga-food-patterns.csv")


def test_the_pattern_file_is_the_reference_copy():
    if not REFERENCE.exists():
        pytest.skip("the project's reference folder is not here")
    assert filecmp.cmp(DATA / "dga_food_patterns.csv", REFERENCE, shallow=False)


def test_meal_patterns_say_what_the_issue_asks():
    patterns = meal_patterns()
    assert set(patterns) == {"breakfast", "lunch", "dinner", "snack", "day"}
    breakfast = {s.name: s for s in patterns["breakfast"]}
    assert breakfast["grain or cereal"].min == 1
    assert breakfast["dairy or protein food"].fills == {"dairy", "protein"}
    assert breakfast["fruit"].min == 1
    for meal in ("lunch", "dinner"):
        slots = {s.name: s for s in patterns[meal]}
        assert slots["protein food"].min == 1
        assert slots["vegetable"].min == 1
        assert slots["grain or starch"].fills == {"grain", "starch"}
        assert slots["nuts or seeds"].max == 1
    for meal in ("breakfast", "lunch", "dinner"):
        every = next(s for s in patterns[meal] if "*" in s.fills)
        assert (every.min, every.max) == (2, 6)
    assert roles_for("snack") == {"fruit", "dairy", "nuts_seeds"}
    day = {s.name: s for s in patterns["day"]}
    assert day["fruit"].min == 1


@pytest.mark.parametrize(
    ("kcal", "level"),
    [(800, 1000), (1000, 1000), (1099, 1000), (1100, 1000), (1101, 1200), (2000, 2000),
     (2340, 2400), (2300, 2200), (3200, 3200), (3600, 3200)],
)  # fmt: skip
def test_pattern_level_is_the_nearest(kcal, level):
    assert pattern_level(kcal) == level


@pytest.mark.parametrize("kcal", [1000, 1400, 1800, 2000, 2400, 2800, 3200])
@pytest.mark.parametrize("vegetarian", [False, True])
def test_group_targets_agree_with_the_files(kcal, vegetarian):
    pattern = food_pattern(kcal, 40, vegetarian=vegetarian)
    expected = dga_targets(kcal, 40, vegetarian, True)
    for group in GROUPS:
        target = pattern.groups[group]
        low, high, amount = expected[group]
        assert (target.minimum, target.maximum, target.amount) == pytest.approx(
            (low, high, amount)
        ), group


def test_children_keep_their_dairy_and_dairy_can_be_optional():
    assert food_pattern(1600, 6, vegetarian=False).groups["dairy"].amount == 2.5
    assert food_pattern(1400, 3, vegetarian=False).groups["dairy"].amount == 2.0
    assert food_pattern(1800, 12, vegetarian=False).groups["dairy"].amount == 3.0
    optional = food_pattern(2000, 40, vegetarian=True, dairy_required=False).groups["dairy"]
    assert optional.minimum == 0 and optional.maximum > 0 and not optional.required


def test_outside_the_levels_there_is_a_note_and_a_wider_maximum():
    high = food_pattern(3800, 17, vegetarian=False)
    assert high.level == 3200 and "outside" in high.note
    normal = food_pattern(3200, 17, vegetarian=False)
    assert high.groups["grains"].maximum > normal.groups["grains"].maximum
    assert food_pattern(900, 3, vegetarian=False).level == 1000


def test_legume_split_keeps_both_groups_in_range_when_it_can():
    p = food_pattern(2000, 45, vegetarian=False)
    veg, protein = p.groups["vegetables"], p.groups["protein_foods"]
    # protein foods first, up to the pattern's amount; the rest counts as vegetables
    assert legume_split({"vegetables": 2.5, "protein_foods": 5.5}, 1.0, p) == 1.0
    assert legume_split({"vegetables": 2.5, "protein_foods": 1.5}, 1.0, p) == 0.0
    # too few vegetables otherwise: move legumes there while protein foods stay in range
    a = legume_split({"vegetables": 1.5, "protein_foods": 5.5}, 1.0, p)
    assert 1.5 + a >= veg.minimum - 1e-9
    assert 5.5 + 4 * (1.0 - a) >= protein.minimum - 1e-9


def test_the_readme_shows_the_meal_patterns_file():
    import csv

    readme = (DATA.parents[1] / "README.md").read_text(encoding="utf-8")
    with (DATA / "meal_patterns.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            fills = (
                "any role"
                if row["fills"] == "*"
                else ", ".join(
                    "nuts and seeds" if f == "nuts_seeds" else f for f in row["fills"].split(";")
                )
            )
            low, high = row["min"] or "0", row["max"]
            span = low if low == high else (f"{low}-{high}" if high else f"at least {low}")
            assert f"| {row['meal']} | {row['slot']} | {fills} | {span} |" in readme, row
