"""Food text to food id: the labelled lines, the rules, overrides, the fitted model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import load_script

from planner.errors import DataFileError, UnknownFood
from planner.foods import load_foods
from planner.matching import (
    CONFIDENT,
    PLAUSIBLE,
    FoodMatcher,
    load_aliases,
    normalise,
    read_overrides,
    status_for,
)
from planner.matching.features import PAIR_FEATURES
from planner.matching.model import CALIBRATION_FEATURES, load_model

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="module")
def matcher():
    return FoodMatcher(load_foods())


def _tool():
    return load_script("tools/measure_labelled.py")


def test_the_labelled_lines_are_large_valid_and_split():
    lines = pd.read_csv(DATA / "diary_lines.csv", dtype=str, keep_default_na=False)
    foods = load_foods()
    assert len(lines) >= 600
    assert lines["text"].str.lower().is_unique
    assert set(lines["split"]) == {"tune", "holdout"}
    assert (lines["split"] == "holdout").mean() == pytest.approx(1 / 3, abs=0.02)
    assert set(lines["style"]) == {"cronometer", "myfitnesspal", "loseit", "notes"}
    ids = {i for s in lines["accepted_ids"] for i in s.split(";") if i}
    assert ids <= set(foods.index)
    # both tables are accepted: a line coded only to one table would bias the measure
    assert {foods.loc[i, "source"] for i in ids} == {"sr28", "fndds"}
    # a few lines no food can code (supplements, quick adds, a recipe's name)
    assert 0.02 <= (lines["accepted_ids"] == "").mean() <= 0.08


@pytest.mark.parametrize(
    ("split", "precision", "coverage"),
    # measured 2026-12-02 (tools/measure_labelled.py): tune 95.3% / 82.8%, holdout 92.6% /
    # 80.3%; the bars leave room for a slip and catch a regression. The target
    # (95% / 85% on the holdout) is not reached: see the README.
    [("tune", 0.94, 0.80), ("holdout", 0.91, 0.78)],
)
def test_precision_and_coverage_on_the_labelled_lines(split, precision, coverage):
    lines = _tool().score()
    part = _tool().summary(lines[lines["split"] == split])
    assert part["precision"] >= precision, part
    assert part["coverage"] >= coverage, part


def test_the_older_accuracy_table_still_reads(matcher):
    table = pd.read_csv(DATA / "food_strings.csv", dtype=str, keep_default_na=False)
    found = matcher.match(table["text"])
    right = [found[t].food_id in set(a.split(";")) for t, a in zip(table["text"],
             table["accepted_ids"], strict=True)]  # fmt: skip
    # these 202 strings are part of the model's fitting data: a check against regressions
    # (94.1% of them get an accepted food when measured)
    assert np.mean(right) >= 0.92


def test_the_model_says_what_it_was_fitted_on():
    model = load_model()
    assert len(model.weights) == len(PAIR_FEATURES)
    assert len(model.calibration) == len(CALIBRATION_FEATURES)
    assert 0.5 < model.plausible < model.matched < 1.0 or model.plausible < model.matched
    fitted = model.record["fitted_on"]
    assert "tests/data/diary_lines.csv" in fitted["files"]
    assert fitted["split"].startswith("tune")
    assert model.record["cross_fitted"]["precision"] >= 0.95
    # the thresholds the rest of planner uses are the model's
    assert model.matched == CONFIDENT
    assert model.plausible == PLAUSIBLE


def test_the_alias_table_is_large_and_points_at_real_foods():
    aliases = load_aliases()
    assert len(aliases) >= 150
    assert set(aliases.values()) <= set(load_foods().index)
    assert aliases["banana"] == "09040"
    assert aliases[normalise("2% milk")] == "01079"


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("Bananas, raw", {"09040", "63107010"}),
        ("banana", {"09040", "63107010"}),
        ("bannana", {"09040", "63107010"}),  # a misspelling
        ("almondmilk", {"14091", "11350020", "11350000"}),  # run together
        ("california roll", {"58151180"}),  # a dish only FNDDS has
        ("egg mcmuffin", {"21357", "34001330"}),  # a brand name FNDDS lists
    ],
)
def test_common_lines_are_matched_with_confidence(matcher, text, accepted):
    match = matcher.match_one(text)
    assert match.food_id in accepted, match
    assert status_for(match) == "matched", match


@pytest.mark.parametrize(
    "text",
    ["Magnesium Citrate", "Vitamin D3 2000 IU softgel", "ibuprofen 200mg", "Calorie",
     "Quick Add - 250 calories"],
)  # fmt: skip
def test_supplements_medicines_and_quick_adds_are_not_foods(matcher, text):
    match = matcher.match_one(text)
    assert match.food_id == ""
    assert match.note


def test_nonsense_is_unmatched_not_guessed(matcher):
    assert matcher.match_one("xqzvw plorf").food_id == ""
    assert status_for(matcher.match_one("asdfgh")) != "matched"


def test_a_misspelling_is_said(matcher):
    match = matcher.match_one("Talapia, baked")
    assert "'talapia' as 'tilapia'" in match.note


def test_each_distinct_text_is_scored_once(matcher, monkeypatch):
    calls = []
    original = matcher._score
    monkeypatch.setattr(matcher, "_score", lambda texts: calls.append(texts) or original(texts))
    matcher.match(["zzfoo bar quux", "zzfoo bar quux", "zzfoo bar quux"])
    matcher.match(["zzfoo bar quux"])
    assert calls == [["zzfoo bar quux"]]


def test_candidates_explain_a_match(matcher):
    table = matcher.candidates("greek yogurt", limit=3)
    assert list(table.columns[:3]) == ["food_id", "description", "score"]
    assert table["score"].is_monotonic_decreasing
    assert set(PAIR_FEATURES) <= set(table.columns)


def test_the_same_food_in_the_other_table(matcher):
    same = matcher.equivalents(["63101000", "09003", "11457"])
    assert same == {"63101000": "09003", "09003": "63101000", "11457": "72125100"}


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
    assert status_for(matcher.match_one("my smoothie")) == "matched"


def test_override_to_an_unknown_food_is_an_error_naming_the_row(tmp_path):
    path = tmp_path / "map.csv"
    path.write_text("food_text,food_id\nbanana,09040\nmystery,99999\n", encoding="utf-8")
    with pytest.raises(UnknownFood, match=r"map\.csv, row 3: no food with id '99999'"):
        read_overrides(path, load_foods().index)


def test_an_override_may_name_an_fndds_food(tmp_path):
    path = tmp_path / "map.csv"
    path.write_text("food_text,food_id\nmy sushi,58151180\n", encoding="utf-8")
    assert read_overrides(path, load_foods().index) == {"my sushi": "58151180"}


def test_override_file_needs_its_columns(tmp_path):
    path = tmp_path / "map.csv"
    path.write_text("text,id\nbanana,09040\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="food_text and food_id"):
        read_overrides(path, load_foods().index)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Beef, Ground, 85% Lean, Pan-Browned", ["85%"]),
        ("Cheese, cottage, lowfat, 2%", ["2%"]),
        ("Milk, 1%", ["1%"]),
    ],
)
def test_a_number_in_the_text_picks_that_variant(matcher, text, words):
    match = matcher.match_one(text)
    food = load_foods().loc[match.food_id]
    said = f"{food['description']} {food['additional_description']}"
    assert all(w in said for w in words), said


def test_texts_matched_in_forked_processes_match_as_in_one(forking, monkeypatch):
    from planner.matching import matcher as matching

    texts = pd.read_csv(DATA / "diary_lines.csv", dtype=str, keep_default_na=False)["text"]
    texts = list(dict.fromkeys(texts))[:300]
    monkeypatch.setattr(matching, "PARALLEL_MIN_TEXTS", 50)  # 300 texts: up to 6 processes
    shared = FoodMatcher(load_foods()).match(texts)
    monkeypatch.setenv("PLANNER_PROCESSES", "1")
    alone = FoodMatcher(load_foods()).match(texts)
    assert shared == alone


def test_the_shipped_equivalents_are_what_the_matcher_works_out():
    from planner.matching.matcher import shipped_equivalents

    foods = load_foods()
    shipped = shipped_equivalents()
    assert shipped is not None, "equivalents.json was made from other files: run " \
        "tools/make_equivalents.py --write"  # fmt: skip
    worked_out = FoodMatcher(foods).work_out_equivalents(foods.index)
    assert {f: o for f, o in worked_out.items() if o} == shipped, (
        "the matcher now works out other equivalents: run tools/make_equivalents.py --write"
    )


def test_a_matcher_of_its_own_works_its_equivalents_out(monkeypatch):
    from planner.matching import matcher as matching

    def refuse():
        raise AssertionError("the shipped equivalents are for the bundled matcher only")

    monkeypatch.setattr(matching, "shipped_equivalents", refuse)
    own = FoodMatcher(load_foods(), aliases={**load_aliases(), "my apples": "09003"})
    assert own.equivalents(["63101000"]) == {"63101000": "09003"}


def test_equivalents_made_from_other_files_are_not_used(monkeypatch):
    from planner.matching import matcher as matching

    changed = {**matching.equivalents_made_from(), "foods.csv": "0" * 64}
    monkeypatch.setattr(matching, "equivalents_made_from", lambda: changed)
    assert matching.shipped_equivalents.__wrapped__() is None
