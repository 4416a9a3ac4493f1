"""An independent reading of the committed tables, for checking suggestions and plans.

The optimiser tests recompute what a set of foods adds straight from the CSV files in
``foods/``, without planner's loaders, so a bug in those loaders cannot hide itself.
"""

from __future__ import annotations

import math
import re
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


# --- meal plans: portions, food groups, roles, diet tags and DGA targets ------------------
#
# Everything below reads the CSV files under foods/ and planner/data/ directly, and
# re-implements the documented rules (README "How plans are built") without planner's code.

DATA = ROOT / "planner" / "data"
OZ_GRAMS = 28.349523125
TEXT = {"food_id": str, "wweia_code": str}
FOOD_TEXT = pd.read_csv(ROOT / "foods" / "foods.csv", dtype=str, keep_default_na=False).set_index(
    "food_id"
)
PORTION_ROWS = pd.read_csv(
    ROOT / "foods" / "portions.csv", dtype={"food_id": str}, keep_default_na=False
)
FPED = pd.read_csv(ROOT / "foods" / "fped.csv", dtype={"food_id": str}).set_index("food_id")
CATEGORIES = pd.read_csv(DATA / "plan_categories.csv", dtype=str, keep_default_na=False).set_index(
    "wweia_code"
)
DESCRIPTION_RULES = pd.read_csv(DATA / "plan_descriptions.csv", dtype=str, keep_default_na=False)
SR28_PLAN = pd.read_csv(DATA / "plan_sr28_foods.csv", dtype=str, keep_default_na=False).set_index(
    "food_id"
)
FAMILY_RULES = pd.read_csv(DATA / "plan_families.csv", dtype=str, keep_default_na=False)
MEAL_PATTERNS = pd.read_csv(DATA / "meal_patterns.csv", dtype=str, keep_default_na=False)
DGA = pd.read_csv(DATA / "dga_food_patterns.csv", dtype=str, keep_default_na=False)
GROUP_LIMITS = pd.read_csv(DATA / "food_group_limits.csv").set_index("food_group")
DGA_GROUPS = ("vegetables", "fruits", "grains", "dairy", "protein_foods")
FPED_GROUPS = ("v_total", "v_legumes", "f_total", "g_total", "g_whole", "d_total", "pf_total")


def plan_grams(food_id: str, seq: int, amount: float) -> float:
    """Grams of one household portion: ``amount`` of the measure at ``seq`` in portions.csv,
    or ``amount`` ounces by weight for seq 0."""
    if seq == 0:
        return amount * OZ_GRAMS
    row = PORTION_ROWS[(PORTION_ROWS.food_id == food_id) & (PORTION_ROWS.seq == seq)].iloc[0]
    return amount * row.grams / row.amount


def measure_is_household(food_id: str, seq: int) -> bool:
    """The portion is a household measure, or the food has no other."""
    if seq == 0:
        return True
    rows = PORTION_ROWS[PORTION_ROWS.food_id == food_id]
    default = rows.measure.str.startswith(("Quantity not specified", "Guideline"))
    chosen = rows[rows.seq == seq].measure.iloc[0]
    if chosen.startswith(("Quantity not specified", "Guideline")):
        return not (~default).any()
    return True


def _median_fill() -> pd.DataFrame:
    codes = FOOD_TEXT["wweia_code"]
    covered = FPED.index[FPED.index.isin(codes.index)]
    return FPED.loc[covered].groupby(codes.loc[covered]).median()


MEDIAN_FPED = _median_fill()


def fped_of(food_id: str) -> pd.Series | None:
    """FPED groups per 100 g: FPED's row, the WWEIA category's median for an FNDDS food FPED
    lacks, the stand-in FNDDS food for the plan's SR28 foods; None when unknown."""
    if food_id in FPED.index:
        return FPED.loc[food_id, list(FPED_GROUPS)]
    if food_id in SR28_PLAN.index:
        return FPED.loc[SR28_PLAN.loc[food_id, "fped_as"], list(FPED_GROUPS)]
    code = FOOD_TEXT.loc[food_id, "wweia_code"]
    if code in MEDIAN_FPED.index:
        return MEDIAN_FPED.loc[code, list(FPED_GROUPS)]
    return None


def food_role(food_id: str) -> str:
    """The meal-pattern role: plan_sr28_foods.csv, or the WWEIA category's role changed by
    the first role rule of plan_descriptions.csv whose pattern matches."""
    if food_id in SR28_PLAN.index:
        return SR28_PLAN.loc[food_id, "role"]
    code = FOOD_TEXT.loc[food_id, "wweia_code"]
    base = CATEGORIES.loc[code, "role"] if code in CATEGORIES.index else ""
    if not base:
        return ""
    description = FOOD_TEXT.loc[food_id, "description"]
    for rule in DESCRIPTION_RULES.itertuples():
        if rule.action == "leave out" or rule.action.startswith("meals:"):
            continue
        if rule.wweia_codes and code not in rule.wweia_codes.split(";"):
            continue
        if re.search(rule.pattern, description, re.IGNORECASE):
            return "" if rule.action == "no role" else rule.action
    return base


def dga_targets(kcal: float, age: float, vegetarian: bool, dairy_required: bool) -> dict:
    """Per DGA group: (minimum, maximum) for a day, from the pattern at the nearest level."""
    levels = list(range(1000, 3201, 200))
    level = min(levels, key=lambda lv: (abs(lv - kcal), lv))
    pattern = "healthy_vegetarian" if vegetarian else "healthy_us_style"
    rows = DGA[(DGA.pattern == pattern) & (DGA.subgroup == "") & (DGA.per == "day")]
    out = {}
    for group in DGA_GROUPS:
        amount = float(rows[rows.food_group == group][f"kcal_{level}"].iloc[0])
        if group == "dairy" and age < 9:
            amount = min(amount, 2.0 if age < 4 else 2.5)
        low = GROUP_LIMITS.loc[group, "min_share"] * amount
        high = GROUP_LIMITS.loc[group, "max_share"] * amount * max(1.0, kcal / 3200)
        if group == "dairy" and not dairy_required:
            low = 0.0
        out[group] = (low, high, amount)
    return out


def day_food_groups(foods: pd.DataFrame) -> dict:
    """The day's group totals before splitting legumes: vegetables and protein foods
    without legumes, legumes in cup-eq, fruits, grains, whole grains, dairy."""
    totals = dict.fromkeys(FPED_GROUPS, 0.0)
    for r in foods.itertuples():
        groups = fped_of(r.food_id)
        if groups is None:
            continue
        grams = r.portions * plan_grams(r.food_id, int(r.portion_seq), float(r.portion_amount))
        for g in FPED_GROUPS:
            totals[g] += float(groups[g]) * grams / 100
    return totals


def groups_within(totals: dict, targets: dict) -> list[str]:
    """The DGA groups a day misses; legumes may count as vegetables or as protein foods
    (4 oz-eq per cup-eq), split any way that fits both."""
    missed = []
    for group, column in (("fruits", "f_total"), ("grains", "g_total"), ("dairy", "d_total")):
        low, high, _ = targets[group]
        if not low - 1e-6 <= totals[column] <= high + 1e-6:
            missed.append(group)
    if totals["g_whole"] < 0.5 * totals["g_total"] - 1e-6:
        missed.append("whole grains")
    v0, p0, legumes = totals["v_total"], totals["pf_total"], totals["v_legumes"]
    (vlow, vhigh, _), (plow, phigh, _) = targets["vegetables"], targets["protein_foods"]
    # a in [0, L]: v0 + a in [vlow, vhigh] and p0 + 4 (L - a) in [plow, phigh]
    low = max(0.0, vlow - v0, legumes - (phigh - p0) / 4)
    high = min(legumes, vhigh - v0, legumes - (plow - p0) / 4)
    if low > high + 1e-6:
        missed.append("vegetables or protein foods")
    return missed


_WORD_TAGS = {
    "meat": r"\b(beef|pork|ham|bacon|chicken|turkey|lamb|veal|meat|sausage|gelatin|lard|broth)\b",
    "fish": r"\b(fish|salmon|tuna|cod|sardine|anchov|shrimp|crab|clam|oyster|lobster|scallop)",
    "dairy": r"\b(milk|cheese|yogurt|butter|cream|whey|kefir)\b",
    "egg": r"\beggs?\b|omelet",
    "nuts": r"\b(nuts?|almonds?|cashews?|pecans?|pistachios?|hazelnuts?|walnuts?|peanuts?"
    r"|macadamia)",
    "gluten": r"\b(wheat|barley|rye|bread|bagel|muffin|pasta|noodle|bulgur|couscous|oat|cereal)",
}
_PLANT_MILK = r"(soy|almond|oat|rice|coconut) milk|non-dairy|(peanut|almond|cashew) butter"


def restriction_violations(food_id: str, restrictions) -> list[str]:
    """Restrictions a food breaks, judged from the files: the article's and the plan's SR28
    tags, and for FNDDS foods the category's animal origin, FPED and description words."""
    tags = None
    if food_id in ARTICLE.index:
        tags = ARTICLE.loc[food_id].copy()
        for tag in ("vegan", "vegetarian", "dairy", "nuts", "fish", "gluten"):
            if SR28_PLAN.loc[food_id, tag]:  # the plan's own call overrides the article's
                tags[tag] = SR28_PLAN.loc[food_id, tag]
    elif food_id in SR28_PLAN.index:
        tags = SR28_PLAN.loc[food_id]
    bad = []
    if tags is not None:

        def has(t):
            return str(tags[t]) in ("1", "True")

        checks = {"vegan": not has("vegan"), "vegetarian": not has("vegetarian"),
                  "no_dairy": has("dairy"), "no_nuts": has("nuts"), "no_fish": has("fish"),
                  "no_gluten": has("gluten")}  # fmt: skip
    else:
        text = FOOD_TEXT.loc[food_id, "description"]
        code = FOOD_TEXT.loc[food_id, "wweia_code"]
        animal = CATEGORIES.loc[code, "animal"] if code in CATEGORIES.index else ""
        fped = FPED.loc[food_id] if food_id in FPED.index else None
        word = {k: bool(re.search(v, text, re.IGNORECASE)) for k, v in _WORD_TAGS.items()}
        dairy_text = re.sub(_PLANT_MILK, " ", text, flags=re.IGNORECASE)
        word["dairy"] = bool(re.search(_WORD_TAGS["dairy"], dairy_text, re.IGNORECASE))

        def fped_has(*cols):
            return fped is not None and sum(float(fped[c]) for c in cols) > 0

        meat = animal in ("meat", "poultry") or word["meat"] or fped_has(
            "pf_meat", "pf_poult", "pf_curedmeat", "pf_organ")  # fmt: skip
        fish = animal in ("fish", "shellfish") or word["fish"] or fped_has(
            "pf_seafd_hi", "pf_seafd_low")  # fmt: skip
        dairy = animal == "dairy" or word["dairy"] or (
            fped_has("d_total") and code not in ("1902", "1904"))  # fmt: skip
        egg = animal == "egg" or word["egg"] or fped_has("pf_eggs")
        seeds_only = bool(re.search(r"seed|tahini", text, re.IGNORECASE)) and not word["nuts"]
        nuts = word["nuts"] or (fped_has("pf_nutsds") and not seeds_only)
        gluten_free_grain = re.search(r"\b(rice|corn|grits|quinoa|millet|buckwheat|hominy)\b",
                                      text, re.IGNORECASE)  # fmt: skip
        gluten = word["gluten"] or (fped_has("g_total") and not gluten_free_grain)
        if re.search(r"gluten[ -]free", text, re.IGNORECASE):
            gluten = False
        checks = {"vegan": meat or fish or dairy or egg or (fped is None and animal != "plant"),
                  "vegetarian": meat or fish, "no_dairy": dairy, "no_nuts": nuts,
                  "no_fish": fish, "no_gluten": gluten}  # fmt: skip
    for flag, broken in checks.items():
        if getattr(restrictions, flag) and broken:
            bad.append(flag)
    return bad


def plan_amount(foods: pd.DataFrame, nutrient: str, for_limits: bool = False) -> float:
    """What planned foods (``food_id``, ``portions``, ``portion_seq``, ``portion_amount``)
    add of a nutrient, from per-100 g values and the portion table."""
    return sum(
        r.portions
        * plan_grams(r.food_id, int(r.portion_seq), float(r.portion_amount))
        * per_100(r.food_id, nutrient, for_limits)
        / 100
        for r in foods.itertuples()
    )


def fortified_niacin(foods: pd.DataFrame) -> float:
    """Niacin of the article's fortified foods and of foods with folic acid (enriched),
    unknown values counted high, as niacin's UL is checked in plans."""
    article = ARTICLE["family"].reindex(foods["food_id"]).eq("fortified_foods").to_numpy()
    folic = FOODS["folic_acid_ug"].reindex(foods["food_id"]).to_numpy() > 0
    rule = FAMILY_RULES[FAMILY_RULES.family == "fortified_foods"].applies_to.iloc[0]
    codes = FOOD_TEXT["wweia_code"].reindex(foods["food_id"]).isin(rule.split(";")).to_numpy()
    return plan_amount(foods[article | folic | codes], "niacin_mg", for_limits=True)


SR28_GROUP_ROLES = pd.read_csv(
    DATA / "plan_sr28_groups.csv", dtype=str, keep_default_na=False
).set_index("food_group")


def diary_role(food_id: str) -> str:
    """The role of a diary food: as :func:`food_role`, with SR28 foods outside the plan's
    own by their SR28 food group."""
    if FOOD_TEXT.loc[food_id, "source"] == "fndds" or food_id in SR28_PLAN.index:
        return food_role(food_id)
    group = FOOD_TEXT.loc[food_id, "food_group"]
    base = SR28_GROUP_ROLES.loc[group, "role"] if group in SR28_GROUP_ROLES.index else ""
    if not base:
        return ""
    description = FOOD_TEXT.loc[food_id, "description"]
    for rule in DESCRIPTION_RULES.itertuples():
        if rule.action == "leave out" or rule.action.startswith("meals:") or rule.wweia_codes:
            continue
        if re.search(rule.pattern, description, re.IGNORECASE):
            return "" if rule.action == "no role" else rule.action
    return base


def article_family_of(food_id: str) -> str:
    """The article family a planned food counts as: the article's table for its own foods,
    the first fitting rule of plan_families.csv for FNDDS foods."""
    if food_id in ARTICLE.index:
        return ARTICLE.loc[food_id, "family"]
    if FOOD_TEXT.loc[food_id, "source"] != "fndds":
        return ""
    code = FOOD_TEXT.loc[food_id, "wweia_code"]
    role = food_role(food_id)
    description = FOOD_TEXT.loc[food_id, "description"]
    groups = FPED.loc[food_id] if food_id in FPED.index else None
    if groups is None and code in MEDIAN_FPED.index:
        groups = MEDIAN_FPED.loc[code]
    for rule in FAMILY_RULES.itertuples():
        scope = set(filter(None, rule.applies_to.split(";")))
        if scope and code not in scope and role not in scope:
            continue
        if rule.pattern and not re.search(rule.pattern, description, re.IGNORECASE):
            continue
        if rule.fped_part:
            if groups is None or rule.fped_part not in groups.index:
                continue
            part, whole = float(groups[rule.fped_part]), float(groups[rule.fped_whole])
            if not (whole > 0 and part / whole >= float(rule.min_share)):
                continue
        return rule.family
    return ""
