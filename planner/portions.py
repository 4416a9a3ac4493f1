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
from functools import cache, lru_cache

import numpy as np
import pandas as pd

from planner.amounts import Amount, Grams, Portion, Rule, grams_rule, portion_records
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
        reading = self.reading(
            amount.unit, amount.kind, food_id, description, equivalent, equivalent_description,
            fndds,
        )  # fmt: skip
        return reading.converted(amount.quantity)

    def reading(
        self, unit: str, kind: str, food_id: str, description: str, equivalent: str = "",
        equivalent_description: str = "", fndds: str = "", own: Rule | None = None,
    ) -> Reading:  # fmt: skip
        """How any quantity of ``unit`` (of ``kind``, as :class:`Amount` has them) of the
        food is read: :meth:`convert` without the quantity. Parameters as :meth:`convert`;
        ``own`` is the food's own :class:`Rule` for the unit when already worked out.
        """
        if kind == "mass":  # grams whatever the food: its portions are not needed
            return Reading(grams_rule(unit, kind, ()))
        if own is None:
            own = grams_rule(unit, kind, self.portions(food_id), description)
        if own.ok:
            return Reading(own, "", own.note)
        missing = own.note.split(";")[0]
        if equivalent:
            portions = self.portions(equivalent)
            other = grams_rule(unit, kind, portions, equivalent_description)
            if other.ok:
                read = (
                    f"read through '{equivalent_description}' (the same food in the other "
                    "USDA table)"
                )
                return Reading(other, "other_table", f"{missing}; {read}", portions)
        default = self.default_grams(fndds) if fndds else math.nan
        if _defaultable(unit, kind) and np.isfinite(default):
            whose = (
                description if fndds == food_id else f"the FNDDS food closest to '{description}'"
            )
            note = (
                f"{missing}; counted as USDA's default amount, {default:g} g each "
                f"('Quantity not specified' for {whose}): check the amount"
            )
            return Reading(Rule((default,)), "default_portion", note)
        return Reading(own, "", own.note)


@dataclass(frozen=True)
class Reading:
    """How any quantity of one unit of one food is read: the :class:`Rule` that gives the
    grams, the basis (:data:`BASES`) and the note.

    For ``other_table`` the note ends with the portion of the other food that gave the
    grams, which :meth:`converted` finds among ``shown`` for the quantity.
    """

    rule: Rule
    basis: str = ""
    note: str = ""
    shown: tuple[Portion, ...] = ()

    def converted(self, quantity: float) -> Converted:
        """The reading of ``quantity`` units."""
        grams = self.rule.grams(quantity)
        if self.basis != "other_table":
            return Converted(grams, self.basis, self.note)
        shown = _described(Grams(grams, self.rule.note), quantity, self.shown)
        return Converted(grams, self.basis, self.note + shown)


@lru_cache(maxsize=1 << 12)
def _defaultable(unit: str, kind: str) -> bool:
    """Whether an amount is a count or a household measure a default amount can stand for."""
    if kind == "count":
        return True
    words = re.sub(r"[^a-z ]", " ", unit.lower()).split()
    return kind == "measure" and bool(words) and words[0].rstrip("s") in HOUSEHOLD_WORDS


def _described(grams: Grams, quantity: float, portions: tuple[Portion, ...]) -> str:
    """ ": 1 medium (3" dia) = 182 g" when one portion row gave the grams, else its note."""
    for p in portions:
        if p.amount and math.isclose(quantity * p.grams / p.amount, grams.grams):
            return f": {p.amount:g} {p.measure} = {p.grams:g} g"
    return f" ({grams.note})" if grams.note else ""


def convert_rows(
    food: np.ndarray,
    foods: np.ndarray,
    amount: np.ndarray,
    amounts: list[Amount],
    describe,
    equivalents,
    book: PortionBook | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Grams, basis and note for many rows, each distinct food and unit read once.

    A cohort writes the same unit of the same food with many quantities; each distinct
    (food, unit) is read once (:meth:`PortionBook.reading`), with the same food in the
    other table looked up, in one call, only for the foods that lack a unit, and the grams
    of every row are the rule's product over its quantity: the same floats, basis and note
    as :meth:`PortionBook.convert` row by row.

    Parameters
    ----------
    food : numpy.ndarray of int
        Per row, the index of its food in ``foods``.
    foods : numpy.ndarray of str
        The distinct food ids.
    amount : numpy.ndarray of int
        Per row, the index of its amount in ``amounts``.
    amounts : list of Amount
        The distinct parsed amounts (None for one that could not be read: no row of
        ``amount`` points at it).
    describe : callable
        Food id -> description ("" when unknown).
    equivalents : callable
        Food ids -> dict of food id -> the same food in the other table ("" for none)
        (:meth:`planner.matching.FoodMatcher.equivalents`).
    book : PortionBook, optional
        Defaults to :func:`default_book`.

    Returns
    -------
    grams : numpy.ndarray of float [g]
    basis, note : numpy.ndarray of str (object)
    """
    book = book or default_book()
    n = len(food)
    if n == 0:
        return np.zeros(0), np.zeros(0, dtype=object), np.zeros(0, dtype=object)
    labels = ["" if a is None else f"{a.kind}|{a.unit}" for a in amounts]
    units, unit_of = np.unique(labels, return_inverse=True)
    # a mass is the same grams whatever the food: one reading per mass unit
    mass = np.array([a is not None and a.kind == "mass" for a in amounts], dtype=bool)
    whose = np.where(mass[amount], -1, food.astype(np.int64))
    _, first, inverse = np.unique(
        (whose + 1) * len(units) + unit_of[amount], return_index=True, return_inverse=True
    )
    inverse = inverse.reshape(-1)
    todo = [(foods[food[r]], amounts[amount[r]]) for r in first]
    readings = _readings(todo, book, describe, equivalents)
    # the grams: quantity x factor 1 x factor 2 x factor 3, in that order (x 1.0 is exact)
    width = max(len(r.rule.factors) for r in readings)
    factors = np.ones((len(readings), width))
    for i, r in enumerate(readings):
        factors[i, : len(r.rule.factors)] = r.rule.factors
    quantity = np.array([math.nan if a is None else a.quantity for a in amounts])[amount]
    grams = quantity.copy()
    for j in range(width):
        grams = grams * factors[inverse, j]
    basis = np.array([r.basis for r in readings], dtype=object)[inverse]
    note = np.array([r.note for r in readings], dtype=object)[inverse]
    # a note read through the other table names the portion that gave the grams, which is
    # found for each quantity: once per distinct (food, unit, quantity)
    other = np.array([r.basis == "other_table" for r in readings])[inverse]
    if other.any():
        rows = np.flatnonzero(other)
        pairs = pd.DataFrame({"key": inverse[rows], "q": quantity[rows]})
        codes, distinct = pd.MultiIndex.from_frame(pairs).factorize()
        told = np.array([readings[k].converted(q).note for k, q in distinct], dtype=object)
        note[rows] = told[codes]
    return grams, basis, note


def _readings(todo, book: PortionBook, describe, equivalents) -> list[Reading]:
    """The reading of each (food id, amount), through the food's own portions first, then
    (in one call for all the foods that lack a unit) through its equivalent's."""
    readings = [book.reading(a.unit, a.kind, food_id, describe(food_id)) for food_id, a in todo]
    lacking = [i for i, r in enumerate(readings) if not r.rule.ok]
    if lacking:
        same = equivalents(dict.fromkeys(todo[i][0] for i in lacking))
        for i in lacking:
            food_id, a = todo[i]
            other = same.get(food_id, "")
            fndds = food_id if len(food_id) == 8 else (other if len(other) == 8 else "")
            readings[i] = book.reading(
                a.unit, a.kind, food_id, describe(food_id), other, describe(other), fndds,
                readings[i].rule,
            )  # fmt: skip
    return readings


@cache
def default_book() -> PortionBook:
    """The portion book of the bundled food table (built once per process)."""
    return PortionBook(load_portions())
