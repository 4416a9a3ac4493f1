"""Parse amount text and convert it to grams of a particular food.

People and exports write amounts as ``1 1/2 cups``, ``0.52``, ``2.00 x 0.5 cup, shredded``,
``2.00 medium (2-2/3" dia)`` or ``236.59 mL``. :func:`parse_amount` turns such text into a
quantity and a unit; :func:`to_grams` converts that to grams using the food's own portion
weights from USDA:

- mass units (g, kg, mg, oz, lb) convert directly;
- volume units (ml, l, cup, tbsp, tsp, fl oz, pint, quart) convert through the food's own
  volume portion (a cup of spinach is 30 g, a cup of milk 244 g), scaling linearly;
- household measures (``medium``, ``slice``, ``fillet``) must be one of the food's portions;
  the decorations exports add (``(2-2/3" dia)``, ``, shredded``) are tolerated.

A measure the food does not have is never guessed: the result says which measures it has.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

from planner.errors import AmountError

GRAMS_PER = {"g": 1.0, "kg": 1000.0, "mg": 0.001, "oz": 28.349523125, "lb": 453.59237}
ML_PER = {
    "ml": 1.0,
    "l": 1000.0,
    "cup": 236.5882365,
    "tbsp": 14.78676478125,
    "tsp": 4.92892159375,
    "fl oz": 29.5735295625,
    "pint": 473.176473,
    "quart": 946.352946,
}
UNIT_ALIASES = {
    "g": "g", "gr": "g", "gram": "g", "grams": "g", "gm": "g", "gms": "g",
    "kg": "kg", "kgs": "kg", "kilogram": "kg", "kilograms": "kg",
    "mg": "mg", "milligram": "mg", "milligrams": "mg",
    "oz": "oz", "ounce": "oz", "ounces": "oz", "onz": "oz",
    "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb",
    "ml": "ml", "milliliter": "ml", "milliliters": "ml", "millilitre": "ml", "millilitres": "ml",
    "l": "l", "liter": "l", "liters": "l", "litre": "l", "litres": "l",
    "cup": "cup", "cups": "cup", "c": "cup",
    "tbsp": "tbsp", "tbs": "tbsp", "tbl": "tbsp", "tablespoon": "tbsp", "tablespoons": "tbsp",
    "tsp": "tsp", "teaspoon": "tsp", "teaspoons": "tsp",
    "fl oz": "fl oz", "floz": "fl oz", "fl. oz": "fl oz", "fluid ounce": "fl oz",
    "fluid ounces": "fl oz",
    "pint": "pint", "pints": "pint", "pt": "pint",
    "quart": "quart", "quarts": "quart", "qt": "quart",
}  # fmt: skip
# Words that mean "one of the food itself": resolved to its medium (or single) portion.
VULGAR_FRACTIONS = {
    "½": "1/2", "⅓": "1/3", "⅔": "2/3", "¼": "1/4", "¾": "3/4", "⅛": "1/8", "⅜": "3/8",
    "⅝": "5/8", "⅞": "7/8", "⅕": "1/5",
}  # fmt: skip
COUNT_WORDS = {"", "each", "ea", "whole", "item", "items", "piece", "pieces", "pc", "pcs", "x"}
COUNT_MEASURES = ("medium", "each", "whole", "item", "piece", "fruit", "unit")

_NUMBER = r"(?:\d+\s+\d+/\d+|\d+/\d+|\d*\.\d+|\d+(?:\.\d*)?)"
# A number must end where it ends: "1.5.2 cup" is a typo, not 1.5 x .2 cups.
_END = r"(?![\d./])"
_AMOUNT = re.compile(
    rf"^\s*(?P<q1>{_NUMBER}){_END}\s*(?:(?:x|×|\*)\s*(?P<q2>{_NUMBER}){_END})?"
    r"\s*(?P<rest>.*?)\s*$",
    re.IGNORECASE,
)
# Cronometer writes "1.00  1  Tortilla": a count, then a number that belongs to the unit.
_LEADING_COUNT = re.compile(rf"^(?P<q>{_NUMBER})\s+(?P<rest>\D.*)$")


@dataclass(frozen=True)
class Amount:
    """A parsed amount: ``quantity`` of ``unit``.

    ``unit`` is a canonical mass or volume unit (``g``, ``cup``, ``fl oz``) or, for a
    household measure, the measure text as written (``medium (2-2/3" dia)``), lowercased.
    ``kind`` is ``mass``, ``volume``, ``count`` (no unit: one of the food) or ``measure``.
    """

    quantity: float
    unit: str
    kind: str


def parse_number(text: str) -> float:
    """Read ``2``, ``0.52``, ``1/2``, ``1 1/2`` or ``.5`` as a float.

    Examples
    --------
    >>> parse_number("1 1/2"), parse_number("1/2"), parse_number("0.52"), parse_number(".5")
    (1.5, 0.5, 0.52, 0.5)
    """
    text = text.strip()
    if " " in text:
        whole, frac = text.split(None, 1)
        return float(int(whole) + Fraction(frac))
    if "/" in text:
        fraction = Fraction(text)
        return float(fraction)
    return float(text)


def _canonical_unit(text: str) -> str | None:
    key = re.sub(r"[\s.]+", " ", text.strip().lower()).strip()
    key = key.replace("fl. oz", "fl oz")
    if key in UNIT_ALIASES:
        return UNIT_ALIASES[key]
    # "cups, chopped", "oz (28g)" and "fl oz (245ml)" keep their unit; the rest is decoration
    head = re.split(r"[,(]", key, maxsplit=1)[0].strip()
    return UNIT_ALIASES.get(head)


def parse_amount(text: str, unit: str | None = None) -> Amount:
    """Parse an amount, optionally with its unit in a separate column.

    Parameters
    ----------
    text : str
        ``"1 1/2 cups"``, ``"2.00 x 0.5 cup, shredded"``, ``"2"``...
    unit : str, optional
        The unit when the diary keeps it in its own column (planner's format, Lose It!).

    Returns
    -------
    Amount

    Raises
    ------
    AmountError
        For text without a leading number, a zero divisor, or a negative quantity.

    Examples
    --------
    >>> parse_amount("1 1/2 cups")
    Amount(quantity=1.5, unit='cup', kind='volume')
    >>> parse_amount("2.00 x 0.5 cup, shredded")
    Amount(quantity=1.0, unit='cup, shredded', kind='volume')
    >>> parse_amount('2.00 medium (2-2/3" dia)')
    Amount(quantity=2.0, unit='medium (2-2/3" dia)', kind='measure')
    >>> parse_amount("1½ cups").quantity
    1.5
    >>> parse_amount("3", "oz")
    Amount(quantity=3.0, unit='oz', kind='mass')
    """
    raw = str(text)
    if unit is not None and str(unit).strip():
        raw = f"{raw} {unit}"
    cleaned = raw.replace("\u00a0", " ")
    for glyph, fraction in VULGAR_FRACTIONS.items():  # "1½ cups" -> "1 1/2 cups"
        cleaned = cleaned.replace(glyph, f" {fraction}")
    cleaned = cleaned.strip()
    if cleaned.startswith("-"):
        raise AmountError(raw.strip(), "a negative amount cannot be eaten")
    match = _AMOUNT.match(cleaned)
    if not match:
        raise AmountError(raw.strip(), "does not start with a number")
    try:
        quantity = parse_number(match["q1"])
        if match["q2"]:
            quantity *= parse_number(match["q2"])
    except (ZeroDivisionError, ValueError, OverflowError):
        raise AmountError(raw.strip(), "is not a number") from None
    rest = re.sub(r"\s+", " ", match["rest"]).strip().lower()
    counted = _LEADING_COUNT.match(rest)
    if counted and not match["q2"]:
        # "1.00  1  Tortilla", "0.52 Serving (22 tsp...)" stay as measures; "1 1 tortilla"
        # multiplies the count by the number in front of the measure.
        quantity *= parse_number(counted["q"])
        rest = counted["rest"].strip()
    if not math.isfinite(quantity):
        raise AmountError(raw.strip(), "is not a finite number")
    canonical = _canonical_unit(rest)
    if canonical in GRAMS_PER:
        return Amount(quantity, canonical, "mass")
    if canonical in ML_PER:
        # keep the decoration ("cup, shredded") so the right cup of the food can be chosen
        _, comma, tail = rest.partition(",")
        decoration = tail.split("(")[0].strip() if comma else ""
        unit_text = f"{canonical}, {decoration}" if decoration else canonical
        return Amount(quantity, unit_text, "volume")
    if rest in COUNT_WORDS:
        return Amount(quantity, "", "count")
    return Amount(quantity, rest, "measure")


@lru_cache(maxsize=1 << 16)
def read_amount(text: str) -> Amount | str:
    """:func:`parse_amount` for a diary cell: the Amount, or the sentence saying why not.

    Cached, because a diary repeats a few amounts many times and both reading the diary
    (its ``quantity`` and ``unit``) and resolving its entries (grams) ask for them.

    Examples
    --------
    >>> read_amount("1 1/2 cups")
    Amount(quantity=1.5, unit='cup', kind='volume')
    >>> read_amount(""), read_amount("-1 cup")
    ('no amount given', "amount '-1 cup': a negative amount cannot be eaten")
    """
    if not str(text).strip():
        return "no amount given"
    try:
        return parse_amount(text)
    except AmountError as exc:
        return str(exc)


# --- grams ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Grams:
    """The result of converting an amount of a food to grams.

    ``grams`` is NaN when the amount cannot be converted honestly; ``note`` then says why
    and lists the measures the food has. When the conversion made a choice (which of the
    food's cups), ``note`` says which.
    """

    grams: float
    note: str = ""

    @property
    def ok(self) -> bool:
        return not math.isnan(self.grams)


@lru_cache(maxsize=1 << 15)
def _normalise_measure(text: str) -> str:
    text = re.sub(r"\([^)]*\)?", " ", text.lower())
    text = re.sub(r"[^a-z0-9%]+", " ", text)
    return " ".join(_singular(w) for w in text.split())


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


_VOLUME = rf"(?P<q>{_NUMBER})\s*(?P<unit>cups?|tbsp|tsp|fl oz|ml)\b"
# a volume inside a portion row ("serving 1/2 cup"), after a space
_EMBEDDED_VOLUME = re.compile(rf"(?:^|\s){_VOLUME}", re.IGNORECASE)
# a volume inside a diary's measure, also right after a bracket ("Serving (22 tsp, ...)")
_INNER_VOLUME = re.compile(rf"(?:^|[\s(]){_VOLUME}", re.IGNORECASE)
# The words FNDDS gives the everyday size of a measure it lists in several sizes.
STANDARD_SIZE = frozenset(["regular", "medium"])
# Measures that are a pack or a serving, not one item of the food.
NOT_ITEMS = frozenset(
    ["serving", "package", "pkg", "container", "can", "jar", "bottle", "box", "bag", "recipe",
     "batch", "nlea", "portion"]
)  # fmt: skip


def _measure_volume(measure: str, amount: float) -> tuple[str, float] | None:
    """How much volume a portion row stands for: ``("cup", 0.5)`` or None.

    Reads ``cup``, ``cup, chopped``, ``cup spaghetti not packed`` (the unit leads) and
    ``serving 1/2 cup`` (a volume inside the measure).

    Examples
    --------
    >>> _measure_volume("cup spaghetti not packed", 1.0), _measure_volume("serving 1/2 cup", 1.0)
    (('cup', 1.0), ('cup', 0.5))
    >>> _measure_volume('medium (7" to 7-7/8" long)', 1.0) is None
    True
    """
    words = re.sub(r"[,(].*$", "", measure.lower()).split()
    for n in (2, 1):
        unit = UNIT_ALIASES.get(" ".join(words[:n]).rstrip(".")) if len(words) >= n else None
        if unit in ML_PER:
            return unit, amount
    found = _volume_in(measure, _EMBEDDED_VOLUME)
    return None if found is None else (found[0], amount * found[1])


def _volume_in(text: str, pattern: re.Pattern) -> tuple[str, float] | None:
    """The first volume ``pattern`` finds in ``text``: (canonical unit, how many)."""
    hit = pattern.search(text.lower())
    if hit:
        unit = UNIT_ALIASES.get(hit["unit"].lower())
        if unit in ML_PER:
            return unit, parse_number(hit["q"])
    return None


class Portion(NamedTuple):
    """One household portion of a food, with what matching needs worked out once."""

    amount: float
    measure: str
    grams: float
    name: str  # the measure normalised: lowercase words, decorations dropped
    written: str  # the measure as written, lowercase, spaces collapsed
    volume: tuple[str, float] | None  # (unit, how many of it) for a volume measure


def portion_records(portions) -> tuple[Portion, ...]:
    """A food's portions (rows of the portion table, or Portions already) as Portions."""
    # a tuple whose first item is a Portion was made here (this is asked per conversion)
    if isinstance(portions, tuple) and (not portions or isinstance(portions[0], Portion)):
        return portions
    records = zip(portions["amount"], portions["measure"], portions["grams"], strict=True)
    return tuple(
        Portion(
            float(a), str(m), float(g), _normalise_measure(str(m)),
            " ".join(str(m).lower().split()), _measure_volume(str(m), float(a)),
        )
        for a, m, g in records
    )  # fmt: skip


def _list_measures(portions: tuple[Portion, ...]) -> str:
    if not portions:
        return "the food table has no household measures for this food"
    return "it has: " + "; ".join(f"{p.amount:g} {p.measure}" for p in portions)


class Rule(NamedTuple):
    """How grams follow from a quantity of one unit of one food, and the note that says so.

    The grams are ``quantity * factors[0] * factors[1] * ...``, multiplied in that order,
    so that a vectorised product over many quantities gives exactly the floats
    :func:`to_grams` gives one at a time. A unit that cannot be converted has the single
    factor NaN.

    Examples
    --------
    >>> rule = Rule((236.5882365, 0.25))  # a cup through a food's 1 cup of 59 g...
    >>> rule.grams(2.0) == 2.0 * 236.5882365 * 0.25, rule.ok
    (True, True)
    >>> Rule((math.nan,), "no 'slice' measure for this food").ok
    False
    """

    factors: tuple[float, ...]
    note: str = ""

    @property
    def ok(self) -> bool:
        return not any(math.isnan(f) for f in self.factors)

    def grams(self, quantity: float) -> float:
        """The grams of ``quantity`` units [g]."""
        for factor in self.factors:
            quantity = quantity * factor
        return quantity


def _none(note: str) -> Rule:
    return Rule((math.nan,), note)


def to_grams(amount: Amount, portions, food: str = "") -> Grams:
    """Convert an :class:`Amount` of one food to grams using that food's portions.

    Parameters
    ----------
    amount : Amount
    portions : pandas.DataFrame or tuple of Portion
        The food's rows of the portion table (``amount``, ``measure``, ``grams``), in
        USDA's order, or the same as :func:`portion_records` (faster when reused).
    food : str, optional
        The food's description; a bare count ("2" cookies) is read as the food's own item
        measure ("1 cookie") when the description names it.

    Examples
    --------
    >>> import pandas as pd
    >>> banana = pd.DataFrame({"amount": [1.0, 1.0], "grams": [150.0, 118.0],
    ...                        "measure": ["cup, sliced", 'medium (7" to 7-7/8" long)']})
    >>> to_grams(parse_amount("2 medium"), banana).grams
    236.0
    >>> to_grams(parse_amount("1/2 cup"), banana).grams
    75.0
    >>> print(to_grams(parse_amount("1 slice"), banana).note)
    no 'slice' measure for this food; it has: 1 cup, sliced; 1 medium (7" to 7-7/8" long)
    """
    rule = grams_rule(amount.unit, amount.kind, portions, food)
    return Grams(rule.grams(amount.quantity), rule.note)


def grams_rule(unit: str, kind: str, portions, food: str = "") -> Rule:
    """How an amount of ``unit`` (of ``kind``, as :class:`Amount` has them) of one food
    turns into grams, whatever the quantity: :func:`to_grams` without the quantity.

    A diary names the same unit of the same food with many quantities ("1 cup", "2 cups");
    the choice of portion and the note depend on the unit only, so a cohort works it out
    once per food and unit and multiplies (:class:`Rule`).

    Examples
    --------
    >>> grams_rule("oz", "mass", ()).grams(2.0)
    56.69904625
    """
    if kind == "mass":
        return Rule((GRAMS_PER[unit],))
    portions = portion_records(portions)
    if kind == "volume":
        return _volume_rule(unit, portions)
    if kind == "count":
        return _count_rule(portions, food)
    return _measure_rule(unit, portions, food)


def _per_unit(row) -> float:
    return row.grams / row.amount if row.amount else math.nan


def _volume_rule(measure: str, portions: tuple[Portion, ...]) -> Rule:
    unit = measure.split(",")[0].strip()
    wanted = _normalise_measure(measure)
    plain = _normalise_measure(unit)
    candidates = [(p, *p.volume) for p in portions if p.volume is not None and p.volume[1] > 0]
    if not candidates:
        return _none(f"no volume measure for this food; {_list_measures(portions)}")
    # 1) the same measure with the same decoration ("cup, shredded"); 2) the plain unit;
    # 3) the same unit with any decoration, USDA's first; 4) any volume measure.
    for pick in (
        lambda r, v: r.name == wanted,
        lambda r, v: v == unit and r.name == plain,
        lambda r, v: v == unit,
        lambda r, v: True,
    ):
        chosen = [(r, v, n) for r, v, n in candidates if pick(r, v)]
        if chosen:
            row, vol, count = chosen[0]
            break
    grams_per_ml = row.grams / (count * ML_PER[vol])
    note = ""
    others = [r.measure for r, v, _ in candidates if r is not row and v == vol]
    if row.name != wanted:
        note = (
            f"{unit} converted through the food's '{row.amount:g} {row.measure}' ({row.grams:g} g)"
        )
        if others:
            note += f"; it also has {', '.join(others)}"
    return Rule((ML_PER[unit], grams_per_ml), note)


def _item_rows(portions: tuple[Portion, ...], food: str):
    """Portion rows that are one item of the food, best first (for bare counts)."""
    food_words = set(_normalise_measure(food).split())
    for test in (
        lambda n: n.split()[0] in COUNT_MEASURES,  # "medium", "each", "whole"...
        lambda n: "medium" in n.split(),  # "potato medium", "ear medium"
        lambda n: n.split()[0] in food_words,  # "cookie" for "Cookies, chocolate chip"
    ):
        for row in portions:
            if _is_item(row) and test(row.name):
                yield row


def _is_item(row: Portion) -> bool:
    words = row.name.split()
    return bool(words) and words[0] not in NOT_ITEMS | GRAMS_PER.keys() and row.volume is None


def _count_rule(portions: tuple[Portion, ...], food: str = "") -> Rule:
    row = next(_item_rows(portions, food), None)
    if row is None:
        return _none(f"no unit given and no single-item measure; {_list_measures(portions)}")
    return Rule((_per_unit(row),), f"counted as '{row.measure}' ({_per_unit(row):g} g each)")


def _measure_rule(measure: str, portions: tuple[Portion, ...], food: str = "") -> Rule:
    wanted = _normalise_measure(measure)
    if not wanted:
        return _count_rule(portions, food)
    # the measure exactly as the food has it first: the decoration can be what tells two
    # portions apart ("container (6 oz)" and "container (8 oz)")
    written = " ".join(measure.lower().split())
    for row in portions:
        if row.written == written:
            return Rule((_per_unit(row),))
    wanted_words = set(wanted.split())
    # exact (decorations removed), then the standard size of the measure named (FNDDS:
    # "1 slice" of bread is its "medium or regular slice", not "slice, crust not eaten"),
    # then the food's measure starting with the words given, then the words given starting
    # with the food's measure ("slice white bread" -> slice), then a measure holding every
    # word given ("medium" in "potato medium")
    for test in (
        lambda n: n == wanted,
        lambda n: wanted_words <= set(n.split()) and bool(STANDARD_SIZE & set(n.split())),
        lambda n: n.startswith(wanted + " "),
        lambda n: wanted.startswith(n + " "),
        lambda n: wanted_words <= set(n.split()),
    ):
        for row in portions:
            if row.name and test(row.name):
                note = "" if row.name == wanted else f"read as '{row.amount:g} {row.measure}'"
                return Rule((_per_unit(row),), note)
    inner = _embedded_amount(measure)
    if inner is not None:  # "serving (28 g)", "0.52 Serving (22 tsp, whole pieces)"
        # the quantity times the inner amount, then the inner unit's own factors
        rule = grams_rule(inner.unit, inner.kind, portions)
        if rule.ok:
            note = f"read through the {inner.quantity:g} {inner.unit} the measure names"
            return Rule(
                (inner.quantity, *rule.factors), "; ".join(n for n in (note, rule.note) if n)
            )
    return _none(f"no '{measure}' measure for this food; {_list_measures(portions)}")


_EMBEDDED_MASS = re.compile(rf"(?:^|[\s(])(?P<q>{_NUMBER})\s*(?P<unit>g|kg|mg|oz|lb)\b")


def _embedded_amount(measure: str) -> Amount | None:
    """A mass or volume written inside a measure the food does not have, mass first.

    Examples
    --------
    >>> _embedded_amount("serving (28g)"), _embedded_amount("serving (22 tsp, whole pieces)")
    (Amount(quantity=28.0, unit='g', kind='mass'), Amount(quantity=22.0, unit='tsp', kind='volume'))
    >>> _embedded_amount("medium (7 inch)") is None
    True
    """
    text = measure.lower()
    hit = _EMBEDDED_MASS.search(text)
    if hit:
        return Amount(parse_number(hit["q"]), hit["unit"], "mass")
    found = _volume_in(text, _INNER_VOLUME)
    return None if found is None else Amount(found[1], found[0], "volume")
