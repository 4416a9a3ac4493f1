"""Amounts of many rows at once: the same grams, basis and note as one row at a time."""

from __future__ import annotations

import math

import numpy as np
import pytest

from planner.amounts import parse_amount
from planner.entries import default_matcher, foods_description
from planner.portions import convert_rows, default_book

# every kind of amount, with quantities that make the exact product matter (0.1 x 3),
# a zero (every portion's grams are "close" to 0 g) and the fallbacks of planner.portions
TEXTS = [
    "1 cup", "0.1 cup", "3 cups", "1/3 cup, chopped", "2 tbsp", "0.7 tsp", "12 fl oz",
    "3 oz", "100 g", "0.3 lb", "1 medium", "2 large", "0.5 large", "1 slice", "3 slices",
    "1 serving (28 g)", "0.52 Serving (22 tsp, whole pieces)", "1 container (6 oz)",
    "1 handful", "2 smidgens", "2", "0.1", "1 1/2 cups", "0 cup", "0 medium", "0",
]  # fmt: skip


@pytest.fixture(scope="module")
def sample():
    """Every text above with 150 foods of each table, in a shuffled order."""
    foods = default_matcher().foods
    rng = np.random.default_rng(7)
    ids = [
        *rng.choice(foods.index[foods["food_id"].str.len() == 5], 150, replace=False),
        *rng.choice(foods.index[foods["food_id"].str.len() == 8], 150, replace=False),
    ]
    rows = [(f, t) for f in ids for t in TEXTS]
    order = rng.permutation(len(rows))
    return [rows[i] for i in order]


def _one_at_a_time(rows):
    """What resolving the entries did row by row before: convert, then for a food that
    lacks the measure, its equivalent and USDA's default amount."""
    book, matcher = default_book(), default_matcher()
    out = []
    for food_id, text in rows:
        amount = parse_amount(text)
        done = book.convert(amount, food_id, foods_description(food_id))
        if done.basis == "" and not np.isfinite(done.grams):
            other = matcher.equivalents([food_id])[food_id]
            fndds = food_id if len(food_id) == 8 else (other if len(other) == 8 else "")
            done = book.convert(
                amount, food_id, foods_description(food_id), other, foods_description(other),
                fndds,
            )  # fmt: skip
        out.append(done)
    return out


def _at_once(rows):
    foods = np.array(sorted({f for f, _ in rows}), dtype=object)
    texts = sorted({t for _, t in rows})
    food = np.searchsorted(foods, [f for f, _ in rows])
    amount = np.array([texts.index(t) for _, t in rows])
    amounts = [parse_amount(t) for t in texts]
    return convert_rows(
        food, foods, amount, amounts, foods_description, default_matcher().equivalents
    )


def test_many_rows_read_as_each_row_alone(sample):
    grams, basis, note = _at_once(sample)
    expected = _one_at_a_time(sample)
    for i, done in enumerate(expected):
        same = grams[i] == done.grams or (math.isnan(grams[i]) and math.isnan(done.grams))
        assert same, (sample[i], grams[i], done.grams)  # the same float, not a close one
        assert (basis[i], note[i]) == (done.basis, done.note), sample[i]
    # the sample reaches every way of reading an amount
    assert {"", "other_table", "default_portion"} <= set(basis)
    assert np.isnan(grams).any() and (grams == 0).any()


def test_no_rows():
    grams, basis, note = convert_rows(
        np.zeros(0, dtype=int), np.array([], dtype=object), np.zeros(0, dtype=int), [],
        foods_description, default_matcher().equivalents,
    )  # fmt: skip
    assert len(grams) == len(basis) == len(note) == 0
