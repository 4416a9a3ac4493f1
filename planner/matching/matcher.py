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

import numpy as np
import pandas as pd

from planner import sources
from planner.errors import UnknownFood
from planner.matching.features import PAIR_FEATURES, pair_features
from planner.matching.index import TEXT_KINDS, FoodIndex
from planner.matching.model import MatchModel, load_model, score_pairs
from planner.matching.text import normalise, query_words, words
from planner.workers import can_fork, cores, fork_map, split

# Entries that are not foods: quick adds of a nutrient, supplements, medicines.
PSEUDO_FOODS = words("calorie cal kcal protein carb carbohydrate fat fiber quick add quickadd")
EQUIVALENT_ENERGY = 1.3  # at most this ratio of energy per 100 g between equivalents
EQUIVALENT_TRIES, EQUIVALENT_MARGIN = 5, 3.0  # candidates tried, and how far below the best
BATCH = 4096  # lines scored together (bounds the memory of the pair tables)
# Texts to score per forked process (planner.workers): fewer than twice this many are
# scored in this process, where forking would cost more than it saves.
PARALLEL_MIN_TEXTS = 4096


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
        self._equivalent: dict[str, str] = {}
        # the bundled table, aliases and model: the shipped equivalents may apply
        self._bundled = aliases is None and model is None and foods is _bundled_foods()

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
        """Match many texts; each distinct text is matched once (and remembered), on every
        core when there are many (:mod:`planner.workers`)."""
        wanted = list(dict.fromkeys(str(t) for t in texts))
        todo = [t for t in wanted if t not in self._cache]
        scored = []
        for text in todo:
            quick = self._rules(text)
            if quick is None:
                scored.append(text)
            else:
                self._cache[text] = quick
        processes = min(cores(), len(scored) // PARALLEL_MIN_TEXTS)
        if processes > 1 and can_fork():  # each text's match depends on that text only
            for found in fork_map(self._score_all, split(scored, 2 * processes)):
                self._cache.update(found)
        else:
            self._cache.update(self._score_all(scored))
        return {t: self._cache[t] for t in wanted}

    def _score_all(self, texts: list[str]) -> dict[str, Match]:
        found = {}
        for start in range(0, len(texts), BATCH):
            found.update(self._score(texts[start : start + BATCH]))
        return found

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

    def equivalents(self, food_ids: Iterable[str]) -> dict[str, str]:
        """For each food, the same food in the other USDA table, or ``""`` when none is
        close enough.

        The food's own description is matched against the other table's foods (SR28 ->
        FNDDS, FNDDS -> SR28) by the same model as diary text; the winner counts when the
        model would show it for review at least (:attr:`plausible`); of the candidates
        that score nearly as well, the best whose energy per 100 g is within
        :data:`EQUIVALENT_ENERGY` of the food's counts (the same food, prepared the same
        way, has nearly the same energy density).

        The bundled matcher (the bundled food table, aliases and model) reads them from
        :data:`EQUIVALENTS_FILE`, worked out this way for every food by
        ``tools/make_equivalents.py``, while that file was made from these very files
        (:func:`shipped_equivalents`); any other works them out
        (:meth:`work_out_equivalents`).

        Examples
        --------
        >>> from planner.foods import load_foods
        >>> m = FoodMatcher(load_foods())
        >>> m.equivalents(["63101000"])  # FNDDS "Apple, raw" -> SR28 "Apples, raw, with skin"
        {'63101000': '09003'}
        """
        shipped = shipped_equivalents() if self._bundled else None
        if shipped is None:
            return self.work_out_equivalents(food_ids)
        return {f: shipped.get(f, "") for f in dict.fromkeys(str(f) for f in food_ids)}

    def work_out_equivalents(self, food_ids: Iterable[str]) -> dict[str, str]:
        """:meth:`equivalents`, worked out here and now (about 4,000 foods a second)."""
        wanted = list(dict.fromkeys(str(f) for f in food_ids))
        todo = [f for f in wanted if f not in self._equivalent and f in self.index.row_of]
        if todo:
            source = self.foods["source"].to_numpy() if "source" in self.foods else None
            energy = self.foods["energy_kcal"].to_numpy(dtype=float)
            rows = np.array([self.index.row_of[f] for f in todo])
            for side in ("sr28", "fndds"):
                mine = rows[source[rows] == side] if source is not None else rows[:0]
                if not len(mine):
                    continue
                pairs = pair_features(
                    self.index, [self.foods["description"].iat[r] for r in mine],
                    allowed=source != side,
                )  # fmt: skip
                ranked = score_pairs(pairs, self.model, self.index.alike)
                for i, r in enumerate(mine):
                    self._equivalent[self.index.ids[r]] = self._closest_alike(
                        pairs, ranked, i, energy, r
                    )
        return {f: self._equivalent.get(f, "") for f in wanted}

    def _closest_alike(self, pairs, ranked, i: int, energy: np.ndarray, row: int) -> str:
        """The best-scored candidate of line ``i`` whose energy density is alike, when the
        line's winner is plausible and that candidate scores near it."""
        if ranked.top[i] < 0 or ranked.confidence[i] < self.model.plausible:
            return ""
        span = slice(pairs.starts[i], pairs.starts[i + 1])
        scores, foods = ranked.scores[span], pairs.food[span]
        for j in np.argsort(-scores)[:EQUIVALENT_TRIES]:
            if scores[j] < scores.max() - EQUIVALENT_MARGIN:
                break
            ratio = energy[foods[j]] / energy[row] if energy[row] > 0 else np.nan
            if np.isnan(ratio) or 1 / EQUIVALENT_ENERGY <= ratio <= EQUIVALENT_ENERGY:
                return str(self.index.ids[foods[j]])
        return ""

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
        if sources.looks_like_supplement(key):
            return Match("", 0.0, "none", "looks like a supplement or medicine, not a food")
        if not query_words(text):
            return Match("", 0.0, "none", "no word of the text names a food")
        return None

    def _score(self, texts: list[str]) -> dict[str, Match]:
        pairs = pair_features(self.index, texts)
        ranked = score_pairs(pairs, self.model, self.index.alike)
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
                same = normalise(text) == self.index.descriptions[row]
                method = "description" if same else "synonym"
            note = self._readings(text, pairs.read_as)
            if confidence < self.model.plausible:
                closest = f"no confident match; closest is '{described}'"
                out[text] = Match("", confidence, "none", closest)
                continue
            if confidence < self.model.matched:
                note = "; ".join(filter(None, [note, f"closest is '{described}'; check it"]))
            out[text] = Match(str(self.index.ids[row]), confidence, method, note)
        return out

    def _readings(self, text: str, read_as: dict) -> str:
        """ "read 'brocoli' as 'broccoli'" for the words of the text read another way."""
        read = []
        for word, _ in query_words(text):
            if word in read_as and word not in self.index.vocabulary:
                known = read_as[word]
                joined = " ".join(k for k, _ in known) if len(known) == 2 and all(
                    share == 1.0 for _, share in known
                ) else " or ".join(k for k, _ in known)  # fmt: skip
                read.append(f"'{word}' as '{joined}'")
        return f"read {', '.join(read)}" if read else ""


EQUIVALENTS_FILE = "equivalents.json"  # in planner/data, made by tools/make_equivalents.py


def _bundled_foods() -> pd.DataFrame:
    from planner.foods import load_foods

    return load_foods()


@cache
def shipped_equivalents() -> dict[str, str] | None:
    """The bundled food table's equivalents (food id -> the same food in the other table,
    only for foods that have one), or None when the file was made from another food table,
    alias table or model than the bundled ones (then they are worked out instead)."""
    import json
    from importlib import resources

    text = resources.files("planner.data").joinpath(EQUIVALENTS_FILE).read_text(encoding="utf-8")
    shipped = json.loads(text)
    return shipped["equivalents"] if shipped["made_from"] == equivalents_made_from() else None


def equivalents_made_from() -> dict[str, str]:
    """The SHA-256 of each bundled file the equivalents follow from."""
    import hashlib
    from importlib import resources

    from planner.foods import bundled_folder
    from planner.matching.model import MODEL_FILE

    files = {
        "foods.csv": bundled_folder().joinpath("foods.csv"),
        "aliases.csv": bundled_folder().joinpath("aliases.csv"),
        MODEL_FILE: resources.files("planner.data").joinpath(MODEL_FILE),
    }
    return {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in files.items()}


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
