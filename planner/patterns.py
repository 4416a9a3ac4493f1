"""Meal patterns and the Dietary Guidelines food patterns a planned day keeps to.

Both are data in ``planner/data/``:

- ``meal_patterns.csv``: per meal (``breakfast``, ``lunch``, ``dinner``, ``snack``, and
  ``day`` for the whole day), slots with the food roles that fill them and how many foods
  of those roles the meal takes (``min``, ``max``; ``*`` fills with every role).
- ``dga_food_patterns.csv``: the USDA Food Patterns of the Dietary Guidelines for
  Americans 2020-2025 (Healthy U.S.-Style, Healthy Vegetarian, Healthy Mediterranean-Style)
  per energy level, 1,000 to 3,200 kcal (copied from the project's reference folder;
  ``dga_food_patterns.md`` gives the source).
- ``food_group_limits.csv``: how close to the pattern a day must be: at least
  ``min_share`` and at most ``max_share`` of each group's amount.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from planner.nutrients import _read_csv

LEVELS = tuple(range(1000, 3201, 200))
PATTERN_NAMES = {
    "healthy_us_style": "Healthy U.S.-Style",
    "healthy_vegetarian": "Healthy Vegetarian",
}
GROUPS = ("vegetables", "fruits", "grains", "dairy", "protein_foods")
UNITS = {"cup_eq": "cup-eq", "oz_eq": "oz-eq"}
WHOLE_GRAIN_SHARE = 0.5  # "make at least half your grains whole grains"
# The DGA's footnote: children 2 to 8 stay at 2 1/2 cup-eq of dairy (2 at ages 2 and 3).
CHILD_DAIRY = ((4, 2.0), (9, 2.5))


@dataclass(frozen=True)
class Slot:
    """One line of a meal pattern: ``min`` to ``max`` foods whose role is in ``fills``."""

    meal: str
    name: str
    fills: frozenset
    min: int | None
    max: int | None

    def takes(self, role: str) -> bool:
        return "*" in self.fills or role in self.fills


@cache
def meal_patterns() -> dict[str, tuple[Slot, ...]]:
    """The slots of each meal kind (and of ``day``), in file order.

    Examples
    --------
    >>> [s.name for s in meal_patterns()["lunch"]][:3]
    ['protein food', 'vegetable', 'grain or starch']
    >>> meal_patterns()["breakfast"][0].fills
    frozenset({'grain'})
    """
    patterns: dict[str, list[Slot]] = {}
    for row in _read_csv("meal_patterns.csv"):
        slot = Slot(
            meal=row["meal"],
            name=row["slot"],
            fills=frozenset(row["fills"].split(";")),
            min=int(row["min"]) if row["min"] else None,
            max=int(row["max"]) if row["max"] else None,
        )
        patterns.setdefault(slot.meal, []).append(slot)
    return {meal: tuple(slots) for meal, slots in patterns.items()}


def roles_for(kind: str) -> frozenset:
    """The roles a meal kind takes: every role a slot of it names."""
    return frozenset().union(*(s.fills for s in meal_patterns()[kind])) - {"*"}


@dataclass(frozen=True)
class GroupTarget:
    """A food group's amount in the pattern and the range a day keeps to."""

    group: str
    name: str
    unit: str
    amount: float
    minimum: float
    maximum: float
    required: bool = True


@dataclass(frozen=True)
class FoodPattern:
    """The Dietary Guidelines pattern a plan keeps to, at one energy level."""

    pattern: str
    level: int
    groups: dict
    note: str = ""

    @property
    def label(self) -> str:
        return f"{PATTERN_NAMES[self.pattern]} pattern at {self.level:,} kcal"


def pattern_level(kcal: float) -> int:
    """The pattern's energy level for an energy target: the nearest of 1,000 to 3,200 kcal
    in steps of 200 (a tie goes to the lower level); below 1,000 kcal the 1,000-kcal
    level, above 3,200 the 3,200-kcal level.

    Examples
    --------
    >>> pattern_level(2000), pattern_level(2340), pattern_level(2300), pattern_level(900)
    (2000, 2400, 2200, 1000)
    """
    return min(LEVELS, key=lambda level: (abs(level - kcal), level))


@cache
def _pattern_table() -> dict:
    table: dict = {}
    for row in _read_csv("dga_food_patterns.csv"):
        if row["per"] != "day" or row["food_group"] not in GROUPS:
            continue
        key = (row["pattern"], row["food_group"], row["subgroup"])
        table[key] = (row["unit"], {lv: float(row[f"kcal_{lv}"]) for lv in LEVELS})
    return table


@cache
def _limits() -> dict:
    return {r["food_group"]: r for r in _read_csv("food_group_limits.csv")}


def food_pattern(kcal: float, age: float, vegetarian: bool, dairy_required: bool = True):
    """The food-group targets of a day.

    Parameters
    ----------
    kcal : float [kcal/day]
        The energy target.
    age : float [years]
    vegetarian : bool
        The Healthy Vegetarian pattern (for vegetarians and vegans), else Healthy
        U.S.-Style.
    dairy_required : bool
        False with --no-dairy or --vegan: dairy keeps its maximum but has no minimum.

    Returns
    -------
    FoodPattern

    Examples
    --------
    >>> p = food_pattern(2000, 45, vegetarian=False)
    >>> p.level, p.groups["vegetables"].amount, p.groups["vegetables"].minimum
    (2000, 2.5, 2.0)
    >>> food_pattern(1600, 6, vegetarian=False).groups["dairy"].amount
    2.5
    """
    name = "healthy_vegetarian" if vegetarian else "healthy_us_style"
    level = pattern_level(kcal)
    above = max(1.0, kcal / LEVELS[-1])  # past 3,200 kcal the maximum grows with energy
    groups = {}
    for group in GROUPS:
        unit, amounts = _pattern_table()[(name, group, "")]
        amount = amounts[level]
        if group == "dairy":
            for below, cap in CHILD_DAIRY:
                if age < below:
                    amount = min(amount, cap)
                    break
        limit = _limits()[group]
        required = dairy_required or group != "dairy"
        groups[group] = GroupTarget(
            group=group,
            name=limit["name"],
            unit=UNITS[unit],
            amount=amount,
            minimum=float(limit["min_share"]) * amount if required else 0.0,
            maximum=float(limit["max_share"]) * amount * above,
            required=required,
        )
    note = ""
    if age < 2:
        note = (
            "The Dietary Guidelines' patterns for ages 2 and older are used; the patterns for "
            "toddlers are not in planner. "
        )
    if kcal < LEVELS[0] or kcal > LEVELS[-1]:
        note += (
            f"The energy target ({kcal:,.0f} kcal) is outside the patterns' 1,000-3,200 kcal; "
            f"the {level:,}-kcal pattern is used."
        )
    return FoodPattern(name, level, groups, note.strip())


def legume_split(base: dict, legumes: float, pattern: FoodPattern) -> float:
    """How many cup-eq of beans, peas and lentils count as vegetables (the rest count as
    protein foods, 4 oz-eq per cup-eq; never both).

    The Healthy Eating Index's rule: legumes count as protein foods until protein foods
    reach the pattern's amount, the rest as vegetables; moved, where needed, so that both
    groups are within their range when some split allows it.

    Parameters
    ----------
    base : dict
        ``vegetables`` (cup-eq, legumes left out) and ``protein_foods`` (oz-eq, legumes
        left out) of the day.
    legumes : float [cup-eq]

    Examples
    --------
    >>> p = food_pattern(2000, 45, vegetarian=False)
    >>> legume_split({"vegetables": 2.5, "protein_foods": 3.5}, 1.0, p)
    0.5
    """
    veg, protein = pattern.groups["vegetables"], pattern.groups["protein_foods"]
    v0, p0 = base["vegetables"], base["protein_foods"]
    preferred = max(0.0, legumes - max(0.0, protein.amount - p0) / 4)
    low = max(0.0, veg.minimum - v0, legumes - (protein.maximum - p0) / 4)
    high = min(legumes, veg.maximum - v0, legumes - (protein.minimum - p0) / 4)
    if low <= high + 1e-9:
        return min(max(preferred, low), high)
    return min(preferred, legumes)


def is_close(value: float, target: GroupTarget) -> bool:
    """Whether a day's amount of a group is within its range."""
    return (
        not math.isnan(value) and value >= target.minimum - 1e-6 and value <= target.maximum + 1e-6
    )
