"""Plan a day (or several) of meals from the article's foods that meets every target.

The model (solved with :func:`planner.optimize.optimize_diet`, HiGHS):

- Items are (meal, food) pairs for the foods that suit each meal; an item's amount is a
  count of half portions of the food's typical household portion, 0 to 4 (at most two
  portions of a food in one meal).
- Meals: breakfast, lunch, dinner and one or two snacks. Breakfast, lunch and dinner
  take 2 to 5 foods, a snack 1 to 3. Each meal's energy stays within its share of the
  day (:data:`MEAL_SHARES`).
- Every panel nutrient (protein included) at or above the person's target; at or below
  every UL that applies to food (folate's UL is checked on folic acid, the form it
  covers; niacin's UL, which covers nicotinic acid from supplements and fortified foods,
  is applied to the niacin of the fortified foods); sodium at or below its CDRR;
  energy within 5% of the energy target.
- Variety: a food appears in at most two meals a day and never at both lunch and dinner;
  a meal holds at most one food of each family (two of the person's own diary foods).
  With several days, a food is used on at most ``max_days_per_food`` days and no two
  days use the same set of foods.
- Objective: energy as close to the target as possible, portions close to the typical
  one, and a small cost per food, with a random perturbation from ``seed`` so plans vary
  between seeds and repeat with the same seed. With ``prices``, cost replaces the rest.

Unknown nutrient values count as nothing towards a target and as a high, plausible
amount towards a limit (:mod:`planner.candidates`). When the targets cannot be met, the
model is solved again with the nutrient targets as soft bounds, minimising the shortfall,
and the plan says which targets it misses and what would make them reachable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner import nutrients as registry
from planner.candidates import (
    FORTIFIED_NIACIN,
    Restrictions,
    candidate_foods,
    food_ul_limits,
    included_ids,
    limit_nutrients,
    serving_table,
)
from planner.errors import PlanError
from planner.foods import FAMILY_NAMES
from planner.optimize import GroupCount, GroupSum, optimize_diet
from planner.targets import Profile, Targets, targets_for_profile

STEPS_PER_PORTION = 2
MAX_PORTIONS_PER_MEAL = 2
ENERGY_TOLERANCE = 0.05
# (lowest, highest) share of the day's energy per meal, and (fewest, most) foods.
MEAL_SHARES = {
    "breakfast": (0.20, 0.30),
    "lunch": (0.25, 0.35),
    "dinner": (0.25, 0.35),
    "snack": (0.05, 0.15),
}
MEAL_FOODS = {"breakfast": (2, 5), "lunch": (2, 5), "dinner": (2, 5), "snack": (1, 3)}
MAX_MEALS_PER_FOOD = 2
MAX_PORTIONS_PER_DAY = 3  # of one food over the whole day
# Meals a family may appear in per day (default 2): no avocado at every meal.
FAMILY_MEALS_PER_DAY = {
    "avocados": 1,
    "whole_grains": 3,
    "dairy": 3,
    "fortified_foods": 3,
    "your_diary": 5,
}
DEFAULT_FAMILY_MEALS_PER_DAY = 2
# Foods of one family per meal: variety within a meal (no two beans, no two avocados).
FAMILY_PER_MEAL = {"your_diary": 2}
DEFAULT_FAMILY_PER_MEAL = 1
TYPICAL_WEIGHT = 0.02  # per half portion away from one typical portion
SELECT_WEIGHT = 0.01  # per food used (fewer, simpler meals)
ENERGY_WEIGHT = 1.0  # per share of the energy target away from it
SEED_NOISE = 0.05  # random spread of the per-food cost, for variety between seeds
SHORTFALL_WEIGHT = 100.0  # relaxed model: per share of a target missed


@dataclass
class DayPlan:
    """One planned day.

    ``foods``: one row per (meal, food): ``meal``, ``food_id``, ``name``, ``description``,
    ``family``, ``portions``, ``portion`` (household text), ``grams`` and the nutrients
    of that amount (NaN where USDA gives no value). ``totals``: nutrient totals of the
    day, of the known values; ``lower_bound`` marks the totals that miss a food's unknown
    value. ``status``: ``optimal``, ``relaxed`` (targets missed, see ``shortfall``) or
    the solver's status.
    """

    foods: pd.DataFrame
    totals: pd.Series
    status: str
    shortfall: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))

    @property
    def lower_bound(self) -> pd.Series:
        ids = list(registry.ids())
        return self.foods[ids].isna().any() if not self.foods.empty else pd.Series(dtype=bool)


@dataclass
class MealPlan:
    """A plan of one or more days, with the targets it was built for."""

    profile: Profile
    targets: Targets
    days: list[DayPlan]
    restrictions: Restrictions
    notes: list[str] = field(default_factory=list)
    unreachable: pd.DataFrame = field(default_factory=pd.DataFrame)
    meals: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        statuses = {d.status for d in self.days}
        if statuses <= {"optimal", "time_limit"}:
            return "ok"
        return "relaxed" if "relaxed" in statuses else "failed"

    def average(self) -> pd.Series:
        """Average daily totals over the plan."""
        return pd.concat([d.totals for d in self.days], axis=1).mean(axis=1)

    def describe(self) -> str:
        n = len(self.days)
        return f"{self.profile.describe()}; {n} day{'s' * (n != 1)} planned"


def meal_names(snacks: int) -> tuple[str, ...]:
    """``("breakfast", "lunch", "dinner", "snack 1", "snack 2")`` for two snacks."""
    if snacks not in (1, 2):
        raise PlanError(f"snacks must be 1 or 2, not {snacks}")
    snack_names = ("snack",) if snacks == 1 else ("snack 1", "snack 2")
    return ("breakfast", "lunch", "dinner", *snack_names)


def _kind(meal: str) -> str:
    return "snack" if meal.startswith("snack") else meal


def limits_for(targets: Targets) -> tuple[dict, dict]:
    """Lower and upper bounds per nutrient for a day: targets, ULs that apply, CDRR."""
    table = targets.table
    lower = {n.id: float(table.loc[n.id, "target"]) for n in registry.nutrients()
             if n.role == "panel"}  # fmt: skip
    upper = food_ul_limits(table)
    if not math.isnan(table.loc["sodium_mg", "cdrr"]):
        upper["sodium_mg"] = float(table.loc["sodium_mg", "cdrr"])
    kcal = targets.energy.kcal
    lower["energy_kcal"] = kcal * (1 - ENERGY_TOLERANCE)
    upper["energy_kcal"] = kcal * (1 + ENERGY_TOLERANCE)
    return lower, upper


def _items(candidates: pd.DataFrame, meals: tuple[str, ...]) -> pd.DataFrame:
    """One row per (meal, food) pair the food suits, with per-half-portion nutrients."""
    ids = list(registry.ids())
    limits = limit_nutrients(candidates)
    rows = []
    for meal in meals:
        kind = _kind(meal)
        suits = candidates["meals"].map(lambda ms, k=kind: k in ms)
        for idx in candidates.index[suits.to_numpy()]:
            rows.append((meal, idx))
    index = pd.MultiIndex.from_tuples(rows, names=["meal", "food"])
    food_index = [f for _, f in rows]
    table = pd.DataFrame(index=index)
    for nid in ids:
        table[nid] = candidates.loc[food_index, nid].to_numpy() / STEPS_PER_PORTION
    for column in limits.columns:
        table[f"limit::{column}"] = limits.loc[food_index, column].to_numpy() / STEPS_PER_PORTION
    return table


def plan_days(
    profile: Profile,
    days: int = 1,
    restrictions: Restrictions | None = None,
    snacks: int = 2,
    seed: int = 0,
    max_days_per_food: int | None = None,
    extra: pd.DataFrame | None = None,
    prices: pd.Series | None = None,
    time_limit: float = 4.0,
) -> MealPlan:
    """Plan ``days`` days of meals that meet every target within limits.

    Parameters
    ----------
    profile : Profile
    days : int
        1 to 14.
    restrictions : Restrictions, optional
        Diet restrictions, ``exclude`` and ``include`` (foods that must appear every day).
    snacks : {1, 2}
    seed : int
        Same seed, same plan.
    max_days_per_food : int, optional
        Each food on at most this many days (default: about half the days, at least 2).
    extra : pandas.DataFrame, optional
        More candidate foods (:func:`planner.candidates.diary_foods`).
    prices : pandas.Series, optional
        Price per typical portion, indexed by food id; the plan then minimises cost and
        foods without a price are not used.
    time_limit : float [s]
        Per solve. HiGHS proves most days optimal in one or two seconds; when one takes
        longer, the best plan found by then is used (it meets every constraint; only the
        soft preferences may be a little less well served) and its status says
        ``time_limit``.

    Returns
    -------
    MealPlan
    """
    if not 1 <= days <= 14:
        raise PlanError(f"days must be between 1 and 14, not {days}")
    restrictions = restrictions or Restrictions()
    targets = targets_for_profile(profile)
    meals = meal_names(snacks)
    candidates = candidate_foods(restrictions, extra=extra)
    notes = []
    if prices is not None:
        priced = candidates["food_id"].isin(prices.index)
        if not priced.any():
            raise PlanError("no candidate food has a price in the prices file")
        if (~priced).any():
            notes.append(f"{int((~priced).sum())} candidate foods have no price and are not used.")
        candidates = candidates[priced.to_numpy()]
    if candidates.empty:
        raise PlanError(
            f"no candidate foods are left under the restrictions ({restrictions.describe()})"
        )
    items = _items(candidates, meals)
    lower, upper = limits_for(targets)
    keep = included_ids(candidates, restrictions.include)
    max_days = max_days_per_food or max(2, math.ceil(days / 2))
    rng = np.random.default_rng(seed)
    used_days: dict[str, int] = {}
    previous: list[list] = []
    plans = []
    for _ in range(days):
        banned = {f for f, n in used_days.items() if n >= max_days and f not in keep}
        noise = rng.uniform(1 - SEED_NOISE, 1 + SEED_NOISE, len(candidates))
        args = (items, candidates, targets, lower, upper, meals, keep)
        day = _solve_day(*args, banned, previous, noise, prices, time_limit)
        if day.status == "infeasible" and banned:
            # The days limit can leave too few foods: reuse foods before missing a target.
            day = _solve_day(*args, set(), previous, noise, prices, time_limit)
            if day.status != "infeasible":
                notes.append(f"Day {len(plans) + 1} reuses foods beyond the days limit.")
        if day.status == "infeasible":
            day = _solve_day(*args, banned, previous, noise, prices, time_limit, relax=True)
            if banned:
                # Reusing a food is better than missing more of a target.
                free = _solve_day(*args, set(), previous, noise, prices, time_limit, relax=True)
                if _missed(free, lower) < _missed(day, lower) - 1e-9:
                    day = free
                    notes.append(f"Day {len(plans) + 1} reuses foods beyond the days limit.")
        plans.append(day)
        if day.foods.empty:
            continue
        previous.append(list(zip(day.foods["meal"], day.foods["candidate"], strict=True)))
        for food in set(day.foods["candidate"]):
            used_days[food] = used_days.get(food, 0) + 1
    unreachable = _unreachable(plans, targets, restrictions, extra, meals)
    plan = MealPlan(profile, targets, plans, restrictions, notes, unreachable, meals)
    plan.notes.extend(_plan_notes(plan))
    return plan


def _solve_day(items, candidates, targets, lower, upper, meals, keep, banned, previous,
               noise, prices, time_limit, relax: bool = False) -> DayPlan:  # fmt: skip
    table = items.copy()
    table.index = [f"{m}|{f}" for m, f in items.index]
    food_of = {key: f for key, (_, f) in zip(table.index, items.index, strict=True)}
    # Limits are checked on the "limit::" columns, where an unknown value counts high.
    upper_cols = {(k if k == "energy_kcal" else f"limit::{k}"): v for k, v in upper.items()}
    lower_cols = dict(lower)
    groups = _groups(table, food_of, candidates["family"], meals, targets, keep)
    amount_max = pd.Series(float(STEPS_PER_PORTION * MAX_PORTIONS_PER_MEAL), index=table.index)
    for key, food in food_of.items():
        if food in banned:
            amount_max[key] = 0.0
    food_noise = dict(zip(candidates.index, noise, strict=True))
    if prices is not None:
        price = candidates["food_id"].map(prices) / STEPS_PER_PORTION
        cost = pd.Series([price[food_of[k]] for k in table.index], index=table.index)
        select, typical = None, None
        energy_target = None
    else:
        cost = None
        select = pd.Series([SELECT_WEIGHT * food_noise[food_of[k]] for k in table.index],
                           index=table.index)  # fmt: skip
        typical = (float(STEPS_PER_PORTION), TYPICAL_WEIGHT)
        energy_target = {"energy_kcal": (targets.energy.kcal, ENERGY_WEIGHT)}
    # earlier days' sets of foods, whatever the meals: no two days use the same foods
    forbid = [{f for _, f in day} for day in previous]
    common = dict(
        lower=lower_cols,
        upper=upper_cols,
        cost=cost,
        amount_max=amount_max,
        integer=True,
        select_cost=select if select is not None else 0.0,
        typical=typical,
        targets=energy_target,
        groups=groups,
        forbid=forbid,
        forbid_by=food_of,
        time_limit=time_limit,
        mip_rel_gap=0.01,
        objective_offset=1.0,  # stop within about 0.01 of the best objective
    )
    solution = optimize_diet(table, **common)
    status = solution.status
    if not solution.ok and status == "infeasible" and relax:
        # Never an empty answer: let targets (energy too) fall short at a price, and if the
        # meal structure itself is what cannot be met, drop the meal energy shares.
        soft = {n: SHORTFALL_WEIGHT for n in lower_cols}
        solution = optimize_diet(table, **common, soft_lower=soft)
        if not solution.ok:
            fewer = [g for g in groups if not g.name.startswith("energy ")]
            solution = optimize_diet(table, **{**common, "groups": fewer}, soft_lower=soft)
        status = "relaxed" if solution.ok else solution.status
    if not solution.ok:
        return DayPlan(_no_foods(), pd.Series(dtype=float), status)
    foods = _day_foods(solution.used(), food_of, candidates)
    totals = foods[list(registry.ids())].sum() if not foods.empty else pd.Series(dtype=float)
    if not foods.empty:  # the form niacin's UL is checked on
        fortified = foods["family"].eq("fortified_foods")
        totals[FORTIFIED_NIACIN] = float(foods.loc[fortified, "niacin_mg"].sum())
    shortfall = solution.shortfall[solution.shortfall > 1e-6] if status == "relaxed" else None
    return DayPlan(
        foods, totals, status, shortfall if shortfall is not None else pd.Series(dtype=float)
    )


def _missed(day: DayPlan, lower: dict) -> float:
    """The share of targets a relaxed day misses, summed (inf for no plan)."""
    if day.foods.empty:
        return math.inf
    return float(sum(v / lower[n] for n, v in day.shortfall.items() if lower.get(n)))


def _groups(table, food_of, families, meals, targets, keep):
    kcal = targets.energy.kcal
    groups = []
    keys = list(table.index)
    for meal in meals:
        in_meal = [k for k in keys if k.split("|", 1)[0] == meal]
        lo, hi = MEAL_SHARES[_kind(meal)]
        groups.append(GroupSum(f"energy {meal}", in_meal, lo * kcal, hi * kcal, "energy_kcal"))
        fewest, most = MEAL_FOODS[_kind(meal)]
        groups.append(GroupCount(f"foods {meal}", in_meal, fewest, most))
        by_family: dict[str, list] = {}
        for k in in_meal:
            by_family.setdefault(families[food_of[k]], []).append(k)
        for family, its in by_family.items():
            cap = FAMILY_PER_MEAL.get(family, DEFAULT_FAMILY_PER_MEAL)
            if len(its) > cap:
                groups.append(GroupCount(f"family {meal} {family}", its, None, cap))
    by_food: dict[str, list] = {}
    for key, food in food_of.items():
        by_food.setdefault(food, []).append(key)
    day_family: dict[str, list] = {}
    for key, food in food_of.items():
        day_family.setdefault(families[food], []).append(key)
    for family, its in day_family.items():
        cap = FAMILY_MEALS_PER_DAY.get(family, DEFAULT_FAMILY_MEALS_PER_DAY)
        groups.append(GroupCount(f"day {family}", its, None, cap))
    for food, its in by_food.items():
        low = 1 if food in keep else None
        groups.append(GroupCount(f"meals {food}", its, low, MAX_MEALS_PER_FOOD))
        steps = MAX_PORTIONS_PER_DAY * STEPS_PER_PORTION
        groups.append(GroupSum(f"portions {food}", its, None, steps))
        mains = [k for k in its if k.split("|", 1)[0] in ("lunch", "dinner")]
        if len(mains) > 1:  # never the same food at both lunch and dinner
            groups.append(GroupCount(f"mains {food}", mains, None, 1))
    return groups


def _day_foods(used: pd.Series, food_of: dict, candidates: pd.DataFrame) -> pd.DataFrame:
    """The day's (meal, food) amounts as foods with portions and nutrients, meal by meal."""
    if used.empty:
        return _no_foods()
    keys = list(used.index)
    portions = pd.Series(used.to_numpy() / STEPS_PER_PORTION, index=[food_of[k] for k in keys])
    frame = serving_table(candidates, portions)
    frame.insert(0, "meal", [k.split("|", 1)[0] for k in keys])
    order = {m: i for i, m in enumerate(dict.fromkeys(frame["meal"]))}
    frame = frame.sort_values("meal", key=lambda s: s.map(order), kind="stable")
    return frame.reset_index(drop=True)


def _no_foods() -> pd.DataFrame:
    columns = ["meal", "candidate", "food_id", "name", "description", "family", "portions",
               "portion", "grams"]  # fmt: skip
    return pd.DataFrame(columns=[*columns, *registry.ids()])


def _unreachable(plans, targets, restrictions, extra, meals) -> pd.DataFrame:
    """For targets a relaxed day misses: the best achieved, the target, and what would help."""
    missed = [d for d in plans if d.status == "relaxed"]
    if not missed:
        return pd.DataFrame(columns=["name", "unit", "target", "best", "what_would_help"])
    rows = {}
    for day in missed:
        for nid in day.shortfall.index:
            best = float(day.totals.get(nid, math.nan))
            if nid not in rows or best > rows[nid]["best"]:
                rows[nid] = {
                    "name": registry.get(nid).name if nid in registry.ids() else nid,
                    "unit": registry.get(nid).unit if nid in registry.ids() else "",
                    # the shortfall is measured from the lowest energy allowed (95%)
                    "target": float(targets.table.loc[nid, "target"])
                    * (1 - ENERGY_TOLERANCE if nid == "energy_kcal" else 1.0),
                    "best": best,
                    "what_would_help": _would_help(nid, restrictions),
                }
    return pd.DataFrame.from_dict(rows, orient="index")


def _would_help(nid: str, restrictions: Restrictions) -> str:
    """Name the excluded foods that supply a nutrient best per portion."""
    every = candidate_foods(Restrictions(kidney_disease=restrictions.kidney_disease))
    allowed = set(candidate_foods(replace_include(restrictions)).index)
    outside = every[~every.index.isin(allowed)]
    if nid not in outside or outside.empty:
        hint = "more room in the day (a higher energy target) or more foods per meal"
    else:
        best = outside.sort_values(nid, ascending=False).head(3)
        best = best[best[nid] > 0]
        if best.empty:
            hint = "no food in the article's families supplies enough of it"
        else:
            names = ", ".join(
                f"{r['name']} ({FAMILY_NAMES.get(r['family'], r['family'])})"
                for _, r in best.iterrows()
            )
            hint = f"foods your restrictions rule out, such as {names}"
    if nid == "vitamin_d_ug":
        hint += "; a supplement is a question for a health professional"
    return hint


def replace_include(restrictions: Restrictions) -> Restrictions:
    from dataclasses import replace

    return replace(restrictions, include=())


def _plan_notes(plan: MealPlan) -> list[str]:
    notes = []
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
        "keeps the niacin of fortified foods below it."
    )
    return notes


def read_prices(path) -> pd.Series:
    """Read a price list: CSV with ``food_id`` and ``price`` (per typical portion).

    Raises
    ------
    planner.errors.DataFileError
        For a file without those columns, or a price that is not a positive number.
    """
    from planner.errors import DataFileError
    from planner.foods import read_user_table

    table = read_user_table(path, ("food_id", "price"), "prices file")
    prices = {}
    for i, (food_id, price) in enumerate(zip(table["food_id"], table["price"], strict=True)):
        try:
            value = float(price)
        except ValueError:
            raise DataFileError(path, f"price {price!r} is not a number", i + 2, "price") from None
        if not value >= 0 or not math.isfinite(value):
            raise DataFileError(path, f"price {price!r} must be 0 or more", i + 2, "price")
        prices[food_id] = value
    return pd.Series(prices, dtype=float)


# --- output ----------------------------------------------------------------------------


def plan_frame(plan: MealPlan) -> pd.DataFrame:
    """Every planned food as one table (``day`` first), as written by ``--out``."""
    frames = []
    for number, day in enumerate(plan.days, start=1):
        frame = day.foods.drop(columns=["candidate"]).copy()
        frame.insert(0, "day", number)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else _no_foods()


def totals_frame(plan: MealPlan) -> pd.DataFrame:
    """Per nutrient: the plan's average day, the target, the limit and whether it is met."""
    lower, upper = limits_for(plan.targets)
    average = plan.average() if plan.days and not plan.days[0].totals.empty else pd.Series()
    rows = []
    for n in registry.nutrients():
        if n.role == "ul_only":
            continue
        row = plan.targets.table.loc[n.id]
        limit_key = {"niacin_mg": "niacin_fortified_mg", "folate_dfe_ug": "folic_acid_ug"}.get(
            n.id, n.id
        )
        total = float(average.get(n.id, math.nan))
        low = lower.get(n.id)
        high = upper.get(limit_key)
        checked = float(average.get(limit_key, math.nan)) if limit_key != n.id else total
        rows.append(
            {
                "id": n.id,
                "name": n.name,
                "unit": n.unit,
                "total": total,
                "target": float(row.target),
                "minimum": low if n.id != "energy_kcal" else lower.get("energy_kcal"),
                "limit": high,
                "limit_checked_on": limit_key if high is not None else None,
                "limit_total": checked if high is not None else math.nan,
                # None where there is no minimum (sodium: a ceiling only)
                "meets_target": None if low is None else bool(total >= low - 1e-6),
                "lower_bound": bool(any(d.lower_bound.get(n.id, False) for d in plan.days)),
                "within_limit": high is None or math.isnan(checked) or checked <= high + 1e-6,
            }
        )
    return pd.DataFrame(rows).set_index("id")


def plan_json(plan: MealPlan) -> dict:
    """The plan as JSON (schema in the README)."""
    from planner import __version__
    from planner.render import NOT_MEDICAL_ADVICE
    from planner.report import _round

    days = []
    for number, day in enumerate(plan.days, start=1):
        meals = []
        for meal in plan.meals:
            rows = day.foods[day.foods["meal"].eq(meal)]
            meals.append(
                {
                    "meal": meal,
                    "foods": [
                        {
                            "id": r.food_id,
                            "name": r.name,
                            "description": r.description,
                            "family": r.family,
                            "portion": r.portion,
                            "portions": _round(r.portions, 2),
                            "grams": _round(r.grams, 1),
                            "kcal": _round(r.energy_kcal, 1),
                        }
                        for r in rows.itertuples()
                    ],
                }
            )
        days.append(
            {
                "day": number,
                "status": day.status,
                "meals": meals,
                "totals": {k: _round(v) for k, v in day.totals.items()},
                "shortfall": {k: _round(v) for k, v in day.shortfall.items()},
            }
        )
    totals = totals_frame(plan)
    return {
        "schema_version": 1,
        "planner_version": __version__,
        "disclaimer": NOT_MEDICAL_ADVICE,
        "profile": {
            "age": plan.profile.age,
            "sex": plan.profile.sex,
            "pregnant": plan.profile.pregnant,
            "lactating": plan.profile.lactating,
            "energy_target_kcal": plan.targets.energy.kcal,
        },
        "restrictions": plan.restrictions.describe(),
        "status": plan.status,
        "days": days,
        "totals": {
            nid: {
                "average": _round(r.total),
                "target": _round(r.target),
                "limit": _round(r.limit),
                "meets_target": None if r.meets_target is None else bool(r.meets_target),
                "lower_bound": bool(r.lower_bound),
                "within_limit": bool(r.within_limit),
            }
            for nid, r in totals.iterrows()
        },
        "targets": {nid: _round(r.target) for nid, r in totals.iterrows()},
        "unreachable": [
            {
                "id": nid,
                "target": _round(r["target"]),
                "best": _round(r["best"]),
                "what_would_help": r["what_would_help"],
            }
            for nid, r in plan.unreachable.iterrows()
        ],
        "notes": plan.notes,
    }


def render_plan(plan: MealPlan) -> str:
    """The plan as a readable menu with a totals table."""
    from planner.render import NOT_MEDICAL_ADVICE, fmt_number, table, wrap

    lines = [f"planner plan: {plan.describe()}", f"Restrictions: {plan.restrictions.describe()}"]
    for number, day in enumerate(plan.days, start=1):
        kcal = day.totals.get("energy_kcal", math.nan)
        head = f"Day {number}" if len(plan.days) > 1 else "Your day"
        lines += ["", f"{head} ({fmt_number(kcal)} kcal)" + (
            "  [targets missed: see below]" if day.status == "relaxed" else ""
        )]  # fmt: skip
        if day.foods.empty:
            lines.append(f"  no plan could be made ({day.status})")
            continue
        rows = []
        for meal in plan.meals:
            for i, r in enumerate(day.foods[day.foods["meal"].eq(meal)].itertuples()):
                rows.append(
                    [meal if i == 0 else "", r.portion, r.name, f"{r.grams:.0f} g",
                     f"{r.energy_kcal:.0f}"]
                )  # fmt: skip
        lines.append(table(rows, ["meal", "portion", "food", "weight", "kcal"], right=[3, 4]))
    totals = totals_frame(plan)
    title = "Average day against your targets" if len(plan.days) > 1 else "Totals"
    lines += ["", title]
    rows = []
    forms = []
    for nid, r in totals.iterrows():
        limit = "—" if r["limit"] is None or pd.isna(r["limit"]) else fmt_number(r["limit"])
        if r["limit_checked_on"] not in (None, nid) and limit != "—":
            limit += "*"
            form = "folic acid" if r["limit_checked_on"] == "folic_acid_ug" else "fortified niacin"
            key = r["limit_checked_on"]
            unit = registry.get(key).unit if key in registry.ids() else r["unit"]
            forms.append(f"{r['name']}: {fmt_number(r['limit_total'])} {unit} of {form}")
        if r["meets_target"] is None:  # no minimum: sodium has a ceiling only
            target, verdict = "—", "ok" if r["within_limit"] else "over limit"
        else:
            target = fmt_number(r["target"])
            verdict = (
                ("ok" if r["within_limit"] else "over limit") if r["meets_target"] else "short"
            )
        total = ("≥" if r["lower_bound"] else "") + fmt_number(r["total"])
        rows.append([r["name"], total, r["unit"], target, limit, verdict])
    lines.append(table(rows, ["nutrient", "plan", "unit", "target", "limit", ""], right=[1, 3, 4]))
    if forms:
        lines.append(
            wrap(
                "*: this UL covers one form of the nutrient only, and is checked on it: "
                + "; ".join(forms)
                + "."
            )
        )
    if not plan.unreachable.empty:
        lines += ["", "Targets this plan cannot reach under your restrictions"]
        for _, r in plan.unreachable.iterrows():
            lines.append(
                wrap(
                    f"- {r['name']}: at best {fmt_number(r['best'])} of {fmt_number(r['target'])} "
                    f"{r['unit']}. What would help: {r['what_would_help']}.",
                    hang="  ",
                )
            )
    lines.append("")
    lines.append(
        wrap(
            "Limits: calcium, vitamin D and B6 against their ULs; folate's UL on folic acid; "
            "niacin's UL on the niacin of fortified foods; sodium against its CDRR. The foods "
            "are mostly unsalted: salt added in cooking or at the table is not counted, so "
            "sodium has no minimum here. ≥: a lower bound (a food has no USDA value for it)."
        )
    )
    lines += [wrap(f"Note: {n}") for n in plan.notes]
    lines += ["", wrap(NOT_MEDICAL_ADVICE)]
    return "\n".join(lines)
