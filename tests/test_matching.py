"""Food text to food id: the accuracy table, the order of evidence, overrides."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from planner.errors import DataFileError, UnknownFood
from planner.foods import load_foods
from planner.matching import CONFIDENT, FoodMatcher, load_aliases, normalise, read_overrides

TABLE = Path(__file__).parent / "data" / "food_strings.csv"


@pytest.fixture(scope="module")
def matcher():
    return FoodMatcher(load_foods())


def rows():
    with TABLE.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_accuracy_table_is_large_and_valid():
    table = rows()
    assert len(table) >= 60
    foods = load_foods()
    assert all(r["expected_id"] in foods.index for r in table)
    aliases = load_aliases()
    not_aliases = [r for r in table if normalise(r["text"]) not in aliases]
    assert len(not_aliases) >= 30


def test_accuracy_on_the_table(matcher):
    table = rows()
    found = matcher.match([r["text"] for r in table])
    misses = [
        (r["text"], r["expected_id"], found[r["text"]].food_id)
        for r in table
        if found[r["text"]].food_id != r["expected_id"]
    ]
    accuracy = 1 - len(misses) / len(table)
    # 97.0% when measured (tools/measure_matching.py); the bar leaves room for a slip
    assert accuracy >= 0.95, misses
    held_out = [r for r in table if r["note"].startswith("holdout")]
    held_misses = [m for m in misses if m[0] in {r["text"] for r in held_out}]
    assert 1 - len(held_misses) / len(held_out) >= 0.90, held_misses


def test_the_alias_table_is_large_and_points_at_real_foods():
    aliases = load_aliases()
    assert len(aliases) >= 150
    assert set(aliases.values()) <= set(load_foods().index)
    assert aliases["banana"] == "09040"
    assert aliases[normalise("2% milk")] == "01079"


@pytest.mark.parametrize(
    ("text", "food_id", "method"),
    [
        ("Bananas, raw", "09040", "usda_exact"),
        ("banana", "09040", "alias"),
        ("Granny's Delight, Whole Wheat Bread", "18075", "alias_suffix"),
        ("bannana", "09040", "alias_fuzzy"),
    ],
)
def test_order_of_evidence(matcher, text, food_id, method):
    match = matcher.match_one(text)
    assert (match.food_id, match.method) == (food_id, method)
    assert match.confidence >= CONFIDENT


@pytest.mark.parametrize(
    "text", ["Magnesium Citrate", "Vitamin D3 2000 IU softgel", "ibuprofen 200mg", "Calorie"]
)
def test_supplements_medicines_and_quick_adds_are_not_foods(matcher, text):
    match = matcher.match_one(text)
    assert match.food_id == ""
    assert match.note


def test_nonsense_is_unmatched_not_guessed(matcher):
    match = matcher.match_one("xqzvw plorf")
    assert match.food_id == "" or match.confidence < CONFIDENT


def test_each_distinct_text_is_matched_once(matcher, monkeypatch):
    calls = []
    original = matcher._fuzzy
    monkeypatch.setattr(matcher, "_fuzzy", lambda texts: calls.append(texts) or original(texts))
    matcher.match(["zzfoo bar quux", "zzfoo bar quux", "zzfoo bar quux"])
    matcher.match(["zzfoo bar quux"])
    assert calls == [["zzfoo bar quux"]]


def test_overrides_win_over_everything(tmp_path):
    path = tmp_path / "map.csv"
    path.write_text("food_text,food_id\nbanana,12014\nmy smoothie,9040\n", encoding="utf-8")
    foods = load_foods()
    overrides = read_overrides(path, foods.index)
    # keys are normalised text; ids get their leading zeros back
    assert overrides == {normalise("banana"): "12014", normalise("my smoothie"): "09040"}
    matcher = FoodMatcher(foods, overrides=overrides)
    assert matcher.match_one("Banana").food_id == "12014"
    assert matcher.match_one("my smoothie").method == "override"


def test_override_to_an_unknown_food_is_an_error_naming_the_row(tmp_path):
    path = tmp_path / "map.csv"
    path.write_text("food_text,food_id\nbanana,09040\nmystery,99999\n", encoding="utf-8")
    with pytest.raises(UnknownFood, match=r"map\.csv, row 3: no food with id '99999'"):
        read_overrides(path, load_foods().index)


def test_override_file_needs_its_columns(tmp_path):
    path = tmp_path / "map.csv"
    path.write_text("text,id\nbanana,09040\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="food_text and food_id"):
        read_overrides(path, load_foods().index)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Beef, Ground, 85% Lean, Pan-Browned", ["85% lean", "pan-browned"]),
        ("ground beef 80% lean", ["80% lean"]),
        ("Cheese, cottage, lowfat, 2%", ["lowfat, 2%"]),
        ("Milk, 1%", ["1% milkfat"]),
    ],
)
def test_a_number_in_the_text_picks_that_variant(matcher, text, words):
    match = matcher.match_one(text)
    description = load_foods().loc[match.food_id, "description"]
    assert all(w in description for w in words), description
