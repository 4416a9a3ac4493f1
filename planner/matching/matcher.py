"""Match the food text people log to a food in the table, with a confidence from data.

Evidence, in order:

1. the user's override file (``--map``): food text -> food id, exact, always trusted;
2. what is not a food: no letters, a quick-add of a nutrient ("Calorie", "Protein"), a
   supplement or medicine ("Magnesium citrate", "Vitamin D3 2000 IU softgel"): unmatched,
   with the reason;
3. everything else is scored against every food of both USDA tables that shares a word with
   it (:mod:`planner.matching.features`), with weights learnt from labelled diary lines
   (:mod:`planner.matching.model`); the winner's calibrated confidence says whether it is
   trusted (``matched``), shown for review (``low_confidence``) or left ``unmatched``.

An exact description or alias is not trusted blindly: it is the strongest feature of the
score, and the calibration decides, so that an alias that names a different food than the
text asks for can still lose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from planner.errors import UnknownFood
from planner.matching.features import PAIR_FEATURES, pair_features
from planner.matching.index import TEXT_KINDS, FoodIndex
from planner.matching.model import MatchModel, load_model, score_pairs
from planner.matching.text import normalise, query_words, words

# Entries that are not foods: quick adds of a nutrient, supplements, medicines.
PSEUDO_FOODS = words("calorie cal kcal protein carb carbohydrate fat fiber quick add quickadd")
# Supplements and medicines: their names, their forms, and a dose in mg, µg or IU (foods
# are logged by weight or measure, never by a dose).
SUPPLEMENT_WORDS = re.compile(
    r"\b(supplement|capsule|capsules|caplet|caplets|tablet|tablets|softgel|softgels|"
    r"multivitamin|multi vitamin|women multi|men multi|daily multi|one a day|\d+\s*(iu|mg|mcg|ug)|citrate|"
    r"glycinate|oxide|gummies|gummy vitamin|pill|pills|medication|medicine|ibuprofen|"
    r"aspirin|advil|tylenol|acetaminophen|melatonin|creatine|metamucil|psyllium|"
    r"probiotic|fish oil capsule)\b"
)
BATCH = 4096  # lines scored together (bounds the memory of the pair tables)
PARALLEL_MIN_TEXTS = 4096  # kept for callers that split work; scoring is one process


@dataclass(frozen=True)
class Match:
    """The food a text was matched to.

    ``food_id`` is empty when nothing matched; ``confidence`` is 0-1 (for a scored match,
    the calibrated probability that it is right); ``method`` names the evidence
    (``override``, ``alias`` / ``description`` / ``synonym`` when the text is one of the
    food's own texts word for word, ``scored``, ``none``); ``note`` explains a weak or
    failed match.
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
    model : MatchModel, optional
        Defaults to the bundled, fitted model.

    Examples
    --------
    >>> from planner.foods import load_foods
    >>> m = FoodMatcher(load_foods())
    >>> m.match_one("Bananas, raw").food_id in {"09040", "63107010"}
    True
    """

    def __init__(self, foods: pd.DataFrame, aliases=None, overrides=None, model=None):
        self.foods = foods
        self.aliases = load_aliases() if aliases is None else aliases
        self.overrides = overrides or {}
        self.model: MatchModel = model or load_model()
        self.index = FoodIndex(foods, self.aliases)
        self._cache: dict[str, Match] = {}

    @property
    def confident(self) -> float:
        return self.model.matched

    @property
    def plausible(self) -> float:
        return self.model.plausible

    def status(self, match: Match) -> str:
        """``matched``, ``low_confidence`` or ``unmatched`` for one of this matcher's
        matches."""
        return status_for(match, self.model)

    # -- public ----------------------------------------------------------------------

    def match_one(self, text: str) -> Match:
        """Match one food text."""
        return self.match([text])[text]

    def match(self, texts: Iterable[str]) -> dict[str, Match]:
        """Match many texts; each distinct text is matched once (and remembered)."""
        wanted = list(dict.fromkeys(str(t) for t in texts))
        todo = [t for t in wanted if t not in self._cache]
        scored = []
        for text in todo:
            quick = self._rules(text)
            if quick is None:
                scored.append(text)
            else:
                self._cache[text] = quick
        for start in range(0, len(scored), BATCH):
            self._cache.update(self._score(scored[start : start + BATCH]))
        return {t: self._cache[t] for t in wanted}

    def candidates(self, text: str, limit: int = 5) -> pd.DataFrame:
        """The best-scored foods for a text, for review and diagnostics: ``food_id``,
        ``description``, ``score`` and the features behind it."""
        pairs = pair_features(self.index, [text])
        scores = pairs.X @ self.model.weights
        order = scores.argsort()[::-1][:limit]
        table = pd.DataFrame(pairs.X[order], columns=list(PAIR_FEATURES))
        table.insert(0, "score", scores[order])
        rows = pairs.food[order]
        table.insert(0, "description", self.foods["description"].to_numpy()[rows])
        table.insert(0, "food_id", self.index.ids[rows])
        return table

    # -- evidence ---------------------------------------------------------------------

    def _rules(self, text: str) -> Match | None:
        key = normalise(text)
        if not key:
            return Match("", 0.0, "none", "no food text")
        if key in self.overrides:
            return Match(self.overrides[key], 1.0, "override")
        if not re.search(r"[a-z]", key):
            return Match("", 0.0, "none", "the food text has no letters")
        if set(w for w in key.split() if not w.isdigit()) <= PSEUDO_FOODS:
            return Match("", 0.0, "none", "a quick-add of a nutrient, not a food")
        if SUPPLEMENT_WORDS.search(key):
            return Match("", 0.0, "none", "looks like a supplement or medicine, not a food")
        if not query_words(text):
            return Match("", 0.0, "none", "no word of the text names a food")
        return None

    def _score(self, texts: list[str]) -> dict[str, Match]:
        pairs = pair_features(self.index, texts)
        ranked = score_pairs(pairs, self.model)
        descriptions = self.foods["description"].to_numpy()
        exact_alias = PAIR_FEATURES.index("exact_alias")
        exact_text = PAIR_FEATURES.index("exact_text")
        out = {}
        for i, text in enumerate(texts):
            row = ranked.top[i]
            if row < 0:
                out[text] = Match("", 0.0, "none", "no food shares a word with the text")
                continue
            confidence = round(float(ranked.confidence[i]), 3)
            described = descriptions[row]
            pair_x = pairs.X[pairs.starts[i] : pairs.starts[i + 1]]
            pair_food = pairs.food[pairs.starts[i] : pairs.starts[i + 1]]
            mine = pair_x[pair_food == row][0]
            method = "scored"
            if mine[exact_alias]:
                method = "alias"
            elif mine[exact_text]:
                method = "description" if normalise(text) == self.index.descriptions[row] else (
                    "synonym"
                )
            said = dict(query_words(text))
            read = [f"'{w}' as '{' or '.join(k for k, _ in r)}'" for w, r in pairs.read_as.items()
                    if w in said and w not in self.index.vocabulary]  # fmt: skip
            note = f"read {', '.join(read)}" if read else ""
            if confidence < self.model.plausible:
                out[text] = Match("", confidence, "none",
                                  f"no confident match; closest is '{described}'")  # fmt: skip
                continue
            if confidence < self.model.matched:
                note = "; ".join(filter(None, [note, f"closest is '{described}'; check it"]))
            out[text] = Match(str(self.index.ids[row]), confidence, method, note)
        return out


def status_for(match: Match, model: MatchModel | None = None) -> str:
    """``matched``, ``low_confidence`` or ``unmatched`` for a match's confidence."""
    if not match.food_id:
        return "unmatched"
    if match.method == "override":
        return "matched"
    threshold = (model or load_model()).matched
    return "matched" if match.confidence >= threshold else "low_confidence"


__all__ = [
    "TEXT_KINDS",
    "FoodMatcher",
    "Match",
    "load_aliases",
    "read_overrides",
    "status_for",
]
