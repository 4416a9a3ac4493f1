"""Load the food composition table, its household portions and the article's foods.

The bundled table (``usda``) ships inside the installed package (``planner.foodtable``) and
is read through :mod:`importlib.resources`. It holds two USDA sources in one table, told
apart by the ``source`` column: SR28 (``sr28``, 5-character NDB numbers) and FNDDS
2021-2023 (``fndds``, 8-digit food codes), built by :mod:`planner.usda`. A loader takes
either a bundled name or a path to a folder built with ``planner foods build``, never both.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from planner import nutrients as registry
from planner.errors import DataFileError, UnknownName, ValidationError

BUNDLED = ("usda",)
SOURCES = ("sr28", "fndds")
FAMILIES = (
    "leafy_greens", "nuts", "seeds", "legumes", "whole_grains", "avocados", "bananas",
    "dairy", "fortified_foods", "fatty_fish",
)  # fmt: skip
FAMILY_NAMES = {
    "leafy_greens": "leafy green vegetables",
    "nuts": "nuts",
    "seeds": "seeds",
    "legumes": "legumes",
    "whole_grains": "whole grains",
    "avocados": "avocados",
    "bananas": "bananas",
    "dairy": "dairy products",
    "fortified_foods": "fortified foods",
    "fatty_fish": "fatty fish",
}
MEALS = ("breakfast", "lunch", "dinner", "snack")
DIET_TAGS = ("vegan", "vegetarian", "dairy", "nuts", "fish", "gluten")
TEXT_COLUMNS = (
    "source", "description", "common_name", "additional_description", "food_group",
    "wweia_code", "manufacturer",
)  # fmt: skip
ID_PATTERN = {"sr28": r"\d{5}", "fndds": r"\d{8}"}


def bundled_folder():
    """The folder of the bundled food table, as an :mod:`importlib.resources` traversable.

    Installed, it is the package ``planner.foodtable``. In a source checkout whose
    ``planner/`` is imported ahead of the installed copy (``python -m pytest`` from the
    repository root after a plain ``pip install .``), that package does not exist in the
    tree: the table is the repository's top-level ``foods/`` folder, which setuptools
    installs as ``planner.foodtable``.
    """
    try:
        return resources.files("planner.foodtable")
    except ModuleNotFoundError:
        folder = Path(__file__).resolve().parents[1] / "foods"
        if not (folder / "foods.csv").is_file():
            raise DataFileError(folder, "the bundled food table is missing") from None
        return folder


def _source_folder(source: str | Path):
    """Resolve a bundled name or a folder path to something with ``joinpath``."""
    if isinstance(source, Path) or (isinstance(source, str) and ("/" in source or "\\" in source)):
        folder = Path(source)
        if not folder.is_dir():
            raise DataFileError(folder, "not a folder holding foods.csv and portions.csv")
        return folder
    if source not in BUNDLED:
        raise UnknownName("food table", str(source), BUNDLED)
    return bundled_folder()


def _read(folder, name: str, **kwargs) -> pd.DataFrame:
    entry = folder.joinpath(name)
    if not entry.is_file():
        raise DataFileError(entry, "missing; rebuild the table with 'planner foods build'")
    with entry.open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, **kwargs)


@cache
def load_foods(source: str | Path = "usda") -> pd.DataFrame:
    """Return the food table: one row per food, nutrients per 100 g.

    Parameters
    ----------
    source : str or Path
        ``"usda"`` (bundled) or a folder built by ``planner foods build``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``food_id`` (a string: SR28's 5-character NDB number with its leading
        zeros, or FNDDS's 8-digit food code); columns ``source`` (``sr28`` or ``fndds``),
        ``description``, ``common_name`` (SR28), ``additional_description`` (FNDDS: its
        synonyms, brands and forms, separated by ``;``), ``food_group`` (SR28's food group,
        or FNDDS's WWEIA category), ``wweia_code`` (FNDDS), ``manufacturer`` (SR28),
        ``survey`` and one float column per registry nutrient (NaN where USDA gives no
        value; FNDDS values are complete).

    Examples
    --------
    >>> foods = load_foods()
    >>> foods.loc["09040", "description"], float(foods.loc["09040", "potassium_mg"])
    ('Bananas, raw', 358.0)
    >>> foods.loc["63107010", ["source", "food_group"]].tolist()
    ['fndds', 'Bananas']
    """
    folder = _source_folder(source)
    dtypes = {"food_id": str, **{c: str for c in TEXT_COLUMNS}, "survey": bool}
    dtypes.update({nid: "float64" for nid in registry.ids()})
    foods = _read(
        folder,
        "foods.csv",
        dtype=dtypes,
        keep_default_na=False,
        na_values={nid: [""] for nid in registry.ids()},
    )
    _validate_foods(foods, folder.joinpath("foods.csv"))
    return foods.set_index("food_id", drop=False).rename_axis(index=None)


def _validate_foods(foods: pd.DataFrame, path) -> None:
    failures = []
    missing = [c for c in ("food_id", *TEXT_COLUMNS, *registry.ids()) if c not in foods]
    if missing:
        raise ValidationError(path, [f"missing column {c!r}" for c in missing])
    bad_source = ~foods["source"].isin(SOURCES)
    failures += [
        f"row {i + 2}: source {v!r} is not one of {', '.join(SOURCES)}"
        for i, v in _hits(foods, bad_source, "source")
    ]
    pattern = foods["source"].map(ID_PATTERN).fillna(r"\d{5}|\d{8}")
    bad_id = pd.Series(
        [not re.fullmatch(p, i) for p, i in zip(pattern, foods["food_id"], strict=True)],
        index=foods.index,
    )
    failures += [
        f"row {i + 2}: food_id {v!r} is not a USDA id of its source"
        for i, v in _hits(foods, bad_id, "food_id")
    ]
    dup = foods["food_id"].duplicated()
    failures += [f"row {i + 2}: food_id {v!r} repeats" for i, v in _hits(foods, dup, "food_id")]
    for nid in registry.ids():
        neg = foods[nid] < 0
        failures += [f"row {i + 2}: {nid} {v} is negative" for i, v in _hits(foods, neg, nid)]
    if failures:
        raise ValidationError(path, failures)


def _hits(frame: pd.DataFrame, mask: pd.Series, column: str):
    positions = mask.to_numpy().nonzero()[0]
    return [(int(p), frame[column].iloc[p]) for p in positions]


@cache
def load_portions(source: str | Path = "usda") -> pd.DataFrame:
    """Return every household portion: ``food_id``, ``seq``, ``amount``, ``measure``, ``grams``.

    Examples
    --------
    >>> p = load_portions()
    >>> p[(p.food_id == "09040") & (p.measure.str.startswith("medium"))].grams.tolist()
    [118.0]
    """
    folder = _source_folder(source)
    portions = _read(
        folder,
        "portions.csv",
        dtype={"food_id": str, "seq": int, "amount": float, "measure": str, "grams": float},
        keep_default_na=False,
    )
    return portions


@cache
def load_fped(source: str | Path = "usda") -> pd.DataFrame:
    """Return FPED's food-group equivalents per 100 g, one row per food FPED covers.

    Indexed by ``food_id`` (FNDDS food codes); one float column per
    :mod:`planner.foodgroups` id (cup- or ounce-equivalents, grams of oils). SR28 foods and
    the FNDDS foods FPED 2017-2018 does not cover have no row: reindex on the food table to
    get NaN for them.

    Examples
    --------
    >>> fped = load_fped()
    >>> float(fped.loc["72125100", "v_drkgr"])  # 100 g of raw spinach: dark-green vegetables
    1.43
    """
    from planner.foodgroups import ids

    folder = _source_folder(source)
    dtypes = {"food_id": str, **{g: "float64" for g in ids()}}
    table = _read(folder, "fped.csv", dtype=dtypes)
    missing = [g for g in ids() if g not in table]
    if missing:
        raise ValidationError(
            folder.joinpath("fped.csv"), [f"missing column {c!r}" for c in missing]
        )
    return table.set_index("food_id").rename_axis(index=None)


@cache
def load_provenance(source: str | Path = "usda") -> dict:
    """Return the provenance record written beside the food table."""
    entry = _source_folder(source).joinpath("provenance.json")
    return json.loads(entry.read_text(encoding="utf-8"))


@cache
def load_article_foods() -> pd.DataFrame:
    """Return the curated foods of the article's food families.

    One row per food: ``food_id``, ``family``, the typical portion (``portion_seq``,
    ``portion_amount``, ``portion_measure``, ``portion_grams``, all from the portion table),
    ``meals`` (a tuple drawn from breakfast, lunch, dinner, snack), the diet tags as
    booleans (``vegan`` and ``vegetarian`` mean suitable; ``dairy``, ``nuts``, ``fish`` and
    ``gluten`` mean the food contains it), and ``description`` from the food table.
    """
    table = _read(
        bundled_folder(),
        "article_foods.csv",
        dtype={"food_id": str, "family": str, "portion_measure": str},
        keep_default_na=False,
    )
    for tag in DIET_TAGS:
        table[tag] = table[tag].astype(int).astype(bool)
    table["meals"] = table["meals"].str.split(";").map(tuple)
    table["description"] = table["food_id"].map(load_foods()["description"])
    return table.set_index("food_id", drop=False).rename_axis(index=None)


def food_id_text(text: str) -> str:
    """A food id as written by a person, with its leading zeros back: ``9040`` -> ``09040``.

    Examples
    --------
    >>> food_id_text(" 9040 "), food_id_text("12014"), food_id_text("salmon")
    ('09040', '12014', 'salmon')
    """
    text = str(text).strip()
    return text.zfill(5) if text.isdigit() else text


def read_user_table(path, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    """Read a small CSV a person wrote (a --map or --prices file) as strings.

    Column names are matched case-insensitively; ``food_id`` cells get their leading zeros
    back. Raises :class:`planner.errors.DataFileError` naming the file for a file that
    cannot be read or lacks one of ``columns``.
    """
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"cannot read the {what}: {exc}") from None
    except OSError as exc:
        raise DataFileError(path, f"cannot read the {what} ({exc.strerror})") from None
    table.columns = [str(c).strip().lower() for c in table.columns]
    if not set(columns) <= set(table.columns):
        raise DataFileError(path, f"a {what} needs the columns {' and '.join(columns)}", row=1)
    if "food_id" in table:
        table["food_id"] = table["food_id"].map(food_id_text)
    return table


# Count nouns that lead USDA's household measures, with their plurals ("2 cups, chopped").
PLURALS = {
    "bagel": "bagels", "banana": "bananas", "bar": "bars", "bunch": "bunches", "can": "cans",
    "container": "containers", "cookie": "cookies", "cracker": "crackers", "cup": "cups",
    "egg": "eggs", "fillet": "fillets", "fruit": "fruits", "leaf": "leaves", "link": "links",
    "muffin": "muffins", "package": "packages", "pancake": "pancakes", "patty": "patties",
    "piece": "pieces", "pita": "pitas", "roll": "rolls", "slice": "slices", "spear": "spears",
    "stalk": "stalks", "tortilla": "tortillas", "waffle": "waffles",
}  # fmt: skip


def portion_label(amount: float, measure: str) -> str:
    """Format a household portion, with kitchen fractions for quarters and thirds.

    Examples
    --------
    >>> portion_label(1.0, "oz"), portion_label(0.5, "cup"), portion_label(1.5, "cup")
    ('1 oz', '1/2 cup', '1 1/2 cups')
    >>> portion_label(0.333, "cup"), portion_label(0.666, "cup ( 1 NLEA serving)")
    ('1/3 cup', '2/3 cup (1 NLEA serving)')
    >>> portion_label(0.3, "cup"), portion_label(2, "cup, chopped"), portion_label(2, "tbsp")
    ('0.3 cup', '2 cups, chopped', '2 tbsp')
    """
    measure = re.sub(r"\(\s+", "(", " ".join(str(measure).split()))
    if amount > 1 + 1e-9:
        head = re.match(r"[a-z]+", measure)
        if head and head.group() in PLURALS:
            measure = PLURALS[head.group()] + measure[head.end() :]
    for parts, names in ((4, {1: "1/4", 2: "1/2", 3: "3/4"}), (3, {1: "1/3", 2: "2/3"})):
        whole, part = divmod(round(amount * parts), parts)
        if amount > 0 and abs(amount * parts - round(amount * parts)) < 0.01:
            number = " ".join(p for p in (str(whole) if whole else "", names.get(part, "")) if p)
            return f"{number} {measure}"
    return f"{amount:g} {measure}"


def search_foods(text: str, limit: int = 20, source: str | Path = "usda") -> pd.DataFrame:
    """Find foods of either source whose description, common name or FNDDS additional
    description contains every word of ``text``.

    Results are ranked: foods eaten as such in the national survey first (every FNDDS
    food, and SR28 foods with USDA's ``Survey`` flag), then generic foods before branded
    ones, then foods whose own description holds the words before those found only by a
    synonym, then shorter descriptions.

    Examples
    --------
    >>> search_foods("banana raw", limit=2)[["food_id", "source", "description"]].values.tolist()
    [['63107010', 'fndds', 'Banana, raw'], ['09040', 'sr28', 'Bananas, raw']]
    """
    foods = load_foods(source)
    words = [w for w in text.lower().replace(",", " ").split() if w]
    described = (foods["description"] + " " + foods["common_name"]).str.lower()
    haystack = described + " " + foods["additional_description"].str.lower()
    mask = pd.Series(True, index=foods.index)
    in_description = pd.Series(True, index=foods.index)
    for word in words:
        stem = word[:-1] if len(word) > 3 and word.endswith("s") else word
        mask &= haystack.str.contains(stem, regex=False)
        in_description &= described.str.contains(stem, regex=False)
    columns = ["food_id", "source", "description", "food_group", "manufacturer", "survey",
               "additional_description"]  # fmt: skip
    hits = foods.loc[mask, columns]
    order = pd.DataFrame(
        {
            "survey": ~hits["survey"],
            "branded": hits["manufacturer"].ne(""),
            "synonym_only": ~in_description[mask],
            "length": hits["description"].str.len(),
        }
    )
    ranked = hits.loc[order.sort_values(["survey", "branded", "synonym_only", "length"]).index]
    return ranked.head(limit).reset_index(drop=True)
