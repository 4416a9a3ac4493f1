"""A person's profile and their daily targets: DRIs for the panel, an energy target.

Targets come from the bundled DRI table (``planner/data/dri.csv``, built from the
US/Canada Dietary Reference Intakes by ``tools/build_dri.py``). Ages are half-open
ranges ``[age_min, age_max)`` in years. planner covers ages 1 and up; infant feeding is
out of scope.

Energy comes from, in order of preference:

1. ``kcal`` when the person gives it;
2. the NASEM 2023 estimated energy requirement (EER) equations when height and weight
   are given (activity defaults to ``low_active``);
3. otherwise the "moderately active" column of the Dietary Guidelines for Americans
   2020-2025 calorie table for the person's age and sex.

Pregnancy adds 340 kcal and lactation 330 kcal to (2) and (3): the Dietary Guidelines'
figures for the second trimester and the first six months of breastfeeding (the first
trimester needs no extra energy, the third about 450 kcal; pass ``kcal`` to be exact).
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

from planner import nutrients as registry
from planner.errors import ProfileError

SEXES = ("female", "male", "unspecified")
ACTIVITIES = ("inactive", "low_active", "active", "very_active")
DEFAULT_ACTIVITY = "low_active"
MIN_AGE, MAX_AGE = 1.0, 120.0
PREGNANCY_KCAL, LACTATION_KCAL = 340.0, 330.0
PREGNANCY_AGES = (14.0, 51.0)  # the DRI tables give pregnancy and lactation values for 14-50 y

_SEX_ALIASES = {"f": "female", "woman": "female", "m": "male", "man": "male", "u": "unspecified"}

# What a UL covers, in words for reports.
UL_COVERS = {
    "all_sources": "all sources: food, water and supplements",
    "supplements_only": "supplements and medicines only, not food",
    "synthetic_only": "synthetic forms from supplements and fortified foods",
    "none": "no UL set",
}


def _number(value, field: str, low: float, high: float, unit: str, source=None) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ProfileError(field, value, "is not a number", source) from None
    if not math.isfinite(number) or not low <= number <= high:
        raise ProfileError(field, value, f"must be between {low:g} and {high:g} {unit}", source)
    return number


@dataclass(frozen=True)
class Profile:
    """The person a diary is scored for.

    Parameters
    ----------
    age : float [years]
        1 to 120. Below 1 year is an error: infant feeding is out of scope.
    sex : {"female", "male", "unspecified"}
        With ``unspecified`` each nutrient takes the higher target and the lower UL of
        the two sexes, and energy the mean of the two.
    pregnant, lactating : bool
        Need ``sex="female"``; not both at once.
    kcal : float [kcal/day], optional
        The person's own energy target; overrides the estimate.
    height_cm, weight_kg : float, optional
        Both needed for the EER equations.
    activity : {"inactive", "low_active", "active", "very_active"}, optional
        Physical activity level for the EER equations (default ``low_active``).
    person : str, optional
        The person's label in a multi-person diary.
    source : str, optional
        Where the profile came from (a file and row), for error messages.

    Examples
    --------
    >>> Profile(45, "female").describe()
    'female, 45 y'
    >>> Profile(0.5, "female")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    planner.errors.ProfileError: age 0.5: must be between 1 and 120 years (...out of scope)
    """

    age: float
    sex: str
    pregnant: bool = False
    lactating: bool = False
    kcal: float | None = None
    height_cm: float | None = None
    weight_kg: float | None = None
    activity: str | None = None
    person: str | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        src = self.source
        try:
            age = _number(self.age, "age", MIN_AGE, MAX_AGE, "years", src)
        except ProfileError as exc:
            with contextlib.suppress(TypeError, ValueError):
                if 0 <= float(self.age) < MIN_AGE:
                    exc.reason += " (planner covers ages 1 and up; infant feeding is out of scope)"
            raise
        object.__setattr__(self, "age", age)
        sex = str(self.sex).strip().lower()
        sex = _SEX_ALIASES.get(sex, sex)
        if sex not in SEXES:
            raise ProfileError("sex", self.sex, f"must be one of {', '.join(SEXES)}", src)
        object.__setattr__(self, "sex", sex)
        if self.pregnant and self.lactating:
            raise ProfileError(
                "pregnant and lactating", None, "choose one: the DRIs differ between them", src
            )
        if (self.pregnant or self.lactating) and sex != "female":
            stage = "pregnant" if self.pregnant else "lactating"
            raise ProfileError(stage, None, f"needs sex 'female', not {sex!r}", src)
        if self.kcal is not None:
            kcal = _number(self.kcal, "kcal", 500, 6000, "kcal/day", src)
            object.__setattr__(self, "kcal", kcal)
        if self.height_cm is not None:
            h = _number(self.height_cm, "height", 45, 250, "cm", src)
            object.__setattr__(self, "height_cm", h)
        if self.weight_kg is not None:
            w = _number(self.weight_kg, "weight", 5, 400, "kg", src)
            object.__setattr__(self, "weight_kg", w)
        if self.activity is not None and self.activity not in ACTIVITIES:
            raise ProfileError(
                "activity", self.activity, f"must be one of {', '.join(ACTIVITIES)}", src
            )

    @property
    def stage(self) -> str:
        """``pregnancy``, ``lactation`` or ``none``."""
        return "pregnancy" if self.pregnant else "lactation" if self.lactating else "none"

    def describe(self) -> str:
        """A short label such as ``'female, 45 y, pregnant'`` for report and chart titles."""
        age = f"{self.age:g} y"
        parts = [self.sex, age]
        if self.pregnant:
            parts.append("pregnant")
        if self.lactating:
            parts.append("lactating")
        label = ", ".join(parts)
        return f"{self.person}: {label}" if self.person else label


@cache
def _table(name: str) -> tuple[dict[str, str], ...]:
    text = resources.files("planner.data").joinpath(name).read_text(encoding="utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))


def _in_range(row: dict[str, str], age: float) -> bool:
    high = float(row["age_max"]) if row["age_max"] else math.inf
    return float(row["age_min"]) <= age < high


def _dri_row(nutrient_id: str, sex: str, stage: str, age: float) -> dict[str, str]:
    rows = [
        r
        for r in _table("dri.csv")
        if r["nutrient_id"] == nutrient_id
        and r["stage"] == stage
        and r["sex"] in (sex, "both")
        and _in_range(r, age)
    ]
    if len(rows) != 1:  # the bundled table is checked by tests; this guards edits to it
        raise LookupError(f"{len(rows)} DRI rows for {nutrient_id}, {sex}, {stage}, {age}")
    return rows[0]


def _floats(row: dict[str, str], key: str) -> float:
    return float(row[key]) if row[key] else math.nan


def _dri_for_sex(nutrient_id: str, profile: Profile, sex: str, notes: list[str]) -> dict:
    age, stage = profile.age, profile.stage
    if stage != "none" and not PREGNANCY_AGES[0] <= age < PREGNANCY_AGES[1]:
        clamped = min(max(age, PREGNANCY_AGES[0]), PREGNANCY_AGES[1] - 1)
        note = (
            f"The DRIs give {stage} values for ages 14-50 only; "
            f"the values for age {clamped:g} are used."
        )
        if note not in notes:
            notes.append(note)
        age = clamped
    row = _dri_row(nutrient_id, sex, stage, age)
    return {
        "target": _floats(row, "target"),
        "kind": row["kind"],
        "ul": _floats(row, "ul"),
        "ul_covers": row["ul_covers"],
        "cdrr": _floats(row, "cdrr"),
        "life_stage": row["life_stage"],
        "source": row["source"],
    }


def _combine_unspecified(female: dict, male: dict) -> dict:
    """Higher target and lower UL of the two sexes (the rule for an unspecified sex)."""
    out = dict(female if female["target"] >= male["target"] else male)
    uls = [v for v in (female["ul"], male["ul"]) if not math.isnan(v)]
    out["ul"] = min(uls) if uls else math.nan
    cdrrs = [v for v in (female["cdrr"], male["cdrr"]) if not math.isnan(v)]
    out["cdrr"] = min(cdrrs) if cdrrs else math.nan
    if female["life_stage"] != male["life_stage"] or female["target"] != male["target"]:
        out["life_stage"] = f"{female['life_stage']} (higher of female and male)"
    return out


def _eer(profile: Profile, sex: str, activity: str) -> float:
    age = profile.age
    row = next(
        r
        for r in _table("eer_2023.csv")
        if r["sex"] == sex and r["activity"] == activity and _in_range(r, age)
    )
    return (
        float(row["intercept"])
        + float(row["per_year"]) * age
        + float(row["per_cm"]) * profile.height_cm
        + float(row["per_kg"]) * profile.weight_kg
        + float(row["deposition"])
    )


def _default_kcal(profile: Profile, sex: str) -> float:
    row = next(
        r for r in _table("energy_defaults.csv") if r["sex"] == sex and _in_range(r, profile.age)
    )
    return float(row["kcal"])


@dataclass(frozen=True)
class EnergyTarget:
    """An energy target and how it was reached."""

    kcal: float
    method: str  # "given", "eer_2023" or "dga_default"
    detail: str


def energy_target(profile: Profile) -> EnergyTarget:
    """Return the person's daily energy target [kcal/day] and how it was derived.

    Examples
    --------
    >>> energy_target(Profile(30, "male", height_cm=170, weight_kg=70, activity="inactive")).kcal
    2520.17
    >>> energy_target(Profile(45, "female")).method
    'dga_default'
    """
    if profile.kcal is not None:
        return EnergyTarget(profile.kcal, "given", "energy target given by the user")
    sexes = ("female", "male") if profile.sex == "unspecified" else (profile.sex,)
    extra = PREGNANCY_KCAL if profile.pregnant else LACTATION_KCAL if profile.lactating else 0.0
    if profile.height_cm is not None and profile.weight_kg is not None:
        activity = profile.activity or DEFAULT_ACTIVITY
        kcal = sum(_eer(profile, s, activity) for s in sexes) / len(sexes)
        method, detail = "eer_2023", f"NASEM 2023 EER equation, activity {activity}"
    else:
        kcal = sum(_default_kcal(profile, s) for s in sexes) / len(sexes)
        method = "dga_default"
        detail = "Dietary Guidelines 2020-2025 calorie table, moderately active"
    if extra:
        detail += f", plus {extra:g} kcal for {profile.stage}"
    if profile.sex == "unspecified":
        detail += ", mean of female and male"
    return EnergyTarget(round(kcal + extra, 2), method, detail)


@dataclass(frozen=True)
class Targets:
    """The daily targets of one person: one row per nutrient, plus notes.

    ``table`` is a DataFrame indexed by nutrient id with columns ``name``, ``unit``,
    ``target``, ``kind`` (RDA, AI or energy method), ``ul``, ``ul_covers``,
    ``ul_applies_to_food``, ``ul_nutrient`` (the nutrient the UL is measured on: folic
    acid for folate), ``cdrr`` (sodium), ``life_stage`` and ``source``.
    """

    profile: Profile
    table: object  # pandas.DataFrame
    energy: EnergyTarget
    notes: tuple[str, ...]


def targets_for(
    age,
    sex: str,
    pregnant: bool = False,
    lactating: bool = False,
    **energy,
) -> Targets:
    """Return the daily targets for a person.

    Parameters
    ----------
    age : float [years]
    sex : {"female", "male", "unspecified"}
    pregnant, lactating : bool
    **energy
        Optional ``kcal``, ``height_cm``, ``weight_kg``, ``activity``, ``person``
        (see :class:`Profile`).

    Returns
    -------
    Targets

    Raises
    ------
    ProfileError
        For an impossible or out-of-scope profile.

    Examples
    --------
    >>> t = targets_for(45, "female")
    >>> row = t.table.loc["magnesium_mg"]
    >>> float(row.target), row.kind, float(row.ul), row.ul_covers
    (320.0, 'RDA', 350.0, 'supplements_only')
    """
    return targets_for_profile(Profile(age, sex, pregnant, lactating, **energy))


def targets_for_profile(profile: Profile) -> Targets:
    """Like :func:`targets_for`, for a :class:`Profile` already built."""
    import pandas as pd

    notes: list[str] = []
    rows = []
    for n in registry.nutrients():
        if not n.dri_nutrient or n.role == "ul_only":
            continue
        if profile.sex == "unspecified":
            dri = _combine_unspecified(
                _dri_for_sex(n.id, profile, "female", notes),
                _dri_for_sex(n.id, profile, "male", notes),
            )
        else:
            dri = _dri_for_sex(n.id, profile, profile.sex, notes)
        covers = dri["ul_covers"]
        rows.append(
            {
                "id": n.id,
                "name": n.name,
                "unit": n.unit,
                **dri,
                "ul_applies_to_food": covers in ("all_sources", "synthetic_only"),
                "ul_nutrient": "folic_acid_ug" if n.id == "folate_dfe_ug" else n.id,
            }
        )
    energy = energy_target(profile)
    rows.insert(
        0,
        {
            "id": "energy_kcal",
            "name": "Energy",
            "unit": "kcal",
            "target": energy.kcal,
            "kind": energy.method,
            "ul": math.nan,
            "ul_covers": "none",
            "cdrr": math.nan,
            "life_stage": "",
            "source": energy.detail,
            "ul_applies_to_food": False,
            "ul_nutrient": "energy_kcal",
        },
    )
    if profile.age > 50:
        notes.append(
            "Past 50, absorption of B12 from food falls; the DRIs advise getting most of it "
            "from fortified foods (or a supplement, if a health professional agrees)."
        )
    table = pd.DataFrame(rows).set_index("id")
    return Targets(profile=profile, table=table, energy=energy, notes=tuple(notes))


PROFILE_COLUMNS = (
    "person", "age", "sex", "pregnant", "lactating", "kcal", "height_cm", "weight_kg",
    "activity",
)  # fmt: skip
_TRUE, _FALSE = {"1", "true", "yes", "y", "t"}, {"", "0", "false", "no", "n", "f"}


def read_profiles(path) -> dict[str, Profile]:
    """Read a profiles CSV: ``person, age, sex`` and optionally ``pregnant, lactating,
    kcal, height_cm, weight_kg, activity``. Returns person -> :class:`Profile`.

    Raises
    ------
    planner.errors.DataFileError
        For a file that cannot be read, lacks a required column or repeats a person.
    planner.errors.ProfileError
        For an impossible profile; the message names the file, row and column.
    """
    from pathlib import Path

    from planner.errors import DataFileError

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="cp1252")
    except OSError as exc:
        raise DataFileError(path, f"cannot be read ({exc.strerror})") from None
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in ("person", "age", "sex") if c not in headers]
    if missing:
        raise DataFileError(
            path,
            f"a profiles file needs the columns person, age, sex; missing {', '.join(missing)}",
            row=1,
        )
    unknown = [h for h in headers if h not in PROFILE_COLUMNS]
    if unknown:
        raise DataFileError(
            path,
            f"unknown column(s) {', '.join(unknown)}; known: {', '.join(PROFILE_COLUMNS)}",
            row=1,
        )
    profiles: dict[str, Profile] = {}
    for number, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        person = row["person"]
        where = f"{path}, row {number}"
        if not person:
            raise DataFileError(path, "no person label", row=number, column="person")
        if person in profiles:
            raise DataFileError(path, f"person {person!r} appears twice", row=number)
        flags = {}
        for column in ("pregnant", "lactating"):
            value = row.get(column, "").lower()
            if value not in _TRUE | _FALSE:
                raise DataFileError(path, f"{value!r} is not yes or no", number, column)
            flags[column] = value in _TRUE
        optional = {c: row[c] for c in ("kcal", "height_cm", "weight_kg", "activity") if row.get(c)}
        profiles[person] = Profile(
            age=row["age"], sex=row["sex"], person=person, source=where, **flags, **optional
        )
    if not profiles:
        raise DataFileError(path, "has no profiles")
    return profiles
