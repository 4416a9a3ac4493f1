"""Scoring a diary: totals, completeness, statuses, totals-only exports, several people."""

from __future__ import annotations

import math

import pytest

from planner.analysis import analyze, score_diary
from planner.entries import read_entries
from planner.errors import ProfileError
from planner.foods import load_foods
from planner.targets import Profile, read_profiles

FOODS = load_foods()


def per_100(food_id, nutrient):
    return float(FOODS.loc[food_id, nutrient])


@pytest.fixture
def diary(tmp_path):
    path = tmp_path / "diary.csv"
    path.write_text(
        "date,meal,food,amount,unit,food_id\n"
        "2024-01-01,snack,pumpkin seeds,1,oz,12014\n"
        "2024-01-01,breakfast,banana,1,medium,09040\n"
        "2024-01-02,lunch,spinach,2,cup,11457\n"
        "2024-01-02,lunch,caraway cheese,1,oz,01008\n"
        "2024-01-02,dinner,xqzvw plorf,1,cup,\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def report(diary):
    return score_diary(read_entries(diary), Profile(45, "female"))


def day_value(report, date, nutrient, column="intake"):
    days = report.days
    row = days[(days["date"] == date) & (days["nutrient"] == nutrient)]
    return float(row[column].iloc[0])


def test_totals_match_hand_computation(report):
    oz = 28.349523125
    mg_day1 = per_100("12014", "magnesium_mg") * oz / 100 + per_100("09040", "magnesium_mg") * 1.18
    assert day_value(report, "2024-01-01", "magnesium_mg") == pytest.approx(mg_day1)
    ca_day2 = per_100("11457", "calcium_mg") * 0.60 + per_100("01008", "calcium_mg") * oz / 100
    assert day_value(report, "2024-01-02", "calcium_mg") == pytest.approx(ca_day2)
    mg_day2 = per_100("11457", "magnesium_mg") * 0.60 + per_100("01008", "magnesium_mg") * oz / 100
    mean = report.nutrients.loc["magnesium_mg", "mean_intake"]
    assert mean == pytest.approx((mg_day1 + mg_day2) / 2)
    assert report.nutrients.loc["magnesium_mg", "percent_of_target"] == pytest.approx(
        100 * mean / 320
    )


def test_completeness_and_lower_bounds(report):
    # day 1: both foods known; day 2: spinach known, caraway cheese has no vitamin D in
    # SR28, and one row could not be matched at all
    assert day_value(report, "2024-01-01", "magnesium_mg", "completeness") == 1.0
    assert day_value(report, "2024-01-02", "magnesium_mg", "completeness") == pytest.approx(2 / 3)
    assert day_value(report, "2024-01-02", "vitamin_d_ug", "completeness") == pytest.approx(1 / 3)
    days = report.days.set_index(["date", "nutrient"])
    assert not days.loc[("2024-01-01", "magnesium_mg"), "lower_bound"]
    assert days.loc[("2024-01-02", "magnesium_mg"), "lower_bound"]
    assert report.nutrients.loc["vitamin_d_ug", "completeness"] == pytest.approx(3 / 5)
    assert report.gaps.set_index("nutrient").loc["vitamin_d_ug", "maybe_data_gap"]


def test_unknown_never_becomes_zero(report):
    assert math.isnan(per_100("01008", "vitamin_d_ug"))
    entries = report.entries.set_index("food_id")
    assert math.isnan(entries.loc["01008", "vitamin_d_ug"])


def test_statuses_and_days_short(report):
    n = report.nutrients
    assert n.loc["magnesium_mg", "status"] == "below"
    assert n.loc["magnesium_mg", "days_below"] == 2
    assert list(report.gaps["percent_of_target"]) == sorted(report.gaps["percent_of_target"])
    assert "sodium_mg" not in set(report.gaps["nutrient"])  # a ceiling, not a gap


def test_above_ul_is_checked_on_what_the_ul_covers(tmp_path):
    path = tmp_path / "d.csv"
    # 1.5 kg of fortified cereal: calcium far over its UL; magnesium over 350 mg, but all
    # of it from food, and the magnesium UL covers supplements only
    path.write_text("date,food,amount,unit,food_id\n2024-01-01,total,1500,g,08077\n")
    report = score_diary(read_entries(path), Profile(45, "female"))
    n = report.nutrients
    assert n.loc["calcium_mg", "status"] == "above_ul"
    assert n.loc["magnesium_mg", "mean_intake"] > 350
    assert n.loc["magnesium_mg", "status"] == "met"
    assert n.loc["magnesium_mg", "ul_form"] == "supplements"
    assert n.loc["magnesium_mg", "mean_ul_intake"] == 0.0
    assert n.loc["magnesium_mg", "mean_intake_supplements"] == 0.0
    # a fortified cereal's niacin counts against the niacin UL
    assert n.loc["niacin_mg", "mean_ul_intake"] == pytest.approx(n.loc["niacin_mg", "mean_intake"])


def test_folate_ul_is_checked_on_folic_acid(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("date,food,amount,unit,food_id\n2024-01-01,total,300,g,08077\n")
    report = score_diary(read_entries(path), Profile(45, "female"))
    row = report.nutrients.loc["folate_dfe_ug"]
    assert row["mean_ul_intake"] == pytest.approx(per_100("08077", "folic_acid_ug") * 3)
    assert row["status"] == "above_ul"


def test_unspecified_sex_and_pregnancy_targets(diary):
    entries = read_entries(diary)
    unspecified = score_diary(entries, Profile(16, "unspecified"))
    assert unspecified.nutrients.loc["magnesium_mg", "target"] == 410
    pregnant = score_diary(entries, Profile(30, "female", pregnant=True))
    assert pregnant.nutrients.loc["folate_dfe_ug", "target"] == 600
    assert pregnant.targets.energy.kcal == 2340


CRONOMETER = (
    "Day,Time,Group,Food Name,Amount,Energy (kcal),Magnesium (mg),Vitamin D (IU),Category\n"
    '2023-09-17,9:51 AM,Breakfast,"Bananas, raw",1.00 medium (7 to 7-7/8 long),105,50.0,40,Fruit\n'
    '2023-09-17,12:00,Lunch,"Spinach, raw",1.00 cup,7,,0,Vegetables\n'
)


def test_cronometer_export_values_and_recompute(tmp_path):
    path = tmp_path / "servings.csv"
    path.write_text(CRONOMETER, encoding="utf-8")
    profile = Profile(45, "female")
    used = score_diary(read_entries(path), profile)
    spinach_mg = per_100("11457", "magnesium_mg") * 0.30
    assert used.nutrients.loc["magnesium_mg", "mean_intake"] == pytest.approx(50.0 + spinach_mg)
    assert used.nutrients.loc["vitamin_d_ug", "mean_intake"] == pytest.approx(1.0)  # 40 IU
    recomputed = score_diary(read_entries(path, recompute=True), profile)
    banana_mg = per_100("09040", "magnesium_mg") * 1.18
    assert recomputed.nutrients.loc["magnesium_mg", "mean_intake"] == pytest.approx(
        banana_mg + spinach_mg
    )


MYFITNESSPAL = (
    "Date,Meal,Calories,Fat (g),Saturated Fat,Polyunsaturated Fat,Monounsaturated Fat,"
    "Trans Fat,Cholesterol,Sodium (mg),Potassium,Carbohydrates (g),Fiber,Sugar,Protein (g),"
    "Vitamin A,Vitamin C,Calcium,Iron,Note\n"
    '2024-01-01,Breakfast,"1,020",10,2,1,1,0,30,400,500,120,5,20,30,10,10,20,10,\n'
    "2024-01-01,Dinner,800,10,2,1,1,0,30,600,900,90,5,10,40,10,10,30,10,\n"
)


def test_myfitnesspal_reports_magnesium_as_not_in_this_export(tmp_path):
    path = tmp_path / "mfp.csv"
    path.write_text("\ufeff" + MYFITNESSPAL, encoding="utf-8")
    report = score_diary(read_entries(path), Profile(45, "female"))
    n = report.nutrients
    assert n.loc["magnesium_mg", "status"] == "not_in_export"
    assert "magnesium_mg" not in set(report.gaps["nutrient"])
    assert n.loc["energy_kcal", "mean_intake"] == 1820
    assert n.loc["calcium_mg", "mean_intake"] == pytest.approx(50 * 13)  # % DV of 1,300 mg
    assert n.loc["potassium_mg", "status"] == "below"
    assert report.top_foods.empty


def test_several_people_each_against_their_own_profile(tmp_path):
    diary = tmp_path / "people.csv"
    diary.write_text(
        "person,date,food,amount,unit\n"
        "ann,2024-01-01,banana,1,medium\n"
        "bob,2024-01-01,banana,2,medium\n",
        encoding="utf-8",
    )
    profiles = tmp_path / "profiles.csv"
    profiles.write_text("person,age,sex\nann,30,female\nbob,8,male\n", encoding="utf-8")
    reports = analyze(read_entries(diary), profiles=read_profiles(profiles))
    assert set(reports) == {"ann", "bob"}
    assert reports["ann"].nutrients.loc["magnesium_mg", "target"] == 310
    assert reports["bob"].nutrients.loc["magnesium_mg", "target"] == 130
    ratio = (
        reports["bob"].nutrients.loc["potassium_mg", "mean_intake"]
        / reports["ann"].nutrients.loc["potassium_mg", "mean_intake"]
    )
    assert ratio == pytest.approx(2.0)


def test_a_person_missing_from_the_profiles_file_is_an_error(tmp_path):
    diary = tmp_path / "people.csv"
    diary.write_text(
        "person,date,food,amount,unit\nann,2024-01-01,banana,1,medium\n"
        "cy,2024-01-01,banana,1,medium\n",
        encoding="utf-8",
    )
    profiles = tmp_path / "profiles.csv"
    profiles.write_text("person,age,sex\nann,30,female\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"'cy'.*not in the profiles file"):
        analyze(read_entries(diary), profiles=read_profiles(profiles))


def test_impossible_profile_in_the_file_names_file_and_row(tmp_path):
    profiles = tmp_path / "profiles.csv"
    profiles.write_text("person,age,sex\nann,30,female\nbob,0,male\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"profiles\.csv, row 3: age '0'"):
        read_profiles(profiles)


def test_days_cronometer_marks_unfinished_are_noted(tmp_path):
    path = tmp_path / "dailysummary.csv"
    path.write_text(
        "Date,Energy (kcal),Magnesium (mg),Completed\n"
        "2023-09-17,2010,310,true\n2023-09-18,1650,250,FALSE\n2023-09-19,900,80,false\n",
        encoding="utf-8",
    )
    report = score_diary(read_entries(path), Profile(45, "female"))
    assert report.accounting.used == 3  # unfinished days are still counted
    assert any(note.startswith("2 days are marked not completed") for note in report.notes)


@pytest.fixture
def cohort(tmp_path):
    """Three people, one of them with rows out of order and a day with nothing scored."""
    diary = tmp_path / "people.csv"
    diary.write_text(
        "person,date,food,amount,unit\n"
        "bob,2024-01-02,banana,2,medium\n"
        "ann,2024-01-01,banana,1,medium\n"
        "ann,2024-01-03,spinach,1,cup\n"
        "bob,2024-01-01,almonds,1,oz\n"
        "cy,,banana,1,medium\n"
        "ann,2024-01-01,xqzvw plorf,1,cup\n",
        encoding="utf-8",
    )
    profiles = tmp_path / "profiles.csv"
    profiles.write_text("person,age,sex\nann,30,female\nbob,8,male\ncy,50,male\n")
    return analyze(read_entries(diary), profiles=read_profiles(profiles))


def test_each_persons_tables_are_their_rows_of_the_cohorts(cohort):
    from planner.analysis import _top_foods

    tables = dict(cohort["ann"]._cohort)
    entries = tables["entries"]
    tables["top"] = _top_foods(entries[entries["status"].eq("matched")])
    for person, report in cohort.items():
        for name, table in [("days", report.days), ("gaps", report.gaps),
                            ("top", report.top_foods), ("energy", report.energy)]:  # fmt: skip
            rows = tables[name][tables[name]["person"].eq(person)]
            expected = rows.drop(columns="person").reset_index(drop=True)
            assert table.equals(expected), (person, name)
        rows = tables["nutrients"][tables["nutrients"]["person"].eq(person)]
        assert report.nutrients.equals(rows.drop(columns="person").set_index("nutrient"))
        mine = tables["entries"][tables["entries"]["person"].eq(person)]
        assert report.entries.equals(mine) and report.entries.attrs == mine.attrs
        assert report.accounting.rows == len(mine)
    assert cohort["cy"].days.empty and cohort["cy"].accounting.rejected == 1


def test_the_period_worked_out_with_the_cohort_is_the_days(cohort):
    for report in cohort.values():
        given = report.period
        report.days = report.days.copy()  # a new table: the period is read from it again
        assert "_period" not in report.__dict__
        assert report.period == given
    assert cohort["ann"].period == {"start": "2024-01-01", "end": "2024-01-03", "days": 2}
    assert cohort["cy"].period == {"start": None, "end": None, "days": 0}


def test_a_cohort_report_pickles_and_copies_with_its_tables(cohort):
    import pickle
    from dataclasses import replace

    fresh = pickle.loads(pickle.dumps(cohort["bob"]))  # before any table was read
    assert fresh.days.equals(cohort["bob"].days)
    assert fresh.entries.equals(cohort["bob"].entries)
    fewer = replace(cohort["ann"], days=cohort["ann"].days.iloc[:0])
    assert fewer.period["days"] == 0 and cohort["ann"].period["days"] == 2
