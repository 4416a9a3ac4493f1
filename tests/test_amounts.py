"""Tests for planner.amounts: reading amount text and converting it to grams of a food."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from planner.amounts import (
    GRAMS_PER,
    ML_PER,
    UNIT_ALIASES,
    Amount,
    AmountError,
    parse_amount,
    to_grams,
)
from planner.foods import load_foods, load_portions

# --- parse_amount ----------------------------------------------------------------------

PARSED = [
    # plain numbers: a count of the food itself
    ("2", 2.0, "", "count"),
    ("1 1/2", 1.5, "", "count"),
    ("1/2", 0.5, "", "count"),
    ("0.52", 0.52, "", "count"),
    (".5", 0.5, "", "count"),
    ("5.", 5.0, "", "count"),
    ("3 each", 3.0, "", "count"),
    ("2 whole", 2.0, "", "count"),
    ("2 pcs", 2.0, "", "count"),
    # mass
    ("100 g", 100.0, "g", "mass"),
    ("147.51 g", 147.51, "g", "mass"),
    ("0.00 g", 0.0, "g", "mass"),
    ("1 gram", 1.0, "g", "mass"),
    ("2 kg", 2.0, "kg", "mass"),
    ("250 mg", 250.0, "mg", "mass"),
    ("10 oz", 10.0, "oz", "mass"),
    ("1 lb", 1.0, "lb", "mass"),
    ("3 lbs", 3.0, "lb", "mass"),
    ("1 oz (28g)", 1.0, "oz", "mass"),
    ("2.00 x 5.0 oz", 10.0, "oz", "mass"),
    # volume
    ("1.00 cup", 1.0, "cup", "volume"),
    ("1 cups", 1.0, "cup", "volume"),
    ("1 1/2 cups", 1.5, "cup", "volume"),
    ("3/4 cup", 0.75, "cup", "volume"),
    ("2 c", 2.0, "cup", "volume"),
    ("236.59 mL", 236.59, "ml", "volume"),
    ("100 ml", 100.0, "ml", "volume"),
    ("1 L", 1.0, "l", "volume"),
    ("2 tbsp", 2.0, "tbsp", "volume"),
    ("1 tsp", 1.0, "tsp", "volume"),
    ("8.00 fl oz", 8.0, "fl oz", "volume"),
    ("2 fl. oz", 2.0, "fl oz", "volume"),
    ("1 pint", 1.0, "pint", "volume"),
    ("1 qt", 1.0, "quart", "volume"),
    ("1 cup (8 fl oz)", 1.0, "cup", "volume"),
    ("2 Cups, chopped", 2.0, "cup, chopped", "volume"),
    ("1.00 x 0.5 cup, shredded", 0.5, "cup, shredded", "volume"),
    ("1.00 x 8.28 fl oz (245ml)", 8.28, "fl oz", "volume"),
    # household measures, as Cronometer writes them
    ('2.00 medium (2-2/3" dia)', 2.0, 'medium (2-2/3" dia)', "measure"),
    ('7.00 cookie, medium (2-1/4" dia)', 7.0, 'cookie, medium (2-1/4" dia)', "measure"),
    ("1.00  1  Tortilla", 1.0, "tortilla", "measure"),
    ("1.00 burrito ", 1.0, "burrito", "measure"),
    ("0.52 Serving (22 tsp, whole pieces)", 0.52, "serving (22 tsp, whole pieces)", "measure"),
    ("1.00 full recipe", 1.0, "full recipe", "measure"),
    ("2 medium", 2.0, "medium", "measure"),
    ("1 slice", 1.0, "slice", "measure"),
]


@pytest.mark.parametrize(("text", "quantity", "unit", "kind"), PARSED)
def test_parse_amount(text, quantity, unit, kind):
    amount = parse_amount(text)
    assert amount.quantity == pytest.approx(quantity)
    assert (amount.unit, amount.kind) == (unit, kind)


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("3", "oz", Amount(3.0, "oz", "mass")),
        ("1.5", "cups", Amount(1.5, "cup", "volume")),
        ("2", "", Amount(2.0, "", "count")),
        ("2", None, Amount(2.0, "", "count")),
        ("1", "Each", Amount(1.0, "", "count")),
    ],
)
def test_parse_amount_with_unit_column(text, unit, expected):
    assert parse_amount(text, unit) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("-1 cup", "negative"),
        ("-0.5", "negative"),
        ("abc", "does not start with a number"),
        ("", "does not start with a number"),
        ("cup", "does not start with a number"),
        ("x 2", "does not start with a number"),
        ("1/0 cup", "is not a number"),
        ("1 2/0 cup", "is not a number"),
        ("9" * 400 + " cup", "finite"),
        ("9" * 400 + "/1 cup", "is not a number"),  # a fraction too large for a float
        ("1.5.2 cup", "number"),  # a typo, not 1.5 x .2 cups
        ("1/2/3 cup", "number"),
    ],
)
def test_parse_amount_errors(text, reason):
    with pytest.raises(AmountError, match=reason) as err:
        parse_amount(text)
    assert isinstance(err.value, ValueError)
    assert str(err.value).startswith("amount '")


# --- to_grams -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def foods():
    return load_foods()


@pytest.fixture(scope="module")
def portions():
    table = load_portions()
    return {fid: rows for fid, rows in table.groupby("food_id", sort=False)}


GRAMS = [
    # mass converts directly, never through a portion
    ("09040", "100 g", 100.0),
    ("09040", "147.51 g", 147.51),
    ("11457", "1 kg", 1000.0),
    ("11457", "250 mg", 0.25),
    ("12061", "1 oz", 28.349523125),  # not almonds' "oz (23 whole kernels)" = 28.35 g
    ("15076", "2 lb", 907.18474),
    ("01009", "2.00 x 5.0 oz", 283.49523125),
    ("09040", "0.00 g", 0.0),
    # volume goes through the food's own cup: spinach and milk differ eightfold
    ("11457", "1 cup", 30.0),  # spinach: cup = 30 g
    ("11457", "2 cups", 60.0),  # spinach: cup = 30 g
    ("01077", "1 cup", 244.0),  # whole milk: cup = 244 g
    ("01077", "8.00 fl oz", 244.0),  # whole milk: fl oz = 30.5 g
    ("01077", "2 tbsp", 30.0),  # whole milk: tbsp = 15 g
    ("01077", "236.59 mL", 236.59 / 236.5882365 * 244),  # whole milk: cup = 244 g
    ("01077", "1 L", 1000 / 236.5882365 * 244),  # whole milk: cup = 244 g
    ("01079", "2 tbsp", 30.5),  # 2% milk has no tbsp: cup = 244 g, / 16 x 2
    ("01079", "1 tsp", 244 / 48),  # 2% milk: cup = 244 g, / 48
    ("11457", "1 tbsp", 1.875),  # spinach: cup = 30 g, / 16
    ("20045", "1.00 cup", 158.0),  # long-grain rice, cooked: cup = 158 g
    ("08120", "1/3 cup", 27.0),  # oats: cup = 81 g (USDA's first cup row)
    ("11215", "1 tsp", 2.8),  # garlic: tsp = 2.8 g
    ("16126", "1 cup", 252.0),  # tofu: 0.5 cup = 126 g
    ("14411", "1 L", 1000.0),  # tap water: liter = 1000 g
    ("14209", "8.00 fl oz", 236.8),  # coffee: fl oz = 29.6 g
    # decorations choose among the food's cups
    ("01009", "1.00 x 0.5 cup, shredded", 56.5),  # cheddar: cup, shredded = 113 g
    ("01009", "1 cup, diced", 132.0),  # cheddar: cup, diced = 132 g
    ("01009", "1 cup", 132.0),  # cheddar: no plain cup, USDA's first is cup, diced = 132 g
    ("12061", "0.5 cup, sliced", 46.0),  # almonds: cup, sliced = 92 g
    ("09040", "1 cup, mashed", 225.0),  # banana: cup, mashed = 225 g
    ("09040", "1 cup, sliced", 150.0),  # banana: cup, sliced = 150 g
    ("12220", "1 tbsp, ground", 7.0),  # flaxseed: tbsp, ground = 7 g
    ("12220", "2 tbsp", 20.6),  # flaxseed: USDA's first tbsp is tbsp, whole = 10.3 g
    # a volume inside the measure
    ("06003", "1 cup", 252.0),  # condensed soup: serving 1/2 cup = 126 g
    ("06003", "2 tbsp", 31.5),  # condensed soup: serving 1/2 cup = 126 g -> 15.75 g/tbsp
    # household measures
    ("09040", "2 medium", 236.0),  # banana: medium (7" to 7-7/8" long) = 118 g
    ("09040", "1 large", 136.0),  # banana: large (8" to 8-7/8" long) = 136 g
    ("11674", "1 medium", 173.0),  # baked potato: potato medium = 173 g
    ("11352", '2.00 medium (2-2/3" dia)', 426.0),  # raw potato: Potato medium (...) = 213 g
    ("18159", '7.00 cookie, medium (2-1/4" dia)', 70.0),  # cookie, medium (2-1/4" dia) = 10 g
    ("18364", "1.00  1  Tortilla", 48.0),  # flour tortilla: tortilla = 48 g
    ("18364", '1 tortilla (approx 10" dia)', 72.0),  # tortilla (approx 10" dia) = 72 g
    ("01117", "1 container (6 oz)", 170.0),  # low fat yogurt: container (6 oz) = 170 g
    ("01117", "1 container (8 oz)", 227.0),  # low fat yogurt: container (8 oz) = 227 g
    ("18069", "2 slice", 58.0),  # white bread: slice = 29 g (USDA's first slice row)
    ("18075", "3 slices", 96.0),  # whole-wheat bread: slice = 32 g
    ("01123", "2 large", 100.0),  # egg: large = 50 g
    ("15076", "1 fillet", 396.0),  # Atlantic salmon: 0.5 fillet = 198 g
    ("09003", '1 medium (3" dia)', 182.0),  # apple: medium (3" dia) = 182 g
    ("11529", "1 cherry", 17.0),  # tomato: cherry = 17 g
    # bare counts: one of the food, its medium or its own item measure
    ("09040", "2", 236.0),  # banana: medium (7" to 7-7/8" long) = 118 g
    ("09040", "3 each", 354.0),  # banana: medium (7" to 7-7/8" long) = 118 g
    ("11674", "1", 173.0),  # baked potato: potato medium = 173 g
    ("01123", "3", 132.0),  # egg: medium = 44 g
    ("18160", "2", 28.4),  # soft chocolate chip cookies: cookie = 14.2 g
    ("18159", "2", 20.0),  # chocolate chip cookies: cookie, medium (2-1/4" dia) = 10 g
    ("12061", "10", 12.0),  # almonds: almond = 1.2 g
    # a measure the food lacks that names its own weight or volume is read through it
    ("12006", "1 serving (28g)", 28.0),  # chia seeds: the serving says 28 g
    ("09040", "1 container (6 oz)", 6 * 28.349523125),  # banana has no container: 6 oz
    ("12061", "0.52 Serving (22 tsp, whole pieces)", 0.52 * 22 / 48 * 143),  # almonds: cup 143 g
    # measures the food does not have: never guessed
    ("09040", "1 slice", math.nan),  # banana has no slice
    ("09040", "1.00 burrito ", math.nan),  # banana has no burrito
    ("11457", "1 medium", math.nan),  # spinach has no medium
    ("12006", "1 cup", math.nan),  # chia seeds: only oz
    ("12006", "2", math.nan),  # chia seeds: no single-item measure
]


@pytest.mark.parametrize(("food_id", "text", "grams"), GRAMS)
def test_to_grams(foods, portions, food_id, text, grams):
    result = to_grams(parse_amount(text), portions[food_id], foods.loc[food_id, "description"])
    if math.isnan(grams):
        assert math.isnan(result.grams) and not result.ok
        assert "it has: " in result.note
    else:
        assert result.grams == pytest.approx(grams, rel=1e-9)
        assert result.ok


def test_missing_measure_note_lists_the_food_measures(portions):
    result = to_grams(parse_amount("1 slice"), portions["11457"])
    assert result.note == (
        "no 'slice' measure for this food; it has: 1 cup; 1 bunch; 1 leaf; 1 package (10 oz)"
    )


def test_volume_note_says_which_cup(portions):
    result = to_grams(parse_amount("1 cup"), portions["01009"])
    assert "cup, diced" in result.note and "cup, shredded" in result.note


def test_food_without_portions(portions):
    import pandas as pd

    empty = pd.DataFrame({"amount": [], "measure": [], "grams": []})
    assert to_grams(parse_amount("100 g"), empty).grams == 100.0
    result = to_grams(parse_amount("1 cup"), empty)
    assert math.isnan(result.grams)
    assert "no household measures" in result.note


# --- properties -------------------------------------------------------------------------

AMOUNT_ALPHABET = st.sampled_from(
    [*"0123456789 ./-x×*,()\"'abcglmozupt½", "cup", "fl oz", "tbsp", " x ", "1/0"]
)


@settings(max_examples=50, deadline=None)
@given(
    st.one_of(st.text(), st.lists(AMOUNT_ALPHABET, max_size=12).map("".join)),
    st.one_of(st.none(), st.text(max_size=6)),
)
@example("9" * 400 + "/1 cup", None)
@example("1 " + "9" * 400 + "/1", None)
@example("1.5.2", "cup")
def test_parse_amount_raises_only_amount_error(text, unit):
    try:
        amount = parse_amount(text, unit)
    except AmountError:
        return
    assert amount.quantity >= 0 and math.isfinite(amount.quantity)
    assert amount.kind in {"mass", "volume", "count", "measure"}


MASS_VOLUME_ALIASES = sorted(a for a, u in UNIT_ALIASES.items() if u in GRAMS_PER or u in ML_PER)


@st.composite
def quantities(draw) -> tuple[str, Fraction]:
    """A positive decimal, fraction or mixed number, as text and as its exact value."""
    form = draw(st.sampled_from(["int", "decimal", "fraction", "mixed"]))
    whole = draw(st.integers(0, 5000))
    if form == "int":
        whole = max(whole, 1)
        return str(whole), Fraction(whole)
    if form == "decimal":
        places = draw(st.integers(1, 3))
        digits = draw(st.integers(1, 10**places - 1))
        return f"{whole}.{digits:0{places}d}", whole + Fraction(digits, 10**places)
    num, den = draw(st.integers(1, 99)), draw(st.integers(1, 99))
    if form == "fraction":
        return f"{num}/{den}", Fraction(num, den)
    whole = max(whole, 1)
    return f"{whole} {num}/{den}", whole + Fraction(num, den)


@settings(max_examples=50, deadline=None)
@given(quantities(), st.sampled_from(MASS_VOLUME_ALIASES), st.booleans())
def test_well_formed_amounts_round_trip(q, alias, upper):
    text, value = q
    unit = alias.upper() if upper else alias
    amount = parse_amount(f"{text} {unit}")
    assert amount.quantity == pytest.approx(float(value), rel=1e-12)
    canonical = UNIT_ALIASES[alias]
    assert amount.unit == canonical
    assert amount.kind == ("mass" if canonical in GRAMS_PER else "volume")
