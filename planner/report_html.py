"""One HTML page to open and to send: the analysis, its charts, the add-on and a planned day.

:func:`render_report` takes what :func:`planner.analysis.analyze` returns (one
:class:`~planner.analysis.GapReport` per person) and gives one self-contained HTML page:
no script, no network, no other file. Charts are inline SVG (:mod:`planner.inline_svg`),
tables are real ``<table>`` elements with header cells, and a print stylesheet gives
clean pages. :func:`write_report` writes the page to a file.

The page is built in two steps, so that a new part of the report is a new function and
no change to the template:

1. :func:`report_page` gathers the facts into a :class:`planner.page.Page`: sections of
   blocks (paragraphs, lists, tables, charts, notes), per person and for the whole page,
   made by the functions of :mod:`planner.report_sections`.
2. The Jinja2 template ``planner/templates/report.html.j2`` renders the blocks by kind,
   with autoescaping on: food names come from the user's files and reach the page only
   as escaped text. The one piece of markup passed through is each chart's SVG drawing,
   which holds no text from the user (matplotlib draws text as glyph paths).

A diary of up to :data:`PEOPLE_SHOWN` people gets a part per person; a larger cohort
gets a summary table, as ``planner analyze`` prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from planner import report_sections as sections
from planner import report_suggestions
from planner.page import Page, Person
from planner.report_sections import Context

if TYPE_CHECKING:
    import pandas as pd

    from planner.analysis import GapReport
    from planner.candidates import Restrictions
    from planner.plan import MealPlan
    from planner.suggest import AddonResult

PEOPLE_SHOWN = 10  # a part per person up to this many, as `planner analyze` prints them


def render_report(
    reports: GapReport | Mapping[str, GapReport],
    restrictions: Restrictions | None = None,
    *,
    suggest: bool = True,
    suggestions: Mapping[str, tuple[pd.DataFrame, AddonResult]] | None = None,
    plans: Mapping[str, MealPlan] | None = None,
) -> str:
    """The analysis of a diary as one self-contained HTML page.

    Parameters
    ----------
    reports : GapReport or dict of str to GapReport
        As :func:`planner.analysis.analyze` returns them (person ``""`` for a diary of
        one person).
    restrictions : Restrictions, optional
        What the person does not eat, and the health flags. With ``kidney_disease``
        potassium is the doctor's call, as in ``planner analyze --kidney-disease``
        (:func:`planner.analysis.for_kidney_disease`).
    suggest : bool
        Include the add-on that closes the gaps and a suggested day of meals (made for
        diaries of up to :data:`PEOPLE_SHOWN` people).
    suggestions : dict, optional
        Per person, the ``(ranked, addon)`` pair of :func:`planner.suggest.rank_foods` and
        :func:`planner.suggest.suggest_addon`, if already made; missing ones are made.
    plans : dict, optional
        Per person, a :class:`planner.plan.MealPlan` already made; missing ones are made
        (one per distinct profile).

    Returns
    -------
    str
        The HTML page (UTF-8 text; no script, no reference outside the page).

    Examples
    --------
    >>> import pandas as pd
    >>> from planner.analysis import score_diary
    >>> from planner.targets import Profile
    >>> eaten = pd.DataFrame({"date": pd.to_datetime(["2024-01-01"]), "status": "matched",
    ...     "food_id": ["12014"], "description": "", "food_text": ["pumpkin <seeds>"],
    ...     "magnesium_mg": [168.0]})
    >>> html = render_report(score_diary(eaten, Profile(45, "female")), suggest=False)
    >>> html.startswith("<!DOCTYPE html>"), "pumpkin &lt;seeds&gt;" in html
    (True, True)
    """
    page = report_page(reports, restrictions, suggest=suggest, suggestions=suggestions, plans=plans)
    return _template().render(page=page)


def write_report(html: str, path) -> Path:
    """Write a page made by :func:`render_report` to ``path`` (UTF-8); return the path."""
    path = Path(path)
    path.write_text(html, encoding="utf-8")
    return path


def report_page(
    reports: GapReport | Mapping[str, GapReport],
    restrictions: Restrictions | None = None,
    *,
    suggest: bool = True,
    suggestions: Mapping[str, tuple[pd.DataFrame, AddonResult]] | None = None,
    plans: Mapping[str, MealPlan] | None = None,
) -> Page:
    """The :class:`planner.page.Page` that :func:`render_report` renders (same parameters)."""
    from planner.analysis import GapReport, for_kidney_disease
    from planner.candidates import Restrictions

    if isinstance(reports, GapReport):
        reports = {"": reports}
    if not reports:
        raise ValueError("no report to render")
    restrictions = restrictions or Restrictions()
    if restrictions.kidney_disease:  # idempotent: reports from the CLI have it already
        reports = {person: for_kidney_disease(r) for person, r in reports.items()}
    shown = len(reports) <= PEOPLE_SHOWN
    context = Context(restrictions, suggest and shown, dict(suggestions or {}), dict(plans or {}))
    cohort = list(reports) != [""]
    people = []
    if shown:
        for i, (person, report) in enumerate(reports.items(), start=1):
            prefix = f"p{i}-" if cohort else ""
            title = f"Person: {person}" if cohort else ""
            parts = person_sections(person, report, context, prefix)
            people.append(Person(f"p{i}" if cohort else "person", title, parts))
    opening = [sections.cohort(reports, people, PEOPLE_SHOWN)] if cohort else []
    subtitle = (
        next(iter(reports.values())).describe() if not cohort else (f"{len(reports):,} people")
    )
    return Page("planner report", subtitle, opening, people, sections.closing())


def person_sections(person: str, report: GapReport, context: Context, prefix: str = ""):
    """One person's sections, in the order of the page; ids start with ``prefix``."""
    parts = [
        sections.overview(report, context.restrictions),
        sections.rows_accounted(report),
        sections.targets(report, context),
        sections.daily(report, context),
        sections.gaps(report, context),
        sections.review(report),
    ]
    if context.suggest:
        ranked, addon = context.addon(person, report)
        parts.append(report_suggestions.addon(report, ranked, addon, context))
        parts.append(report_suggestions.planned_day(context.plan(person, report), context))
    else:
        parts.append(report_suggestions.not_suggested())
    parts.append(sections.notes(report, context.restrictions))
    parts = [part for part in parts if part is not None]
    for part in parts:
        part.id = prefix + part.id
    return parts


def _template():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("planner", "templates"),
        autoescape=True,  # every value is text to escape, whatever the template's name
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html.j2")
