"""Diet tags for FNDDS foods, from what the data can show, erring on the side of "contains".

A food that might hold meat, fish, dairy, egg, nuts or gluten is tagged as holding it, so a
restriction removes it instead of letting it through: the category's animal origin
(``planner/data/plan_categories.csv``), FPED's components and words of the description are
each enough to tag a food.
"""

from __future__ import annotations

import re

import pandas as pd

_NOT_DAIRY = re.compile(
    r"non-dairy|(soy|almond|oat|rice|coconut|cashew) milk|(peanut|almond|cashew|nut|seed) "
    r"butter|butternut|butter beans|cocoa butter|cream of (wheat|rice)",
    re.IGNORECASE,
)
_WORDS = {
    "dairy": r"\b(?:milk|cheese|yogurt|butter|buttermilk|cream|whey|casein|kefir|ghee|queso|"
    r"paneer|ricotta)\b",
    "egg": r"\beggs?\b|omelet|challah|custard|mayonnaise",
    "meat": r"\b(?:beef|pork|ham|bacon|chicken|turkey|lamb|veal|venison|bison|duck|meat|"
    r"sausage|gelatin|lard|broth|stock|drippings|anchov\w*)\b",
    "fish": r"\b(?:fish|salmon|tuna|cod|sardines?|anchov\w*|shrimp|crab|clams?|oysters?|"
    r"lobster|scallops?|mussels|crayfish|calamari|worcestershire)\b",
    "nuts": r"\b(?:nuts?|almonds?|cashews?|pecans?|pistachios?|hazelnuts?|walnuts?|macadamia|"
    r"peanuts?|brazil|praline|marzipan|pesto|nutella|chestnuts?)\b",
    "seeds": r"\b(?:seeds?|tahini|sesame|sunflower|pumpkin seeds?|flax|chia|hemp)\b",
    "gluten": r"\b(?:wheat|barley|rye|malt|bulgur|couscous|semolina|spelt|farro|seitan|"
    r"bread|bagel|muffin|pasta|noodles?|macaroni|spaghetti|flour|breaded|crackers?|"
    r"pancakes?|waffles?|biscuits?|pita|buns?|rolls?|croissant|oats?|oatmeal|granola|"
    r"cereal|pumpernickel|naan|roti|chappatti|paratha|puri|crepe|french toast)\b",
    "gluten_free_grain": r"\b(?:rice|corn|grits|polenta|hominy|quinoa|millet|buckwheat|"
    r"amaranth|sorghum|teff|popcorn|tapioca|cornmeal|masa)\b",
    "honey": r"\bhoney\b",
}
_ANIMAL_FPED = ("pf_meat", "pf_curedmeat", "pf_organ", "pf_poult")
TAG_FPED = (*_ANIMAL_FPED, "pf_seafd_hi", "pf_seafd_low", "d_total", "pf_eggs", "pf_nutsds",
             "g_total")  # fmt: skip


def diet_tags(foods: pd.DataFrame) -> pd.DataFrame:
    """Diet tags for FNDDS foods, erring on the side of "contains".

    ``foods`` needs ``description``, ``animal`` (the category's: ``plant``, ``dairy``,
    ``egg``, ``meat``, ``poultry``, ``fish``, ``shellfish``), the FPED columns (NaN
    when unknown: then every tag the category cannot rule out is set) and
    ``vitamin_d_ug``.

    - fish: a fish or shellfish category, FPED seafood, or a fish word;
    - vegetarian: no meat, poultry or fish by category, FPED or words;
    - dairy: a dairy category, FPED dairy (outside plant milks, where FPED counts soy
      milk as dairy), or a dairy word (not "peanut butter", "almond milk"...);
    - vegan: vegetarian, no dairy, no egg (category, FPED or words), no honey, and no
      vitamin D in a grain food (cereals are fortified with D3 from lanolin);
    - nuts: FPED nuts and seeds unless the description names seeds and no nut, or a nut
      word (coconut and chestnuts count);
    - gluten: a gluten word (oats count: they are rarely free of wheat), or FPED grains
      without a gluten-free grain named; "gluten free" in the description clears it.

    Examples
    --------
    >>> from planner.pool import pool_foods
    >>> pool = pool_foods()
    >>> pool.loc["11320100", ["vegan", "dairy"]].tolist()  # soy milk, unsweetened
    [True, False]
    >>> pool.loc["56203066", ["vegan", "vegetarian", "dairy", "gluten"]].tolist()  # oatmeal, milk
    [False, True, True, True]
    """
    text = foods["description"].fillna("")
    words = {k: text.str.contains(v, case=False, regex=True) for k, v in _WORDS.items()}
    stripped = text.str.replace(_NOT_DAIRY, " ", regex=True)
    dairy_word = stripped.str.contains(_WORDS["dairy"], case=False, regex=True)
    animal = foods["animal"]
    fped = foods.reindex(columns=list(TAG_FPED))
    unknown = fped.isna().all(axis=1)
    value = fped.fillna(0.0)
    fish = (
        animal.isin(["fish", "shellfish"])
        | (value["pf_seafd_hi"] + value["pf_seafd_low"] > 0)
        | words["fish"]
    )
    meat = animal.isin(["meat", "poultry"]) | (value[list(_ANIMAL_FPED)].sum(axis=1) > 0)
    meat |= words["meat"]
    plant_milk = foods.get("wweia_code", pd.Series("", index=foods.index)).isin(["1902", "1904"])
    dairy = animal.eq("dairy") | ((value["d_total"] > 0) & ~plant_milk) | dairy_word
    egg = animal.eq("egg") | (value["pf_eggs"] > 0) | words["egg"]
    grain = value["g_total"] > 0
    d_fortified = grain & (foods["vitamin_d_ug"].fillna(1.0) > 0)
    nuts = words["nuts"] | ((value["pf_nutsds"] > 0) & ~(words["seeds"] & ~words["nuts"]))
    gluten = words["gluten"] | (grain & ~words["gluten_free_grain"])
    gluten &= ~text.str.contains(r"gluten[ -]free", case=False, regex=True)
    vegetarian = ~(fish | meat)
    tags = pd.DataFrame(
        {
            "vegan": vegetarian & ~dairy & ~egg & ~words["honey"] & ~d_fortified,
            "vegetarian": vegetarian,
            "dairy": dairy,
            "nuts": nuts,
            "fish": fish,
            "gluten": gluten,
        },
        index=foods.index,
    )
    # no FPED row: only the category and the words speak; a plant food may still hide
    # anything, so it is tagged as containing what its category does not rule out
    plant = animal.eq("plant")
    tags.loc[unknown & plant, "vegan"] = False
    return tags
