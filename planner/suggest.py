"""Suggest the fewest of the article's foods, in household portions, that close the gaps.

Two answers, from the same candidates (:func:`planner.candidates.candidate_foods`):

1. :func:`rank_foods`: per gap nutrient, the candidates ranked by how much of the gap one
   typical portion closes, with the amount per portion and per 100 kcal and the other
   gaps the same portion helps.
2. :func:`suggest_addon`: one small set of foods, in half-portion steps, that together
   close every gap of the average day, or as much of them as possible. It is a
   mixed-integer program (:func:`planner.optimize.optimize_diet`, HiGHS), solved
   lexicographically: first the least unclosed share of the gaps, then the fewest
   foods, then the least added energy. Hard limits: at most ``max_foods`` foods, at most
   two portions of each, added energy within ``kcal_room``, and no nutrient pushed past
   a UL that applies to food on any day of the diary.

Where a gap stays open, :func:`suggest_addon` finds out why by solving again with one
limit lifted at a time (the restrictions, the energy room, the number of foods).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import pandas as pd

from planner import nutrients as registry
from planner.analysis import GapReport, for_kidney_disease
from planner.candidates import (
    POTASSIUM_DENSE_MG,
    Restrictions,
    candidate_foods,
    limit_nutrients,
    serving_table,
)
from planner.foods import FAMILY_NAMES, portion_label
from planner.limits import floor_sentence, limit_rooms, room_sentence
from planner.optimize import optimize_diet

STEPS_PER_PORTION = 2  # half-portion steps
MAX_PORTIONS = 2
MIN_KCAL_ROOM = 300.0  # the least energy allowance, even when the diary already meets energy
DEFAULT_MAX_FOODS = 4
HELPS_SHARE = 0.10  # a portion "helps" another gap when it closes at least 10% of it
SHORTFALL_TOLERANCE = 1e-6
SOLVE_SECONDS = 5.0  # per solve; the best solution found so far is used after that


@dataclass
class AddonResult:
    """The combined add-on.

    Attributes
    ----------
    foods : pandas.DataFrame
        One row per suggested food: ``food_id``, ``description``, ``family``,
        ``portions``, ``portion`` (household text), ``grams`` and one column per nutrient
        (what the food adds; NaN where USDA gives no value).
    closes : pandas.DataFrame
        Per gap nutrient: ``before``, ``added``, ``after``, ``target``, ``closed``,
        ``remaining`` and ``reason`` (why it stays open, if it does).
    kcal_room : float
    status : str
        The solver's status.
    notes : list of str
    limits : pandas.DataFrame
        Per UL the add-on respects (:func:`planner.limits.limit_rooms`): the diary's days
        against it, the ``room`` the add-on had, ``floor`` (the diary itself reaches the
        limit, so the add-on adds at most a small stated amount) and ``added`` (what the
        add-on adds of it, unknown values counted high).
    """

    foods: pd.DataFrame
    closes: pd.DataFrame
    kcal_room: float
    status: str
    notes: list[str] = field(default_factory=list)
    limits: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def no_gaps(self) -> bool:
        return self.closes.empty


def gap_targets(report: GapReport, kidney_disease: bool = False) -> pd.DataFrame:
    """The gaps the suggestions aim at: nutrient, shortfall, target, mean intake.

    With ``kidney_disease`` potassium is never a goal (:func:`planner.analysis.for_kidney_disease`).
    """
    gaps = for_kidney_disease(report).gaps if kidney_disease else report.gaps
    return gaps.set_index("nutrient")[["name", "unit", "mean_intake", "target", "shortfall"]]


def rank_foods(
    report: GapReport,
    restrictions: Restrictions | None = None,
    limit: int = 5,
) -> pd.DataFrame:
    """Per gap nutrient, the candidates ranked by how much of the gap one portion closes.

    Returns
    -------
    pandas.DataFrame
        ``nutrient``, ``rank``, ``food_id``, ``description``, ``family``, ``portion``
        (household text), ``grams``, ``per_portion``, ``share_of_gap``, ``per_100_kcal``,
        ``also_helps`` (other gap nutrient ids, by share closed).
    """
    restrictions = restrictions or Restrictions()
    goals = gap_targets(report, restrictions.kidney_disease)
    if goals.empty:
        return _empty_ranked()
    candidates = candidate_foods(restrictions)
    frames = []
    for nid, goal in goals.iterrows():
        amount = candidates[nid]
        share = amount / goal.shortfall
        order = share.sort_values(ascending=False, kind="stable")
        order = order[order > 0].head(limit)
        rows = []
        for rank, idx in enumerate(order.index, start=1):
            food = candidates.loc[idx]
            others = {
                other: food[other] / g.shortfall
                for other, g in goals.iterrows()
                if other != nid and food[other] / g.shortfall >= HELPS_SHARE
            }
            kcal = food["energy_kcal"]
            rows.append(
                {
                    "nutrient": nid,
                    "rank": rank,
                    "food_id": food["food_id"],
                    "name": food["name"],
                    "description": food["description"],
                    "family": food["family"],
                    "portion": portion_label(food["portion_amount"], food["portion_measure"]),
                    "grams": food["portion_grams"],
                    "per_portion": food[nid],
                    "share_of_gap": share[idx],
                    "per_100_kcal": 100.0 * food[nid] / kcal if kcal > 0 else math.nan,
                    "also_helps": tuple(sorted(others, key=others.get, reverse=True)),
                }
            )
        frames.append(pd.DataFrame(rows))
    return pd.concat(frames, ignore_index=True) if frames else _empty_ranked()


def _empty_ranked() -> pd.DataFrame:
    columns = [
        "nutrient", "rank", "food_id", "name", "description", "family", "portion", "grams",
        "per_portion", "share_of_gap", "per_100_kcal", "also_helps",
    ]  # fmt: skip
    return pd.DataFrame(columns=columns)


def default_kcal_room(report: GapReport) -> float:
    """What the energy target leaves free on the average day, at least 300 kcal."""
    mean = report.nutrients.loc["energy_kcal", "mean_intake"]
    target = report.targets.energy.kcal
    free = target - mean if not math.isnan(mean) else 0.0
    return max(MIN_KCAL_ROOM, round(free))


def ul_room(report: GapReport) -> dict[str, float]:
    """Per UL that applies to food: how much the add-on may add on every day.

    The room is the UL minus the diary's highest day, judged on known values plus an
    allowance for the unknown ones (:mod:`planner.limits`), so the add-on pushes no day
    past the limit; but at least 5% of the UL, so that a limit the diary itself reaches
    (a finding the output reports first) does not bar every food with a trace of it.
    Sodium has no UL (its CDRR is a chronic-disease threshold, not a toxicity limit), so
    it is reported, not limited here.
    """
    rooms = limit_rooms(report)
    return {key: float(row["room"]) for key, row in rooms.iterrows()}


def suggest_addon(
    report: GapReport,
    restrictions: Restrictions | None = None,
    max_foods: int = DEFAULT_MAX_FOODS,
    kcal_room: float | None = None,
    explain: bool = True,
) -> AddonResult:
    """The fewest foods, in half-portion steps, that close the average day's gaps.

    Parameters
    ----------
    report : GapReport
    restrictions : Restrictions
    max_foods : int
        At most this many different foods.
    kcal_room : float [kcal], optional
        The most energy the add-on may add; default :func:`default_kcal_room`.
    explain : bool
        For gaps left open, solve again with one limit lifted at a time to say why.

    Returns
    -------
    AddonResult
    """
    restrictions = restrictions or Restrictions()
    goals = gap_targets(report, restrictions.kidney_disease)
    room = float(kcal_room) if kcal_room is not None else default_kcal_room(report)
    notes = _notes(report, restrictions)
    if goals.empty:
        return AddonResult(
            _addon_table(pd.DataFrame(), pd.Series(dtype=float)),
            _no_closes(),
            room,
            "no_gaps",
            notes,
        )
    candidates = candidate_foods(restrictions)
    rooms = limit_rooms(report)
    solution = _solve(candidates, goals, rooms, room, max_foods)
    chosen = solution.used() if solution.ok else pd.Series(dtype=float)
    foods = _addon_table(candidates, chosen)
    closes = _closes(goals, foods)
    if explain and not closes["closed"].all():
        closes["reason"] = _reasons(closes, rooms, report, restrictions, room, max_foods)
    portions = chosen / STEPS_PER_PORTION
    counted = limit_nutrients(candidates.loc[portions.index]).mul(portions, axis=0).sum()
    rooms["added"] = [float(counted.get(key, 0.0)) for key in rooms.index]
    return AddonResult(foods, closes, room, solution.status, notes, rooms)


def _step_table(candidates: pd.DataFrame) -> pd.DataFrame:
    """Nutrients per half portion (the unit the optimiser counts in)."""
    ids = list(registry.ids())
    return candidates[ids] / STEPS_PER_PORTION


def _solve(candidates, goals, rooms, room, max_foods, lifted=(), lexicographic=True):
    """The add-on MILP; ``rooms`` from :func:`planner.limits.limit_rooms`, with the ULs
    named in ``lifted`` (or all, for ``"all"``) left out."""
    steps = _step_table(candidates)
    limits = limit_nutrients(candidates) / STEPS_PER_PORTION
    upper_cols = {}
    table = steps.copy()
    kept = {} if lifted == "all" else {k: float(r["room"]) for k, r in rooms.iterrows()}
    for nid, value in kept.items():
        if nid in lifted:
            continue
        column = f"ul::{nid}"
        table[column] = limits[nid]
        upper_cols[column] = value
    lower = {nid: float(g.shortfall) for nid, g in goals.iterrows()}
    max_steps = STEPS_PER_PORTION * MAX_PORTIONS
    common = dict(
        lower=lower,
        upper={"energy_kcal": room, **upper_cols},
        amount_max=float(max_steps),
        integer=True,
        soft_lower={nid: 1.0 for nid in lower},
        max_items=max_foods,
        # the unclosed share is near zero when the gaps can be closed: an offset turns the
        # relative gap into an absolute one, so proving the optimum does not take forever
        objective_offset=1.0,
        mip_rel_gap=1e-4,
        time_limit=SOLVE_SECONDS,
    )
    first = optimize_diet(table, **common)
    if not first.ok or not lexicographic:
        return first
    # Keep the least unclosed share of the gaps, then use the fewest foods, then add the
    # least energy (each solve keeps the optimum of the ones before it).
    cap = first.objective * (1 + 1e-6) + 1e-6
    second = optimize_diet(table, **common, select_cost=1.0, shortfall_cap=cap)
    best = second if second.ok else first
    count = int((best.amounts > 0).sum())
    third = optimize_diet(
        table,
        **{**common, "max_items": count},
        cost=table["energy_kcal"],
        shortfall_cap=cap,
    )
    return third if third.ok else best


def _addon_table(candidates: pd.DataFrame, chosen: pd.Series) -> pd.DataFrame:
    """The chosen half-portion steps as foods with their portions and nutrients."""
    return serving_table(candidates, chosen / STEPS_PER_PORTION).drop(columns="candidate")


def _no_closes() -> pd.DataFrame:
    return pd.DataFrame(
        columns=["name", "unit", "before", "added", "after", "target", "closed", "remaining",
                 "reason"]
    )  # fmt: skip


def _closes(goals: pd.DataFrame, foods: pd.DataFrame) -> pd.DataFrame:
    # what the foods add that USDA knows; an unknown counts as nothing, as in the solve
    added = foods[list(goals.index)].sum() if not foods.empty else pd.Series(0.0, goals.index)
    frame = pd.DataFrame(
        {
            "name": goals["name"],
            "unit": goals["unit"],
            "before": goals["mean_intake"],
            "added": added.reindex(goals.index).fillna(0.0),
            "target": goals["target"],
        }
    )
    frame["after"] = frame["before"] + frame["added"]
    frame["remaining"] = (frame["target"] - frame["after"]).clip(lower=0.0)
    frame["closed"] = frame["remaining"] <= SHORTFALL_TOLERANCE * frame["target"]
    frame["reason"] = ""
    return frame


# --- why a gap stays open ----------------------------------------------------------------

VITAMIN_D_SOURCES = (
    "Vitamin D is hard to get from unfortified food. The foods that supply it are fatty "
    "fish (salmon, trout, sardines, mackerel, herring) and fortified foods (milk, soy or "
    "almond drinks, orange juice and breakfast cereals with added vitamin D); skin also "
    "makes it in sunlight. Whether a supplement makes sense is a question for a health "
    "professional."
)
SUPPLEMENT_NOTE = (
    "planner suggests food only. Whether a supplement would help is a question for a "
    "doctor or pharmacist: too much can do harm and some interact with medicines."
)


def _notes(report: GapReport, restrictions: Restrictions) -> list[str]:
    notes = []
    if restrictions.kidney_disease:
        notes.append(
            "Kidney disease: planner does not aim at potassium and leaves out every food "
            f"with more than {POTASSIUM_DENSE_MG:g} mg of potassium per portion. Follow your "
            "doctor's or renal dietitian's advice on potassium (and on phosphorus and "
            "protein) before acting on any of this."
        )
    if restrictions.on_diuretics:
        notes.append(
            "Diuretics: these medicines change how the body keeps potassium, magnesium, "
            "calcium and sodium (some lower potassium, others raise it). Talk to your "
            "prescriber before changing how much of these you eat."
        )
    notes.append(SUPPLEMENT_NOTE)
    return notes


def _reasons(closes, rooms, report, restrictions, room, max_foods) -> pd.Series:
    """For each gap left open, which single limit, lifted, would let food close it; for
    the ULs, which of them and the diary days that fill it."""
    open_ = closes.index[~closes["closed"]]
    goals = gap_targets(report, restrictions.kidney_disease)
    trials = []
    free = Restrictions(kidney_disease=restrictions.kidney_disease)
    if free != replace(restrictions, on_diuretics=False, include=()):
        trials.append(("restrictions", candidate_foods(free), room, max_foods, ()))
    candidates = candidate_foods(restrictions)
    trials.append(("energy", candidates, max(room * 4, 3000.0), max_foods, ()))
    trials.append(("foods", candidates, room, max(max_foods, 8), ()))
    trials.append(("ul", candidates, room, max_foods, "all"))
    closable = {}
    for name, table, kcal, count, lifted in trials:
        sol = _solve(table, goals, rooms, kcal, count, lifted=lifted, lexicographic=False)
        if sol.ok:
            after = _closes(goals, _addon_table(table, sol.used()))
            closable[name] = (set(after.index[after["closed"]]), table, sol)
    blocking: dict[str, list[str]] = {}
    if "ul" in closable and set(open_) & closable["ul"][0]:
        for key in rooms.index:  # which single UL, lifted, lets food close the gap
            sol = _solve(candidates, goals, rooms, room, max_foods, (key,), lexicographic=False)
            if sol.ok:
                after = _closes(goals, _addon_table(candidates, sol.used()))
                for nid in after.index[after["closed"]]:
                    blocking.setdefault(nid, []).append(room_sentence(rooms.loc[key], True))
        # no single UL is in the way but several together: those the diary itself reaches
        reached = rooms[rooms["floor"]] if rooms["floor"].any() else rooms
        for nid in set(open_) & closable["ul"][0]:
            if nid not in blocking:
                blocking[nid] = [room_sentence(r, True) for _, r in reached.iterrows()]
    reasons = {}
    for nid in closes.index:
        if nid not in open_:
            reasons[nid] = ""
            continue
        reasons[nid] = _reason_for(
            nid, closes.loc[nid], closable, restrictions, room, max_foods, blocking.get(nid)
        )
    return pd.Series(reasons)


def _reason_for(nid, row, closable, restrictions, room, max_foods, blocking=None) -> str:
    parts = []
    if "restrictions" in closable and nid in closable["restrictions"][0]:
        _, table, sol = closable["restrictions"]
        allowed = candidate_foods(restrictions).index
        outside = [i for i in sol.used().index if i not in allowed]
        names = ", ".join(
            f"{table.loc[i, 'name']} ({FAMILY_NAMES.get(table.loc[i, 'family'], '')})"
            for i in outside
        )
        parts.append(
            f"your restrictions ({restrictions.describe()}) rule out the foods that would "
            f"close it" + (f": {names}" if names else "")
        )
    if "energy" in closable and nid in closable["energy"][0]:
        parts.append(f"closing it would take more than the {room:,.0f} kcal of room allowed")
    if "foods" in closable and nid in closable["foods"][0]:
        parts.append(f"closing it would take more than {max_foods} foods")
    if "ul" in closable and nid in closable["ul"][0]:
        text = "more of the foods that supply it would push another nutrient past its UL"
        if blocking:  # the limit and the diary's days that fill it
            text += " (the diary's highest day, unknown values at their food group's average: "
            text += "; ".join(blocking) + ")"
        parts.append(text)
    if not parts:
        parts.append(
            "the allowed foods cannot supply it within two portions each"
            if nid != "vitamin_d_ug"
            else "the allowed foods cannot supply enough of it within two portions each"
        )
    text = "; ".join(parts)
    if nid == "vitamin_d_ug":
        text += ". " + VITAMIN_D_SOURCES
    return text


# --- output ----------------------------------------------------------------------------


def suggestions_json(ranked: pd.DataFrame, addon: AddonResult) -> dict:
    """The suggestions as JSON: ``ranked`` per gap nutrient and the combined ``addon``."""
    from planner.report import _round

    by_nutrient: dict[str, list] = {}
    for r in ranked.itertuples():
        by_nutrient.setdefault(r.nutrient, []).append(
            {
                "rank": int(r.rank),
                "id": r.food_id,
                "name": r.name,
                "description": r.description,
                "family": r.family,
                "portion": r.portion,
                "grams": _round(r.grams),
                "per_portion": _round(r.per_portion),
                "share_of_gap": _round(r.share_of_gap, 3),
                "per_100_kcal": _round(r.per_100_kcal),
                "also_helps": list(r.also_helps),
            }
        )
    ids = list(registry.ids())
    foods = [
        {
            "id": f["food_id"],
            "name": f["name"],
            "description": f["description"],
            "family": f["family"],
            "portions": _round(f["portions"], 2),
            "measure": f["portion"],
            "grams": _round(f["grams"], 1),
            "adds": {nid: _round(f[nid]) for nid in ids},
        }
        for _, f in addon.foods.iterrows()
    ]
    closes = {
        nid: {
            "before": _round(c["before"]),
            "added": _round(c["added"]),
            "after": _round(c["after"]),
            "target": _round(c["target"]),
            "closed": bool(c["closed"]),
            "remaining": _round(c["remaining"]),
            "reason": c["reason"] or None,
        }
        for nid, c in addon.closes.iterrows()
    }
    return {
        "ranked": by_nutrient,
        "addon": {
            "status": addon.status,
            "kcal_room": _round(addon.kcal_room),
            "added_kcal": _round(
                float(addon.foods["energy_kcal"].sum()) if len(addon.foods) else 0.0
            ),
            "foods": foods,
            "limits": _limits_json(addon.limits),
            "closes": {k: v for k, v in closes.items() if v["closed"]},
            "remaining": {k: v for k, v in closes.items() if not v["closed"]},
            "notes": addon.notes,
        },
    }


def _limits_json(rooms: pd.DataFrame) -> list[dict]:
    """The add-on's room under each UL, and why (see :func:`planner.limits.limit_rooms`)."""
    from planner.report import _round

    out = []
    for key, r in rooms.iterrows():
        out.append(
            {
                "key": key,
                "nutrient": r["nutrient"],
                "unit": r["unit"],
                "ul": _round(r["ul"]),
                "diary_mean": _round(r["mean"]),
                "diary_highest": _round(r["worst"]),
                "diary_highest_date": None
                if r["worst_date"] is None
                else pd.Timestamp(r["worst_date"]).date().isoformat(),
                "highest_day_allowance": _round(r["worst_allowance"]),
                "days_over": int(r["days_over"]),
                "room": _round(r["room"]),
                "floor": bool(r["floor"]),
                "added": _round(r.get("added")),
            }
        )
    return out


def render_suggestions(
    ranked: pd.DataFrame, addon: AddonResult, report: GapReport, findings: bool = False
) -> str:
    """The suggestions as text for the terminal; with ``findings``, first the ULs the
    diary passes (``planner analyze`` prints those in its own report)."""
    from planner.limits import limit_findings
    from planner.render import clip, fmt_number, table, wrap

    lines = []
    found = limit_findings(report) if findings else []
    if found:
        lines += ["Above an upper limit"]
        lines += [wrap(f["text"], indent="- ", hang="  ") for f in found]
        lines.append("")
    floors = addon.limits[addon.limits["floor"]] if len(addon.limits) else addon.limits
    if len(floors):
        lines += ["Upper limits your diary already reaches"]
        lines += [wrap(floor_sentence(r, r.get("added")), indent="- ", hang="  ")
                  for _, r in floors.iterrows()]  # fmt: skip
        lines.append("")
    lines.append("Foods that would close the gaps")
    if addon.no_gaps:
        lines.append("No gaps to close: no foods to add.")
        lines += ["", *[wrap(f"Note: {n}") for n in addon.notes]]
        return "\n".join(lines)
    if addon.foods.empty:
        lines.append(wrap("No food from the allowed candidates helps within the limits."))
    else:
        kcal = addon.foods["energy_kcal"].sum()
        lines.append(
            wrap(
                f"Add these {len(addon.foods)} food(s) to an average day ({kcal:,.0f} kcal "
                f"of the {addon.kcal_room:,.0f} kcal allowed):"
            )
        )
        rows = [
            [
                f["portion"],
                clip(f["name"], 52),
                f"{f['grams']:.0f} g",
                f"{f['energy_kcal']:.0f}",
            ]
            for _, f in addon.foods.iterrows()
        ]
        lines.append(table(rows, ["portion", "food", "weight", "kcal"], right=[2, 3]))
    lines += ["", "What the add-on does to each gap"]
    rows = []
    for _, c in addon.closes.iterrows():
        rows.append(
            [
                c["name"],
                f"{fmt_number(c['before'])} → {fmt_number(c['after'])} {c['unit']}",
                fmt_number(c["target"]),
                "closed" if c["closed"] else f"open: {fmt_number(c['remaining'])} short",
            ]
        )
    lines.append(table(rows, ["nutrient", "before → after", "target", "result"], right=[2]))
    for _, c in addon.closes.iterrows():
        if not c["closed"] and c["reason"]:
            lines.append(wrap(f"{c['name']} stays open: {c['reason']}", hang="  "))
    if not ranked.empty:
        lines += ["", "Best single foods per gap (one typical portion)"]
        for nid, grp in ranked.groupby("nutrient", sort=False):
            name = report.nutrients.loc[nid, "name"]
            unit = report.nutrients.loc[nid, "unit"]
            parts = [
                f"{r.portion} {r.name}: {fmt_number(r.per_portion)} {unit} "
                + ("(closes it)" if r.share_of_gap >= 1 else f"({r.share_of_gap:.0%} of the gap)")
                for r in grp.head(3).itertuples()
            ]
            lines.append(wrap(f"{name}: " + "; ".join(parts), indent="  ", hang="    "))
    lines += ["", *[wrap(f"Note: {n}") for n in addon.notes]]
    return "\n".join(lines)
