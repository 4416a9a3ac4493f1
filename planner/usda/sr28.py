"""Read the USDA SR28 ASCII release into planner's food and portion tables.

The SR28 files are caret-delimited, wrap text in ``~``, are encoded in cp1252, have no
header row and end lines in CRLF. A blank field is ``^^`` or ``~~``. Field names come
from the SR28 documentation (``sr28_doc.pdf``, "Files" section).

The build keeps a value missing (NaN) where USDA gives none: a missing NUT_DATA row
means "not measured", never zero.

:func:`planner.usda.build_food_table` joins it with FNDDS; run it on the reference copies
or on your own download of the same releases::

    planner foods build path/to/sr28 path/to/fndds --out foods/
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planner.errors import DataFileError
from planner.nutrients import nutrients
from planner.usda.files import file_record

RELEASE = "USDA National Nutrient Database for Standard Reference, Release 28"
RELEASE_DATE = "September 2015"
CITATION = (
    "US Department of Agriculture, Agricultural Research Service, Nutrient Data Laboratory. "
    "USDA National Nutrient Database for Standard Reference, Release 28. "
    "Version Current: September 2015. Internet: http://www.ars.usda.gov/ba/bhnrc/ndl"
)
LICENCE = "Public domain (US government work); FoodData Central data are published under CC0 1.0."

# Field names per file, from the SR28 documentation.
FIELDS: dict[str, list[str]] = {
    "FOOD_DES": [
        "NDB_No", "FdGrp_Cd", "Long_Desc", "Shrt_Desc", "ComName", "ManufacName", "Survey",
        "Ref_desc", "Refuse", "SciName", "N_Factor", "Pro_Factor", "Fat_Factor", "CHO_Factor",
    ],
    "NUT_DATA": [
        "NDB_No", "Nutr_No", "Nutr_Val", "Num_Data_Pts", "Std_Error", "Src_Cd", "Deriv_Cd",
        "Ref_NDB_No", "Add_Nutr_Mark", "Num_Studies", "Min", "Max", "DF", "Low_EB", "Up_EB",
        "Stat_cmt", "AddMod_Date", "CC",
    ],
    "WEIGHT": ["NDB_No", "Seq", "Amount", "Msre_Desc", "Gm_Wgt", "Num_Data_Pts", "Std_Dev"],
    "FD_GROUP": ["FdGrp_Cd", "FdGrp_Desc"],
    "NUTR_DEF": ["Nutr_No", "Units", "Tagname", "NutrDesc", "Num_Dec", "SR_Order"],
}  # fmt: skip

# SHA-256 of the files in the reference copy (see ../shared/usda-sr-legacy/SOURCE.md).
REFERENCE_SHA256 = {
    "NUT_DATA": "8b86e1d65bfa581e503fdafd16ce41fc04e7e4b00498c3888a04ec0c8f846759",
    "FOOD_DES": "bb2047218cdad1d830da69e760386409fde3b7afabceae604c5479f280d4fa2e",
    "NUTR_DEF": "b0d6b559eaf0cf9f9a1c13e938395e1bb3513057f3c4c0f21c046b061e599fee",
    "WEIGHT": "98484d7e26b3803467e65a9ab2ad8094bc94ed0c50375efb7e26a8bd60b1afae",
    "FD_GROUP": "1f497ae6b4b0127956d0eff4ec2d190d040bac8e6892ff0fb45773d4913033ba",
}

IU_PER_UG_VITAMIN_D = 40.0


@dataclass(frozen=True)
class Sr28Tables:
    """What :func:`read_sr28` produced."""

    foods: pd.DataFrame
    portions: pd.DataFrame
    provenance: dict


def find_file(folder: Path, stem: str) -> Path:
    """Find ``STEM.txt`` in ``folder`` whatever its case (downloads differ).

    Raises
    ------
    DataFileError
        If the folder holds no such file.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataFileError(folder, "not a folder holding the SR28 ASCII files")
    for p in folder.iterdir():
        if p.is_file() and p.name.lower() == f"{stem.lower()}.txt":
            return p
    raise DataFileError(folder, f"{stem}.txt is missing; is this the SR28 ASCII release?")


def read_sr28_file(path: Path, stem: str) -> pd.DataFrame:
    """Read one SR28 file into a DataFrame of strings, one column per documented field.

    Blank fields (``^^`` or ``~~``) become empty strings here and NaN later, where a number
    is expected. Every record must have the documented number of fields.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "FD_GROUP.txt"
    >>> _ = p.write_bytes(b"~0100~^~Dairy and Egg Products~\\r\\n")
    >>> read_sr28_file(p, "FD_GROUP").iloc[0].tolist()
    ['0100', 'Dairy and Egg Products']
    """
    names = FIELDS[stem]
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise DataFileError(path, f"not cp1252 text (byte {exc.start})") from None
    lines = text.splitlines()
    n = len(names)
    # str.count is fast; the quote-aware count only runs on the rare line that differs.
    bad = [
        i + 1
        for i, line in enumerate(lines)
        if line and line.count("^") + 1 != n and _count_fields(line) != n
    ]
    if bad:
        raise DataFileError(
            path,
            f"{len(bad)} record(s) do not have the {len(names)} fields SR28 documents "
            f"for {stem} (first at line {bad[0]})",
            row=bad[0],
        )
    frame = pd.read_csv(
        io.StringIO(text),
        sep="^",
        quotechar="~",
        header=None,
        names=names,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        engine="c",
    )
    return frame


def _count_fields(line: str) -> int:
    """Count caret-separated fields, ignoring carets inside ``~text~``."""
    count, quoted = 1, False
    for ch in line:
        if ch == "~":
            quoted = not quoted
        elif ch == "^" and not quoted:
            count += 1
    return count


def _to_number(series: pd.Series, path: Path, column: str) -> pd.Series:
    """Convert strings to floats; blank is NaN; anything else non-numeric is an error."""
    values = pd.to_numeric(series.replace("", None), errors="coerce")
    bad = values.isna() & series.ne("")
    if bad.any():
        first = int(bad.to_numpy().nonzero()[0][0])
        raise DataFileError(path, f"not a number: {series.iloc[first]!r}", first + 1, column)
    return values.astype(float)


def _nutrient_matrix(nut: pd.DataFrame, path: Path) -> tuple[pd.DataFrame, dict]:
    """Pivot NUT_DATA to one column per registry nutrient (per 100 g), NaN where absent."""
    wanted = {n.sr_nutr_no for n in nutrients()} | {"324"}
    sub = nut.loc[nut["Nutr_No"].isin(wanted), ["NDB_No", "Nutr_No", "Nutr_Val"]].copy()
    dupes = sub.duplicated(["NDB_No", "Nutr_No"])
    if dupes.any():
        row = sub.loc[dupes].iloc[0]
        raise DataFileError(path, f"duplicate value for food {row.NDB_No} nutrient {row.Nutr_No}")
    sub["Nutr_Val"] = _to_number(sub["Nutr_Val"], path, "Nutr_Val")
    wide = sub.pivot(index="NDB_No", columns="Nutr_No", values="Nutr_Val")
    out = pd.DataFrame(index=wide.index)
    derived = {}
    for n in nutrients():
        col = wide[n.sr_nutr_no] if n.sr_nutr_no in wide else pd.Series(float("nan"), wide.index)
        if n.sr_fallback == "324/40" and "324" in wide:
            fill = col.isna() & wide["324"].notna()
            col = col.where(~fill, (wide["324"] / IU_PER_UG_VITAMIN_D).round(3))
            derived[n.id] = int(fill.sum())
        out[n.id] = col
    return out, derived


def read_sr28(folder: Path) -> Sr28Tables:
    """Read the foods and portions tables from an SR28 ASCII release folder.

    Parameters
    ----------
    folder : Path
        Folder holding FOOD_DES.txt, NUT_DATA.txt, WEIGHT.txt, FD_GROUP.txt and
        NUTR_DEF.txt (any letter case).

    Returns
    -------
    Sr28Tables
        ``foods``: one row per SR28 food (``source`` = ``"sr28"``) with the registry's
        nutrients per 100 g;
        ``portions``: every WEIGHT.txt row; ``provenance``: release, checksums, counts.
    """
    folder = Path(folder)
    paths = {stem: find_file(folder, stem) for stem in FIELDS}
    tables = {stem: read_sr28_file(path, stem) for stem, path in paths.items()}

    fd_group = tables["FD_GROUP"]
    groups = dict(zip(fd_group["FdGrp_Cd"], fd_group["FdGrp_Desc"], strict=True))
    des = tables["FOOD_DES"]
    unknown_group = sorted(set(des["FdGrp_Cd"]) - set(groups))
    if unknown_group:
        raise DataFileError(paths["FOOD_DES"], f"unknown food group code(s) {unknown_group}")
    if des["NDB_No"].duplicated().any():
        dup = des.loc[des["NDB_No"].duplicated(), "NDB_No"].iloc[0]
        raise DataFileError(paths["FOOD_DES"], f"food {dup} appears twice")

    foods = pd.DataFrame(
        {
            "food_id": des["NDB_No"],
            "source": "sr28",
            "description": des["Long_Desc"],
            "common_name": des["ComName"],
            "additional_description": "",
            "food_group": des["FdGrp_Cd"].map(groups),
            "wweia_code": "",
            "manufacturer": des["ManufacName"],
            "survey": des["Survey"].eq("Y"),
        }
    )
    matrix, derived = _nutrient_matrix(tables["NUT_DATA"], paths["NUT_DATA"])
    foods = foods.join(matrix, on="food_id")

    weight = tables["WEIGHT"]
    portions = pd.DataFrame(
        {
            "food_id": weight["NDB_No"],
            "seq": weight["Seq"].astype(int),
            "amount": _to_number(weight["Amount"], paths["WEIGHT"], "Amount"),
            "measure": weight["Msre_Desc"],
            "grams": _to_number(weight["Gm_Wgt"], paths["WEIGHT"], "Gm_Wgt"),
        }
    )
    orphans = sorted(set(portions["food_id"]) - set(foods["food_id"]))
    if orphans:
        raise DataFileError(paths["WEIGHT"], f"portions for unknown food(s) {orphans[:5]}")

    provenance = _provenance(paths, tables, foods, portions, derived)
    return Sr28Tables(foods=foods, portions=portions, provenance=provenance)


def _provenance(paths, tables, foods, portions, derived) -> dict:
    files = {}
    for stem, path in paths.items():
        files[path.name] = file_record(path, len(tables[stem]), REFERENCE_SHA256.get(stem))
    values = {n.id: int(foods[n.id].notna().sum()) for n in nutrients()}
    return {
        "release": RELEASE,
        "release_short": "SR28",
        "release_date": RELEASE_DATE,
        "publisher": "USDA Agricultural Research Service, Nutrient Data Laboratory",
        "citation": CITATION,
        "licence": LICENCE,
        "source_files": files,
        "foods": len(foods),
        "portions": len(portions),
        "foods_with_value": values,
        "derived_values": {
            k: f"{v} foods: SR28 nutrient 324 (IU) / 40, where 328 (µg) is absent"
            for k, v in derived.items()
        },
        "missing_values": "left empty (NaN): USDA gives no value; never read as zero",
    }
