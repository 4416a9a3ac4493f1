"""The foods a plan may use, and the shortlist one day's model is built from.

:func:`plan_pool` applies a person's restrictions to the whole pool
(:func:`planner.pool.pool_foods`), adds their diary's foods, and gives every food its
nutrients, limit amounts and food groups per portion. :func:`shortlist` keeps, for one day
and per role, the foods densest in what the person needs per kcal and a seeded sample of
the others, so a model over some 200 foods instead of 900 can be solved in well under a
second while plans still vary from seed to seed and day to day.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from planner import nutrients as registry
from planner.candidates import (
    FORTIFIED_NIACIN,
    POTASSIUM_DENSE_MG,
    Restrictions,
    included_ids,
    portion_nutrients,
)
from planner.diet_tags import diet_tags
from planner.errors import PlanError, RestrictionError
from planner.foods import FAMILIES, load_foods, load_fped
from planner.pool import (
    GROUP_COLUMNS,
    OZ_GRAMS,
    fped_per_100,
    is_fortified,
    is_staple,
    measures_of,
    pool_foods,
    pool_rules,
    role_of,
)

# Food-group amounts per portion, named for the plan (FPED's columns in brackets):
# vegetables without legumes (v_total), legumes in cup-eq (v_legumes), fruits (f_total),
# grains (g_total), whole grains (g_whole), dairy (d_total), protein foods without legumes
# (pf_total).
PLAN_GROUPS = {
    "fg_vegetables": "v_total",
    "fg_legumes": "v_legumes",
    "fg_fruits": "f_total",
    "fg_grains": "g_total",
    "fg_whole_grains": "g_whole",
    "fg_dairy": "d_total",
    "fg_protein_foods": "pf_total",
}
# Per role: foods kept for their density, and a seeded sample of the rest (per day).
DENSE_PER_ROLE = {"protein": 8, "vegetable": 10, "grain": 8, "dairy": 6, "fruit": 6,
                  "starch": 3, "nuts_seeds": 5}  # fmt: skip
SAMPLE_PER_ROLE = {"protein": 4, "vegetable": 4, "grain": 3, "dairy": 2, "fruit": 4,
                   "starch": 2, "nuts_seeds": 2}  # fmt: skip
STAPLES_PER_ROLE = 6  # the densest everyday foods of each role, too
PER_MEAL_ROLE = 3  # and the densest of each role that suit each meal taking it
GLUTEN_FREE = r"gluten[ -]free"  # special foods, planned only for --no-gluten
# Nutrients that most often bind (the article's gap nutrients) weigh double in the score.
SCORE_WEIGHTS = {"magnesium_mg": 2.0, "potassium_mg": 2.0, "calcium_mg": 2.0,
                 "vitamin_d_ug": 2.0}  # fmt: skip
SCORE_CAP = 3.0


def plan_pool(
    restrictions: Restrictions,
    extra: pd.DataFrame | None = None,
    prices: pd.Series | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """The foods a plan may use under these restrictions, with per-portion values.

    Parameters
    ----------
    restrictions : Restrictions
    extra : pandas.DataFrame, optional
        The person's own foods (:func:`planner.candidates.diary_foods`): each joins the
        pool with ``from_diary`` set, with a role from its WWEIA category or SR28 food
        group; foods that fill no role in a meal (coffee, pizza, sweets) are left out and
        counted in the notes.
    prices : pandas.Series, optional
        Price per portion by food id: foods without one are left out.

    Returns
    -------
    (pandas.DataFrame, list of str)
        The pool (indexed by food id) and notes on what was left out.

    Raises
    ------
    RestrictionError
        For an ``include`` that names no food, or only foods the restrictions rule out.
    """
    notes: list[str] = []
    pool = pool_foods().copy()
    pool["from_diary"] = False
    if extra is not None and not extra.empty:
        pool, unplaced = _with_diary(pool, extra)
        if unplaced:
            notes.append(
                f"{len(unplaced)} of your diary's foods fill no role in a meal pattern and are "
                "not planned: "
                + ", ".join(sorted(unplaced)[:6])
                + (" and more" if len(unplaced) > 6 else "")
                + "."
            )
    pool = _with_values(pool)
    allowed = restrictions.allows(pool)
    if not restrictions.no_gluten:
        allowed &= ~pool["description"].str.contains(GLUTEN_FREE, case=False, regex=True)
    if restrictions.kidney_disease:
        allowed &= ~pool["potassium_dense"]
    _check_includes(pool, allowed, restrictions)
    pool = pool[allowed.to_numpy()]
    if prices is not None:
        priced = pool["food_id"].isin(prices.index)
        if not priced.any():
            raise PlanError("no candidate food has a price in the prices file")
        if (~priced).any():
            notes.append(f"{int((~priced).sum())} candidate foods have no price and are not used.")
        pool = pool[priced.to_numpy()].copy()
        pool["price"] = pool["food_id"].map(prices)
    if pool.empty:
        raise PlanError(
            f"no candidate foods are left under the restrictions ({restrictions.describe()})"
        )
    return pool, notes


def _with_values(pool: pd.DataFrame) -> pd.DataFrame:
    """Add per-portion nutrients (unknown as 0), limit amounts and food groups."""
    ids = list(registry.ids())
    values = portion_nutrients(pool)
    limits = portion_nutrients(pool, for_limits=True)
    limits[FORTIFIED_NIACIN] = np.where(is_fortified(pool), limits["niacin_mg"], 0.0)
    known = load_foods().reindex(pool["food_id"])[ids].notna().set_axis(pool.index)
    panel = [n.id for n in registry.nutrients() if n.role == "panel"]
    out = pool.copy()
    missing = ~known[panel].to_numpy()
    out["unknown"] = [tuple(n for n, m in zip(panel, row, strict=True) if m) for row in missing]
    out["potassium_dense"] = (values["potassium_mg"] > POTASSIUM_DENSE_MG) | ~known["potassium_mg"]
    out[ids] = values[ids]
    for column in limits.columns:
        out[f"limit::{column}"] = limits[column]
    scale = pool["portion_grams"] / 100.0
    for name, column in PLAN_GROUPS.items():
        out[name] = pool[column] * scale
    out["groups_known"] = pool[list(GROUP_COLUMNS)].notna().all(axis=1)
    return out


def _with_diary(pool: pd.DataFrame, extra: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Mark the diary's foods in the pool and add those it lacks."""
    rules = pool_rules()
    foods = load_foods()
    rows, unplaced = [], []
    for food_id, row in extra.iterrows():
        if food_id in pool.index:
            pool.loc[food_id, "from_diary"] = True
            continue
        food = foods.loc[food_id]
        if food["source"] == "fndds":
            code = food["wweia_code"]
            category = rules.categories.loc[code] if code in rules.categories.index else None
            base = category["role"] if category is not None else ""
            meals = tuple(category["meals"].split(";")) if base else ()
        else:
            code = ""
            group = rules.sr28_groups.loc[food["food_group"]] if food["food_group"] in (
                rules.sr28_groups.index) else None  # fmt: skip
            base = group["role"] if group is not None else ""
            meals = tuple(group["meals"].split(";")) if base else ()
        role = role_of(food["description"], code, base)
        portion = diary_portion(food_id, float(row["portion_grams"])) if role else None
        if not role or portion is None:
            unplaced.append(row["name"])
            continue
        own_meals = tuple(m for m in row["meals"] if m in meals) or meals
        rows.append(_diary_row(food, row, role, own_meals, portion))
    if rows:
        pool = pd.concat([pool, pd.DataFrame(rows).set_index("food_id", drop=False)])
    return pool, unplaced


def diary_portion(food_id: str, grams: float) -> dict | None:
    """The household portion nearest what the person logs (``grams``, the median of their
    entries), in half steps of one of the food's measures; by weight if it has none.

    Examples
    --------
    >>> diary_portion("01123", 100.0)["portion_measure"]  # two large eggs, about
    'large'
    """
    best = None
    for seq, amount, measure, each in measures_of(food_id):
        if measure.startswith(("Quantity not specified", "Guideline")) or not amount > 0:
            continue
        one = each / amount
        count = max(0.5, round(2 * grams / one) / 2)
        # near the logged grams, in few of the measure ("1 cup", not "12 medium")
        error = abs(count * one - grams) / grams + 0.02 * count
        if best is None or error < best[0] - 1e-9:
            best = (error, seq, count, measure, count * one)
    if best is None or best[0] > 0.3:
        count = max(0.5, round(2 * grams / OZ_GRAMS) / 2)
        return {"portion_seq": 0, "portion_amount": count, "portion_measure": "oz",
                "portion_grams": count * OZ_GRAMS}  # fmt: skip
    _, seq, count, measure, total = best
    return {"portion_seq": int(seq), "portion_amount": float(count),
            "portion_measure": measure, "portion_grams": float(total)}  # fmt: skip


def _diary_row(food: pd.Series, row: pd.Series, role: str, meals: tuple, portion: dict) -> dict:
    groups = (
        fped_per_100().loc[food.name, list(GROUP_COLUMNS)]
        if food.name in fped_per_100().index
        else pd.Series(math.nan, index=list(GROUP_COLUMNS))
    )
    if food["source"] == "fndds":
        fped = load_fped().reindex([food.name]).iloc[0].to_dict()
        frame = pd.DataFrame([{**food.to_dict(), **fped, "animal": _animal(role)}])
        tags = diet_tags(frame).iloc[0].to_dict()
    else:  # the diary reader's tags (from the SR28 food group, erring on "contains")
        tags = {t: bool(row[t]) for t in ("vegan", "vegetarian", "dairy", "nuts", "fish",
                                          "gluten")}  # fmt: skip
    return {
        "food_id": food.name,
        "source": food["source"],
        "name": row["name"],
        "description": food["description"],
        "role": role,
        "meals": meals,
        "family": "",
        "article": False,
        "staple": is_staple(food["description"]),
        "kind": food["description"].split(",", 1)[0].strip().lower(),
        "wweia_code": food["wweia_code"],
        **portion,
        **tags,
        **groups.to_dict(),
        "fped_source": "fped" if groups.notna().all() else "",
        "from_diary": True,
    }


def _animal(role: str) -> str:
    # a diary food outside the curated categories: assume the worst its role allows
    return {"dairy": "dairy", "protein": "meat"}.get(role, "plant")


def _check_includes(pool: pd.DataFrame, allowed: pd.Series, restrictions: Restrictions):
    for term in restrictions.include:
        named = pool.index.isin(included_ids(pool, [term]))
        if not named.any():
            raise RestrictionError(
                f"--include {term!r} names no food in the candidates; try a food id or a "
                "family (" + ", ".join(FAMILIES) + ")"
            )
        if not (named & allowed.to_numpy()).any():
            raise RestrictionError(
                f"--include {term!r} contradicts the restrictions "
                f"({restrictions.describe()}): every food it names is ruled out"
            )


def density_scores(pool: pd.DataFrame, targets_table: pd.DataFrame, kcal: float) -> pd.Series:
    """How well each food's nutrients per kcal match what the day needs per kcal.

    For each panel nutrient, the food's amount per kcal over the target's share of the
    energy target (1 means "as dense as the day must be"), capped at 3; the article's gap
    nutrients weigh double. Sodium above the CDRR's density takes points off.
    """
    energy = pool["energy_kcal"].clip(lower=10.0)
    score = pd.Series(0.0, index=pool.index)
    total = 0.0
    for n in registry.nutrients():
        if n.role != "panel" or n.id == "sodium_mg":
            continue
        need = targets_table.loc[n.id, "target"] / kcal
        if not need > 0:
            continue
        weight = SCORE_WEIGHTS.get(n.id, 1.0)
        score += weight * (pool[n.id] / energy / need).clip(upper=SCORE_CAP)
        total += weight
    cdrr = targets_table.loc["sodium_mg", "cdrr"]
    if cdrr > 0:
        salt = pool["sodium_mg"] / energy / (cdrr / kcal)
        score -= (salt - 1).clip(lower=0)
    return score / total


def shortlist(pool: pd.DataFrame, scores: pd.Series, rng: np.random.Generator,
              keep: set, banned: set, breadth: float = 1.0) -> pd.DataFrame:  # fmt: skip
    """One day's foods: per role the densest, the densest everyday foods, the densest for
    each meal that takes the role (eggs for breakfast, not only fish), a seeded sample of
    the rest, and every food the plan must keep (``--include``, the diary's); none of
    ``banned``. ``breadth`` scales every count (a wider shortlist when a day cannot be
    made from the first)."""
    from planner.patterns import meal_patterns, roles_for

    def top(n: float) -> int:
        return max(1, round(n * breadth))

    chosen: set = set(keep)
    available = pool[~pool.index.isin(list(banned - keep))]
    kinds = [k for k in meal_patterns() if k != "day"]
    for role, foods in available.groupby("role"):
        order = scores.reindex(foods.index).sort_values(ascending=False, kind="stable")
        dense = list(order.index[: top(DENSE_PER_ROLE.get(role, 6))])
        staples = [f for f in order.index if foods.at[f, "staple"]][: top(STAPLES_PER_ROLE)]
        for kind in kinds:
            if role in roles_for(kind):
                suits = [f for f in order.index if kind in foods.at[f, "meals"]]
                dense += _distinct(suits, foods, top(PER_MEAL_ROLE))
        dense = list(dict.fromkeys(dense + staples))
        rest = [f for f in foods.index if f not in dense]
        count = min(len(rest), top(SAMPLE_PER_ROLE.get(role, 3)))
        sample = list(rng.choice(rest, size=count, replace=False)) if count else []
        chosen.update(dense, sample)
    return pool.loc[[f for f in pool.index if f in chosen]]


def _distinct(order: list, foods: pd.DataFrame, count: int) -> list:
    """The first ``count`` foods of ``order`` of different families (or kinds, for foods of
    no family): beans, chicken and eggs rather than three beans."""
    seen, out = set(), []
    for f in order:
        key = foods.at[f, "family"] or foods.at[f, "kind"]
        if key not in seen:
            seen.add(key)
            out.append(f)
        if len(out) == count:
            break
    return out
