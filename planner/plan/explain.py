"""What a plan cannot reach and why, and the notes that go with every plan."""

from __future__ import annotations

import math

import pandas as pd

from planner import nutrients as registry
from planner.candidates import Restrictions
from planner.foods import FAMILY_NAMES
from planner.plan.model import ENERGY_TOLERANCE, MealPlan
from planner.plan.shortlist import plan_pool


def unreachable(plan: MealPlan, pool: pd.DataFrame) -> pd.DataFrame:
    """For targets a relaxed day misses: the best achieved, the target, and what would help."""
    missed = [d for d in plan.days if d.status == "relaxed"]
    columns = ["name", "unit", "target", "best", "what_would_help"]
    if not missed:
        return pd.DataFrame(columns=columns)
    rows = {}
    for day in missed:
        for nid in day.shortfall.index:
            best = float(day.totals.get(nid, math.nan))
            if nid not in rows or best > rows[nid]["best"]:
                rows[nid] = {
                    "name": registry.get(nid).name if nid in registry.ids() else nid,
                    "unit": registry.get(nid).unit if nid in registry.ids() else "",
                    # the shortfall is measured from the lowest energy allowed (95%)
                    "target": float(plan.targets.table.loc[nid, "target"])
                    * (1 - ENERGY_TOLERANCE if nid == "energy_kcal" else 1.0),
                    "best": best,
                    "what_would_help": would_help(nid, plan.restrictions, pool),
                }
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns)


def would_help(nid: str, restrictions: Restrictions, pool: pd.DataFrame) -> str:
    """Name the foods the restrictions rule out that supply a nutrient best per portion."""
    every, _ = plan_pool(Restrictions(kidney_disease=restrictions.kidney_disease))
    outside = every[~every.index.isin(pool.index)]
    if nid not in outside or outside.empty:
        hint = "more room in the day (a higher energy target) or more foods per meal"
    else:
        best = outside.sort_values(nid, ascending=False).head(3)
        best = best[best[nid] > 0]
        if best.empty:
            hint = "no food in the plan's pool supplies enough of it"
        else:
            names = ", ".join(
                f"{r['name']} ({FAMILY_NAMES.get(r['family'], r['role'].replace('_', ' '))})"
                for _, r in best.iterrows()
            )
            hint = f"foods your restrictions rule out, such as {names}"
    if nid == "vitamin_d_ug":
        hint += "; a supplement is a question for a health professional"
    return hint


def plan_notes(plan: MealPlan) -> list[str]:
    notes = []
    for number, day in enumerate(plan.days, start=1):
        if day.dropped:
            notes.append(
                f"Day {number} could not keep the {' or the '.join(day.dropped)} with the foods "
                "your restrictions leave; it keeps every limit and comes as close to the "
                "targets as it can."
            )
    if plan.restrictions.kidney_disease:
        notes.append(
            "Kidney disease: the plan leaves out foods with more than 200 mg of potassium per "
            "portion but still meets the potassium AI where it can; your doctor's or renal "
            "dietitian's advice on potassium comes first."
        )
    if plan.restrictions.on_diuretics:
        notes.append(
            "Diuretics change how the body keeps potassium, magnesium and calcium; discuss "
            "this plan with your prescriber."
        )
    notes.append(
        "Niacin's UL covers nicotinic acid from supplements and fortified foods; the plan "
        "keeps the niacin of fortified and enriched foods below it."
    )
    return notes
