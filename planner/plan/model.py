"""The day model: meals of the pool's foods that meet every target, solved with HiGHS.

One model per day (:func:`planner.optimize.optimize_diet`), each over its own shortlist: a
day's model of about 230 meal-food items is proven in about a second, while a model of
about 1,500 items (a day over the whole pool) often finds no plan within 3 s, so one model
over a week's 1,600 items was not pursued.

- Items are (meal, food) pairs for the shortlisted foods whose role the meal's pattern
  takes (:mod:`planner.patterns`) and that suit the meal; an item's amount is a count of
  half portions of the food's household portion, 0 to 4.
- Meals keep to their pattern (slots of roles, 2 to 6 foods in a main meal, a fruit in the
  day) and their share of the day's energy (:data:`MEAL_SHARES`).
- Every panel nutrient at or above its target; every UL that applies to food (folate's on
  folic acid, niacin's on the niacin of fortified and enriched foods); sodium at or below
  its CDRR; energy within 5% of the target.
- Each Dietary Guidelines food group within its range (:func:`planner.patterns.food_pattern`),
  grains at least half whole; beans, peas and lentils count as vegetables or protein foods
  through a free split variable, never both.
- Variety: a meal holds at most one food of a family and of a kind (its description's head,
  "spinach"); a kind is in at most two meals a day and never at both lunch and dinner.
  Over several days each food is used on at most ``max_days_per_food`` days and no two
  days use the same foods.
- Objective: energy close to the target, portions close to the household one, few foods,
  and a lower cost for the article's families; a random perturbation from ``seed``.

Unknown nutrient values count as nothing towards a target and as a high, plausible amount
towards a limit (:mod:`planner.candidates`). When targets cannot be met, the model is solved
again with soft targets and the plan says what it misses and what would make it reachable.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from planner import nutrients as registry
from planner.candidates import FORTIFIED_NIACIN, Restrictions, food_ul_limits, included_ids
from planner.errors import PlanError
from planner.optimize import GroupCount, GroupSum, optimize_diet
from planner.patterns import FoodPattern, food_pattern, meal_patterns, roles_for
from planner.plan.shortlist import PLAN_GROUPS, density_scores, plan_pool, shortlist
from planner.targets import Profile, Targets, targets_for_profile

STEPS_PER_PORTION = 2
MAX_PORTIONS_PER_MEAL = 2
ENERGY_TOLERANCE = 0.05
# (lowest, highest) share of the day's energy per meal.
MEAL_SHARES = {
    "breakfast": (0.20, 0.30),
    "lunch": (0.25, 0.35),
    "dinner": (0.25, 0.35),
    "snack": (0.05, 0.15),
}
MAX_MEALS_PER_FOOD = 1  # a food once a day; its kind ("yogurt") at most twice
MAX_MEALS_PER_KIND = 2
MAX_PORTIONS_PER_DAY = 3  # of one food over the whole day
# Meals a family may appear in per day (default 2): no avocado at every meal.
FAMILY_MEALS_PER_DAY = {"avocados": 1, "nuts": 1, "seeds": 1, "fatty_fish": 1, "bananas": 1,
                        "whole_grains": 3, "dairy": 3, "fortified_foods": 3}  # fmt: skip
DEFAULT_FAMILY_MEALS_PER_DAY = 2
# Beans or tofu at both lunch and dinner only for vegetarians: others get meat, poultry,
# fish or eggs at one of them (the patterns' meats, poultry and eggs subgroup).
LEGUME_MEALS_PER_DAY = {False: 1, True: 2}
DIARY_SHARE = 0.5  # --from-diary: at least half the day's foods, where feasible
TYPICAL_WEIGHT = 0.01  # per half portion away from one household portion
SELECT_WEIGHT = 0.02  # per food used: a bigger portion before another food
ARTICLE_DISCOUNT = 0.5  # the article's families cost half as much to use
UNFAMILIAR_COST = 0.03  # per food that is not an everyday food (planner/data/plan_staples.csv)
ENERGY_WEIGHT = 2.0  # per share of the energy target away from it
SEED_NOISE = 0.05  # random spread of the per-food cost, for variety between seeds
SHORTFALL_WEIGHT = 100.0  # relaxed model: per share of a target missed
LEGUMES_AS_VEGETABLES = "legumes as vegetables"  # the split variable's name
MIP_GAP = 0.04
WIDER = 2.5  # the shortlist's breadth when a day cannot be made from the first


@dataclass
class DayPlan:
    """One planned day.

    ``foods``: one row per (meal, food): ``meal``, ``food_id``, ``name``,
    ``description``, ``family``, ``role``, ``source``, ``portions``, ``portion``
    (household text), ``portion_seq``, ``portion_amount``, ``grams``, the nutrients of
    that amount (NaN where USDA gives no value) and its food groups (``fg_*``, NaN when
    unknown). ``totals``: nutrient totals of the day, of the known values. ``status``:
    ``optimal``, ``time_limit``, ``relaxed`` (targets missed, see ``shortfall``, or rules
    of the day's structure that could not be kept, see ``dropped``) or the solver's status.
    """

    foods: pd.DataFrame
    totals: pd.Series
    status: str
    shortfall: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    dropped: tuple[str, ...] = ()  # rules a relaxed day could not keep

    @property
    def ok(self) -> bool:
        """A plan was found that keeps every rule (proven best or best in the time)."""
        return self.status in ("optimal", "time_limit") and not self.foods.empty

    @property
    def lower_bound(self) -> pd.Series:
        ids = list(registry.ids())
        return self.foods[ids].isna().any() if not self.foods.empty else pd.Series(dtype=bool)


@dataclass
class MealPlan:
    """A plan of one or more days, with the targets and food pattern it was built for."""

    profile: Profile
    targets: Targets
    days: list[DayPlan]
    restrictions: Restrictions
    notes: list[str] = field(default_factory=list)
    unreachable: pd.DataFrame = field(default_factory=pd.DataFrame)
    meals: tuple[str, ...] = ()
    pattern: FoodPattern | None = None
    pool_size: int = 0

    @property
    def status(self) -> str:
        statuses = {d.status for d in self.days}
        if all(d.ok for d in self.days):
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


def meal_kind(meal: str) -> str:
    """``snack 1`` -> ``snack``."""
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


def plan_pattern(profile: Profile, targets: Targets, restrictions: Restrictions) -> FoodPattern:
    """The Dietary Guidelines pattern for this person (vegetarian for vegetarians and vegans;
    dairy not required with --no-dairy or --vegan)."""
    return food_pattern(
        targets.energy.kcal,
        profile.age,
        vegetarian=restrictions.vegetarian or restrictions.vegan,
        dairy_required=not (restrictions.no_dairy or restrictions.vegan),
    )


def plan_days(
    profile: Profile,
    days: int = 1,
    restrictions: Restrictions | None = None,
    snacks: int = 2,
    seed: int = 0,
    max_days_per_food: int | None = None,
    extra: pd.DataFrame | None = None,
    prices: pd.Series | None = None,
    time_limit: float = 3.0,
) -> MealPlan:
    """Plan ``days`` days of meals that meet every target within limits.

    Parameters
    ----------
    profile : Profile
    days : int
        1 to 14.
    restrictions : Restrictions, optional
        Diet restrictions, ``exclude`` and ``include`` (each term names foods of which one
        must appear every day).
    snacks : {1, 2}
    seed : int
        Same seed, same plan.
    max_days_per_food : int, optional
        Each food on at most this many days (default: about half the days, at least 2).
    extra : pandas.DataFrame, optional
        The person's own foods (:func:`planner.candidates.diary_foods`): at least half of
        each day's foods come from them where that is feasible.
    prices : pandas.Series, optional
        Price per portion, indexed by food id; the plan then minimises cost and foods
        without a price are not used.
    time_limit : float [s]
        Per solve; when a solve takes longer, the best plan found by then is used (it meets
        every constraint) and its status says ``time_limit``.

    Returns
    -------
    MealPlan
    """
    if not 1 <= days <= 14:
        raise PlanError(f"days must be between 1 and 14, not {days}")
    restrictions = restrictions or Restrictions()
    targets = targets_for_profile(profile)
    meals = meal_names(snacks)
    pool, notes = plan_pool(restrictions, extra=extra, prices=prices)
    pattern = plan_pattern(profile, targets, restrictions)
    if pattern.note:
        notes.append(pattern.note)
    scores = density_scores(pool, targets.table, targets.energy.kcal)
    terms = {t: set(included_ids(pool, [t])) for t in restrictions.include}
    own = set(pool.index[pool["from_diary"].to_numpy()])
    keep = set().union(*terms.values(), own)
    vegetarian = restrictions.vegetarian or restrictions.vegan
    context = _Context(targets, pattern, meals, terms, own, prices is not None, time_limit,
                       vegetarian)  # fmt: skip
    max_days = max_days_per_food or max(2, math.ceil(days / 2))
    rng = np.random.default_rng(seed)
    used_days: dict[str, int] = {}
    kind_days: dict[str, int] = {}
    previous: list[set] = []
    plans = []
    for number in range(1, days + 1):
        banned = {f for f, n in used_days.items() if n >= max_days and f not in keep}
        # and each kind ("oatmeal", "salmon") on at most one day more; milk and yogurt
        # every day are fine
        tired = {k for k, n in kind_days.items() if n >= max_days + 1}
        banned |= set(pool.index[pool["kind"].isin(tired) & pool["role"].ne("dairy")]) - keep
        noise = dict(zip(pool.index, rng.uniform(1 - SEED_NOISE, 1 + SEED_NOISE, len(pool)),
                         strict=True))  # fmt: skip
        day, day_notes = _solve_with_fallbacks(context, pool, scores, rng, keep, banned, noise,
                                               previous, number)  # fmt: skip
        notes.extend(day_notes)
        plans.append(day)
        if day.foods.empty:
            continue
        previous.append(set(day.foods["candidate"]))
        for food in set(day.foods["candidate"]):
            used_days[food] = used_days.get(food, 0) + 1
        for kind in set(pool.loc[list(set(day.foods["candidate"])), "kind"]):
            kind_days[kind] = kind_days.get(kind, 0) + 1
    from planner.plan.explain import plan_notes, unreachable

    plan = MealPlan(profile, targets, plans, restrictions, notes, pd.DataFrame(), meals,
                    pattern, len(pool))  # fmt: skip
    plan.unreachable = unreachable(plan, pool)
    plan.notes.extend(plan_notes(plan))
    return plan


@dataclass
class _Context:
    targets: Targets
    pattern: FoodPattern
    meals: tuple[str, ...]
    include_terms: dict
    own: set
    priced: bool
    time_limit: float
    vegetarian: bool = False


def _solve_with_fallbacks(context, pool, scores, rng, keep, banned, noise, previous, number):
    """Solve a day; when no plan keeps every rule, widen the shortlist, let foods be reused
    beyond the days limit, drop the diary share, then relax the targets and the day's
    structure (never the limits)."""
    notes = []
    foods = shortlist(pool, scores, rng, keep, banned)
    day = _solve_day(context, foods, noise, previous)
    if not day.ok:
        # the shortlist may lack a food the day needs
        foods = shortlist(pool, scores, rng, keep, banned, breadth=WIDER)
        day = _solve_day(context, foods, noise, previous)
    if not day.ok and banned:
        foods = shortlist(pool, scores, rng, keep, set(), breadth=WIDER)
        day = _solve_day(context, foods, noise, previous)
        if day.ok:
            notes.append(f"Day {number} reuses foods beyond the days limit.")
    if not day.ok and context.own:
        day = _solve_day(context, foods, noise, previous, diary_share=False)
        if day.ok:
            notes.append(
                f"Day {number}: fewer than half of its foods are from your diary; more would "
                "miss a target or a limit."
            )
    if not day.ok:
        day = _solve_day(context, foods, noise, previous, diary_share=False, relax=True)
    return day, notes


def _items(foods: pd.DataFrame, meals: tuple[str, ...]) -> pd.DataFrame:
    """One row per (meal, food) pair the meal's pattern and the food's meals allow, with
    the nutrients, limit amounts and food groups of half a portion."""
    keys, food_of = [], []
    for meal in meals:
        kind = meal_kind(meal)
        roles = roles_for(kind)
        fits = foods["role"].isin(roles) & foods["meals"].map(lambda ms, k=kind: k in ms)
        for food in foods.index[fits.to_numpy()]:
            keys.append(f"{meal}|{food}")
            food_of.append(food)
    columns = [*registry.ids(), *[c for c in foods.columns if c.startswith("limit::")],
               *PLAN_GROUPS]  # fmt: skip
    values = foods.loc[food_of, columns].fillna(0.0).to_numpy(dtype=float) / STEPS_PER_PORTION
    table = pd.DataFrame(values, index=keys, columns=columns)
    table.attrs["food_of"] = dict(zip(keys, food_of, strict=True))
    return table


def _solve_day(context: _Context, foods: pd.DataFrame, noise: dict, previous: list,
               diary_share: bool = True, relax: bool = False) -> DayPlan:  # fmt: skip
    targets, pattern, meals = context.targets, context.pattern, context.meals
    table = _items(foods, meals)
    food_of = table.attrs["food_of"]
    lower, upper = limits_for(targets)
    # limits are checked on the "limit::" columns, where an unknown value counts high
    upper_cols = {(k if k == "energy_kcal" else f"limit::{k}"): v for k, v in upper.items()}
    groups = _meal_groups(table, food_of, foods, meals, targets.energy.kcal)
    groups += _variety_groups(food_of, foods, context)
    groups += _food_groups(table, pattern)
    if diary_share and context.own:
        weights = {k: (1 - DIARY_SHARE) if f in context.own else -DIARY_SHARE
                   for k, f in food_of.items()}  # fmt: skip
        groups.append(GroupCount("diary share", list(table.index), 0.0, None, weights))
    if context.priced:
        price = foods["price"] / STEPS_PER_PORTION
        cost = pd.Series([price[f] for f in food_of.values()], index=table.index)
        select, typical, energy_target = 0.0, None, None
    else:
        cost = None
        discount = np.where(foods["family"].ne(""), 1 - ARTICLE_DISCOUNT, 1.0)
        extra = np.where(foods["staple"].astype(bool), 0.0, UNFAMILIAR_COST)
        per_food = dict(zip(foods.index, SELECT_WEIGHT * discount + extra, strict=True))
        select = pd.Series([noise[f] * per_food[f] for f in food_of.values()],
                           index=table.index)  # fmt: skip
        typical = (typical_steps(targets.energy.kcal), TYPICAL_WEIGHT)
        energy_target = {"energy_kcal": (targets.energy.kcal, ENERGY_WEIGHT)}
    common = dict(
        lower=lower,
        upper=upper_cols,
        cost=cost,
        amount_max=max_steps(targets.energy.kcal),
        integer=True,
        select_cost=select,
        on_min=_main_protein_minimum(food_of, foods, targets.energy.kcal),
        typical=typical,
        targets=energy_target,
        groups=groups,
        forbid=[s for s in previous if s <= set(foods.index)],
        forbid_by=food_of,
        free={LEGUMES_AS_VEGETABLES: (0.0, math.inf)},
        time_limit=context.time_limit,
        # stop within about 0.05 of the best objective (two unfamiliar foods' cost): proving
        # a tighter optimum takes seconds longer for plans that read the same
        mip_rel_gap=MIP_GAP,
        objective_offset=1.0,
    )
    solution = optimize_diet(table, **common)
    status = solution.status
    dropped: tuple[str, ...] = ()
    if not solution.ok and relax:
        # Never an empty answer: let targets (energy too) fall short at a price; if the
        # day's structure itself cannot be met, drop the meals' energy shares and the food
        # groups, and then the meal patterns' minimums (keeping their maximums).
        soft = {n: SHORTFALL_WEIGHT for n in lower}
        solution = optimize_diet(table, **common, soft_lower=soft)
        fewer = [g for g in groups if not g.name.startswith(("energy ", "group "))]
        if not solution.ok:
            dropped = ("meal energy shares", "food groups")
            solution = optimize_diet(table, **{**common, "groups": fewer}, soft_lower=soft)
        if not solution.ok:
            # too few foods for the meal patterns (one protein food for a vegan kidney
            # diet without nuts): keep each slot's maximum, not its minimum
            loosest = [replace(g, lower=None) if g.name.startswith("slot ") else g
                       for g in fewer]  # fmt: skip
            loosest = [replace(g, upper=2) if g.name.startswith("meals ") else g
                       for g in loosest]  # fmt: skip
            dropped = (*dropped, "meal patterns")
            solution = optimize_diet(table, **{**common, "groups": loosest}, soft_lower=soft)
        status = "relaxed" if solution.ok else solution.status
    if not solution.ok:
        # "time_limit" with no plan found is no plan at all
        status = "infeasible" if status == "infeasible" else "no_plan"
        return DayPlan(no_foods(), pd.Series(dtype=float), status)
    day_foods = day_table(solution.used(), food_of, foods)
    totals = day_foods[list(registry.ids())].sum()
    totals[FORTIFIED_NIACIN] = float((day_foods["limit_niacin"] * day_foods["portions"]).sum())
    day_foods = day_foods.drop(columns="limit_niacin")
    shortfall = solution.shortfall[solution.shortfall > 1e-6] if status == "relaxed" else None
    return DayPlan(day_foods, totals, status,
                   shortfall if shortfall is not None else pd.Series(dtype=float),
                   dropped)  # fmt: skip


def _main_protein_minimum(food_of: dict, foods: pd.DataFrame, kcal: float) -> dict:
    """Half portions each item takes when used: one whole portion for the protein food of
    an adult's lunch or dinner (a 3 oz fillet, not 1 1/2 oz), half a portion otherwise."""
    whole = float(STEPS_PER_PORTION) if typical_steps(kcal) >= STEPS_PER_PORTION else 1.0
    role = foods["role"]
    return {k: whole if k.split("|", 1)[0] in ("lunch", "dinner") and role[f] == "protein"
            else 1.0 for k, f in food_of.items()}  # fmt: skip


def typical_steps(kcal: float) -> float:
    """The amount of a food the plan prefers, in half portions: a household portion (2)
    for an adult's 2,000 kcal and more, less for a small child's day.

    Examples
    --------
    >>> typical_steps(2400), typical_steps(1400), typical_steps(900)
    (2.0, 1.4, 1.0)
    """
    return float(min(2.0, max(1.0, STEPS_PER_PORTION * kcal / 2000)))


def max_steps(kcal: float) -> float:
    """The most of a food in one meal, in half portions: two portions for an adult, less
    for a small child (1.5 portions at 1,400 kcal, one at 1,000 kcal).

    Examples
    --------
    >>> max_steps(2000), max_steps(1400), max_steps(1000)
    (4.0, 3.0, 2.0)
    """
    most = STEPS_PER_PORTION * MAX_PORTIONS_PER_MEAL
    return float(max(STEPS_PER_PORTION, round(most * min(1.0, kcal / 2000))))


def _by(keys, key_of) -> dict:
    out: dict = {}
    for k in keys:
        out.setdefault(key_of(k), []).append(k)
    return out


def _meal_groups(table, food_of, foods, meals, kcal) -> list:
    """Each meal's pattern slots and energy share, and the day's slots."""
    groups = []
    role = foods["role"]
    by_meal = _by(table.index, lambda k: k.split("|", 1)[0])
    for meal in meals:
        in_meal = by_meal.get(meal, [])
        kind = meal_kind(meal)
        lo, hi = MEAL_SHARES[kind]
        groups.append(GroupSum(f"energy {meal}", in_meal, lo * kcal, hi * kcal, "energy_kcal"))
        for slot in meal_patterns()[kind]:
            its = [k for k in in_meal if slot.takes(role[food_of[k]])]
            groups.append(GroupCount(f"slot {meal} {slot.name}", its, slot.min, slot.max))
    for slot in meal_patterns().get("day", ()):
        its = [k for k in table.index if slot.takes(role[food_of[k]])]
        groups.append(GroupCount(f"slot day {slot.name}", its, slot.min, slot.max))
    return groups


def _variety_groups(food_of: dict, foods: pd.DataFrame, context: _Context) -> list:
    groups = []
    meal_of = {k: k.split("|", 1)[0] for k in food_of}
    family, kind = foods["family"], foods["kind"]
    for (meal, fam), its in _by(food_of, lambda k: (meal_of[k], family[food_of[k]])).items():
        if fam and len(its) > 1:
            groups.append(GroupCount(f"family {meal} {fam}", its, None, 1))
    for fam, its in _by(food_of, lambda k: family[food_of[k]]).items():
        if fam:
            cap = FAMILY_MEALS_PER_DAY.get(fam, DEFAULT_FAMILY_MEALS_PER_DAY)
            if fam == "legumes":
                cap = LEGUME_MEALS_PER_DAY[context.vegetarian]
            groups.append(GroupCount(f"day {fam}", its, None, cap))
    fish = [k for k, f in food_of.items() if meal_of[k] in ("lunch", "dinner")
            and foods.at[f, "fish"] and foods.at[f, "role"] == "protein"]  # fmt: skip
    if len(fish) > 1:  # fish at one main meal a day, meat, poultry, eggs or beans at the other
        groups.append(GroupCount("seafood mains", fish, None, 1))
    for (meal, knd), its in _by(food_of, lambda k: (meal_of[k], kind[food_of[k]])).items():
        if len(its) > 1:
            groups.append(GroupCount(f"kind {meal} {knd}", its, None, 1))
    for knd, its in _by(food_of, lambda k: kind[food_of[k]]).items():
        groups.append(GroupCount(f"kind day {knd}", its, None, MAX_MEALS_PER_KIND))
        mains = [k for k in its if meal_of[k] in ("lunch", "dinner")]
        if len(mains) > 1:  # never the same kind of food at both lunch and dinner
            groups.append(GroupCount(f"kind mains {knd}", mains, None, 1))
    for food, its in _by(food_of, lambda k: food_of[k]).items():
        groups.append(GroupCount(f"meals {food}", its, None, MAX_MEALS_PER_FOOD))
        steps = MAX_PORTIONS_PER_DAY * STEPS_PER_PORTION
        groups.append(GroupSum(f"portions {food}", its, None, steps))
    for term, named in context.include_terms.items():
        its = [k for k, f in food_of.items() if f in named]
        groups.append(GroupCount(f"include {term}", its, 1, None))
    return groups


def _food_groups(table: pd.DataFrame, pattern: FoodPattern) -> list:
    """The day's food groups within the pattern's ranges, legumes split between two."""
    split = LEGUMES_AS_VEGETABLES
    keys = list(table.index)
    g = pattern.groups
    column = table.to_dict(orient="series")
    veg = {**column["fg_vegetables"].to_dict(), split: 1.0}
    legumes = column["fg_legumes"]
    protein = (column["fg_protein_foods"] + 4 * legumes).to_dict()
    protein[split] = -4.0
    whole = (column["fg_whole_grains"] - 0.5 * column["fg_grains"]).to_dict()
    cap = {**{k: -v for k, v in legumes.to_dict().items()}, split: 1.0}
    return [
        GroupSum("group vegetables", [*keys, split], g["vegetables"].minimum,
                 g["vegetables"].maximum, veg),
        GroupSum("group protein foods", [*keys, split], g["protein_foods"].minimum,
                 g["protein_foods"].maximum, protein),
        GroupSum("group legumes split", [*keys, split], None, 0.0, cap),
        GroupSum("group fruits", keys, g["fruits"].minimum, g["fruits"].maximum, "fg_fruits"),
        GroupSum("group grains", keys, g["grains"].minimum, g["grains"].maximum, "fg_grains"),
        GroupSum("group dairy", keys, g["dairy"].minimum, g["dairy"].maximum, "fg_dairy"),
        GroupSum("group whole grains", keys, 0.0, None, whole),
    ]  # fmt: skip


DAY_COLUMNS = ["meal", "candidate", "food_id", "name", "description", "family", "role",
               "source", "from_diary", "portions", "portion", "portion_seq", "portion_amount",
               "portion_measure", "grams"]  # fmt: skip


def day_table(used: pd.Series, food_of: dict, foods: pd.DataFrame) -> pd.DataFrame:
    """The day's (meal, food) amounts as foods with portions, nutrients and food groups."""
    from planner.foods import portion_label

    rows = []
    ids = list(registry.ids())
    for key, steps in used.items():
        food = foods.loc[food_of[key]]
        portions = steps / STEPS_PER_PORTION
        rows.append(
            {
                "meal": key.split("|", 1)[0],
                "candidate": food_of[key],
                **{c: food[c] for c in DAY_COLUMNS[2:9]},
                "portions": portions,
                "portion": portion_label(
                    food["portion_amount"] * portions, short_measure(food["portion_measure"])
                ),
                "portion_seq": int(food["portion_seq"]),
                "portion_amount": float(food["portion_amount"]),
                "portion_measure": food["portion_measure"],
                "grams": food["portion_grams"] * portions,
                **{n: math.nan if n in food["unknown"] else food[n] * portions for n in ids},
                **{g: food[g] * portions for g in PLAN_GROUPS},
                "limit_niacin": food[f"limit::{FORTIFIED_NIACIN}"],
            }
        )
    frame = pd.DataFrame(rows, columns=[*DAY_COLUMNS, *ids, *PLAN_GROUPS, "limit_niacin"])
    order = {m: i for i, m in enumerate(["breakfast", "lunch", "dinner", "snack", "snack 1",
                                         "snack 2"])}  # fmt: skip
    frame = frame.sort_values("meal", key=lambda s: s.map(order), kind="stable")
    return frame.reset_index(drop=True)


def short_measure(measure: str) -> str:
    """A measure without USDA's sizes in inches: 'medium (7" to 7-7/8" long)' -> 'medium'.

    Examples
    --------
    >>> short_measure('medium (7" to 7-7/8" long)'), short_measure("can (3.75 oz)")
    ('medium', 'can (3.75 oz)')
    >>> short_measure("patty (yield from 1/4 lb raw meat)")
    'patty'
    """
    # sizes in inches, yields and serving notes say nothing at the table; "(3.75 oz)" does
    return re.sub(r"\s*\((?=[^)]*(?:\"|yield|NLEA|approx))[^)]*\)", "", measure).strip()


def no_foods() -> pd.DataFrame:
    """An empty day's foods table, with every column."""
    return pd.DataFrame(columns=[*DAY_COLUMNS, *registry.ids(), *PLAN_GROUPS])
