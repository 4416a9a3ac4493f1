"""Food text as words: one spelling per word, and what each word of a diary line is worth.

Diary lines carry much besides the food: brands ("Chobani - Greek Yogurt"), amounts
("2 eggs scrambled", "handful of almonds"), app decorations ("(custom)", "Generic - "),
sizes and typos. :func:`normalise` gives one spelling for the words of a USDA description and
of a diary line alike; :func:`query_words` then weighs each word of a diary line by how much
it can say about which food it is.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache


def singular(word: str) -> str:
    """One spelling for a word and its plural: "berries" and "berry" give "berry",
    "potatoes" and "potato" give "potato", "peaches" and "peach" give "peach" (and "cookies"
    and "cookie" both give "cooky": the key only has to be the same for both).

    Examples
    --------
    >>> [singular(w) for w in ("berries", "potatoes", "peaches", "glass", "hummus", "oats")]
    ['berry', 'potato', 'peach', 'glass', 'hummus', 'oat']
    """
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 4:
        if word.endswith("ie"):
            return word[:-2] + "y"
        if word.endswith(("oe", "che", "she")):
            return word[:-1]
    return word


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
    return " ".join(singular(w) for w in words)


def words(text: str) -> frozenset[str]:
    """The words of a list, each as written and as :func:`normalise` spells it."""
    split = text.split()
    return frozenset(split) | frozenset(singular(w) for w in split)


# Words USDA adds that do not change what the food is; they count little when texts are
# compared (their differences are read by the cooking and form features instead).
NEUTRAL = words("""
    raw cooked boiled drained without with salt fresh regular mature all commercial
    commercially variety varieties prepared ready to eat from and or in no added unprepared
    fluid solid includes include dry heat roasted baked enriched unenriched long short medium
    vitamin a d milkfat unsweetened unsalted ns as nfs of type made on for the form any other
    than not further specified
""")
# Not neutral, though USDA writes them often: they tell variants apart (whole milk,
# whole-grain pasta, plain yogurt, calcium-fortified juice).
# Words for a processed or ingredient form: an entry that has one the text does not ask for
# is probably not what was eaten ("almonds" is not "Oil, almond").
FORM_WORDS = words("""
    oil flour powder powdered dry dried dehydrated frozen canned juice instant mix concentrate
    uncooked babyfood spread bar breaded evaporated condensed imitation meatless substitute
    fried sweetened leave leaf stock broth seasoning sauce syrup
""")
# Words that say the food was cooked, and words that say it was not.
COOKING = words("""
    cooked boiled steamed grilled baked roasted broiled braised stewed fried pan sauteed
    poached scrambled toasted microwaved simmered
""")
UNCOOKED = frozenset(["raw", "uncooked", "unprepared"])
# Diary words that say nothing about which food it is: app decorations, amounts and
# containers, and the diary's own adjectives. They are dropped from the text.
DIARY_WORDS = words("""
    generic custom my mom moms leftover leftovers serving servings a an the some of portion
    cup oz ounce gram g ml lb pound tbsp tbs tsp tablespoon teaspoon handful bowl glass mug
    bottle bag box package packet pc pcs approx about x each half quarter third
""")
# Diary shorthand, and the words USDA writes for it.
SHORTHAND = {
    "w": ("with",), "wo": ("without",), "pb": ("peanut", "butter"), "oj": ("orange", "juice"),
    "choc": ("chocolate",), "mayo": ("mayonnaise",), "bbq": ("barbecue",),
    "homemade": ("homemade", "home", "recipe"), "nonfat": ("nonfat", "fat", "free"),
    "lowfat": ("lowfat", "low", "fat"), "veggie": ("vegetable",), "spud": ("potato",),
    "sammich": ("sandwich",), "sarnie": ("sandwich",), "tsp": (), "tbsp": (),
    "roast": ("roast", "roasted"), "bbq'd": ("barbecue",), "hotdog": ("hot", "dog"),
}  # fmt: skip
# Sizes say how much, not what, but a few foods are named by them (large egg): kept, worth
# little.
SIZE_WORDS = words("large small medium extra jumbo mini big little regular")
# Words after which a text names what goes with the food, not the food ("tuna in water",
# "coffee with milk", "bagel w/ cream cheese"): worth less than the food before them.
PREPOSITIONS = frozenset(["with", "in", "plus", "topped", "on"])
# Words that say a thing is absent ("without salt", "no sugar added"): kept as words (USDA
# writes them too), and what follows them weighs as much as any word.
NEGATIONS = frozenset(["without", "no", "free"])
# Weights of a word by where it stands in a diary line.
IN_BRACKETS, AFTER_PREPOSITION, SIZE = 0.5, 0.6, 0.3

_BRACKETS = re.compile(r"\(([^)]*)\)|\[([^\]]*)\]")
_NUMBER = re.compile(r"^\d+(\.\d+)?$|^\d+/\d+$")


def query_words(text: str) -> tuple[tuple[str, float], ...]:
    """The words of a diary line with what each is worth (0-1), in order, repeats dropped.

    Bracketed words (brands, the app's notes) are worth :data:`IN_BRACKETS`, words after a
    preposition :data:`AFTER_PREPOSITION`, sizes :data:`SIZE`; numbers alone, units and
    diary words are dropped; "%" numbers (2% milk, 85% lean) are kept.

    Examples
    --------
    >>> query_words("Generic - Scrambled Eggs (custom)")
    (('scrambled', 1.0), ('egg', 1.0))
    >>> query_words("bagel w/ cream cheese")
    (('bagel', 1.0), ('with', 0.6), ('cream', 0.6), ('cheese', 0.6))
    >>> query_words("2 large eggs, 85% lean")
    (('large', 0.3), ('egg', 1.0), ('85%', 1.0), ('lean', 1.0))
    """
    return _query_words(str(text))


@lru_cache(maxsize=1 << 17)
def _query_words(text: str) -> tuple[tuple[str, float], ...]:
    found = _weigh(text, DIARY_WORDS)
    if not any(w not in NEUTRAL for w in dict(found)):
        # only diary words and USDA's neutral ones: they name the food ("Half & Half")
        found = _weigh(text, frozenset())
    return found


def _weigh(text: str, dropped: frozenset[str]) -> tuple[tuple[str, float], ...]:
    weights: dict[str, float] = {}
    pieces = []  # (text, weight of that piece)
    last = 0
    for hit in _BRACKETS.finditer(text):
        pieces.append((text[last : hit.start()], 1.0))
        pieces.append((hit.group(1) or hit.group(2) or "", IN_BRACKETS))
        last = hit.end()
    pieces.append((text[last:], 1.0))
    for piece, base in pieces:
        weight = base
        for word in _piece_words(piece, dropped):
            if word in PREPOSITIONS:
                weight = min(weight, base * AFTER_PREPOSITION)
                if word != "with":
                    continue
            value = weight * (SIZE if word in SIZE_WORDS else 1.0)
            weights[word] = max(weights.get(word, 0.0), value)
    return tuple(weights.items())


def _piece_words(piece: str, dropped: frozenset[str] = DIARY_WORDS) -> list[str]:
    """The food words of a piece of a line: normalised, shorthand spelt out, diary words
    and bare numbers dropped."""
    out = []
    for word in normalise(piece.replace("&", " and ").replace("w/", " with ")).split():
        for spelt in SHORTHAND.get(word, (word,)):
            if spelt not in dropped and not _NUMBER.match(spelt):
                out.append(spelt)
    return out


def phrases(text: str) -> frozenset[str]:
    """Word pairs that say what a text is, read in its own order: adjacent food words in
    each comma part, and the head turned round the way USDA and Lose It! write it
    ("Yogurt, Greek" and "greek yogurt" both give "greek yogurt").

    Examples
    --------
    >>> sorted(phrases("Yogurt, Greek, plain"))
    ['greek yogurt']
    >>> sorted(phrases("Mozzarella String Cheese"))
    ['mozzarella string', 'string cheese']
    """
    return _phrases(str(text))


@lru_cache(maxsize=1 << 17)
def _phrases(text: str) -> frozenset[str]:
    text = _BRACKETS.sub(",", text)
    parts = [
        [w for w in _piece_words(p) if w not in NEUTRAL and w not in SIZE_WORDS]
        for p in re.split(r",|\s-\s|;", text)
    ]
    parts = [p for p in parts if p]
    out = {f"{a} {b}" for p in parts for a, b in itertools.pairwise(p)}
    if len(parts) > 1:
        out.add(f"{parts[1][-1]} {parts[0][0]}")
    return frozenset(out)


WITH_MARKERS = frozenset(["with", "added", "plus", "topped"])
WITHOUT_MARKERS = frozenset(["no", "without", "not", "free", "removed", "less"])
_MARKER_WORDS = WITH_MARKERS | WITHOUT_MARKERS | {"and", "or", "a", "d", "as", "to"}
_SPELT_OUT = {"unsalted": ("without", "salt"), "salted": ("with", "salt")}


def qualifiers(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The words a text says are added to the food, and those it says are left out, read
    per comma part: after "with"/"w/" or before "added" ("fat added"), and after
    "no"/"without" or before "free" ("fat free"). "unsalted" is without salt.

    Examples
    --------
    >>> qualifiers("Chickpeas, from canned, fat added")
    (frozenset({'fat'}), frozenset())
    >>> qualifiers("Popcorn, air-popped, no butter added")
    (frozenset(), frozenset({'butter'}))
    >>> qualifiers("Potatoes, baked, flesh and skin, without salt")
    (frozenset(), frozenset({'salt'}))
    >>> sorted(qualifiers("bagel w/ cream cheese")[0])
    ['cheese', 'cream']
    """
    return _qualifiers(str(text))


@lru_cache(maxsize=1 << 17)
def _qualifiers(text: str) -> tuple[frozenset[str], frozenset[str]]:
    added, left_out = set(), set()
    for part in re.split(r",|;|\(|\)", text.replace("w/", " with ")):
        spelt = []
        for word in normalise(part).split():
            spelt.extend(_SPELT_OUT.get(word, (word,)))
        mode = None  # the marker in force for the words that follow
        pending = []  # words that a trailing marker ("fat added") may claim
        for word in spelt:
            if word in WITHOUT_MARKERS:
                if word in ("free", "removed", "less") and pending:
                    left_out.update(pending)
                mode, pending = "without", []
            elif word in WITH_MARKERS:
                if word == "added" and pending and mode is None:
                    added.update(pending)
                mode = "with" if mode != "without" else mode
                pending = []
            elif word in _MARKER_WORDS or word in NEUTRAL - {"salt"}:
                continue
            elif mode == "with":
                added.add(word)
            elif mode == "without":
                left_out.add(word)
            else:
                pending.append(word)
    return frozenset(added), frozenset(left_out)


def query_heads(text: str) -> frozenset[str]:
    """The words that say what kind of food a diary line is: in each part a brand
    separator leaves ("Chobani - Greek Yogurt"), the last food word of its first comma
    part, before any preposition ("wonton soup", "Salad Dressing, Balsamic" -> dressing;
    "bagel w/ cream cheese" -> bagel).

    Examples
    --------
    >>> sorted(query_heads("Salad Dressing, Balsamic Vinaigrette"))
    ['dressing']
    >>> sorted(query_heads("Chobani - Greek Yogurt Plain Nonfat"))
    ['chobani', 'fat']
    >>> sorted(query_heads("wonton soup")), sorted(query_heads("bagel w/ cream cheese"))
    (['soup'], ['bagel'])
    """
    return _query_heads(str(text))


@lru_cache(maxsize=1 << 17)
def _query_heads(text: str) -> frozenset[str]:
    heads = set()
    for piece in re.split(r"\s-\s|\s–\s", _BRACKETS.sub(" ", text)):
        first = piece.split(",")[0]
        found = []
        for word in _piece_words(first):
            if word in PREPOSITIONS or word in WITH_MARKERS or word in WITHOUT_MARKERS:
                break
            if word not in NEUTRAL and word not in SIZE_WORDS and word not in COOKING:
                found.append(word)
        if found:
            heads.add(found[-1])
    return frozenset(heads)
