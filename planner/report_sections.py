"""The sections of the HTML report, each made from the analysis's own result objects.

Each function returns a :class:`planner.page.Section` of plain blocks; nothing here
scores anything again. The numbers come from the :class:`~planner.analysis.GapReport`
(as ``planner analyze`` prints them), the :class:`~planner.suggest.AddonResult` and the
ranked foods (as ``planner suggest``), the :class:`~planner.plan.MealPlan` (as
``planner plan``), and the charts from :mod:`planner.charts`. Every chart has an
alternative text built from the same numbers, for readers who cannot see it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from planner import nutrients as registry
from planner.inline_svg import figure_svg
from planner.page import Cell, Chart, Facts, Items, Note, Section, Table, Text
from planner.render import NOT_MEDICAL_ADVICE, fmt_number
from planner.report import (
    ADVICE,
    STATUS_WORDS,
    TARGET_HEADERS,
    TARGET_NUMERIC,
    target_rows,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from planner.analysis import GapReport
    from planner.candidates import Restrictions
    from planner.plan import MealPlan
    from planner.suggest import AddonResult

REVIEW_ROWS = 200  # rows to review listed per person; `planner entries -o` writes them all
COHORT_ROWS = 5000  # people listed in a cohort's table; --json and --out-dir have them all
ROW_STATUS = {"low_confidence": "low confidence", "unmatched": "unmatched", "rejected": "rejected"}


@dataclass
class Context:
    """What the sections of every person share: restrictions, suggestions, chart count."""

    restrictions: Restrictions
    suggest: bool
    suggestions: dict
    plans: dict
    charts: int = 0

    def chart(self, draw: Callable[[], Figure], alt: str, caption: str) -> Chart:
        """The figure ``draw()`` makes, as an inline SVG whose ids are unique in the page.

        Food and person names from the user's files are drawn as plain text: with
        matplotlib's default, two ``$`` in a name start mathtext, which can fail to parse
        (``$\\frac{$ cake``) and would stop the whole report.
        """
        import matplotlib as mpl

        self.charts += 1
        with mpl.rc_context({"text.parse_math": False}):
            return Chart(figure_svg(draw(), f"chart{self.charts}"), alt, caption)

    def addon(self, person: str, report: GapReport) -> tuple[pd.DataFrame, AddonResult]:
        """The person's ranked foods and add-on, made once."""
        if person not in self.suggestions:
            from planner.suggest import rank_foods, suggest_addon

            ranked = rank_foods(report, self.restrictions)
            self.suggestions[person] = (ranked, suggest_addon(report, self.restrictions))
        return self.suggestions[person]

    def plan(self, person: str, report: GapReport) -> MealPlan | None:
        """A planned day for the person's profile (one per distinct profile), or None.

        With kidney disease there is none: the planner still aims at the general
        potassium intake, which is the doctor's call here.
        """
        if self.restrictions.kidney_disease:
            return None
        if person not in self.plans:
            from planner.plan import plan_days

            profile = replace(report.profile, person=None, source=None)
            same = [p for p in self.plans.values() if p is not None and p.profile == profile]
            self.plans[person] = same[0] if same else plan_days(profile, 1, self.restrictions)
        return self.plans[person]


# --- one person ----------------------------------------------------------------------------


def overview(report: GapReport, restrictions: Restrictions) -> Section:
    """Who, the period, the energy target, the diary and the gaps at a glance."""
    attrs = report.entries.attrs
    energy = report.targets.energy
    facts = [
        ("Profile", report.profile.describe()),
        ("Period", _period(report)),
        ("Energy target", f"{energy.kcal:,.0f} kcal a day ({energy.detail})"),
        ("Diary", f"{attrs.get('path', 'diary')} ({attrs.get('label', 'diary')})"),
        ("Restrictions", restrictions.describe()),
    ]
    if restrictions.on_diuretics:
        facts.append(("Medicines", "diuretics"))
    gaps = report.gaps
    glance = (
        "Gaps, largest first: "
        + "; ".join(f"{g.name} {g.percent_of_target:.0f}% of the target" for g in gaps.itertuples())
        + "."
        if not gaps.empty
        else no_gaps(report)
    )
    blocks = [Facts(facts), Text(glance), *_health_notes(restrictions)]
    return Section("overview", "Who, when and what", blocks)


def _health_notes(restrictions: Restrictions) -> list[Note]:
    from planner.analysis import KIDNEY_NOTE

    notes = []
    if restrictions.kidney_disease:
        notes.append(Note(KIDNEY_NOTE, tone="warning"))
    if restrictions.on_diuretics:
        notes.append(Note(dict(ADVICE)["Medicines"], lead="Medicines", tone="warning"))
    return notes


def _period(report: GapReport) -> str:
    p = report.period
    if not p["days"]:
        return "no days"
    span = p["start"] if p["start"] == p["end"] else f"{p['start']} to {p['end']}"
    return f"{span} ({p['days']} day{'s' * (p['days'] != 1)})"


def rows_accounted(report: GapReport) -> Section:
    """Every row of the diary: used, flagged for review or rejected, exactly once."""
    a = report.accounting
    by = a.by_status
    rows = [
        ["Used", f"{a.used:,}", "matched to a food (or totals from the export): counted"],
        [
            "Flagged for review",
            f"{a.flagged:,}",
            f"{by['low_confidence']:,} low-confidence match(es), {by['unmatched']:,} unmatched: "
            "not counted (see 'Rows to review')",
        ],
        [
            "Rejected",
            f"{a.rejected:,}",
            "cannot be used (no or impossible date, deleted, a "
            "subtotal, a malformed line): not counted",
        ],
        ["All rows", f"{a.rows:,}", "used + flagged + rejected"],
    ]
    table = Table(
        "What became of each row of the diary", ["outcome", "rows", "meaning"], rows, numeric=(1,)
    )
    path = report.entries.attrs.get("path", "the diary")
    whose = (
        f"{a.rows:,} rows of {path} are this person's"
        if report.profile.person
        else (f"{path}: {a.rows:,} rows")
    )
    text = Text(f"{whose}; every row ends in exactly one outcome.")
    return Section("rows", "Rows accounted for", [text, table])


def targets(report: GapReport, context: Context) -> Section:
    """The coverage chart and the terminal report's table of the average day."""
    from planner.charts import plot_coverage

    chart = context.chart(
        lambda: plot_coverage(report),
        _coverage_alt(report),
        "Each nutrient's mean intake as a percent of its daily target, lowest first. "
        "Hatched, lighter bars are lower bounds; diamonds mark upper limits that apply to food.",
    )
    cells, statuses, footnotes = target_rows(report)
    rows = [
        [*row[:7], Cell(row[7], status=status), *row[8:]]
        for row, status in zip(cells, statuses, strict=True)
    ]
    table = Table(
        "The average day against the targets",
        ["mean a day" if h == "mean/day" else h for h in TARGET_HEADERS],
        rows,
        numeric=TARGET_NUMERIC,
        footnotes=footnotes,
    )
    return Section("targets", "Your average day against your targets", [chart, table], major=True)


def _percent(value) -> str:
    return "—" if value is None or math.isnan(value) else f"{value:.0f}%"


def panel_ids() -> list[str]:
    return [n.id for n in registry.nutrients() if n.role == "panel"]


def lowest_first(report: GapReport) -> pd.DataFrame:
    """The panel nutrients in the coverage chart's order: lowest percent first."""
    panel = report.nutrients.loc[panel_ids()]
    return panel.sort_values("percent_of_target", kind="stable", na_position="last")


def _reading(r) -> str:
    """One nutrient as the coverage chart shows it: '≥14% of the target (below)'."""
    at_least = "at least " if r["lower_bound"] else ""
    if r["status"] == "not_in_export":
        return "not in this export"
    if math.isnan(r["mean_intake"]):
        return "no value"
    if r["status"] == "doctor_sets":
        return f"{at_least}{fmt_number(r['mean_intake'])} {r['unit']}, your doctor's call"
    status = STATUS_WORDS.get(r["status"], r["status"])
    return f"{at_least}{r['percent_of_target']:.0f}% of the target ({status})"


def _coverage_alt(report: GapReport) -> str:
    parts = [f"{r['name']} {_reading(r)}" for _, r in lowest_first(report).iterrows()]
    return (
        "Bar chart of the average day's intake of each nutrient as a percent of its daily "
        f"target, lowest first: {'; '.join(parts)}. A dashed line marks 100%."
    )


def daily(report: GapReport, context: Context) -> Section:
    """The heatmap of each day against the targets."""
    from planner.charts import plot_daily

    rows = lowest_first(report)
    short = [
        f"{r['name']} {int(r['days_below'])} of {int(r['days'])}"
        for _, r in rows.iterrows()
        if r["days_below"]
    ]
    alt = (
        f"Heatmap of {report.period['days']} days (columns) by {len(rows)} nutrients (rows); "
        "each cell is the day's intake as a percent of the target, brown below 100% and "
        "green above. Days below target: " + ("; ".join(short) if short else "none") + "."
    )
    caption = (
        "Each day's intake of each nutrient as a percent of its target: brown below, white "
        "at 100%, green above; grey hatched cells are days with no value."
    )
    chart = context.chart(lambda: plot_daily(report), alt, caption)
    return Section("daily", "Each day against its targets", [chart], major=True)


def gaps(report: GapReport, context: Context) -> Section:
    """The gaps, largest first, the foods they come from now, and the contributors chart."""
    from planner.charts import plot_contributors

    title = "Gaps, largest first"
    gaps = report.gaps
    not_in = report.nutrients[report.nutrients["status"].eq("not_in_export")]
    missing = (
        [Text(f"Not in this export, so not checked: {', '.join(not_in['name'])}.")]
        if not not_in.empty
        else []
    )
    if gaps.empty:
        return Section("gaps", title, [Text(no_gaps(report)), *missing], major=True)
    blocks = []
    a = report.accounting
    counted = a.used / (a.used + a.flagged) if a.used + a.flagged else 1.0
    if counted < 1:
        blocks.append(
            Text(
                f"Every total is a lower bound: {1 - counted:.0%} of the entries could not be "
                "counted (see 'Rows to review'), so part of each gap may be missing data."
            )
        )
    items = []
    for g in gaps.itertuples():
        days = int(report.nutrients.loc[g.nutrient, "days"])
        text = (
            f"{fmt_number(g.mean_intake)} of {fmt_number(g.target)} {g.unit} a day "
            f"({g.percent_of_target:.0f}%), short on {g.days_below} of {days} days."
        )
        unknown = counted - g.completeness  # counted entries whose food has no value
        if unknown > 0.005:
            text += (
                f" {unknown:.0%} of the entries are foods with no {g.name} value in the "
                "food data: this total is a lower bound."
            )
        items.append((f"{g.name}:", text))
    blocks += [Items(items, ordered=True), *missing]
    top = report.top_foods
    if not top.empty:
        rows = []
        for g in gaps.itertuples():
            foods = top[top["nutrient"].eq(g.nutrient)].sort_values("rank").head(5)
            cells = [f"{f.food} ({f.share:.0%})" for f in foods.itertuples()]
            rows.append([g.name, *cells, *[""] * (5 - len(cells))])
        headers = ["nutrient", "largest source", "2nd", "3rd", "4th", "5th"]
        caption = "Where your gap nutrients come from now: share of the period's intake"
        blocks.append(Table(caption, headers, rows))
        blocks.append(
            context.chart(
                lambda: plot_contributors(report),
                _contributors_alt(report),
                "For each gap, the foods that gave the most of it over "
                "the period, as shares of the intake.",
            )
        )
    return Section("gaps", title, blocks, major=True)


def no_gaps(report: GapReport) -> str:
    """What to say when there is no gap: none, or nothing that could be scored."""
    if not report.period["days"]:
        return (
            "No day of the diary could be scored (see 'Rows to review'): there are no totals "
            "to hold against the targets, and so no gaps."
        )
    panel = report.nutrients.loc[panel_ids()]
    unknown = panel[panel["status"].eq("unknown")]
    text = "No gaps: the average day meets every target planner checks"
    if not unknown.empty:
        return f"{text} that has a value (none for {', '.join(unknown['name'])})."
    return f"{text}."


def _contributors_alt(report: GapReport) -> str:
    parts = []
    for g in report.gaps.itertuples():
        foods = report.top_foods[report.top_foods["nutrient"].eq(g.nutrient)]
        shares = ", ".join(
            f"{f.food} {f.share:.0%}" for f in foods.sort_values("rank").itertuples()
        )
        parts.append(f"{g.name}: {shares or 'no food with a known value'}")
    return (
        "Stacked bars, one per gap nutrient, of the shares of the period's intake from the "
        f"foods that gave the most: {'; '.join(parts)}."
    )


def review(report: GapReport) -> Section:
    """Every row not counted, with its reason."""
    rows = report.entries[report.entries["status"].ne("matched")]
    title = "Rows to review"
    if rows.empty:
        return Section("review", title, [Text("None: every row of the diary was used.")])
    shown = [
        [
            str(r.source_row),
            _date(r.date),
            str(r.food_text),
            str(r.amount_text),
            ROW_STATUS.get(r.status, r.status),
            str(r.reason),
        ]
        for r in rows.head(REVIEW_ROWS).itertuples()
    ]
    caption = f"{len(rows):,} row(s) not counted in the totals, with the reason"
    table = Table(
        caption,
        ["row", "date", "food", "amount", "status", "reason"],
        shown,
        numeric=(0,),
        nowrap=(1, 3, 4),
    )
    blocks = [table]
    if len(rows) > REVIEW_ROWS:
        blocks.append(
            Text(
                f"... and {len(rows) - REVIEW_ROWS:,} more: 'planner entries DIARY "
                "-o FILE' writes every row with its reason."
            )
        )
    blocks.append(
        Text(
            "Fix a food match with --map FILE (a CSV of food_text,food_id; find ids "
            "with 'planner foods search')."
        )
    )
    return Section("review", title, blocks)


def _date(value) -> str:
    return "—" if value is None or value != value else str(value)[:10]


def notes(report: GapReport, restrictions: Restrictions) -> Section | None:
    """The analysis's notes on the data and the targets (None when there are none)."""
    from planner.analysis import KIDNEY_NOTE

    # the kidney note is at the top of the person's report already
    shown = [n for n in report.notes if not (restrictions.kidney_disease and n == KIDNEY_NOTE)]
    if not shown:
        return None
    return Section("notes", "Notes on the data and the targets", [Items([("", n) for n in shown])])


# --- the whole page ----------------------------------------------------------------------------


def cohort(reports: dict[str, GapReport], people: list, shown: int) -> Section:
    """A diary of several people: one row each, and how often each nutrient is a gap."""
    ids = {p.title.removeprefix("Person: "): p.id for p in people}
    rows, gap_counts = [], {}
    for person, report in list(reports.items())[:COHORT_ROWS]:
        a = report.accounting
        gaps = ", ".join(f"{g.name} {g.percent_of_target:.0f}%" for g in report.gaps.itertuples())
        name = Cell(person, href=f"#{ids[person]}") if person in ids else person
        rows.append(
            [
                name,
                report.profile.describe().split(": ", 1)[-1],
                f"{report.period['days']:,}",
                f"{a.used:,}/{a.rows:,}",
                f"{a.flagged:,}",
                f"{a.rejected:,}",
                gaps or "none",
            ]
        )
    for report in reports.values():
        for nid in report.gaps["nutrient"]:
            gap_counts[nid] = gap_counts.get(nid, 0) + 1
    headers = [
        "person",
        "profile",
        "days",
        "rows used",
        "flagged",
        "rejected",
        "gaps (mean % of target)",
    ]
    n = len(reports)
    counts = [r.accounting for r in reports.values()]
    path = next(iter(reports.values())).entries.attrs.get("path", "the diary")
    blocks = [
        Text(
            f"{path}: {sum(a.rows for a in counts):,} rows for {n:,} people; "
            f"{sum(a.used for a in counts):,} used, {sum(a.flagged for a in counts):,} flagged "
            f"for review, {sum(a.rejected for a in counts):,} rejected."
        )
    ]
    if n > shown:
        blocks.append(
            Text(
                f"{n:,} people: a part per person, with charts and suggestions, is made for up to "
                f"{shown}. Each person's full results are in 'planner analyze --json' and "
                "'--out-dir'; 'planner report' on one person's rows makes their page."
            )
        )
    blocks.append(
        Table(
            "Each person: profile, rows and gaps", headers, rows, numeric=(2, 3, 4, 5), nowrap=(1,)
        )
    )
    if n > COHORT_ROWS:
        blocks.append(Text(f"The first {COHORT_ROWS:,} of {n:,} people are listed."))
    if gap_counts:
        order = sorted(gap_counts, key=gap_counts.get, reverse=True)
        prevalence = [
            [nutrient_name(nid), f"{gap_counts[nid]:,}", f"{gap_counts[nid] / n:.0%}"]
            for nid in order
        ]
        blocks.append(
            Table(
                "How many people have each gap",
                ["nutrient", "people", "share"],
                prevalence,
                numeric=(1, 2),
            )
        )
    return Section("people", "People", blocks)


def nutrient_name(nid: str) -> str:
    return registry.get(nid).name if nid in registry.ids() else nid


def closing() -> list[Section]:
    """The advice beyond food, the warning signs, and the not-medical-advice statement."""
    advice = dict(ADVICE)
    warning = Note(f"See a doctor {advice['See a doctor']}", lead="Warning signs", tone="warning")
    items = [(f"{topic}:", text) for topic, text in ADVICE if topic != "See a doctor"]
    beyond = Section(
        "beyond-food", "Beyond food, and when to see a doctor", [warning, Items(items)], major=True
    )
    statement = Section("not-medical-advice", "Not medical advice", [Text(NOT_MEDICAL_ADVICE)])
    return [beyond, statement]
