"""The foods meal plans are made of: FNDDS foods as eaten, the article's foods, a few more.

Every choice is data in ``planner/data/``, not code:

- ``plan_categories.csv``: each of FNDDS's WWEIA categories, with the role its foods play in
  a meal (``grain``, ``starch``, ``protein``, ``dairy``, ``vegetable``, ``fruit``,
  ``nuts_seeds``), the meals they suit and their animal origin, or left out with the reason
  (baby foods, supplements and formulas, alcohol, drinks, sweets, plain fats, sugars and
  condiments, mixed dishes).
- ``plan_descriptions.csv``: patterns on a food's description that leave a food out (fried,
  salted, sweetened, "not further specified", rarely planned...) or change its role (a sweet
  potato is the meal's starch).
- ``plan_portions.csv``: which household portion a food is planned in (a cup, two slices,
  a medium fruit, 3 oz by weight), never "Quantity not specified" or a "Guideline amount"
  unless the food has no other.
- ``plan_families.csv``: when an FNDDS food counts as one of the article's food families,
  by its WWEIA category and its FPED food groups (leafy greens are dark-green vegetables).
- ``plan_sr28_foods.csv``: the role of each of the article's SR28 foods and the FNDDS food
  whose FPED food groups stand in for it (SR28 has none), and the SR28 foods added to the
  pool (UV-exposed mushrooms, for vitamin D).
- ``plan_sr28_groups.csv``: the role of a diary's SR28 foods by their SR28 food group.

Diet tags of FNDDS foods are derived from the category's animal origin, FPED's food groups
and words of the description, erring towards "contains": a food that might hold meat, fish,
dairy, egg, nuts or gluten is kept out of a pool that excludes it
(:func:`planner.diet_tags.diet_tags`).

FPED has no row for 403 FNDDS foods (added after 2017-2018): their food groups are filled
with the median per 100 g of their WWEIA category and marked ``fped_source = category``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from planner.diet_tags import TAG_FPED, diet_tags
from planner.foods import load_article_foods, load_foods, load_fped, load_portions
from planner.nutrients import _read_csv as _data

ROLES = ("grain", "starch", "protein", "dairy", "vegetable", "fruit", "nuts_seeds")
# The FPED columns the Dietary Guidelines group arithmetic needs (per 100 g).
GROUP_COLUMNS = ("v_total", "v_legumes", "f_total", "g_total", "g_whole", "d_total",
                 "pf_total", "pf_legumes", "v_drkgr", "pf_seafd_hi")  # fmt: skip
OZ_GRAMS = 28.349523125
WEIGHT = "(weight)"  # a portion rule planned by weight, in ounces (portion_seq 0)


@dataclass(frozen=True)
class PoolRules:
    """The curation tables, read once."""

    categories: pd.DataFrame
    descriptions: list[dict]
    portions: list[dict]
    families: list[dict]
    sr28: pd.DataFrame
    sr28_groups: pd.DataFrame
    staples: list


@cache
def pool_rules() -> PoolRules:
    """Read the plan-pool data files (see the module docstring)."""
    categories = pd.DataFrame(_data("plan_categories.csv")).set_index("wweia_code")
    sr28 = pd.DataFrame(_data("plan_sr28_foods.csv")).set_index("food_id", drop=False)
    groups = pd.DataFrame(_data("plan_sr28_groups.csv")).set_index("food_group")
    descriptions = [
        {**r, "regex": re.compile(r["pattern"], re.IGNORECASE),
         "codes": set(filter(None, r["wweia_codes"].split(";")))}
        for r in _data("plan_descriptions.csv")
    ]  # fmt: skip
    portions = [
        {
            **r,
            "regex": re.compile(r["measure"], re.IGNORECASE),
            "amount": float(r["amount"]),
            "min_grams": float(r["min_grams"] or 0),
            "max_grams": float(r["max_grams"]) if r["max_grams"] else float("inf"),
        }
        for r in _data("plan_portions.csv")
    ]
    families = [
        {**r, "codes": set(filter(None, r["applies_to"].split(";"))),
         "regex": re.compile(r["pattern"], re.IGNORECASE) if r["pattern"] else None}
        for r in _data("plan_families.csv")
    ]  # fmt: skip
    staples = [re.compile(r["pattern"], re.IGNORECASE) for r in _data("plan_staples.csv")]
    return PoolRules(categories, descriptions, portions, families, sr28, groups, staples)


def _applies(rule_codes: set, code: str, role: str) -> bool:
    return not rule_codes or code in rule_codes or role in rule_codes


def leave_out_reason(description: str, wweia_code: str) -> str:
    """Why a description leaves an FNDDS food out of the pool ('' to keep it).

    Examples
    --------
    >>> leave_out_reason("Almonds, salted", "2804")
    'salted: the unsalted version is planned'
    >>> leave_out_reason("Chicken breast, baked, broiled, or roasted, skin not eaten, from raw",
    ...                  "2202")
    ''
    """
    for rule in pool_rules().descriptions:
        if rule["action"] != "leave out" or not _applies(rule["codes"], wweia_code, ""):
            continue
        if rule["regex"].search(description):
            return rule["reason"]
    return ""


def meals_of(description: str, wweia_code: str, meals: tuple) -> tuple:
    """A food's meals: its category's, unless a ``meals: ...`` rule names others.

    Examples
    --------
    >>> meals_of("Peanut butter", "2804", ("breakfast", "snack"))
    ('breakfast',)
    """
    for rule in pool_rules().descriptions:
        if not rule["action"].startswith("meals:") or not _applies(rule["codes"], wweia_code, ""):
            continue
        if rule["regex"].search(description):
            return tuple(m.strip() for m in rule["action"].split(":", 1)[1].split(";"))
    return meals


def role_of(description: str, wweia_code: str, base: str) -> str:
    """A food's role: its category's (``base``), unless a description rule changes it.

    Examples
    --------
    >>> role_of("Sweet potato, baked, no added fat", "6406", "vegetable")
    'starch'
    >>> role_of("Egg, whole, cooked, scrambled", "", "dairy")
    'protein'
    """
    if not base:
        return ""
    for rule in pool_rules().descriptions:
        action = rule["action"]
        if action == "leave out" or action.startswith("meals:"):
            continue
        if _applies(rule["codes"], wweia_code, "") and rule["regex"].search(description):
            return "" if action == "no role" else action
    return base


def household_portion(food_id: str, code: str, role: str) -> dict | None:
    """The household portion a food is planned in, by the first rule of
    ``plan_portions.csv`` that fits it and one of its measures.

    Returns ``portion_seq`` (0 for a portion by weight), ``portion_amount``,
    ``portion_measure`` (as shown) and ``portion_grams``; None for a food with no portion.

    Examples
    --------
    >>> household_portion("51300110", "4202", "grain")["portion_measure"]
    'slice'
    >>> p = household_portion("26137120", "2402", "protein")
    >>> p["portion_seq"], p["portion_amount"], round(p["portion_grams"], 1)
    (0, 3.0, 85.0)
    """
    rows = measures_of(food_id)
    for rule in pool_rules().portions:
        if not _applies(set(filter(None, rule["applies_to"].split(";"))), code, role):
            continue
        if rule["measure"] == WEIGHT:
            return _portion(0, rule["amount"], rule["label"] or "oz", rule["amount"] * OZ_GRAMS)
        for seq, amount, measure, grams in rows:
            grams_each = rule["amount"] * grams / amount if amount > 0 else 0.0
            fits = rule["min_grams"] < grams_each <= rule["max_grams"]
            if rule["regex"].fullmatch(measure) and fits and grams_each > 0:
                return _portion(seq, rule["amount"], rule["label"] or measure, grams_each)
    # nothing household: USDA's default portion, if that is all there is
    for seq, amount, measure, grams in rows:
        if measure.startswith("Quantity not specified") and amount > 0:
            return _portion(seq, 1.0, "serving", grams / amount)
    return None


def _portion(seq: int, amount: float, measure: str, grams: float) -> dict:
    return {"portion_seq": int(seq), "portion_amount": float(amount),
            "portion_measure": measure, "portion_grams": float(grams)}  # fmt: skip


@cache
def _portion_index() -> dict:
    portions = load_portions()
    index: dict = {}
    household = ~portions["measure"].str.startswith(("Quantity not specified", "Guideline"))
    # household measures first, USDA's defaults last
    ordered = pd.concat([portions[household], portions[~household]])
    columns = [ordered[c].tolist() for c in ("food_id", "seq", "amount", "measure", "grams")]
    for food_id, *row in zip(*columns, strict=True):
        index.setdefault(food_id, []).append(tuple(row))
    return index


def measures_of(food_id: str) -> list:
    """A food's measures as (seq, amount, measure, grams), household ones first."""
    return _portion_index().get(food_id, [])


# --- families ----------------------------------------------------------------------------


def article_family(code: str, role: str, description: str, groups: pd.Series) -> str:
    """The article family an FNDDS food counts as ('' for none): the first rule of
    ``plan_families.csv`` whose category or role, FPED share and pattern fit.

    Examples
    --------
    >>> fped = load_fped()
    >>> article_family("6409", "vegetable", "Spinach, raw", fped.loc["72125100"])
    'leafy_greens'
    >>> article_family("4202", "grain", "Bread, white", fped.loc["51101000"])
    ''
    """
    for rule in pool_rules().families:
        if rule["codes"] and code not in rule["codes"] and role not in rule["codes"]:
            continue
        if rule["regex"] is not None and not rule["regex"].search(description):
            continue
        if rule["fped_part"]:
            part, whole = groups.get(rule["fped_part"]), groups.get(rule["fped_whole"])
            if not (whole and whole > 0 and part / whole >= float(rule["min_share"])):
                continue
        return rule["family"]
    return ""


# --- the pool ----------------------------------------------------------------------------


# USDA's names a menu says otherwise.
_PLAIN_NAMES = (
    ("Egg omelet or scrambled egg", "Scrambled eggs or omelet"),
    ("Egg, whole, boiled or poached", "Boiled or poached eggs"),
    ("with dark-green vegetables", "with greens"),
    ("Egg, white, cooked", "Egg whites, cooked"),
)
# Heads a menu names after their kind ("Bread, whole wheat" is "whole wheat bread").
_INVERTED = ("bread", "bagel", "tortilla", "roll", "cheese", "yogurt", "milk", "cereal",
             "rice", "pasta", "pancakes", "waffle", "muffin, english")  # fmt: skip
_METHODS = ("cooked", "baked", "boiled", "toasted", "raw", "frozen", "canned", "steamed",
            "grilled", "roasted", "plain")  # fmt: skip


def display_name(description: str) -> str:
    """A shorter name for a menu: USDA's qualifiers that say nothing on a plate go, and
    "Bread, whole wheat" reads "whole wheat bread".

    Examples
    --------
    >>> display_name("Chicken breast, rotisserie, skin not eaten")
    'chicken breast, rotisserie'
    >>> display_name("Fish, salmon, baked or broiled")
    'salmon, baked or broiled'
    >>> display_name("Broccoli, fresh, cooked, no added fat")
    'broccoli, cooked'
    >>> display_name("Bread, whole wheat, toasted"), display_name("Yogurt, low fat milk, plain")
    ('whole wheat bread, toasted', 'low fat yogurt')
    >>> display_name("Muffin, English, pumpernickel"), display_name("Pasta, cooked")
    ('pumpernickel English muffin', 'pasta, cooked')
    """
    name = re.sub(r"^Fish, ", "", description)
    for usda, plain in _PLAIN_NAMES:
        name = name.replace(usda, plain)
    for phrase in (", no added fat", ", fat not added", ", skin not eaten", ", from raw",
                   ", from pre-cooked", ", lean only eaten", ", fresh", ", from fresh",
                   ", from dried", ", made with water", ", regular or quick", ", plain",
                   ", excluding honey roasted", ", 100%",
                   ", made from home recipe or purchased at a bakery",
                   ", made from home recipe or purchased at bakery"):  # fmt: skip
        name = re.sub(re.escape(phrase) + r"(?=,|$)", "", name)
    parts = [p.strip() for p in " ".join(name.split()).split(",")]
    for head in _INVERTED:
        size = head.count(",") + 1
        if ", ".join(parts[:size]).lower() != head or len(parts) <= size:
            continue
        kind = parts[size]
        if kind.lower().split(" ")[0] in (*_METHODS, "with"):
            break
        if head == "yogurt":
            kind = re.sub(r" milk$", "", kind) if kind != "whole milk" else kind
        noun = ", ".join(parts[:size]).lower()
        noun = "English muffin" if noun == "muffin, english" else noun
        return ", ".join([f"{kind} {noun}", *parts[size + 1 :]])
    name = ", ".join(parts)
    return name[:1].lower() + name[1:]


def is_staple(description: str) -> bool:
    """Whether a food is one of the everyday foods of ``plan_staples.csv``, which plans
    prefer (a dietitian's plan is built from familiar foods).

    Examples
    --------
    >>> is_staple("Chicken breast, rotisserie, skin not eaten"), is_staple("Fish, carp")
    (True, False)
    """
    return any(p.search(description) for p in pool_rules().staples)


# Description heads that name a class, not a food: the kind is the next part
# ("Nuts, almonds" and "Almonds, unsalted" are both almonds).
_GENERIC_HEADS = ("nuts", "seeds", "fish", "cereals ready-to-eat", "cereal", "beans")


def _kind(description: str) -> str:
    """What a food is, for variety: the description up to its first comma, singular.

    Examples
    --------
    >>> _kind("Nuts, almonds"), _kind("Almonds, unsalted"), _kind("Fish, salmon, canned")
    ('almond', 'almond', 'salmon')
    """
    parts = [p.strip().lower() for p in description.split(",")]
    head = parts[1] if parts[0] in _GENERIC_HEADS and len(parts) > 1 else parts[0]
    if head.startswith("egg "):  # "Egg omelet or scrambled egg" is an egg like the others
        return "egg"
    return re.sub(r"s$", "", head)


@cache
def fped_per_100() -> pd.DataFrame:
    """FPED group columns per 100 g for every FNDDS food, with ``fped_source``.

    Foods FPED covers are ``fped``; the others get their WWEIA category's median per
    column and ``category``; a category with no covered food leaves them NaN (``""``).
    """
    foods = load_foods()
    fndds = foods[foods["source"].eq("fndds")]
    fped = load_fped().reindex(fndds.index)[list(GROUP_COLUMNS)]
    covered = fped.notna().all(axis=1)
    medians = fped[covered].groupby(fndds.loc[covered, "wweia_code"]).median()
    filled = medians.reindex(fndds["wweia_code"]).set_axis(fndds.index)
    out = fped.fillna(filled)
    out["fped_source"] = np.where(covered, "fped", np.where(out.notna().all(axis=1),
                                                             "category", ""))  # fmt: skip
    return out


@cache
def fndds_accounting() -> pd.DataFrame:
    """Every FNDDS food with ``role`` and, for those left out of the pool, ``reason``."""
    rules = pool_rules()
    foods = load_foods()
    fndds = foods[foods["source"].eq("fndds")]
    roles = rules.categories["role"].to_dict()
    notes = rules.categories["note"].to_dict()
    rows = []
    for food_id, code, description in zip(fndds.index, fndds["wweia_code"],
                                          fndds["description"], strict=True):  # fmt: skip
        base = roles.get(code, "")
        if not base:
            rows.append((food_id, "", f"category: {notes.get(code) or 'not planned'}"))
            continue
        reason = leave_out_reason(description, code)
        rows.append((food_id, role_of(description, code, base), reason))
    table = pd.DataFrame(rows, columns=["food_id", "role", "reason"]).set_index("food_id")
    return table


@cache
def pool_foods() -> pd.DataFrame:
    """The whole pool, before any restriction: one row per food, indexed by food id.

    Columns: ``food_id``, ``source``, ``name``, ``description``, ``role``, ``meals``
    (tuple), ``family`` (article family or ''), ``article`` (one of the article's own
    foods), ``kind``, the portion (``portion_seq``, ``portion_amount``,
    ``portion_measure``, ``portion_grams``), the diet tags, ``fortified``, the FPED
    group columns per 100 g and ``fped_source`` (``fped``, ``category``, ``stand-in``).
    """
    return pd.concat([_fndds_pool(), _sr28_pool()]).sort_index(kind="stable")


def _fndds_pool() -> pd.DataFrame:
    rules = pool_rules()
    foods = load_foods()
    accounting = fndds_accounting()
    kept = accounting[accounting["reason"].eq("") & accounting["role"].ne("")]
    table = foods.loc[kept.index].copy()
    table["role"] = kept["role"]
    category = rules.categories.loc[table["wweia_code"]]
    table["meals"] = [meals_of(d, c, tuple(m.split(";"))) for d, c, m in
                      zip(table["description"], table["wweia_code"], category["meals"],
                          strict=True)]  # fmt: skip
    table["animal"] = category["animal"].to_numpy()
    table = table.join(fped_per_100())
    portions = [household_portion(i, c, r) for i, c, r in
                zip(table.index, table["wweia_code"], table["role"], strict=True)]  # fmt: skip
    has = [p is not None for p in portions]
    table = table[has]
    table = table.join(pd.DataFrame([p for p in portions if p], index=table.index))
    # the tags read FPED's own components (eggs, meat, seafood...), unknown where FPED has
    # no row: a category median would invent them
    fped = load_fped().reindex(table.index)[list(TAG_FPED)]
    facts = table[["description", "animal", "wweia_code", "vitamin_d_ug"]].join(fped)
    table = table.join(diet_tags(facts))
    table["family"] = [
        article_family(c, r, d, g)
        for c, r, d, (_, g) in zip(table["wweia_code"], table["role"], table["description"],
                                   table[list(GROUP_COLUMNS)].iterrows(), strict=True)
    ]  # fmt: skip
    table["name"] = table["description"].map(display_name)
    # "apple, raw" is an apple: fruit is raw unless said otherwise
    fruit = table["role"].eq("fruit")
    table.loc[fruit, "name"] = table.loc[fruit, "name"].str.replace(r", raw$", "", regex=True)
    table["kind"] = table["description"].map(_kind)
    table["article"] = False
    return _finish(table)


def _sr28_pool() -> pd.DataFrame:
    rules = pool_rules()
    foods = load_foods()
    article = load_article_foods()
    sr28 = rules.sr28
    fped = fped_per_100()
    rows = []
    for food_id, row in sr28.iterrows():
        if food_id in article.index:
            base = article.loc[food_id].to_dict()
            base["article"] = True
        else:
            base = _extra_sr28(row, foods.loc[food_id])
        if row["label"]:
            base["portion_measure"] = row["label"]
        for tag in ("vegan", "vegetarian", "dairy", "nuts", "fish", "gluten"):
            if row[tag]:  # the plan's own call on an article food's tag
                base[tag] = row[tag] == "1"
        base["role"] = row["role"]
        base["fped_as"] = row["fped_as"]
        if row["meals"]:
            base["meals"] = tuple(row["meals"].split(";"))
        rows.append(base)
    table = pd.DataFrame(rows).set_index("food_id", drop=False).rename_axis(index=None)
    table["source"] = "sr28"
    stand_in = fped.loc[table["fped_as"], list(GROUP_COLUMNS)].set_axis(table.index)
    table = table.join(stand_in)
    table["fped_source"] = "stand-in"
    table["kind"] = table["description"].map(_kind)
    table["wweia_code"] = ""
    return _finish(table)


def _extra_sr28(row: pd.Series, food: pd.Series) -> dict:
    seq = int(row["portion_seq"])
    portion = next(p for p in measures_of(row["food_id"]) if p[0] == seq)
    amount = float(row["portion_amount"])
    tags = {t: row[t] == "1" for t in ("vegan", "vegetarian", "dairy", "nuts", "fish", "gluten")}
    return {
        "food_id": row["food_id"],
        "name": row["name"],
        "family": "",
        "portion_seq": seq,
        "portion_amount": amount,
        "portion_measure": portion[2],
        "portion_grams": amount * portion[3] / portion[1],
        "meals": tuple(row["meals"].split(";")),
        "description": food["description"],
        "article": False,
        **tags,
    }


POOL_COLUMNS = ["food_id", "source", "name", "description", "role", "meals", "family",
                "article", "staple", "kind", "wweia_code", "portion_seq", "portion_amount",
                "portion_measure", "portion_grams", "vegan", "vegetarian", "dairy", "nuts",
                "fish", "gluten", *GROUP_COLUMNS, "fped_source"]  # fmt: skip


def _finish(table: pd.DataFrame) -> pd.DataFrame:
    table["staple"] = table["description"].map(is_staple)
    for tag in ("vegan", "vegetarian", "dairy", "nuts", "fish", "gluten", "article", "staple"):
        table[tag] = table[tag].astype(bool)
    return table[POOL_COLUMNS]


def is_fortified(table: pd.DataFrame) -> pd.Series:
    """Foods whose niacin counts against niacin's UL (which covers fortified foods).

    The article's fortified foods, and any food with folic acid (enriched flour, rice and
    cereals get niacin added with it).
    """
    folic = load_foods()["folic_acid_ug"].reindex(table["food_id"]).to_numpy()
    return pd.Series(table["family"].eq("fortified_foods").to_numpy() | (folic > 0),
                     index=table.index)  # fmt: skip


def pool_summary() -> dict:
    """Counts that account for every FNDDS food, and the pool by source and role."""
    accounting = fndds_accounting()
    pool = pool_foods()
    left = accounting[accounting["reason"].ne("")]
    fndds = pool[pool["source"].eq("fndds")]
    return {
        "fndds_foods": len(accounting),
        "fndds_in_pool": len(fndds),
        "fndds_left_out": left["reason"].value_counts().to_dict(),
        "fndds_no_portion": len(accounting) - len(left) - len(fndds),
        "sr28_in_pool": int(pool["source"].eq("sr28").sum()),
        "fped_filled": int(fndds["fped_source"].eq("category").sum()),
        "by_role": pool["role"].value_counts().to_dict(),
    }
