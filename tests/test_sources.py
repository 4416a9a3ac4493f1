"""Supplements as their own source, ULs checked on what they cover, filled values marked.

Diaries are small Cronometer exports written by the tests: a week of food with a daily
"Magnesium Glycinate 400 mg" in the Supplements group, and exports with blank cells.
"""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from planner.analysis import score_diary
from planner.cli import cli
from planner.entries import account, read_entries
from planner.limits import limit_findings
from planner.report import render_report, report_json
from planner.sources import fills_by_nutrient, looks_like_supplement
from planner.suggest import rank_foods, suggest_addon
from planner.targets import Profile

FEMALE_45 = Profile(45, "female")
HEADER = [
    "Day", "Time", "Group", "Food Name", "Amount", "Energy (kcal)", "B1 (Thiamine) (mg)",
    "B2 (Riboflavin) (mg)", "B3 (Niacin) (mg)", "B6 (Pyridoxine) (mg)",
    "B12 (Cobalamin) (µg)", "Folate (µg)", "Vitamin D (IU)", "Calcium (mg)",
    "Magnesium (mg)", "Potassium (mg)", "Sodium (mg)", "Protein (g)", "Category",
]  # fmt: skip
PANEL = {
    "Energy (kcal)": "energy_kcal", "B1 (Thiamine) (mg)": "thiamin_mg",
    "B2 (Riboflavin) (mg)": "riboflavin_mg", "B3 (Niacin) (mg)": "niacin_mg",
    "B6 (Pyridoxine) (mg)": "vitamin_b6_mg", "B12 (Cobalamin) (µg)": "vitamin_b12_ug",
    "Folate (µg)": "folate_dfe_ug", "Calcium (mg)": "calcium_mg",
    "Magnesium (mg)": "magnesium_mg", "Potassium (mg)": "potassium_mg",
    "Sodium (mg)": "sodium_mg", "Protein (g)": "protein_g",
}  # fmt: skip
# One day of food that meets every panel target but magnesium (200 mg of 320) and
# vitamin D, given in full, as Cronometer exports it.
FOOD_DAY = [
    ("Breakfast", "Oatmeal, cooked", "1.00 cup", {
        "Energy (kcal)": 700, "B1 (Thiamine) (mg)": 1.2, "B2 (Riboflavin) (mg)": 1.2,
        "B3 (Niacin) (mg)": 16, "B6 (Pyridoxine) (mg)": 1.5, "B12 (Cobalamin) (µg)": 2.6,
        "Folate (µg)": 420, "Vitamin D (IU)": 120, "Calcium (mg)": 1050,
        "Magnesium (mg)": 120, "Potassium (mg)": 1700, "Sodium (mg)": 900, "Protein (g)": 30,
    }),
    ("Lunch", "Chicken breast, roasted", "1.00 cup", {
        "Energy (kcal)": 1200, "B1 (Thiamine) (mg)": 0.3, "B2 (Riboflavin) (mg)": 0.3,
        "B3 (Niacin) (mg)": 6, "B6 (Pyridoxine) (mg)": 0.4, "B12 (Cobalamin) (µg)": 0.4,
        "Folate (µg)": 40, "Vitamin D (IU)": 40, "Calcium (mg)": 100, "Magnesium (mg)": 80,
        "Potassium (mg)": 1000, "Sodium (mg)": 500, "Protein (g)": 40,
    }),
]  # fmt: skip
SUPPLEMENT = ("Supplements", "Magnesium Glycinate 400 mg", "1.00 capsule", {"Magnesium (mg)": 400})


def write_export(path, days: int = 7, supplement: bool = True, blanks=()) -> str:
    """A Cronometer servings.csv of ``days`` days; ``blanks`` are (day, food, header) cells
    left blank."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.DictWriter(fh, HEADER)
        out.writeheader()
        for d in range(days):
            rows = [*FOOD_DAY, SUPPLEMENT] if supplement else FOOD_DAY
            for group, food, amount, values in rows:
                category = "Supplements" if group == "Supplements" else "Foods"
                row = {"Day": f"2024-03-{d + 4:02d}", "Time": "8:00 AM", "Group": group,
                       "Food Name": food, "Amount": amount, "Category": category}  # fmt: skip
                for header in HEADER[5:-1]:
                    value = values.get(header, "")
                    row[header] = "" if (d, food, header) in blanks else value
                out.writerow(row)
    return str(path)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("sources")


@pytest.fixture(scope="module")
def with_supplement(folder):
    return score_diary(read_entries(write_export(folder / "servings.csv")), FEMALE_45)


@pytest.fixture(scope="module")
def without_supplement(folder):
    path = write_export(folder / "food-only.csv", supplement=False)
    return score_diary(read_entries(path), FEMALE_45)


# --- supplements ------------------------------------------------------------------------


def test_the_supplement_row_is_a_supplement_with_the_exports_values(with_supplement):
    entries = with_supplement.entries
    supp = entries[entries["supplement"]]
    assert len(supp) == 7 and supp["status"].eq("matched").all()
    assert supp["food_id"].eq("").all()  # never matched to a food
    assert (supp["magnesium_mg"] == 400).all()
    # a supplement's blank cell declares none: 0, not unknown
    assert (supp["calcium_mg"] == 0).all() and (supp["folate_dfe_ug"] == 0).all()
    assert account(entries).reconciles


def test_food_and_supplements_are_summed_apart(with_supplement):
    mg = with_supplement.nutrients.loc["magnesium_mg"]
    assert mg["mean_intake_food"] == pytest.approx(200)
    assert mg["mean_intake_supplements"] == pytest.approx(400)
    assert mg["mean_intake"] == pytest.approx(600)
    calcium = with_supplement.nutrients.loc["calcium_mg"]
    assert calcium["mean_intake_supplements"] == 0
    # the supplement's blanks are not missing data: calcium is complete
    assert calcium["completeness"] == 1.0 and not calcium["lower_bound"]


def test_supplement_magnesium_is_checked_against_the_supplement_ul(with_supplement):
    mg = with_supplement.nutrients.loc["magnesium_mg"]
    assert mg["ul"] == 350 and mg["ul_form"] == "supplements"
    assert mg["mean_ul_intake"] == pytest.approx(400)
    assert mg["status"] == "above_ul" and mg["days_above_ul"] == 7
    (finding,) = limit_findings(with_supplement)
    assert finding["id"] == "magnesium_mg" and finding["supplements"]
    assert finding["text"].startswith(
        "Magnesium from supplements: 400 mg a day, above the 350 mg upper limit for supplements"
    )
    assert "talk to your doctor or pharmacist" in finding["text"].lower()


def test_the_report_flags_it_in_plain_words_and_advises_no_dose(with_supplement):
    text = " ".join(render_report(with_supplement).split())
    assert text.index("Above an upper limit") < text.index("Gaps")  # reported first
    assert "Magnesium from supplements: 400 mg a day, above the 350 mg upper limit" in text
    assert "Talk to your doctor or pharmacist" in text
    assert "Magnesium: 400 mg a day from supplements, 200 from food (total 600)" in text
    lowered = text.lower()
    for advice in ("reduce your", "take less", "stop taking", "lower the dose", "mg instead"):
        assert advice not in lowered


def test_json_splits_food_and_supplements(with_supplement, folder):
    runner = CliRunner()
    path = str(folder / "servings.csv")
    result = runner.invoke(
        cli, ["analyze", path, "--age", "45", "--sex", "female", "--json", "--no-suggest"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    mg = next(n for n in data["nutrients"] if n["id"] == "magnesium_mg")
    assert (mg["mean_intake_food"], mg["mean_intake_supplements"]) == (200, 400)
    assert mg["ul_checked_on"] == "supplements" and mg["mean_ul_intake"] == 400
    assert mg["status"] == "above_ul"
    assert data["supplements"]["rows"] == 7
    assert data["supplements"]["names"] == ["Magnesium Glycinate 400 mg"]
    assert [f["id"] for f in data["limits"]] == ["magnesium_mg"]
    day = data["days"][0]["nutrients"]["magnesium_mg"]
    assert (day["intake_food"], day["intake_supplements"], day["ul_intake"]) == (200, 400, 400)


def test_the_add_on_does_not_add_magnesium_as_if_the_person_were_short(
    with_supplement, without_supplement
):
    # Without the supplement, magnesium is a gap and the add-on closes it with food...
    assert "magnesium_mg" in set(without_supplement.gaps["nutrient"])
    addon = suggest_addon(without_supplement, explain=False)
    assert "magnesium_mg" in addon.closes.index and addon.closes.loc["magnesium_mg", "closed"]
    # ...with it, magnesium (600 mg of 320) is no gap: nothing aims at it.
    assert "magnesium_mg" not in set(with_supplement.gaps["nutrient"])
    addon = suggest_addon(with_supplement, explain=False)
    assert "magnesium_mg" not in addon.closes.index
    assert "magnesium_mg" not in set(rank_foods(with_supplement)["nutrient"])
    assert list(addon.closes.index) == ["vitamin_d_ug"]


def test_recompute_keeps_the_supplements_own_values(folder):
    entries = read_entries(folder / "servings.csv", recompute=True)
    supp = entries[entries["supplement"]]
    assert (supp["magnesium_mg"] == 400).all() and supp["status"].eq("matched").all()


def test_a_supplement_with_no_values_is_flagged_not_zero(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(
        "date,meal,food,amount,unit\n"
        "2024-01-01,breakfast,banana,1,medium\n"
        "2024-01-01,supplements,Nature's Way Alive,1,tablet\n",
        encoding="utf-8",
    )
    entries = read_entries(path)
    row = entries.iloc[1]
    assert row["supplement"] and row["status"] == "unmatched"
    assert "what it holds is unknown" in row["reason"]
    assert pd.isna(row["magnesium_mg"])


def test_a_planner_csv_supplement_with_its_own_values(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(
        "date,meal,food,amount,unit,magnesium_mg,folate_dfe_ug\n"
        "2024-01-01,breakfast,banana,1,medium,,\n"
        "2024-01-01,vitamins,Prenatal multivitamin,1,tablet,50,2040\n",
        encoding="utf-8",
    )
    report = score_diary(read_entries(path), FEMALE_45)
    folate = report.nutrients.loc["folate_dfe_ug"]
    # 2,040 µg DFE of folate in a supplement is 1,200 µg of folic acid (DFE / 1.7)
    assert folate["mean_ul_intake"] == pytest.approx(1200)
    assert folate["status"] == "above_ul"
    (finding,) = limit_findings(report)
    assert finding["text"].startswith(
        "Folic acid (from fortified foods and supplements): 1,200 µg a day, above the 1,000 µg"
    )
    assert report.nutrients.loc["magnesium_mg", "mean_intake_supplements"] == 50


def test_totals_exports_cannot_check_uls_of_one_source(tmp_path):
    path = tmp_path / "dailysummary.csv"
    path.write_text(
        "Date,Energy (kcal),Magnesium (mg),Calcium (mg)\n2024-01-01,2000,800,900\n",
        encoding="utf-8",
    )
    report = score_diary(read_entries(path), FEMALE_45)
    mg = report.nutrients.loc["magnesium_mg"]
    assert not mg["ul_applies"] and mg["status"] == "met"
    assert any("not checked" in note for note in report.notes)
    assert "cannot tell apart" in render_report(report)


@pytest.mark.parametrize(
    "text",
    [
        "Magnesium Glycinate 400 mg", "Vitamin D3", "Vitamin D3 2000 IU softgel",
        "Calcium 600mg + D", "Folic acid", "B-Complex", "Nature Made Fish Oil softgels",
        "Zinc", "ibuprofen 200mg", "Magnesium Citrate",
    ],
)  # fmt: skip
def test_texts_that_read_as_supplements(text):
    assert looks_like_supplement(text)


@pytest.mark.parametrize(
    "text",
    [
        "Vitamin D milk", "Milk, whole, 3.25% milkfat, with added vitamin D", "banana",
        "calcium-fortified orange juice", "Iron skillet cornbread", "Oatmeal, cooked",
        "Cereals ready-to-eat, GENERAL MILLS, Whole Grain TOTAL", "Mushroom caps",
    ],
)  # fmt: skip
def test_foods_do_not_read_as_supplements(text):
    assert not looks_like_supplement(text)


def test_cronometers_category_marks_supplements_not_the_users_group(tmp_path):
    # Real exports file foods under a "Supplements" group (strawberries, bread, quick
    # adds); Cronometer's own category says what the food is.
    path = tmp_path / "servings.csv"
    write_export(path, days=1, supplement=False)
    text = path.read_text(encoding="utf-8")
    text = text.replace('Lunch,"Chicken breast, roasted"', 'Supplements,"Chicken breast, roasted"')
    text = text.replace(",Foods\n", ",Supplements\n", 1)  # the oatmeal row's category
    path.write_text(text, encoding="utf-8")
    entries = read_entries(path)
    assert entries["meal"].tolist() == ["Breakfast", "Supplements"]
    assert entries["supplement"].tolist() == [True, False]
    assert "Cronometer's category says so" in entries.loc[0, "reason"]


# --- filled values ------------------------------------------------------------------------


def test_filled_cells_are_marked_and_the_report_states_the_fills(folder):
    blanks = {(1, "Oatmeal, cooked", "Calcium (mg)"), (1, "Oatmeal, cooked", "Folate (µg)")}
    path = write_export(folder / "blanks.csv", days=2, blanks=blanks)
    entries = read_entries(path)
    oats = entries[entries["food_text"].eq("Oatmeal, cooked")]
    assert oats["filled"].tolist() == ["", "calcium_mg;folate_dfe_ug"]
    # (both rows are export+food_table: folic acid, which no export carries, comes from
    # the food table; 'filled' lists only the export's own blank cells)
    assert oats["source"].tolist() == ["export+food_table"] * 2
    filled = oats.iloc[1]
    assert 0 < filled["calcium_mg"] < 1050  # the USDA food's value, not the export's
    assert entries[entries["supplement"]]["filled"].eq("").all()  # never filled
    report = score_diary(entries, FEMALE_45)
    fills = fills_by_nutrient(entries, days=2)
    assert fills.loc["calcium_mg", "values"] == 1
    assert fills.loc["calcium_mg", "per_day"] == pytest.approx(filled["calcium_mg"] / 2)
    assert fills.loc["magnesium_mg", "values"] == 0
    text = render_report(report)
    assert "Filled from USDA data" in text
    line = next(x for x in text.splitlines()[text.splitlines().index("Filled from USDA data"):]
                if x.startswith("Calcium "))  # fmt: skip
    assert line.split() == [
        "Calcium",
        "1",
        f"{filled['calcium_mg'] / 2:.3g}",
        "mg",
        line.split()[-1],
    ]
    data = report_json(report)
    assert data["fills"]["calcium_mg"]["values"] == 1
    assert data["fills"]["folate_dfe_ug"]["values"] == 1


def test_a_day_without_fills_equals_the_exporters_own_total(folder):
    blanks = {(1, "Oatmeal, cooked", "Calcium (mg)")}
    servings = read_entries(write_export(folder / "day-check.csv", days=2, blanks=blanks))
    # The exporter's own day totals: Cronometer sums what it has (a blank adds nothing).
    rows = (*FOOD_DAY, SUPPLEMENT)

    def total(day: int, header: str) -> float:
        return sum(float(v.get(header, 0)) for _, f, _, v in rows if (day, f, header) not in blanks)

    totals = pd.DataFrame(
        [{"Date": f"2024-03-{d + 4:02d}", **{h: total(d, h) for h in PANEL}} for d in range(2)]
    )
    daily = folder / "dailysummary.csv"
    totals.to_csv(daily, index=False)
    ours = score_diary(servings, FEMALE_45).days.set_index(["date", "nutrient"])["intake"]
    theirs = score_diary(read_entries(daily), FEMALE_45).days.set_index(["date", "nutrient"])
    theirs = theirs["intake"]
    for nid in PANEL.values():
        first = pd.Timestamp("2024-03-04")  # no filled value on this day
        assert ours[(first, nid)] == pytest.approx(theirs[(first, nid)]), nid
    second = pd.Timestamp("2024-03-05")  # the fill is the whole difference
    oats = servings[servings["food_text"].eq("Oatmeal, cooked")].iloc[1]
    assert ours[(second, "calcium_mg")] - theirs[(second, "calcium_mg")] == pytest.approx(
        oats["calcium_mg"]
    )
    assert ours[(second, "magnesium_mg")] == pytest.approx(theirs[(second, "magnesium_mg")])
