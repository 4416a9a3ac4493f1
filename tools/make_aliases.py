"""Write planner's alias table, foods/aliases.csv, from the curated list below.

Usage: python tools/make_aliases.py [--quiet]

Each alias is what people type in a food diary ("banana", "2% milk", "oatmeal"), mapped by
hand to the generic, as-eaten USDA SR28 food: raw fruit, cooked grains, legumes, meat and
fish, the plain dairy food. The script checks, before it writes anything, that

- every food id exists in foods/foods.csv;
- no alias points at a baby food, a restaurant or fast food, or a branded entry;
- no two aliases are the same text once normalised (planner.matching.normalise lowercases,
  drops punctuation and singularises, so "Eggs" and "egg" are one alias);
- no alias is already a USDA description, unless it is listed in SHADOWS as a deliberate
  choice against a one-word USDA description (the matcher reads the alias table first);

and prints every alias with the description of its food so the choices can be read over.
Entries outside USDA's survey set (FNDDS) are marked with "*": allowed, but each is a
deliberate choice (for example store-bought hummus).

Decisions worth knowing:

- "milk" is 2% reduced-fat milk, the most drunk milk in the US; "yogurt" is plain low-fat.
- "broccoli", "cauliflower", "green beans", "zucchini", "asparagus", "brussels sprouts",
  "peas" and "corn" are cooked (boiled, drained): people mostly eat them cooked. "raw
  broccoli" and friends map to the raw entry. Salad vegetables (spinach, kale, lettuce,
  carrots, tomatoes, peppers, cucumber, mushrooms, cabbage) are raw.
- "egg"/"eggs" is the whole raw egg: the cooking method is unknown and boiled, poached or
  raw values are nearly the same; "scrambled eggs", "fried egg" and so on map to theirs.
- "oatmeal"/"porridge" is oats cooked with water; "oats" is dry rolled oats, which is
  what people weigh out (not USDA's one-word "Oats", the whole grain).
- "potato" is baked, flesh and skin; "steak" is broiled top sirloin; "ground beef" is
  85% lean crumbles, pan-browned; "chicken" is roasted meat without skin.
- Ready-to-eat cereals are in SR28 only as branded entries, and people type the brand
  ("corn flakes", "cheerios"): those branded ids are allowed (BRANDED_CEREALS).
- Pizza maps to the pizza-chain entries, the only ones measured by the slice.
- Two-word aliases for compounds ("chocolate milk", "almond milk", "peanut butter",
  "banana bread", "sweet potato") keep the alias-suffix rule from reading them as the last
  word alone ("milk", "butter", "bread", "potato").
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.matching import normalise  # noqa: E402

FOODS = ROOT / "foods" / "foods.csv"
OUT = ROOT / "foods" / "aliases.csv"
FORBIDDEN_GROUPS = {
    "Baby Foods",
    "Restaurant Foods",
    "Fast Foods",
    "American Indian/Alaska Native Foods",
}
# Allowed from the Fast Foods group on purpose: USDA files frozen supermarket pizza there,
# and people log pizza by the slice, which only the pizza-chain entries measure.
GROCERY_FAST_FOODS = {"21224", "22903", "21299", "21302"}
# Ready-to-eat cereals exist in SR28 only as branded entries, and the brand name is what
# people type ("corn flakes", "cheerios"), so these branded ids are allowed.
BRANDED_CEREALS = {
    "08020", "08013", "08045", "08060", "08065", "08067", "08069", "08319", "08038",
    "08148", "08049", "08048", "08019", "08064", "08077",
}  # fmt: skip

# Aliases that are also a one-word USDA description, mapped elsewhere on purpose.
SHADOWS = {"oats"}

# fmt: off
ALIASES: list[tuple[str, str]] = [
    # -- fruit, raw as eaten ---------------------------------------------------------
    ("banana", "09040"),
    ("apple", "09003"),
    ("orange", "09200"), ("navel orange", "09202"),
    ("strawberry", "09316"),
    ("blueberry", "09050"),
    ("grapes", "09132"), ("red grapes", "09132"), ("green grapes", "09132"),
    ("avocado", "09037"),
    ("pear", "09252"),
    ("peach", "09236"),
    ("pineapple", "09266"),
    ("mango", "09176"),
    ("raspberry", "09302"),
    ("blackberry", "09042"),
    ("cherry", "09070"),
    ("cantaloupe", "09181"), ("honeydew", "09184"), ("honeydew melon", "09184"),
    ("watermelon", "09326"),
    ("kiwi", "09148"), ("kiwifruit", "09148"),
    ("plum", "09279"),
    ("grapefruit", "09111"),
    ("lemon", "09150"), ("lime", "09159"),
    ("apricot", "09021"), ("dried apricots", "09032"),
    ("fig", "09089"), ("dried figs", "09094"),
    ("dates", "09087"), ("medjool dates", "09421"),
    ("raisins", "09298"),
    ("cranberry", "09078"), ("dried cranberries", "09079"),
    ("craisins", "09079"),
    ("papaya", "09226"), ("pomegranate", "09286"), ("nectarine", "09191"),
    ("tangerine", "09218"), ("mandarin", "09218"), ("mandarin orange", "09218"),
    ("clementine", "09433"),
    ("prunes", "09291"),
    ("applesauce", "09019"), ("apple sauce", "09019"),
    ("coconut", "12104"), ("shredded coconut", "12179"),
    ("lemon juice", "09152"), ("lime juice", "09160"),
    ("fruit cocktail", "09097"),
    # -- cooked grains and pasta -----------------------------------------------------
    ("rice", "20045"), ("white rice", "20045"), ("cooked rice", "20045"),
    ("steamed rice", "20045"), ("jasmine rice", "20045"), ("basmati rice", "20045"),
    ("brown rice", "20037"), ("wild rice", "20089"),
    ("oatmeal", "08121"), ("porridge", "08121"), ("cooked oatmeal", "08121"),
    ("oats", "08120"), ("rolled oats", "08120"), ("old fashioned oats", "08120"),
    ("instant oatmeal", "08123"),
    ("pasta", "20121"), ("spaghetti", "20121"), ("macaroni", "20121"), ("penne", "20121"),
    ("noodles", "20110"), ("egg noodles", "20110"),
    ("whole wheat pasta", "20125"), ("whole wheat spaghetti", "20125"),
    ("rice noodles", "20134"),
    ("quinoa", "20137"), ("couscous", "20029"), ("barley", "20006"), ("bulgur", "20013"),
    ("millet", "20032"), ("kasha", "20010"),
    ("grits", "08091"), ("cream of wheat", "08113"), ("farina", "08113"),
    # -- legumes, cooked -------------------------------------------------------------
    ("lentils", "16070"), ("black beans", "16015"),
    ("chickpeas", "16057"), ("garbanzo beans", "16057"),
    ("hummus", "16158"), ("houmous", "16158"),
    ("kidney beans", "16028"), ("pinto beans", "16043"), ("navy beans", "16038"),
    ("white beans", "16050"), ("cannellini beans", "16050"),
    ("baked beans", "16006"), ("refried beans", "16103"), ("split peas", "16086"),
    ("tofu", "16426"), ("firm tofu", "16426"), ("soybeans", "16109"),
    ("edamame", "11212"),
    ("peanuts", "16090"), ("roasted peanuts", "16090"),
    # -- meat, poultry, fish and eggs, cooked ----------------------------------------
    ("chicken", "05013"), ("chicken breast", "05064"), ("grilled chicken", "05747"),
    ("grilled chicken breast", "05747"), ("baked chicken breast", "05064"),
    ("chicken thigh", "05098"),
    ("chicken drumstick", "05069"), ("chicken leg", "05078"),
    ("chicken wings", "05103"),
    ("rotisserie chicken", "05342"), ("fried chicken", "05058"),
    ("ground chicken", "05333"), ("deli chicken", "07961"),
    ("chicken nuggets", "22974"),
    ("turkey", "05168"), ("roast turkey", "05168"), ("turkey breast", "05220"),
    ("ground turkey", "05306"), ("deli turkey", "07081"), ("sliced turkey", "07081"),
    ("turkey bacon", "07973"),
    ("beef", "13796"), ("ground beef", "23570"), ("hamburger meat", "23570"),
    ("lean ground beef", "23565"), ("hamburger patty", "23568"), ("burger patty", "23568"),
    ("beef patty", "23568"),
    ("steak", "13930"), ("sirloin steak", "13930"), ("sirloin", "13930"),
    ("ribeye", "23197"), ("ribeye steak", "23197"), ("rib eye steak", "23197"),
    ("filet mignon", "13918"), ("roast beef", "07043"), ("beef jerky", "19002"),
    ("pork chop", "10179"), ("pork tenderloin", "10061"),
    ("pork", "10188"), ("ground pork", "10220"), ("pork ribs", "10089"),
    ("spare ribs", "10089"),
    ("bacon", "10862"), ("canadian bacon", "10998"),
    ("ham", "07029"), ("deli ham", "07029"), ("sliced ham", "07029"),
    ("sausage", "07064"), ("pork sausage", "07064"), ("breakfast sausage", "07064"),
    ("italian sausage", "07089"), ("turkey sausage", "07919"),
    ("hot dog", "07022"), ("frankfurter", "07022"),
    ("salami", "07069"), ("pepperoni", "07057"), ("bologna", "07008"),
    ("lamb", "17002"), ("ground lamb", "17225"),
    ("salmon", "15237"), ("atlantic salmon", "15237"), ("baked salmon", "15237"),
    ("grilled salmon", "15237"), ("sockeye salmon", "15086"), ("wild salmon", "15086"),
    ("canned salmon", "15087"), ("smoked salmon", "15077"), ("lox", "15077"),
    ("tuna", "15121"), ("canned tuna", "15121"), ("tuna in water", "15121"),
    ("tuna in oil", "15119"), ("tuna steak", "15221"),
    ("cod", "15016"), ("tilapia", "15262"), ("shrimp", "15151"), ("prawns", "15151"),
    ("sardines", "15088"), ("mackerel", "15047"), ("trout", "15219"),
    ("halibut", "15037"), ("catfish", "15235"), ("haddock", "15034"),
    ("pollock", "15067"), ("swordfish", "15111"),
    ("crab", "15140"), ("lobster", "15148"), ("scallops", "90240"),
    ("oysters", "15167"), ("clams", "15159"),
    ("fish sticks", "15027"), ("imitation crab", "15138"),
    ("egg", "01123"), ("whole egg", "01123"), ("large egg", "01123"),
    ("scrambled eggs", "01132"),
    ("fried egg", "01128"),
    ("boiled egg", "01129"),
    ("hard boiled egg", "01129"),
    ("poached egg", "01131"), ("omelet", "01130"), ("omelette", "01130"),
    ("egg white", "01124"), ("egg yolk", "01125"),
    # -- dairy -----------------------------------------------------------------------
    ("milk", "01079"), ("2% milk", "01079"), ("reduced fat milk", "01079"),
    ("whole milk", "01077"), ("1% milk", "01082"), ("low fat milk", "01082"),
    ("skim milk", "01085"), ("nonfat milk", "01085"), ("fat free milk", "01085"),
    ("chocolate milk", "01103"), ("buttermilk", "01088"), ("goat milk", "01106"),
    ("yogurt", "01117"), ("yoghurt", "01117"), ("plain yogurt", "01117"),
    ("low fat yogurt", "01117"), ("whole milk yogurt", "01116"),
    ("greek yogurt", "01256"), ("greek yoghurt", "01256"),
    ("plain greek yogurt", "01256"), ("nonfat greek yogurt", "01256"),
    ("vanilla yogurt", "01119"), ("fruit yogurt", "01121"), ("strawberry yogurt", "01121"),
    ("cheese", "01009"), ("cheddar", "01009"), ("cheddar cheese", "01009"),
    ("sharp cheddar", "01009"),
    ("mozzarella", "01029"), ("mozzarella cheese", "01029"), ("string cheese", "01029"),
    ("parmesan", "01032"), ("parmesan cheese", "01032"),
    ("swiss cheese", "01040"), ("feta", "01019"), ("feta cheese", "01019"),
    ("cottage cheese", "01012"), ("cream cheese", "01017"),
    ("american cheese", "01042"), ("provolone", "01035"),
    ("ricotta", "01036"), ("ricotta cheese", "01036"),
    ("goat cheese", "01159"), ("monterey jack", "01025"),
    ("blue cheese", "01004"), ("gouda", "01022"), ("brie", "01006"),
    ("butter", "01001"), ("salted butter", "01001"), ("unsalted butter", "01145"),
    ("sour cream", "01056"), ("heavy cream", "01053"), ("whipping cream", "01053"),
    ("half and half", "01049"), ("whipped cream", "01054"),
    ("coffee creamer", "01067"),
    ("ice cream", "19095"), ("vanilla ice cream", "19095"),
    ("chocolate ice cream", "19270"), ("frozen yogurt", "42187"),
    # -- vegetables ------------------------------------------------------------------
    ("spinach", "11457"), ("baby spinach", "11457"), ("raw spinach", "11457"),
    ("cooked spinach", "11458"),
    ("broccoli", "11091"), ("steamed broccoli", "11091"), ("cooked broccoli", "11091"),
    ("raw broccoli", "11090"),
    ("lettuce", "11252"), ("iceberg lettuce", "11252"),
    ("romaine", "11251"), ("romaine lettuce", "11251"),
    ("mixed greens", "11253"), ("spring mix", "11253"), ("green leaf lettuce", "11253"),
    ("carrot", "11124"), ("baby carrots", "11960"),
    ("cooked carrots", "11125"),
    ("potato", "11674"), ("baked potato", "11674"),
    ("boiled potatoes", "11367"), ("mashed potatoes", "11371"),
    ("hash browns", "11391"),
    ("sweet potato", "11508"), ("yam", "11602"),
    ("tomato", "11529"), ("cherry tomatoes", "11529"),
    ("onion", "11282"), ("red onion", "11282"),
    ("green onion", "11291"), ("scallions", "11291"),
    ("bell pepper", "11333"), ("green pepper", "11333"), ("green bell pepper", "11333"),
    ("red pepper", "11821"), ("red bell pepper", "11821"), ("yellow pepper", "11951"),
    ("jalapeno", "11979"),
    ("kale", "11233"), ("cooked kale", "11234"),
    ("cucumber", "11205"),
    ("mushrooms", "11260"),
    ("green beans", "11053"), ("string beans", "11053"),
    ("peas", "11313"), ("green peas", "11313"),
    ("corn", "11168"), ("sweet corn", "11168"), ("corn on the cob", "11168"),
    ("cauliflower", "11136"), ("raw cauliflower", "11135"),
    ("zucchini", "11478"), ("asparagus", "11012"),
    ("brussels sprouts", "11099"),
    ("cabbage", "11109"), ("red cabbage", "11112"),
    ("celery", "11143"), ("beets", "11081"), ("garlic", "11215"),
    ("eggplant", "11210"), ("butternut squash", "11486"), ("spaghetti squash", "11493"),
    ("pumpkin", "11424"), ("arugula", "11959"), ("radishes", "11429"),
    ("bok choy", "11117"), ("mixed vegetables", "11584"),
    ("pickles", "11937"), ("dill pickle", "11937"), ("olives", "09193"),
    ("sauerkraut", "11439"), ("kimchi", "11118"),
    # -- bread, cereals and baked goods ----------------------------------------------
    ("bread", "18069"), ("white bread", "18069"),
    ("whole wheat bread", "18075"), ("wholemeal bread", "18075"),
    ("wheat bread", "18064"), ("multigrain bread", "28397"), ("whole grain bread", "28397"),
    ("rye bread", "18060"), ("sourdough", "18029"), ("sourdough bread", "18029"),
    ("french bread", "18029"), ("baguette", "18029"), ("italian bread", "18033"),
    ("toast", "18070"), ("white toast", "18070"), ("whole wheat toast", "18076"),
    ("pita", "18041"), ("pita bread", "18041"), ("whole wheat pita", "18042"),
    ("naan", "28307"),
    ("bagel", "18001"), ("plain bagel", "18001"),
    ("tortilla", "18364"), ("flour tortilla", "18364"), ("corn tortilla", "18363"),
    ("whole wheat tortilla", "28295"),
    ("english muffin", "18258"), ("croissant", "18239"),
    ("dinner roll", "18342"), ("hamburger bun", "18350"), ("hot dog bun", "18350"),
    ("biscuit", "18009"), ("cornbread", "18023"), ("banana bread", "18019"),
    ("pancake", "18293"), ("waffle", "18403"),
    ("blueberry muffin", "18274"), ("muffin", "18274"),
    ("granola", "08037"),
    ("crackers", "18229"), ("saltines", "18228"), ("saltine crackers", "18228"),
    ("graham crackers", "18173"), ("rice cakes", "19816"),
    # -- nuts, seeds and their butters -----------------------------------------------
    ("almonds", "12061"), ("raw almonds", "12061"), ("roasted almonds", "12063"),
    ("walnuts", "12155"), ("cashews", "12085"), ("cashew nuts", "12085"),
    ("pecans", "12142"), ("pistachios", "12152"), ("macadamia nuts", "12131"),
    ("brazil nuts", "12078"), ("hazelnuts", "12120"), ("mixed nuts", "12135"),
    ("pine nuts", "12147"),
    ("peanut butter", "16098"), ("creamy peanut butter", "16098"),
    ("crunchy peanut butter", "16097"), ("natural peanut butter", "16398"),
    ("almond butter", "12695"), ("cashew butter", "12588"), ("tahini", "12166"),
    ("chia seeds", "12006"), ("chia", "12006"),
    ("pumpkin seeds", "12016"), ("pepitas", "12016"),
    ("sunflower seeds", "12037"),
    ("flaxseed", "12220"), ("flax seeds", "12220"), ("ground flaxseed", "12220"),
    ("flax", "12220"),
    ("sesame seeds", "12023"), ("hemp seeds", "12012"), ("hemp hearts", "12012"),
    ("trail mix", "19059"),
    # -- drinks ----------------------------------------------------------------------
    ("coffee", "14209"), ("black coffee", "14209"), ("brewed coffee", "14209"),
    ("decaf coffee", "14201"), ("decaf", "14201"), ("espresso", "14210"),
    ("tea", "14355"), ("black tea", "14355"), ("green tea", "14278"),
    ("orange juice", "09209"), ("oj", "09209"), ("apple juice", "09016"),
    ("grape juice", "09135"), ("cranberry juice", "14242"), ("tomato juice", "11540"),
    ("cola", "14148"), ("coke", "14148"), ("soda", "14148"), ("soft drink", "14148"),
    ("diet coke", "14416"), ("diet soda", "14416"),
    ("ginger ale", "14136"), ("lemon lime soda", "14144"),
    ("club soda", "14121"), ("sparkling water", "14121"), ("seltzer", "14121"),
    ("beer", "14003"), ("light beer", "14006"),
    ("wine", "14084"), ("red wine", "14096"), ("white wine", "14106"),
    ("vodka", "14051"), ("whiskey", "14052"), ("rum", "14050"), ("gin", "14049"),
    ("water", "14411"), ("tap water", "14411"), ("bottled water", "14555"),
    ("soy milk", "16139"), ("soymilk", "16139"),
    ("almond milk", "14091"), ("unsweetened almond milk", "14091"),
    ("rice milk", "14639"), ("coconut water", "14090"), ("coconut milk", "12118"),
    ("hot chocolate", "01105"), ("hot cocoa", "01105"), ("lemonade", "14293"),
    ("energy drink", "14060"), ("whey protein", "14066"), ("protein powder", "14066"),
    # -- snacks, sweets and dishes ---------------------------------------------------
    ("pizza", "21299"), ("cheese pizza", "21299"), ("pepperoni pizza", "21302"),
    ("frozen pizza", "21224"), ("frozen pepperoni pizza", "22903"),
    # -- breakfast cereals: SR28 has only the branded entries --------------------------
    ("corn flakes", "08020"), ("cheerios", "08013"), ("honey nut cheerios", "08045"),
    ("raisin bran", "08060"), ("rice krispies", "08065"), ("special k", "08067"),
    ("frosted flakes", "08069"), ("frosted mini wheats", "08319"), ("grape nuts", "08038"),
    ("shredded wheat", "08148"), ("life cereal", "08049"), ("kix", "08048"),
    ("corn chex", "08019"), ("rice chex", "08064"), ("total cereal", "08077"),
    ("french fries", "11403"), ("french fry", "11403"), ("fries", "11403"),
    ("potato chips", "19411"), ("chips", "19411"), ("tortilla chips", "19056"),
    ("chocolate", "19120"), ("milk chocolate", "19120"), ("dark chocolate", "19905"),
    ("cookie", "18159"), ("chocolate chip cookie", "18159"),
    ("oatmeal cookie", "18178"), ("sugar cookie", "18204"),
    ("brownie", "18151"),
    ("donut", "18255"), ("doughnut", "18255"),
    ("chocolate cake", "18096"), ("cheesecake", "18147"), ("apple pie", "18301"),
    ("popcorn", "19035"), ("pretzels", "19047"),
    ("granola bar", "19020"), ("jello", "19173"), ("pudding", "19201"),
    ("sugar", "19335"), ("maple syrup", "19353"), ("jam", "19297"),
    ("strawberry jam", "19297"), ("grape jelly", "19300"),
    ("olive oil", "04053"), ("extra virgin olive oil", "04053"), ("canola oil", "04582"),
    ("vegetable oil", "04044"), ("coconut oil", "04047"),
    ("margarine", "04610"),
    ("mayonnaise", "04025"), ("mayo", "04025"), ("ketchup", "11935"),
    ("mustard", "02046"), ("salsa", "06164"), ("soy sauce", "16123"),
    ("bbq sauce", "06150"), ("barbecue sauce", "06150"),
    ("ranch dressing", "04639"), ("ranch", "04639"), ("italian dressing", "04114"),
    ("caesar dressing", "43015"),
    ("marinara", "06931"), ("marinara sauce", "06931"), ("pasta sauce", "06931"),
    ("spaghetti sauce", "06931"), ("tomato sauce", "11549"),
    ("chicken noodle soup", "06419"), ("tomato soup", "06559"),
    ("mac and cheese", "32005"), ("macaroni and cheese", "32005"),
    ("lasagna", "22977"), ("chili", "22904"), ("potato salad", "11414"),
]
# fmt: on


def main(argv: list[str]) -> int:
    quiet = "--quiet" in argv
    foods = pd.read_csv(FOODS, dtype={"food_id": str}, keep_default_na=False)
    by_id = foods.set_index("food_id")
    described = {}
    for fid, desc in zip(foods["food_id"], foods["description"], strict=True):
        described.setdefault(normalise(desc), (fid, desc))

    errors, seen = [], {}
    for alias, fid in ALIASES:
        key = normalise(alias)
        if fid not in by_id.index:
            errors.append(f"{alias!r}: food id {fid} is not in {FOODS.name}")
            continue
        row = by_id.loc[fid]
        if row["food_group"] in FORBIDDEN_GROUPS and fid not in GROCERY_FAST_FOODS:
            errors.append(f"{alias!r}: {fid} is in {row['food_group']}")
        if row["manufacturer"] and fid not in BRANDED_CEREALS:
            errors.append(f"{alias!r}: {fid} is a branded food ({row['manufacturer']})")
        if key in seen:
            errors.append(f"{alias!r} repeats {seen[key]!r} (both normalise to {key!r})")
        seen[key] = alias
        if key in described and not (alias in SHADOWS and described[key][0] != fid):
            other, desc = described[key]
            errors.append(f"{alias!r} is the USDA description {desc!r} ({other}): drop it")
        if not quiet:
            mark = " " if str(row["survey"]) == "True" else "*"
            print(f"{alias:28} {fid}{mark} {row['description']}")
    if errors:
        print(f"\n{len(errors)} problem(s):", *errors, sep="\n  ", file=sys.stderr)
        return 1

    rows = sorted(ALIASES)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["alias", "food_id"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} aliases to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
