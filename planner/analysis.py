"""Score resolved diary entries against a person's targets: days, period, gaps, top foods.

:func:`score_diary` takes the table :func:`planner.entries.resolve_entries` returns and a
:class:`planner.targets.Profile`, and returns a :class:`GapReport`. All sums are
vectorised group-bys; nothing loops over rows.

Unknown is not zero. A day's intake of a nutrient is the sum of the values that are
known; ``completeness`` says what share of the day's entries (flagged ones included,
since something was eaten) had a known value, and ``energy_completeness`` what share of
the day's known energy came from entries with a value. Where completeness is below 1 the
total is a lower bound (``lower_bound``), and a shortfall may be a gap in the data rather
than in the diet; the report says so.

Statuses per day and over the period:

``below``      under the target (RDA or AI);
``met``        at or over the target, and not over a UL that applies to food;
``above_ul``   over a UL that applies to food (for folate, the UL is checked on folic
               acid, the form it covers);
``above_cdrr`` sodium only: over the chronic-disease risk reduction intake;
``unknown``    no entry that day has a value;
``not_in_export`` the export holds day or meal totals and does not carry the nutrient.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner import nutrients as registry
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
        ``lower_bound``, ``entries``.
    nutrients : pandas.DataFrame
        One row per nutrient over the period, indexed by nutrient id: ``name``, ``unit``,
        ``mean_intake``, ``target``, ``kind``, ``percent_of_target``, ``ul``,
        ``ul_applies``, ``ul_covers``, ``mean_ul_intake``, ``status``, ``days``,
        ``days_met``, ``days_below``, ``days_above_ul``, ``completeness``,
        ``energy_completeness``, ``lower_bound``, ``in_export``.
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
    targets = targets_for_profile(profile)
    entries = _complete_columns(entries)
    carried = entries.attrs.get("nutrients")
    totals_only = entries.attrs.get("level", "entry") != "entry"
    live = entries[entries["status"].ne("rejected") & entries["date"].notna()]
    days = _days(live, targets, carried if totals_only else None)
    nutrients = _period(days, targets, live, carried if totals_only else None)
    gaps = _gaps(nutrients)
    top = _top_foods(live[live["status"].eq("matched")]) if not totals_only else _no_top()
    energy = _energy(days)
    notes = list(targets.notes) + list(entries.attrs.get("notes", []))
    repeats = int((entries["duplicate_of"] > 0).sum()) if "duplicate_of" in entries else 0
    if repeats:
        from planner.render import DUPLICATES_NOTE

        notes.append(DUPLICATES_NOTE.format(n=repeats).removeprefix("Note: "))
    if "niacin_mg" in nutrients.index and not math.isnan(nutrients.loc["niacin_mg", "ul"]):
        notes.append(
            "The niacin UL covers nicotinic acid from supplements and fortified foods; food "
            "tables do not separate it from natural niacin, so it is not checked here."
        )
    return GapReport(
        profile=profile,
        targets=targets,
        entries=entries,
        days=days,
        nutrients=nutrients,
        gaps=gaps,
        top_foods=top,
        energy=energy,
        accounting=account(entries),
        notes=notes,
    )


def _complete_columns(entries: pd.DataFrame) -> pd.DataFrame:
    missing = [n for n in registry.ids() if n not in entries]
    if not missing:
        return entries
    extra = pd.DataFrame(np.nan, index=entries.index, columns=missing)
    out = pd.concat([entries, extra], axis=1)
    out.attrs = entries.attrs
    return out


def _ul_nutrient(targets: Targets, nid: str) -> str | None:
    """The nutrient whose intake is checked against ``nid``'s UL, if one applies to food."""
    row = targets.table.loc[nid]
    if nid == "sodium_mg":
        return "sodium_mg" if not math.isnan(row.cdrr) else None
    if not row.ul_applies_to_food or math.isnan(row.ul):
        return None
    if row.ul_covers == "synthetic_only":
        # Only folate's synthetic form (folic acid) is in the food table.
        return row.ul_nutrient if row.ul_nutrient != nid else None
    return nid


def _days(live: pd.DataFrame, targets: Targets, carried: list[str] | None) -> pd.DataFrame:
    ids = _scored()
    ul_ids = {nid: _ul_nutrient(targets, nid) for nid in ids}
    value_cols = sorted(set(ids) | {u for u in ul_ids.values() if u})
    grouped = live.groupby("date", sort=True)
    sums = grouped[value_cols].sum(min_count=1)
    known = live[value_cols].notna().groupby(live["date"]).sum()
    n_entries = grouped.size()
    energy = live["energy_kcal"]
    known_energy = energy.where(energy.notna(), 0.0)
    energy_total = known_energy.groupby(live["date"]).sum()
    frames = []
    for nid in ids:
        row = targets.table.loc[nid]
        ul_nid = ul_ids[nid]
        with_value = known_energy.where(live[nid].notna(), 0.0).groupby(live["date"]).sum()
        ul_value = row.cdrr if nid == "sodium_mg" else row.ul
        frame = pd.DataFrame(
            {
                "date": sums.index,
                "nutrient": nid,
                "intake": sums[nid].to_numpy(),
                "target": row.target,
                "ul": ul_value,
                "ul_applies": ul_nid is not None,
                "ul_intake": sums[ul_nid].to_numpy() if ul_nid else np.nan,
                "completeness": (known[nid] / n_entries).to_numpy(),
                "energy_completeness": _ratio(with_value, energy_total).to_numpy(),
                "entries": n_entries.to_numpy(),
            }
        )
        if carried is not None and nid not in carried:
            frame["completeness"] = np.nan
            frame["energy_completeness"] = np.nan
        frames.append(frame)
    days = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if days.empty:
        return _empty_days()
    days["percent_of_target"] = 100.0 * days["intake"] / days["target"]
    days["lower_bound"] = days["completeness"] < 1.0
    days["status"] = _status(days, carried)
    return days[
        [
            "date", "nutrient", "intake", "target", "percent_of_target", "ul", "ul_applies",
            "ul_intake", "status", "completeness", "energy_completeness", "lower_bound",
            "entries",
        ]
    ]  # fmt: skip


def _empty_days() -> pd.DataFrame:
    columns = [
        "date", "nutrient", "intake", "target", "percent_of_target", "ul", "ul_applies",
        "ul_intake", "status", "completeness", "energy_completeness", "lower_bound", "entries",
    ]  # fmt: skip
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return numerator / denominator.where(denominator > 0)


def _status(frame: pd.DataFrame, carried: list[str] | None, intake="intake", ul="ul_intake"):
    over_limit = np.where(frame["nutrient"].eq("sodium_mg"), "above_cdrr", "above_ul")
    status = np.select(
        [
            frame[intake].isna(),
            frame["ul_applies"] & (frame[ul] > frame["ul"]),
            frame[intake] >= frame["target"],
        ],
        ["unknown", over_limit, "met"],
        default="below",
    ).astype(object)
    if carried is not None:
        status[~frame["nutrient"].isin(carried).to_numpy()] = "not_in_export"
    return status


def _period(
    days: pd.DataFrame, targets: Targets, live: pd.DataFrame, carried: list[str] | None
) -> pd.DataFrame:
    ids = _scored()
    table = targets.table.loc[ids]
    g = days.groupby("nutrient", sort=False)
    count = lambda s: days["status"].eq(s).groupby(days["nutrient"]).sum()  # noqa: E731
    energy = live["energy_kcal"].where(live["energy_kcal"].notna(), 0.0)
    energy_total = energy.sum()
    frame = pd.DataFrame(index=pd.Index(ids, name="nutrient"))
    frame["name"] = table["name"]
    frame["unit"] = table["unit"]
    frame["mean_intake"] = g["intake"].mean()
    frame["target"] = table["target"]
    frame["kind"] = table["kind"]
    frame["percent_of_target"] = 100.0 * frame["mean_intake"] / frame["target"]
    frame["ul"] = [targets.table.loc[n, "cdrr" if n == "sodium_mg" else "ul"] for n in ids]
    frame["ul_applies"] = g["ul_applies"].first().reindex(ids).fillna(False).astype(bool)
    frame["ul_covers"] = table["ul_covers"]
    frame["mean_ul_intake"] = g["ul_intake"].mean()
    frame["days"] = g.size().reindex(ids).fillna(0).astype(int)
    frame["days_met"] = count("met").reindex(ids).fillna(0).astype(int)
    frame["days_below"] = count("below").reindex(ids).fillna(0).astype(int)
    above = count("above_ul").reindex(ids).fillna(0) + count("above_cdrr").reindex(ids).fillna(0)
    frame["days_above_ul"] = above.astype(int)
    n_live = len(live)
    known = live[ids].notna().sum() if n_live else pd.Series(0, index=ids)
    frame["completeness"] = (known / n_live) if n_live else np.nan
    with_value = pd.Series({n: energy.where(live[n].notna(), 0.0).sum() for n in ids})
    frame["energy_completeness"] = with_value / energy_total if energy_total > 0 else np.nan
    frame["in_export"] = True
    if carried is not None:
        absent = ~frame.index.isin(carried)
        frame.loc[absent, ["completeness", "energy_completeness"]] = np.nan
        frame["in_export"] = ~absent
    frame["lower_bound"] = frame["completeness"] < 1.0
    status_in = frame.reset_index()
    frame["status"] = _status(status_in, carried, "mean_intake", "mean_ul_intake")
    return frame


def _gaps(nutrients: pd.DataFrame) -> pd.DataFrame:
    panel = [n.id for n in registry.nutrients() if n.role == "panel"]
    rows = nutrients.loc[panel]
    short = rows[(rows["status"] == "below") & (rows["percent_of_target"] < 100 * GAP_THRESHOLD)]
    gaps = pd.DataFrame(
        {
            "nutrient": short.index,
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
    return gaps.sort_values("percent_of_target", kind="stable").reset_index(drop=True)


def _top_foods(used: pd.DataFrame, n: int = TOP_FOODS) -> pd.DataFrame:
    if used.empty:
        return _no_top()
    ids = _scored()
    key = used["food_id"].where(used["food_id"].ne(""), "text:" + used["food_text"])
    sums = used[ids].groupby(key).sum(min_count=1)
    # Name each food as the person wrote it most often: "2% milk", not USDA's long name.
    text = used["food_text"].where(used["food_text"].ne(""), used["description"])
    names = text.groupby(key).agg(lambda s: s.value_counts().index[0])
    frames = []
    for nid in ids:
        column = sums[nid].dropna()
        column = column[column > 0]
        if column.empty:
            continue
        total = column.sum()
        best = column.sort_values(ascending=False, kind="stable").head(n)
        frames.append(
            pd.DataFrame(
                {
                    "nutrient": nid,
                    "rank": np.arange(1, len(best) + 1),
                    "food_id": [k if not k.startswith("text:") else "" for k in best.index],
                    "food": names.reindex(best.index).to_numpy(),
                    "amount": best.to_numpy(),
                    "share": (best / total).to_numpy(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else _no_top()


def _no_top() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "nutrient": pd.Series(dtype=object),
            "rank": pd.Series(dtype=int),
            "food_id": pd.Series(dtype=object),
            "food": pd.Series(dtype=object),
            "amount": pd.Series(dtype=float),
            "share": pd.Series(dtype=float),
        }
    )


def _energy(days: pd.DataFrame) -> pd.DataFrame:
    rows = days[days["nutrient"].eq("energy_kcal")]
    return pd.DataFrame(
        {
            "date": rows["date"].to_numpy(),
            "kcal": rows["intake"].to_numpy(),
            "target_kcal": rows["target"].to_numpy(),
            "percent": rows["percent_of_target"].to_numpy(),
            "lower_bound": rows["lower_bound"].to_numpy(dtype=bool),
        }
    )


# --- several people ----------------------------------------------------------------------


def score_people(entries: pd.DataFrame, profiles: dict[str, Profile]) -> dict[str, GapReport]:
    """Score a diary that holds several people, each against their own profile.

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

    people = list(dict.fromkeys(entries["person"]))
    missing = [p for p in people if p not in profiles]
    if missing:
        raise ProfileError(
            "person",
            ", ".join(missing),
            "is in the diary but not in the profiles file",
        )
    reports = {}
    for person in people:
        rows = entries[entries["person"].eq(person)]
        rows.attrs = entries.attrs
        reports[person] = score_diary(rows, profiles[person])
    return reports


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
        if "" in set(entries["person"]):
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
    if "" in set(entries["person"]):
        everyone[""] = profile
    return score_people(entries, everyone)
