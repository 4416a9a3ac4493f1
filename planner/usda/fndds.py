"""Read USDA FNDDS 2021-2023 ("At A Glance" spreadsheets) and FPED 2017-2018.

FNDDS describes foods as people report eating them in the national survey (mixed dishes,
restaurant and fast foods, cereals by name, drinks), with 65 nutrients per 100 g that USDA
imputes completely, a WWEIA food category and household portion weights, among them the
default amount for "Quantity not specified". FPED gives, per 100 g of each survey food
code, the Dietary Guidelines food-group equivalents (cup- and ounce-equivalents).

The spreadsheets have one sheet each, a title in row 1 and the header in row 2; some
header cells hold a line break (``"Iron\\n(mg)"``), so header whitespace is normalised
before columns are looked up. Reading ``.xlsx`` needs ``openpyxl``, which only this build
step uses: the installed package reads the compact CSV files it produces.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planner.errors import DataFileError
from planner.nutrients import nutrients
from planner.usda.files import file_record

RELEASE = "USDA Food and Nutrient Database for Dietary Studies 2021-2023 (At A Glance files)"
FPED_RELEASE = "USDA Food Patterns Equivalents Database 2017-2018"
CITATION = (
    "U.S. Department of Agriculture, Agricultural Research Service. USDA Food and Nutrient "
    "Database for Dietary Studies 2021-2023. Food Surveys Research Group Home Page, "
    "http://www.ars.usda.gov/nea/bhnrc/fsrg"
)
FPED_CITATION = (
    "U.S. Department of Agriculture, Agricultural Research Service. Food Patterns Equivalents "
    "Database 2017-2018. Food Surveys Research Group Home Page, "
    "http://www.ars.usda.gov/nea/bhnrc/fsrg"
)
LICENCE = "Public domain (works of the US federal government, USDA ARS)."

# The files as USDA names them, and what each must hold.
FILES = {
    "foods": "2021-2023 FNDDS At A Glance - Foods and Beverages.xlsx",
    "nutrients": "2021-2023 FNDDS At A Glance - FNDDS Nutrient Values.xlsx",
    "portions": "2021-2023 FNDDS At A Glance - Portions and Weights.xlsx",
    "fped": "FPED_1718.csv",
}
# SHA-256 of the reference copies (../shared/usda-fndds-2021-2023/SOURCE.md).
REFERENCE_SHA256 = {
    "foods": "ae7e41d348ff0c9d63199c12746c9dfa8ee1444ce2efb32b824ae191814d7d15",
    "nutrients": "02d2322d03a2f980180100cca2c7f11815dab9a58652bd465e0b5dc29842ea98",
    "portions": "0d56419d86252903235b3f82a40dc1c493f7fb0fd1e2df62211c24dd6274692a",
    "fped": "d74a7a41cfa2a0234e43c031e35bf6e85c071913c8d62252949224f4977d170d",
}
CODE = "Food code"
DESCRIPTION = "Main food description"
ADDITIONAL = "Additional food description"
WWEIA_CODE = "WWEIA Category number"
WWEIA_NAME = "WWEIA Category description"
PORTION_TEXT, PORTION_GRAMS, PORTION_SEQ = "Portion description", "Portion weight (g)", "Seq num"
FPED_CODE = "FOODCODE"

# A portion text starts with its number ("1 cup", "1/2 cup"); USDA's others ("Quantity not
# specified", "Guideline amount per slice of bread/roll") are one of what they name.
_LEADING_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?(?:/\d+)?)\s+(\S.*)$")


@dataclass(frozen=True)
class FnddsTables:
    """The FNDDS and FPED tables in planner's shape, and what was read."""

    foods: pd.DataFrame
    portions: pd.DataFrame
    fped: pd.DataFrame
    provenance: dict


def find_files(folder: Path) -> dict[str, Path]:
    """The four source files in ``folder`` (names matched whatever their letter case).

    Raises
    ------
    DataFileError
        If the folder is missing or lacks one of the files.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataFileError(folder, "not a folder holding the FNDDS 2021-2023 files")
    present = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    found = {}
    for key, name in FILES.items():
        if name.lower() not in present:
            raise DataFileError(folder, f"{name!r} is missing; is this FNDDS 2021-2023 + FPED?")
        found[key] = present[name.lower()]
    return found


def read_sheet(path: Path, required: list[str]) -> pd.DataFrame:
    """Read one At A Glance spreadsheet (header in row 2), with normalised header names.

    Raises
    ------
    DataFileError
        If openpyxl is not installed, the file is not a readable workbook, or a required
        column is missing.
    """
    try:
        import openpyxl  # noqa: F401  (pandas needs it for .xlsx)
    except ImportError:
        raise DataFileError(
            path, "reading FNDDS spreadsheets needs openpyxl: pip install 'planner[build]'"
        ) from None
    try:
        frame = pd.read_excel(path, header=1, dtype={CODE: str}, engine="openpyxl")
    except (ValueError, OSError, KeyError, zipfile.BadZipFile) as exc:
        raise DataFileError(path, f"not a readable FNDDS spreadsheet ({exc})") from None
    frame.columns = [" ".join(str(c).split()) for c in frame.columns]
    _require(frame, required, path)
    return frame


def _require(frame: pd.DataFrame, columns: list[str], path: Path) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataFileError(path, f"missing column(s) {missing}", row=2)


def _codes(series: pd.Series, path: Path, column: str) -> pd.Series:
    """Food codes as 8-digit strings; anything else is an error naming the row."""
    codes = series.astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    bad = ~codes.str.fullmatch(r"\d{8}")
    if bad.any():
        first = int(bad.to_numpy().nonzero()[0][0])
        raise DataFileError(path, f"food code {codes.iloc[first]!r} is not 8 digits", first + 3,
                            column)  # fmt: skip
    return codes


def _numbers(frame: pd.DataFrame, columns: list[str], path: Path, first_row: int) -> pd.DataFrame:
    """Columns as floats; a blank or non-numeric cell is an error naming row and column."""
    out = pd.DataFrame(index=frame.index)
    for column in columns:
        values = pd.to_numeric(frame[column], errors="coerce")
        if values.isna().any():
            first = int(values.isna().to_numpy().nonzero()[0][0])
            raise DataFileError(
                path, f"not a number: {frame[column].iloc[first]!r}", first + first_row, column
            )
        out[column] = values.astype(float)
    return out


def split_portion(text: str) -> tuple[float, str]:
    """A portion text as (amount, measure).

    Examples
    --------
    >>> split_portion("1 cup"), split_portion("1/2 cup, cooked")
    ((1.0, 'cup'), (0.5, 'cup, cooked'))
    >>> split_portion("Quantity not specified")
    (1.0, 'Quantity not specified')
    """
    text = " ".join(str(text).split())
    hit = _LEADING_NUMBER.match(text)
    if not hit:
        return 1.0, text
    number, measure = hit.groups()
    if "/" in number:
        top, bottom = number.split("/")
        return float(top) / float(bottom), measure
    return float(number), measure


def read_fndds(folder: Path) -> FnddsTables:
    """Read FNDDS 2021-2023 and FPED 2017-2018 from ``folder`` into planner's tables.

    Returns
    -------
    FnddsTables
        ``foods``: one row per food with nutrients (``food_id`` = 8-digit food code,
        ``source`` = ``"fndds"``, the WWEIA category as ``food_group`` and
        ``wweia_code``, USDA's additional description); ``portions``: household portions
        with a weight above zero; ``fped``: food-group equivalents per 100 g for the foods
        whose code FPED 2017-2018 has; ``counts``: what was read and left out.
    """
    paths = find_files(folder)
    columns = {n.id: n.fndds_column for n in nutrients()}
    described = read_sheet(paths["foods"], [CODE, DESCRIPTION, ADDITIONAL, WWEIA_CODE, WWEIA_NAME])
    values = read_sheet(paths["nutrients"], [CODE, *columns.values()])
    portions = read_sheet(
        paths["portions"], [CODE, PORTION_SEQ, PORTION_TEXT, PORTION_GRAMS]
    )  # fmt: skip

    described[CODE] = _codes(described[CODE], paths["foods"], CODE)
    values[CODE] = _codes(values[CODE], paths["nutrients"], CODE)
    portions[CODE] = _codes(portions[CODE], paths["portions"], CODE)
    for frame, key in ((described, "foods"), (values, "nutrients")):
        dup = frame[CODE].duplicated()
        if dup.any():
            raise DataFileError(paths[key], f"food code {frame[CODE][dup].iloc[0]} appears twice")

    numbers = _numbers(values, list(columns.values()), paths["nutrients"], 3)
    per_100g = pd.DataFrame({nid: numbers[col] for nid, col in columns.items()})
    per_100g.index = values[CODE].to_numpy()
    # Foods without a nutrient row (human milk) cannot be scored: they are left out, and
    # counted in the provenance.
    without_values = sorted(set(described[CODE]) - set(per_100g.index))
    kept = described[described[CODE].isin(per_100g.index)]
    foods = pd.DataFrame(
        {
            "food_id": kept[CODE].to_numpy(),
            "source": "fndds",
            "description": kept[DESCRIPTION].astype(str).str.strip().to_numpy(),
            "common_name": "",
            "additional_description": kept[ADDITIONAL].fillna("").astype(str).str.strip()
            .to_numpy(),
            "food_group": kept[WWEIA_NAME].astype(str).str.strip().to_numpy(),
            "wweia_code": kept[WWEIA_CODE].astype(int).astype(str).to_numpy(),
            "manufacturer": "",
            "survey": True,
        }
    )  # fmt: skip
    foods = foods.join(per_100g, on="food_id")

    weights = _numbers(portions, [PORTION_SEQ, PORTION_GRAMS], paths["portions"], 3)
    split = portions[PORTION_TEXT].map(split_portion)
    table = pd.DataFrame(
        {
            "food_id": portions[CODE].to_numpy(),
            "seq": weights[PORTION_SEQ].astype(int).to_numpy(),
            "amount": [a for a, _ in split],
            "measure": [m for _, m in split],
            "grams": weights[PORTION_GRAMS].to_numpy(),
        }
    )
    zero = table["grams"] <= 0  # USDA's "no weight" (human milk's default): not a portion
    known = table["food_id"].isin(foods["food_id"])
    table = table[~zero & known].sort_values(["food_id", "seq"], kind="stable")

    fped, fped_counts = read_fped(paths["fped"], foods["food_id"])
    counts = {
        "foods_in_foods_file": len(described),
        "foods_with_nutrients": len(foods),
        "foods_without_nutrient_row": without_values,
        "portion_rows": len(portions),
        "portions_kept": len(table),
        "portions_with_zero_weight": int(zero.sum()),
        "portions_of_foods_left_out": int((~known & ~zero).sum()),
        "foods_without_portion": int((~foods["food_id"].isin(table["food_id"])).sum()),
        **fped_counts,
    }
    records = {"foods": len(described), "nutrients": len(values), "portions": len(portions),
               "fped": fped_counts["fped_rows"]}  # fmt: skip
    provenance = {
        "release": RELEASE,
        "release_short": "FNDDS 2021-2023",
        "fped_release": FPED_RELEASE,
        "publisher": "USDA Agricultural Research Service, Food Surveys Research Group",
        "citation": CITATION,
        "fped_citation": FPED_CITATION,
        "licence": LICENCE,
        "source_files": {
            path.name: file_record(path, records[key], REFERENCE_SHA256[key])
            for key, path in paths.items()
        },
        "foods": len(foods),
        "portions": len(table),
        **counts,
    }
    return FnddsTables(foods=foods, portions=table.reset_index(drop=True), fped=fped,
                       provenance=provenance)  # fmt: skip


def read_fped(path: Path, food_ids: pd.Series) -> tuple[pd.DataFrame, dict]:
    """FPED 2017-2018 equivalents per 100 g, for the food codes among ``food_ids``.

    FPED is keyed by the 2017-2018 survey's food codes. A code FNDDS 2021-2023 shares with
    it gets FPED's equivalents; a food added or recoded since gets none here (its food
    group is then read from its WWEIA category by whoever needs one, never invented).
    """
    from planner.foodgroups import food_groups

    groups = food_groups()
    try:
        raw = pd.read_csv(path, dtype={FPED_CODE: str}, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, OSError) as exc:
        raise DataFileError(path, f"not a readable FPED file ({exc})") from None
    raw.columns = [" ".join(str(c).split()) for c in raw.columns]
    _require(raw, [FPED_CODE, *(g.fped_column for g in groups)], path)
    raw[FPED_CODE] = _codes(raw[FPED_CODE], path, FPED_CODE)
    numbers = _numbers(raw, [g.fped_column for g in groups], path, 2)
    fped = pd.DataFrame({g.id: numbers[g.fped_column] for g in groups})
    fped.insert(0, "food_id", raw[FPED_CODE].to_numpy())
    wanted = set(food_ids)
    kept = fped[fped["food_id"].isin(wanted)].sort_values("food_id").reset_index(drop=True)
    counts = {
        "fped_rows": len(raw),
        "foods_with_fped": len(kept),
        "foods_without_fped": len(wanted) - len(kept),
    }
    return kept, counts
