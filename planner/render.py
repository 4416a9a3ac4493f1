"""Plain-text rendering helpers shared by the CLI reports."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence

NOT_MEDICAL_ADVICE = (
    "planner gives food guidance from published reference values, not medical advice. "
    "It cannot diagnose a deficiency or the cause of cramps; talk to a doctor or a "
    "registered dietitian about your own situation."
)


DUPLICATES_NOTE = (
    "Note: {n:,} row(s) repeat an earlier row exactly, time included. They are counted "
    "(people do eat the same thing twice); the reason column names the earlier row, in "
    "case one was copied by mistake."
)


def fmt_number(value: float | None, digits: int = 3) -> str:
    """Format a number for a table: ``—`` for unknown, at most ``digits`` significant figures.

    Examples
    --------
    >>> fmt_number(358.0), fmt_number(0.3671), fmt_number(float("nan")), fmt_number(2520.17)
    ('358', '0.367', '—', '2,520')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if abs(value) >= 999.5:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def table(
    rows: Iterable[Sequence[object]], headers: Sequence[str], right: Sequence[int] = ()
) -> str:
    """Render rows as an aligned text table; columns listed in ``right`` align right.

    Examples
    --------
    >>> print(table([["Magnesium", "320"]], ["Nutrient", "Target"], right=[1]))
    Nutrient   Target
    ---------  ------
    Magnesium     320
    """
    cells = [[str(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if i in right else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    out = [line(list(headers)), line(["-" * w for w in widths])]
    out += [line(row) for row in cells]
    return "\n".join(out)


def wrap(text: str, width: int = 88, indent: str = "", hang: str | None = None) -> str:
    """Wrap a paragraph for the terminal; ``hang`` indents the lines after the first."""
    later = indent if hang is None else hang
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=later)


def render_accounting(entries, limit: int = 20) -> str:
    """Say how the diary's rows ended, and list the rows to review or that were rejected."""
    from planner.entries import account

    counts = account(entries)
    attrs = entries.attrs
    lines = [
        f"{attrs.get('path', 'diary')}: {attrs.get('label', 'diary')}, {counts.rows:,} rows",
        f"  used      {counts.used:>7,}   (matched to a food, or totals from the export)",
        f"  flagged   {counts.flagged:>7,}   ({counts.by_status['low_confidence']:,} low "
        f"confidence, {counts.by_status['unmatched']:,} unmatched): not counted; review them",
        f"  rejected  {counts.rejected:>7,}   (cannot be used; reasons below)",
    ]
    if counts.duplicates:
        lines.append(wrap(DUPLICATES_NOTE.format(n=counts.duplicates)))
    for note in attrs.get("notes", []):
        lines.append(wrap(f"Note: {note}"))
    assumed = entries["status"].eq("matched") & entries.get(
        "amount_basis", pd_series_empty(entries)
    ).fillna("").ne("")
    for rows, title in (
        (entries[entries["status"].isin(("low_confidence", "unmatched"))], "Rows to review"),
        (entries[assumed], "Amounts read another way (counted; check them)"),
        (entries[entries["status"].eq("rejected")], "Rejected rows"),
    ):
        if rows.empty:
            continue
        lines += ["", f"{title} ({len(rows):,}):"]
        lines += rows_table(rows, limit, "write them all with -o FILE")
    return "\n".join(lines)


def pd_series_empty(frame):
    """An all-empty text column the length of ``frame`` (for tables without the column)."""
    import pandas as pd

    return pd.Series("", index=frame.index)


def rows_table(rows, limit: int, where_all: str, widths=(40, 16, 70)) -> list[str]:
    """The first ``limit`` diary rows as a table (row, food, amount, status, reason)."""
    food, amount, reason = widths
    shown = [
        [r.source_row, clip(r.food_text, food), clip(r.amount_text, amount), r.status,
         clip(r.reason, reason)]
        for r in rows.head(limit).itertuples()
    ]  # fmt: skip
    lines = [table(shown, ["row", "food", "amount", "status", "reason"], right=[0])]
    if len(rows) > limit:
        lines.append(f"... and {len(rows) - limit:,} more ({where_all})")
    return lines


def clip(text: object, width: int) -> str:
    """Shorten text to ``width`` characters, marking the cut with an ellipsis.

    Examples
    --------
    >>> clip("Milk, reduced fat, fluid", 12)
    'Milk, reduc…'
    """
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"
