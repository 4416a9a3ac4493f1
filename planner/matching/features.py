"""What is compared between a diary line and a food: the features the matcher weighs.

For a batch of diary lines, every food that shares a word with a line is a candidate, and
each (line, food) pair gets the features in :data:`PAIR_FEATURES`, computed for all pairs
at once with sparse matrix products. The weights that turn them into a score are learnt
from labelled diary lines (``tools/train_matcher.py``), not set by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from planner.matching.index import ALIAS, SYNONYM, FoodIndex
from planner.matching.text import COOKING, UNCOOKED, query_words

PAIR_FEATURES = (
    "best_text",  # weighted Jaccard of the line and the food's closest text
    "line_covered",  # share of the line's known words the food's texts hold
    "food_covered",  # share of the description's words the line holds
    "head_covered",  # share of the description's head (what the food is) the line names
    "head_missed",  # the line names none of the head
    "kind_named",  # the line's own head word (what kind of food it is) is the food's head
    "unexplained",  # weight of the description's words the line does not hold (scaled)
    "phrases_covered",  # share of the line's word pairs ("greek yogurt") the food's texts hold
    "exact_alias",  # the line is one of the food's aliases, word for word
    "exact_text",  # the line is the food's description or a synonym, word for word
    "best_is_synonym",  # the closest text is an FNDDS additional description
    "best_is_alias",  # the closest text is an alias
    "fndds",  # the food is from FNDDS (as eaten) rather than SR28
    "nfs",  # USDA's "not further specified" entry
    "brand",  # a branded entry whose brand the line does not name
    "brand_named",  # a branded or restaurant entry whose brand the line names
    "restaurant",  # SR28's restaurant and fast-food groups, not named by the line
    "baby_or_regional",  # baby foods, American Indian/Alaska Native foods
    "cooking_conflict",  # the line says cooked and the food is raw, or the other way
    "raw_unasked",  # a raw meat, fish, grain or legume the line did not call raw
    "cooked_unasked",  # a cooked food (baked, fried...) when the line says nothing of cooking
    "forms_unasked",  # form words (oil, powder, canned, juice...) the line does not ask for
    "additions_unasked",  # what the food says is added ("fat added") that the line does not say
    "qualifier_conflict",  # the food has what the line says is left out, or the other way
    "parts",  # comma parts of the description (long descriptions are specific)
)
QUERY_FEATURES = ("unknown_share", "typos")
CANDIDATES = 60  # foods per line described in full, the closest by their closest text
TEXT_PRUNE = 0.25  # texts less than this share as close as the line's closest are not read


@dataclass
class Pairs:
    """Candidate (line, food) pairs of a batch, with their features.

    ``line`` and ``food`` are parallel arrays (line index in the batch, food row in the
    index), sorted by line; ``X`` is pairs x :data:`PAIR_FEATURES`; ``starts`` gives each
    line's first pair (``len(pairs)`` for lines without any), ``query`` lines x
    :data:`QUERY_FEATURES`.
    """

    line: np.ndarray
    food: np.ndarray
    X: np.ndarray
    starts: np.ndarray
    query: np.ndarray
    read_as: dict


def pair_features(index: FoodIndex, texts: list[str], allowed: np.ndarray | None = None) -> Pairs:
    """The (line, food) pairs worth scoring, with their :data:`PAIR_FEATURES`.

    A food is a candidate for a line when one of its texts shares a telling (not neutral)
    word with it; of those, the :data:`CANDIDATES` whose closest text is closest to the
    line are kept and described in full. ``allowed`` (a boolean per food) limits the
    candidates to some foods (one source, for instance).
    """
    Q, unknown_mass, read_as = index.query_matrix(texts)
    n = len(texts)
    present = Q.copy()
    present.data[:] = 1.0
    line_mass = np.asarray(Q.sum(axis=1)).ravel()
    telling = Q @ sparse.diags(index.telling.astype(float))
    telling.eliminate_zeros()
    telling_mass = np.asarray(telling.sum(axis=1)).ravel()

    # the closest text of each food: weighted Jaccard of the telling words, max per food;
    # texts far from the line's closest one are dropped before anything is sorted
    inter = (telling @ index.text_words.T).tocsr()
    inter.sort_indices()
    row = np.repeat(np.arange(n), np.diff(inter.indptr))
    col, shared = inter.indices, inter.data
    text_mass = index.text_telling_mass[col]
    union = telling_mass[row] + text_mass - shared
    jaccard = shared / np.maximum(union, 1e-12)
    filled = np.flatnonzero(np.diff(inter.indptr))
    closest = np.zeros(n)
    if len(filled):
        closest[filled] = np.maximum.reduceat(jaccard, inter.indptr[filled])
    near = jaccard >= TEXT_PRUNE * closest[row]
    if allowed is not None:
        near &= allowed[index.text_food[col]]
    row, col, shared, text_mass, jaccard = (
        row[near],
        col[near],
        shared[near],
        text_mass[near],
        jaccard[near],
    )
    kind = index.text_kind[col]
    exact = np.isclose(shared, telling_mass[row]) & np.isclose(shared, text_mass)
    key = row.astype(np.int64) * len(index.ids) + index.text_food[col]
    order = np.argsort(key, kind="stable")
    key, jaccard, kind, exact = key[order], jaccard[order], kind[order], exact[order]
    first = np.r_[True, key[1:] != key[:-1]] if len(key) else np.zeros(0, dtype=bool)
    starts = np.flatnonzero(first)
    pair_key = key[first]
    best = np.maximum.reduceat(jaccard, starts) if len(starts) else np.zeros(0)
    sizes = np.diff(np.r_[starts, len(key)])
    is_best = jaccard == np.repeat(best, sizes)
    # the kind of the closest text (an alias before a synonym when both are closest)
    best_kind = (
        np.maximum.reduceat(np.where(is_best, kind, -1), starts) if len(starts) else kind[:0]
    )
    # an exact text anywhere among the food's texts counts, not only the best one
    exact_alias = _any_per_pair(exact & (kind == ALIAS), first)
    exact_text = _any_per_pair(exact & (kind != ALIAS), first)
    line = pair_key // len(index.ids)

    # keep each line's closest candidates
    order = np.lexsort((-best, line))
    rank = np.arange(len(order)) - np.searchsorted(line[order], line[order])
    keep = np.sort(order[rank < CANDIDATES])
    pair_key, best, best_kind = pair_key[keep], best[keep], best_kind[keep]
    exact_alias, exact_text = exact_alias[keep], exact_text[keep]
    line = pair_key // len(index.ids)
    food = pair_key % len(index.ids)

    Ql, Pl = Q[line], present[line]
    covered = _dot(Ql, index.food_words[food])
    line_covered = covered / np.maximum(line_mass[line], 1e-12)
    desc_hit = _dot(Pl, index.desc_weighted[food])
    desc_mass = index.desc_mass[food]
    food_covered = desc_hit / np.maximum(desc_mass, 1e-12)
    head_hit = _dot(Pl, index.head_weighted[food])
    head_mass = index.head_mass[food]
    head_covered = np.where(head_mass > 0, head_hit / np.maximum(head_mass, 1e-12), 0.0)
    unexplained = np.log1p(np.maximum(desc_mass - desc_hit, 0.0))
    kind_named = _dot(index.head_matrix(texts)[line], index.heads[food]) > 0
    P, n_phrases = index.phrase_matrix(texts)
    phrase_hit = _dot(P[line], index.food_phrases[food])
    phrases_covered = np.where(n_phrases[line] > 0, phrase_hit / np.maximum(n_phrases[line], 1), 0)
    brand_named = _dot(Pl, index.brand_words[food]) > 0

    cooked_cols = _columns(index, COOKING)
    raw_cols = _columns(index, UNCOOKED)
    line_cooked = np.asarray(present[:, cooked_cols].sum(axis=1)).ravel() > 0
    line_raw = np.asarray(present[:, raw_cols].sum(axis=1)).ravel() > 0
    forms_asked = _dot(Pl, index.form_words[food])
    forms_unasked = np.maximum(index.form_count[food] - forms_asked, 0.0)
    cooked_only, raw_only = line_cooked & ~line_raw, line_raw & ~line_cooked
    conflict = (cooked_only[line] & index.says_raw[food] & ~index.says_cooked[food]) | (
        raw_only[line] & index.says_cooked[food] & ~index.says_raw[food]
    )
    raw_unasked = index.raw_rarely_eaten[food] & index.says_raw[food] & ~line_raw[line]
    silent = ~line_cooked & ~line_raw
    cooked_unasked = silent[line] & index.says_cooked[food]
    line_with, line_without = index.qualifier_matrices(texts)
    additions_unasked = index.with_count[food] - _dot(Pl, index.with_words[food])
    conflict_words = _dot(line_without[line], index.with_words[food]) + _dot(
        line_with[line], index.without_words[food]
    )

    X = np.column_stack(
        [
            best,
            line_covered,
            food_covered,
            head_covered,
            (head_covered == 0) & (head_mass > 0),
            kind_named,
            unexplained,
            phrases_covered,
            exact_alias,
            exact_text,
            best_kind == SYNONYM,
            best_kind == ALIAS,
            index.is_fndds[food],
            index.nfs[food],
            index.brand[food] & ~brand_named,
            brand_named,
            (index.rare[food] == "restaurant") & ~brand_named,
            np.isin(index.rare[food], ["baby", "regional"]),
            conflict,
            raw_unasked,
            cooked_unasked,
            np.minimum(forms_unasked, 3.0),
            np.minimum(np.maximum(additions_unasked, 0.0), 3.0),
            conflict_words > 0,
            np.log(index.n_parts[food]),
        ]
    ).astype(np.float64)
    starts = np.searchsorted(line, np.arange(n + 1))
    total = line_mass + unknown_mass
    query = np.column_stack(
        [
            np.where(total > 0, unknown_mass / np.maximum(total, 1e-12), 1.0),
            [
                sum(w in read_as and w not in index.vocabulary for w, _ in query_words(t))
                for t in texts
            ],
        ]
    )
    return Pairs(line=line, food=food, X=X, starts=starts, query=query, read_as=read_as)


def _any_per_pair(flag: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Whether any entry of each run (runs start where ``first`` is true) has the flag."""
    starts = np.flatnonzero(first)
    return np.logical_or.reduceat(flag, starts) if len(starts) else np.zeros(0, dtype=bool)


def _dot(rows: sparse.csr_matrix, other: sparse.csr_matrix) -> np.ndarray:
    """Row-by-row dot products of two matrices with the same number of rows."""
    return np.asarray(rows.multiply(other).sum(axis=1)).ravel()


def _columns(index: FoodIndex, chosen: frozenset[str]) -> list[int]:
    return [index.vocabulary[w] for w in chosen if w in index.vocabulary]
