"""Upper limits on real diaries: findings, and how much room an add-on has under each UL.

Two questions, two rules:

**Is a UL passed?** (:func:`limit_findings`) The analysis checks each UL on what it covers
(:mod:`planner.sources`) with the values that are known. A known total above the UL is
above it whatever the unknown values hold, so these findings are certain; they are
reported first, with the foods or supplements behind them.

**How much may an add-on add?** (:func:`limit_rooms`) Each day of the diary is judged on
its known intake plus an allowance for its unknown values (:func:`diary_limit_days`):

- a blank cell of a row matched to a USDA food counts the *mean* per 100 g of that
  nutrient in the food's USDA food group, for the row's grams;
- a blank cell of a row known only by the export's values (no food or no grams) counts
  the row's energy times the diary's own density of that nutrient (its known amount per
  kcal over the rows that have both);
- flagged rows (no food, no values) are not counted, as in the totals.

The mean, not a high percentile, because a day's unknowns are many cells: their sum is
best estimated by the sum of their expected values, and a high percentile of every cell
at once (the old rule) describes no real day: over months of data with a third of the
cells blank it put some day at every limit and barred nearly every food.

The room under a UL is the UL minus the highest such day, so no day of the diary is
pushed past it, but never less than :data:`FLOOR_SHARE` (5%) of the UL. When the floor
applies, the diary itself reaches or passes the limit: that is a finding, and the add-on
adds at most the floor of that nutrient a day and says so, rather than being barred from
every food that carries a trace of it.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pandas as pd

from planner import nutrients as registry
from planner import sources

FLOOR_SHARE = 0.05  # the least room under a UL: 5% of it (125 mg of calcium for adults)
FORTIFIED_NIACIN = "niacin_fortified_mg"  # as planner.candidates names it
# What each key of candidates.food_ul_limits measures, in words.
KEY_WORDS = {
    "folic_acid_ug": "folic acid",
    FORTIFIED_NIACIN: "niacin from supplements and fortified foods",
}


@cache
def group_means() -> pd.DataFrame:
    """Per USDA food group, the mean per 100 g of each nutrient (the unknowns' allowance)."""
    from planner.foods import load_foods

    foods = load_foods()
    return foods.groupby("food_group")[list(registry.ids())].mean()


def allowance(used: pd.DataFrame) -> pd.DataFrame:
    """Per used row, an allowance for each unknown value (0 where the value is known).

    See the module docstring: the food group's mean for the row's grams where the row has
    a food and grams, else the row's energy times the diary's density per kcal.
    """
    from planner.foods import load_foods

    ids = list(registry.ids())
    values = used[ids].to_numpy(dtype=float)
    unknown = np.isnan(values)
    groups = load_foods()["food_group"].reindex(used["food_id"].where(used["food_id"].ne("")))
    grams = used["grams"].to_numpy(dtype=float)
    with_food = groups.notna().to_numpy() & np.isfinite(grams)
    by_group = group_means().reindex(groups.to_numpy()).to_numpy(dtype=float)
    by_group = np.nan_to_num(by_group) * (np.where(with_food, grams, 0.0) / 100.0)[:, None]
    energy = used["energy_kcal"].to_numpy(dtype=float)
    both = ~unknown & np.isfinite(energy)[:, None] & (energy > 0)[:, None]
    kcal = np.where(both, energy[:, None], 0.0).sum(axis=0)
    amount = np.where(both, values, 0.0).sum(axis=0)
    density = np.divide(amount, kcal, out=np.zeros_like(amount), where=kcal > 0)
    by_energy = np.nan_to_num(energy)[:, None] * density[None, :]
    estimate = np.where(with_food[:, None], by_group, by_energy)
    return pd.DataFrame(np.where(unknown, estimate, 0.0), index=used.index, columns=ids)


def limit_keys(targets_table: pd.DataFrame) -> dict[str, float]:
    """The ULs an add-on of food must respect, by the column they are checked on."""
    from planner.candidates import food_ul_limits

    return food_ul_limits(targets_table)


def diary_limit_days(entries: pd.DataFrame) -> pd.DataFrame:
    """Per day, each UL-checked amount of the diary: known, allowance, and their sum.

    Returns
    -------
    pandas.DataFrame
        One row per day (index ``date``), columns ``(part, key)`` with part ``known``,
        ``allowance`` and ``intake`` (their sum), keys as in
        :func:`planner.candidates.food_ul_limits`: ``calcium_mg``, ``vitamin_d_ug``,
        ``vitamin_b6_mg`` (food and supplements), ``folic_acid_ug`` (fortified foods and
        supplements) and ``niacin_fortified_mg`` (supplements and fortified foods).
    """
    used = entries[entries["status"].eq("matched") & entries["date"].notna()]
    ids = list(registry.ids())
    known = used[ids].fillna(0.0)
    extra = allowance(used)
    counted = sources.is_supplement(used) | sources.fortified_rows(used)
    parts = {}
    for part, frame in (("known", known), ("allowance", extra)):
        frame = frame.copy()
        frame[FORTIFIED_NIACIN] = np.where(counted, frame["niacin_mg"], 0.0)
        parts[part] = frame.groupby(used["date"]).sum()
    parts["intake"] = parts["known"] + parts["allowance"]
    return pd.concat(parts, axis=1)


def limit_rooms(report) -> pd.DataFrame:
    """Per UL an add-on must respect, the diary's days against it and the add-on's room.

    Parameters
    ----------
    report : planner.analysis.GapReport

    Returns
    -------
    pandas.DataFrame
        Indexed by key (see :func:`diary_limit_days`): ``nutrient``, ``name``, ``unit``,
        ``ul``, ``mean`` and ``worst`` (the diary's average and highest day, unknowns
        with their allowance), ``worst_date``, ``worst_allowance`` (the allowance in the
        highest day), ``days``, ``days_over`` (days above the UL), ``over_dates`` (a
        tuple), ``room`` (what the add-on may add a day) and ``floor`` (True when the
        room is the floor: the diary itself reaches the limit).
    """
    table = report.targets.table
    keys = limit_keys(table)
    daily = diary_limit_days(report.entries)
    rows = []
    for key, ul in keys.items():
        nid = next(n for n in table.index if _key_of(n, table) == key)
        intake = daily["intake"][key] if len(daily) else pd.Series(dtype=float)
        worst = float(intake.max()) if len(intake) else 0.0
        worst_date = intake.idxmax() if len(intake) else None
        over = intake[intake > ul]
        floor = FLOOR_SHARE * ul
        rows.append(
            {
                "key": key,
                "nutrient": nid,
                "name": table.loc[nid, "name"],
                "unit": registry.get(key).unit if key in registry.ids() else table.loc[nid, "unit"],
                "ul": ul,
                "mean": float(intake.mean()) if len(intake) else 0.0,
                "worst": worst,
                "worst_date": worst_date,
                "worst_allowance": float(daily["allowance"][key].loc[worst_date])
                if worst_date is not None
                else 0.0,
                "days": len(intake),
                "days_over": len(over),
                "over_dates": tuple(over.index),
                "room": max(ul - worst, floor),
                "floor": ul - worst < floor,
            }
        )
    return pd.DataFrame(rows).set_index("key") if rows else _no_rooms()


def _no_rooms() -> pd.DataFrame:
    columns = [
        "nutrient", "name", "unit", "ul", "mean", "worst", "worst_date", "worst_allowance",
        "days", "days_over", "over_dates", "room", "floor",
    ]  # fmt: skip
    return pd.DataFrame(columns=columns).rename_axis("key")


def _key_of(nid: str, table: pd.DataFrame) -> str:
    """The food_ul_limits key a nutrient's UL is checked on."""
    return FORTIFIED_NIACIN if nid == "niacin_mg" else table.loc[nid, "ul_nutrient"]


def what(key: str, name: str) -> str:
    """'Calcium', 'Folic acid', 'Niacin from supplements and fortified foods'."""
    words = KEY_WORDS.get(key)
    return (words[0].upper() + words[1:]) if words else name


def room_sentence(row: pd.Series, short: bool = False) -> str:
    """Why the add-on's room under one UL is what it is, in plain words."""
    unit, ul = row["unit"], row["ul"]
    subject = what(row.name, row["name"])
    when = _date(row["worst_date"])
    if short:
        text = f"{subject} {_num(row['worst'])} {unit} on {when} against its {_num(ul)} {unit} UL"
        over = f", above it on {row['days_over']} of {row['days']} days" if row["days_over"] else ""
        return text + over
    text = (
        f"{subject}: your diary reaches {_num(row['worst'])} {unit} on {when} "
        f"(with unknown values at their food group's average) against the {_num(ul)} {unit} "
        "upper limit"
    )
    if row["days_over"]:
        text += f", and passes it on {row['days_over']} of {row['days']} days"
    return text


def floor_sentence(row: pd.Series, added: float | None = None) -> str:
    """'... so the add-on adds at most 125 mg of it a day (5% of the limit)'."""
    unit = row["unit"]
    text = room_sentence(row) + (
        f"; so the add-on adds at most {_num(row['room'])} {unit} of it a day "
        f"({FLOOR_SHARE:.0%} of the limit)"
    )
    if added is not None:
        text += f", and adds {_num(added)} {unit}"
    return text + "."


# --- findings on the known values --------------------------------------------------------


def limit_findings(report) -> list[dict]:
    """The ULs the diary passes on its known values, on average or on some days.

    Returns
    -------
    list of dict
        One per nutrient: ``id``, ``name``, ``unit``, ``ul``, ``form`` (what the UL is
        checked on, :data:`planner.sources.UL_FORMS`), ``mean`` (the checked amount, a
        day), ``days_above``, ``days``, ``highest``, ``highest_date``, ``supplements``
        (whether supplements give some of it), ``sources`` (the foods and supplements
        behind it on the days above: ``food``, ``share``, ``supplement``) and ``text``
        (the finding in plain words).
    """
    n = report.nutrients
    days = report.days
    found = []
    for nid, row in n.iterrows():
        if nid == "sodium_mg" or not row["ul_applies"] or not row["days_above_ul"]:
            continue
        mine = days[days["nutrient"].eq(nid)]
        over = mine[mine["status"].eq("above_ul")]
        top = mine.loc[mine["ul_intake"].idxmax()]
        behind = _behind(report.entries, nid, set(over["date"]))
        finding = {
            "id": nid,
            "name": row["name"],
            "unit": _form_unit(row),
            "ul": float(row["ul"]),
            "form": row["ul_form"],
            "mean": float(row["mean_ul_intake"]),
            "days_above": int(row["days_above_ul"]),
            "days": int(row["days"]),
            "highest": float(top["ul_intake"]),
            "highest_date": pd.Timestamp(top["date"]).date().isoformat(),
            "supplements": any(b["supplement"] for b in behind),
            "sources": behind,
        }
        finding["text"] = _finding_text(finding)
        found.append(finding)
    return found


def _form_unit(row: pd.Series) -> str:
    return "µg" if row["ul_form"] == "folic_acid" else row["unit"]


FORM_SUBJECT = {
    "supplements": "{name} from supplements",
    "folic_acid": "Folic acid (from fortified foods and supplements)",
    "synthetic_niacin": "{name} from supplements and fortified foods",
    "total": "{name}",
}
FORM_LIMIT = {
    "supplements": "upper limit for supplements",
    "folic_acid": "upper limit for folic acid",
    "synthetic_niacin": "upper limit for these forms",
    "total": "upper limit for food and supplements together",
}


def _finding_text(f: dict) -> str:
    unit, ul = f["unit"], _num(f["ul"])
    subject = FORM_SUBJECT[f["form"]].format(name=f["name"])
    limit = f"the {ul} {unit} {FORM_LIMIT[f['form']]}"
    if f["mean"] > f["ul"]:
        text = f"{subject}: {_num(f['mean'])} {unit} a day, above {limit}"
        if f["days_above"] < f["days"]:
            text += f", on {f['days_above']} of {f['days']} days"
    else:
        text = (
            f"{subject}: above {limit} on {f['days_above']} of {f['days']} days (up to "
            f"{_num(f['highest'])} {unit}, on {f['highest_date']})"
        )
    if f["sources"]:
        text += "; from: " + ", ".join(f"{s['food']} ({s['share']:.0%})" for s in f["sources"])
    if f["supplements"]:
        text += ". Talk to your doctor or pharmacist about it."
    else:
        text += ". If this is what you usually eat, talk to your doctor or a dietitian."
    return text


def _behind(entries: pd.DataFrame, nid: str, dates: set, n: int = 3) -> list[dict]:
    """The foods and supplements that gave most of a UL-checked amount on some days."""
    rows = entries[entries["status"].eq("matched") & entries["date"].isin(dates)]
    if rows.empty:
        return []
    amount = sources.ul_amounts(rows, [nid])[nid]
    name = rows["food_text"].where(rows["food_text"].ne(""), rows["description"])
    supp = pd.Series(sources.is_supplement(rows), index=rows.index)
    frame = pd.DataFrame({"food": name, "amount": amount, "supplement": supp})
    sums = frame.groupby(["food", "supplement"], sort=False)["amount"].sum()
    total = sums.sum()
    if not total > 0:
        return []
    top = sums.sort_values(ascending=False, kind="stable").head(n)
    return [
        {"food": food, "share": round(float(v / total), 3), "supplement": bool(s)}
        for (food, s), v in top.items()
        if v / total >= 0.01
    ]


def _date(value) -> str:
    return "—" if value is None else pd.Timestamp(value).date().isoformat()


def _num(x: float) -> str:
    from planner.render import fmt_number

    return fmt_number(x) if not (isinstance(x, float) and math.isnan(x)) else "?"
