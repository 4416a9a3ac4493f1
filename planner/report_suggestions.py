"""The report's sections on closing the gaps: the add-on and a suggested day of meals.

As :mod:`planner.report_sections`, from the result objects of ``planner suggest``
(:func:`planner.suggest.rank_foods`, :class:`planner.suggest.AddonResult`) and ``planner
plan`` (:class:`planner.plan.MealPlan`), with the charts of :mod:`planner.charts`.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

from planner.page import Cell, Items, Note, Section, Table, Text
from planner.render import fmt_number
from planner.report_sections import lowest_first, no_gaps, panel_ids

if TYPE_CHECKING:
    import pandas as pd

    from planner.analysis import GapReport
    from planner.plan import MealPlan
    from planner.report_sections import Context
    from planner.suggest import AddonResult


def addon(report: GapReport, ranked: pd.DataFrame, addon: AddonResult, context: Context):
    """The add-on that closes the gaps, what it does to them, and the before/after chart."""
    from planner.charts import plot_before_after
    from planner.suggest import SUPPLEMENT_NOTE

    title = "Foods that would close the gaps"
    # the kidney and diuretics notes ask for a health professional: shown as warnings
    notes = [Note(n, tone="info" if n == SUPPLEMENT_NOTE else "warning") for n in addon.notes]
    if addon.no_gaps:
        return Section("addon", title, [Text(f"{no_gaps(report)} No foods to add."), *notes])
    blocks = []
    foods = addon.foods
    if foods.empty:
        blocks.append(Text("No food from the allowed candidates helps within the limits."))
    else:
        kcal = foods["energy_kcal"].sum()
        blocks.append(
            Text(
                f"Add these {len(foods)} food(s) to an average day ({kcal:,.0f} kcal "
                f"of the {addon.kcal_room:,.0f} kcal allowed):"
            )
        )
        rows = [
            [f["name"], f["portion"], f"{f['grams']:.0f} g", f"{f['energy_kcal']:.0f}"]
            for _, f in foods.iterrows()
        ]
        blocks.append(
            Table("The add-on", ["food", "portion", "weight", "kcal"], rows, numeric=(2, 3))
        )
    rows = []
    for _, c in addon.closes.iterrows():
        result = "closed" if c["closed"] else f"open: {fmt_number(c['remaining'])} short"
        rows.append(
            [
                c["name"],
                _amount(c["before"], c["unit"]),
                _amount(c["after"], c["unit"]),
                _amount(c["target"], c["unit"]),
                Cell(result, status="met" if c["closed"] else "below"),
            ]
        )
    blocks.append(
        Table(
            "What the add-on does to each gap",
            ["nutrient", "now", "with the add-on", "target", "result"],
            rows,
            numeric=(1, 2, 3),
        )
    )
    reasons = [
        (f"{c['name']} stays open:", c["reason"])
        for _, c in addon.closes.iterrows()
        if not c["closed"] and c["reason"]
    ]
    if reasons:
        blocks.append(Items(reasons))
    blocks.append(
        context.chart(
            lambda: plot_before_after(report, addon),
            _before_after_alt(report, addon),
            "Each nutrient as a percent of its target: the diary's average day (grey) and the "
            "same day with the add-on (blue).",
        )
    )
    if not ranked.empty:
        blocks.append(_best_foods(report, ranked))
    return Section("addon", title, blocks + notes, major=True)


def _amount(value, unit: str) -> str:
    text = fmt_number(value)
    return f"{text} {unit}" if text != "—" else text


def _best_foods(report: GapReport, ranked: pd.DataFrame) -> Table:
    rows = []
    for nid, group in ranked.groupby("nutrient", sort=False):
        unit = report.nutrients.loc[nid, "unit"]
        cells = [
            f"{r.portion} {r.name}: {fmt_number(r.per_portion)} {unit} "
            + ("(closes it)" if r.share_of_gap >= 1 else f"({r.share_of_gap:.0%} of the gap)")
            for r in group.head(3).itertuples()
        ]
        rows.append([report.nutrients.loc[nid, "name"], *cells, *[""] * (3 - len(cells))])
    return Table(
        "Best single foods per gap (one typical portion)", ["nutrient", "best", "2nd", "3rd"], rows
    )


def _before_after_alt(report: GapReport, addon: AddonResult) -> str:
    foods = addon.foods
    names = ", ".join(f"{f['portion']} {f['name']}" for _, f in foods.iterrows()) or "no food"
    parts = []
    for nid, r in lowest_first(report).iterrows():
        if math.isnan(r["mean_intake"]) or r["status"] == "not_in_export":
            continue
        added = float(foods[nid].sum()) if nid in foods and len(foods) else 0.0
        added = 0.0 if math.isnan(added) else added
        if r["status"] == "doctor_sets":
            before, after = r["mean_intake"], r["mean_intake"] + added
            parts.append(
                f"{r['name']} {fmt_number(before)} to {fmt_number(after)} {r['unit']}, "
                "your doctor's call"
            )
            continue
        after = 100.0 * (r["mean_intake"] + added) / r["target"]
        parts.append(f"{r['name']} {r['percent_of_target']:.0f}% to {after:.0f}%")
    return (
        "Pairs of bars, each nutrient's percent of its target on the diary's average day and "
        f"with the add-on ({names}): {'; '.join(parts)}."
    )


def planned_day(plan: MealPlan | None, context: Context) -> Section:
    """A day of meals (foods as eaten, the article's foods preferred) that meets every target
    within the limits and the Dietary Guidelines food groups."""
    from planner.charts import plot_plan
    from planner.plan import totals_frame
    from planner.plan.output import GROUP_HEADERS, group_rows

    title = "A suggested day of meals"
    if plan is None:  # kidney disease: see planner.report_sections.Context.plan
        why = (
            "Not made here with kidney disease: planner's day plans aim at the general "
            "potassium intake, and yours is for your doctor or renal dietitian to set. They can "
            "help plan meals that suit your limits."
        )
        return Section("plan", title, [Text(why)])
    # the first day of a longer plan passed in by a caller: its table, totals and chart agree
    plan = replace(plan, days=plan.days[:1])
    day = plan.days[0]
    kcal = day.totals.get("energy_kcal", math.nan)
    blocks = [
        Text(
            f"One day of meals for {plan.profile.describe()} ({fmt_number(kcal)} kcal; "
            f"restrictions: {plan.restrictions.describe()}), with the article's food families "
            "preferred, that meets every target and the Dietary Guidelines food groups without "
            "passing an upper limit that applies to food: an example of such a day, not a "
            "prescription. 'planner plan' makes more (--days, --seed)."
        )
    ]
    if day.foods.empty:
        blocks.append(Text(f"No plan could be made ({day.status})."))
        return Section("plan", title, blocks, major=True)
    rows = [
        [r.meal, r.name, r.portion, f"{r.grams:.0f} g", f"{r.energy_kcal:.0f}"]
        for r in day.foods.itertuples()
    ]
    blocks.append(
        Table(
            "The planned day, meal by meal",
            ["meal", "food", "portion", "weight", "kcal"],
            rows,
            numeric=(3, 4),
        )
    )
    totals = totals_frame(plan)
    rows = []
    for _, r in totals.iterrows():
        limit = "—" if r["limit"] is None or math.isnan(r["limit"]) else fmt_number(r["limit"])
        if r["meets_target"] is None:  # sodium: a ceiling only
            verdict = "ok" if r["within_limit"] else "over the limit"
            target = "—"
        else:
            target = fmt_number(r["target"])
            verdict = (
                ("ok" if r["within_limit"] else "over the limit") if r["meets_target"] else "short"
            )
        status = {"ok": "met", "short": "below"}.get(verdict, "above_ul")
        total = ("≥" if r["lower_bound"] else "") + fmt_number(r["total"])
        rows.append([r["name"], total, r["unit"], target, limit, Cell(verdict, status=status)])
    blocks.append(
        Table(
            "The planned day against the targets",
            ["nutrient", "planned", "unit", "target", "limit", "result"],
            rows,
            numeric=(1, 3, 4),
        )
    )
    group_cells, group_notes = group_rows(plan)
    if group_cells:
        blocks.append(
            Table(
                f"The planned day's food groups (Dietary Guidelines, {plan.pattern.label})",
                [*GROUP_HEADERS[:4], "result"],
                [[*row[:4], Cell(row[4], status="met" if row[4] == "ok" else "below")]
                 for row in group_cells],
                numeric=(1,),
                footnotes=group_notes,
            )
        )  # fmt: skip
    blocks.append(
        context.chart(
            lambda: plot_plan(plan),
            _plan_alt(totals),
            "The planned day's intake of each nutrient as a percent of its target.",
        )
    )
    if not plan.unreachable.empty:
        blocks.append(
            Items(
                [
                    (
                        f"{r['name']}:",
                        f"at best {fmt_number(r['best'])} of {fmt_number(r['target'])} "
                        f"{r['unit']}. What would help: {r['what_would_help']}.",
                    )
                    for _, r in plan.unreachable.iterrows()
                ]
            )
        )
    blocks += [Note(n) for n in plan.notes]
    return Section("plan", title, blocks, major=True)


def _plan_alt(totals: pd.DataFrame) -> str:
    panel = totals.loc[panel_ids()]
    percent = (100.0 * panel["total"] / panel["target"]).sort_values(kind="stable")
    parts = [f"{panel.loc[nid, 'name']} {p:.0f}%" for nid, p in percent.items()]
    return (
        "Bar chart of the planned day's intake of each nutrient as a percent of its "
        f"target, lowest first: {'; '.join(parts)}."
    )


def not_suggested() -> Section:
    """The add-on's place when suggestions were left out."""
    return Section(
        "addon",
        "Foods that would close the gaps",
        [
            Text(
                "Left out of this report (--no-suggest). 'planner suggest' finds the fewest foods "
                "that close the gaps, and 'planner plan' plans a day of meals."
            )
        ],
    )
