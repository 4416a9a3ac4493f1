"""Score resolved diary entries against a person's targets: days, period, gaps, top foods.

:func:`score_diary` takes the table :func:`planner.entries.resolve_entries` returns and a
:class:`planner.targets.Profile`, and returns a :class:`GapReport`. All sums are
vectorised group-bys; nothing loops over rows.

Intake is food plus supplements; ``intake_food`` and ``intake_supplements`` split it
(a supplement's blank cell declares none: it is 0, not missing data).

Unknown is not zero. A day's intake of a nutrient is the sum of the values that are
known; ``completeness`` says what share of the day's entries (flagged ones included,
since something was eaten) had a known value, and ``energy_completeness`` what share of
the day's known energy came from entries with a value. Where completeness is below 1 the
total is a lower bound (``lower_bound``), and a shortfall may be a gap in the data rather
than in the diet; the report says so.

Statuses per day and over the period:

``below``      under the target (RDA or AI);
``met``        at or over the target, and not over a UL that applies to food;
``above_ul``   over a UL, checked on what it covers (:mod:`planner.sources`): magnesium's
               on supplements, folate's on folic acid, niacin's on niacin from
               supplements and fortified foods, the others on the total);
``above_cdrr`` sodium only: over the chronic-disease risk reduction intake;
``unknown``    no entry that day has a value;
``not_in_export`` the export holds day or meal totals and does not carry the nutrient.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from planner import nutrients as registry
from planner import sources
from planner.diary import UNFINISHED_DAY
from planner.entries import Accounting, account
from planner.targets import Profile, Targets, targets_for_profile

TOP_FOODS = 5
# A shortfall is reported as a gap when the mean is below this share of the target;
# 100% means every shortfall counts.
GAP_THRESHOLD = 1.0


@dataclass
class GapReport:
    """The analysis of one person's diary.

    Attributes
    ----------
    profile : Profile
    targets : Targets
    entries : pandas.DataFrame
        The resolved entries of this person (every row, with status and reason).
    days : pandas.DataFrame
        One row per day and nutrient: ``date``, ``nutrient``, ``intake``, ``target``,
        ``percent_of_target``, ``ul``, ``ul_applies``, ``ul_intake`` (the amount checked
        against the UL), ``status``, ``completeness``, ``energy_completeness``,
        ``lower_bound``, ``entries``, ``intake_food``, ``intake_supplements``.
    nutrients : pandas.DataFrame
        One row per nutrient over the period, indexed by nutrient id: ``name``, ``unit``,
        ``mean_intake``, ``target``, ``kind``, ``percent_of_target``, ``ul``,
        ``ul_applies``, ``ul_covers``, ``mean_ul_intake``, ``status``, ``days``,
        ``days_met``, ``days_below``, ``days_above_ul``, ``completeness``,
        ``energy_completeness``, ``lower_bound``, ``in_export``, ``mean_intake_food``,
        ``mean_intake_supplements``, ``ul_form`` (what the UL is checked on: ``total``,
        ``supplements``, ``folic_acid`` or ``synthetic_niacin``).
    gaps : pandas.DataFrame
        The nutrients below target on average, largest shortfall (in percent of target)
        first: ``nutrient``, ``name``, ``unit``, ``mean_intake``, ``target``,
        ``shortfall``, ``percent_of_target``, ``days_below``, ``completeness``,
        ``maybe_data_gap``.
    top_foods : pandas.DataFrame
        Per nutrient, the foods that gave the most over the period: ``nutrient``,
        ``rank``, ``food_id``, ``food``, ``amount``, ``share``.
    energy : pandas.DataFrame
        Per day: ``date``, ``kcal``, ``target_kcal``, ``percent``, ``lower_bound``.
    accounting : Accounting
    notes : list of str
    """

    profile: Profile
    targets: Targets
    entries: pd.DataFrame
    days: pd.DataFrame
    nutrients: pd.DataFrame
    gaps: pd.DataFrame
    top_foods: pd.DataFrame
    energy: pd.DataFrame
    accounting: Accounting
    notes: list[str] = field(default_factory=list)
    # the tables of every person scored together with this one (for cohort files)
    _cohort: dict | None = field(default=None, repr=False, compare=False)

    @property
    def period(self) -> dict:
        """First and last date and the number of days scored."""
        dates = self.days["date"].drop_duplicates().sort_values()
        if dates.empty:
            return {"start": None, "end": None, "days": 0}
        return {
            "start": dates.iloc[0].date().isoformat(),
            "end": dates.iloc[-1].date().isoformat(),
            "days": len(dates),
        }

    def describe(self) -> str:
        """``'female, 45 y; 2024-03-04 to 2024-03-10 (7 days)'`` for titles."""
        p = self.period
        if not p["days"]:
            return f"{self.profile.describe()}; no days"
        span = p["start"] if p["start"] == p["end"] else f"{p['start']} to {p['end']}"
        return f"{self.profile.describe()}; {span} ({p['days']} day{'s' * (p['days'] != 1)})"


KIDNEY_NOTE = (
    "Kidney disease: potassium is not scored against the general intake here, and a low "
    "potassium total is not called a gap. Your doctor or renal dietitian sets your "
    "potassium limit; follow their advice."
)


def for_kidney_disease(report: GapReport) -> GapReport:
    """The report as a person with kidney disease should read it: potassium is no target.

    The general potassium AI is for healthy people; with kidney disease too much
    potassium is the danger, so a shortfall is not a gap to close. Potassium keeps its
    intake (status ``doctor_sets``), leaves the gaps, and a note says why.

    Examples
    --------
    >>> import pandas as pd
    >>> eaten = pd.DataFrame({"date": pd.to_datetime(["2024-01-01"]), "status": "matched",
    ...     "food_id": ["09040"], "description": "", "food_text": ["banana"],
    ...     "potassium_mg": [422.0]})
    >>> report = for_kidney_disease(score_diary(eaten, Profile(45, "female")))
    >>> "potassium_mg" in set(report.gaps["nutrient"])
    False
    >>> report.nutrients.loc["potassium_mg", "status"]
    'doctor_sets'
    """
    nutrients = report.nutrients.copy()
    days = report.days.copy()
    potassium = "potassium_mg"
    if potassium in nutrients.index and nutrients.loc[potassium, "status"] != "not_in_export":
        nutrients.loc[potassium, "status"] = "doctor_sets"
        days.loc[days["nutrient"].eq(potassium), "status"] = "doctor_sets"
    gaps = report.gaps[report.gaps["nutrient"].ne(potassium)].reset_index(drop=True)
    notes = [*report.notes, KIDNEY_NOTE] if KIDNEY_NOTE not in report.notes else report.notes
    return replace(report, nutrients=nutrients, days=days, gaps=gaps, notes=notes)


def _scored() -> list[str]:
    """The nutrients with a target: energy, the panel and sodium (not folic acid)."""
    return [n.id for n in registry.nutrients() if n.role != "ul_only"]


def score_diary(entries: pd.DataFrame, profile: Profile) -> GapReport:
    """Score one person's resolved entries against their targets.

    Parameters
    ----------
    entries : pandas.DataFrame
        From :func:`planner.entries.resolve_entries` (one person's rows).
    profile : Profile

    Returns
    -------
    GapReport

    Examples
    --------
    >>> import pandas as pd
    >>> from planner.targets import Profile
    >>> rows = pd.DataFrame({"date": pd.to_datetime(["2024-01-01"] * 2),
    ...     "status": ["matched", "matched"], "food_id": ["12014", "09040"],
    ...     "food_text": ["pumpkin seeds", "banana"], "description": ["", ""],
    ...     "magnesium_mg": [168.0, 32.0], "energy_kcal": [158.0, 105.0]})
    >>> report = score_diary(rows, Profile(45, "female"))
    >>> float(report.nutrients.loc["magnesium_mg", "mean_intake"])
    200.0
    >>> report.gaps["nutrient"].iloc[0]
    'magnesium_mg'
    """
    entries = entries.assign(person="")
    entries.attrs = dict(entries.attrs)
    return _score(entries, {"": profile})[""]


def score_people(entries: pd.DataFrame, profiles: dict[str, Profile]) -> dict[str, GapReport]:
    """Score a diary that holds several people, each against their own profile.

    Every person is scored in the same vectorised group-bys (by person and day), so a
    cohort costs about what one long diary does.

    Parameters
    ----------
    entries : pandas.DataFrame
        Resolved entries with a ``person`` column.
    profiles : dict
        Person label -> :class:`Profile`. Every person in the diary must have one.

    Raises
    ------
    planner.errors.ProfileError
        If a person in the diary has no profile.
    """
    from planner.errors import ProfileError

    people = list(pd.unique(entries["person"]))
    missing = [p for p in people if p not in profiles]
    if missing:
        raise ProfileError(
            "person",
            ", ".join(missing),
            "is in the diary but not in the profiles file",
        )
    return _score(entries, {p: profiles[p] for p in people})


def _score(entries: pd.DataFrame, profiles: dict[str, Profile]) -> dict[str, GapReport]:
    """The vectorised core of :func:`score_diary` and :func:`score_people`."""
    entries = _complete_columns(entries)
    attrs = entries.attrs
    carried = attrs.get("nutrients") if attrs.get("level", "entry") != "entry" else None
    targets = _targets_by_person(profiles)
    limits = _target_frame(targets)
    if carried is not None:  # totals cannot tell supplements or fortified foods apart
        split = limits["ul_form"].isin(["supplements", "synthetic_niacin"])
        limits.loc[split, "ul_applies"] = False
    live = entries[entries["status"].ne("rejected") & entries["date"].notna()]
    days = _days(live, limits, carried)
    nutrients = _period(days, limits, live, carried)
    gaps = _gaps(nutrients)
    used = live[live["status"].eq("matched")]
    top = _top_foods(used) if carried is None else _no_top()
    energy = _energy(days)
    tables = {"days": days, "nutrients": nutrients, "gaps": gaps, "top": top, "energy": energy}
    split = {
        name: _by_person(table, index="nutrient" if name == "nutrients" else None)
        for name, table in tables.items()
    }
    people_entries = _by_person(entries, keep_person=True)
    counts = _accounting_by_person(entries)
    cohort = {**tables, "entries": entries}
    empty = {name: _none(table) for name, table in tables.items()}
    empty["nutrients"] = empty["nutrients"].set_index("nutrient")
    reports = {}
    for person, profile in profiles.items():
        part = {name: split[name].get(person, empty[name]) for name in split}
        person_entries = people_entries.get(person, entries.iloc[:0])
        person_entries.attrs = attrs
        table = part["nutrients"]
        reports[person] = GapReport(
            profile=profile,
            targets=targets[person],
            entries=person_entries,
            days=part["days"],
            nutrients=table,
            gaps=part["gaps"],
            top_foods=part["top"],
            energy=part["energy"],
            accounting=counts.get(person) or account(person_entries),
            notes=_notes(targets[person], person_entries, table),
        )
        reports[person]._cohort = cohort
    return reports


def _by_person(
    table: pd.DataFrame, keep_person: bool = False, index: str | None = None
) -> dict[str, pd.DataFrame]:
    """Split a table into one block of rows per person, in one sort (no group per person)."""
    if table.empty:
        return {}
    order = np.argsort(table["person"].to_numpy(dtype=object), kind="stable")
    table = table.iloc[order]
    people, starts = np.unique(table["person"].to_numpy(dtype=object), return_index=True)
    if not keep_person:
        table = table.drop(columns="person")
        table = table.set_index(index) if index else table.reset_index(drop=True)
    ends = [*starts[1:], len(table)]
    blocks = {p: table.iloc[a:b] for p, a, b in zip(people, starts, ends, strict=True)}
    if index is None and not keep_person:  # each block numbered from 0
        blocks = {p: b.reset_index(drop=True) for p, b in blocks.items()}
    return blocks


def _none(table: pd.DataFrame) -> pd.DataFrame:
    return table.iloc[:0].drop(columns="person")


def _accounting_by_person(entries: pd.DataFrame) -> dict[str, Accounting]:
    """:func:`planner.entries.account` for every person at once."""
    from planner.entries import OUTCOME, STATUSES

    counts = pd.crosstab(entries["person"], entries["status"])
    duplicates = (
        (entries["duplicate_of"] > 0).groupby(entries["person"]).sum()
        if "duplicate_of" in entries
        else pd.Series(0, index=counts.index)
    )
    out = {}
    for person, row in counts.iterrows():
        by_status = {status: int(row.get(status, 0)) for status in STATUSES}
        outcome = {o: 0 for o in OUTCOME.values()}
        for status, n in by_status.items():
            outcome[OUTCOME[status]] += n
        out[person] = Accounting(
            int(row.sum()), outcome["used"], outcome["flagged"], outcome["rejected"], by_status,
            int(duplicates.get(person, 0)),
        )  # fmt: skip
    return out


def _notes(targets: Targets, entries: pd.DataFrame, nutrients: pd.DataFrame) -> list[str]:
    notes = list(targets.notes) + list(entries.attrs.get("notes", []))
    repeats = int((entries["duplicate_of"] > 0).sum()) if "duplicate_of" in entries else 0
    if repeats:
        from planner.render import DUPLICATES_NOTE

        notes.append(DUPLICATES_NOTE.format(n=repeats).removeprefix("Note: "))
    reasons = entries["reason"] if "reason" in entries else pd.Series([], dtype=object)
    unfinished = reasons.astype(str).str.startswith(UNFINISHED_DAY)
    if unfinished.any():
        n = int(unfinished.sum())
        notes.append(
            f"{n} day{'s are' if n != 1 else ' is'} marked not completed in Cronometer: "
            "the totals of an unfinished day may be partial, so a gap on it may be a "
            "logging gap."
        )
    notes += sources.source_notes(entries, nutrients)
    notes += amount_notes(entries)
    return notes


def amount_notes(entries: pd.DataFrame) -> list[str]:
    """What the report says of amounts read another way (:mod:`planner.portions`)."""
    if "amount_basis" not in entries:
        return []
    used = entries["status"].eq("matched")
    basis = entries.loc[used, "amount_basis"].value_counts()
    notes = []
    if basis.get("other_table", 0):
        n = int(basis["other_table"])
        notes.append(
            f"{n} entr{'ies' if n != 1 else 'y'} named a measure the chosen food lacks; "
            "it was read through the same food in the other USDA table (entries.csv, "
            "amount_basis 'other_table')."
        )
    if basis.get("default_portion", 0):
        n = int(basis["default_portion"])
        notes.append(
            f"{n} entr{'ies' if n != 1 else 'y'} gave no amount planner could convert "
            "(a count, a serving, a handful): each was counted as USDA's default amount "
            "for the food, its 'Quantity not specified' portion. Check them (entries.csv, "
            "amount_basis 'default_portion')."
        )
    return notes


def _complete_columns(entries: pd.DataFrame) -> pd.DataFrame:
    missing = [n for n in registry.ids() if n not in entries]
    if "person" not in entries:
        entries = entries.assign(person="")
    if "supplement" not in entries:
        attrs = entries.attrs
        entries = entries.assign(supplement=False)
        entries.attrs = attrs
    if not missing:
        return entries
    extra = pd.DataFrame(np.nan, index=entries.index, columns=missing)
    out = pd.concat([entries, extra], axis=1)
    out.attrs = entries.attrs
    return out


def _ul_nutrient(nid: str, row) -> str | None:
    """The nutrient column a UL is checked on, if the nutrient has a UL (or a CDRR).

    Magnesium's UL is checked on the magnesium of supplements and niacin's on the niacin
    of supplements and fortified foods (:func:`planner.sources.ul_amounts`); folate's on
    folic acid.
    """
    if nid == "sodium_mg":
        return "sodium_mg" if not math.isnan(row.cdrr) else None
    if math.isnan(row.ul):
        return None
    return row.ul_nutrient


def _targets_by_person(profiles: dict[str, Profile]) -> dict[str, Targets]:
    """Targets for each person, worked out once per distinct profile."""
    from dataclasses import replace

    cache: dict[Profile, Targets] = {}
    out = {}
    for person, profile in profiles.items():
        key = replace(profile, person=None, source=None)
        if key not in cache:
            cache[key] = targets_for_profile(key)
        shared = cache[key]
        out[person] = Targets(profile, shared.table, shared.energy, shared.notes)
    return out


def _target_frame(targets: dict[str, Targets]) -> pd.DataFrame:
    """One row per person and scored nutrient: target, limit and what the limit is checked on,
    with the name, unit, kind and UL coverage for reports."""
    ids = _scored()
    shared: dict[int, pd.DataFrame] = {}  # people with the same profile share one table
    people, keys = [], []
    for person, t in targets.items():
        if id(t.table) not in shared:
            table = t.table.loc[ids]
            shared[id(t.table)] = pd.DataFrame(
                {
                    "key": id(t.table),
                    "nutrient": ids,
                    "name": table["name"].to_numpy(),
                    "unit": table["unit"].to_numpy(),
                    "kind": table["kind"].to_numpy(),
                    "ul_covers": table["ul_covers"].to_numpy(),
                    "target": table["target"].to_numpy(dtype=float),
                    "ul": np.where(table.index == "sodium_mg", table["cdrr"], table["ul"]),
                    "ul_nutrient": [_ul_nutrient(nid, r) for nid, r in table.iterrows()],
                    "ul_form": [sources.UL_FORMS.get(nid, "total") for nid in ids],
                }
            )
        people.append(person)
        keys.append(id(t.table))
    who = pd.DataFrame({"person": people, "key": keys})
    frame = who.merge(pd.concat(shared.values(), ignore_index=True), on="key").drop(columns="key")
    frame["ul"] = frame["ul"].astype(float)
    frame["ul_applies"] = frame["ul_nutrient"].notna()
    return frame


def _days(live: pd.DataFrame, limits: pd.DataFrame, carried: list[str] | None):
    """One row per person, day and scored nutrient, from one group-by over all rows."""
    ids = _scored()
    keys = [live["person"], live["date"]]
    values = live[ids]
    sums = values.groupby(keys, sort=True).sum(min_count=1)
    if sums.empty:
        return _empty_days()
    known = values.notna()
    n_known = known.groupby(keys, sort=True).sum()
    n_entries = live.groupby(keys, sort=True).size()
    energy = live["energy_kcal"].fillna(0.0)
    energy_with = known.mul(energy, axis=0).groupby(keys, sort=True).sum()
    energy_total = energy.groupby(keys, sort=True).sum()
    by_source = _by_source(live, ids, sums.index)
    # the amount checked against each UL: what the UL covers (planner.sources.ul_amounts)
    ul_sums = sources.ul_amounts(live, ids).groupby(keys, sort=True).sum(min_count=1)

    def stacked(frame: pd.DataFrame) -> np.ndarray:
        return frame.stack(future_stack=True).to_numpy()

    long = sums.stack(future_stack=True).rename("intake").to_frame()
    long.index.names = ["person", "date", "nutrient"]
    long["known"] = stacked(n_known)
    long["energy_with"] = stacked(energy_with)
    long["intake_food"] = stacked(by_source["food"])
    long["intake_supplements"] = stacked(by_source["supplements"])
    long["ul_intake"] = stacked(ul_sums)
    long = long.reset_index()
    per_day = pd.DataFrame({"entries": n_entries, "energy_total": energy_total}).reset_index()
    per_day.columns = ["person", "date", "entries", "energy_total"]
    long = long.merge(per_day, on=["person", "date"], how="left")
    columns = ["person", "nutrient", "target", "ul", "ul_applies"]
    long = long.merge(limits[columns], on=["person", "nutrient"], how="left")
    long.loc[~long["ul_applies"].astype(bool), "ul_intake"] = np.nan

    long["completeness"] = long["known"] / long["entries"]
    long["energy_completeness"] = long["energy_with"] / long["energy_total"].where(
        long["energy_total"] > 0
    )
    if carried is not None:
        absent = ~long["nutrient"].isin(carried)
        long.loc[absent, ["completeness", "energy_completeness"]] = np.nan
    long["percent_of_target"] = 100.0 * long["intake"] / long["target"]
    long["lower_bound"] = long["completeness"] < 1.0
    long["status"] = _status(long, carried)
    return long[DAY_COLUMNS]


DAY_COLUMNS = [
    "person", "date", "nutrient", "intake", "target", "percent_of_target", "ul", "ul_applies",
    "ul_intake", "status", "completeness", "energy_completeness", "lower_bound", "entries",
    "intake_food", "intake_supplements",
]  # fmt: skip


def _by_source(live: pd.DataFrame, ids: list[str], index: pd.Index) -> dict[str, pd.DataFrame]:
    """Per person and day, the intake from food and from supplements.

    Food is NaN where no food row of the day has a value (unknown); supplements are 0 on a
    day without any, since nothing was taken.
    """
    supp = sources.is_supplement(live)
    out = {}
    for name, rows in (("food", ~supp), ("supplements", supp)):
        part = live.loc[rows, ids]
        keys = [live.loc[rows, "person"], live.loc[rows, "date"]]
        sums = part.groupby(keys, sort=True).sum(min_count=1).reindex(index)
        out[name] = sums.fillna(0.0) if name == "supplements" else sums
    return out


def _empty_days() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in DAY_COLUMNS})


def _status(frame: pd.DataFrame, carried: list[str] | None, intake="intake", ul="ul_intake"):
    over_limit = np.where(frame["nutrient"].eq("sodium_mg"), "above_cdrr", "above_ul")
    status = np.select(
        [
            frame[intake].isna(),
            frame["ul_applies"].astype(bool) & (frame[ul] > frame["ul"]),
            frame[intake] >= frame["target"],
        ],
        ["unknown", over_limit, "met"],
        default="below",
    ).astype(object)
    if carried is not None:
        status[~frame["nutrient"].isin(carried).to_numpy()] = "not_in_export"
    return status


def _period(days: pd.DataFrame, limits: pd.DataFrame, live: pd.DataFrame, carried) -> pd.DataFrame:
    """One row per person and scored nutrient over the period."""
    ids = _scored()
    frame = limits.copy()
    if len(days):
        keys = [days["person"], days["nutrient"]]
        g = days.groupby(keys, sort=False)
        status = days["status"]
        stats = pd.DataFrame(
            {
                "mean_intake": g["intake"].mean(),
                "mean_intake_food": g["intake_food"].mean(),
                "mean_intake_supplements": g["intake_supplements"].mean(),
                "mean_ul_intake": g["ul_intake"].mean(),
                "days": g.size(),
                "days_met": status.eq("met").groupby(keys, sort=False).sum(),
                "days_below": status.eq("below").groupby(keys, sort=False).sum(),
                "days_above_ul": status.isin(["above_ul", "above_cdrr"])
                .groupby(keys, sort=False)
                .sum(),
            }
        ).reset_index()
        frame = frame.merge(stats, on=["person", "nutrient"], how="left")
    else:
        for column in PERIOD_MEANS:
            frame[column] = np.nan
        for column in ("days", "days_met", "days_below", "days_above_ul"):
            frame[column] = 0
    for column in ("days", "days_met", "days_below", "days_above_ul"):
        frame[column] = frame[column].fillna(0).astype(int)
    # completeness over the period: the share of entries (and of energy) with a value
    known = live[ids].notna()
    n_live = live.groupby("person").size()
    energy = live["energy_kcal"].fillna(0.0)
    per_person = pd.DataFrame(
        {
            "known": known.groupby(live["person"]).sum().stack(future_stack=True),
            "energy_with": known.mul(energy, axis=0).groupby(live["person"]).sum()
            .stack(future_stack=True),
        }
    ).reset_index()  # fmt: skip
    per_person.columns = ["person", "nutrient", "known", "energy_with"]
    frame = frame.merge(per_person, on=["person", "nutrient"], how="left")
    frame["completeness"] = frame["known"] / frame["person"].map(n_live)
    energy_total = energy.groupby(live["person"]).sum()
    frame["energy_completeness"] = frame["energy_with"] / frame["person"].map(
        energy_total.where(energy_total > 0)
    )
    frame["in_export"] = True
    if carried is not None:
        absent = ~frame["nutrient"].isin(carried)
        frame.loc[absent, ["completeness", "energy_completeness"]] = np.nan
        frame["in_export"] = ~absent
    frame["percent_of_target"] = 100.0 * frame["mean_intake"] / frame["target"]
    frame["lower_bound"] = frame["completeness"] < 1.0
    frame["status"] = _status(frame, carried, "mean_intake", "mean_ul_intake")
    return frame[
        [
            "person", "nutrient", "name", "unit", "mean_intake", "target", "kind",
            "percent_of_target", "ul", "ul_applies", "ul_covers", "mean_ul_intake", "status",
            "days", "days_met", "days_below", "days_above_ul", "completeness",
            "energy_completeness", "in_export", "lower_bound", "mean_intake_food",
            "mean_intake_supplements", "ul_form",
        ]
    ]  # fmt: skip


PERIOD_MEANS = ("mean_intake", "mean_intake_food", "mean_intake_supplements", "mean_ul_intake")


def _gaps(nutrients: pd.DataFrame) -> pd.DataFrame:
    """Per person, the panel nutrients below target on average, largest shortfall first."""
    panel = [n.id for n in registry.nutrients() if n.role == "panel"]
    short = nutrients[
        nutrients["nutrient"].isin(panel)
        & nutrients["status"].eq("below")
        & (nutrients["percent_of_target"] < 100 * GAP_THRESHOLD)
    ]
    gaps = pd.DataFrame(
        {
            "person": short["person"].to_numpy(),
            "nutrient": short["nutrient"].to_numpy(),
            "name": short["name"].to_numpy(),
            "unit": short["unit"].to_numpy(),
            "mean_intake": short["mean_intake"].to_numpy(),
            "target": short["target"].to_numpy(),
            "shortfall": (short["target"] - short["mean_intake"]).to_numpy(),
            "percent_of_target": short["percent_of_target"].to_numpy(),
            "days_below": short["days_below"].to_numpy(),
            "completeness": short["completeness"].to_numpy(),
            "maybe_data_gap": short["lower_bound"].to_numpy(dtype=bool),
        }
    )
    return gaps.sort_values(["person", "percent_of_target"], kind="stable")


def _top_foods(used: pd.DataFrame, n: int = TOP_FOODS) -> pd.DataFrame:
    """Per person and nutrient, the foods that gave the most over the period."""
    if used.empty:
        return _no_top()
    ids = _scored()
    key = used["food_id"].where(used["food_id"].ne(""), "text:" + used["food_text"]).rename("key")
    groups = [used["person"], key]
    sums = used[ids].groupby(groups, sort=False).sum(min_count=1)
    # Name each food as the person wrote it most often: "2% milk", not USDA's long name.
    text = used["food_text"].where(used["food_text"].ne(""), used["description"])
    counts = pd.DataFrame({"person": used["person"], "key": key, "food": text}).value_counts(
        sort=True
    )  # most written first
    names = counts.reset_index()
    names = names.drop_duplicates(["person", "key"]).set_index(["person", "key"])["food"]
    long = sums.stack(future_stack=True).rename("amount").reset_index()
    long.columns = ["person", "key", "nutrient", "amount"]
    long = long[long["amount"] > 0]
    totals = long.groupby(["person", "nutrient"], sort=False)["amount"].transform("sum")
    long = long.assign(share=long["amount"] / totals)
    long = long.sort_values(["person", "nutrient", "amount"], ascending=[True, True, False],
                            kind="stable")  # fmt: skip
    long = long.groupby(["person", "nutrient"], sort=False).head(n)
    long["rank"] = long.groupby(["person", "nutrient"], sort=False).cumcount() + 1
    long["food_id"] = long["key"].where(~long["key"].str.startswith("text:"), "")
    long["food"] = names.reindex(pd.MultiIndex.from_frame(long[["person", "key"]])).to_numpy()
    order = {nid: i for i, nid in enumerate(ids)}
    long = long.sort_values(["person", "nutrient", "rank"], key=lambda s: s.map(order)
                            if s.name == "nutrient" else s, kind="stable")  # fmt: skip
    return long[["person", "nutrient", "rank", "food_id", "food", "amount", "share"]]


def _no_top() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person": pd.Series(dtype=object),
            "nutrient": pd.Series(dtype=object),
            "rank": pd.Series(dtype=int),
            "food_id": pd.Series(dtype=object),
            "food": pd.Series(dtype=object),
            "amount": pd.Series(dtype=float),
            "share": pd.Series(dtype=float),
        }
    )


def _energy(days: pd.DataFrame) -> pd.DataFrame:
    """Per person and day: energy eaten against the energy target."""
    rows = days[days["nutrient"].eq("energy_kcal")]
    return pd.DataFrame(
        {
            "person": rows["person"].to_numpy(),
            "date": rows["date"].to_numpy(),
            "kcal": rows["intake"].to_numpy(),
            "target_kcal": rows["target"].to_numpy(),
            "percent": rows["percent_of_target"].to_numpy(),
            "lower_bound": rows["lower_bound"].to_numpy(dtype=bool),
        }
    )


# --- several people ----------------------------------------------------------------------


def analyze(
    entries: pd.DataFrame,
    profile: Profile | None = None,
    profiles: dict[str, Profile] | None = None,
) -> dict[str, GapReport]:
    """Score a resolved diary for one person or for each person it holds.

    Parameters
    ----------
    entries : pandas.DataFrame
        From :func:`planner.entries.resolve_entries`.
    profile : Profile, optional
        The person's profile; with a multi-person diary and no ``profiles``, it is used
        for everyone.
    profiles : dict, optional
        Person label -> Profile, for a diary with a ``person`` column.

    Returns
    -------
    dict
        Person label (``""`` for a one-person diary) -> :class:`GapReport`.
    """
    from planner.errors import ProfileError

    people = [p for p in pd.unique(entries["person"]) if p != ""]
    if profiles is not None:
        if not people:
            raise ProfileError(
                "profiles", None, "were given but the diary has no person column to match"
            )
        if entries["person"].eq("").any():
            unlabelled = entries.loc[entries["person"].eq(""), "source_row"]
            raise ProfileError(
                "person",
                None,
                f"is blank on {len(unlabelled):,} row(s) (first: row {unlabelled.iloc[0]}) "
                "of a diary scored with a profiles file",
            )
        return score_people(entries, profiles)
    if profile is None:
        raise ProfileError("profile", None, "is needed: give age and sex, or a profiles file")
    if not people:
        return {"": score_diary(entries, profile)}
    from dataclasses import replace

    everyone = {p: replace(profile, person=p) for p in people}
    if entries["person"].eq("").any():
        everyone[""] = profile
    return score_people(entries, everyone)
