"""Read a food diary CSV into one canonical table.

Formats are recognised from the header row, never from the file name:

- ``planner``: planner's own CSV, ``date, meal, food, amount, unit`` (or one ``quantity``
  column such as ``1 cup``), optional ``time``, ``food_id``, ``person`` and nutrient
  columns named by canonical id (``magnesium_mg``);
- ``cronometer_servings``: Cronometer "Food & Recipe Entries" (every known layout);
- ``cronometer_daily``: Cronometer "Daily Nutrition" (day totals; with a ``Group``
  column only the ``Total`` rows count, the rest would count the day twice);
- ``myfitnesspal``: MyFitnessPal "Nutrition-Summary" (meal totals; no food names);
- ``loseit``: Lose It! ``food-logs.csv`` (rows marked deleted are set aside);
- ``opennutritracker``: OpenNutriTracker ``user_intake.csv`` (``date_time``, ``type`` as
  the meal, ``meal_name`` as the food, ``amount`` and ``unit``; nutrient values per 100 g
  or 100 ml, scaled by the amount when it is in g or ml, unknown otherwise).

Each importer declares a map from its headers to canonical names; exporter nutrient
columns are renamed to canonical ids and converted to canonical units in that one step
(vitamin D IU to µg, MyFitnessPal's calcium % Daily Value to mg). Blank cells and ``n/a``
are unknown (NaN), never zero.

Every input row is kept. Rows that cannot be used at all (no date, impossible date,
deleted, group subtotal, malformed line) get ``status = "rejected"`` and a ``reason``.
"""

from __future__ import annotations

import codecs
import csv
import math
import os
import re
import warnings
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from planner import nutrients as registry
from planner.columns import text_column
from planner.errors import DiaryFormatError, UnknownName

MISSING = frozenset(["", "n/a", "na", "-", "--", "none", "null", "nan", "#n/a"])
DEFAULT_CALCIUM_DV_MG = 1300.0  # the 2016 label Daily Value (1,000 mg before it)
SAMPLE_BYTES = 1 << 16
# Larger files stop with a clear message instead of running the machine out of memory; a
# cohort that size should be split (by person or period) or given a higher limit.
MAX_DIARY_MB = float(os.environ.get("PLANNER_MAX_DIARY_MB", "512"))
CHUNK_ROWS = 200_000
MAX_TEXT = 300  # characters of food text kept for matching; the rest is reported
# The reason on a Cronometer day marked not completed (the analysis counts these days).
UNFINISHED_DAY = "Cronometer marks this day not completed: its totals may be partial"


@dataclass(frozen=True)
class FormatSpec:
    """How one export's columns map to planner's canonical columns."""

    name: str
    label: str
    level: str  # "entry" (one row per food), "meal" or "day" (totals)
    columns: dict[str, str]  # lowercased source header -> canonical column
    required: tuple[str, ...]  # canonical columns that must be present
    export: str | None = None  # which registry export headers apply
    extra_headers: dict[str, str] = field(default_factory=dict)


FORMATS: dict[str, FormatSpec] = {
    "planner": FormatSpec(
        "planner",
        "planner CSV",
        "entry",
        {
            "date": "date",
            "time": "time",
            "meal": "meal",
            "food": "food_text",
            "amount": "amount",
            "unit": "unit",
            "quantity": "amount_text",
            "food_id": "food_id",
            "person": "person",
        },
        ("date", "food_text"),
    ),
    "cronometer_servings": FormatSpec(
        "cronometer_servings",
        "Cronometer servings.csv",
        "entry",
        {
            "day": "date",
            "time": "time",
            "group": "meal",
            "food name": "food_text",
            "amount": "amount_text",
            "category": "category",
        },
        ("date", "food_text", "amount_text"),
        export="cronometer",
    ),
    "cronometer_daily": FormatSpec(
        "cronometer_daily",
        "Cronometer dailysummary.csv",
        "day",
        {"date": "date", "group": "meal", "completed": "completed"},
        ("date",),
        export="cronometer",
    ),
    "myfitnesspal": FormatSpec(
        "myfitnesspal",
        "MyFitnessPal Nutrition-Summary",
        "meal",
        {"date": "date", "meal": "meal", "time": "time", "note": "note"},
        ("date", "meal"),
        export="myfitnesspal",
    ),
    "opennutritracker": FormatSpec(
        "opennutritracker",
        "OpenNutriTracker user_intake.csv",
        "entry",
        {
            "date_time": "date",
            "type": "meal",
            "meal_name": "food_text",
            "amount": "amount",
            "unit": "unit",
        },
        ("date", "food_text", "amount"),
        export="opennutritracker",
    ),
    "loseit": FormatSpec(
        "loseit",
        "Lose It! food-logs.csv",
        "entry",
        {
            "date": "date",
            "name": "food_text",
            "type": "meal",
            "meal": "meal",
            "quantity": "amount",
            "units": "unit",
            "deleted": "deleted",
        },
        ("date", "food_text", "amount"),
        export="loseit",
    ),
}

CANONICAL = [
    "source_row", "person", "date", "time", "meal", "category", "food_text", "amount_text",
    "quantity", "unit", "food_id", "status", "reason", "duplicate_of",
]  # fmt: skip


def detect_format(headers: list[str]) -> str | None:
    """Name the format of a header row, or ``None`` when it is none planner knows.

    Examples
    --------
    >>> detect_format(["Day", "Group", "Food Name", "Amount", "Category"])
    'cronometer_servings'
    >>> detect_format(["date", "meal", "food", "quantity"])
    'planner'
    """
    h = {c.strip().lower() for c in headers}
    if {"day", "food name", "amount"} <= h:
        return "cronometer_servings"
    if {"date", "name", "quantity", "units"} <= h:
        return "loseit"
    if {"date_time", "meal_name", "amount"} <= h:
        return "opennutritracker"
    if {"date", "meal", "calories"} <= h and "fat (g)" in h:
        return "myfitnesspal"
    if "date" in h and "energy (kcal)" in h and "food name" not in h:
        return "cronometer_daily"
    if {"date", "food"} <= h and ({"amount", "quantity"} & h):
        return "planner"
    return None


# --- opening the file ------------------------------------------------------------------

_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"PK\x03\x04": "a zip archive (an .xlsx workbook is one; export it as CSV)",
    b"%PDF": "a PDF document",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
}


def _open_checks(path: Path) -> bytes:
    if not path.exists():
        raise DiaryFormatError(path, "no such file")
    if path.is_dir():
        raise DiaryFormatError(path, "is a folder, not a CSV file")
    size_mb = path.stat().st_size / 1e6
    if size_mb > MAX_DIARY_MB:
        raise DiaryFormatError(
            path,
            f"is {size_mb:,.0f} MB, over the {MAX_DIARY_MB:,.0f} MB planner reads in one run; "
            "split it (for example by person or by year) or raise the limit with "
            "PLANNER_MAX_DIARY_MB if this machine has the memory (about 10x the file size)",
        )
    try:
        with open(path, "rb") as fh:
            sample = fh.read(SAMPLE_BYTES)
    except PermissionError:
        raise DiaryFormatError(path, "cannot be read (permission denied)") from None
    except OSError as exc:
        raise DiaryFormatError(path, f"cannot be read ({exc.strerror})") from None
    if not sample.strip():
        raise DiaryFormatError(path, "is empty")
    for magic, kind in _MAGIC.items():
        if sample.startswith(magic):
            raise DiaryFormatError(path, f"is {kind}, not a CSV file")
    return sample


def _encoding(path: Path, sample: bytes) -> str:
    """UTF-16 and UTF-8 by their marks, else UTF-8 if the whole file decodes, else cp1252."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        raise DiaryFormatError(path, "is a binary file, not a CSV file")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _header_and_delimiter(path: Path, sample: bytes, encoding: str) -> tuple[list[str], str]:
    text = sample.decode(encoding if encoding != "utf-8-sig" else "utf-8-sig", errors="replace")
    text = text.lstrip("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: _count_outside_quotes(first, sep) for sep in (",", ";", "\t")}
    sep = max(counts, key=counts.get)
    if counts[sep] == 0:
        raise DiaryFormatError(path, "the first line has no comma, semicolon or tab: not a CSV")
    header = next(csv.reader([first], delimiter=sep))
    return [h.strip() for h in header], sep


def _count_outside_quotes(line: str, sep: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            count += 1
    return count


# --- cell parsing ------------------------------------------------------------------------

_DATE_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T].*)?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T].*)?$"), ("m", "d", "y")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2})$"), ("m", "d", "yy")),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), ("d", "m", "y")),
]


@lru_cache(maxsize=100_000)
def parse_date(text: str) -> date | str:
    """Return a date, or a sentence saying why the text is not one.

    Accepts ``YYYY-MM-DD``, ``YYYY-M-D``, ``YYYY/MM/DD``, ``M/D/YYYY`` (US exports),
    ``M/D/YY`` and ``D.M.YYYY`` (European spreadsheets), with an optional time after it.

    Examples
    --------
    >>> parse_date("2011-4-18"), parse_date("3/14/2020")
    (datetime.date(2011, 4, 18), datetime.date(2020, 3, 14))
    >>> parse_date("2023-02-30")
    "impossible date '2023-02-30'"
    """
    text = text.strip()
    if not text:
        return "no date"
    for pattern, order in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            parts = dict(zip(order, (int(g) for g in m.groups()), strict=True))
            year = parts.get("y", 2000 + parts.get("yy", 0))
            try:
                return date(year, parts["m"], parts["d"])
            except ValueError:
                return f"impossible date {text!r}"
    return f"not a date {text!r}"


@lru_cache(maxsize=10_000)
def parse_time(text: str) -> str:
    """Normalise ``9:51 AM``, ``05:17`` or ``16:07 `` to ``HH:MM``; ``""`` if not a time.

    Examples
    --------
    >>> parse_time(" 9:51 AM"), parse_time("16:07 "), parse_time("12:05 am"), parse_time("x")
    ('09:51', '16:07', '00:05', '')
    """
    m = re.match(r"^\s*(\d{1,2}):(\d{2})(?::\d{2})?\s*([ap]\.?m\.?)?\s*$", text, re.IGNORECASE)
    if not m:
        return ""
    hour, minute = int(m[1]), int(m[2])
    if m[3]:
        if not 1 <= hour <= 12:
            return ""
        hour = hour % 12 + (12 if m[3].lower().startswith("p") else 0)
    if hour > 23 or minute > 59:
        return ""
    return f"{hour:02d}:{minute:02d}"


def parse_numbers(cells: pd.Series, decimal_comma: bool = False) -> tuple[pd.Series, pd.Series]:
    """Parse numeric cells; blanks and ``n/a`` are NaN. Returns (values, bad-text mask).

    ``"1,020"`` is 1020 (a thousands separator); in files that use decimal commas
    (semicolon-separated European files) ``"1,5"`` is 1.5 and ``"1.020,5"`` is 1020.5.
    """
    text = cells.fillna("").astype(str).str.strip()
    missing = text.str.lower().isin(MISSING)
    if decimal_comma:
        cleaned = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        cleaned = cleaned.where(text.str.contains(","), text)
    else:
        cleaned = text.str.replace(r"(?<=\d),(?=\d{3}\b)", "", regex=True)
    values = pd.to_numeric(cleaned.where(~missing), errors="coerce")
    bad = values.isna() & ~missing
    return values.astype(float), bad


# --- reading ----------------------------------------------------------------------------


def read_diary(
    path: str | Path,
    format: str = "auto",
    calcium_dv_mg: float = DEFAULT_CALCIUM_DV_MG,
) -> pd.DataFrame:
    """Read a diary CSV into planner's canonical table, one row per input row.

    Parameters
    ----------
    path : str or Path
    format : str
        ``"auto"`` (detect from the header) or one of :data:`FORMATS`.
    calcium_dv_mg : float [mg]
        The Daily Value that MyFitnessPal's calcium percentages refer to (default 1,300 mg,
        the 2016 label; use 1,000 for exports of older labels).

    Returns
    -------
    pandas.DataFrame
        Columns ``source_row`` (line number in the file; the header is line 1),
        ``person``, ``date``, ``time``, ``meal``, ``category`` (Cronometer's food
        category, else ``""``), ``food_text``, ``amount_text``,
        ``quantity`` and ``unit`` (the amount parsed; NaN and ``""`` where it cannot be
        read), ``food_id``, ``status`` (``""`` or ``"rejected"``), ``reason``, and one column per
        nutrient the export carries (canonical ids, canonical units, per row). ``attrs``
        holds ``format``, ``label``, ``level`` (entry, meal or day), ``nutrients`` (the ids
        the export carries), ``notes`` and ``path``.

    Raises
    ------
    DiaryFormatError
        For a missing, empty, binary or unrecognised file, or missing required columns.
    """
    path = Path(path)
    sample = _open_checks(path)
    encoding = _encoding(path, sample)
    headers, sep = _header_and_delimiter(path, sample, encoding)
    spec = _spec_for(path, headers, format)
    nutrient_columns = _nutrient_columns(spec, headers, calcium_dv_mg)
    seen: dict = {}
    try:
        frames = [
            _mark_duplicates(_canonical(chunk, spec, nutrient_columns, sep == ";"), chunk, seen)
            for chunk in _read_rows(path, encoding, sep, headers)
        ]
    except pd.errors.ParserError as exc:
        raise _parser_error(path, exc) from None
    diary = pd.concat(frames, ignore_index=True) if frames else _empty(nutrient_columns)
    if diary.empty:
        raise DiaryFormatError(path, "has a header row but no data rows")
    diary = _apply_format_rules(diary, spec)
    diary = _with_quantity_and_unit(diary)
    carried = {nid for nid, _ in nutrient_columns.values()}
    diary.attrs.update(
        format=spec.name,
        label=spec.label,
        level=spec.level,
        nutrients=[nid for nid in registry.ids() if nid in carried],
        notes=_notes(spec, nutrient_columns, calcium_dv_mg),
        path=str(path),
        encoding=encoding,
        delimiter=sep,
    )
    return diary


def _spec_for(path: Path, headers: list[str], format: str) -> FormatSpec:
    detected = detect_format(headers)
    if format == "auto":
        if detected is None:
            shown = ", ".join(headers[:8]) + (", ..." if len(headers) > 8 else "")
            raise DiaryFormatError(
                path,
                f"unrecognised diary format (header: {shown}); planner reads its own CSV "
                "(date, meal, food, amount, unit), Cronometer servings and dailysummary, "
                "MyFitnessPal Nutrition-Summary and Lose It! food-logs exports",
                row=1,
            )
        return FORMATS[detected]
    if format not in FORMATS:
        raise UnknownName("format", format, ["auto", *FORMATS])
    spec = FORMATS[format]
    present = {spec.columns[h.lower()] for h in headers if h.lower() in spec.columns}
    if spec.name == "planner" and "amount_text" in present:
        present.add("amount")
    missing = [c for c in spec.required if c not in present]
    if missing:
        wanted = [h for h, c in spec.columns.items() if c in missing]
        raise DiaryFormatError(path, f"not a {spec.label} file: no column {', '.join(wanted)}", 1)
    return spec


def _nutrient_columns(
    spec: FormatSpec, headers: list[str], calcium_dv_mg: float
) -> dict[str, tuple[str, float]]:
    """Source header -> (canonical id, factor to the canonical unit)."""
    mapping: dict[str, tuple[str, float]] = {}
    if spec.export is None:
        ids = set(registry.ids())
        for h in headers:
            if h.strip().lower() in ids:
                mapping[h] = (h.strip().lower(), 1.0)
        return mapping
    known = {
        _header_key(e.header): e for e in registry.export_headers() if spec.export in e.exports
    }
    for h in headers:
        entry = known.get(_header_key(h))
        if entry is None or entry.nutrient_id in {nid for nid, _ in mapping.values()}:
            continue
        factor = entry.factor
        if spec.name == "myfitnesspal" and entry.nutrient_id == "calcium_mg":
            factor = calcium_dv_mg / 100.0
        mapping[h] = (entry.nutrient_id, factor)
    return mapping


def _header_key(header: str) -> str:
    """A header as compared with the registry: case-blind, and any spelling of micrograms.

    Real headers write micrograms as ``µg`` (micro sign), ``μg`` (Greek mu), ``mcg`` or
    ``ug``; casefold turns the micro sign into mu.

    Examples
    --------
    >>> _header_key("B12 (Cobalamin) (mcg)") == _header_key("B12 (Cobalamin) (µg)")
    True
    """
    key = " ".join(header.split()).casefold()
    return re.sub(r"\((?:mcg|ug|μg)\)", "(μg)", key)


def _read_rows(path: Path, encoding: str, sep: str, headers: list[str]):
    """Yield chunks of string cells, one at a time; malformed lines become rows that say so.

    Only one raw chunk is in memory at a time: the caller turns each into canonical rows
    before the next is read. pandas skips a malformed line with a warning as it reads the
    chunk holding it, so the line numbers of a chunk's rows are known when it is yielded.
    """
    skipped: list[int] = []
    columns = pd.Index(headers)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reader = pd.read_csv(
            path,
            sep=sep,
            encoding=encoding,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            on_bad_lines="warn",
            chunksize=CHUNK_ROWS,
            engine="c",
            encoding_errors="replace",
        )
        offset = 0
        for chunk in reader:
            chunk.columns = columns = pd.Index([str(c).strip() for c in chunk.columns])
            index = np.arange(offset, offset + len(chunk))
            offset += len(chunk)
            new = _skipped_lines(caught)
            caught.clear()
            skipped += [n for n, _ in new]
            # pandas numbers the rows it kept; each skipped line before a row moves it down
            before = np.sort(skipped) - 2 - np.arange(len(skipped))
            chunk.index = pd.RangeIndex(index[0], index[-1] + 1) if len(index) else chunk.index
            chunk["__line__"] = index + 2 + np.searchsorted(before, index, side="right")
            if new:
                yield _bad_rows(new, columns)
            yield chunk
        tail = _skipped_lines(caught)
    if tail:
        yield _bad_rows(tail, columns)


def _parser_error(path: Path, exc: Exception) -> DiaryFormatError:
    """Turn pandas' tokenizer error into a sentence naming the line."""
    text = str(exc)
    quote = re.search(r"EOF inside string starting at row (\d+)", text)
    if quote:
        line = int(quote[1]) + 1
        return DiaryFormatError(
            path, "a quote (\") opened here is never closed, so the rest of the file cannot "
            "be read as rows", row=line,
        )  # fmt: skip
    return DiaryFormatError(path, f"cannot be read as CSV ({text.strip()})")


def _skipped_lines(caught) -> list[tuple[int, str]]:
    found = []
    for w in caught:
        for m in re.finditer(r"Skipping line (\d+): (.+?)(?:\n|$)", str(w.message)):
            found.append((int(m[1]), m[2].strip()))
    return found


def _bad_rows(bad_lines: list[tuple[int, str]], columns: pd.Index) -> pd.DataFrame:
    """A rejected row for each malformed line, at its own line number."""
    columns = columns.drop(["__line__", "__bad__"], errors="ignore")
    bad = pd.DataFrame("", index=range(len(bad_lines)), columns=columns)
    bad["__line__"] = [n for n, _ in bad_lines]
    bad["__bad__"] = [f"malformed line: {why}" for _, why in bad_lines]
    return bad


def _mark_duplicates(out: pd.DataFrame, chunk: pd.DataFrame, seen: dict):
    """Note rows that repeat an earlier row cell for cell, time included. They are kept:
    people do eat the same thing twice; the note lets a person check an accidental copy.

    ``seen`` carries, from chunk to chunk, each row hash with the line it first appeared on.
    """
    cells = chunk.drop(columns=[c for c in ("__line__", "__bad__") if c in chunk])
    cells = cells.loc[out.index]
    hashes = pd.util.hash_pandas_object(cells, index=False).to_numpy()
    lines = out["source_row"].to_numpy()
    # first line of each hash within this chunk, then earlier chunks' lines where known
    first = pd.Series(lines).groupby(hashes, sort=False).transform("first").to_numpy()
    earlier = seen.get("table")
    if earlier is not None:
        known = earlier.reindex(hashes).to_numpy()
        first = np.where(np.isnan(known), first, known).astype(np.int64)
    new = pd.Series(first, index=hashes)
    new = new[~new.index.duplicated()]
    seen["table"] = (
        new if earlier is None else pd.concat([earlier, new[~new.index.isin(earlier.index)]])
    )
    repeat = (first != lines) & out["status"].ne("rejected").to_numpy()
    if repeat.any():
        note = pd.Series(
            [f"same as row {f}, kept (people do eat the same thing twice)" for f in first[repeat]],
            index=out.index[repeat],
        )
        reason = out.loc[repeat, "reason"]
        out.loc[repeat, "reason"] = np.where(reason.eq(""), note, reason + "; " + note)
    out["duplicate_of"] = np.where(repeat, first, 0)
    return out


def _line_numbers(chunk: pd.DataFrame) -> np.ndarray:
    # Data rows start on line 2; _read_rows numbers them around skipped lines.
    return chunk["__line__"].to_numpy()


def _canonical(chunk: pd.DataFrame, spec: FormatSpec, nutrient_columns: dict, decimal_comma: bool):
    source = {c.lower(): c for c in chunk.columns}
    out = pd.DataFrame(index=chunk.index)
    out["source_row"] = _line_numbers(chunk)

    def col(name: str) -> pd.Series:
        for header, canon in spec.columns.items():
            if canon == name and header in source:
                return chunk[source[header]].fillna("").astype(str).str.strip()
        return pd.Series("", index=chunk.index, dtype=object)

    out["person"] = col("person")
    dates = col("date")
    # a diary repeats its dates and times: each distinct one is read once
    codes, distinct = pd.factorize(dates)
    parsed = [parse_date(d) for d in distinct]
    days = pd.Series([v if isinstance(v, date) else None for v in parsed], dtype=object)
    out["date"] = pd.to_datetime(days, errors="coerce").to_numpy()[codes]
    problems = [("" if isinstance(v, date) else v) for v in parsed]
    date_problem = pd.Series(text_column(problems, codes), index=out.index)
    times = col("time")
    if spec.name == "opennutritracker":  # one date_time column: 2024-03-04T08:15:00.000
        times = dates.str.extract(r"[ T](\d{1,2}:\d{2})", expand=False).fillna("")
    codes, distinct = pd.factorize(times)
    out["time"] = text_column([parse_time(t) for t in distinct], codes)
    out["meal"] = col("meal")
    out["category"] = col("category")  # Cronometer's food category ("Supplements")
    food = col("food_text")
    out["food_text"] = food.str.slice(0, MAX_TEXT)
    # one amount column ("1 cup"), or a number and a unit in two columns
    quantity = col("amount_text")
    split = (col("amount") + " " + col("unit")).str.strip()
    if decimal_comma:  # "1,5 cup" in a semicolon-separated European file is 1.5 cups
        quantity = quantity.str.replace(r"(\d),(\d)", r"\1.\2", regex=True)
        split = split.str.replace(r"(\d),(\d)", r"\1.\2", regex=True)
    out["amount_text"] = quantity.where(quantity.ne(""), split)
    food_id = col("food_id")
    if food_id.ne("").any():  # ids written without leading zeros get them back
        food_id = food_id.where(~food_id.str.fullmatch(r"\d{1,5}"), food_id.str.zfill(5))
    out["food_id"] = food_id
    out["status"] = ""
    reason = date_problem.copy()
    long_text = food.str.len() > MAX_TEXT
    reason = reason.where(~long_text | reason.ne(""), "food text longer than 300 characters")
    for header, (nid, factor) in nutrient_columns.items():
        values, bad = parse_numbers(chunk[header], decimal_comma)
        out[nid] = values * factor
        if bad.any():
            note = f"'{header}' is not a number; read as unknown"
            reason = reason.where(~bad | reason.ne(""), note)
    if spec.name == "opennutritracker" and nutrient_columns:
        reason = _scale_per_100(out, col("amount"), col("unit"), nutrient_columns, reason)
    out["reason"] = reason
    out.loc[date_problem.ne(""), "status"] = "rejected"
    if "__bad__" in chunk:
        out["status"] = "rejected"
        out["reason"] = chunk["__bad__"]
    if spec.name == "loseit":
        deleted = col("deleted").str.lower().isin(["true", "yes", "1", "y"])
        out.loc[deleted, ["status", "reason"]] = ["rejected", "marked deleted in Lose It!"]
    if spec.name == "cronometer_daily" and "completed" in source:
        open_day = col("completed").str.lower().isin(["false", "no", "0"])
        reason = out["reason"]
        out["reason"] = reason.where(~open_day | reason.ne(""), UNFINISHED_DAY)
    if spec.name == "cronometer_daily" and "group" in source:
        sub = col("meal").str.lower().ne("total")
        out.loc[sub, ["status", "reason"]] = [
            "rejected",
            "a group subtotal: the day's Total row is used instead",
        ]
    # a line with nothing in it is not a row anyone wrote
    blank = (
        chunk.drop(columns=[c for c in ("__line__", "__bad__") if c in chunk]).eq("").all(axis=1)
    )
    if "__bad__" in chunk:
        blank[:] = False
    return out.loc[~blank]


PER_100_UNITS = frozenset(["g", "gram", "grams", "ml", "milliliter", "milliliters", "millilitre"])


def _scale_per_100(out, amounts, units, nutrient_columns, reason) -> pd.Series:
    """Turn per-100 g (or 100 ml) values into values for the amount eaten, in place.

    Only an amount in grams or millilitres can be scaled; for any other unit (a serving,
    a piece) the values stay unknown, the reason says so, and the food table fills them.
    """
    amount = pd.to_numeric(amounts.str.replace(",", ".", regex=False), errors="coerce")
    scalable = units.str.lower().isin(PER_100_UNITS) & amount.ge(0)
    ids = [nid for nid, _ in nutrient_columns.values()]
    had_values = out[ids].notna().any(axis=1)
    for nid in ids:
        out[nid] = (out[nid] * amount / 100.0).where(scalable)
    lost = had_values & ~scalable
    note = "per-100 g values cannot be scaled for a unit that is not g or ml; read as unknown"
    return reason.where(~lost | reason.ne(""), note)


def _with_quantity_and_unit(diary: pd.DataFrame) -> pd.DataFrame:
    """Add the parsed ``quantity`` and ``unit`` of each amount, after ``amount_text``.

    Each distinct text is parsed once. An amount that cannot be read (or none) leaves
    ``quantity`` NaN and ``unit`` empty; resolving the entries says why.
    """
    from planner.amounts import read_amount

    texts = diary["amount_text"]
    codes, distinct = pd.factorize(texts)
    # cached: resolving the entries reads the same texts
    amounts = [read_amount(text) for text in distinct]
    quantity = [math.nan if isinstance(a, str) else a.quantity for a in amounts]
    at = diary.columns.get_loc("amount_text") + 1
    diary.insert(at, "quantity", np.array(quantity, dtype=float)[codes])
    unit = text_column(["" if isinstance(a, str) else a.unit for a in amounts], codes)
    diary.insert(at + 1, "unit", unit)
    return diary


def _apply_format_rules(diary: pd.DataFrame, spec: FormatSpec) -> pd.DataFrame:
    diary = diary.sort_values("source_row", kind="stable").reset_index(drop=True)
    if spec.level == "entry":
        nutrient_ids = [c for c in diary.columns if c in registry.ids()]
        has_values = diary[nutrient_ids].notna().any(axis=1) if nutrient_ids else False
        empty = diary["food_text"].eq("") & diary["food_id"].eq("") & ~has_values
        empty &= diary["status"].ne("rejected")
        diary.loc[empty, ["status", "reason"]] = ["rejected", "no food name"]
    return diary


def _empty(nutrient_columns: dict) -> pd.DataFrame:
    return pd.DataFrame(columns=CANONICAL + [nid for nid, _ in nutrient_columns.values()])


def _notes(spec: FormatSpec, nutrient_columns: dict, calcium_dv_mg: float) -> list[str]:
    notes = []
    carried = {nid for nid, _ in nutrient_columns.values()}
    if spec.name == "myfitnesspal" and "calcium_mg" in carried:
        notes.append(
            f"MyFitnessPal gives calcium as % of the Daily Value; read with "
            f"100% = {calcium_dv_mg:,.0f} mg (the 2016 label value; older labels used 1,000 mg)."
        )
    if "vitamin_d_ug" in carried and any("(IU)" in h for h in nutrient_columns):
        notes.append("Vitamin D in IU was converted to µg (40 IU = 1 µg).")
    if spec.level != "entry":
        notes.append(
            f"{spec.label} holds {spec.level} totals without foods: the analysis is by day, "
            "and nutrients the export does not carry are not in this export, not gaps."
        )
    missing = [n.name for n in registry.nutrients() if n.role == "panel" and n.id not in carried]
    if spec.export is not None and missing and spec.level == "entry" and carried:
        notes.append(
            "The export does not carry " + ", ".join(missing) + "; those come from the food table."
        )
    return notes
