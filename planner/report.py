"""Render a :class:`planner.analysis.GapReport` as a terminal report or as JSON.

The JSON schema is stable and documented in the README (``schema_version`` changes when
a key is renamed or removed; new keys may be added). Unknown values are ``null``, never
zero.
"""

from __future__ import annotations

import math

import pandas as pd

from planner import __version__
from planner.analysis import GapReport
from planner.entries import iso_dates
from planner.limits import limit_findings
from planner.render import NOT_MEDICAL_ADVICE, clip, fmt_number, rows_table, table, wrap
from planner.sources import (
    UL_FORM_WORDS,
    fill_lines,
    fills_json,
    supplement_lines,
    supplements_json,
)

SCHEMA_VERSION = 1

STATUS_WORDS = {
    "below": "below",
    "met": "met",
    "above_ul": "ABOVE UL",
    "above_cdrr": "above CDRR",
    "unknown": "unknown",
    "not_in_export": "not in this export",
    "doctor_sets": "doctor's call",
}
KIND_WORDS = {"given": "yours", "eer_2023": "EER", "dga_default": "estimate"}

# The article's advice beyond food, in planner's own words.
ADVICE = [
    (
        "Fluids",
        "Drink regularly through the day, and more in heat or when you exercise: losing "
        "water and salts through sweat is a common trigger of cramps.",
    ),
    (
        "Stretching",
        "Gentle stretches of the calf and foot before exercise and at bedtime can help. "
        "During a cramp, stretch and massage the muscle; warmth (a warm bath or heating "
        "pad) or a cold pack may ease it.",
    ),
    (
        "See a doctor",
        "if cramps are persistent, severe or do not improve with self-care; if they come "
        "with swelling, redness or skin changes around the area; if you notice muscle "
        "weakness; or if they started after a new medication.",
    ),
    (
        "Supplements",
        "are not suggested by planner. A supplement is a question for a doctor or "
        "pharmacist: too much can do harm and some interact with medicines.",
    ),
    (
        "Medicines",
        "such as diuretics (water tablets) for high blood pressure can change the body's "
        "potassium, magnesium and calcium. If you take one, talk to your prescriber "
        "before changing your diet around these minerals.",
    ),
]


def _clean(value):
    """JSON-safe scalar: NaN becomes None, numpy types become Python types."""
    if value is None:
        return None
    if isinstance(value, float | int) and not isinstance(value, bool):
        return None if isinstance(value, float) and math.isnan(value) else value
    if hasattr(value, "item"):
        return _clean(value.item())
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value


def _round(value, digits: int = 4):
    value = _clean(value)
    return round(value, digits) if isinstance(value, float) else value


def nutrient_label(nid: str, report: GapReport) -> str:
    row = report.nutrients.loc[nid]
    return f"{row['name']} ({row['unit']})"


# --- JSON --------------------------------------------------------------------------------


def report_json(report: GapReport, suggestions: dict | None = None) -> dict:
    """The analysis as a JSON-ready dict (see the README for the schema)."""
    n = report.nutrients
    nutrients = [
        {
            "id": nid,
            "name": r["name"],
            "unit": r["unit"],
            "mean_intake": _round(r["mean_intake"]),
            "target": _round(r["target"]),
            "target_kind": r["kind"],
            "percent_of_target": _round(r["percent_of_target"], 1),
            "ul": _round(r["ul"]),
            "ul_kind": "CDRR" if nid == "sodium_mg" else "UL",
            "ul_applies_to_food": bool(r["ul_applies"]),
            "ul_covers": r["ul_covers"],
            "status": r["status"],
            "days": int(r["days"]),
            "days_met": int(r["days_met"]),
            "days_below": int(r["days_below"]),
            "days_above_ul": int(r["days_above_ul"]),
            "completeness": _round(r["completeness"], 3),
            "energy_completeness": _round(r["energy_completeness"], 3),
            "lower_bound": bool(r["lower_bound"]),
            "in_export": bool(r["in_export"]),
            "mean_intake_food": _round(r["mean_intake_food"]),
            "mean_intake_supplements": _round(r["mean_intake_supplements"]),
            "ul_checked_on": r["ul_form"] if r["ul_applies"] else None,
            "mean_ul_intake": _round(r["mean_ul_intake"]),
        }
        for nid, r in n.iterrows()
    ]
    days = _days_json(report.days)
    gaps = [
        {
            "id": r.nutrient,
            "name": r.name,
            "unit": r.unit,
            "mean_intake": _round(r.mean_intake),
            "target": _round(r.target),
            "shortfall": _round(r.shortfall),
            "percent_of_target": _round(r.percent_of_target, 1),
            "days_below": int(r.days_below),
            "completeness": _round(r.completeness, 3),
            "maybe_data_gap": bool(r.maybe_data_gap),
        }
        for r in report.gaps.itertuples()
    ]
    top = {}
    for nid, grp in report.top_foods.groupby("nutrient", sort=False):
        top[nid] = [
            {
                "food_id": r.food_id or None,
                "food": r.food,
                "amount": _round(r.amount),
                "share": _round(r.share, 3),
            }
            for r in grp.itertuples()
        ]
    acc = report.accounting
    out = {
        "schema_version": SCHEMA_VERSION,
        "planner_version": __version__,
        "disclaimer": NOT_MEDICAL_ADVICE,
        "profile": profile_json(report),
        "diary": {
            "path": report.entries.attrs.get("path"),
            "format": report.entries.attrs.get("format"),
            "level": report.entries.attrs.get("level"),
            "nutrients_in_export": report.entries.attrs.get("nutrients", []),
            "recompute": bool(report.entries.attrs.get("recompute", False)),
        },
        "period": report.period,
        "accounting": {
            "rows": acc.rows,
            "used": acc.used,
            "flagged": acc.flagged,
            "rejected": acc.rejected,
            "by_status": acc.by_status,
        },
        "nutrients": nutrients,
        "days": days,
        "gaps": gaps,
        "top_foods": top,
        "limits": [{k: v for k, v in f.items()} for f in limit_findings(report)],
        "supplements": supplements_json(report),
        "fills": fills_json(report),
        "rows": rows_json(report.entries),
        "notes": list(report.notes),
        "advice": [{"topic": t, "text": s} for t, s in ADVICE],
    }
    if suggestions is not None:
        out["suggestions"] = suggestions
    return out


def _json_column(values: pd.Series, digits: int | None = None) -> list:
    """A column as JSON-ready Python values: rounded floats, None for unknown."""
    if digits is not None:
        values = values.astype(float).round(digits)
    return [None if v != v else v for v in values.tolist()]  # NaN is the only v != v


def _days_json(days: pd.DataFrame) -> list[dict]:
    """Per day, the nutrients' intake, percent, status and completeness (column-wise)."""
    if days.empty:
        return []
    days = days.sort_values(["date", "nutrient"], kind="stable")
    columns = {
        "intake": _json_column(days["intake"], 4),
        "percent_of_target": _json_column(days["percent_of_target"], 1),
        "status": days["status"].tolist(),
        "completeness": _json_column(days["completeness"], 3),
        "lower_bound": days["lower_bound"].astype(bool).tolist(),
        "intake_food": _json_column(days["intake_food"], 4),
        "intake_supplements": _json_column(days["intake_supplements"], 4),
        "ul_intake": _json_column(days["ul_intake"], 4),
    }
    dates = [d.date().isoformat() for d in pd.to_datetime(days["date"])]
    nutrients = days["nutrient"].tolist()
    entries = days["entries"].astype(int).tolist()
    out: list[dict] = []
    for i, date in enumerate(dates):
        if not out or out[-1]["date"] != date:
            out.append({"date": date, "entries": entries[i], "nutrients": {}})
        out[-1]["nutrients"][nutrients[i]] = {k: v[i] for k, v in columns.items()}
    return out


def profile_json(report: GapReport) -> dict:
    p = report.profile
    return {
        "person": p.person,
        "age": p.age,
        "sex": p.sex,
        "pregnant": p.pregnant,
        "lactating": p.lactating,
        "energy_target_kcal": report.targets.energy.kcal,
        "energy_method": report.targets.energy.method,
    }


def rows_json(entries: pd.DataFrame) -> list[dict]:
    """Every row that was not used: flagged and rejected rows with their reasons."""
    rows = entries[entries["status"].ne("matched")]
    return [
        {
            "source_row": int(r.source_row),
            "date": _clean(r.date) if pd.notna(r.date) else None,
            "food_text": r.food_text,
            "amount_text": r.amount_text,
            "status": r.status,
            "food_id": r.food_id or None,
            "reason": r.reason,
        }
        for r in rows.itertuples()
    ]


# --- terminal ----------------------------------------------------------------------------


def render_report(report: GapReport, suggestions_text: str | None = None) -> str:
    """The analysis as the terminal report."""
    out = [f"planner analysis: {report.describe()}", _accounting_line(report), ""]
    out += _summary_table(report)
    out += _limits_section(report)
    out += _section(supplement_lines(report))
    out += ["", *_gaps_section(report)]
    out += _top_foods_section(report)
    out += _review_section(report)
    out += _section(fill_lines(report))
    if suggestions_text:
        out += ["", suggestions_text]
    out += ["", *_notes_section(report)]
    out += ["", *_advice_section()]
    out += ["", wrap(NOT_MEDICAL_ADVICE)]
    return "\n".join(out)


def _section(lines: list[str]) -> list[str]:
    return ["", *lines] if lines else []


def _limits_section(report: GapReport) -> list[str]:
    """The upper limits the diary passes, on its known values: reported before the gaps."""
    found = limit_findings(report)
    if not found:
        return []
    lines = ["", "Above an upper limit"]
    lines += [wrap(f["text"], indent="- ", hang="  ") for f in found]
    return lines


def _accounting_line(report: GapReport) -> str:
    a = report.accounting
    attrs = report.entries.attrs
    return wrap(
        f"Diary: {attrs.get('path', 'diary')} ({attrs.get('label', 'diary')}), {a.rows:,} rows: "
        f"{a.used:,} used, {a.flagged:,} flagged for review, {a.rejected:,} rejected."
    )


def _percent(value) -> str:
    return (
        "—"
        if value is None or (isinstance(value, float) and math.isnan(value))
        else f"{value:.0f}%"
    )


TARGET_HEADERS = (
    "nutrient", "mean/day", "unit", "target", "kind", "of target", "UL", "status",
    "days short", "data",
)  # fmt: skip
TARGET_NUMERIC = (1, 3, 5, 6, 8, 9)
LOWER_BOUND_NOTE = (
    "≥: a lower bound; some entries have no value for this nutrient ('data' is the share "
    "of entries with a value), so the true intake may be higher."
)
CDRR_NOTE = (
    "†: sodium has no UL; the ceiling shown is the chronic-disease risk reduction intake (CDRR)."
)


def target_rows(report: GapReport) -> tuple[list[list[str]], list[str], list[str]]:
    """The table of the average day against the targets, as the terminal and the HTML
    report show it: rows of cells (:data:`TARGET_HEADERS`), each row's status id, and the
    footnotes its marks need (≥ lower bounds, * ULs on one form, † the sodium CDRR)."""
    rows, statuses = [], []
    any_lower = False
    forms: list[str] = []
    for nid, r in report.nutrients.iterrows():
        lower = bool(r["lower_bound"]) and r["status"] != "not_in_export"
        any_lower |= lower
        mean = fmt_number(r["mean_intake"])
        if lower and mean != "—":
            mean = "≥" + mean
        ul = fmt_number(r["ul"])
        if r["ul_form"] != "total" and ul != "—":
            ul += "*"
            forms.append(_form_note(r))
        elif nid == "sodium_mg" and ul != "—":
            ul += "†"
        days_short = f"{int(r['days_below'])}/{int(r['days'])}" if r["days"] else "—"
        complete = "—" if r["status"] == "not_in_export" else _percent(100 * r["completeness"])
        rows.append(
            [
                r["name"],
                mean,
                r["unit"],
                fmt_number(r["target"]),
                KIND_WORDS.get(r["kind"], r["kind"]),
                _percent(r["percent_of_target"]),
                ul,
                STATUS_WORDS.get(r["status"], r["status"]),
                days_short,
                complete,
            ]
        )
        statuses.append(r["status"])
    notes = [LOWER_BOUND_NOTE] if any_lower else []
    if forms:
        notes.append(
            "*: this UL covers one source or form only and is checked on it: "
            + "; ".join(forms)
            + "."
        )
    if "sodium_mg" in report.nutrients.index:
        notes.append(CDRR_NOTE)
    return rows, statuses, notes


def _summary_table(report: GapReport) -> list[str]:
    rows, _, notes = target_rows(report)
    lines = ["Your average day against your targets", ""]
    lines.append(table(rows, list(TARGET_HEADERS), right=list(TARGET_NUMERIC)))
    lines.append("")
    lines += [wrap(n) if not n.startswith("†") else n for n in notes]
    return lines


def _form_note(r: pd.Series) -> str:
    """'Magnesium: supplements only, 400 mg a day here'."""
    words = UL_FORM_WORDS[r["ul_form"]]
    if not r["ul_applies"]:
        return f"{r['name']}: {words}, which this export cannot tell apart, so not checked"
    unit = "µg" if r["ul_form"] == "folic_acid" else r["unit"]
    amount = fmt_number(r["mean_ul_intake"])
    return f"{r['name']}: {words}, {amount} {unit} a day here"


def _gaps_section(report: GapReport) -> list[str]:
    gaps = report.gaps
    if gaps.empty:
        missing = report.nutrients[report.nutrients["status"].eq("not_in_export")]
        lines = ["Gaps: none. Your average day meets every target planner checks."]
        if not missing.empty:
            names = ", ".join(missing["name"])
            lines.append(wrap(f"Not in this export, so not checked: {names}."))
        return lines
    lines = ["Gaps, largest first"]
    counted = _counted_share(report)
    if counted < 1:
        lines.append(
            wrap(
                f"Every total is a lower bound: {1 - counted:.0%} of the entries could not be "
                "counted (see 'Rows to review'), so part of each gap may be missing data."
            )
        )
    for i, g in enumerate(gaps.itertuples(), start=1):
        days = report.nutrients.loc[g.nutrient, "days"]
        line = (
            f"{i:>2}. {g.name}: {fmt_number(g.mean_intake)} of {fmt_number(g.target)} {g.unit} "
            f"a day ({g.percent_of_target:.0f}%), short on {g.days_below} of {days} days"
        )
        lines.append(line)
        unknown = counted - g.completeness  # counted entries whose food has no value
        if unknown > 0.005:
            lines.append(
                wrap(
                    f"{unknown:.0%} of the entries are foods with no {g.name} value in the "
                    "food data: this total is a lower bound",
                    indent="    ",
                )
            )
    not_in = report.nutrients[report.nutrients["status"].eq("not_in_export")]
    if not not_in.empty:
        lines.append(wrap(f"Not in this export, so not checked: {', '.join(not_in['name'])}."))
    return lines


def _counted_share(report: GapReport) -> float:
    """The share of the (non-rejected) entries that were counted in the totals."""
    a = report.accounting
    return a.used / (a.used + a.flagged) if a.used + a.flagged else 1.0


def _top_foods_section(report: GapReport) -> list[str]:
    if report.gaps.empty or report.top_foods.empty:
        return []
    lines = ["", "Where your gap nutrients come from now (over the whole period)"]
    for g in report.gaps.itertuples():
        foods = report.top_foods[report.top_foods["nutrient"].eq(g.nutrient)]
        if foods.empty:
            lines.append(f"  {g.name}: no food with a known value")
            continue
        parts = [f"{clip(f.food, 38)} {f.share:.0%}" for f in foods.itertuples()]
        lines.append(wrap(f"{g.name}: " + "; ".join(parts), indent="  ", hang="    "))
    return lines


def _review_section(report: GapReport, limit: int = 10) -> list[str]:
    rows = report.entries[report.entries["status"].ne("matched")]
    if rows.empty:
        return []
    lines = ["", f"Rows to review ({len(rows):,}): not counted in the totals above"]
    lines += rows_table(rows, limit, "all of them in --out-dir or --json", widths=(30, 14, 60))
    lines.append(
        wrap(
            "Fix a food match with --map FILE (a CSV of food_text,food_id; find ids with "
            "'planner foods search')."
        )
    )
    return lines


def _notes_section(report: GapReport) -> list[str]:
    return [wrap(f"Note: {note}") for note in report.notes]


def _advice_section() -> list[str]:
    lines = ["Beyond food"]
    for topic, text in ADVICE:
        lines.append(wrap(f"- {topic}: {text}", hang="  "))
    return lines


# --- files ---------------------------------------------------------------------------------


def _cohort_table(reports: dict[str, GapReport], name: str) -> pd.DataFrame | None:
    """The all-people table ``name`` when every report was scored in one cohort."""
    cohorts = {id(r._cohort) for r in reports.values()}
    first = next(iter(reports.values()))._cohort
    if len(cohorts) != 1 or first is None:
        return None
    table = first[name]
    if set(table["person"].unique()) != set(reports):
        table = table[table["person"].isin(list(reports))]
    return table


def cohort_entries(reports: dict[str, GapReport]) -> pd.DataFrame | None:
    """Every report's entries as one table, in diary order, when they were scored together
    (None when they were not: concatenate each report's)."""
    return _cohort_table(reports, "entries")


def summary_frame(reports: dict[str, GapReport]) -> pd.DataFrame:
    """One row per person and nutrient over the period, as written to ``summary.csv``."""
    table = _cohort_table(reports, "nutrients")
    if table is None:
        frames = [r.nutrients.reset_index() for r in reports.values()]
        table = pd.concat(frames, keys=list(reports), names=["person", None])
        table = table.reset_index(level=0).reset_index(drop=True)
    return table.rename(columns={"nutrient": "id"}).reset_index(drop=True)


def daily_frame(reports: dict[str, GapReport]) -> pd.DataFrame:
    """One row per person, day and nutrient, as written to ``daily.csv``."""
    table = _cohort_table(reports, "days")
    if table is None:
        table = pd.concat([r.days for r in reports.values()], keys=list(reports),
                          names=["person", None])  # fmt: skip
        table = table.reset_index(level=0)
    table = table.reset_index(drop=True)
    return table.assign(date=iso_dates(table["date"]))


COHORT_HEADERS = ["person", "profile", "days", "rows used", "gaps (mean % of target)"]


def render_cohort(reports: dict[str, GapReport], where: str = "--json and --out-dir") -> str:
    """A compact table for a diary of many people: one line each, with their gaps.

    ``where`` says where each person's full report went (the dask engine has no --json).
    """
    rows = []
    counts = {"people": len(reports), "with_gaps": 0}
    for person, report in reports.items():
        gaps = report.gaps
        counts["with_gaps"] += not gaps.empty
        first = gaps.head(4)  # columns, not itertuples: a namedtuple class per person is slow
        shown = ", ".join(
            f"{name} {percent:.0f}%"
            for name, percent in zip(first["name"], first["percent_of_target"], strict=True)
        )
        if len(gaps) > 4:
            shown += f", +{len(gaps) - 4} more"
        a = report.accounting
        rows.append([person, report.profile.describe().split(": ", 1)[-1],
                     report.period["days"], f"{a.used:,}/{a.rows:,}", shown or "none"])  # fmt: skip
    lines = [
        f"planner analysis: {counts['people']:,} people, {counts['with_gaps']:,} with gaps",
        "",
        table(rows, COHORT_HEADERS, right=[2, 3]),
        "",
        wrap(
            "Each person's full report (nutrients, days, gaps, top foods, rows to review) is "
            f"in {where}; 'planner analyze' on one person's rows prints it here."
        ),
        "",
        wrap(NOT_MEDICAL_ADVICE),
    ]
    return "\n".join(lines)
