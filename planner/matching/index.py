"""The words of every food, as sparse matrices a batch of diary lines is compared with.

Each food has several texts: its USDA description, SR28's common names, each item of
FNDDS's additional description (brands, other names, forms: "McDonald's Egg McMuffin"),
and the aliases people type for it (``foods/aliases.csv``). A word is worth its rarity
(inverse document frequency over foods: "mcmuffin" tells more than "chicken"), and much
less when it is one of USDA's neutral words ("raw", "prepared"). A diary line becomes a
row of the same vocabulary, each word weighted by :func:`planner.matching.text.query_words`;
a word the vocabulary lacks is read as the known word it misspells ("brocoli") or as two
known words run together ("almondmilk"), and otherwise left out (a brand the table does
not know says nothing about which food it is).
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
from scipy import sparse

from planner.matching.text import (
    COOKING,
    FORM_WORDS,
    NEUTRAL,
    UNCOOKED,
    normalise,
    phrases,
    qualifiers,
    query_heads,
    query_words,
)

NEUTRAL_WEIGHT = 0.15  # what a neutral word is worth next to a telling one
TEXT_KINDS = ("description", "common_name", "synonym", "alias")
DESCRIPTION, COMMON_NAME, SYNONYM, ALIAS = range(len(TEXT_KINDS))  # codes in text_kind
# USDA descriptions name a category first for these ("Nuts, almonds", "Fish, salmon"):
# the second part then says what the food is.
CATEGORIES = frozenset(
    normalise(c)
    for c in [
        "beverages", "cereals ready-to-eat", "cereals", "fish", "nuts", "seeds", "spices",
        "game meat", "crustaceans", "mollusks", "alcoholic beverage", "snacks", "candies",
        "fast foods", "restaurant", "usda commodity", "soup", "beans", "oil", "sauce",
        "salad dressing", "babyfood", "infant formula", "cheese", "cookies", "crackers",
    ]
)  # fmt: skip
# Entries that are rarely what a diary means, by SR28 food group.
RARE_GROUPS = {
    "Baby Foods": "baby",
    "American Indian/Alaska Native Foods": "regional",
    "Restaurant Foods": "restaurant",
    "Fast Foods": "restaurant",
}
RAW_RARELY_EATEN = frozenset(
    [
        "Legumes and Legume Products", "Cereal Grains and Pasta", "Beef Products",
        "Pork Products", "Poultry Products", "Lamb, Veal, and Game Products",
        "Finfish and Shellfish Products", "Sausages and Luncheon Meats",
    ]
)  # fmt: skip
# How close a misspelt word must be to a known word (edit operations, by length).
TYPO_DISTANCE = ((4, 1), (6, 2))
TYPO_SHARE = {1: 0.8, 2: 0.6}  # what a reading one or two edits away is worth
RARE_DF = 2  # a known word used by this few foods may still be a misspelling


def head_words(description: str) -> frozenset[str]:
    """The words that say what the food is: the first part of a USDA description, and
    the second too after a category or a brand ("Nuts, almonds"; "KEEBLER, Oatmeal").

    Examples
    --------
    >>> sorted(head_words("Nuts, almonds, dry roasted"))
    ['almond']
    >>> sorted(head_words("Egg sandwich on English muffin, with ham"))
    ['egg', 'english', 'muffin', 'sandwich']
    """
    parts = [p.strip() for p in str(description).split(",")]
    head = parts[0]
    if len(parts) > 1 and (normalise(head) in CATEGORIES or head.upper() == head):
        head = parts[1]
    return frozenset(normalise(head).split()) - NEUTRAL


def _brand_words(description: str, manufacturer: str) -> frozenset[str]:
    """The words of a brand or restaurant name in an SR28 entry: those USDA writes in
    capitals ("CHEERIOS", "DENNY'S") and the manufacturer's."""
    capitals = " ".join(re.findall(r"\b[A-Z][A-Z'&.]{2,}\b", str(description)))
    return frozenset(normalise(f"{capitals} {manufacturer}").split()) - NEUTRAL


def _joined(
    words: tuple[tuple[str, float], ...], vocabulary, phrases
) -> tuple[tuple[str, float], ...]:
    """The words, and next-door pairs that USDA writes as one word ("black eyed" is
    "blackeyed"), unless USDA also writes them apart ("hot dog")."""
    pairs = [
        (a + b, min(wa, wb))
        for (a, wa), (b, wb) in itertools.pairwise(words)
        if a + b in vocabulary and a + b not in dict(words) and f"{a} {b}" not in phrases
    ]
    return words + tuple(pairs) if pairs else words


class FoodIndex:
    """Every food's texts and words, and the static facts the matcher weighs.

    Parameters
    ----------
    foods : pandas.DataFrame
        The food table (:func:`planner.foods.load_foods`).
    aliases : dict
        Normalised text -> food id.
    """

    def __init__(self, foods: pd.DataFrame, aliases: dict[str, str]):
        self.foods = foods
        self.ids = foods["food_id"].to_numpy()
        self.row_of = {fid: row for row, fid in enumerate(self.ids)}
        descriptions = [normalise(d) for d in foods["description"]]
        self.descriptions = descriptions
        texts, text_food, text_kind = [], [], []
        food_phrases: list[set[str]] = [set() for _ in descriptions]

        def add(raw: str, row: int, kind: int) -> None:
            text = normalise(raw)
            if text:
                texts.append(text)
                text_food.append(row)
                text_kind.append(kind)
                food_phrases[row].update(phrases(raw))

        for row, desc in enumerate(foods["description"].to_numpy()):
            add(desc, row, DESCRIPTION)
        commons = foods["common_name"].to_numpy() if "common_name" in foods else []
        for row, names in enumerate(commons):
            for name in str(names).split(","):
                add(name, row, COMMON_NAME)
        if "additional_description" in foods:
            for row, more in enumerate(foods["additional_description"].to_numpy()):
                for item in str(more).split(";"):
                    add(item, row, SYNONYM)
        for alias, food_id in aliases.items():
            if food_id in self.row_of:
                add(alias, self.row_of[food_id], ALIAS)
        self.texts = texts
        self.text_food = np.asarray(text_food, dtype=np.int64)
        self.text_kind = np.asarray(text_kind, dtype=np.int8)

        vocabulary: dict[str, int] = {}
        for text in texts:
            for word in text.split():
                vocabulary.setdefault(word, len(vocabulary))
        self.vocabulary = vocabulary
        self.words = np.array(list(vocabulary), dtype=object)
        n_foods, n_words = len(self.ids), len(vocabulary)

        text_rows, text_cols = [], []
        for t, text in enumerate(texts):
            for word in set(text.split()):
                text_rows.append(t)
                text_cols.append(vocabulary[word])
        presence = sparse.csr_matrix(
            (np.ones(len(text_rows)), (text_rows, text_cols)), shape=(len(texts), n_words)
        )
        text_to_food = sparse.csr_matrix(
            (np.ones(len(texts)), (self.text_food, np.arange(len(texts)))),
            shape=(n_foods, len(texts)),
        )
        # a word's document frequency counts foods, not texts (synonyms repeat words)
        union = (text_to_food @ presence).tocsr()
        union.data[:] = 1.0
        df = np.asarray(union.sum(axis=0)).ravel()
        idf = np.log(n_foods / np.maximum(df, 1.0)) + 1.0
        neutral = np.array([w in NEUTRAL for w in self.words])
        self.df = df
        self.weight = np.where(neutral, NEUTRAL_WEIGHT, 1.0) * idf  # per vocabulary word
        self.telling = ~neutral
        self.text_words = presence.astype(np.float32)  # texts x words, 0/1
        self.text_mass = np.asarray(presence @ self.weight).ravel()
        self.text_telling_mass = np.asarray(presence @ (self.weight * self.telling)).ravel()
        self.food_words = union.astype(np.float32)  # foods x words, 0/1: any text
        self.desc_words = presence[: len(descriptions)].astype(np.float32)  # foods x words
        self.desc_mass = np.asarray(self.desc_words @ self.weight).ravel()
        self.desc_weighted = self.desc_words.multiply(self.weight).tocsr()
        heads = self._word_matrix([head_words(d) for d in foods["description"]])
        self.head_mass = np.asarray(heads @ self.weight).ravel()
        self.head_weighted = heads.multiply(self.weight).tocsr()
        self.heads = heads
        self.form_words = self._word_matrix(
            [frozenset(d.split()) & FORM_WORDS for d in descriptions]
        )
        self.form_count = np.asarray(self.form_words.sum(axis=1)).ravel()
        self._facts(foods, descriptions)
        self.phrase_index = {p: i for i, p in enumerate(sorted(set().union(*food_phrases)))}
        self.food_phrases = self._sparse_sets(
            [[self.phrase_index[p] for p in f] for f in food_phrases], len(self.phrase_index)
        )
        both = [qualifiers(d) for d in foods["description"]]
        self.with_words = self._word_matrix([a for a, _ in both])
        self.with_count = np.asarray(self.with_words.sum(axis=1)).ravel()
        self.without_words = self._word_matrix([w for _, w in both])
        self.brand_words = self._word_matrix(
            [_brand_words(d, m) for d, m in zip(foods["description"],
                                                foods["manufacturer"].astype(str), strict=True)]
        )  # fmt: skip
        # typo correction: known words by how many foods use them, most used first
        order = np.argsort(-df, kind="stable")
        keep = [i for i in order if len(self.words[i]) >= 3 and str(self.words[i]).isalpha()]
        self._spellings = [str(self.words[i]) for i in keep]
        self._spelling_df = df[keep]

    def _word_matrix(self, word_sets: list[frozenset[str]]) -> sparse.csr_matrix:
        return self._sparse_sets(
            [[self.vocabulary[w] for w in chosen if w in self.vocabulary] for chosen in word_sets],
            len(self.vocabulary),
        )

    def _sparse_sets(self, columns: list[list[int]], width: int) -> sparse.csr_matrix:
        """A rows x ``width`` 0/1 matrix with ones at each row's columns."""
        rows = [r for r, cols in enumerate(columns) for _ in cols]
        cols = [c for chosen in columns for c in chosen]
        return sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(columns), width)
        )

    def _facts(self, foods: pd.DataFrame, descriptions: list[str]) -> None:
        """Per-food facts: source, USDA's "NFS", brands, rare groups, raw or cooked."""
        source = foods["source"].to_numpy() if "source" in foods else np.full(len(foods), "sr28")
        self.is_fndds = source == "fndds"
        text = foods["description"]
        self.nfs = text.str.contains(r"\bNFS\b|\bNS as to\b", regex=True).to_numpy()
        manufacturer = foods["manufacturer"].to_numpy().astype(str)
        self.brand = (manufacturer != "") | text.str.contains(
            r"\b[A-Z][A-Z'&.]{2,}\b", regex=True
        ).to_numpy()
        group = foods["food_group"].to_numpy()
        self.rare = np.array([RARE_GROUPS.get(g, "") for g in group], dtype=object)
        tokens = [frozenset(d.split()) for d in descriptions]
        self.says_cooked = np.array([bool(t & COOKING) for t in tokens])
        self.says_raw = np.array(
            [bool(t & UNCOOKED) or ("dry" in t and not (t & COOKING)) for t in tokens]
        )
        self.raw_rarely_eaten = np.isin(group, list(RAW_RARELY_EATEN)) & ~self.is_fndds
        self.n_parts = text.str.count(",").to_numpy() + 1

    # -- diary lines ------------------------------------------------------------------

    def query_matrix(self, texts: list[str]) -> tuple[sparse.csr_matrix, np.ndarray, dict]:
        """Diary lines as rows over the vocabulary, each cell the word's weight times its
        rarity; also each line's mass of words the vocabulary lacks, and the readings.

        Returns
        -------
        (matrix, unknown_mass, read_as)
            ``matrix`` lines x words; ``unknown_mass`` per line, the weight of the words
            that stayed unknown (counted at the rarest word's weight); ``read_as`` maps a
            misspelt or run-together word to the known words it was read as, each with
            the share of the word's weight it carries.
        """
        parsed = [_joined(query_words(t), self.vocabulary, self.phrase_index) for t in texts]
        read_as = self.spell(sorted({w for q in parsed for w, _ in q}))
        top = float(self.weight.max()) if len(self.weight) else 1.0
        rows, cols, values = [], [], []
        unknown_mass = np.zeros(len(texts))
        for row, query in enumerate(parsed):
            seen: dict[int, float] = {}
            for word, value in query:
                readings = list(read_as.get(word, ()))
                if word in self.vocabulary:
                    readings.insert(0, (word, 1.0))
                if not readings:
                    unknown_mass[row] += value * top
                for known, share in readings:
                    col = self.vocabulary[known]
                    seen[col] = max(seen.get(col, 0.0), value * share)
            for col, value in seen.items():
                rows.append(row)
                cols.append(col)
                values.append(value * self.weight[col])
        matrix = sparse.csr_matrix(
            (np.asarray(values, dtype=np.float64), (rows, cols)),
            shape=(len(texts), len(self.vocabulary)),
        )
        return matrix, unknown_mass, read_as

    def spell(self, query_words: list[str]) -> dict[str, tuple[tuple[str, float], ...]]:
        """Other readings of the words of diary lines, each with the share of the word's
        weight it carries.

        A word the vocabulary lacks, or knows only from one or two foods ("cappucino" is in
        one cookie's brand name), may be a misspelling: the known words within
        :data:`TYPO_DISTANCE` edits that many more foods use are read too (all of them, so
        the rest of the line decides between "lentil" and "gentle"). A word the vocabulary
        lacks may also be two known words run together ("almondmilk").
        """
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        def rare(word: str) -> bool:
            col = self.vocabulary.get(word)
            return col is None or self.df[col] <= RARE_DF

        asked = [w for w in query_words if w.isalpha() and len(w) >= TYPO_DISTANCE[0][0]]
        asked = [w for w in asked if rare(w)]
        out: dict[str, tuple[tuple[str, float], ...]] = {}
        if asked and self._spellings:
            distances = process.cdist(
                asked, self._spellings, scorer=OSA.distance, score_cutoff=2,
                workers=-1, dtype=np.int32,
            )  # fmt: skip
            for i, word in enumerate(asked):
                allowed = max(d for n, d in TYPO_DISTANCE if len(word) >= n)
                own = self.df[self.vocabulary[word]] if word in self.vocabulary else 0.0
                close = np.flatnonzero((distances[i] <= allowed) & (distances[i] > 0))
                # a known word is read otherwise only as a much more used one
                floor = max(3.0, 5 * own) if own else 1.0
                close = [c for c in close if self._spelling_df[c] >= floor]
                close.sort(key=lambda c: (distances[i][c], -self._spelling_df[c]))
                readings = tuple(
                    (self._spellings[c], TYPO_SHARE[int(distances[i][c])]) for c in close[:3]
                )
                if readings:
                    out[word] = readings
        for word in query_words:
            if len(word) < 6 or not word.isalpha():
                continue
            # two words run together ("almondmilk"); a known compound is also read apart
            # when USDA writes it so ("meatloaf": "Meat loaf made with beef")
            for cut in range(3, len(word) - 2):
                left, right = word[:cut], word[cut:]
                if left not in self.vocabulary or right not in self.vocabulary:
                    continue
                if word not in self.vocabulary or f"{left} {right}" in self.phrase_index:
                    out[word] = (*out.get(word, ()), (left, 1.0), (right, 1.0))
                    break
        return out

    def head_matrix(self, texts: list[str]) -> sparse.csr_matrix:
        """Diary lines as rows over the words that say what kind of food each is."""
        return self._word_matrix([query_heads(t) for t in texts])

    def qualifier_matrices(self, texts: list[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """Diary lines as rows over the words they say are added, and left out."""
        both = [qualifiers(t) for t in texts]
        return self._word_matrix([a for a, _ in both]), self._word_matrix([w for _, w in both])

    def phrase_matrix(self, texts: list[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
        """Diary lines as rows over the known word pairs, and how many pairs each line has
        (known or not)."""
        found = [phrases(t) for t in texts]
        matrix = self._sparse_sets(
            [[self.phrase_index[p] for p in f if p in self.phrase_index] for f in found],
            len(self.phrase_index),
        )
        return matrix, np.array([len(f) for f in found], dtype=float)

    def alike(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """How alike pairs of foods are: the weighted Jaccard of their descriptions' words
        (0-1; "Chard, cooked, with salt" and "... without salt" are nearly 1)."""
        shared = np.asarray(self.desc_weighted[a].multiply(self.desc_words[b]).sum(axis=1)).ravel()
        union = self.desc_mass[a] + self.desc_mass[b] - shared
        return np.where(union > 0, shared / np.maximum(union, 1e-12), 0.0)
