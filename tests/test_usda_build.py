"""The combined build: SR28 and FNDDS into one table, on tiny releases and on the real ones."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from test_usda_fndds import write_release as write_fndds
from test_usda_sr28 import write_release as write_sr28

from planner.errors import DataFileError
from planner.usda import build_food_table, write_food_table
from planner.usda.build import TABLE_FILES

pytest.importorskip("openpyxl")


@pytest.fixture
def tiny(tmp_path):
    sr28, fndds = tmp_path / "sr28", tmp_path / "fndds"
    sr28.mkdir()
    fndds.mkdir()
    return write_sr28(sr28), write_fndds(fndds)


def test_one_table_with_a_source_column(tiny):
    result = build_food_table(*tiny)
    foods = result.foods.set_index("food_id")
    assert list(foods.index) == ["09040", "99001", "63107010", "58100135"]
    assert foods["source"].tolist() == ["sr28", "sr28", "fndds", "fndds"]
    # SR28's unknowns stay NaN; FNDDS's values are complete
    assert math.isnan(foods.loc["99001", "potassium_mg"])
    assert foods.loc[foods["source"] == "fndds", "calcium_mg"].notna().all()
    assert result.provenance["foods_by_source"] == {"sr28": 2, "fndds": 2}
    assert set(result.provenance["sources"]) == {"sr28", "fndds"}
    assert len(result.portions) == 2 + 3


def test_written_table_round_trips_through_the_loaders(tiny, tmp_path):
    from planner.foods import load_foods, load_fped, load_portions

    out = tmp_path / "out"
    write_food_table(build_food_table(*tiny), out)
    assert sorted(p.name for p in out.iterdir()) == sorted(TABLE_FILES)
    foods = load_foods(out)
    assert foods.loc["09040", "potassium_mg"] == 358.0
    assert foods.loc["63107010", "potassium_mg"] == 326.0
    assert foods.loc["58100135", "food_group"] == "Burritos and tacos"
    assert math.isnan(foods.loc["99001", "magnesium_mg"])
    fped = load_fped(out).reindex(foods.index)
    assert fped.loc["63107010", "f_total"] == 0.5
    assert fped.loc[["09040", "58100135"], "f_total"].isna().all()
    assert set(load_portions(out)["food_id"]) == {"09040", "63107010", "58100135"}


def test_a_folder_that_is_not_fndds(tiny, tmp_path):
    with pytest.raises(DataFileError, match="is missing"):
        build_food_table(tiny[0], tmp_path)


def test_committed_table_equals_a_fresh_build(sr28_dir, fndds_dir, tmp_path):
    from planner.foods import load_foods, load_fped, load_portions, load_provenance

    result = build_food_table(sr28_dir, fndds_dir)
    write_food_table(result, tmp_path)
    pd.testing.assert_frame_equal(load_foods(tmp_path), load_foods())
    pd.testing.assert_frame_equal(load_portions(tmp_path), load_portions())
    pd.testing.assert_frame_equal(load_fped(tmp_path), load_fped())
    fresh, committed = load_provenance(tmp_path), load_provenance()
    assert {k: v for k, v in fresh.items() if k != "built_by"} == {
        k: v for k, v in committed.items() if k != "built_by"
    }
    every_file = [f for s in fresh["sources"].values() for f in s["source_files"].values()]
    assert all(f["matches_reference_copy"] for f in every_file)
