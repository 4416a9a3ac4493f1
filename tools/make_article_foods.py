"""Write ``foods/article_foods.csv``, the curated foods of the reference article's families.

The article names ten food families as sources of magnesium, potassium, calcium, vitamin D
and B vitamins: leafy greens, nuts, seeds, legumes, whole grains, avocados, bananas, dairy,
fortified foods and fatty fish. planner suggests foods and plans meals only from this table.

The choices live in ``CHOICES`` below: for each food its SR28 number, its family, the
``seq`` of the household portion someone would typically eat, the meals it suits and its
diet tags. The portion's amount, measure and grams are copied from ``foods/portions.csv``
as text, so they can never drift from the portion table. The script checks every choice
against ``foods/foods.csv`` and ``foods/portions.csv`` before it writes anything.

Run it from the repository root after changing a choice::

    python tools/make_article_foods.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import NamedTuple

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
FOODS_CSV = ROOT / "foods" / "foods.csv"
PORTIONS_CSV = ROOT / "foods" / "portions.csv"
OUTPUT_CSV = ROOT / "foods" / "article_foods.csv"

FAMILIES = (
    "leafy_greens",
    "nuts",
    "seeds",
    "legumes",
    "whole_grains",
    "avocados",
    "bananas",
    "dairy",
    "fortified_foods",
    "fatty_fish",
)
MEALS = ("breakfast", "lunch", "dinner", "snack")
TAGS = ("vegan", "vegetarian", "dairy", "nuts", "fish", "gluten")
HEADER = (
    "food_id",
    "name",
    "family",
    "portion_seq",
    "portion_amount",
    "portion_measure",
    "portion_grams",
    "meals",
    *TAGS,
)
# The smallest family sizes the tests accept; SR28 has few avocado and banana entries.
MIN_PER_FAMILY = {family: 2 if family in ("avocados", "bananas") else 6 for family in FAMILIES}
MIN_PER_MEAL = 10

# Meal sets, written once so the table below stays readable.
BREAKFAST = "breakfast"
BREAKFAST_SNACK = "breakfast;snack"
MAIN = "lunch;dinner"
ALL_DAY = "breakfast;lunch;dinner"

# Diet tags: vegan/vegetarian mean "suitable for"; the rest mean "contains".
PLANT = ("vegan", "vegetarian")
PLANT_GLUTEN = ("vegan", "vegetarian", "gluten")
PLANT_NUTS = ("vegan", "vegetarian", "nuts")
DAIRY = ("vegetarian", "dairy")
# Ready-to-eat cereals and juices fortified with vitamin D mostly use D3 from lanolin
# (sheep's wool): vegetarian, but not vegan.
VEGETARIAN = ("vegetarian",)
VEGETARIAN_GLUTEN = ("vegetarian", "gluten")
FISH = ("fish",)


class Choice(NamedTuple):
    """One curated food: SR28 number, family, portion ``seq``, meals and diet tags.

    Its short display name is in ``NAMES``.
    """

    food_id: str
    family: str
    portion_seq: int
    meals: str
    tags: tuple[str, ...]


CHOICES: tuple[Choice, ...] = (
    # --- leafy greens: raw for salads, cooked (boiled, drained) where people cook them
    Choice("11457", "leafy_greens", 1, MAIN, PLANT),  # spinach, raw, 1 cup
    Choice("11458", "leafy_greens", 1, MAIN, PLANT),  # spinach, cooked, 1 cup
    Choice("11233", "leafy_greens", 1, MAIN, PLANT),  # kale, raw, 1 cup
    Choice("11234", "leafy_greens", 1, MAIN, PLANT),  # kale, cooked, 1 cup chopped
    Choice("11162", "leafy_greens", 1, MAIN, PLANT),  # collards, cooked
    Choice("11148", "leafy_greens", 1, MAIN, PLANT),  # Swiss chard, cooked
    Choice("11087", "leafy_greens", 1, MAIN, PLANT),  # beet greens, cooked
    Choice("11569", "leafy_greens", 1, MAIN, PLANT),  # turnip greens, cooked
    Choice("11271", "leafy_greens", 1, MAIN, PLANT),  # mustard greens, cooked
    Choice("11117", "leafy_greens", 1, MAIN, PLANT),  # bok choy (pak-choi), cooked
    Choice("11251", "leafy_greens", 1, MAIN, PLANT),  # romaine lettuce, raw
    # --- nuts: 1 oz handfuls, nut butters by the tablespoon; peanuts count as nuts here
    # because people who avoid nuts avoid them too
    Choice("12061", "nuts", 5, BREAKFAST_SNACK, PLANT_NUTS),  # almonds, 1 oz
    Choice("12085", "nuts", 3, "breakfast;dinner;snack", PLANT_NUTS),  # cashews, dry roasted
    Choice("12155", "nuts", 6, "breakfast;lunch;snack", PLANT_NUTS),  # walnuts, 1 oz
    Choice("12152", "nuts", 2, "snack", PLANT_NUTS),  # pistachios, dry roasted, 1 oz
    # Brazil nuts are left out on purpose: 1 oz carries about 540 µg of selenium, over the
    # adult UL of 400 µg, and planner does not track selenium, so it could not keep them
    # within a safe amount.
    Choice("12120", "nuts", 4, BREAKFAST_SNACK, PLANT_NUTS),  # hazelnuts, 1 oz
    Choice("12142", "nuts", 3, BREAKFAST_SNACK, PLANT_NUTS),  # pecans, 1 oz
    Choice("16390", "nuts", 2, "snack", PLANT_NUTS),  # peanuts, dry-roasted, unsalted, 1 oz
    Choice("16398", "nuts", 1, "breakfast;lunch;snack", PLANT_NUTS),  # peanut butter, 2 tbsp
    Choice("12195", "nuts", 1, BREAKFAST_SNACK, PLANT_NUTS),  # almond butter, 1 tbsp
    # --- seeds
    Choice("12014", "seeds", 2, "breakfast;lunch;snack", PLANT),  # pumpkin seed kernels, 1 oz
    Choice("12037", "seeds", 2, "lunch;snack", PLANT),  # sunflower kernels, dry roasted, 1 oz
    Choice("12006", "seeds", 1, BREAKFAST_SNACK, PLANT),  # chia seeds, 1 oz
    Choice("12220", "seeds", 3, BREAKFAST, PLANT),  # flaxseed, 1 tbsp ground
    Choice("12023", "seeds", 2, MAIN, PLANT),  # sesame seeds, whole, 1 tbsp
    Choice("12166", "seeds", 1, "lunch;dinner;snack", PLANT),  # tahini, 1 tbsp
    Choice("12012", "seeds", 1, BREAKFAST_SNACK, PLANT),  # hemp seeds, hulled, 3 tbsp
    # --- legumes: boiled without salt, 1 cup; tofu set with calcium sulfate
    Choice("16070", "legumes", 1, MAIN, PLANT),  # lentils
    Choice("16015", "legumes", 1, MAIN, PLANT),  # black beans
    Choice("16057", "legumes", 1, MAIN, PLANT),  # chickpeas
    Choice("16028", "legumes", 1, MAIN, PLANT),  # kidney beans
    Choice("16043", "legumes", 1, MAIN, PLANT),  # pinto beans
    Choice("16038", "legumes", 1, MAIN, PLANT),  # navy beans
    Choice("16063", "legumes", 1, MAIN, PLANT),  # black-eyed peas
    Choice("16072", "legumes", 1, MAIN, PLANT),  # lima beans, large
    Choice("16086", "legumes", 1, MAIN, PLANT),  # split peas
    Choice("16109", "legumes", 1, MAIN, PLANT),  # soybeans, mature, boiled
    Choice("11212", "legumes", 1, "lunch;dinner;snack", PLANT),  # edamame, prepared
    Choice("16426", "legumes", 1, MAIN, PLANT),  # tofu, firm, calcium sulfate, 1/2 cup
    # --- whole grains: cooked cups, bread by the slice
    Choice("08121", "whole_grains", 1, BREAKFAST, PLANT),  # oatmeal cooked with water, 1 cup
    Choice("08120", "whole_grains", 2, BREAKFAST, PLANT),  # rolled oats, dry, 1/3 cup
    Choice("20037", "whole_grains", 1, MAIN, PLANT),  # brown rice, long-grain, cooked
    Choice("20137", "whole_grains", 1, MAIN, PLANT),  # quinoa, cooked
    Choice("20010", "whole_grains", 1, ALL_DAY, PLANT),  # buckwheat groats (kasha), cooked
    Choice("20032", "whole_grains", 1, ALL_DAY, PLANT),  # millet, cooked
    Choice("20089", "whole_grains", 1, MAIN, PLANT),  # wild rice, cooked
    Choice("20013", "whole_grains", 1, MAIN, PLANT_GLUTEN),  # bulgur, cooked
    Choice("20006", "whole_grains", 1, MAIN, PLANT_GLUTEN),  # barley, pearled, cooked
    Choice("20125", "whole_grains", 1, MAIN, PLANT_GLUTEN),  # whole-wheat spaghetti, cooked
    Choice("18075", "whole_grains", 1, "breakfast;lunch;snack", PLANT_GLUTEN),  # ww bread
    Choice("18042", "whole_grains", 1, "lunch;snack", PLANT_GLUTEN),  # ww pita, large
    Choice("18235", "whole_grains", 2, "lunch;snack", PLANT_GLUTEN),  # ww crackers, 6
    Choice("19034", "whole_grains", 2, "snack", PLANT),  # popcorn, air-popped, 1 oz
    # --- avocados
    # avocados suit lunch, dinner and snacks; on their own they made odd breakfasts
    Choice("09037", "avocados", 1, MAIN, PLANT),  # avocado, 1 cup cubes
    Choice("09038", "avocados", 2, "lunch;snack", PLANT),  # California (Hass), 1
    # --- bananas (and their cooking cousin)
    Choice("09040", "bananas", 5, BREAKFAST_SNACK, PLANT),  # banana, 1 medium
    Choice("09278", "bananas", 2, MAIN, PLANT),  # plantain, cooked, 1 cup slices
    # --- dairy: milks with added vitamin D, yogurts, cheeses
    Choice("01079", "dairy", 1, BREAKFAST_SNACK, DAIRY),  # milk 2%, 1 cup
    Choice("01085", "dairy", 1, BREAKFAST_SNACK, DAIRY),  # milk, skim, 1 cup
    Choice("01117", "dairy", 1, BREAKFAST_SNACK, DAIRY),  # yogurt, plain, low fat, 6 oz
    Choice("01256", "dairy", 1, BREAKFAST_SNACK, DAIRY),  # Greek yogurt, plain, nonfat
    Choice("01220", "dairy", 1, BREAKFAST_SNACK, DAIRY),  # yogurt, vanilla, + vitamin D
    Choice("01015", "dairy", 1, "breakfast;lunch;snack", DAIRY),  # cottage cheese 2%, 4 oz
    Choice("01037", "dairy", 1, "breakfast;dinner", DAIRY),  # ricotta, part skim, 1/2 cup
    Choice("01009", "dairy", 6, "lunch;snack", DAIRY),  # cheddar, 1 slice
    Choice("01028", "dairy", 1, "lunch;dinner;snack", DAIRY),  # mozzarella, part skim, 1 oz
    Choice("01040", "dairy", 6, "lunch;snack", DAIRY),  # Swiss, 1 slice
    # --- fortified foods: plant milks, juice and ready-to-eat cereals with added vitamin D
    Choice("16139", "fortified_foods", 1, BREAKFAST_SNACK, PLANT),  # soymilk, + Ca, A, D
    Choice("14091", "fortified_foods", 1, BREAKFAST_SNACK, PLANT),  # almond milk, unsweetened
    Choice("09210", "fortified_foods", 1, BREAKFAST, VEGETARIAN),  # orange juice + Ca + D
    Choice("08013", "fortified_foods", 1, BREAKFAST_SNACK, VEGETARIAN),  # CHEERIOS
    Choice("08064", "fortified_foods", 1, BREAKFAST, VEGETARIAN),  # Rice CHEX
    Choice("08077", "fortified_foods", 1, BREAKFAST, VEGETARIAN_GLUTEN),  # Whole Grain TOTAL
    Choice("08001", "fortified_foods", 1, BREAKFAST, VEGETARIAN_GLUTEN),  # ALL-BRAN Original
    Choice("08060", "fortified_foods", 1, BREAKFAST, VEGETARIAN_GLUTEN),  # RAISIN BRAN
    # --- fatty fish: cooked 3 oz, canned as it comes out of the can
    Choice("15237", "fatty_fish", 1, MAIN, FISH),  # salmon, Atlantic, farmed, cooked
    Choice("15086", "fatty_fish", 1, MAIN, FISH),  # salmon, sockeye (wild), cooked
    Choice("15087", "fatty_fish", 1, MAIN, FISH),  # salmon, sockeye, canned
    Choice("15077", "fatty_fish", 1, "breakfast;lunch", FISH),  # smoked salmon, 1 oz
    Choice("15088", "fatty_fish", 4, MAIN, FISH),  # sardines in oil, with bone, 1 can
    Choice("15201", "fatty_fish", 4, MAIN, FISH),  # mackerel, Pacific and jack, cooked
    Choice("15241", "fatty_fish", 2, MAIN, FISH),  # trout, rainbow, farmed, cooked
    Choice("15040", "fatty_fish", 2, MAIN, FISH),  # herring, Atlantic, cooked
    Choice("15121", "fatty_fish", 2, MAIN, FISH),  # tuna, light, canned in water
    Choice("15002", "fatty_fish", 4, MAIN, FISH),  # anchovies, canned in oil, 5 fillets
)


# Short names people use, for suggestions and meal plans (USDA descriptions are long).
NAMES = {
    "11457": "raw spinach",
    "11458": "cooked spinach",
    "11233": "raw kale",
    "11234": "cooked kale",
    "11162": "cooked collard greens",
    "11148": "cooked Swiss chard",
    "11087": "cooked beet greens",
    "11569": "cooked turnip greens",
    "11271": "cooked mustard greens",
    "11117": "cooked bok choy",
    "11251": "romaine lettuce",
    "12061": "almonds",
    "12085": "cashews, dry roasted",
    "12155": "walnuts",
    "12152": "pistachios, dry roasted",
    "12120": "hazelnuts",
    "12142": "pecans",
    "16390": "peanuts, dry roasted",
    "16398": "peanut butter",
    "12195": "almond butter",
    "12014": "pumpkin seeds",
    "12037": "sunflower seeds, dry roasted",
    "12006": "chia seeds",
    "12220": "ground flaxseed",
    "12023": "sesame seeds",
    "12166": "tahini",
    "12012": "hemp seeds",
    "16070": "cooked lentils",
    "16015": "cooked black beans",
    "16057": "cooked chickpeas",
    "16028": "cooked kidney beans",
    "16043": "cooked pinto beans",
    "16038": "cooked navy beans",
    "16063": "cooked black-eyed peas",
    "16072": "cooked lima beans",
    "16086": "cooked split peas",
    "16109": "cooked soybeans",
    "11212": "edamame",
    "16426": "firm tofu (calcium-set)",
    "08121": "oatmeal",
    "08120": "rolled oats, dry",
    "20037": "brown rice",
    "20137": "quinoa",
    "20010": "buckwheat groats (kasha)",
    "20032": "millet",
    "20089": "wild rice",
    "20013": "bulgur",
    "20006": "pearl barley",
    "20125": "whole-wheat pasta",
    "18075": "whole-wheat bread",
    "18042": "whole-wheat pita",
    "18235": "whole-wheat crackers",
    "19034": "air-popped popcorn",
    "09037": "avocado",
    "09038": "Hass avocado",
    "09040": "banana",
    "09278": "cooked plantain",
    "01079": "2% milk (vitamin D added)",
    "01085": "skim milk (vitamin D added)",
    "01117": "plain low-fat yogurt",
    "01256": "plain Greek yogurt",
    "01220": "vanilla yogurt (vitamin D added)",
    "01015": "cottage cheese",
    "01037": "part-skim ricotta",
    "01009": "cheddar cheese",
    "01028": "part-skim mozzarella",
    "01040": "Swiss cheese",
    "16139": "fortified soy milk",
    "14091": "fortified almond milk, unsweetened",
    "09210": "orange juice with calcium and vitamin D",
    "08013": "Cheerios",
    "08064": "Rice Chex",
    "08077": "Whole Grain Total",
    "08001": "All-Bran",
    "08060": "Raisin Bran",
    "15237": "farmed Atlantic salmon, cooked",
    "15086": "sockeye salmon, cooked",
    "15087": "canned sockeye salmon",
    "15077": "smoked salmon",
    "15088": "sardines in oil",
    "15201": "mackerel, cooked",
    "15241": "rainbow trout, cooked",
    "15040": "herring, cooked",
    "15121": "light tuna, canned in water",
    "15002": "anchovies in oil",
}


def check_choices(choices: tuple[Choice, ...], foods: pd.DataFrame) -> list[str]:
    """Return one message per problem with the curated choices (empty when all is well)."""
    problems = []
    ids = [choice.food_id for choice in choices]
    duplicates = sorted({food_id for food_id in ids if ids.count(food_id) > 1})
    if duplicates:
        problems.append(f"foods listed twice: {duplicates}")
    for choice in choices:
        where = f"{choice.food_id} ({choice.family})"
        if choice.food_id not in foods.index:
            problems.append(f"{where}: not in foods.csv")
        if choice.family not in FAMILIES:
            problems.append(f"{where}: unknown family")
        if not NAMES.get(choice.food_id):
            problems.append(f"{where}: no short name in NAMES")
        meals = choice.meals.split(";")
        if not meals or not set(meals) <= set(MEALS) or len(set(meals)) != len(meals):
            problems.append(f"{where}: bad meals {choice.meals!r}")
        tags = set(choice.tags)
        if not tags <= set(TAGS):
            problems.append(f"{where}: unknown tags {sorted(tags - set(TAGS))}")
        if "vegan" in tags and ({"dairy", "fish"} & tags or "vegetarian" not in tags):
            problems.append(f"{where}: vegan food must be vegetarian and free of dairy and fish")
        if "vegetarian" in tags and "fish" in tags:
            problems.append(f"{where}: vegetarian food contains fish")
        family_tag = {"fatty_fish": "fish", "dairy": "dairy", "nuts": "nuts"}.get(choice.family)
        if family_tag and family_tag not in tags:
            problems.append(f"{where}: a {choice.family} food must be tagged {family_tag}")
    for family in FAMILIES:
        count = sum(choice.family == family for choice in choices)
        if count < MIN_PER_FAMILY[family]:
            problems.append(f"family {family}: {count} foods, need {MIN_PER_FAMILY[family]}")
    for meal in MEALS:
        count = sum(meal in choice.meals.split(";") for choice in choices)
        if count < MIN_PER_MEAL:
            problems.append(f"meal {meal}: {count} foods, need {MIN_PER_MEAL}")
    return problems


def build_rows(choices: tuple[Choice, ...], portions: pd.DataFrame) -> list[list[str]]:
    """Return the CSV rows, with each portion copied as text from the portion table."""
    keyed = portions.set_index(["food_id", "seq"])
    rows = []
    for choice in choices:
        key = (choice.food_id, str(choice.portion_seq))
        if key not in keyed.index:
            raise SystemExit(f"{choice.food_id}: no portion with seq {choice.portion_seq}")
        portion = keyed.loc[key]
        tags = ["1" if tag in choice.tags else "0" for tag in TAGS]
        rows.append(
            [
                choice.food_id,
                NAMES[choice.food_id],
                choice.family,
                str(choice.portion_seq),
                portion["amount"],
                portion["measure"],
                portion["grams"],
                choice.meals,
                *tags,
            ]
        )
    return rows


def main() -> int:
    """Check the choices, then write ``foods/article_foods.csv``."""
    foods = pd.read_csv(FOODS_CSV, dtype=str, keep_default_na=False).set_index("food_id")
    # Read every portion column as text so amounts and grams are written exactly as stored.
    portions = pd.read_csv(PORTIONS_CSV, dtype=str, keep_default_na=False)
    problems = check_choices(CHOICES, foods)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    rows = build_rows(CHOICES, portions)
    order = {family: i for i, family in enumerate(FAMILIES)}
    rows.sort(key=lambda row: order[row[2]])  # stable: keeps the curated order per family
    with OUTPUT_CSV.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    print(f"wrote {len(rows)} foods to {OUTPUT_CSV.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
