"""Resolve a diary's rows to grams of known foods and the nutrients they carry.

:func:`resolve_entries` takes the canonical table from :func:`planner.diary.read_diary`
and gives every row one status:

``matched``
    The row's nutrients are known from a trusted source: a confident food match with an
    amount converted to grams, or the export's own values for the row (or, for exports
    of day or meal totals, the totals themselves). These rows are *used*.
``low_confidence``
    A food was found but the match, or the amount, is not trustworthy (a weak fuzzy
    match; more than :data:`MAX_GRAMS` in one entry). *Flagged* for review, not summed.
``unmatched``
    No food could be found, or the amount could not be turned into grams without
    guessing (the reason lists the measures the food has). *Flagged*, not summed.
``rejected``
    The row cannot be used at all (no or impossible date, deleted in the app, a group
    subtotal, a malformed line, a negative amount). The reason says why.

So every input row is counted once: ``rows = used + flagged + rejected``.

Nutrients per row are in canonical units for the amount eaten. When the export carries
its own values they are used for that row, and the food table fills only what the export
leaves blank (``source = "export+food_table"``; the ``filled`` column lists the nutrients
filled, as ``;``-separated ids); ``recompute=True`` ignores the export's values for foods.
A value neither source knows stays NaN.

Supplements (:mod:`planner.sources`) are never matched to a food: ``supplement`` is True,
their values are the export's own (kept with ``recompute``, since the food table holds no
supplements), and a blank cell of a supplement row with values means it declares none of
that nutrient (0). A supplement with no values is flagged ``unmatched``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from planner import nutrients as registry
from planner import sources
from planner.amounts import read_amount
from planner.foods import load_foods
from planner.matching import CONFIDENT, FoodMatcher, Match
from planner.portions import default_book

MAX_GRAMS = 5000.0  # more than 5 kg of one food in one entry is flagged, not summed
STATUSES = ("matched", "low_confidence", "unmatched", "rejected")
OUTCOME = {
    "matched": "used",
    "low_confidence": "flagged",
    "unmatched": "flagged",
    "rejected": "rejected",
}
ENTRY_COLUMNS = [
    "source_row", "person", "date", "time", "meal", "food_text", "amount_text", "food_id",
    "description", "quantity", "unit", "grams", "amount_basis", "status", "confidence",
    "method", "source",
    "reason", "duplicate_of", "supplement", "filled",
]  # fmt: skip


@dataclass(frozen=True)
class Accounting:
    """How a diary's rows ended: every row is used, flagged or rejected, exactly once."""

    rows: int
    used: int
    flagged: int
    rejected: int
    by_status: dict
    duplicates: int = 0  # rows repeating an earlier row exactly (kept, and counted)

    @property
    def reconciles(self) -> bool:
        return self.rows == self.used + self.flagged + self.rejected


def account(entries: pd.DataFrame) -> Accounting:
    """Count the rows of a resolved diary by outcome and status.

    Examples
    --------
    >>> import pandas as pd
    >>> a = account(pd.DataFrame({"status": ["matched", "unmatched", "rejected", "matched"]}))
    >>> a.rows, a.used, a.flagged, a.rejected, a.reconciles
    (4, 2, 1, 1, True)
    """
    counts = entries["status"].value_counts()
    by_status = {s: int(counts.get(s, 0)) for s in STATUSES}
    outcome = {o: sum(n for s, n in by_status.items() if OUTCOME[s] == o) for o in OUTCOME.values()}
    duplicates = int((entries["duplicate_of"] > 0).sum()) if "duplicate_of" in entries else 0
    return Accounting(
        len(entries), outcome["used"], outcome["flagged"], outcome["rejected"], by_status,
        duplicates,
    )  # fmt: skip


@cache
def default_matcher() -> FoodMatcher:
    """The matcher over the bundled food table (built once per process)."""
    return FoodMatcher(load_foods())


def resolve_entries(
    diary: pd.DataFrame,
    matcher: FoodMatcher | None = None,
    recompute: bool = False,
) -> pd.DataFrame:
    """Resolve every diary row to a food, grams and nutrients, with a status and reason.

    Parameters
    ----------
    diary : pandas.DataFrame
        The table :func:`planner.diary.read_diary` returns.
    matcher : FoodMatcher, optional
        Defaults to the bundled food table with the bundled aliases. Pass one built with
        ``overrides`` to apply a user's ``--map`` file.
    recompute : bool
        Ignore the export's own nutrient values and compute everything from the food
        table.

    Returns
    -------
    pandas.DataFrame
        One row per diary row, in file order: :data:`ENTRY_COLUMNS` and one column per
        registry nutrient (for the amount eaten; NaN where unknown). ``supplement`` marks
        supplement rows; ``filled`` lists, per row, the nutrients whose blank export cell
        was filled from the food table. ``attrs`` keeps the diary's attributes and adds
        ``recompute``.
    """
    matcher = matcher or default_matcher()
    foods = matcher.foods
    level = diary.attrs.get("level", "entry")
    carried = [n for n in diary.attrs.get("nutrients", []) if n in diary.columns]
    out = diary[[c for c in diary.columns if c not in registry.ids()]].copy()
    for column in ("description", "unit", "amount_basis", "method", "source"):
        out[column] = ""
    out["quantity"] = math.nan
    out["grams"] = math.nan
    out["confidence"] = math.nan
    out["supplement"] = False
    out["filled"] = ""
    export = diary[carried].to_numpy(dtype=float) if carried else np.empty((len(diary), 0))
    if level != "entry":
        values = _totals(out, export, carried)
    else:
        values = _resolve_foods(out, foods, matcher, export, carried, recompute)
    for i, nid in enumerate(registry.ids()):
        out[nid] = values[:, i]
    out = out[ENTRY_COLUMNS + list(registry.ids())]
    out.attrs = {**diary.attrs, "recompute": recompute}
    return out


def _totals(out: pd.DataFrame, export: np.ndarray, carried: list[str]) -> np.ndarray:
    """Rows of day or meal totals: the export's values are the row's values."""
    values = np.full((len(out), len(registry.ids())), np.nan)
    index = [registry.ids().index(n) for n in carried]
    values[:, index] = export
    live = out["status"].ne("rejected").to_numpy()
    empty = live & ~np.isfinite(export).any(axis=1) if carried else live
    out["method"] = np.where(live, "export_totals", "")
    out["source"] = np.where(live & ~empty, "export", "")
    out["status"] = np.where(live & ~empty, "matched", out["status"])
    out.loc[live & empty, ["status", "reason"]] = ["rejected", "no nutrient values in the row"]
    out["status"] = out["status"].replace("", "matched")
    return values


def _resolve_foods(out, foods, matcher, export, carried, recompute) -> np.ndarray:
    live = out["status"].ne("rejected")
    given = out["food_id"].ne("") & live
    unknown_id = given & ~out["food_id"].isin(foods.index)
    # a food id the diary gives makes the row a food; otherwise supplements are not matched
    supplement = sources.supplement_rows(out) & live.to_numpy() & ~given.to_numpy()
    texts = out.loc[live & ~given & ~supplement, "food_text"]
    matches = matcher.match(pd.unique(texts)) if len(texts) else {}
    _apply_matches(out, texts, matches, given & ~unknown_id)
    out["match_note"] = np.where(
        supplement, sources.supplement_note(out, supplement), out["match_note"]
    )
    if unknown_id.any():
        out.loc[unknown_id, "reason"] = (
            "no food with id " + out.loc[unknown_id, "food_id"] + " in the food table"
        )
        out.loc[unknown_id, "food_id"] = ""
    out["description"] = out["food_id"].map(_descriptions()).fillna("")
    _apply_amounts(out, live, matcher)

    ids = registry.ids()
    per_100 = foods.reindex(out["food_id"].where(out["food_id"].ne("")))[list(ids)].to_numpy()
    table = per_100 * (out["grams"].to_numpy()[:, None] / 100.0)
    confident = out["confidence"].to_numpy() >= CONFIDENT
    grams_ok = np.isfinite(out["grams"].to_numpy()) & (out["grams"].to_numpy() <= MAX_GRAMS)
    table_ok = confident & grams_ok
    table[~table_ok] = np.nan

    values = np.full((len(out), len(ids)), np.nan)
    if carried:
        index = [ids.index(n) for n in carried]
        # recompute ignores the export's values for foods; a supplement has no others
        keep = supplement if recompute else np.ones(len(out), dtype=bool)
        values[np.ix_(keep, index)] = export[keep]
        sources.read_supplement_values(values, supplement, carried)
    has_export = np.isfinite(values).any(axis=1)
    filled = np.isnan(values) & np.isfinite(table)
    values = np.where(np.isnan(values), table, values)

    out["supplement"] = supplement
    _set_status(out, live.to_numpy(), has_export, table_ok, filled.any(axis=1))
    used = out["status"].eq("matched").to_numpy()
    values[~used] = np.nan
    if carried and not recompute:
        out["filled"] = sources.filled_column(filled & (has_export & used)[:, None], ids, carried)
    return values


def _apply_matches(out, texts: pd.Series, matches: dict[str, Match], given: pd.Series) -> None:
    """Write each row's match (food, confidence, method, note), by position, column by column."""
    n = len(out)
    food_id = out["food_id"].to_numpy(dtype=object).copy()
    confidence = np.full(n, np.nan)
    method = np.full(n, "", dtype=object)
    note = np.full(n, "", dtype=object)
    if len(texts):
        found = list(matches.values())
        codes = pd.Index(list(matches)).get_indexer(texts.to_numpy())
        rows = out.index.get_indexer(texts.index)
        hit = codes >= 0
        rows, codes = rows[hit], codes[hit]
        food_id[rows] = np.array([m.food_id for m in found], dtype=object)[codes]
        confidence[rows] = np.array([m.confidence for m in found], dtype=float)[codes]
        method[rows] = np.array([m.method for m in found], dtype=object)[codes]
        note[rows] = np.array([m.note for m in found], dtype=object)[codes]
    chosen = given.to_numpy()
    confidence[chosen] = 1.0
    method[chosen] = "food_id"
    out["food_id"] = food_id
    out["confidence"] = confidence
    out["method"] = method
    out["match_note"] = note


def _apply_amounts(out: pd.DataFrame, live: pd.Series, matcher: FoodMatcher) -> None:
    """Parse every amount, and convert it to grams once per distinct (food, amount).

    Every live row's amount is parsed, matched food or not, so a negative amount is
    rejected whatever the food. A measure the food lacks is read through the same food in
    the other USDA table, then as USDA's default amount (:mod:`planner.portions`), and
    ``amount_basis`` says so. The work is done per distinct text and pair, then joined
    back to the rows.
    """
    book = default_book()
    texts = out["amount_text"].where(live)
    parsed = {t: read_amount(t) for t in pd.unique(texts.dropna())}
    by_text = pd.DataFrame(
        [
            (t, math.nan, "", a) if isinstance(a, str) else (t, a.quantity, a.unit, "")
            for t, a in parsed.items()
        ],
        columns=["amount_text", "quantity", "unit", "parse_note"],
    )
    pairs = out.loc[live & out["food_id"].ne(""), ["food_id", "amount_text"]].drop_duplicates()
    pairs = [(f, t) for f, t in pairs.itertuples(index=False) if not isinstance(parsed[t], str)]
    converted, first = [], {}
    for food_id, text in pairs:
        amount = parsed[text]
        food = foods_description(food_id)
        done = book.convert(amount, food_id, food)
        if done.basis == "" and not np.isfinite(done.grams):
            first[(food_id, text)] = amount  # the food lacks the measure: fall back below
        else:
            converted.append((food_id, text, done.grams, done.note, done.basis))
    if first:
        same = matcher.equivalents({f for f, _ in first})
        for (food_id, text), amount in first.items():
            other = same.get(food_id, "")
            fndds = food_id if len(food_id) == 8 else (other if len(other) == 8 else "")
            done = book.convert(
                amount, food_id, foods_description(food_id), other, foods_description(other),
                fndds,
            )  # fmt: skip
            converted.append((food_id, text, done.grams, done.note, done.basis))
    by_pair = pd.DataFrame(
        converted, columns=["food_id", "amount_text", "grams", "grams_note", "amount_basis"]
    )
    keys = out[["food_id", "amount_text"]].copy()
    keys.loc[~live.to_numpy(), "amount_text"] = None  # rejected rows convert nothing
    joined = keys.merge(by_text, on="amount_text", how="left").merge(
        by_pair, on=["food_id", "amount_text"], how="left"
    )
    out["quantity"] = joined["quantity"].to_numpy(dtype=float)
    out["grams"] = joined["grams"].to_numpy(dtype=float)
    out["unit"] = joined["unit"].fillna("").to_numpy(dtype=object)
    out["amount_basis"] = joined["amount_basis"].fillna("").to_numpy(dtype=object)
    note = (
        joined["parse_note"]
        .fillna("")
        .where(joined["parse_note"].fillna("").ne(""), joined["grams_note"].fillna(""))
    )
    out["amount_note"] = note.to_numpy(dtype=object)


def foods_description(food_id: str) -> str:
    """The description of a food in the bundled table ("" if unknown)."""
    return _descriptions().get(food_id, "")


@cache
def _descriptions() -> dict[str, str]:
    return dict(zip(load_foods()["food_id"], load_foods()["description"], strict=True))


def _set_status(out, live, has_export, table_ok, filled) -> None:
    conf = out["confidence"].to_numpy()
    grams = out["grams"].to_numpy()
    food = out["food_id"].ne("").to_numpy()
    negative = live & (out["amount_note"].str.contains("negative amount").to_numpy())
    too_much = live & np.isfinite(grams) & (grams > MAX_GRAMS)
    weak = live & food & (conf < CONFIDENT)

    status = np.where(live, "unmatched", "rejected").astype(object)
    source = np.full(len(out), "", dtype=object)
    reason = out["reason"].to_numpy(dtype=object).copy()

    use_table = live & table_ok
    use_export = live & has_export
    status[use_table | use_export] = "matched"
    source[use_table & ~use_export] = "food_table"
    source[use_export & filled] = "export+food_table"
    source[use_export & ~filled] = "export"
    status[live & ~use_export & weak] = "low_confidence"
    status[live & ~use_export & too_much & ~weak] = "low_confidence"
    status[negative] = "rejected"

    # the reason depends on a few columns: work it out once per distinct combination
    over = np.isfinite(grams) & (grams > MAX_GRAMS)
    parts = pd.DataFrame(
        {
            "status": status,
            "source": source,
            "prior": reason,
            "match_note": out["match_note"].to_numpy(dtype=object),
            "amount_note": out["amount_note"].to_numpy(dtype=object),
            "grams": np.where(
                over | (status == "matched"), grams, np.where(np.isfinite(grams), 0.0, np.nan)
            ),
            "food": food,
            "supplement": out["supplement"].to_numpy(dtype=bool),
        }
    )[live]
    keys = pd.util.hash_pandas_object(parts, index=False).to_numpy()
    # one reason per distinct combination (64-bit hashes: a collision is vanishingly unlikely)
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    texts = np.array(
        [_reason(*row) for row in parts.iloc[first].itertuples(index=False, name=None)],
        dtype=object,
    )
    reason[np.flatnonzero(live)] = texts[inverse]
    out["status"] = status
    out["source"] = source
    out["reason"] = reason
    del out["match_note"], out["amount_note"]


def _reason(status, source, prior, match_note, amount_note, grams, has_food, supplement) -> str:
    parts = [prior] if prior else []
    if supplement and status in ("matched", "unmatched"):
        parts.append(match_note)
        parts.append(
            "the export's own values are used, and a blank cell means it declares none of "
            "that nutrient"
            if status == "matched"
            else "no nutrient values for it in the diary, so what it holds is unknown and not "
            "counted"
        )
    elif status == "rejected":
        parts.append(amount_note)
    elif status == "low_confidence" and np.isfinite(grams) and grams > MAX_GRAMS:
        parts.append(f"{grams / 1000:,.1f} kg in one entry is more than 5 kg; check the amount")
    elif status == "low_confidence":
        parts.append(f"{match_note}; add the right food to a --map file" if match_note else "")
    elif status == "unmatched":
        if not has_food:
            parts.append(match_note or "no food in the food table matches")
        else:
            parts.append(amount_note or "the amount cannot be converted to grams")
    elif source.startswith("export") and not has_food:
        note = match_note or "no food match"
        parts.append(f"the export's own values are used ({note}); blanks stay unknown")
    elif source == "export" and not np.isfinite(grams):
        note = amount_note or "the amount cannot be converted to grams"
        parts.append(f"the export's own values are used; {note}, so its blanks stay unknown")
    else:
        parts += [match_note, amount_note if np.isfinite(grams) else ""]
    return "; ".join(p for p in parts if p)


def read_entries(
    path,
    format: str = "auto",
    map_path=None,
    recompute: bool = False,
) -> pd.DataFrame:
    """Read a diary and resolve it: :func:`planner.diary.read_diary` then
    :func:`resolve_entries`, with the user's override file applied when given.

    Parameters
    ----------
    path : str or Path
        The diary CSV.
    format : str
        ``"auto"`` or a format name (see :data:`planner.diary.FORMATS`).
    map_path : str or Path, optional
        A CSV of ``food_text,food_id`` rows that win over every other match.
    recompute : bool
        Ignore the export's own nutrient values.
    """
    from planner.diary import read_diary
    from planner.matching import read_overrides

    diary = read_diary(path, format=format)
    matcher = None
    if map_path is not None:
        foods = load_foods()
        matcher = FoodMatcher(foods, overrides=read_overrides(map_path, foods.index))
    return resolve_entries(diary, matcher=matcher, recompute=recompute)


def entries_for_csv(entries: pd.DataFrame) -> pd.DataFrame:
    """The resolved entries as written to ``entries.csv``: dates as ``YYYY-MM-DD``."""
    out = entries.copy()
    out["date"] = out["date"].dt.strftime("%Y-%m-%d").fillna("")
    return out
