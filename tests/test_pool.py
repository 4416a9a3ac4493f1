"""The plan pool: every FNDDS food accounted for, roles, portions, families and diet tags.

The tag examples are foods whose make-up a reader can check on the label or in FNDDS's
ingredients; when a tag cannot be known from the data the pool errs on "contains".
"""

from __future__ import annotations

import pandas as pd
import pytest
from oracle import (
    CATEGORIES,
    FOOD_TEXT,
    FPED,
    SR28_PLAN,
    article_family_of,
    food_role,
    fped_of,
    measure_is_household,
    plan_grams,
)

from planner.pool import (
    GROUP_COLUMNS,
    display_name,
    fndds_accounting,
    fped_per_100,
    pool_foods,
    pool_rules,
    pool_summary,
)


@pytest.fixture(scope="module")
def pool():
    return pool_foods()


def test_every_fndds_food_is_accounted_for():
    accounting = fndds_accounting()
    summary = pool_summary()
    fndds = FOOD_TEXT[FOOD_TEXT["source"].eq("fndds")]
    assert len(accounting) == len(fndds) == summary["fndds_foods"] == 5431
    left = sum(summary["fndds_left_out"].values())
    assert left + summary["fndds_in_pool"] + summary["fndds_no_portion"] == len(fndds)
    assert summary["fndds_in_pool"] > 600


def test_every_wweia_category_is_curated():
    codes = set(FOOD_TEXT.loc[FOOD_TEXT["source"].eq("fndds"), "wweia_code"])
    assert codes == set(CATEGORIES.index)
    kept = CATEGORIES[CATEGORIES["role"].ne("")]
    assert set(kept["role"]) <= {"grain", "starch", "protein", "dairy", "vegetable", "fruit",
                                 "nuts_seeds"}  # fmt: skip
    assert (CATEGORIES.loc[CATEGORIES["role"].eq(""), "note"] != "").all()


@pytest.mark.parametrize(
    "code",
    ["9002", "9402", "9802", "7502", "7506", "8002", "8012", "8802", "8406", "3602", "5702"],
)
def test_what_no_one_plans_a_meal_around_is_left_out(pool, code):
    # baby food, formula, supplements, alcohol, plain fats, sugars, condiments, pizza, candy
    assert CATEGORIES.loc[code, "role"] == ""
    assert not pool["wweia_code"].eq(code).any()


def test_roles_agree_with_the_curation_files(pool):
    for food_id, role in pool["role"].items():
        assert food_role(food_id) == role, food_id
    assert pool.loc["73405010", "role"] == "starch"  # sweet potato, boiled
    assert pool.loc["63107010", "role"] == "fruit"


def test_portions_are_household_measures(pool):
    for r in pool.itertuples():
        assert measure_is_household(r.food_id, int(r.portion_seq)), r.description
        assert r.portion_grams == pytest.approx(
            plan_grams(r.food_id, int(r.portion_seq), float(r.portion_amount))
        )
    measures = pool["portion_measure"]
    assert not measures.str.contains("Guideline|Quantity not specified").any()
    # a dietitian's portions
    assert pool.loc["51300110", ["portion_amount", "portion_measure"]].tolist() == [2.0, "slice"]
    assert pool.loc["26137120", "portion_grams"] == pytest.approx(85.05, abs=0.01)  # 3 oz
    assert pool.loc["63107010", "portion_measure"] == "medium"  # a banana
    assert pool.loc["31103010", ["portion_amount", "portion_measure"]].tolist() == [2.0, "egg"]


def test_fped_groups_and_their_fill(pool):
    fped = fped_per_100()
    filled = fped[fped["fped_source"].eq("category")]
    missing = FOOD_TEXT.index[FOOD_TEXT["source"].eq("fndds") & ~FOOD_TEXT.index.isin(FPED.index)]
    assert len(missing) == 403
    assert set(filled.index) <= set(missing)
    for food_id in pool.index:
        expected = fped_of(food_id)
        assert expected is not None, food_id
        got = pool.loc[food_id, ["v_total", "v_legumes", "f_total", "g_total", "g_whole",
                                 "d_total", "pf_total"]]  # fmt: skip
        assert got.to_numpy() == pytest.approx(expected.to_numpy().astype(float)), food_id
    assert pool.loc[SR28_PLAN.index, "fped_source"].eq("stand-in").all()
    assert pool_summary()["fped_filled"] == int(
        (pool["source"].eq("fndds") & pool["fped_source"].eq("category")).sum()
    )
    assert pool[list(GROUP_COLUMNS)].notna().all().all()


def test_families(pool):
    for food_id, family in pool["family"].items():
        assert article_family_of(food_id) == family, food_id
    expect = {
        "72125100": "leafy_greens",  # spinach, raw
        "26137120": "fatty_fish",  # salmon, baked
        "51300110": "whole_grains",  # bread, whole wheat
        "51101000": "",  # bread, white
        "11112110": "dairy",  # milk, 2%
        "63107010": "bananas",
        "63105010": "avocados",
        "41102020": "legumes",  # black beans
        "42116000": "nuts",  # walnuts
        "43101150": "seeds",  # pumpkin seeds
        "57123000": "whole_grains",  # cereal, O's: whole grain first, then fortified
        "57134000": "fortified_foods",  # cereal, corn flakes
        "24122131": "",  # chicken breast
    }
    for food_id, family in expect.items():
        if food_id in pool.index:
            assert pool.loc[food_id, "family"] == family, food_id


# (food id, what it is, the tags it must have)
TAG_EXAMPLES = [
    ("11320100", "soy milk, unsweetened", {"vegan": True, "dairy": False, "nuts": False}),
    ("11350020", "almond milk", {"vegan": True, "dairy": False, "nuts": True}),
    ("56203066", "oatmeal made with milk", {"vegan": False, "dairy": True, "gluten": True}),
    ("56203056", "oatmeal made with water", {"vegan": True, "dairy": False, "gluten": True}),
    ("51300110", "whole wheat bread", {"vegan": True, "gluten": True}),
    ("51119010", "challah (egg bread)", {"vegan": False, "vegetarian": True}),
    ("56205018", "brown rice", {"vegan": True, "gluten": False}),
    ("52215100", "corn tortilla", {"gluten": False}),
    ("31103010", "boiled egg", {"vegan": False, "vegetarian": True, "dairy": False}),
    ("26137120", "salmon", {"vegetarian": False, "fish": True}),
    ("24122131", "chicken breast", {"vegetarian": False, "fish": False, "dairy": False}),
    ("14104100", "cheddar", {"vegan": False, "vegetarian": True, "dairy": True}),
    ("14104700", "goat cheese", {"vegetarian": True, "dairy": True}),
    ("42202010", "peanut butter", {"vegan": True, "nuts": True, "dairy": False}),
    ("43101150", "pumpkin seeds", {"vegan": True, "nuts": False}),
    ("71508001", "baked potato, peel eaten", {"vegan": True, "gluten": False}),
    ("41102020", "black beans", {"vegan": True, "gluten": False}),
    ("57123000", "O's cereal (vitamin D from lanolin, oats)", {"vegan": False, "gluten": True}),
]


@pytest.mark.parametrize(("food_id", "what", "tags"), TAG_EXAMPLES)
def test_diet_tags_on_examples(pool, food_id, what, tags):
    assert food_id in pool.index, what
    for tag, value in tags.items():
        assert bool(pool.loc[food_id, tag]) is value, (what, tag)


def test_restrictions_err_on_contains(pool):
    fndds = pool[pool["source"].eq("fndds")]
    animal = fndds["wweia_code"].map(CATEGORIES["animal"])
    assert not fndds.loc[animal.isin(["meat", "poultry", "fish", "shellfish"]), "vegetarian"].any()
    assert not fndds.loc[animal.isin(["dairy", "egg"]), "vegan"].any()
    assert fndds.loc[animal.isin(["fish", "shellfish"]), "fish"].all()
    fped = FPED.reindex(fndds.index)
    assert not fndds.loc[fped["d_total"].fillna(0).gt(0) & ~fndds["wweia_code"].isin(
        ["1902", "1904"]), "vegan"].any()  # fmt: skip
    assert fndds.loc[fped["pf_eggs"].fillna(0).gt(0), "vegan"].eq(False).all()
    # no FPED row: a plant food is not called vegan on its words alone
    unknown = fndds["fped_source"].eq("category")
    assert not fndds.loc[unknown & animal.eq("plant"), "vegan"].any()


def test_display_names_and_rules():
    assert display_name("Spinach, fresh, cooked, no added fat") == "spinach, cooked"
    rules = pool_rules()
    assert all(r["action"] for r in rules.descriptions)
    assert {r["family"] for r in rules.families} == {
        "leafy_greens", "nuts", "seeds", "legumes", "whole_grains", "avocados", "bananas",
        "dairy", "fortified_foods", "fatty_fish",
    }  # fmt: skip


def test_pool_summary_counts_roles(pool):
    summary = pool_summary()
    assert summary["by_role"] == pool["role"].value_counts().to_dict()
    assert summary["sr28_in_pool"] == len(SR28_PLAN) == int(pool["source"].eq("sr28").sum())
    assert pd.Series(summary["fndds_left_out"]).gt(0).all()


def test_the_readme_counts_are_the_pools():
    from pathlib import Path

    readme = " ".join((Path(__file__).parents[1] / "README.md").read_text().split())
    summary = pool_summary()
    total = summary["fndds_in_pool"] + summary["sr28_in_pool"]
    assert f"pool holds {total:,} foods: {summary['fndds_in_pool']:,} FNDDS" in readme
    assert f"`category` ({summary['fped_filled']} of them are in the pool" in readme
