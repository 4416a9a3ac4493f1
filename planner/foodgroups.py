"""The registry of Dietary Guidelines food groups, as USDA's FPED measures them.

FPED (the Food Patterns Equivalents Database) gives, for each survey food, how many
cup-equivalents of fruit and vegetables, ounce-equivalents of grains and protein foods and
cup-equivalents of dairy 100 g of it holds. ``planner/data/food_groups.csv`` lists each
FPED column with planner's id, its unit and the Dietary Guidelines group and subgroup it
counts toward, so that the food table and the food patterns speak of the same groups.

Read with the standard library, like the nutrient registry, so importing it is free.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from planner.nutrients import _read_csv


@dataclass(frozen=True)
class FoodGroup:
    """One FPED food-group column.

    Attributes
    ----------
    id : str
        planner's id, FPED's column code in lower case (``"v_drkgr"``).
    fped_column : str
        FPED's header (``"V_DRKGR (cup eq.)"``).
    name : str
        Display name (``"Dark-green vegetables"``).
    unit : str
        ``cup_eq``, ``oz_eq``, ``g``, ``tsp_eq`` or ``drinks``, per 100 g of food.
    dga_group : str
        The Dietary Guidelines group it counts toward (``vegetables``), empty for the
        components the patterns limit rather than require (solid fats, added sugars).
    dga_subgroup : str
        The pattern's subgroup (``dark_green``), empty for a group total or a part the
        patterns do not name.
    """

    id: str
    fped_column: str
    name: str
    unit: str
    dga_group: str
    dga_subgroup: str


@cache
def food_groups() -> tuple[FoodGroup, ...]:
    """Every FPED column planner keeps, in FPED's order.

    Examples
    --------
    >>> [g.id for g in food_groups()][:3]
    ['f_total', 'f_citmlb', 'f_other']
    >>> {g.id: g.dga_group for g in food_groups()}["pf_nutsds"]
    'protein_foods'
    """
    return tuple(FoodGroup(**row) for row in _read_csv("food_groups.csv"))


def ids() -> tuple[str, ...]:
    """Every food-group id."""
    return tuple(g.id for g in food_groups())
