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

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from planner import nutrients as registry
from planner import sources
from planner.columns import positions, text_column
from planner.entries import Accounting, account
from planner.people import (
    NO_PERIOD,
    ByPerson,
    Counts,
    Later,
    Table,
    counts_by_person,
    periods,
    report_notes,
)
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
    entries: pd.DataFrame = Table()
    days: pd.DataFrame = Table()
    nutrients: pd.DataFrame = Table()
    gaps: pd.DataFrame = Table()
    top_foods: pd.DataFrame = Table()
    energy: pd.DataFrame = Table()
    accounting: Accounting
    notes: list[str] = field(default_factory=list)
    # the tables of every person scored together with this one (for cohort files)
    _cohort: dict | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict:
        """Pickled with every table worked out (a :class:`Later` does not pickle)."""
        for name in ("entries", "days", "nutrients", "gaps", "top_foods", "energy"):
            getattr(self, name)
        return self.__dict__

    @property
    def period(self) -> dict:
        """First and last date and the number of days scored."""
        known = self.__dict__.get("_period")  # worked out with the cohort's
        if known is not None:
            return dict(known)
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
    live = _live(entries)
    days, day_key = _days(live, limits, carried)
    nutrients = _period(days, day_key, limits, live, carried)
    gaps = _gaps(nutrients)
    energy = _energy(days)
    tables = {"days": days, "nutrients": nutrients, "gaps": gaps, "energy": energy}
    split = {
        name: ByPerson(table, index="nutrient" if name == "nutrients" else None)
        for name, table in tables.items()
    }
    # the top foods are read for a few people's reports, rarely for a cohort's: worked out
    # for everyone the first time someone's are read (from the entries the cohort keeps)
    split["top"] = ByPerson(
        Later(lambda: _top_foods(_live(entries, matched=True))) if carried is None else _no_top()
    )
    people_entries = ByPerson(entries, keep_person=True, attrs=attrs)
    counts = counts_by_person(entries)
    known_periods = periods(energy)
    cohort = {**tables, "entries": entries}
    niacin = nutrients[nutrients["nutrient"].eq("niacin_mg")]
    niacin_ul = dict(zip(niacin["person"], niacin["ul"].notna(), strict=True))
    reports = {}
    for person, profile in profiles.items():
        part = {name: split[name].later(person) for name in split}
        mine = counts.get(person) or Counts(account(people_entries.block(person)))
        report = GapReport(
            profile=profile,
            targets=targets[person],
            entries=people_entries.later(person),
            days=part["days"],
            nutrients=part["nutrients"],
            gaps=part["gaps"],
            top_foods=part["top"],
            energy=part["energy"],
            accounting=mine.accounting,
            notes=report_notes(targets[person], attrs, mine, niacin_ul.get(person, False)),
        )
        report.__dict__["_period"] = known_periods.get(person, NO_PERIOD)
        report._cohort = cohort
        reports[person] = report
    return reports


def _live(entries: pd.DataFrame, matched: bool = False) -> pd.DataFrame:
    """The rows that are scored (not rejected, with a date), or only the used ones, with
    only the columns scoring reads (fewer to take along when the rows are filtered)."""
    status = entries["status"]
    keep = status.ne("rejected").to_numpy() & entries["date"].notna().to_numpy()
    if matched:
        keep &= status.eq("matched").to_numpy()
    wanted = ["person", "date", "status", "food_id", "food_text", "description", "supplement"]
    return entries.loc[keep, wanted + _scored() + ["folic_acid_ug"]]


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
    place: dict[int, int] = {}  # people with the same profile share one table
    shared = []
    for t in targets.values():
        if id(t.table) not in place:
            place[id(t.table)] = len(shared)
            shared.append(_limits(t.table.loc[ids]))
    block = np.array([place[id(t.table)] for t in targets.values()], dtype=np.int64)
    rows = (block[:, None] * len(ids) + np.arange(len(ids))).ravel()
    who = np.repeat(np.arange(len(targets)), len(ids))
    frame = pd.DataFrame({"person": text_column(list(targets), who)})
    for column in shared[0]:
        frame[column] = np.concatenate([part[column] for part in shared])[rows]
    frame["ul_applies"] = frame["ul_nutrient"].notna()
    return frame


def _limits(table: pd.DataFrame) -> dict[str, np.ndarray]:
    """One profile's rows of :func:`_target_frame`, by nutrient (``table`` in that order).

    A nutrient's UL (sodium: its CDRR) is checked on the column ``ul_nutrient`` names
    (None when it has none): magnesium's on the magnesium of supplements and niacin's on
    the niacin of supplements and fortified foods (:func:`planner.sources.ul_amounts`);
    folate's on folic acid.
    """
    sodium = table.index == "sodium_mg"
    limit = np.where(sodium, table["cdrr"], table["ul"]).astype(float)
    checked = np.where(sodium, "sodium_mg", table["ul_nutrient"].to_numpy(dtype=object))
    return {
        "nutrient": np.asarray(table.index, dtype=object),
        "name": table["name"].to_numpy(dtype=object),
        "unit": table["unit"].to_numpy(dtype=object),
        "kind": table["kind"].to_numpy(dtype=object),
        "ul_covers": table["ul_covers"].to_numpy(dtype=object),
        "target": table["target"].to_numpy(dtype=float),
        "ul": limit,
        "ul_nutrient": np.where(np.isnan(limit), None, checked),
        "ul_form": np.array([sources.UL_FORMS.get(nid, "total") for nid in table.index], object),
    }


def _days(live: pd.DataFrame, limits: pd.DataFrame, carried: list[str] | None):
    """One row per person, day and scored nutrient, from group-bys over all rows at once.

    Returns the table and, per row, its person and nutrient as one code (``person's place
    in limits * nutrients + nutrient's place``) for :func:`_period`. The rows are grouped
    by one integer per (person, day), in the order of person then day, so that text is
    hashed once rather than in every group-by.
    """
    ids = _scored()
    if live.empty:
        return _empty_days(), np.zeros(0, dtype=np.int64)
    person, people = pd.factorize(live["person"], sort=True)
    day, dates = pd.factorize(live["date"], sort=True)
    group, pairs = pd.factorize(person.astype(np.int64) * len(dates) + day, sort=True)
    values = live[ids]
    sums = values.groupby(group, sort=True).sum(min_count=1)
    known = values.notna()
    n_known = known.groupby(group, sort=True).sum()
    n_entries = np.bincount(group, minlength=len(pairs)).astype(np.int64)
    energy = live["energy_kcal"].fillna(0.0)
    energy_with = known.mul(energy, axis=0).groupby(group, sort=True).sum()
    energy_total = energy.groupby(group, sort=True).sum().to_numpy()
    by_source = _by_source(live, ids, group, len(pairs))
    # the amount checked against each UL: what the UL covers (planner.sources.ul_amounts)
    ul_sums = sources.ul_amounts(live, ids).groupby(group, sort=True).sum(min_count=1)

    def flat(frame: pd.DataFrame) -> np.ndarray:  # row by row: each group's nutrients
        return frame.to_numpy().reshape(-1)

    n_ids = len(ids)
    row_group = np.repeat(np.arange(len(pairs)), n_ids)
    row_nutrient = np.tile(np.arange(n_ids), len(pairs))
    who = pd.Index(limits["person"].unique())
    place = who.get_indexer(people)[pairs // len(dates)][row_group]  # in limits' people
    key = place.astype(np.int64) * n_ids + row_nutrient
    lookup = _by_key(limits, who, ids)
    long = pd.DataFrame(
        {
            "person": people.take((pairs // len(dates))[row_group]),
            "date": dates.take((pairs % len(dates))[row_group]),
            "nutrient": pd.Index(ids).take(row_nutrient),
            "intake": flat(sums),
            "known": flat(n_known),
            "energy_with": flat(energy_with),
            "intake_food": flat(by_source["food"]),
            "intake_supplements": flat(by_source["supplements"]),
            "ul_intake": flat(ul_sums),
            "entries": n_entries[row_group],
            "energy_total": energy_total[row_group],
            "target": lookup["target"][key],
            "ul": lookup["ul"][key],
            "ul_applies": lookup["ul_applies"][key],
        }
    )
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
    return long[DAY_COLUMNS], key


def _by_key(limits: pd.DataFrame, who: pd.Index, ids: list[str]) -> dict[str, np.ndarray]:
    """Each limits column as an array indexed by person and nutrient code (see
    :func:`_days`); NaN (False) where a person lacks a nutrient's row."""
    key = who.get_indexer(limits["person"]).astype(np.int64) * len(ids) + pd.Index(ids).get_indexer(
        limits["nutrient"]
    )
    ok = key >= 0
    size = len(who) * len(ids)
    out = {"target": np.full(size, np.nan), "ul": np.full(size, np.nan)}
    out["ul_applies"] = np.zeros(size, dtype=bool)
    for column, array in out.items():
        array[key[ok]] = limits[column].to_numpy(dtype=array.dtype)[ok]
    return out


DAY_COLUMNS = [
    "person", "date", "nutrient", "intake", "target", "percent_of_target", "ul", "ul_applies",
    "ul_intake", "status", "completeness", "energy_completeness", "lower_bound", "entries",
    "intake_food", "intake_supplements",
]  # fmt: skip


def _by_source(live: pd.DataFrame, ids: list[str], group: np.ndarray, n: int):
    """Per person and day (``group``, of ``n``), the intake from food and from supplements.

    Food is NaN where no food row of the day has a value (unknown); supplements are 0 on a
    day without any, since nothing was taken.
    """
    supp = sources.is_supplement(live)
    out = {}
    for name, rows in (("food", ~supp), ("supplements", supp)):
        part = live.loc[rows, ids]
        sums = part.groupby(group[rows], sort=True).sum(min_count=1).reindex(range(n))
        out[name] = sums.fillna(0.0) if name == "supplements" else sums
    return out


def _empty_days() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in DAY_COLUMNS})


STATUS_NAMES = ("unknown", "above_ul", "above_cdrr", "met", "below", "not_in_export")


def _status(frame: pd.DataFrame, carried: list[str] | None, intake="intake", ul="ul_intake"):
    """Each row's status (a text column; see the module docstring)."""
    amount = frame[intake].to_numpy(dtype=float)
    over_limit = np.where(frame["nutrient"].eq("sodium_mg").to_numpy(), 2, 1)
    code = np.select(
        [
            np.isnan(amount),
            frame["ul_applies"].astype(bool).to_numpy()
            & (frame[ul].to_numpy(dtype=float) > frame["ul"].to_numpy(dtype=float)),
            amount >= frame["target"].to_numpy(dtype=float),
        ],
        [0, over_limit, 3],
        default=4,
    )
    if carried is not None:
        code[~frame["nutrient"].isin(carried).to_numpy()] = STATUS_NAMES.index("not_in_export")
    return text_column(STATUS_NAMES, code)


def _period(days, day_key, limits, live, carried) -> pd.DataFrame:
    """One row per person and scored nutrient over the period (in the order of
    ``limits``), from group-bys on the integer codes :func:`_days` gives its rows."""
    ids = _scored()
    frame = limits.copy()
    who = pd.Index(limits["person"].unique())
    key = who.get_indexer(frame["person"]).astype(np.int64) * len(ids) + pd.Index(ids).get_indexer(
        frame["nutrient"]
    )
    if len(days):
        g = days.groupby(day_key, sort=False)
        status = days["status"]

        def count(mask) -> np.ndarray:
            mask = np.asarray(mask, dtype=bool)
            return np.bincount(day_key[mask], minlength=len(who) * len(ids))[key]

        for column, source in zip(PERIOD_MEANS, MEANS_OF, strict=True):
            frame[column] = g[source].mean().reindex(key).to_numpy()
        frame["days"] = count(np.ones(len(days), dtype=bool))
        frame["days_met"] = count(status.eq("met"))
        frame["days_below"] = count(status.eq("below"))
        frame["days_above_ul"] = count(status.isin(["above_ul", "above_cdrr"]))
    else:
        for column in PERIOD_MEANS:
            frame[column] = np.nan
        for column in ("days", "days_met", "days_below", "days_above_ul"):
            frame[column] = 0
    for column in ("days", "days_met", "days_below", "days_above_ul"):
        frame[column] = frame[column].fillna(0).astype(int)
    # completeness over the period: the share of entries (and of energy) with a value
    person = positions(live["person"], who)
    known = live[ids].notna()
    n_live = np.bincount(person, minlength=len(who)).astype(float)
    n_live[n_live == 0] = np.nan  # a person without rows has no completeness
    energy = live["energy_kcal"].fillna(0.0)
    place = who.get_indexer(frame["person"])
    nutrient = pd.Index(ids).get_indexer(frame["nutrient"])
    per_person = {
        "known": known.groupby(person).sum(),
        "energy_with": known.mul(energy, axis=0).groupby(person).sum(),
    }
    for column, table in per_person.items():
        full = table.reindex(range(len(who))).to_numpy(dtype=float)
        frame[column] = full[place, nutrient]
    frame["completeness"] = frame["known"] / n_live[place]
    energy_total = energy.groupby(person).sum().reindex(range(len(who))).to_numpy()
    frame["energy_completeness"] = (
        frame["energy_with"] / np.where(energy_total > 0, energy_total, np.nan)[place]
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
MEANS_OF = ("intake", "intake_food", "intake_supplements", "ul_intake")


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
