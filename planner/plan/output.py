"""A plan as tables, JSON and text: foods, nutrient totals, food groups, article share."""

from __future__ import annotations

import math

import pandas as pd

from planner import nutrients as registry
from planner.patterns import legume_split
from planner.plan.model import MealPlan, limits_for, no_foods

GROUP_ORDER = ("vegetables", "fruits", "grains", "dairy", "protein_foods")
# The nutrients the article's families are meant to supply: their share is reported.
ARTICLE_NUTRIENTS = ("magnesium_mg", "potassium_mg", "calcium_mg")


def plan_frame(plan: MealPlan) -> pd.DataFrame:
    """Every planned food as one table (``day`` first), as written by ``--out``."""
    frames = []
    for number, day in enumerate(plan.days, start=1):
        frame = day.foods.drop(columns=["candidate"]).copy()
        frame.insert(0, "day", number)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else no_foods()


def day_groups(plan: MealPlan, foods: pd.DataFrame) -> dict:
    """One day's Dietary Guidelines food groups, with beans, peas and lentils split between
    vegetables and protein foods (:func:`planner.patterns.legume_split`).

    Keys: ``vegetables``, ``fruits``, ``grains``, ``whole_grains``, ``dairy``,
    ``protein_foods`` (cup- or ounce-equivalents), ``legumes_as_vegetables`` (cup-eq) and
    ``unknown`` (foods whose groups are not known: their amounts are left out).
    """
    total = foods.filter(like="fg_").sum() if not foods.empty else pd.Series(dtype=float)
    get = lambda c: float(total.get(c, 0.0))  # noqa: E731
    base = {"vegetables": get("fg_vegetables"), "protein_foods": get("fg_protein_foods")}
    legumes = get("fg_legumes")
    as_veg = legume_split(base, legumes, plan.pattern) if plan.pattern else 0.0
    unknown = int(foods.filter(like="fg_").isna().any(axis=1).sum()) if not foods.empty else 0
    return {
        "vegetables": base["vegetables"] + as_veg,
        "fruits": get("fg_fruits"),
        "grains": get("fg_grains"),
        "whole_grains": get("fg_whole_grains"),
        "dairy": get("fg_dairy"),
        "protein_foods": base["protein_foods"] + 4 * (legumes - as_veg),
        "legumes_as_vegetables": as_veg,
        "unknown": unknown,
    }


def groups_frame(plan: MealPlan) -> pd.DataFrame:
    """Per food group: the plan's average day, the pattern's amount, the range, and
    whether every day is within it (``whole_grains`` checks "at least half the grains")."""
    if plan.pattern is None:
        return pd.DataFrame()
    days = [day_groups(plan, d.foods) for d in plan.days if not d.foods.empty]
    average = pd.DataFrame(days).mean() if days else pd.Series(dtype=float)
    rows = []
    for group in GROUP_ORDER:
        target = plan.pattern.groups[group]
        within = all(
            target.minimum - 1e-6 <= d[group] <= target.maximum + 1e-6 for d in days
        ) and bool(days)
        rows.append({"id": group, "name": target.name, "unit": target.unit,
                     "average": float(average.get(group, math.nan)), "pattern": target.amount,
                     "minimum": target.minimum, "maximum": target.maximum,
                     "required": target.required, "within": within})  # fmt: skip
    whole_ok = all(d["whole_grains"] >= 0.5 * d["grains"] - 1e-6 for d in days) and bool(days)
    rows.append({"id": "whole_grains", "name": "Whole grains", "unit": "oz-eq",
                 "average": float(average.get("whole_grains", math.nan)),
                 "pattern": 0.5 * plan.pattern.groups["grains"].amount,
                 "minimum": math.nan, "maximum": math.nan, "required": True,
                 "within": whole_ok})  # fmt: skip
    return pd.DataFrame(rows).set_index("id")


def article_share(plan: MealPlan) -> pd.Series:
    """The share of the plan's magnesium, potassium and calcium that comes from foods of
    the article's families (its own foods, and FNDDS foods that count as one:
    ``planner/data/plan_families.csv``)."""
    foods = plan_frame(plan)
    if foods.empty:
        return pd.Series(math.nan, index=list(ARTICLE_NUTRIENTS))
    family = foods["family"].fillna("").ne("")
    shares = {}
    for nid in ARTICLE_NUTRIENTS:
        total = foods[nid].sum()
        shares[nid] = float(foods.loc[family, nid].sum() / total) if total > 0 else math.nan
    return pd.Series(shares)


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
            meals.append({"meal": meal, "foods": [_food_json(r, _round)
                                                  for r in rows.itertuples()]})  # fmt: skip
        groups = day_groups(plan, day.foods) if plan.pattern else {}
        days.append(
            {
                "day": number,
                "status": day.status,
                "meals": meals,
                "totals": {k: _round(v) for k, v in day.totals.items()},
                "food_groups": {k: _round(v) for k, v in groups.items()},
                "shortfall": {k: _round(v) for k, v in day.shortfall.items()},
            }
        )
    totals = totals_frame(plan)
    groups = groups_frame(plan)
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
        "food_pattern": None
        if plan.pattern is None
        else {
            "pattern": plan.pattern.pattern,
            "kcal_level": plan.pattern.level,
            "groups": {
                gid: {
                    "average": _round(r.average),
                    "pattern": _round(r.pattern),
                    "minimum": _round(r.minimum),
                    "maximum": _round(r.maximum),
                    "unit": r.unit,
                    "required": bool(r.required),
                    "within": bool(r.within),
                }
                for gid, r in groups.iterrows()
            },
        },
        "article_share": {k: _round(v, 3) for k, v in article_share(plan).items()},
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


def _food_json(r, _round) -> dict:
    return {
        "id": r.food_id,
        "name": r.name,
        "description": r.description,
        "family": r.family,
        "role": r.role,
        "source": r.source,
        "portion": r.portion,
        "portions": _round(r.portions, 2),
        "grams": _round(r.grams, 1),
        "kcal": _round(r.energy_kcal, 1),
    }


def render_plan(plan: MealPlan) -> str:
    """The plan as a readable menu with a totals table and the food groups."""
    from planner.render import NOT_MEDICAL_ADVICE, wrap

    lines = [f"planner plan: {plan.describe()}", f"Restrictions: {plan.restrictions.describe()}"]
    lines += _render_days(plan)
    lines += _render_totals(plan)
    lines += _render_groups(plan)
    if not plan.unreachable.empty:
        from planner.render import fmt_number

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
            "niacin's UL on the niacin of fortified and enriched foods; sodium against its "
            "CDRR, with the salt USDA's recipes add (salt added at the table is not counted). "
            "≥: a lower bound (a food has no USDA value for it)."
        )
    )
    lines += [wrap(f"Note: {n}") for n in plan.notes]
    lines += ["", wrap(NOT_MEDICAL_ADVICE)]
    return "\n".join(lines)


def _render_days(plan: MealPlan) -> list[str]:
    from planner.render import fmt_number, table

    lines = []
    for number, day in enumerate(plan.days, start=1):
        kcal = day.totals.get("energy_kcal", math.nan)
        head = f"Day {number}" if len(plan.days) > 1 else "Your day"
        flag = ""
        if day.status == "relaxed":
            flag = ("  [targets missed: see below]" if not day.shortfall.empty
                    else "  [meal rules relaxed: see the notes]")  # fmt: skip
        lines += ["", f"{head} ({fmt_number(kcal)} kcal){flag}"]
        if day.foods.empty:
            lines.append(f"  no plan could be made ({day.status})")
            continue
        rows = []
        for meal in plan.meals:
            for i, r in enumerate(day.foods[day.foods["meal"].eq(meal)].itertuples()):
                rows.append([meal if i == 0 else "", r.portion, r.name, f"{r.grams:.0f} g",
                             f"{r.energy_kcal:.0f}"])  # fmt: skip
        lines.append(table(rows, ["meal", "portion", "food", "weight", "kcal"], right=[3, 4]))
    return lines


def _render_totals(plan: MealPlan) -> list[str]:
    from planner.render import fmt_number, table, wrap

    totals = totals_frame(plan)
    title = "Average day against your targets" if len(plan.days) > 1 else "Totals"
    lines = ["", title]
    rows, forms = [], []
    for nid, r in totals.iterrows():
        limit = "—" if r["limit"] is None or pd.isna(r["limit"]) else fmt_number(r["limit"])
        if r["limit_checked_on"] not in (None, nid) and limit != "—":
            limit += "*"
            form = ("folic acid" if r["limit_checked_on"] == "folic_acid_ug"
                    else "fortified and enriched foods' niacin")  # fmt: skip
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
        lines.append(wrap("*: this UL covers one form of the nutrient only, and is checked on "
                          "it: " + "; ".join(forms) + "."))  # fmt: skip
    return lines


GROUP_HEADERS = ("group", "plan", "unit", "range", "")


def group_rows(plan: MealPlan) -> tuple[list[list[str]], list[str]]:
    """The plan's Dietary Guidelines food groups as the terminal and the HTML report show
    them: rows (:data:`GROUP_HEADERS`; "Vegetables", "3.5 of 2.5", "cup-eq", "2.0-5.0",
    "ok") and the notes that go with them. Empty when the plan has no groups."""
    from planner.render import fmt_number

    groups = groups_frame(plan)
    if groups.empty:
        return [], []
    rows = []
    for gid, r in groups.iterrows():
        amount = f"{r['average']:.1f}"
        if gid == "whole_grains":
            grains = groups.loc["grains", "average"]
            rows.append([r["name"], f"{amount} of {grains:.1f}", r["unit"], "half the grains",
                         "ok" if r["within"] else "short"])  # fmt: skip
            continue
        span = f"{r['minimum']:.1f}-{r['maximum']:.1f}" if r["required"] else (
            f"up to {r['maximum']:.1f}")  # fmt: skip
        verdict = "ok" if r["within"] else "outside"
        rows.append([r["name"], f"{amount} of {fmt_number(r['pattern'])}", r["unit"], span,
                     verdict])  # fmt: skip
    days = [day_groups(plan, d.foods) for d in plan.days if not d.foods.empty]
    legumes = sum(d["legumes_as_vegetables"] for d in days) / max(1, len(days))
    notes = []
    if legumes > 0.05:
        notes.append(f"{legumes:.1f} cup-eq of the vegetables are beans, peas or lentils, which "
                     "count as vegetables or as protein foods, never both.")  # fmt: skip
    unknown = sum(d["unknown"] for d in days)
    if unknown:
        notes.append(
            f"{unknown} planned food(s) from your diary have no food-group data (SR28 "
            "foods): the groups count them as nothing, so they may be higher."
        )
    if not plan.pattern.groups["dairy"].required:
        notes.append("Dairy is not required with your restrictions; fortified soy milk counts "
                     "as dairy.")  # fmt: skip
    share = article_share(plan)
    if share.notna().all():
        notes.append(
            "The article's food families give "
            + ", ".join(f"{share[n]:.0%} of the {registry.get(n).name.lower()}"
                        for n in share.index) + "."
        )  # fmt: skip
    return rows, notes


def _render_groups(plan: MealPlan) -> list[str]:
    from planner.render import table, wrap

    rows, notes = group_rows(plan)
    if not rows:
        return []
    lines = ["", f"Food groups (Dietary Guidelines, {plan.pattern.label})"]
    lines.append(table(rows, list(GROUP_HEADERS), right=[1]))
    lines += [wrap(n) for n in notes]
    return lines
