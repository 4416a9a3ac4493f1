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
leaves blank (``source = "export+food_table"``); ``recompute=True`` ignores the export's
values. A value neither source knows stays NaN.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from planner import nutrients as registry
from planner.amounts import AmountError, parse_amount, portion_records, to_grams
from planner.foods import load_foods, load_portions
from planner.matching import CONFIDENT, FoodMatcher, Match

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
    "description", "quantity", "unit", "grams", "status", "confidence", "method", "source",
    "reason", "duplicate_of",
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


@cache
def _portion_lists(source: str = "sr28") -> dict[str, tuple]:
    """Each food's portions, with their measures parsed once (see amounts.Portion)."""
    portions = load_portions(source)
    return {fid: portion_records(grp) for fid, grp in portions.groupby("food_id", sort=False)}


_NO_PORTIONS: tuple = ()


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
        registry nutrient (for the amount eaten; NaN where unknown). ``attrs`` keeps the
        diary's attributes and adds ``recompute``.
    """
    matcher = matcher or default_matcher()
    foods = matcher.foods
    level = diary.attrs.get("level", "entry")
    carried = [n for n in diary.attrs.get("nutrients", []) if n in diary.columns]
    out = diary[[c for c in diary.columns if c not in registry.ids()]].copy()
    for column in ("description", "unit", "method", "source"):
        out[column] = ""
    out["quantity"] = math.nan
    out["grams"] = math.nan
    out["confidence"] = math.nan
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
    texts = out.loc[live & ~given, "food_text"]
    matches = matcher.match(pd.unique(texts)) if len(texts) else {}
    _apply_matches(out, texts, matches, given & ~unknown_id)
    out.loc[unknown_id, "reason"] = (
        "no food with id " + out.loc[unknown_id, "food_id"] + " in the food table"
    )
    out.loc[unknown_id, "food_id"] = ""
    out.loc[out["food_id"].ne(""), "description"] = out["food_id"].map(foods["description"])
    _apply_amounts(out, live)

    ids = registry.ids()
    per_100 = foods.reindex(out["food_id"].where(out["food_id"].ne("")))[list(ids)].to_numpy()
    table = per_100 * (out["grams"].to_numpy()[:, None] / 100.0)
    confident = out["confidence"].to_numpy() >= CONFIDENT
    grams_ok = np.isfinite(out["grams"].to_numpy()) & (out["grams"].to_numpy() <= MAX_GRAMS)
    table_ok = confident & grams_ok
    table[~table_ok] = np.nan

    values = np.full((len(out), len(ids)), np.nan)
    if carried and not recompute:
        index = [ids.index(n) for n in carried]
        values[:, index] = export
    has_export = np.isfinite(values).any(axis=1)
    filled = np.isnan(values) & np.isfinite(table)
    values = np.where(np.isnan(values), table, values)

    _set_status(out, live.to_numpy(), has_export, table_ok, filled.any(axis=1))
    values[out["status"].ne("matched").to_numpy()] = np.nan
    return values


def _apply_matches(out, texts: pd.Series, matches: dict[str, Match], given: pd.Series) -> None:
    frame = pd.DataFrame(
        [(m.food_id, m.confidence, m.method, m.note) for m in matches.values()],
        index=list(matches),
        columns=["food_id", "confidence", "method", "note"],
    )
    if len(texts):
        hit = frame.reindex(texts.to_numpy())
        idx = texts.index
        out.loc[idx, "food_id"] = hit["food_id"].to_numpy()
        out.loc[idx, "confidence"] = hit["confidence"].to_numpy(dtype=float)
        out.loc[idx, "method"] = hit["method"].to_numpy()
        out.loc[idx, "match_note"] = hit["note"].to_numpy()
    out.loc[given, ["confidence", "method"]] = [1.0, "food_id"]
    if "match_note" not in out:
        out["match_note"] = ""
    out["match_note"] = out["match_note"].fillna("")


def _apply_amounts(out: pd.DataFrame, live: pd.Series) -> None:
    """Parse every amount, and convert it to grams once per distinct (food, amount).

    Every live row's amount is parsed, matched food or not, so a negative amount is
    rejected whatever the food.
    """
    portions = _portion_lists()
    texts = out["amount_text"].where(live, None)
    parsed = {t: _parse(t) for t in pd.unique(texts.dropna())}
    pairs = out.loc[live & out["food_id"].ne(""), ["food_id", "amount_text"]].drop_duplicates()
    converted = {}
    for food_id, text in pairs.itertuples(index=False):
        amount = parsed[text]
        if not isinstance(amount, str):
            food = foods_description(food_id)
            converted[(food_id, text)] = to_grams(amount, portions.get(food_id, _NO_PORTIONS), food)
    quantity, grams, unit, note = [], [], [], []
    for food_id, text, alive in zip(out["food_id"], out["amount_text"], live, strict=True):
        amount = parsed.get(text) if alive else None
        if amount is None or isinstance(amount, str):
            quantity.append(math.nan)
            grams.append(math.nan)
            unit.append("")
            note.append(amount or "")
            continue
        result = converted.get((food_id, text))
        quantity.append(amount.quantity)
        unit.append(amount.unit)
        grams.append(result.grams if result is not None else math.nan)
        note.append(result.note if result is not None else "")
    out["quantity"] = np.array(quantity, dtype=float)
    out["grams"] = np.array(grams, dtype=float)
    out["unit"] = unit
    out["amount_note"] = note


def foods_description(food_id: str) -> str:
    """The description of a food in the bundled table ("" if unknown)."""
    foods = load_foods()
    return str(foods["description"].get(food_id, ""))


def _parse(text: str):
    if not str(text).strip():
        return "no amount given"
    try:
        return parse_amount(text)
    except AmountError as exc:
        return str(exc)


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

    match_note = out["match_note"].to_numpy(dtype=object)
    amount_note = out["amount_note"].to_numpy(dtype=object)
    for i in np.flatnonzero(live):
        reason[i] = _reason(
            status[i], source[i], reason[i], match_note[i], amount_note[i], grams[i], food[i]
        )
    out["status"] = status
    out["source"] = source
    out["reason"] = reason
    del out["match_note"], out["amount_note"]


def _reason(status, source, prior, match_note, amount_note, grams, has_food) -> str:
    parts = [prior] if prior else []
    if status == "rejected":
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
