"""DRI targets, upper limits and energy for a person."""

from __future__ import annotations

import csv
import math
from importlib import resources

import pytest

from planner import nutrients as registry
from planner.errors import ProfileError
from planner.targets import Profile, _combine_unspecified, energy_target, targets_for


def target(t, nid):
    return t.table.loc[nid, "target"]


def test_adult_woman():
    t = targets_for(45, "female")
    assert target(t, "magnesium_mg") == 320
    assert target(t, "potassium_mg") == 2600
    assert target(t, "calcium_mg") == 1000
    assert target(t, "vitamin_d_ug") == 15
    assert t.table.loc["magnesium_mg", "kind"] == "RDA"
    assert t.table.loc["potassium_mg", "kind"] == "AI"
    assert t.table.loc["calcium_mg", "ul"] == 2500


def test_children():
    t = targets_for(5, "male")
    assert target(t, "magnesium_mg") == 130
    assert target(t, "calcium_mg") == 1000
    assert t.table.loc["magnesium_mg", "ul"] == 110
    assert target(targets_for(1, "female"), "potassium_mg") == 2000
    assert target(targets_for(3.99, "female"), "magnesium_mg") == 80  # [1, 4) is half-open
    assert target(targets_for(4, "female"), "magnesium_mg") == 130


def test_over_seventy():
    t = targets_for(75, "female")
    assert target(t, "vitamin_d_ug") == 20
    assert target(t, "calcium_mg") == 1200
    assert t.table.loc["calcium_mg", "ul"] == 2000
    assert any("B12" in n for n in t.notes)


def test_pregnancy_and_lactation():
    p = targets_for(28, "female", pregnant=True)
    assert target(p, "folate_dfe_ug") == 600
    assert target(p, "magnesium_mg") == 350
    assert target(p, "protein_g") == 71
    lac = targets_for(28, "female", lactating=True)
    assert target(lac, "vitamin_b12_ug") == 2.8
    assert target(lac, "potassium_mg") == 2800


def test_pregnancy_outside_14_to_50_uses_nearest_band_and_says_so():
    t = targets_for(52, "female", pregnant=True)
    assert target(t, "folate_dfe_ug") == 600
    assert any("14-50" in n for n in t.notes)


def test_unspecified_sex_takes_higher_target_and_lower_ul():
    t = targets_for(16, "unspecified")
    assert target(t, "magnesium_mg") == 410  # male 410 > female 360
    assert target(t, "potassium_mg") == 3000  # male 3000 > female 2300
    assert target(targets_for(60, "unspecified"), "calcium_mg") == 1200  # female 1200 > male 1000
    female = {"target": 1.0, "ul": 50.0, "cdrr": math.nan, "life_stage": "x", "kind": "RDA"}
    male = {"target": 2.0, "ul": 40.0, "cdrr": math.nan, "life_stage": "x", "kind": "RDA"}
    combined = _combine_unspecified(female, male)
    assert (combined["target"], combined["ul"]) == (2.0, 40.0)


def test_what_each_ul_covers():
    t = targets_for(40, "male").table
    assert t.loc["magnesium_mg", "ul_covers"] == "supplements_only"
    assert not t.loc["magnesium_mg", "ul_applies_to_food"]
    assert t.loc["calcium_mg", "ul_covers"] == "all_sources"
    assert t.loc["folate_dfe_ug", "ul_covers"] == "synthetic_only"
    assert t.loc["folate_dfe_ug", "ul_nutrient"] == "folic_acid_ug"
    assert t.loc["potassium_mg", "ul_covers"] == "none"
    assert math.isnan(t.loc["potassium_mg", "ul"])
    assert t.loc["sodium_mg", "cdrr"] == 2300


def test_every_scored_nutrient_has_a_target():
    t = targets_for(33, "female").table
    expected = {n for n in registry.scored_ids() if registry.get(n).role != "ul_only"}
    assert expected | {"energy_kcal"} == set(t.index)
    assert t["target"].notna().all()


def test_bundled_table_has_exactly_one_row_per_age_sex_stage():
    text = resources.files("planner.data").joinpath("dri.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    ids = {r["nutrient_id"] for r in rows}
    assert len(ids) == 12
    for nid in ids:
        for sex in ("female", "male"):
            for age in [1, 2.5, 3, 4, 8.9, 9, 13, 14, 18, 19, 30, 31, 50, 51, 70, 71, 120]:
                hits = [
                    r
                    for r in rows
                    if r["nutrient_id"] == nid
                    and r["stage"] == "none"
                    and r["sex"] in (sex, "both")
                    and float(r["age_min"]) <= age < float(r["age_max"] or math.inf)
                ]
                assert len(hits) == 1, (nid, sex, age)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"age": 0, "sex": "female"}, "infant feeding is out of scope"),
        ({"age": 0.5, "sex": "male"}, "between 1 and 120"),
        ({"age": -3, "sex": "male"}, "between 1 and 120"),
        ({"age": 130, "sex": "male"}, "between 1 and 120"),
        ({"age": "forty", "sex": "male"}, "not a number"),
        ({"age": float("nan"), "sex": "male"}, "between 1 and 120"),
        ({"age": 40, "sex": "other"}, "female, male, unspecified"),
        ({"age": 40, "sex": "male", "pregnant": True}, "needs sex 'female'"),
        ({"age": 40, "sex": "unspecified", "lactating": True}, "needs sex 'female'"),
        ({"age": 30, "sex": "female", "pregnant": True, "lactating": True}, "choose one"),
        ({"age": 30, "sex": "female", "kcal": 100}, "kcal"),
        ({"age": 30, "sex": "female", "activity": "lazy"}, "activity"),
    ],
)
def test_impossible_profiles_are_clear_errors(kwargs, message):
    with pytest.raises(ProfileError, match=message):
        Profile(**kwargs)


def test_sex_aliases():
    assert Profile(30, "F").sex == "female"
    assert Profile(30, " Male ").sex == "male"


def test_energy_given_wins():
    e = energy_target(Profile(30, "female", kcal=1850, height_cm=160, weight_kg=60))
    assert (e.kcal, e.method) == (1850, "given")


def test_energy_from_eer_2023():
    # 753.07 - 10.83*30 + 6.50*170 + 14.10*70 (NASEM 2023, men, inactive)
    e = energy_target(Profile(30, "male", height_cm=170, weight_kg=70, activity="inactive"))
    assert e.kcal == pytest.approx(2520.17)
    # 710.25 - 7.01*30 + 6.54*170 + 12.34*70 (women, active)
    e = energy_target(Profile(30, "female", height_cm=170, weight_kg=70, activity="active"))
    assert e.kcal == pytest.approx(2475.55)
    # girls 9-13, low active: -297.54 - 22.25*10 + 12.77*140 + 14.73*35 + 30
    e = energy_target(Profile(10, "female", height_cm=140, weight_kg=35, activity="low_active"))
    assert e.kcal == pytest.approx(-297.54 - 222.5 + 1787.8 + 515.55 + 30)


def test_energy_default_and_life_stages():
    assert energy_target(Profile(45, "female")).kcal == 2000
    assert energy_target(Profile(45, "male")).kcal == 2600
    assert energy_target(Profile(45, "unspecified")).kcal == 2300
    assert energy_target(Profile(8, "male")).kcal == 1600
    assert energy_target(Profile(30, "female", pregnant=True)).kcal == 2340
    assert energy_target(Profile(30, "female", lactating=True)).kcal == 2330
    assert targets_for(45, "female").table.loc["energy_kcal", "target"] == 2000
