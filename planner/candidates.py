"""The foods planner may suggest or plan with, filtered by a person's restrictions.

Candidates come from the article's foods table (``foods/article_foods.csv``): the food
families the reference article names. Each candidate carries its typical household
portion and the nutrients in one portion.

Unknown values are treated two ways, on purpose:

- towards a target, an unknown amount counts as nothing (planner never relies on a
  nutrient the data does not show);
- towards an upper limit, an unknown amount in a candidate food counts as a high but
  plausible one: the 95th percentile per 100 g of that nutrient in the food's USDA food
  group. So a plan or add-on cannot pass a UL through a hole in the data. (A diary's own
  unknowns, many cells over many days, count at their group's mean instead: see
  :mod:`planner.limits`.)
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from planner import nutrients as registry
from planner.errors import RestrictionError
from planner.foods import FAMILIES, load_article_foods, load_foods

# National Kidney Foundation: a serving with more than 200 mg of potassium is high.
POTASSIUM_DENSE_MG = 200.0


@dataclass(frozen=True)
class Restrictions:
    """What a person does not eat, and what they want kept.

    ``exclude`` and ``include`` hold food ids, families (``fatty_fish``) or words of a
    food's description (``salmon``).
    """

    vegetarian: bool = False
    vegan: bool = False
    no_dairy: bool = False
    no_nuts: bool = False
    no_fish: bool = False
    no_gluten: bool = False
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    kidney_disease: bool = False
    on_diuretics: bool = False

    def describe(self) -> str:
        words = [
            name.replace("_", "-")
            for name in ("vegan", "vegetarian", "no_dairy", "no_nuts", "no_fish", "no_gluten")
            if getattr(self, name)
        ]
        if self.exclude:
            words.append("excluding " + ", ".join(self.exclude))
        if self.kidney_disease:
            words.append("kidney disease (no potassium-dense foods)")
        return "; ".join(words) if words else "none"

    def allows(self, table: pd.DataFrame) -> pd.Series:
        """Boolean mask of the rows of an article-foods-like table these rules allow."""
        ok = pd.Series(True, index=table.index)
        if self.vegan:
            ok &= table["vegan"]
        if self.vegetarian:
            ok &= table["vegetarian"]
        for flag, tag in (
            (self.no_dairy, "dairy"),
            (self.no_nuts, "nuts"),
            (self.no_fish, "fish"),
            (self.no_gluten, "gluten"),
        ):
            if flag:
                ok &= ~table[tag]
        for term in self.exclude:
            ok &= ~_names(table, term)
        return ok


def _names(table: pd.DataFrame, term: str) -> pd.Series:
    """Rows a term names: a food id, a family, or every word of a description."""
    term = term.strip().lower()
    if term in FAMILIES or term.replace(" ", "_") in FAMILIES:
        return table["family"].eq(term.replace(" ", "_"))
    if term.isdigit():
        return table["food_id"].eq(term.zfill(5))
    words = term.replace(",", " ").split()
    text = table["description"].str.lower()
    mask = pd.Series(True, index=table.index)
    for word in words:
        stem = word[:-1] if len(word) > 3 and word.endswith("s") else word
        mask &= text.str.contains(stem, regex=False)
    return mask


@cache
def ul_fill_values() -> pd.DataFrame:
    """Per USDA food group, the 95th percentile per 100 g of each nutrient (for UL checks)."""
    foods = load_foods()
    ids = list(registry.ids())
    return foods.groupby("food_group")[ids].quantile(0.95)


FORTIFIED_NIACIN = "niacin_fortified_mg"


def food_ul_limits(targets_table: pd.DataFrame) -> dict[str, float]:
    """The ULs that apply to food, keyed by the column they are checked on.

    Calcium, vitamin D and B6 are checked on themselves; folate's UL on folic acid, the
    synthetic form it covers; niacin's UL, which covers nicotinic acid from supplements and
    fortified foods, on the niacin of fortified foods (:data:`FORTIFIED_NIACIN`). The
    magnesium UL covers supplements only and sodium has a CDRR, not a UL: neither is here.
    """
    limits = {}
    for nid, row in targets_table.iterrows():
        if nid == "sodium_mg" or not row.ul_applies_to_food or math.isnan(row.ul):
            continue
        key = FORTIFIED_NIACIN if nid == "niacin_mg" else row.ul_nutrient
        limits[key] = float(row.ul)
    return limits


def limit_nutrients(table: pd.DataFrame) -> pd.DataFrame:
    """Per portion of each row, the amounts checked against upper limits.

    Unknown values count high (see the module docstring), and :data:`FORTIFIED_NIACIN` is
    the niacin of the fortified-foods family (zero for other foods).
    """
    values = portion_nutrients(table, for_limits=True)
    fortified = table["family"].eq("fortified_foods").to_numpy()
    values[FORTIFIED_NIACIN] = np.where(fortified, values["niacin_mg"], 0.0)
    return values


def diary_limit_intakes(entries: pd.DataFrame) -> pd.DataFrame:
    """Per day, the diary's intake of each UL-checked amount, with an allowance for unknowns.

    Known values, food and supplements, plus for each unknown value the mean of its USDA
    food group (or the diary's own density per kcal for a row without a food): see
    :mod:`planner.limits`, which explains why the diary's many unknowns are not counted
    high as the add-on's own few are. Fortified niacin is the niacin of supplements and
    of fortified foods (:func:`planner.sources.fortified_rows`).
    """
    from planner.limits import diary_limit_days

    return diary_limit_days(entries)["intake"]


def portion_nutrients(table: pd.DataFrame, for_limits: bool = False) -> pd.DataFrame:
    """Nutrients in one typical portion of each row of ``table``.

    ``table`` needs ``food_id`` and ``portion_grams``. With ``for_limits`` an unknown value
    becomes the food group's 95th percentile; otherwise it becomes 0.
    """
    foods = load_foods()
    ids = list(registry.ids())
    per_100 = foods.reindex(table["food_id"])[ids]
    per_100.index = table.index
    if for_limits:
        groups = foods["food_group"].reindex(table["food_id"]).to_numpy()
        fill = ul_fill_values().reindex(groups)
        fill.index = table.index
        per_100 = per_100.fillna(fill)
    per_100 = per_100.fillna(0.0)
    return per_100.mul(table["portion_grams"].to_numpy() / 100.0, axis=0)


def candidate_foods(
    restrictions: Restrictions = Restrictions(),
    extra: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The article's foods these restrictions allow, with per-portion nutrients.

    Parameters
    ----------
    restrictions : Restrictions
    extra : pandas.DataFrame, optional
        More candidates in the article-foods layout (for example the foods of a person's
        own diary), added before the restrictions are applied.

    Returns
    -------
    pandas.DataFrame
        The article-foods columns, ``unknown`` (the panel nutrients with no USDA value
        for the food), ``potassium_dense``, and one column per nutrient for one portion
        (unknown counted as 0).

    Raises
    ------
    RestrictionError
        If ``include`` names a food the restrictions rule out, or nothing at all.
    """
    table = load_article_foods()
    if extra is not None and not extra.empty:
        extra = extra[~extra["food_id"].isin(table["food_id"])]
        table = pd.concat([table, extra], ignore_index=False)
    table = table.copy()
    values = portion_nutrients(table)
    known = load_foods().reindex(table["food_id"])[list(registry.ids())].notna()
    known.index = table.index
    panel = [n.id for n in registry.nutrients() if n.role == "panel"]
    table["unknown"] = [tuple(n for n in panel if not known.loc[i, n]) for i in table.index]
    # unknown potassium counts as dense: a kidney diet must not take it on trust
    table["potassium_dense"] = (values["potassium_mg"] > POTASSIUM_DENSE_MG) | ~known[
        "potassium_mg"
    ]
    allowed = restrictions.allows(table)
    if restrictions.kidney_disease:
        allowed &= ~table["potassium_dense"]
    _check_includes(table, allowed, restrictions)
    out = pd.concat([table, values], axis=1)
    return out[allowed.to_numpy()]


def _check_includes(table: pd.DataFrame, allowed: pd.Series, restrictions: Restrictions):
    for term in restrictions.include:
        named = _names(table, term)
        if not named.any():
            raise RestrictionError(
                f"--include {term!r} names no food in the candidates; try a food id or a "
                "family (" + ", ".join(FAMILIES) + ")"
            )
        if not (named & allowed).any():
            raise RestrictionError(
                f"--include {term!r} contradicts the restrictions "
                f"({restrictions.describe()}): every food it names is ruled out"
            )


def included_ids(table: pd.DataFrame, include: Iterable[str]) -> list[str]:
    """The candidate rows (index labels) that ``--include`` terms name."""
    mask = pd.Series(False, index=table.index)
    for term in include:
        mask |= _names(table, term)
    return list(table.index[mask.to_numpy()])


def diary_foods(entries: pd.DataFrame, min_grams: float = 1.0) -> pd.DataFrame:
    """The foods a person already eats, in the article-foods layout, for ``--from-diary``.

    Each food's typical portion is the median grams logged per entry, rounded; the
    portion is described in grams. Meals come from the diary's meal names where they
    match breakfast, lunch, dinner or snack, else all meals. Diet tags come from the USDA
    food group and description, erring on the side of "contains" (see :func:`_tags`).
    """
    used = entries[entries["status"].eq("matched") & entries["food_id"].ne("")]
    used = used[used["grams"] >= min_grams]
    if used.empty:
        return pd.DataFrame()
    foods = load_foods()
    rows = []
    for food_id, grp in used.groupby("food_id"):
        grams = float(np.round(grp["grams"].median()))
        meals = sorted({_meal_word(m) for m in grp["meal"]} - {""}) or [
            "breakfast",
            "lunch",
            "dinner",
            "snack",
        ]
        rows.append(
            {
                "food_id": food_id,
                "name": grp["food_text"].mode().iloc[0],
                "family": "your_diary",
                "portion_seq": 0,
                "portion_amount": grams,
                "portion_measure": "g",
                "portion_grams": grams,
                "meals": tuple(meals),
                **_tags(foods.loc[food_id, "food_group"], foods.loc[food_id, "description"]),
                "description": foods.loc[food_id, "description"],
            }
        )
    return pd.DataFrame(rows).set_index("food_id", drop=False).rename_axis(index=None)


def _meal_word(meal: str) -> str:
    meal = str(meal).lower()
    for word in ("breakfast", "lunch", "dinner", "snack"):
        if word in meal:
            return word
    return ""


_PLANT_GROUPS = frozenset(
    [
        "Vegetables and Vegetable Products", "Fruits and Fruit Juices",
        "Legumes and Legume Products", "Cereal Grains and Pasta", "Nut and Seed Products",
        "Spices and Herbs", "Fats and Oils",
    ]
)  # fmt: skip
_SIMPLE_ANIMAL = frozenset(
    [
        "Beef Products", "Pork Products", "Poultry Products", "Lamb, Veal, and Game Products",
        "Finfish and Shellfish Products", "Dairy and Egg Products",
    ]
)  # fmt: skip
_WORDS = {
    "dairy": ("milk", "cheese", "yogurt", "butter", "cream", "whey", "kefir"),
    "nuts": ("nut", "almond", "cashew", "pecan", "pistachio", "hazelnut", "walnut"),
    "gluten": ("wheat", "bread", "pasta", "spaghetti", "barley", "rye", "bulgur", "couscous",
               "cracker", "bagel", "muffin", "pizza", "flour", "noodle", "cereal"),
    "animal": ("egg", "meat", "chicken", "beef", "pork", "fish", "gelatin", "honey"),
}  # fmt: skip


def _tags(food_group: str, description: str) -> dict:
    """Diet tags for a food outside the curated table, erring on the side of 'contains'.

    Foods from mixed groups (dishes, baked goods, fast food) may hide any ingredient, so
    they are marked as containing dairy, nuts, fish and gluten and as neither vegan nor
    vegetarian: a restriction removes them instead of letting one through.
    """
    text = description.lower()
    has = {k: any(w in text for w in words) for k, words in _WORDS.items()}
    plain = food_group in _PLANT_GROUPS or food_group in _SIMPLE_ANIMAL
    fish = food_group == "Finfish and Shellfish Products" or not plain
    dairy = (food_group == "Dairy and Egg Products" and "egg" not in text) or has["dairy"]
    animal = food_group in _SIMPLE_ANIMAL or has["animal"] or dairy
    return {
        "vegan": food_group in _PLANT_GROUPS and not (animal or dairy),
        "vegetarian": plain
        and food_group not in _SIMPLE_ANIMAL - {"Dairy and Egg Products"}
        and not fish,
        "dairy": dairy or not plain,
        "nuts": has["nuts"] or not plain,
        "fish": fish,
        "gluten": has["gluten"] or not plain,
    }


def serving_table(candidates: pd.DataFrame, portions: pd.Series) -> pd.DataFrame:
    """What amounts of candidate foods give: one row per food with a non-zero amount.

    Parameters
    ----------
    candidates : pandas.DataFrame
        From :func:`candidate_foods`.
    portions : pandas.Series
        Typical portions of each candidate (index: the candidates' index), e.g. 1.5.

    Returns
    -------
    pandas.DataFrame
        ``candidate``, ``food_id``, ``name``, ``description``, ``family``, ``portions``,
        ``portion`` (household text), ``grams`` and one column per nutrient for that
        amount: NaN where USDA gives no value (it counted as nothing towards targets).
    """
    from planner.foods import portion_label

    ids = list(registry.ids())
    rows = []
    for idx, amount in portions.items():
        food = candidates.loc[idx]
        rows.append(
            {
                "candidate": idx,
                "food_id": food["food_id"],
                "name": food["name"],
                "description": food["description"],
                "family": food["family"],
                "portions": amount,
                "portion": portion_label(food["portion_amount"] * amount, food["portion_measure"]),
                "grams": food["portion_grams"] * amount,
                **{nid: math.nan if nid in food["unknown"] else food[nid] * amount
                   for nid in ids},
            }
        )  # fmt: skip
    columns = ["candidate", "food_id", "name", "description", "family", "portions", "portion",
               "grams", *ids]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)
