"""The nutrient registry: one table of the nutrients planner tracks.

Every other module looks nutrient names, units, USDA numbers and export header names up
here. Canonical ids keep the unit in the name (``magnesium_mg``, ``vitamin_d_ug``) so the
unit survives a round trip through CSV.

The registry is read with the standard library (no pandas) so that importing it costs
nothing at start-up.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from planner.errors import UnknownName


@dataclass(frozen=True)
class Nutrient:
    """One row of the registry.

    Attributes
    ----------
    id : str
        Canonical id with the unit in it, e.g. ``"magnesium_mg"``.
    name : str
        Display name, e.g. ``"Magnesium"``.
    unit : str
        Display unit, e.g. ``"mg"`` or ``"µg DFE"``.
    sr_nutr_no : str
        USDA SR28 nutrient number (``Nutr_No``), e.g. ``"304"``.
    sr_fallback : str
        How to derive the value when ``sr_nutr_no`` is absent, e.g. ``"324/40"`` (IU to µg).
    fndds_column : str
        The column of FNDDS 2021-2023's nutrient spreadsheet that holds it (per 100 g, in
        this unit), e.g. ``"Magnesium (mg)"``; whitespace in USDA's headers normalised.
    dri_nutrient : str
        Name of the nutrient in the DRI table, empty for energy.
    role : str
        ``panel`` (scored against an RDA/AI), ``limit`` (sodium: scored against a ceiling
        too) or ``context`` (energy).
    note : str
        Caveats shown in reports.
    """

    id: str
    name: str
    unit: str
    sr_nutr_no: str
    sr_fallback: str
    fndds_column: str
    dri_nutrient: str
    role: str
    note: str

    @property
    def label(self) -> str:
        """``"Magnesium (mg)"``: the name with its unit, for tables and axes."""
        return f"{self.name} ({self.unit})"


@dataclass(frozen=True)
class ExportHeader:
    """A column header used by a diary export, mapped to a canonical nutrient id.

    ``factor`` converts the export's unit to the canonical unit (``Vitamin D (IU)`` has
    0.025, because 1 µg = 40 IU).
    """

    header: str
    nutrient_id: str
    factor: float
    exports: tuple[str, ...]
    note: str


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("planner.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def nutrients() -> tuple[Nutrient, ...]:
    """Return every nutrient in the registry, in report order.

    Examples
    --------
    >>> [n.id for n in nutrients()][:3]
    ['energy_kcal', 'protein_g', 'magnesium_mg']
    """
    return tuple(Nutrient(**row) for row in _read_csv("nutrients.csv"))


@cache
def export_headers() -> tuple[ExportHeader, ...]:
    """Return every known export header with its nutrient id and unit factor.

    Examples
    --------
    >>> h = {e.header: e for e in export_headers()}
    >>> h["Vitamin D (IU)"].nutrient_id, h["Vitamin D (IU)"].factor
    ('vitamin_d_ug', 0.025)
    """
    return tuple(
        ExportHeader(
            header=row["header"],
            nutrient_id=row["nutrient_id"],
            factor=float(row["factor"]),
            exports=tuple(row["exports"].split(";")),
            note=row["note"],
        )
        for row in _read_csv("export_headers.csv")
    )


def get(nutrient_id: str) -> Nutrient:
    """Return the registry row for ``nutrient_id``.

    Raises
    ------
    UnknownName
        If the id is not in the registry; the message lists the valid ids.
    """
    for n in nutrients():
        if n.id == nutrient_id:
            return n
    raise UnknownName("nutrient", nutrient_id, [n.id for n in nutrients()])


def ids() -> tuple[str, ...]:
    """Every canonical nutrient id, energy first."""
    return tuple(n.id for n in nutrients())


def scored_ids() -> tuple[str, ...]:
    """The nutrients scored against a DRI (everything but energy)."""
    return tuple(n.id for n in nutrients() if n.role != "context")


def registry_frame():
    """Return the registry as a pandas DataFrame indexed by nutrient id."""
    import pandas as pd

    return pd.DataFrame([n.__dict__ for n in nutrients()]).set_index("id")
