"""The optimiser core on small problems whose optima are worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from planner.optimize import GroupCount, GroupSum, optimize_diet


def amounts(solution) -> dict:
    return {k: round(float(v), 6) for k, v in solution.amounts.items()}


# --- a continuous LP -------------------------------------------------------------------

# Three foods, two nutrients:    p   q   cost
#                            a   1   2    1
#                            b   3   1    2
#                            c   2   2    3
# minimise a + 2b + 3c  s.t.  p = a + 3b + 2c >= 6,  q = 2a + b + 2c >= 7,  q <= 10.
# The vertex where both lower bounds bind with a and b: a + 3b = 6, 2a + b = 7 gives
# b = 1, a = 3, cost 5. Duals from a + ... : u + 2v = 1, 3u + v = 2 give u = 0.6, v = 0.2,
# both positive, and c's reduced cost 3 - (2u + 2v) = 1.4 > 0, so the optimum is unique.
# (a alone costs 6, b alone 14.) At it q = 7, so q <= 10 has slack 3.
LP = pd.DataFrame({"p": [1.0, 3.0, 2.0], "q": [2.0, 1.0, 2.0]}, index=["a", "b", "c"])
LP_COST = {"a": 1.0, "b": 2.0, "c": 3.0}


def test_lp_amounts_objective_and_totals():
    s = optimize_diet(LP, lower={"p": 6, "q": 7}, upper={"q": 10}, cost=LP_COST)
    assert s.status == "optimal"
    assert s.ok
    assert amounts(s) == {"a": 3.0, "b": 1.0, "c": 0.0}
    assert s.objective == pytest.approx(5.0)
    assert s.totals.to_dict() == pytest.approx({"p": 6.0, "q": 7.0})
    assert list(s.used().index) == ["a", "b"]
    assert s.shortfall.empty


def test_lp_binding_constraints():
    s = optimize_diet(LP, lower={"p": 6, "q": 7}, upper={"q": 10}, cost=LP_COST)
    rows = s.binding.set_index(["nutrient", "side"])
    assert bool(rows.loc[("p", "lower"), "binding"])
    assert bool(rows.loc[("q", "lower"), "binding"])
    assert not bool(rows.loc[("q", "upper"), "binding"])
    assert rows.loc[("q", "upper"), "slack"] == pytest.approx(3.0)
    assert rows.loc[("p", "lower"), "slack"] == pytest.approx(0.0, abs=1e-7)
    assert rows.loc[("q", "upper"), "bound"] == 10


def test_lp_upper_bound_that_binds():
    # With q <= 7 as well the same vertex is optimal and q sits on both of its bounds.
    s = optimize_diet(LP, lower={"p": 6, "q": 7}, upper={"q": 7}, cost=LP_COST)
    rows = s.binding.set_index(["nutrient", "side"])
    assert amounts(s) == {"a": 3.0, "b": 1.0, "c": 0.0}
    assert bool(rows.loc[("q", "upper"), "binding"])


def test_lp_amount_bounds_move_the_optimum():
    # a <= 2: then a = 2 and p, q need 3b + 2c >= 4 and b + 2c >= 3. With b and c both
    # on: 3b + 2c = 4, b + 2c = 3 give b = 0.5, c = 1.25, cost 2 + 1 + 3.75 = 6.75.
    # (b alone needs b = 3: cost 8; c alone needs c = 2: cost 8.) Optimal and unique.
    s = optimize_diet(LP, lower={"p": 6, "q": 7}, cost=LP_COST, amount_max={"a": 2.0})
    assert amounts(s) == pytest.approx({"a": 2.0, "b": 0.5, "c": 1.25})
    assert s.objective == pytest.approx(6.75)


# --- integer amounts -------------------------------------------------------------------

# One nutrient, p >= 7.  a: p = 3, cost 2;  b: p = 2, cost 1.5.
# LP: a is cheaper per unit of p (0.667 vs 0.75), so a = 7/3, cost 4.667.
# Rounding that up (a = 3) costs 6. Whole units, by hand:
#   a=0: b=4 -> 6     a=1: b=2 -> 5     a=2: b=1 -> 5.5     a=3: b=0 -> 6
# so the integer optimum is a = 1, b = 2 at cost 5: not the rounded LP answer.
INT = pd.DataFrame({"p": [3.0, 2.0]}, index=["a", "b"])
INT_COST = {"a": 2.0, "b": 1.5}


def test_continuous_version_uses_only_the_cheaper_food():
    s = optimize_diet(INT, lower={"p": 7}, cost=INT_COST)
    assert amounts(s) == pytest.approx({"a": 7 / 3, "b": 0.0})
    assert s.objective == pytest.approx(14 / 3)


def test_integer_optimum_is_not_the_rounded_lp():
    s = optimize_diet(INT, lower={"p": 7}, cost=INT_COST, integer=True)
    assert s.status == "optimal"
    assert amounts(s) == {"a": 1.0, "b": 2.0}
    assert s.objective == pytest.approx(5.0)
    assert s.totals["p"] == pytest.approx(7.0)


def test_integer_per_item():
    # Only a must be whole: b fills the rest continuously. a=0: b=3.5 -> 5.25; a=1:
    # b=2 -> 5; a=2: b=0.5 -> 4.75; a=3: 6. So a = 2, b = 0.5, cost 4.75.
    s = optimize_diet(INT, lower={"p": 7}, cost=INT_COST, integer={"a": True})
    assert amounts(s) == pytest.approx({"a": 2.0, "b": 0.5})
    assert s.objective == pytest.approx(4.75)


# --- selection: max_items, groups, forbid, typical -------------------------------------

# Two nutrients at 10 each.  a: (10, 0)  b: (0, 10)  c: (5, 5); costs 1, 1, 1.5.
# Free choice: a + b = 2. With one item only a or b cannot meet both, so c = 2 at 3.
PAIR = pd.DataFrame({"p": [10.0, 0.0, 5.0], "q": [0.0, 10.0, 5.0]}, index=["a", "b", "c"])
PAIR_COST = {"a": 1.0, "b": 1.0, "c": 1.5}


def test_max_items():
    free = optimize_diet(PAIR, lower={"p": 10, "q": 10}, cost=PAIR_COST, amount_max=10.0)
    assert amounts(free) == {"a": 1.0, "b": 1.0, "c": 0.0}
    assert free.objective == pytest.approx(2.0)
    one = optimize_diet(
        PAIR, lower={"p": 10, "q": 10}, cost=PAIR_COST, amount_max=10.0, max_items=1
    )
    assert amounts(one) == {"a": 0.0, "b": 0.0, "c": 2.0}
    assert one.objective == pytest.approx(3.0)


def test_selection_needs_finite_amount_max():
    with pytest.raises(ValueError, match="finite amount_max"):
        optimize_diet(PAIR, lower={"p": 10}, max_items=1)


# Three foods with one unit of p each, costs 1, 2, 3; p >= 4, whole units, at most 4 each.
# Unconstrained: a = 4 at cost 4.
TRIO = pd.DataFrame({"p": [1.0, 1.0, 1.0], "k": [2.0, 1.0, 0.0]}, index=["a", "b", "c"])
TRIO_COST = {"a": 1.0, "b": 2.0, "c": 3.0}


def trio(**kwargs):
    return optimize_diet(
        TRIO, lower={"p": 4}, cost=TRIO_COST, amount_max=4.0, integer=True, **kwargs
    )


def test_group_count_lower():
    # At least one of b, c used (one unit at least, since whole units): b = 1, a = 3,
    # cost 3 + 2 = 5.
    s = trio(groups=[GroupCount("b or c", ["b", "c"], lower=1)])
    assert amounts(s) == {"a": 3.0, "b": 1.0, "c": 0.0}
    assert s.objective == pytest.approx(5.0)


def test_group_count_lower_with_on_min_on_continuous_items():
    # Continuous amounts with on_min 0.5: at least one of b, c at 0.5 or more. b = 0.5,
    # a = 3.5: cost 3.5 + 1 = 4.5.
    s = optimize_diet(
        TRIO,
        lower={"p": 4},
        cost=TRIO_COST,
        amount_max=4.0,
        on_min=0.5,
        groups=[GroupCount("b or c", ["b", "c"], lower=1)],
    )
    assert amounts(s) == {"a": 3.5, "b": 0.5, "c": 0.0}
    assert s.objective == pytest.approx(4.5)


def test_group_count_lower_on_continuous_items():
    s = optimize_diet(
        TRIO,
        lower={"p": 4},
        cost=TRIO_COST,
        amount_max=4.0,
        groups=[GroupCount("b or c", ["b", "c"], lower=1)],
    )
    assert set(s.used().index) & {"b", "c"}


def test_group_count_upper():
    # a not used at all: b = 4 at cost 8.
    s = trio(groups=[GroupCount("no a", ["a"], upper=0)])
    assert amounts(s) == {"a": 0.0, "b": 4.0, "c": 0.0}
    assert s.objective == pytest.approx(8.0)


def test_group_count_both_sides():
    # Exactly three foods used: one unit each of b and c at least, so a = 2, b = 1,
    # c = 1: cost 2 + 2 + 3 = 7.
    s = trio(groups=[GroupCount("all", ["a", "b", "c"], lower=3, upper=3)])
    assert amounts(s) == {"a": 2.0, "b": 1.0, "c": 1.0}
    assert s.objective == pytest.approx(7.0)


def test_group_sum_plain():
    # b + c >= 2 units: the cheapest is b = 2, a = 2: cost 2 + 4 = 6.
    s = trio(groups=[GroupSum("b and c", ["b", "c"], lower=2)])
    assert amounts(s) == {"a": 2.0, "b": 2.0, "c": 0.0}
    assert s.objective == pytest.approx(6.0)


def test_group_sum_with_nutrient_coefficients():
    # k from a and b (2 per a, 1 per b) at most 5: a = 2 (k = 4) and b = 1 (k = 5), c = 1
    # costs 2 + 2 + 3 = 7; a = 2, c = 2 costs 8; a = 1, b = 3 (k = 5) costs 7 as well, so
    # check the objective and the constraint, not one of the tied amounts.
    s = trio(groups=[GroupSum("k", ["a", "b"], upper=5, coef="k")])
    assert s.objective == pytest.approx(7.0)
    x = s.amounts
    assert 2 * x["a"] + x["b"] <= 5 + 1e-9
    assert x.sum() == pytest.approx(4.0)


def test_group_sum_with_mapping_coefficients():
    # 3 per unit of a at most 6 (a <= 2): a = 2, b = 2, cost 6.
    s = trio(groups=[GroupSum("a weighted", ["a"], upper=6, coef={"a": 3.0})])
    assert amounts(s) == {"a": 2.0, "b": 2.0, "c": 0.0}
    assert s.objective == pytest.approx(6.0)


# p >= 7, whole units.  a: p = 3, cost 2;  b: p = 2, cost 1.4.
#   a=0: b=4 -> 5.6    a=1: b=2 -> 4.8    a=2: b=1 -> 5.4    a=3: -> 6
# The best set is {a, b} (4.8). Forbidding that exact set leaves b alone at 5.6.
FORBID = pd.DataFrame({"p": [3.0, 2.0]}, index=["a", "b"])
FORBID_COST = {"a": 2.0, "b": 1.4}


def test_forbid_gives_a_different_set():
    common = dict(lower={"p": 7}, cost=FORBID_COST, amount_max=10.0, integer=True)
    first = optimize_diet(FORBID, **common)
    assert amounts(first) == {"a": 1.0, "b": 2.0}
    assert first.objective == pytest.approx(4.8)
    chosen = set(first.used().index)
    second = optimize_diet(FORBID, **common, forbid=[chosen])
    assert set(second.used().index) != chosen
    assert amounts(second) == {"a": 0.0, "b": 4.0}
    assert second.objective == pytest.approx(5.6)
    # Forbidding both sets seen so far leaves a alone (a = 3 at 6).
    third = optimize_diet(FORBID, **common, forbid=[chosen, set(second.used().index)])
    assert amounts(third) == {"a": 3.0, "b": 0.0}
    assert third.objective == pytest.approx(6.0)


def test_forbid_allows_a_superset():
    # Only the exact set is excluded: {a, b, c} is still allowed. With c cheap and useless
    # otherwise, forcing c in (GroupCount) while forbidding {a, b} gives a = 1, b = 2 and
    # one unit of c (whole units, so at least 1): 4.8 + 0.01.
    foods = pd.DataFrame({"p": [3.0, 2.0, 0.0]}, index=["a", "b", "c"])
    s = optimize_diet(
        foods,
        lower={"p": 7},
        cost={**FORBID_COST, "c": 0.01},
        amount_max=10.0,
        integer=True,
        forbid=[{"a", "b"}],
        groups=[GroupCount("c", ["c"], lower=1)],
    )
    assert amounts(s) == {"a": 1.0, "b": 2.0, "c": 1.0}
    assert s.objective == pytest.approx(4.81)


# Two identical foods, one unit of p each, cost 1; p >= 4. Any split costs 4. Each unit
# away from the typical amount of a used food costs 0.5 more.
TWIN = pd.DataFrame({"p": [1.0, 1.0]}, index=["a", "b"])


def test_typical_one_number():
    # Typical 2: a = b = 2 has no deviation (4); a = 4 deviates by 2 (4 + 1); 3 + 1
    # deviates by 1 + 1 (4 + 1). So 2 + 2 at 4.
    s = optimize_diet(
        TWIN, lower={"p": 4}, cost=1.0, amount_max=4.0, integer=True, typical=(2.0, 0.5)
    )
    assert amounts(s) == {"a": 2.0, "b": 2.0}
    assert s.objective == pytest.approx(4.0)


def test_typical_per_item():
    # Typical a = 1, b = 3: exactly that split has no deviation.
    s = optimize_diet(
        TWIN,
        lower={"p": 4},
        cost=1.0,
        amount_max=4.0,
        integer=True,
        typical=({"a": 1.0, "b": 3.0}, 0.5),
    )
    assert amounts(s) == {"a": 1.0, "b": 3.0}
    assert s.objective == pytest.approx(4.0)


def test_typical_deviation_is_charged_when_unavoidable():
    # p >= 5 with typical 2 each: 2 + 3 deviates by 1 (5 + 0.5); 4 + 1 by 2 + 1 (5 + 1.5);
    # so the objective is 5.5.
    s = optimize_diet(
        TWIN, lower={"p": 5}, cost=1.0, amount_max=4.0, integer=True, typical=(2.0, 0.5)
    )
    assert sorted(amounts(s).values()) == [2.0, 3.0]
    assert s.objective == pytest.approx(5.5)


# --- soft lower bounds and the lexicographic cap ---------------------------------------

# p >= 10 but a (p = 3) is capped at 2 units: at most 6, so the hard model is infeasible.
SHORT = pd.DataFrame({"p": [3.0]}, index=["a"])


def test_hard_model_infeasible():
    s = optimize_diet(SHORT, lower={"p": 10}, cost={"a": 1.0}, amount_max=2.0)
    assert s.status == "infeasible"
    assert not s.ok
    assert s.amounts.empty
    assert s.totals.empty
    assert math.isnan(s.objective)
    assert s.binding.empty


def test_soft_lower_reports_the_shortfall_exactly():
    # Each unit of a costs 1 and cuts the shortfall by 3, worth 3 * 10 / 10 = 3 (weight 10,
    # scale = the bound 10): so a = 2, shortfall 10 - 6 = 4, objective 2 + 10 * 4 / 10 = 6.
    s = optimize_diet(
        SHORT, lower={"p": 10}, cost={"a": 1.0}, amount_max=2.0, soft_lower={"p": 10.0}
    )
    assert s.status == "optimal"
    assert amounts(s) == {"a": 2.0}
    assert s.shortfall.to_dict() == pytest.approx({"p": 4.0})
    assert s.objective == pytest.approx(6.0)
    assert s.totals["p"] == pytest.approx(6.0)
    row = s.binding.set_index("nutrient").loc["p"]
    assert row["slack"] == pytest.approx(-4.0)
    assert not bool(row["binding"])


def test_soft_lower_scale():
    # scale 1: the shortfall costs 10 per unit of p; objective 2 + 40 = 42.
    s = optimize_diet(
        SHORT,
        lower={"p": 10},
        cost={"a": 1.0},
        amount_max=2.0,
        soft_lower={"p": 10.0},
        scale={"p": 1.0},
    )
    assert s.shortfall["p"] == pytest.approx(4.0)
    assert s.objective == pytest.approx(42.0)


def test_soft_lower_that_is_cheaper_to_miss():
    # Weight 1: each unit of a saves only 3 * 1 / 10 = 0.3 for a cost of 1, so none is used
    # and the whole bound is missed: shortfall 10, objective 1.
    s = optimize_diet(
        SHORT, lower={"p": 10}, cost={"a": 1.0}, amount_max=2.0, soft_lower={"p": 1.0}
    )
    assert amounts(s) == {"a": 0.0}
    assert s.shortfall["p"] == pytest.approx(10.0)
    assert s.objective == pytest.approx(1.0)


def test_soft_and_hard_bounds_together():
    # q hard (q >= 2 from a, 1 per unit), p soft: a = 2 needed anyway for q.
    foods = pd.DataFrame({"p": [3.0], "q": [1.0]}, index=["a"])
    s = optimize_diet(
        foods,
        lower={"p": 10, "q": 2},
        cost={"a": 100.0},
        amount_max=2.0,
        soft_lower={"p": 1.0},
    )
    assert amounts(s) == {"a": 2.0}
    assert list(s.shortfall.index) == ["p"]
    assert s.shortfall["p"] == pytest.approx(4.0)


# Three foods with 2 units of p each, at most 2 units; costs 10, 1, 3; p >= 10 soft with
# weight 1 (a unit of p missed costs 1 / 10). Up to 12 units of p are available.
LEX = pd.DataFrame({"p": [2.0, 2.0, 2.0]}, index=["a", "b", "c"])
LEX_COMMON = dict(lower={"p": 10}, amount_max=2.0, soft_lower={"p": 1.0})
LEX_COST = {"a": 10.0, "b": 1.0, "c": 3.0}


def test_single_objective_trades_shortfall_for_cost():
    # A unit of b costs 1 and saves 2 * 0.1 = 0.2: nothing is worth buying.
    s = optimize_diet(LEX, cost=LEX_COST, **LEX_COMMON)
    assert amounts(s) == {"a": 0.0, "b": 0.0, "c": 0.0}
    assert s.shortfall["p"] == pytest.approx(10.0)
    assert s.objective == pytest.approx(1.0)


def test_shortfall_cap_lexicographic():
    # First the least shortfall alone: 0 (many solutions). Then the least cost with the
    # shortfall capped at that: p >= 10 from the cheapest units, b = 2 (2), c = 2 (6),
    # a = 1 (10): cost 18, shortfall 0.
    first = optimize_diet(LEX, **LEX_COMMON)
    assert first.objective == pytest.approx(0.0, abs=1e-9)
    assert first.shortfall["p"] == pytest.approx(0.0, abs=1e-9)
    cap = first.objective * (1 + 1e-6) + 1e-9
    second = optimize_diet(LEX, cost=LEX_COST, shortfall_cap=cap, **LEX_COMMON)
    assert amounts(second) == pytest.approx({"a": 1.0, "b": 2.0, "c": 2.0})
    assert second.objective == pytest.approx(18.0)
    assert second.shortfall["p"] == pytest.approx(0.0, abs=1e-7)


def test_shortfall_cap_with_a_shortfall_left():
    # p >= 14: at most 12, so the least shortfall is 2 (objective 2 / 14). Capped there,
    # every unit must be bought: cost 20 + 2 + 6 = 28.
    common = {**LEX_COMMON, "lower": {"p": 14}}
    first = optimize_diet(LEX, **common)
    assert first.shortfall["p"] == pytest.approx(2.0)
    assert first.objective == pytest.approx(2 / 14)
    second = optimize_diet(LEX, cost=LEX_COST, shortfall_cap=first.objective * (1 + 1e-6), **common)
    assert amounts(second) == pytest.approx({"a": 2.0, "b": 2.0, "c": 2.0})
    assert second.shortfall["p"] == pytest.approx(2.0)
    assert second.objective == pytest.approx(28 + 2 / 14)


def test_shortfall_cap_below_the_least_shortfall_is_infeasible():
    s = optimize_diet(LEX, shortfall_cap=0.1, **{**LEX_COMMON, "lower": {"p": 14}})
    assert s.status == "infeasible"
    assert s.amounts.empty


# --- targets, offset and input errors --------------------------------------------------


def test_target_pulls_total_towards_a_value():
    # No bounds; p should be near 7 with weight 1 per unit of |p - 7| / 7, and a unit of a
    # (p = 3) costs 0.01: a = 2 (p = 6, off by 1/7 = 0.143) vs a = 3 (p = 9, off by 2/7)
    # vs a = 0 (off by 1): a = 2, objective 0.02 + 1/7.
    s = optimize_diet(
        INT, cost={"a": 0.01, "b": 10.0}, amount_max=5.0, integer=True, targets={"p": (7, 1.0)}
    )
    assert amounts(s) == {"a": 2.0, "b": 0.0}
    assert s.objective == pytest.approx(0.02 + 1 / 7)


@pytest.mark.parametrize("offset", [1.0, 100.0])
def test_objective_offset_does_not_change_the_reported_objective(offset):
    plain = optimize_diet(INT, lower={"p": 7}, cost=INT_COST, integer=True)
    shifted = optimize_diet(
        INT, lower={"p": 7}, cost=INT_COST, integer=True, objective_offset=offset
    )
    assert amounts(shifted) == amounts(plain)
    assert shifted.objective == pytest.approx(plain.objective)
    assert shifted.objective == pytest.approx(5.0)


def test_nan_in_the_foods_table_raises():
    foods = pd.DataFrame({"p": [1.0, np.nan], "q": [1.0, 1.0]}, index=["a", "b"])
    with pytest.raises(ValueError, match=r"unknown amount of p in 'b'"):
        optimize_diet(foods, lower={"p": 1})


def test_nan_in_an_unused_column_is_ignored():
    # Only the nutrients with bounds or targets are read.
    foods = pd.DataFrame({"p": [1.0, 2.0], "q": [np.nan, 1.0]}, index=["a", "b"])
    s = optimize_diet(foods, lower={"p": 2}, cost={"a": 1.0, "b": 1.0})
    assert amounts(s) == {"a": 0.0, "b": 1.0}


def test_unknown_nutrient_raises():
    with pytest.raises(KeyError, match="not in the foods table"):
        optimize_diet(LP, lower={"zinc": 1})


def test_infeasible_model_gives_empty_amounts():
    # p <= 5 and p >= 6 cannot both hold.
    s = optimize_diet(LP, lower={"p": 6}, upper={"p": 5}, cost=LP_COST)
    assert s.status == "infeasible"
    assert not s.ok
    assert s.amounts.empty
    assert s.used().empty
    assert s.shortfall.empty
