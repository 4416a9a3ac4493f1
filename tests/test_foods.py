"""Integrity of the bundled food table, its portions and the article's foods."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from planner import nutrients as registry
from planner.errors import DataFileError, UnknownName
from planner.foods import (
    DIET_TAGS,
    FAMILIES,
    MEALS,
    load_article_foods,
    load_foods,
    load_fped,
    load_portions,
    load_provenance,
    search_foods,
)


@pytest.fixture(scope="module")
def foods():
    return load_foods()


@pytest.fixture(scope="module")
def portions():
    return load_portions()


def test_every_usda_food_is_there_once(foods):
    assert len(foods) == 8789 + 5431
    assert foods["source"].value_counts().to_dict() == {"sr28": 8789, "fndds": 5431}
    assert foods["food_id"].is_unique
    sr28 = foods["source"] == "sr28"
    assert foods.loc[sr28, "food_id"].str.fullmatch(r"\d{5}").all()
    assert foods.loc[~sr28, "food_id"].str.fullmatch(r"\d{8}").all()
    assert foods.index.equals(pd.Index(foods["food_id"]))


def test_columns_are_the_registry(foods):
    expected = {
        "food_id", "source", "description", "common_name", "additional_description",
        "food_group", "wweia_code", "manufacturer", "survey",
    }  # fmt: skip
    assert set(foods.columns) == expected | set(registry.ids())
    for nid in registry.ids():
        assert foods[nid].dtype == "float64", nid


@pytest.mark.parametrize(
    ("food_id", "values"),
    [  # the sanity values of ../shared/usda-fndds-2021-2023/SOURCE.md, per 100 g
        ("11112110", {"magnesium_mg": 12, "potassium_mg": 159, "calcium_mg": 126,
                      "vitamin_d_ug": 1.1, "vitamin_b12_ug": 0.55}),
        ("63107010", {"magnesium_mg": 28, "potassium_mg": 326, "calcium_mg": 5}),
        ("72125100", {"magnesium_mg": 93, "potassium_mg": 582, "calcium_mg": 68}),
        ("43101150", {"magnesium_mg": 550, "potassium_mg": 788, "calcium_mg": 52}),
    ],
)  # fmt: skip
def test_fndds_sanity_values(foods, food_id, values):
    assert foods.loc[food_id, "source"] == "fndds"
    for nutrient, value in values.items():
        assert foods.loc[food_id, nutrient] == pytest.approx(value), nutrient


def test_fndds_values_are_complete_and_described(foods):
    fndds = foods[foods["source"] == "fndds"]
    assert fndds[list(registry.ids())].notna().all().all()
    assert fndds["wweia_code"].str.fullmatch(r"\d{4}").all()
    assert fndds["food_group"].ne("").all()
    assert fndds["wweia_code"].nunique() >= 150
    # USDA's synonyms, brands and forms: the richest diary vocabulary there is
    assert (fndds["additional_description"] != "").sum() >= 3800
    assert fndds["survey"].all()


def test_fped_covers_the_shared_food_codes(foods):
    from planner.foodgroups import ids

    fped = load_fped()
    assert len(fped) == 5028  # of 5,431 FNDDS foods; the other 403 are newer codes
    assert fped.index.isin(foods.index[foods["source"] == "fndds"]).all()
    assert list(fped.columns) == list(ids())
    assert fped.notna().all().all()
    assert not (fped < 0).any().any()
    assert fped.loc["72125100", "v_drkgr"] == pytest.approx(1.43)  # raw spinach
    assert fped.loc["11112110", "d_total"] > 0  # 2% milk counts as dairy
    assert fped.loc["63107010", "f_total"] > 0  # banana counts as fruit
    # FPED's vegetable total leaves beans, peas and lentils out (they are V_LEGUMES, and
    # PF_LEGUMES as protein): the other four subgroups add up to it
    parts = fped[["v_drkgr", "v_redor_total", "v_starchy_total", "v_other"]]
    assert (parts.sum(axis=1) - fped["v_total"]).abs().max() < 0.02
    assert fped.loc["41311000", "v_total"] == 0 and fped.loc["41311000", "v_legumes"] > 0


@pytest.mark.parametrize(
    ("food_id", "nutrient", "value"),
    [
        ("09040", "potassium_mg", 358.0),  # Bananas, raw
        ("12014", "magnesium_mg", 592.0),  # Pumpkin and squash seed kernels, dried
        ("11457", "calcium_mg", 99.0),  # Spinach, raw
        ("11457", "folate_dfe_ug", 194.0),
        ("15237", "vitamin_d_ug", 13.1),  # Salmon, Atlantic, farmed, cooked, dry heat
        ("01079", "vitamin_b12_ug", 0.53),  # Milk, 2%, with added vitamins A and D
        ("09040", "energy_kcal", 89.0),
    ],
)
def test_known_values_per_100_g(foods, food_id, nutrient, value):
    assert foods.loc[food_id, nutrient] == pytest.approx(value)


def test_leading_zeros_are_kept(foods):
    assert foods.loc["01001", "description"] == "Butter, salted"


def test_unknown_stays_missing_not_zero(foods):
    # SR28 has neither nutrient 328 nor 324 for caraway cheese: unknown, not zero.
    assert math.isnan(foods.loc["01008", "vitamin_d_ug"])
    # Coverage matches USDA's own counts (SR28 documentation, Table 1).
    sr28 = foods[foods["source"] == "sr28"]
    assert sr28["magnesium_mg"].notna().sum() == 8050
    assert sr28["potassium_mg"].notna().sum() == 8363
    assert sr28["folate_dfe_ug"].notna().sum() == 6732
    assert not (foods[list(registry.ids())] < 0).any().any()


def test_vitamin_d_falls_back_to_iu_over_40(foods):
    prov = load_provenance()["sources"]["sr28"]
    assert "51 foods" in prov["derived_values"]["vitamin_d_ug"]
    sr28 = foods[foods["source"] == "sr28"]
    assert sr28["vitamin_d_ug"].notna().sum() == 5578  # 5,527 in µg + 51 from IU


def test_portions_are_every_weight_row(portions, foods):
    sr28 = portions["food_id"].str.len() == 5
    assert sr28.sum() == 15438
    # FNDDS: 22,046 rows less human milk's three (no nutrient row; one of zero weight)
    assert (~sr28).sum() == 22046 - 3
    assert portions["food_id"].isin(foods.index).all()
    assert portions.loc[sr28, "food_id"].nunique() == 8492
    assert portions.loc[~sr28, "food_id"].nunique() == 5394  # 37 FNDDS foods have none
    assert (portions["grams"] > 0).all()
    default = portions["measure"] == "Quantity not specified"
    assert default.sum() == 5326 - 1
    banana = portions[portions.food_id == "09040"].set_index("measure")["grams"]
    assert banana['medium (7" to 7-7/8" long)'] == 118.0


def test_provenance_names_release_checksums_and_citation():
    both = load_provenance()
    assert both["foods_by_source"] == {"sr28": 8789, "fndds": 5431}
    assert "403" in both["fped"]
    fndds = both["sources"]["fndds"]
    assert fndds["release_short"] == "FNDDS 2021-2023"
    assert fndds["foods_without_nutrient_row"] == ["11000000"]
    assert fndds["foods_without_fped"] == 403
    assert fndds["source_files"]["FPED_1718.csv"]["sha256"] == (
        "d74a7a41cfa2a0234e43c031e35bf6e85c071913c8d62252949224f4977d170d"
    )
    prov = both["sources"]["sr28"]
    assert prov["release_short"] == "SR28"
    assert prov["release_date"] == "September 2015"
    assert "Release 28" in prov["citation"]
    files = prov["source_files"]
    assert files["NUT_DATA.txt"]["sha256"] == (
        "8b86e1d65bfa581e503fdafd16ce41fc04e7e4b00498c3888a04ec0c8f846759"
    )
    assert all(len(f["sha256"]) == 64 for f in files.values())
    json.dumps(prov)


def test_loader_rejects_unknown_bundled_name():
    with pytest.raises(UnknownName, match="valid food tables: usda"):
        load_foods("sr27")


def test_loader_reads_a_users_own_folder(tmp_path):
    with pytest.raises(DataFileError, match=r"foods\.csv"):
        load_foods(tmp_path)


def test_search_ranks_the_generic_food_first_and_lists_both_sources():
    hits = search_foods("banana raw", limit=2)
    assert set(hits["food_id"]) == {"09040", "63107010"}
    assert set(hits["source"]) == {"sr28", "fndds"}
    assert search_foods("pumpkin seed kernels dried")["food_id"].iloc[0] == "12014"
    assert search_foods("no such food xyzzy").empty
    # FNDDS's additional descriptions are searched too (brand and common names)
    assert "Egg McMuffin" in " ".join(search_foods("mcmuffin")["additional_description"])


# --- the article's foods -------------------------------------------------------------


@pytest.fixture(scope="module")
def article():
    return load_article_foods()


def test_article_foods_cover_every_family(article):
    assert len(article) >= 60
    assert article["food_id"].is_unique
    counts = article["family"].value_counts()
    assert set(counts.index) == set(FAMILIES)
    # avocados and bananas have few distinct SR28 entries; every other family has several
    for family in FAMILIES:
        assert counts[family] >= (2 if family in ("avocados", "bananas") else 5), family


def test_article_food_ids_exist(article, foods):
    missing = sorted(set(article["food_id"]) - set(foods.index))
    assert missing == []


def test_article_portions_match_the_portion_table(article, portions):
    keyed = portions.set_index(["food_id", "seq"])
    for row in article.itertuples():
        p = keyed.loc[(row.food_id, row.portion_seq)]
        assert p["measure"] == row.portion_measure, row.food_id
        assert p["amount"] == pytest.approx(row.portion_amount), row.food_id
        assert p["grams"] == pytest.approx(row.portion_grams), row.food_id


def test_article_meals_and_tags(article):
    for meals in article["meals"]:
        assert meals and set(meals) <= set(MEALS)
    for meal in MEALS:
        assert sum(meal in m for m in article["meals"]) >= 10, meal
    for tag in DIET_TAGS:
        assert article[tag].dtype == bool
    # vegan foods contain no dairy or fish; fish and dairy foods are not vegan
    assert not (article["vegan"] & (article["dairy"] | article["fish"])).any()
    assert not (article["vegetarian"] & article["fish"]).any()
    assert (article.loc[article.family == "fatty_fish", "fish"]).all()
    assert (article.loc[article.family == "dairy", "dairy"]).all()


def test_article_cooked_forms_where_people_eat_them_cooked(article):
    descriptions = article["description"].str.lower()
    assert descriptions.str.contains("spinach, raw").any()
    assert descriptions.str.contains("spinach, cooked").any()
    assert descriptions.str.contains("lentils").any()
    assert descriptions[article.family == "fatty_fish"].str.contains("cooked|canned").any()
