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
from planner.columns import each_distinct, factorize, text_column
from planner.foods import load_foods
from planner.matching import CONFIDENT, FoodMatcher
from planner.portions import convert_rows

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
    level = diary.attrs.get("level", "entry")
    carried = [n for n in diary.attrs.get("nutrients", []) if n in diary.columns]
    export = diary[carried].to_numpy(dtype=float) if carried else np.empty((len(diary), 0))
    if level != "entry":
        out = diary[[c for c in diary.columns if c not in registry.ids()]].copy()
        for column in ("description", "unit", "amount_basis", "method", "source"):
            out[column] = ""
        out["quantity"] = math.nan
        out["grams"] = math.nan
        out["confidence"] = math.nan
        out["supplement"] = False
        out["filled"] = ""
        values = _totals(out, export, carried)
        for i, nid in enumerate(registry.ids()):
            out[nid] = values[:, i]
        out = out[ENTRY_COLUMNS + list(registry.ids())]
    else:
        out = _resolve_foods(diary, matcher, export, carried, recompute)
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


def _resolve_foods(diary, matcher, export, carried, recompute) -> pd.DataFrame:
    """Rows of foods and supplements: matched, converted and explained.

    A cohort repeats its food texts, amounts and reasons many times over, so each is
    worked out once per distinct value (or distinct combination) and given to the rows by
    their codes; the columns are assembled once at the end.
    """
    n = len(diary)
    live = diary["status"].ne("rejected").to_numpy()
    food_id = _objects(diary["food_id"])
    given = (food_id != "") & live
    table_ids = matcher.foods.index
    unknown_id = given & ~each_distinct(food_id, lambda f: f in table_ids)
    # a food id the diary gives makes the row a food; otherwise supplements are not matched
    supplement = sources.supplement_rows(diary) & live & ~given
    confidence = np.full(n, np.nan)
    method = np.full(n, "", dtype=object)
    match_note = np.full(n, "", dtype=object)
    _apply_matches(diary, matcher, live & ~given & ~supplement, food_id, confidence, method,
                   match_note)  # fmt: skip
    chosen = given & ~unknown_id
    confidence[chosen] = 1.0
    method[chosen] = "food_id"
    match_note = np.where(supplement, sources.supplement_note(diary, supplement), match_note)
    reason = _objects(diary["reason"])
    if unknown_id.any():
        reason[unknown_id] = "no food with id " + food_id[unknown_id] + " in the food table"
        food_id[unknown_id] = ""
    food, food_values = pd.factorize(food_id)
    food_values = np.asarray(food_values, dtype=object)
    amounts = _apply_amounts(diary, live, food, food_values, matcher)

    ids = registry.ids()
    grams = amounts["grams"]
    per_100 = matcher.foods.reindex(food_values)[list(ids)].to_numpy(dtype=float)[food]
    table = per_100 * (grams[:, None] / 100.0)
    confident = confidence >= CONFIDENT
    grams_ok = np.isfinite(grams) & (grams <= MAX_GRAMS)
    table_ok = confident & grams_ok
    table[~table_ok] = np.nan

    values = np.full((n, len(ids)), np.nan)
    if carried:
        index = [ids.index(nid) for nid in carried]
        # recompute ignores the export's values for foods; a supplement has no others
        keep = supplement if recompute else np.ones(n, dtype=bool)
        values[np.ix_(keep, index)] = export[keep]
        sources.read_supplement_values(values, supplement, carried)
    has_export = np.isfinite(values).any(axis=1)
    filled = np.isnan(values) & np.isfinite(table)
    values = np.where(np.isnan(values), table, values)

    status, source, reasons, reason = _status(
        live, has_export, table_ok, filled.any(axis=1), confidence, grams, food_values[food],
        match_note, amounts.pop("note"), supplement, reason,
    )  # fmt: skip
    used = status == STATUSES.index("matched")
    values[~used] = np.nan
    filled_ids = np.full(n, "", dtype=object)
    if carried and not recompute:
        filled_ids = sources.filled_column(filled & (has_export & used)[:, None], ids, carried)

    passed = ["source_row", "person", "date", "time", "meal", "food_text"]
    columns = {c: diary[c] for c in passed}
    columns.update(
        amount_text=amounts["amount_text"],
        food_id=text_column(food_values, food),
        description=text_column([_descriptions().get(f, "") for f in food_values], food),
        quantity=amounts["quantity"],
        unit=amounts["unit"],
        grams=grams,
        amount_basis=amounts["amount_basis"],
        status=text_column(STATUSES, status),
        confidence=confidence,
        method=text_column(*factorize(method)),
        source=text_column(SOURCES, source),
        reason=text_column(reasons, reason),
        duplicate_of=diary["duplicate_of"],
        supplement=supplement,
        filled=text_column(*factorize(filled_ids)),
    )
    out = pd.DataFrame(columns, index=diary.index)
    nutrients = pd.DataFrame(values, columns=list(ids), index=diary.index, copy=False)
    return pd.concat([out[ENTRY_COLUMNS], nutrients], axis=1)


def _objects(column: pd.Series) -> np.ndarray:
    """A text column as a writable numpy array of Python strings (blank for missing)."""
    return column.fillna("").to_numpy(dtype=object, copy=True)


def _apply_matches(diary, matcher, wanted, food_id, confidence, method, note) -> None:
    """Match the food text of the ``wanted`` rows, each distinct text once, and write each
    row's match (food, confidence, method, note) into the arrays given, in place."""
    text, text_values = pd.factorize(diary["food_text"].fillna(""))
    text_values = np.asarray(text_values, dtype=object)
    order = pd.unique(text[wanted])  # in order of first appearance, as always matched
    if not len(order):
        return
    matches = matcher.match(text_values[order])
    found = [matches[t] for t in text_values[order]]
    at = np.full(len(text_values), -1)
    at[order] = np.arange(len(order))
    rows = np.flatnonzero(wanted)
    which = at[text[rows]]
    food_id[rows] = np.array([m.food_id for m in found], dtype=object)[which]
    confidence[rows] = np.array([m.confidence for m in found], dtype=float)[which]
    method[rows] = np.array([m.method for m in found], dtype=object)[which]
    note[rows] = np.array([m.note for m in found], dtype=object)[which]


def _apply_amounts(diary, live, food, food_values, matcher) -> dict[str, np.ndarray]:
    """Parse every amount, and convert it to grams once per distinct food and unit.

    Every live row's amount is parsed, matched food or not, so a negative amount is
    rejected whatever the food. A measure the food lacks is read through the same food in
    the other USDA table, then as USDA's default amount (:mod:`planner.portions`), and
    ``amount_basis`` says so. Returns the columns ``amount_text``, ``quantity``, ``unit``,
    ``grams``, ``amount_basis`` and ``note`` (why an amount was read as it was, or not).
    """
    n = len(diary)
    written = diary["amount_text"]
    text, text_values = pd.factorize(written.fillna(""))
    parsed = [read_amount(t) for t in text_values]
    amounts = [None if isinstance(a, str) else a for a in parsed]
    readable = np.array([a is not None for a in amounts], dtype=bool)
    # rows that are not live read no amount: code past the end, an empty amount
    code = np.where(live, text, len(parsed))
    quantity = np.array([math.nan if a is None else a.quantity for a in amounts] + [math.nan])
    unit = [("" if a is None else a.unit) for a in amounts] + [""]
    note = np.array([a if isinstance(a, str) else "" for a in parsed] + [""], dtype=object)[code]
    grams = np.full(n, np.nan)
    basis = np.full(n, "", dtype=object)
    rows = np.flatnonzero(live & (food_values[food] != "") & np.append(readable, False)[code])
    grams[rows], basis[rows], note[rows] = convert_rows(
        food[rows], food_values, code[rows], amounts, foods_description, matcher.equivalents
    )
    return {
        # the text as written, as pandas' text (a diary's may be Python objects) when none
        # is missing: so it is not converted again, row by row, when written
        "amount_text": written if written.isna().any() else text_column(text_values, text),
        "quantity": quantity[code],
        "unit": text_column(unit, code),
        "grams": grams,
        "amount_basis": text_column(*factorize(basis)),
        "note": note,
    }


def foods_description(food_id: str) -> str:
    """The description of a food in the bundled table ("" if unknown)."""
    return _descriptions().get(food_id, "")


@cache
def _descriptions() -> dict[str, str]:
    return dict(zip(load_foods()["food_id"], load_foods()["description"], strict=True))


SOURCES = ("", "food_table", "export+food_table", "export")


def _status(live, has_export, table_ok, filled, conf, grams, food_id, match_note, amount_note,
            supplement, prior) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:  # fmt: skip
    """Each row's status and source (as indices into :data:`STATUSES` and :data:`SOURCES`)
    and reason (the texts, and each row's index into them)."""
    matched, low, unmatched, rejected = range(len(STATUSES))
    food = food_id != ""
    notes, note_code = factorize(amount_note)
    negative = live & np.array(["negative amount" in t for t in notes], dtype=bool)[note_code]
    too_much = live & np.isfinite(grams) & (grams > MAX_GRAMS)
    weak = live & food & (conf < CONFIDENT)

    status = np.where(live, unmatched, rejected).astype(np.int8)
    source = np.zeros(len(live), dtype=np.int8)

    use_table = live & table_ok
    use_export = live & has_export
    status[use_table | use_export] = matched
    source[use_table & ~use_export] = SOURCES.index("food_table")
    source[use_export & filled] = SOURCES.index("export+food_table")
    source[use_export & ~filled] = SOURCES.index("export")
    status[live & ~use_export & weak] = low
    status[live & ~use_export & too_much & ~weak] = low
    status[negative] = rejected

    # The reason is the row's own (a repeat of an earlier row, an id not in the table), then
    # what its status says, which depends on a few columns: worked out once per distinct
    # combination of them. Of the grams, only whether they are known matters, and their
    # value over 5 kg.
    over = np.isfinite(grams) & (grams > MAX_GRAMS)
    amount = np.where(over, grams, np.where(np.isfinite(grams), 0.0, np.nan))
    rows = np.flatnonzero(live)
    parts = [p[rows] for p in (status, source, match_note, note_code, amount, food, supplement)]
    key = np.zeros(len(rows), dtype=np.int64)
    for part in parts:
        codes, distinct = pd.factorize(part, use_na_sentinel=False)
        key, _ = pd.factorize(key * len(distinct) + codes)  # stays below the row count
    _, first = np.unique(key, return_index=True)
    status_of, source_of, match_of, note_of, amount_of, food_of, supplement_of = parts
    said = [
        _reason(
            STATUSES[status_of[i]],
            SOURCES[source_of[i]],
            "",
            match_of[i],
            notes[note_of[i]],
            amount_of[i],
            food_of[i],
            supplement_of[i],
        )
        for i in first
    ]
    # each row's reason as a code into the distinct reasons: what was said for a live row
    # without one of its own, else a text of the row's own
    reasons = np.full(len(live), -1, dtype=np.int64)
    reasons[rows] = key
    others = np.flatnonzero((reasons < 0) | (prior != ""))
    extra = [
        prior[r] if reasons[r] < 0 or not said[reasons[r]] else f"{prior[r]}; {said[reasons[r]]}"
        for r in others
    ]
    reasons[others] = len(said) + np.arange(len(others))
    return status, source, said + extra, reasons


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
    return entries.assign(date=iso_dates(entries["date"]))


def iso_dates(dates: pd.Series) -> pd.Series:
    """Dates as ``YYYY-MM-DD`` text, ``""`` where unknown, each distinct date formatted once.

    Examples
    --------
    >>> iso_dates(pd.Series(pd.to_datetime(["2024-03-04", None, "2024-03-04"]))).tolist()
    ['2024-03-04', '', '2024-03-04']
    """
    codes, distinct = pd.factorize(pd.to_datetime(dates))
    text = [*pd.DatetimeIndex(distinct).strftime("%Y-%m-%d"), ""]
    return pd.Series(
        text_column(text, np.where(codes < 0, len(text) - 1, codes)), index=dates.index
    )
