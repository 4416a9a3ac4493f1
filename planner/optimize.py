"""A general diet optimiser over any foods x nutrients table (mixed-integer, HiGHS).

:func:`optimize_diet` knows nothing of planner's panel, the article's foods or meals. It
takes a table of items (rows) by nutrients (columns, amount per unit of the item) and
chooses how many units of each item to take:

    minimise    sum_i cost_i x_i                        (per-unit cost, e.g. price or kcal)
              + sum_i select_cost_i y_i                 (a cost for using an item at all)
              + sum_n shortfall_weight_n s_n / scale_n  (soft lower bounds: shortfall)
              + sum_n target_weight_n |T_n - t_n| / scale_n   (aim for a value)
              + typical_weight sum_i |x_i - typical_i y_i|   (prefer typical amounts)
    subject to  lower_n - s_n <= T_n = sum_i a_in x_i <= upper_n
                amount_min_i <= x_i <= amount_max_i, x_i integer where asked
                x_i <= amount_max_i y_i,  x_i >= on_min_i y_i   (when selection is used)
                group sums and group counts within bounds
                at most ``max_items`` items used

Hard lower bounds have no shortfall variable (``s_n = 0``); soft ones let the solver fall
short at a price, which is how a relaxed model finds the best achievable amount when the
hard model is infeasible. Scales (``scale_n``, default the bound itself) put nutrients
measured in mg and µg on one footing, so a shortfall is counted in shares of its bound.

The solver is :func:`scipy.optimize.milp` (HiGHS branch and cut).
"""

from __future__ import annotations

import math
import os
import sys
import warnings
from collections.abc import Collection, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

STATUS = {0: "optimal", 1: "time_limit", 2: "infeasible", 3: "unbounded", 4: "error"}
TOLERANCE = 1e-6


@dataclass(frozen=True)
class GroupSum:
    """``lower <= sum(coef_i * x_i for i in items) <= upper`` (either bound may be None).

    ``coef`` is a mapping item -> coefficient, or a nutrient column name to use that
    nutrient's amounts as coefficients, or None for 1 per unit.
    """

    name: str
    items: Sequence
    lower: float | None = None
    upper: float | None = None
    coef: Mapping | str | None = None


@dataclass(frozen=True)
class GroupCount:
    """``lower <= (number of items used among items) <= upper``. Needs selection.

    With ``weights`` (item -> weight), each item used counts its weight instead of 1:
    "at least half of the foods used are the person's own" is
    ``GroupCount(name, items, 0, None, weights={own: 0.5, other: -0.5})``.
    """

    name: str
    items: Sequence
    lower: float | None = None
    upper: float | None = None
    weights: Mapping | None = None


@dataclass
class DietSolution:
    """What :func:`optimize_diet` found.

    Attributes
    ----------
    status : str
        ``optimal``, ``time_limit`` (best found in time), ``infeasible``, ``unbounded``
        or ``error``.
    amounts : pandas.Series
        Units of each item (0 for unused); empty when no solution was found.
    totals : pandas.Series
        Nutrient totals of the solution.
    objective : float
    shortfall : pandas.Series
        How far each soft lower bound was missed (in the nutrient's unit), 0 when met.
    binding : pandas.DataFrame
        One row per nutrient bound: ``nutrient``, ``side`` (lower or upper), ``bound``,
        ``total``, ``slack`` and ``binding`` (the total sits on the bound).
    message : str
        The solver's message.
    """

    status: str
    amounts: pd.Series
    totals: pd.Series
    objective: float
    shortfall: pd.Series
    binding: pd.DataFrame
    message: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status in ("optimal", "time_limit") and not self.amounts.empty

    def used(self) -> pd.Series:
        """The items with a non-zero amount."""
        return self.amounts[self.amounts > TOLERANCE]


def _as_series(value, index, default: float) -> np.ndarray:
    if value is None:
        return np.full(len(index), default, dtype=float)
    if isinstance(value, int | float):
        return np.full(len(index), float(value))
    return pd.Series(value, dtype=float).reindex(index).fillna(default).to_numpy()


def optimize_diet(
    foods: pd.DataFrame,
    lower: Mapping[str, float] | None = None,
    upper: Mapping[str, float] | None = None,
    cost: Mapping | pd.Series | float | None = None,
    amount_min: Mapping | pd.Series | float | None = 0.0,
    amount_max: Mapping | pd.Series | float | None = None,
    integer: bool | Mapping | pd.Series = False,
    *,
    soft_lower: Mapping[str, float] | None = None,
    targets: Mapping[str, tuple[float, float]] | None = None,
    scale: Mapping[str, float] | None = None,
    on_min: Mapping | pd.Series | float | None = None,
    select_cost: Mapping | pd.Series | float | None = None,
    max_items: int | None = None,
    groups: Sequence[GroupSum | GroupCount] = (),
    forbid: Sequence[Collection] = (),
    forbid_by: Mapping | None = None,
    typical: tuple[Mapping | pd.Series | float, float] | None = None,
    free: Mapping[str, tuple[float, float]] | None = None,
    shortfall_cap: float | None = None,
    time_limit: float = 20.0,
    mip_rel_gap: float = 1e-4,
    objective_offset: float = 0.0,
    highs_options: Mapping | None = None,
) -> DietSolution:
    """Choose amounts of foods that meet nutrient bounds at the least cost.

    Parameters
    ----------
    foods : pandas.DataFrame
        Items by nutrients: the amount of each nutrient in one unit of the item (a gram,
        a portion, half a portion...). A NaN is an error: decide what unknown means for
        your problem before optimising.
    lower, upper : mapping, optional
        Hard bounds on nutrient totals.
    cost : mapping, Series or float, optional
        Objective cost per unit of each item (default: none).
    amount_min, amount_max : mapping, Series or float, optional
        Bounds on units of each item (default 0 and unbounded).
    integer : bool or mapping
        Whether amounts are whole units (for all items, or per item).
    soft_lower : mapping, optional
        Nutrient -> weight: lower bounds (from ``lower``) that may be missed, each unit
        of shortfall (scaled) costing ``weight``.
    targets : mapping, optional
        Nutrient -> (value, weight): penalise the absolute distance of the total from a
        value (scaled by ``scale`` or the value).
    scale : mapping, optional
        Nutrient -> divisor for shortfall and target penalties (default: the bound).
    on_min : mapping, Series or float, optional
        Minimum units of an item when it is used at all (needs selection; default 1 for
        integer items).
    select_cost : mapping, Series or float, optional
        Cost of using an item at all (turns on selection variables).
    max_items : int, optional
        At most this many items used (turns on selection variables).
    groups : sequence of GroupSum or GroupCount
        Extra constraints over subsets of items.
    forbid : sequence of collections
        Sets of items to exclude: a solution may not use exactly one of these sets (for
        variety between successive plans). Turns on selection variables.
    forbid_by : mapping, optional
        Item -> key (for example the food an item of a meal plan is). With it, ``forbid``
        holds sets of keys: a solution may not use exactly the same keys as an earlier one.
    typical : (units, weight), optional
        Prefer typical amounts: for each item used, every unit away from ``units`` (a
        mapping or one number for all) costs ``weight``. Turns on selection variables.
    free : mapping, optional
        Name -> (lower, upper): continuous variables outside the foods table, at no cost,
        that :class:`GroupSum` rows may use (name them in ``items`` and give their
        coefficient in ``coef``), for example the share of a food group counted in another
        group. Their values are in ``solution.extra["free"]``.
    shortfall_cap : float, optional
        An upper bound on the weighted shortfall term of the objective. Solving once
        for the least shortfall, then again with it capped and another objective, gives
        a lexicographic optimum (the second goal among the best solutions of the first).
    time_limit : float [s]
    mip_rel_gap : float
        HiGHS stops when the relative gap between the best solution and its bound is
        below this.
    objective_offset : float
        A constant added to the objective. HiGHS measures the gap relative to the
        objective, so an objective near zero is slow to prove; an offset turns
        ``mip_rel_gap`` into an absolute gap of about ``mip_rel_gap * offset``.
    highs_options : mapping, optional
        More HiGHS options, passed as they are (for example ``mip_heuristic_effort``).

    Returns
    -------
    DietSolution

    Examples
    --------
    The classic two-food problem: meet 10 units of protein at least cost.

    >>> import pandas as pd
    >>> foods = pd.DataFrame({"protein": [2.0, 5.0]}, index=["bread", "beans"])
    >>> s = optimize_diet(foods, lower={"protein": 10}, cost={"bread": 1.0, "beans": 2.0})
    >>> s.status, s.amounts.round(3).to_dict(), round(s.objective, 3)
    ('optimal', {'bread': 0.0, 'beans': 2.0}, 4.0)
    """
    from scipy.optimize import Bounds, milp

    lower, upper = dict(lower or {}), dict(upper or {})
    soft_lower, targets = dict(soft_lower or {}), dict(targets or {})
    scale = dict(scale or {})
    used_nutrients = list(dict.fromkeys([*lower, *upper, *targets]))
    missing = [n for n in used_nutrients if n not in foods.columns]
    if missing:
        raise KeyError(f"nutrients not in the foods table: {missing}")
    matrix = foods[used_nutrients].to_numpy(dtype=float)
    if np.isnan(matrix).any():
        rows, cols = np.nonzero(np.isnan(matrix))
        raise ValueError(
            f"unknown amount of {used_nutrients[cols[0]]} in {foods.index[rows[0]]!r}; "
            "decide what unknown means before optimising"
        )
    items = foods.index
    n = len(items)
    a_max = _as_series(amount_max, items, math.inf)
    a_min = _as_series(amount_min, items, 0.0)
    if isinstance(integer, bool):
        is_int = np.full(n, integer)
    else:
        is_int = pd.Series(integer).reindex(items).fillna(False).to_numpy(dtype=bool)
    counts = [g for g in groups if isinstance(g, GroupCount)]
    selecting = (
        select_cost is not None
        or max_items is not None
        or bool(counts)
        or on_min is not None
        or bool(forbid)
        or forbid_by is not None
        or typical is not None
    )
    if selecting and not np.isfinite(a_max).all():
        raise ValueError("selection (max_items, counts, select_cost) needs a finite amount_max")

    # Variable layout: x (n), y (n if selecting), s (soft), d+ d- (targets), u v (typical),
    # z (one per forbid_by key), and one variable fixed at 1 for the objective offset.
    soft = [nut for nut in soft_lower if nut in lower]
    tgt = list(targets)
    typical_units, typical_weight = typical if typical is not None else (None, 0.0)
    keys = list(dict.fromkeys(forbid_by[i] for i in items)) if forbid_by is not None else []
    n_y = n if selecting else 0
    n_u = n if typical is not None else 0
    y0 = n
    s0 = y0 + n_y
    d0 = s0 + len(soft)
    u0 = d0 + 2 * len(tgt)
    z0 = u0 + 2 * n_u
    k0 = z0 + len(keys)
    free = dict(free or {})
    f0 = k0 + 1
    free_position = {name: f0 + j for j, name in enumerate(free)}
    n_vars = f0 + len(free)

    def scale_of(nut: str, bound: float) -> float:
        value = scale.get(nut, abs(bound) if bound else 1.0)
        return value if value > 0 else 1.0

    c = np.zeros(n_vars)
    c[:n] = _as_series(cost, items, 0.0)
    if selecting:
        c[y0 : y0 + n] = _as_series(select_cost, items, 0.0)
    for k, nut in enumerate(soft):
        c[s0 + k] = soft_lower[nut] / scale_of(nut, lower[nut])
    for k, nut in enumerate(tgt):
        value, weight = targets[nut]
        c[d0 + 2 * k] = c[d0 + 2 * k + 1] = weight / scale_of(nut, value)
    c[u0 : u0 + 2 * n_u] = typical_weight
    c[k0] = objective_offset

    lb = np.zeros(n_vars)
    ub = np.full(n_vars, math.inf)
    lb[:n], ub[:n] = a_min, a_max
    if selecting:
        ub[y0 : y0 + n] = 1.0
    lb[k0] = ub[k0] = 1.0
    for name, (low, high) in free.items():
        lb[free_position[name]], ub[free_position[name]] = low, high
    integrality = np.zeros(n_vars)
    integrality[:n] = is_int
    integrality[y0 : y0 + n_y] = 1
    integrality[z0:k0] = 1
    ub[z0:k0] = 1.0

    rows = _Rows(n_vars)
    # nutrient totals
    col = {nut: j for j, nut in enumerate(used_nutrients)}
    everything = np.arange(n)
    for nut in dict.fromkeys([*lower, *upper]):
        cols, vals = [everything], [matrix[:, col[nut]]]
        if nut in soft:
            cols.append([s0 + soft.index(nut)])
            vals.append([1.0])
        rows.add(cols, vals, lower.get(nut, -math.inf), upper.get(nut, math.inf))
    for k, nut in enumerate(tgt):  # total - d+ + d- = value
        value = targets[nut][0]
        rows.add([everything, [d0 + 2 * k, d0 + 2 * k + 1]], [matrix[:, col[nut]], [-1, 1]],
                 value, value)  # fmt: skip

    if selecting:
        # "used" means a positive amount: one unit for whole units, a sliver otherwise
        sliver = np.where(np.isfinite(a_max), a_max * 1e-6, 0.0)
        default_on = np.where(is_int, 1.0, sliver)
        on = _as_series(on_min, items, 1.0) if on_min is not None else default_on
        for i in range(n):  # on_i y_i <= x_i <= max_i y_i
            rows.add([[i, y0 + i]], [[1.0, -a_max[i]]], -math.inf, 0.0)
            rows.add([[i, y0 + i]], [[1.0, -on[i]]], 0.0, math.inf)
        if max_items is not None:
            rows.add([np.arange(y0, y0 + n)], [np.ones(n)], 0.0, float(max_items))
    if typical is not None:
        t = _as_series(typical_units, items, 0.0)
        for i in range(n):  # x_i - t_i y_i - u_i + v_i = 0
            rows.add([[i, y0 + i, u0 + i, u0 + n + i]], [[1.0, -t[i], -1.0, 1.0]], 0.0, 0.0)

    position = {item: i for i, item in enumerate(items)}
    for g in groups:
        index = np.array([position[i] for i in g.items if i in position], dtype=int)
        if isinstance(g, GroupCount):
            cols = y0 + index
            if g.weights is None:
                vals = np.ones(len(index))
            else:
                vals = np.array([float(g.weights.get(items[i], 0.0)) for i in index])
        elif isinstance(g.coef, str):
            cols, vals = index, foods[g.coef].to_numpy(dtype=float)[index]
        elif g.coef is None:
            cols, vals = index, np.ones(len(index))
        else:
            cols, vals = index, np.array([float(g.coef.get(items[i], 0.0)) for i in index])
            extra = [name for name in g.items if name in free_position]
            cols = np.concatenate([cols, [free_position[name] for name in extra]]).astype(int)
            vals = np.concatenate([vals, [float(g.coef.get(name, 0.0)) for name in extra]])
        lo = -math.inf if g.lower is None else g.lower
        hi = math.inf if g.upper is None else g.upper
        rows.add([cols], [vals], lo, hi)

    if keys:  # z_k = 1 exactly when some item with key k is used
        key_index = {k: z0 + j for j, k in enumerate(keys)}
        members: dict = {}
        for i, item in enumerate(items):
            members.setdefault(key_index[forbid_by[item]], []).append(y0 + i)
            rows.add([[y0 + i, key_index[forbid_by[item]]]], [[1.0, -1.0]], -math.inf, 0.0)
        for z, ys in members.items():
            rows.add([[z], ys], [[1.0], -np.ones(len(ys))], -math.inf, 0.0)
    # a different set than each earlier solution: of items, or of keys with forbid_by
    start, size = (z0, len(keys)) if keys else (y0, n)
    index = {k: j for j, k in enumerate(keys)} if keys else position
    for previous in forbid:
        chosen = np.array(sorted({index[i] for i in previous if i in index}), dtype=int)
        signs = -np.ones(size)
        signs[chosen] = 1.0
        rows.add([np.arange(start, start + size)], [signs], -math.inf, len(chosen) - 1.0)

    if shortfall_cap is not None and soft:
        rows.add([np.arange(s0, s0 + len(soft))], [c[s0 : s0 + len(soft)]], -math.inf,
                 shortfall_cap)  # fmt: skip

    constraints = [rows.constraint()] if rows.count else []
    options = {"time_limit": time_limit, "mip_rel_gap": mip_rel_gap, "presolve": True}
    with _stdout_to_stderr(), warnings.catch_warnings():
        # scipy warns that options it does not know go to HiGHS verbatim: that is the point
        warnings.filterwarnings("ignore", "Unrecognized options", RuntimeWarning)
        result = milp(
            c,
            integrality=integrality,
            bounds=Bounds(lb, ub),
            constraints=constraints,
            options={**options, **dict(highs_options or {})},
        )
    solution = _solution(
        result, foods, items, used_nutrients, lower, upper, soft, s0, n, objective_offset, is_int
    )
    if result.x is not None:
        solution.extra["free"] = {name: float(result.x[j]) for name, j in free_position.items()}
    return solution


@contextmanager
def _stdout_to_stderr():
    """Send anything the solver's C++ code prints to stdout to stderr instead.

    HiGHS occasionally prints a debugging line straight to file descriptor 1, which would
    corrupt ``--json`` output.
    """
    try:
        stdout = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):  # no real stdout (tests capture it)
        yield
        return
    sys.stdout.flush()
    saved = os.dup(stdout)
    try:
        os.dup2(sys.stderr.fileno(), stdout)
        yield
    finally:
        os.dup2(saved, stdout)
        os.close(saved)


class _Rows:
    """Constraint rows collected as sparse triplets, built into one matrix at the end."""

    def __init__(self, n_vars: int):
        self.n_vars = n_vars
        self.count = 0
        self._r: list = []
        self._c: list = []
        self._v: list = []
        self.lower: list[float] = []
        self.upper: list[float] = []

    def add(self, cols, vals, lo: float, hi: float) -> None:
        cols = np.concatenate([np.asarray(c, dtype=int) for c in cols])
        vals = np.concatenate([np.asarray(v, dtype=float) for v in vals])
        self._r.append(np.full(len(cols), self.count))
        self._c.append(cols)
        self._v.append(vals)
        self.lower.append(lo)
        self.upper.append(hi)
        self.count += 1

    def constraint(self):
        from scipy.optimize import LinearConstraint
        from scipy.sparse import coo_array

        matrix = coo_array(
            (np.concatenate(self._v), (np.concatenate(self._r), np.concatenate(self._c))),
            shape=(self.count, self.n_vars),
        ).tocsr()
        return LinearConstraint(matrix, self.lower, self.upper)


def _solution(
    result, foods, items, nutrients, lower, upper, soft, s0, n, offset, is_int
) -> DietSolution:
    status = STATUS.get(result.status, "error")
    if result.x is None:
        empty = pd.Series(dtype=float)
        return DietSolution(status, empty, empty, math.nan, empty, _no_binding(), result.message)
    x = np.where(is_int, np.round(result.x[:n]), result.x[:n])  # HiGHS returns 2.0000000004
    x = np.where(np.abs(x) < TOLERANCE, 0.0, x)
    amounts = pd.Series(x, index=items)
    totals = pd.Series(foods[nutrients].to_numpy(dtype=float).T @ x, index=nutrients)
    shortfall = pd.Series(
        {nut: max(0.0, float(result.x[s0 + k])) for k, nut in enumerate(soft)}, dtype=float
    )
    rows = []
    for nut, bound in lower.items():
        rows.append(_bind(nut, "lower", bound, totals[nut]))
    for nut, bound in upper.items():
        rows.append(_bind(nut, "upper", bound, totals[nut]))
    binding = pd.DataFrame(rows) if rows else _no_binding()
    objective = float(result.fun) - offset
    return DietSolution(status, amounts, totals, objective, shortfall, binding, result.message)


def _bind(nutrient: str, side: str, bound: float, total: float) -> dict:
    slack = total - bound if side == "lower" else bound - total
    tol = 1e-6 * max(1.0, abs(bound))
    return {
        "nutrient": nutrient,
        "side": side,
        "bound": bound,
        "total": total,
        "slack": slack,
        "binding": abs(slack) <= tol,
    }


def _no_binding() -> pd.DataFrame:
    return pd.DataFrame(columns=["nutrient", "side", "bound", "total", "slack", "binding"])
