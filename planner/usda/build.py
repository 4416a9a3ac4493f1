"""Join SR28 and FNDDS into one food table and write it with its provenance."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planner import __version__
from planner.errors import DataFileError
from planner.nutrients import nutrients
from planner.usda.fndds import read_fndds
from planner.usda.sr28 import read_sr28

FOOD_COLUMNS = [
    "food_id", "source", "description", "common_name", "additional_description",
    "food_group", "wweia_code", "manufacturer", "survey",
]  # fmt: skip
TABLE_FILES = ("foods.csv", "portions.csv", "fped.csv", "provenance.json")


@dataclass(frozen=True)
class BuildResult:
    """What :func:`build_food_table` produced."""

    foods: pd.DataFrame
    portions: pd.DataFrame
    fped: pd.DataFrame
    provenance: dict


def build_food_table(sr28_dir: Path, fndds_dir: Path) -> BuildResult:
    """Build the food, portion and food-group tables from both USDA releases.

    Parameters
    ----------
    sr28_dir : Path
        Folder of the SR28 ASCII release (FOOD_DES.txt, NUT_DATA.txt, WEIGHT.txt,
        FD_GROUP.txt, NUTR_DEF.txt; any letter case).
    fndds_dir : Path
        Folder of FNDDS 2021-2023's three "At A Glance" spreadsheets and FPED_1718.csv.

    Returns
    -------
    BuildResult
        ``foods``: SR28 foods then FNDDS foods, one row each, :data:`FOOD_COLUMNS` then the
        registry's nutrients per 100 g; ``portions``: both tables' household portions;
        ``fped``: food-group equivalents per 100 g of the FNDDS foods FPED covers;
        ``provenance``: both releases, checksums and counts.
    """
    sr28 = read_sr28(Path(sr28_dir))
    fndds = read_fndds(Path(fndds_dir))
    columns = FOOD_COLUMNS + [n.id for n in nutrients()]
    foods = pd.concat([sr28.foods[columns], fndds.foods[columns]], ignore_index=True)
    clash = foods["food_id"].duplicated()
    if clash.any():  # cannot happen with USDA's id widths, but a user's copy may differ
        raise DataFileError(Path(fndds_dir), f"food id {foods['food_id'][clash].iloc[0]} is in "
                            "both releases")  # fmt: skip
    portions = pd.concat([sr28.portions, fndds.portions], ignore_index=True)
    by_source = foods.groupby("source", sort=False)
    provenance = {
        "built_by": f"planner {__version__} (planner/usda)",
        "foods": len(foods),
        "portions": len(portions),
        "foods_by_source": {s: len(g) for s, g in by_source},
        "foods_with_value": {
            s: {n.id: int(g[n.id].notna().sum()) for n in nutrients()} for s, g in by_source
        },
        "units": {n.id: n.unit for n in nutrients()},
        "basis": "per 100 g edible portion",
        "ids": "SR28: 5-character NDB number; FNDDS: 8-digit food code",
        "fped": (
            f"fped.csv: FPED 2017-2018 food-group equivalents per 100 g for "
            f"{len(fndds.fped):,} of {len(fndds.foods):,} FNDDS foods (same food code); the "
            f"other {len(fndds.foods) - len(fndds.fped):,} were added or recoded after "
            "2017-2018 and have none (NaN), as SR28 foods have none; their food group is "
            "read from the WWEIA category where one is needed"
        ),
        "sources": {"sr28": sr28.provenance, "fndds": fndds.provenance},
    }
    return BuildResult(foods=foods, portions=portions, fped=fndds.fped, provenance=provenance)


def write_food_table(result: BuildResult, out: Path) -> list[Path]:
    """Write :data:`TABLE_FILES` into ``out`` and return their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / name for name in TABLE_FILES]
    result.foods.to_csv(written[0], index=False, lineterminator="\n")
    result.portions.to_csv(written[1], index=False, lineterminator="\n")
    result.fped.to_csv(written[2], index=False, lineterminator="\n")
    written[3].write_text(
        json.dumps(result.provenance, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return written
