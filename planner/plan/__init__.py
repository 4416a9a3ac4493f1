"""Plan days of meals that meet every target: the day model, its pool and its output.

- :mod:`planner.plan.shortlist`: the restricted pool and one day's shortlist of foods;
- :mod:`planner.plan.model`: the day model (:func:`plan_days`, :class:`MealPlan`);
- :mod:`planner.plan.explain`: what a plan cannot reach, and what would help;
- :mod:`planner.plan.output`: tables, JSON and text.
"""

from planner.errors import PlanError
from planner.plan.model import (
    ENERGY_TOLERANCE,
    MAX_MEALS_PER_FOOD,
    MAX_MEALS_PER_KIND,
    MAX_PORTIONS_PER_DAY,
    MAX_PORTIONS_PER_MEAL,
    MEAL_SHARES,
    STEPS_PER_PORTION,
    DayPlan,
    MealPlan,
    limits_for,
    meal_kind,
    meal_names,
    plan_days,
)
from planner.plan.output import (
    article_share,
    day_groups,
    groups_frame,
    plan_frame,
    plan_json,
    read_prices,
    render_plan,
    totals_frame,
)

__all__ = [
    "ENERGY_TOLERANCE",
    "MAX_MEALS_PER_FOOD",
    "MAX_MEALS_PER_KIND",
    "MAX_PORTIONS_PER_DAY",
    "MAX_PORTIONS_PER_MEAL",
    "MEAL_SHARES",
    "STEPS_PER_PORTION",
    "DayPlan",
    "MealPlan",
    "PlanError",
    "article_share",
    "day_groups",
    "groups_frame",
    "limits_for",
    "meal_kind",
    "meal_names",
    "plan_days",
    "plan_frame",
    "plan_json",
    "read_prices",
    "render_plan",
    "totals_frame",
]
