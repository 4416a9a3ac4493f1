"""The SR28 reader, on a tiny release the test writes itself."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from planner.errors import DataFileError
from planner.usda.sr28 import read_sr28, read_sr28_file

FOOD_DES = [
    # a cp1252 character (é, byte 0xE9) and blank ~~ and ^^ fields
    "~09040~^~0900~^~Bananas, raw~^~BANANAS,RAW~^~~^~~^~Y~^~Peel~^36^~Musa acuminata~^"
    "6.25^3.36^8.37^3.60",
    "~99001~^~0900~^~Caf\xe9 au lait, test food~^~CAFE~^~latte~^~ACME~^^^0^^^^^",
]
NUT_DATA = [
    "~09040~^~208~^89^^^~1~^^^^^^^^^^^^",
    "~09040~^~306~^358^^^~1~^^^^^^^^^^^^",
    "~09040~^~328~^0.0^^^~1~^^^^^^^^^^^^",
    "~99001~^~208~^45^^^~1~^^^^^^^^^^^^",
    "~99001~^~324~^40^^^~1~^^^^^^^^^^^^",  # only IU: becomes 1.0 µg
]
WEIGHT = [
    '~09040~^1^1^~medium (7" to 7-7/8" long)~^118^^',
    "~09040~^2^1^~cup, sliced~^150^^",
]
FD_GROUP = ["~0900~^~Fruits and Fruit Juices~"]
NUTR_DEF = ["~208~^~kcal~^~ENERC_KCAL~^~Energy~^~0~^~300~"]


def write_release(folder: Path, **override) -> Path:
    files = {
        "FOOD_DES": FOOD_DES,
        "NUT_DATA": NUT_DATA,
        "WEIGHT": WEIGHT,
        "FD_GROUP": FD_GROUP,
        "NUTR_DEF": NUTR_DEF,
    }
    files.update(override)
    for stem, lines in files.items():
        (folder / f"{stem}.txt").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return folder


def test_build_on_a_tiny_release(tmp_path):
    result = read_sr28(write_release(tmp_path))
    foods = result.foods.set_index("food_id")
    assert list(foods.index) == ["09040", "99001"]
    assert foods.loc["99001", "description"] == "Café au lait, test food"
    assert foods.loc["99001", "common_name"] == "latte"
    assert foods.loc["99001", "manufacturer"] == "ACME"
    assert set(foods["source"]) == {"sr28"}
    assert foods.loc["09040", "potassium_mg"] == 358.0
    assert foods.loc["99001", "vitamin_d_ug"] == 1.0  # 40 IU / 40
    assert foods.loc["09040", "vitamin_d_ug"] == 0.0  # a real zero stays zero
    assert math.isnan(foods.loc["99001", "potassium_mg"])  # absent row: unknown
    assert result.portions["grams"].tolist() == [118.0, 150.0]
    assert result.provenance["foods"] == 2
    assert not result.provenance["source_files"]["FOOD_DES.txt"]["matches_reference_copy"]


def test_build_finds_lowercase_file_names(tmp_path):
    write_release(tmp_path)
    for p in tmp_path.iterdir():
        p.rename(p.with_name(p.name.lower()))
    assert len(read_sr28(tmp_path).foods) == 2


def test_missing_file_is_a_clear_error(tmp_path):
    write_release(tmp_path)
    (tmp_path / "WEIGHT.txt").unlink()
    with pytest.raises(DataFileError, match=r"WEIGHT\.txt is missing"):
        read_sr28(tmp_path)


def test_record_with_wrong_field_count_names_the_line(tmp_path):
    write_release(tmp_path, WEIGHT=[*WEIGHT, "~09040~^3^1^~oops~^10"])
    with pytest.raises(DataFileError, match="first at line 3"):
        read_sr28(tmp_path)


def test_non_numeric_value_names_row_and_column(tmp_path):
    write_release(tmp_path, NUT_DATA=[*NUT_DATA, "~09040~^~304~^abc^^^~1~^^^^^^^^^^^^"])
    with pytest.raises(DataFileError, match="Nutr_Val"):
        read_sr28(tmp_path)


def test_caret_inside_text_is_not_a_separator(tmp_path):
    p = tmp_path / "FD_GROUP.txt"
    p.write_bytes(b"~0900~^~Fruits ^ Juices~\r\n")
    assert read_sr28_file(p, "FD_GROUP").iloc[0, 1] == "Fruits ^ Juices"
