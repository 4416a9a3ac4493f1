"""Match the food text people log to a food in the table, with a confidence score.

The order of evidence, strongest first:

1. the user's override file (``--map``): food text -> food id, exact;
2. the alias table (``foods/aliases.csv``): what people type ("2% milk", "oatmeal"),
   mapped by hand to the generic, as-eaten food;
3. an exact USDA description (old Cronometer exports write them);
4. an alias that ends the text ("Granny's Delight, Whole Wheat Bread" ends in
   "whole wheat bread"): English puts the food's noun last, brand and adjectives first;
   Lose It! and USDA put it first ("Bread, Whole Wheat"); the text's other words may pick
   a variant of the alias's food ("Cheese, cottage, lowfat, 2%"); a match the text
   contradicts ("Salmon, raw") is dropped, and a weak one ("peanut butter cookies",
   "spaghetti with meat sauce") stands only if the fuzzy match does not name it better;
5. a close spelling of an alias ("bannana"), or an alias run together ("kiwi fruit");
6. fuzzy matching over the USDA descriptions and common names that hold a word within a
   typo of one of the text's (rapidfuzz), re-ranked to prefer the generic, commonly eaten
   entry over brand, restaurant and infant foods, the entry whose head noun (USDA writes
   it first) the text names, and the entry that names every food word of the text.

Each distinct text is matched once. Scores below :data:`CONFIDENT` are flagged for review
(``low_confidence``) and never silently trusted; below :data:`PLAUSIBLE` they are
``unmatched``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from planner import sources
from planner.errors import UnknownFood


def _singular(word: str) -> str:
    """One spelling for a word and its plural: "berries" and "berry" give "berry",
    "potatoes" and "potato" give "potato", "peaches" and "peach" give "peach" (and "cookies"
    and "cookie" both give "cooky": the key only has to be the same for both)."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 4:
        if word.endswith("ie"):
            return word[:-2] + "y"
        if word.endswith(("oe", "che", "she")):
            return word[:-1]
    return word


def _words(text: str) -> frozenset[str]:
    """A word list, each word as written and as :func:`normalise` spells it."""
    words = text.split()
    return frozenset(words) | frozenset(_singular(w) for w in words)


CONFIDENT = 0.85
PLAUSIBLE = 0.60

# Penalties (score points) for entries that are rarely what a diary means.
GROUP_PENALTY = {
    "Baby Foods": 30.0,
    "American Indian/Alaska Native Foods": 12.0,
    "Restaurant Foods": 8.0,
    "Fast Foods": 6.0,
}
BRAND_PENALTY = 6.0
SURVEY_BONUS = 4.0
# The head of a USDA description (its first part) says what the food is: reward texts that
# name it, and take points off for each head word the text leaves out ("Tofu yogurt").
HEAD_BONUS, HEAD_PENALTY, HEAD_MISS, HEAD_PENALTY_CAP = 5.0, 12.0, 8.0, 8.0
EXTRA_TOKEN_PENALTY, EXTRA_TOKEN_CAP = 1.5, 20.0
# Words USDA adds that do not change what the food is.
NEUTRAL = frozenset(
    _words("""
    raw cooked boiled drained without with salt fresh whole plain regular mature all
    commercial variety varieties prepared ready to eat from and or in no added unprepared
    fluid solid includes dry heat roasted baked enriched unenriched long grain short medium
    vitamin a d milkfat fortified unsweetened unsalted
""")
)
# Words for a processed or ingredient form: when the text does not ask for them, the entry
# is probably not what was eaten ("almonds" is not "Oil, almond").
FORM_WORDS = frozenset(
    _words("""
    oil flour powder powdered dry dried dehydrated frozen canned juice instant mix concentrate
    uncooked babyfood spread bar breaded evaporated condensed imitation meatless substitute
    fried sweetened leave leaf stock broth
""")
)
FORM_PENALTY = 10.0
# Words that say the food was cooked: then an entry that says "raw" is not it ("Broccoli,
# steamed"), and a text that says "raw" is not a cooked entry ("Raw almonds").
COOKING = _words("""
    cooked boiled steamed grilled baked roasted broiled braised stewed fried pan sauteed
    poached scrambled toasted microwaved simmered
""")
# Words that say the entry is not cooked ("Broccoli, frozen, unprepared"), and "dry" too
# when no cooking word is there ("Oats, dry", but not "cooked, dry heat").
UNCOOKED = frozenset(["raw", "uncooked", "unprepared"])
# A food word of the text (a one-word alias: "milk", "oats", "jam") that an entry lacks
# costs this many points ("oat milk" is not "Oats"); sizes and amounts are not food words.
QUERY_MISS, QUERY_MISS_CAP = 16.0, 32.0
NOT_FOOD_WORDS = _words("""
    large small extra jumbo mini big little half cup cups oz ounce gram g ml lb pound tbsp
    tsp tablespoon teaspoon serving glass bowl handful can bottle bag box package packet
    stick
""")
# Words after which a text names what goes with the food, not the food ("tuna in water",
# "coffee with milk", "bagel w/ cream cheese").
PREPOSITIONS = frozenset(["with", "w", "in", "without", "plus", "topped"])
# Words for a cut or a piece, or how it was cut, which say nothing about which food it is
# ("pineapple chunks", "cauliflower, sliced").
CUTS = _words("""
    fillet filet chunk halve slice piece cube wedge floret spear segment strip heart
    sliced chopped diced shredded grated minced crumbled cubed
""")
# In these groups the raw food is rarely what was eaten (grains, legumes, meat, fish).
COOKED_GROUPS = frozenset(
    [
        "Legumes and Legume Products",
        "Cereal Grains and Pasta",
        "Beef Products",
        "Pork Products",
        "Poultry Products",
        "Lamb, Veal, and Game Products",
        "Finfish and Shellfish Products",
        "Sausages and Luncheon Meats",
    ]
)
# USDA descriptions name a category first for these ("Nuts, almonds", "Fish, salmon"):
# the second part then names the food too.
CATEGORIES = frozenset(
    [
        "beverages", "cereals ready-to-eat", "cereals", "fish", "nuts", "seeds", "spices",
        "game meat", "crustaceans", "mollusks", "alcoholic beverage", "snacks", "candies",
        "fast foods", "restaurant", "usda commodity", "soup", "beans", "oil", "sauce",
        "salad dressing", "babyfood", "infant formula", "cheese", "cookies", "crackers",
    ]
)  # fmt: skip
CATEGORY_WORDS = _words(" ".join(CATEGORIES).replace("-", " "))
# Entries that are not foods: quick adds of a nutrient, supplements, medicines.
PSEUDO_FOODS = frozenset(
    _words("""
    calorie kcal protein carb carbohydrate fat fiber quick add quickadd sugar energy
""")
)
# Supplements and medicines are told apart in planner.sources (one rule for the matcher
# and for the diary's Supplements group).
SUPPLEMENT_WORDS = sources.SUPPLEMENT_WORDS

CHUNK = 2048  # query words per rapidfuzz.cdist call
TOP_K = 25
# Texts scored in full per query: those sharing the most (and rarest) words with it.
MAX_CANDIDATES = 100
WORD_CLOSE = 75  # a text word this close (rapidfuzz ratio) to a query word makes it a candidate


def normalise(text: object) -> str:
    """Lowercase, strip accents and punctuation, singularise words, collapse spaces.

    Memoised: diaries repeat the same texts, and the matcher normalises each several
    times.

    Examples
    --------
    >>> normalise("  Granny’s Delight, Whole-Wheat  Breads ")
    'granny delight whole wheat bread'
    >>> normalise("2% Milk")
    '2% milk'
    """
    return _normalise(str(text))


@lru_cache(maxsize=1 << 17)
def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"'s\b", "", text.lower().replace("’", "'"))
    words = re.sub(r"[^a-z0-9%]+", " ", text).split()
    return " ".join(_singular(w) for w in words)


@dataclass(frozen=True)
class Match:
    """The food a text was matched to.

    ``food_id`` is empty when nothing matched; ``confidence`` is 0-1; ``method`` names the
    evidence (``override``, ``usda_exact``, ``alias``, ``alias_suffix``, ``alias_fuzzy``,
    ``fuzzy``, ``none``); ``note`` explains a weak or failed match.
    """

    food_id: str
    confidence: float
    method: str
    note: str = ""


def read_overrides(path: str | Path, known_ids: Iterable[str]) -> dict[str, str]:
    """Read a user override file: CSV with columns ``food_text`` and ``food_id``.

    Every row must name a food id that exists; the error lists each bad row.

    Raises
    ------
    DataFileError
        For a file without the two columns, or rows with an empty or unknown id.
    """
    from planner.foods import read_user_table

    table = read_user_table(path, ("food_text", "food_id"), "override file")
    known = set(known_ids)
    overrides = {}
    for i, (text, food_id) in enumerate(zip(table["food_text"], table["food_id"], strict=True)):
        if food_id not in known:
            raise UnknownFood(food_id or "(empty)", str(path), i + 2)
        overrides[normalise(text)] = food_id
    return overrides


@cache
def load_aliases() -> dict[str, str]:
    """Return the bundled alias table: normalised text -> food id."""
    from planner.foods import bundled_folder

    text = bundled_folder().joinpath("aliases.csv")
    with text.open("r", encoding="utf-8") as fh:
        table = pd.read_csv(fh, dtype=str, keep_default_na=False)
    return {normalise(a): f for a, f in zip(table["alias"], table["food_id"], strict=True)}


class FoodMatcher:
    """Match food text to food ids, memoising every distinct text.

    Parameters
    ----------
    foods : pandas.DataFrame
        The food table (:func:`planner.foods.load_foods`).
    aliases : dict, optional
        Normalised text -> food id; defaults to the bundled alias table.
    overrides : dict, optional
        Normalised text -> food id from the user's ``--map`` file; wins over everything.

    Examples
    --------
    >>> from planner.foods import load_foods
    >>> m = FoodMatcher(load_foods())
    >>> m.match_one("Bananas, raw")
    Match(food_id='09040', confidence=1.0, method='usda_exact', note='')
    """

    def __init__(self, foods: pd.DataFrame, aliases=None, overrides=None):
        self.foods = foods
        self.aliases = load_aliases() if aliases is None else aliases
        self.overrides = overrides or {}
        self._cache: dict[str, Match] = {}
        ids = foods["food_id"].to_numpy()
        descriptions = [normalise(d) for d in foods["description"]]
        self._exact = {}
        for desc, fid in zip(descriptions, ids, strict=True):
            self._exact.setdefault(desc, fid)
        # Choices for fuzzy matching: every description, plus every common name.
        common = foods["common_name"].to_numpy()
        choice_text, choice_row = list(descriptions), list(range(len(ids)))
        for row, names in enumerate(common):
            said = set(descriptions[row].split())
            for name in str(names).split(","):
                name = normalise(name)
                # a name that only repeats the description's words ("Potatoes" of "Potatoes,
                # hashed brown") would match any text that says "potatoes"
                if name and not set(name.split()) <= said:
                    choice_text.append(name)
                    choice_row.append(row)
        # each distinct text once (common names repeat), with the rows it names
        rows_of_text: dict[str, list[int]] = {}
        for text, row in zip(choice_text, choice_row, strict=True):
            rows_of_text.setdefault(text, []).append(row)
        self._choices = list(rows_of_text)
        self._choice_rows = [sorted(set(r)) for r in rows_of_text.values()]
        # which texts hold each word: the fuzzy step scores only the texts holding a word
        # close to one of the query's (a typo included), not all nine thousand
        texts_with: dict[str, list[int]] = {}
        for c, text in enumerate(self._choices):
            for word in set(text.split()):
                texts_with.setdefault(word, []).append(c)
        self._words = list(texts_with)
        self._texts_with = [np.asarray(v) for v in texts_with.values()]
        self._ids = ids
        self._head = [_head_tokens(d) for d in foods["description"]]
        self._tokens = [frozenset(d.split()) for d in descriptions]
        # the words of each entry that cost points when the text lacks them
        self._form_tokens = [t & FORM_WORDS for t in self._tokens]
        self._plain_tokens = [
            frozenset(w for w in t - FORM_WORDS if not _is_neutral(w) and w not in CATEGORY_WORDS)
            for t in self._tokens
        ]
        self._cooked_group = foods["food_group"].isin(COOKED_GROUPS).to_numpy()
        penalty = (
            foods["food_group"].map(GROUP_PENALTY).fillna(0.0).to_numpy(dtype=float, copy=True)
        )
        penalty += np.where(foods["manufacturer"].to_numpy() != "", BRAND_PENALTY, 0.0)
        penalty -= np.where(foods["survey"].to_numpy(dtype=bool), SURVEY_BONUS, 0.0)
        self._prior = -penalty
        self._length = np.array([len(d) for d in descriptions], dtype=float)
        self._alias_keys = list(self.aliases)
        self._alias_unspaced = {a.replace(" ", ""): a for a in self._alias_keys}
        # Every word the table and the aliases know: a text with a word outside it holds a
        # misspelling, and only then is a close spelling of an alias worth reading.
        self._vocabulary = frozenset(
            w for t in [*choice_text, *self._alias_keys] for w in t.split()
        )
        self._alias_ngrams = max((len(a.split()) for a in self._alias_keys), default=0)
        # For picking the variant the text's other words name ("2% cottage cheese"): the
        # rows that hold each word, each row's group, and the rows never to pick that way
        # (brands, whose names USDA writes in capitals, and the penalised groups).
        self._rows_with: dict[str, set[int]] = {}
        for row, tokens in enumerate(self._tokens):
            for token in tokens:
                self._rows_with.setdefault(token, set()).add(row)
        self._group = foods["food_group"].to_numpy()
        self._variant_ok = ~(
            foods["manufacturer"].to_numpy().astype(bool)
            | foods["description"].str.contains(r"\b[A-Z]{3,}\b", regex=True).to_numpy()
            | foods["food_group"].isin(list(GROUP_PENALTY)).to_numpy()
        )
        self._row_of = {fid: row for row, fid in enumerate(ids)}
        # The food words (one-word aliases), and each row's words with its common names:
        # a food word of the text that a row does not name costs it points.
        self._food_words = frozenset(a for a in self._alias_keys if " " not in a)
        self._named = [set(t) for t in self._tokens]
        for c, row in enumerate(choice_row):
            self._named[row].update(choice_text[c].split())
        # Alias matches left for the fuzzy step to confirm or beat: a compound's last food
        # ("strawberry jam" ends in "jam"), a food before a preposition ("spaghetti with
        # meat sauce" is an entry of its own), a one-word alias in a long text; by text.
        self._deferred: dict[str, tuple[str, Match, frozenset[str]]] = {}

    # -- public ----------------------------------------------------------------------

    def match_one(self, text: str) -> Match:
        """Match one food text."""
        return self.match([text])[text]

    def match(self, texts: Iterable[str]) -> dict[str, Match]:
        """Match many texts; each distinct text is matched once (and remembered)."""
        wanted = list(dict.fromkeys(str(t) for t in texts))
        todo = [t for t in wanted if t not in self._cache]
        fuzzy = []
        for text in todo:
            quick = self._quick(text)
            if quick is None:
                fuzzy.append(text)
            else:
                self._cache[text] = quick
        if fuzzy:
            self._cache.update(self._fuzzy_in_parallel(fuzzy))
        return {t: self._cache[t] for t in wanted}

    def _fuzzy_in_parallel(self, texts: list[str]) -> dict[str, Match]:
        """Fuzzy-match many texts on every core: the texts are split between forked worker
        processes, which share this matcher's tables without copying them. Small batches,
        one core, or a platform without fork: in this process."""
        import multiprocessing
        import os

        workers = min(os.cpu_count() or 1, len(texts) // PARALLEL_MIN_TEXTS)
        if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return self._fuzzy(texts)
        from concurrent.futures import ProcessPoolExecutor

        global _FORKED
        _FORKED = self
        chunks = [texts[i::workers] for i in range(workers)]
        context = multiprocessing.get_context("fork")
        try:
            with ProcessPoolExecutor(workers, mp_context=context) as pool:
                results = list(pool.map(_fuzzy_in_worker, chunks))
        finally:
            _FORKED = None
        out = {}
        for result in results:
            out.update(result)
        for text in texts:  # the workers used these up in their own copies
            self._deferred.pop(text, None)
        return out

    # -- evidence, strongest first ---------------------------------------------------

    def _quick(self, text: str) -> Match | None:
        key = normalise(text)
        if not key:
            return Match("", 0.0, "none", "no food text")
        if key in self.overrides:
            return Match(self.overrides[key], 1.0, "override")
        if key in self.aliases:  # curated: wins over a one-word USDA description ("Oats")
            return Match(self.aliases[key], 1.0, "alias")
        if key in self._exact:
            return Match(self._exact[key], 1.0, "usda_exact")
        if not re.search(r"[a-z]", key):
            return Match("", 0.0, "none", "the food text has no letters")
        if key in PSEUDO_FOODS:
            return Match("", 0.0, "none", "a quick-add of a nutrient, not a food")
        if sources.looks_like_supplement(key):
            return Match("", 0.0, "none", "looks like a supplement or medicine, not a food")
        return self._alias_suffix(text, key)

    def _alias_suffix(self, text: str, key: str) -> Match | None:
        """The alias that names the food of the text, read the ways diaries write food.

        English puts the food's noun last ("Granny's Delight, Whole Wheat Bread"); Lose It!
        and USDA put it first and the modifiers after commas ("Bread, Whole Wheat", "Tuna,
        Canned in Water"). So the phrases searched for an alias that ends them are each
        comma part and the text, cut before a preposition ("in water", "with milk"); the
        parts in reverse order and in pairs with the first; then the uncut parts. Trailing
        words for a cut ("chunks", "fillet") are dropped, run-together aliases split
        ("almondmilk"). The alias with the most words wins, then the earlier kind of
        phrase. An alias after words that name another food ("peanut butter cookies") is a
        different food: no match here. The text's other words may then pick a variant of
        the alias's food (:meth:`_variant`). A match that is weak (a one-word alias in a
        longer text, a compound, a text with a preposition) is left for the fuzzy step to
        confirm or beat (:meth:`_deferred_or`).
        """
        key = self._split_run_together(key)
        parts = [self._split_run_together(p) for p in map(normalise, str(text).split(","))]
        parts = [p for p in parts if p]
        cut = [c for c in (_before_preposition(p) for p in parts) if c]
        phrases = [(0, c) for c in [_before_preposition(key), *cut] if c]
        if len(cut) > 1:
            phrases.append((1, " ".join(reversed(cut))))
            phrases += [(2, f"{other} {cut[0]}") for other in cut[1:]]
            phrases += [(3, f"{cut[0]} {other}") for other in cut[1:]]
        phrases += [(4, p) for p in [key, *parts]]
        best, best_rank, compound = "", None, ""
        for kind, phrase in phrases:
            for words in _with_and_without_cuts(phrase.split()):
                found = False
                for start in range(len(words)):
                    tail = " ".join(words[start:])
                    if tail not in self.aliases or (start and words[start - 1] in PREPOSITIONS):
                        continue
                    if start and self._names_food(words[:start], ignore=set(words[start:])):
                        compound = compound or tail
                        continue
                    rank = (len(words) - start, -kind, len(tail))
                    if best_rank is None or rank > best_rank:
                        best, best_rank = tail, rank
                    found = True
                    break
                if found:
                    break
        if not best:
            if compound:
                note = f"matched on '{compound}', after words that name another food; check it"
                deferred = Match(self.aliases[compound], 0.75, "alias_suffix", note)
                self._deferred[text] = (compound, deferred, _other_words(key, compound))
            return None
        covered = len(best.split()) / max(len(key.split()), 1)
        confidence = 0.9 if len(best.split()) >= 2 or covered >= 0.5 else 0.75
        food_id, note = self.aliases[best], f"matched on '{best}'"
        variant = self._variant(food_id, best, key)
        if variant != food_id:
            description = self.foods["description"].iloc[self._row_of[variant]]
            food_id, note = variant, f"{note}; the other words pick '{description}'"
        if self._contradicts(food_id, key, best):
            return None  # "Salmon, raw" is not the alias's cooked salmon: read it fuzzily
        match = Match(food_id, confidence, "alias_suffix", note)
        if confidence >= CONFIDENT and _before_preposition(key) == key:
            return match
        self._deferred[text] = (best, match, _other_words(key, best))
        return None

    def _contradicts(self, food_id: str, key: str, alias: str) -> bool:
        """Whether the text says cooked and the food is raw or dry, or the other way, or
        the text names a form the food is not in ("pasta, dry", "corn, canned")."""
        row = self._row_of.get(food_id)
        if row is None:
            return False
        query, tokens = set(key.split()), self._tokens[row]
        cooked = bool(tokens & COOKING)
        uncooked = bool(tokens & UNCOOKED) or ("dry" in tokens and not cooked)
        if query & COOKING and not query & (UNCOOKED | {"dry"}):
            if uncooked and not cooked:
                return True
        elif query & {"raw", "uncooked"} and cooked and not uncooked:
            return True
        return bool((query & FORM_WORDS) - tokens - set(alias.split()))

    def _split_run_together(self, phrase: str) -> str:
        """Split words that are an alias written without its spaces ("almondmilk")."""
        words = phrase.split()
        if not any(w in self._alias_unspaced and w not in self.aliases for w in words):
            return phrase
        return " ".join(
            self._alias_unspaced[w] if w in self._alias_unspaced and w not in self.aliases else w
            for w in words
        )

    def _names_food(self, words: list[str], ignore: set[str] = frozenset()) -> bool:
        """Whether some run of the words is itself an alias (a food), leaving out runs made
        only of words in ``ignore`` ("Almond Breeze almond milk" repeats, not compounds)."""
        for n in range(1, min(self._alias_ngrams, len(words)) + 1):
            for i in range(len(words) - n + 1):
                run = words[i : i + n]
                if " ".join(run) in self.aliases and not set(run) <= ignore:
                    return True
        return False

    def _variant(self, food_id: str, alias: str, key: str) -> str:
        """The variant of the alias's food that the text's other words name, if any.

        "Cheese, cottage, lowfat, 2%" ends in the alias "cottage cheese" (creamed cottage
        cheese); its other words, "lowfat" and "2%", name "Cheese, cottage, lowfat, 2%
        milkfat". A variant is an entry of the same food group holding the alias's words
        that the alias's food holds, that names more of the other words than the alias's
        food does, and says nothing else the alias's food does not say. Brands and
        penalised groups are never picked this way.
        """
        row = self._row_of.get(food_id)
        if row is None:
            return food_id
        query = set(key.split())
        tokens = self._tokens[row]
        others = {
            w for w in query - set(alias.split()) if w not in NEUTRAL and not w.isdigit()
        } - PREPOSITIONS
        family = set(alias.split()) & tokens
        if not others or not family:
            return food_id
        candidates = set.intersection(*(self._rows_with.get(w, set()) for w in family))
        unsaid = tokens - query - NEUTRAL - CATEGORY_WORDS
        best, best_rank = row, (len(others & tokens),)
        for r in candidates:
            if r == row or self._group[r] != self._group[row] or not self._variant_ok[r]:
                continue
            hits = len(others & self._tokens[r])
            if hits <= len(others & tokens):
                continue
            # numbers are not extra claims: "85% lean / 15% fat" differs from "90% / 10%"
            # in the number the text names, not in what the food is
            said = {
                t for t in self._tokens[r] - query - NEUTRAL - CATEGORY_WORDS if not _has_digit(t)
            }
            if not said <= unsaid:
                continue
            rank = (hits, -self._extra_penalty(r, query), self._prior[r], -self._length[r])
            if rank > best_rank:
                best, best_rank = r, rank
        return str(self._ids[best])

    def _fuzzy(self, texts: list[str]) -> dict[str, Match]:
        from rapidfuzz import fuzz, process

        keys = [normalise(t) for t in texts]
        out, rest = {}, []
        # close spellings of an alias ("bannana", "brocoli florets", "tomatoe with salt"),
        # read on the text without what follows a preposition and without cut words
        cores = [" ".join(_drop_cuts(_before_preposition(k).split())) or k for k in keys]
        alias_scores = process.cdist(
            cores, self._alias_keys, scorer=fuzz.ratio, workers=-1, dtype=np.uint8
        )
        for i, key in enumerate(keys):
            match = self._alias_fuzzy(key, cores[i], alias_scores[i])
            if match is None:
                rest.append(i)
            else:
                out[texts[i]] = match
        candidates = self._candidates([keys[i] for i in rest])
        for i, chosen in zip(rest, candidates, strict=True):
            scores = np.empty(0, dtype=np.float32)
            if len(chosen):
                # token_set finds the texts that contain the words; token_sort breaks its
                # many ties in favour of the entry that says little else ("Cheese, cheddar")
                choices = [self._choices[c] for c in chosen]
                both = [
                    process.cdist([keys[i]], choices, scorer=scorer, dtype=np.float32)[0]
                    for scorer in (fuzz.token_set_ratio, fuzz.token_sort_ratio)
                ]
                scores = 0.85 * both[0] + 0.15 * both[1]
            match = self._rerank(keys[i], chosen, scores)
            if texts[i] in self._deferred:
                match = self._deferred_or(match, *self._deferred.pop(texts[i]))
            out[texts[i]] = match
        return out

    def _candidates(self, keys: list[str]) -> list[np.ndarray]:
        """For each text, the choice texts holding a word within a typo of one of its words
        (its neutral words left out when it has others), best first by evidence: each of
        the text's words adds, for a choice holding it, its rarity (a rare word says more
        about which food it is) times how closely it is spelt. Only the best
        :data:`MAX_CANDIDATES` are scored in full."""
        from rapidfuzz import fuzz, process

        query_words = sorted({w for k in keys for w in k.split()})
        near: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for start in range(0, len(query_words), CHUNK):  # bounds memory: CHUNK x words
            block = query_words[start : start + CHUNK]
            close = process.cdist(
                block, self._words, scorer=fuzz.ratio, workers=-1, dtype=np.uint8,
                score_cutoff=WORD_CLOSE,
            )  # fmt: skip
            for j, w in enumerate(block):
                vocab = np.flatnonzero(close[j])
                near[w] = (vocab, (close[j, vocab] / 100.0) ** 4)
        n_choices = len(self._choices)
        out = []
        for key in keys:
            words = key.split()
            telling = [w for w in words if not _is_neutral(w)] or words
            score = np.zeros(n_choices)
            for w in dict.fromkeys(telling):
                vocab, closeness = near[w]
                best = np.zeros(n_choices)  # this word's evidence for each choice text
                for v, spelt in zip(vocab, closeness, strict=True):
                    rows = self._texts_with[v]
                    weight = spelt * (math.log(n_choices / len(rows)) + 1.0)
                    np.maximum.at(best, rows, weight)
                score += best
            chosen = np.flatnonzero(score)
            if len(chosen) > MAX_CANDIDATES:  # keep the texts with the most evidence
                chosen = chosen[np.argpartition(score[chosen], -MAX_CANDIDATES)[-MAX_CANDIDATES:]]
            out.append(chosen)
        return out

    def _alias_fuzzy(self, key: str, core: str, scores: np.ndarray) -> Match | None:
        """The alias the text misspells or runs together, unless the text contradicts it."""
        if not self._alias_keys or core in self.aliases:  # the alias step had its say
            return None
        a = int(scores.argmax())
        unspaced = self._alias_unspaced.get(core.replace(" ", ""))
        if not (unspaced or self._misspells(core, self._alias_keys[a], scores[a])):
            return None
        alias = unspaced or self._alias_keys[a]
        if self._contradicts(self.aliases[alias], key, alias):
            return None
        confidence = 0.97 if unspaced else round(0.97 * float(scores[a]) / 100, 3)
        return Match(self.aliases[alias], confidence, "alias_fuzzy", f"read as '{alias}'")

    def _deferred_or(
        self, match: Match, alias: str, deferred: Match, others: frozenset[str]
    ) -> Match:
        """The fuzzy match if it names the deferred alias's food, is sure, and names more of
        the text's other words than the alias's food ("peanut butter cookies" is "Cookies,
        peanut butter"; "spaghetti with meat sauce" an entry of its own); else the alias
        match ("strawberry jam" stays "Jams and preserves", flagged)."""
        row = self._row_of.get(match.food_id)
        if row is None or not set(alias.split()) <= self._named[row]:
            return deferred
        if match.confidence < max(deferred.confidence, CONFIDENT):
            return deferred
        alias_row = self._row_of.get(deferred.food_id)
        said = len(others & self._named[alias_row]) if alias_row is not None else 0
        return match if len(others & self._named[row]) > said else deferred

    def _misspells(self, key: str, alias: str, score: float) -> bool:
        """Whether the text is a misspelling of the alias: it holds a word no food uses,
        and is within a few letters of the alias (one slip in a word of six or more)."""
        if all(w in self._vocabulary for w in key.split()):
            return False
        if score >= 88:
            return True
        from rapidfuzz.distance import OSA

        return score >= 80 and len(alias) >= 6 and OSA.distance(key, alias) <= 1

    def _extra_penalty(self, row: int, query: set[str]) -> float:
        """Points off for what the entry says beyond the text; more for a processed form."""
        cooked, raw = bool(query & COOKING), bool(query & {"raw", "uncooked"})
        forms = len(self._form_tokens[row] - query)
        if "raw" in self._tokens[row] and not raw and (self._cooked_group[row] or cooked):
            forms += 1
        if raw:
            forms += len((self._tokens[row] & COOKING) - query - FORM_WORDS)
        plain = self._plain_tokens[row] - query - (COOKING if raw else frozenset())
        penalty = FORM_PENALTY * forms + EXTRA_TOKEN_PENALTY * len(plain)
        return min(EXTRA_TOKEN_CAP, penalty)

    def _rerank(self, key: str, chosen: np.ndarray, scores: np.ndarray) -> Match:
        """Pick among the scored choice texts ``chosen`` (with ``scores``) the best food."""
        top = np.argpartition(scores, -TOP_K)[-TOP_K:] if len(scores) > TOP_K else None
        if top is None:
            top = np.arange(len(scores))
        scores = dict(zip(chosen[top].tolist(), scores[top].tolist(), strict=True))
        query = set(key.split())
        food_words = {
            w for w in query & self._food_words if w not in NOT_FOOD_WORDS and w not in COOKING
        }
        best, best_score, best_miss = -1, -np.inf, 0.0
        text_score: dict[int, float] = {}  # each row's best text among the top ones
        for c, value in scores.items():
            for row in self._choice_rows[c]:
                text_score[row] = max(text_score.get(row, -np.inf), value)
        for row in sorted(text_score):
            miss = min(QUERY_MISS_CAP, QUERY_MISS * len(food_words - self._named[row]))
            score = text_score[row] + self._prior[row] - self._extra_penalty(row, query)
            head = self._head[row]
            named = len(head & query) / len(head) if head else 0.0
            if named:
                unnamed = len(head) - len(head & query)
                score += HEAD_BONUS * named - min(HEAD_PENALTY_CAP, HEAD_MISS * unnamed)
            else:
                score -= HEAD_PENALTY
            score -= self._length[row] / 1000  # ties: the shorter, more generic entry
            if score - miss > best_score - best_miss:
                best, best_score, best_miss = row, score, miss
        # the missing food words count after the cap, so a partial match is never sure
        confidence = round(float(max(0.0, min(best_score, 100.0) - best_miss)) / 100, 3)
        if best < 0:
            return Match("", 0.0, "none", "no food shares a word with the text")
        description = self.foods["description"].iloc[best]
        if confidence < PLAUSIBLE:
            note = f"no confident match; closest is '{description}'"
            return Match("", confidence, "none", note)
        note = "" if confidence >= CONFIDENT else f"closest is '{description}'; check it"
        return Match(str(self._ids[best]), confidence, "fuzzy", note)


_FORKED: FoodMatcher | None = None  # the matcher forked workers inherit
PARALLEL_MIN_TEXTS = 500  # texts per worker below which forking does not pay


def _fuzzy_in_worker(texts: list[str]) -> dict[str, Match]:
    return _FORKED._fuzzy(texts)


def _other_words(key: str, alias: str) -> frozenset[str]:
    """The words of the text besides the alias's, that may say which food it is."""
    return frozenset(key.split()) - set(alias.split()) - NEUTRAL - PREPOSITIONS


def _with_and_without_cuts(words: list[str]) -> list[list[str]]:
    """The words, then (if different) without trailing cut words ("hemp hearts" is an
    alias, "pineapple chunks" only "pineapple")."""
    dropped = _drop_cuts(words)
    return [words] if dropped == words else [words, dropped]


def _drop_cuts(words: list[str]) -> list[str]:
    """The words without trailing words for a cut: "pineapple chunk" gives "pineapple"."""
    words = list(words)
    while len(words) > 1 and words[-1] in CUTS:
        words.pop()
    return words


def _before_preposition(phrase: str) -> str:
    """The words before the first preposition: "tuna in water" gives "tuna"."""
    words = phrase.split()
    for i, word in enumerate(words):
        if word in PREPOSITIONS:
            return " ".join(words[:i])
    return phrase


def _has_digit(token: str) -> bool:
    return any(c.isdigit() for c in token)


@lru_cache(maxsize=1 << 16)
def _is_neutral(token: str) -> bool:
    return token in NEUTRAL or _has_digit(token)


def _head_tokens(description: str) -> frozenset[str]:
    """The words that say what the food is: the first part of a USDA description, and
    the second too after a category or a brand ("Nuts, almonds"; "KEEBLER, Oatmeal")."""
    parts = [p.strip() for p in description.split(",")]
    head = parts[0]
    if len(parts) > 1 and (head.lower() in CATEGORIES or head.upper() == head):
        head = parts[1]  # the category or brand says little about which food it is
    return frozenset(normalise(head).split()) - NEUTRAL


def status_for(match: Match) -> str:
    """``matched``, ``low_confidence`` or ``unmatched`` for a match's confidence."""
    if not match.food_id:
        return "unmatched"
    return "matched" if match.confidence >= CONFIDENT else "low_confidence"
