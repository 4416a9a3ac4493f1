"""Grams for a diary amount, even when the chosen food lacks the measure the diary names.

A diary says "1 medium apple", "a handful of almonds", "1 serving", "2" (of something).
:func:`planner.amounts.to_grams` reads such an amount through the chosen food's own
household portions. When the food lacks that measure, a careful dietitian does not give
up; in order, planner:

1. uses the food's own portions (``amount_basis`` empty);
2. uses the portions of the same food in the other USDA table: SR28 and FNDDS describe
   many foods twice, with different household measures ("Apple, raw" in FNDDS has
   "1 apple, any size", SR28's "Apples, raw, with skin" has "1 medium") (``other_table``);
3. counts each unit as USDA's default amount for the food, FNDDS's "Quantity not
   specified" portion (of the food, or of its FNDDS equivalent) (``default_portion``).

Every row converted in steps 2 and 3 says so in its note and in ``amount_basis``: it is
counted, never silently. A volume the food (and its equivalent) cannot convert is never
read as a default portion: a cup is a volume, not "some". FNDDS's "Quantity not specified"
and "Guideline amount ..." rows are never taken for a measure a person wrote.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from planner.amounts import Amount, Grams, Portion, portion_records, to_grams
from planner.foods import load_portions

DEFAULT_MEASURE = "quantity not specified"
# FNDDS rows that are not a portion a person eats: condiment guides, and the default
SPECIAL_MEASURES = (DEFAULT_MEASURE, "guideline amount")
BASES = ("", "other_table", "default_portion")
# Household words a default amount can stand in for ("a handful", "1 serving", "1 medium");
# any other unit ("2 smidgens") is not guessed at.
HOUSEHOLD_WORDS = frozenset(
    [
        "serving",
        "portion",
        "helping",
        "handful",
        "piece",
        "pc",
        "each",
        "item",
        "unit",
        "whole",
        "small",
        "medium",
        "large",
        "extra",
        "jumbo",
        "regular",
        "bowl",
        "plate",
        "scoop",
        "container",
        "package",
        "packet",
        "pack",
        "bar",
        "slice",
        "stick",
        "sandwich",
        "bag",
        "box",
        "can",
        "bottle",
        "glass",
        "mug",
        "fruit",
        "order",
        "cookie",
        "patty",
        "fillet",
        "link",
    ]
)


@dataclass(frozen=True)
class Converted:
    """An amount in grams, how it was read (:data:`BASES`), and the note that says so."""

    grams: float
    basis: str = ""
    note: str = ""


class PortionBook:
    """Each food's household portions and its default amount, parsed when first needed.

    Parameters
    ----------
    portions : pandas.DataFrame
        The portion table (:func:`planner.foods.load_portions`), sorted by food.
    """

    def __init__(self, portions: pd.DataFrame):
        food_ids = portions["food_id"].to_numpy()
        starts = np.flatnonzero(np.r_[True, food_ids[1:] != food_ids[:-1]])
        ends = np.r_[starts[1:], len(food_ids)]
        self._rows = {food_ids[a]: (a, b) for a, b in zip(starts, ends, strict=True)}
        measure = portions["measure"].astype(str)
        lower = measure.str.lower()
        self._special = lower.str.startswith(SPECIAL_MEASURES).to_numpy()
        self._default = lower.str.startswith(DEFAULT_MEASURE).to_numpy()
        self._amount = portions["amount"].to_numpy(dtype=float)
        self._measure = measure.to_numpy(dtype=object)
        self._grams = portions["grams"].to_numpy(dtype=float)
        self._parsed: dict[str, tuple[tuple[Portion, ...], float]] = {}

    def _entry(self, food_id: str) -> tuple[tuple[Portion, ...], float]:
        if food_id not in self._parsed:
            span = self._rows.get(food_id)
            if span is None:
                self._parsed[food_id] = ((), math.nan)
            else:
                rows = slice(*span)
                keep = ~self._special[rows]
                table = {
                    "amount": self._amount[rows][keep],
                    "measure": self._measure[rows][keep],
                    "grams": self._grams[rows][keep],
                }
                default = self._grams[rows][self._default[rows]]
                self._parsed[food_id] = (
                    portion_records(table),
                    float(default[0]) if len(default) else math.nan,
                )
        return self._parsed[food_id]

    def portions(self, food_id: str) -> tuple[Portion, ...]:
        """The food's household portions (not the default, not condiment guides)."""
        return self._entry(food_id)[0]

    def default_grams(self, food_id: str) -> float:
        """USDA's default amount of the food ("Quantity not specified") [g], NaN if none."""
        return self._entry(food_id)[1]

    def convert(
        self, amount: Amount, food_id: str, description: str, equivalent: str = "",
        equivalent_description: str = "", fndds: str = "",
    ) -> Converted:  # fmt: skip
        """Grams of ``amount`` of the food, through :func:`to_grams` and the fallbacks above.

        Parameters
        ----------
        amount : Amount
        food_id, description : str
            The chosen food.
        equivalent, equivalent_description : str
            The same food in the other table ("" when there is none).
        fndds : str
            The food whose default amount counts: the food itself when it is from FNDDS,
            else its FNDDS equivalent ("" when neither).

        Examples
        --------
        >>> from planner.amounts import parse_amount
        >>> book = default_book()
        >>> book.convert(parse_amount("1 medium"), "51180010", "Bagel", "18001",
        ...              "Bagels, plain, enriched", "51180010").grams
        105.0
        >>> book.convert(parse_amount("1 handful"), "42100100", "Almonds, NFS", "", "",
        ...              "42100100").basis
        'default_portion'
        >>> book.convert(parse_amount("2 smidgens"), "42100100", "Almonds, NFS", "", "",
        ...              "42100100").grams
        nan
        """
        own = to_grams(amount, self.portions(food_id), description)
        if own.ok:
            return Converted(own.grams, "", own.note)
        missing = own.note.split(";")[0]
        if equivalent:
            other = to_grams(amount, self.portions(equivalent), equivalent_description)
            if other.ok:
                read = (
                    f"read through '{equivalent_description}' (the same food in the other "
                    "USDA table)"
                )
                shown = _described(other, amount, self.portions(equivalent))
                return Converted(other.grams, "other_table", f"{missing}; {read}{shown}")
        default = self.default_grams(fndds) if fndds else math.nan
        if _defaultable(amount) and np.isfinite(default):
            whose = (
                description if fndds == food_id else f"the FNDDS food closest to '{description}'"
            )
            note = (
                f"{missing}; counted as USDA's default amount, {default:g} g each "
                f"('Quantity not specified' for {whose}): check the amount"
            )
            return Converted(amount.quantity * default, "default_portion", note)
        return Converted(math.nan, "", own.note)


def _defaultable(amount: Amount) -> bool:
    """Whether an amount is a count or a household measure a default amount can stand for."""
    if amount.kind == "count":
        return True
    words = re.sub(r"[^a-z ]", " ", amount.unit.lower()).split()
    return amount.kind == "measure" and bool(words) and words[0].rstrip("s") in HOUSEHOLD_WORDS


def _described(grams: Grams, amount: Amount, portions: tuple[Portion, ...]) -> str:
    """ ": 1 medium (3" dia) = 182 g" when one portion row gave the grams, else its note."""
    for p in portions:
        if p.amount and math.isclose(amount.quantity * p.grams / p.amount, grams.grams):
            return f": {p.amount:g} {p.measure} = {p.grams:g} g"
    return f" ({grams.note})" if grams.note else ""


@cache
def default_book() -> PortionBook:
    """The portion book of the bundled food table (built once per process)."""
    return PortionBook(load_portions())
