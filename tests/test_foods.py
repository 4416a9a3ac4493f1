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


def test_every_sr28_food_is_there_once(foods):
    assert len(foods) == 8789
    assert foods["food_id"].is_unique
    assert foods["food_id"].str.fullmatch(r"\d{5}").all()
    assert foods.index.equals(pd.Index(foods["food_id"]))


def test_columns_are_the_registry(foods):
    expected = {"food_id", "description", "common_name", "food_group", "manufacturer", "survey"}
    assert set(foods.columns) == expected | set(registry.ids())
    for nid in registry.ids():
        assert foods[nid].dtype == "float64", nid


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
    assert foods["magnesium_mg"].notna().sum() == 8050
    assert foods["potassium_mg"].notna().sum() == 8363
    assert foods["folate_dfe_ug"].notna().sum() == 6732
    assert not (foods[list(registry.ids())] < 0).any().any()


def test_vitamin_d_falls_back_to_iu_over_40(foods):
    prov = load_provenance()
    assert "51 foods" in prov["derived_values"]["vitamin_d_ug"]
    assert foods["vitamin_d_ug"].notna().sum() == 5578  # 5,527 in µg + 51 from IU


def test_portions_are_every_weight_row(portions, foods):
    assert len(portions) == 15438
    assert portions["food_id"].isin(foods.index).all()
    assert portions["food_id"].nunique() == 8492
    assert (portions["grams"] > 0).all()
    banana = portions[portions.food_id == "09040"].set_index("measure")["grams"]
    assert banana['medium (7" to 7-7/8" long)'] == 118.0


def test_provenance_names_release_checksums_and_citation():
    prov = load_provenance()
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
    with pytest.raises(UnknownName, match="valid food tables: sr28"):
        load_foods("sr27")


def test_loader_reads_a_users_own_folder(tmp_path):
    with pytest.raises(DataFileError, match=r"foods\.csv"):
        load_foods(tmp_path)


def test_search_ranks_the_generic_food_first():
    assert search_foods("banana raw", limit=1)["food_id"].tolist() == ["09040"]
    assert search_foods("pumpkin seed kernels dried")["food_id"].iloc[0] == "12014"
    assert search_foods("no such food xyzzy").empty


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
