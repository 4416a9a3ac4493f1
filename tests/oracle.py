"""An independent reading of the committed tables, for checking suggestions and plans.

The optimiser tests recompute what a set of foods adds straight from the CSV files in
``foods/``, without planner's loaders, so a bug in those loaders cannot hide itself.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
NUTRIENTS = [
    "energy_kcal", "protein_g", "magnesium_mg", "potassium_mg", "calcium_mg", "sodium_mg",
    "vitamin_d_ug", "thiamin_mg", "riboflavin_mg", "niacin_mg", "vitamin_b6_mg",
    "folate_dfe_ug", "vitamin_b12_ug", "folic_acid_ug",
]  # fmt: skip
FOODS = pd.read_csv(ROOT / "foods" / "foods.csv", dtype={"food_id": str}).set_index("food_id")
ARTICLE = pd.read_csv(ROOT / "foods" / "article_foods.csv", dtype={"food_id": str}).set_index(
    "food_id"
)
PORTIONS = pd.read_csv(ROOT / "foods" / "portions.csv", dtype={"food_id": str}).set_index(
    ["food_id", "seq"]
)["grams"]
# What candidates.py documents for upper limits: an unknown value counts as the 95th
# percentile per 100 g of the nutrient in the food's USDA food group.
GROUP_P95 = FOODS.groupby("food_group")[NUTRIENTS].quantile(0.95)


def portion_grams(food_id: str) -> float:
    """The typical portion's grams, looked up in portions.csv by the article's seq."""
    return float(PORTIONS.loc[(food_id, int(ARTICLE.loc[food_id, "portion_seq"]))])


def per_100(food_id: str, nutrient: str, for_limits: bool = False) -> float:
    """Per 100 g; unknown counts as 0 for targets and as the group's p95 for limits."""
    value = FOODS.loc[food_id, nutrient]
    if math.isnan(value):
        group = FOODS.loc[food_id, "food_group"]
        value = GROUP_P95.loc[group, nutrient] if for_limits else 0.0
    return float(value)


def amount(foods: pd.DataFrame, nutrient: str, for_limits: bool = False) -> float:
    """What ``foods`` (rows with ``food_id`` and ``portions``) add of ``nutrient``."""
    return sum(
        portion_grams(r.food_id) * r.portions * per_100(r.food_id, nutrient, for_limits) / 100
        for r in foods.itertuples()
    )
