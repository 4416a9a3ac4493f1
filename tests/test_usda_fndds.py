"""The FNDDS 2021-2023 + FPED reader, on tiny files the test writes itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.errors import DataFileError
from planner.foodgroups import food_groups
from planner.nutrients import nutrients
from planner.usda.fndds import FILES, read_fndds, split_portion

openpyxl = pytest.importorskip("openpyxl")

FOODS = [
    ["Food code", "Main food description", "Additional food description",
     "WWEIA Category number", "WWEIA Category description"],
    [11000000, "Milk, human", None, 9602, "Human milk"],
    [63107010, "Banana, raw", None, 6004, "Bananas"],
    [58100135, "Burrito with chicken and beans", "Chipotle chicken burrito; burro", 3703,
     "Burritos and tacos"],
]  # fmt: skip
PORTIONS = [
    ["Food code", "Main food description", "WWEIA Category number",
     "WWEIA Category description", "Seq num", "Portion description", "Portion weight (g)"],
    [11000000, "Milk, human", 9602, "Human milk", 2, "Quantity not specified", 0],
    [63107010, "Banana, raw", 6004, "Bananas", 1, "1 banana", 126],
    [63107010, "Banana, raw", 6004, "Bananas", 6, "Quantity not specified", 126],
    [58100135, "Burrito", 3703, "Burritos and tacos", 2, "1/2 burrito", 110],
]  # fmt: skip


def nutrient_rows(values: dict[str, dict[str, float]]):
    header = ["Food code", "Main food description", "WWEIA Category number",
              "WWEIA Category description"]  # fmt: skip
    # USDA's headers hold line breaks in some cells ("Iron\n(mg)"): the reader normalises
    columns = [n.fndds_column.replace(" (", "\n(", 1) for n in nutrients()]
    rows = [header + columns]
    for code, per_nutrient in values.items():
        rows.append(
            [int(code), "food", 1, "cat"] + [per_nutrient.get(n.id, 1.0) for n in nutrients()]
        )
    return rows


def write_workbook(path: Path, rows: list[list]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["FNDDS At A Glance (title row)"])
    for row in rows:
        sheet.append(row)
    book.save(path)


def write_release(folder: Path, *, fped_codes=("63107010",), nutrient_values=None) -> Path:
    write_workbook(folder / FILES["foods"], FOODS)
    write_workbook(folder / FILES["portions"], PORTIONS)
    values = nutrient_values or {
        "63107010": {"magnesium_mg": 28.0, "potassium_mg": 326.0},
        "58100135": {"magnesium_mg": 40.0},
    }
    write_workbook(folder / FILES["nutrients"], nutrient_rows(values))
    groups = food_groups()
    lines = ["FOODCODE,DESCRIPTION," + ",".join(f'"{g.fped_column}"' for g in groups)]
    for code in fped_codes:
        lines.append(f"{code},x," + ",".join("0.5" if g.id == "f_total" else "0" for g in groups))
    (folder / FILES["fped"]).write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_reads_foods_nutrients_portions_and_fped(tmp_path):
    tables = read_fndds(write_release(tmp_path))
    foods = tables.foods.set_index("food_id")
    # human milk has no nutrient row: left out and counted
    assert list(foods.index) == ["63107010", "58100135"]
    assert tables.provenance["foods_without_nutrient_row"] == ["11000000"]
    assert foods.loc["63107010", "potassium_mg"] == 326.0
    assert foods.loc["63107010", "source"] == "fndds"
    assert foods.loc["63107010", "food_group"] == "Bananas"
    assert foods.loc["63107010", "wweia_code"] == "6004"
    assert foods.loc["58100135", "additional_description"] == "Chipotle chicken burrito; burro"
    assert foods["survey"].all()
    portions = tables.portions
    assert portions["food_id"].tolist() == ["58100135", "63107010", "63107010"]
    assert portions["amount"].tolist() == [0.5, 1.0, 1.0]
    assert portions["measure"].tolist() == ["burrito", "banana", "Quantity not specified"]
    assert tables.provenance["portions_with_zero_weight"] == 1
    # FPED covers the banana's code, not the burrito's: no row, never invented
    assert tables.fped["food_id"].tolist() == ["63107010"]
    assert tables.fped.loc[0, "f_total"] == 0.5
    assert tables.provenance["foods_without_fped"] == 1
    assert not any(f["matches_reference_copy"] for f in tables.provenance["source_files"].values())


def test_a_missing_file_is_named(tmp_path):
    write_release(tmp_path)
    (tmp_path / FILES["portions"]).unlink()
    with pytest.raises(DataFileError, match=r"Portions and Weights\.xlsx' is missing"):
        read_fndds(tmp_path)


def test_a_missing_nutrient_column_is_named(tmp_path):
    write_release(tmp_path)
    rows = nutrient_rows({"63107010": {}})
    for row in rows:
        del row[-1]  # drop the last nutrient column
    write_workbook(tmp_path / FILES["nutrients"], rows)
    with pytest.raises(DataFileError, match="missing column"):
        read_fndds(tmp_path)


def test_a_blank_nutrient_cell_is_an_error_not_a_zero(tmp_path):
    write_release(tmp_path, nutrient_values={"63107010": {"calcium_mg": None}})
    with pytest.raises(DataFileError, match="Calcium"):
        read_fndds(tmp_path)


def test_a_file_that_is_not_a_workbook(tmp_path):
    write_release(tmp_path)
    (tmp_path / FILES["foods"]).write_text("not a spreadsheet")
    with pytest.raises(DataFileError, match="not a readable FNDDS spreadsheet"):
        read_fndds(tmp_path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 cup", (1.0, "cup")),
        ("1/4 cup, cooked", (0.25, "cup, cooked")),
        ("10 chips", (10.0, "chips")),
        ('1 regular or 6" submarine', (1.0, 'regular or 6" submarine')),
        ("Quantity not specified", (1.0, "Quantity not specified")),
        (
            "Guideline amount per slice of bread/roll",
            (1.0, "Guideline amount per slice of bread/roll"),
        ),
        ('1"  cube', (1.0, '1" cube')),
    ],
)
def test_split_portion(text, expected):
    assert split_portion(text) == expected
