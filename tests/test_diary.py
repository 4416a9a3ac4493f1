"""Tests for planner.diary: every export layout, its quirks, rejections and errors.

Each fixture is a small file written by the test, shaped like the real exports described
in diary-formats.md (headers quoted exactly).
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import nutrients as registry
from planner.diary import FORMATS, detect_format, parse_date, parse_numbers, read_diary
from planner.errors import DiaryFormatError

# --- headers, exactly as the exports write them -------------------------------------------

MODERN = (
    "Day,Time,Group,Food Name,Amount,Energy (kcal),Alcohol (g),Caffeine (mg),Water (g),"
    "B1 (Thiamine) (mg),B2 (Riboflavin) (mg),B3 (Niacin) (mg),B5 (Pantothenic Acid) (mg),"
    "B6 (Pyridoxine) (mg),B12 (Cobalamin) (µg),Folate (µg),Vitamin A (µg),Vitamin C (mg),"
    "Vitamin D (IU),Vitamin E (mg),Vitamin K (µg),Calcium (mg),Copper (mg),Iron (mg),"
    "Magnesium (mg),Manganese (mg),Phosphorus (mg),Potassium (mg),Selenium (µg),Sodium (mg),"
    "Zinc (mg),Carbs (g),Fiber (g),Starch (g),Sugars (g),Net Carbs (g),Fat (g),"
    "Cholesterol (mg),Monounsaturated (g),Polyunsaturated (g),Saturated (g),Trans-Fats (g),"
    "Omega-3 (g),Omega-6 (g),Cystine (g),Histidine (g),Isoleucine (g),Leucine (g),Lysine (g),"
    "Methionine (g),Phenylalanine (g),Protein (g),Threonine (g),Tryptophan (g),Tyrosine (g),"
    "Valine (g),Category"
)
OLD_2011 = (
    "Day,Food Name,Amount,Energy (kcal),B1 (Thiamine) (mg),B12 (Cobalamin) (µg),"
    "B2 (Riboflavin) (mg),B3 (Niacin) (mg),B5 (Pantothenic Acid) (mg),B6 (Pyridoxine) (mg),"
    "Vitamin A (IU),Vitamin D (IU),Calcium (mg),Magnesium (mg),Potassium (mg),Sodium (mg),"
    "Protein (g),Folate (µg)"
)
NO_NUTRIENTS = "Day,Group,Food Name,Amount,Category"
DAILY = MODERN.replace("Day,Time,Group,Food Name,Amount,", "Date,").replace(
    ",Category", ",Completed"
)
MFP_HEADERS = [
    "Date,Meal,Calories,Fat (g),Saturated Fat,Polyunsaturated Fat,Monounsaturated Fat,"
    "Trans Fat,Cholesterol,Sodium (mg),Potassium,Carbohydrates (g),Fiber,Sugar,Protein (g),"
    "Vitamin A,Vitamin C,Calcium,Iron,Note",
    "Date,Meal,Time,Calories,Fat (g),Saturated Fat,Polyunsaturated Fat,Monounsaturated Fat,"
    "Trans Fat,Cholesterol,Sodium (mg),Potassium,Carbohydrates (g),Fiber,Sugar,Protein (g),"
    "Vitamin A,Vitamin C,Calcium,Iron,Note",
    "Date,Meal,Time,Calories,Fat (g),Saturated Fat,Polyunsaturated Fat,Monounsaturated Fat,"
    "Trans Fat,Cholesterol,Sodium (mg),Potassium,Carbohydrates (g),Fiber,Sugar,Protein (g),"
    "Vitamin A,Vitamin C,Calcium,Iron",
]
LOSEIT = (
    "Date,Name,Icon,Type,Quantity,Units,Calories,Deleted,Fat (g),Protein (g),"
    "Carbohydrates (g),Saturated Fat (g),Sugars (g),Fiber (g),Cholesterol (mg),Sodium (mg)"
)
PANEL = [
    "energy_kcal", "protein_g", "magnesium_mg", "potassium_mg", "calcium_mg", "sodium_mg",
    "vitamin_d_ug", "thiamin_mg", "riboflavin_mg", "niacin_mg", "vitamin_b6_mg",
    "folate_dfe_ug", "vitamin_b12_ug",
]  # fmt: skip


def csv_text(header: str, rows: list[dict[str, str]], newline: str = "\n") -> str:
    """A CSV with ``header``; each row gives some cells by header name, the rest blank."""
    columns = header.split(",")
    unknown = {k for row in rows for k in row} - set(columns)
    assert not unknown, f"fixture names columns the header lacks: {unknown}"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue()


@pytest.fixture
def write(tmp_path):
    """Write text (or bytes) to a file in tmp_path and return its path."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8"):
        path = tmp_path / name
        data = content if isinstance(content, bytes) else content.encode(encoding)
        path.write_bytes(data)
        return path

    return _write


def nutrient_columns(diary: pd.DataFrame) -> list[str]:
    return [c for c in diary.columns if c in registry.ids()]


def assert_unknown(diary: pd.DataFrame, row: int, nutrient: str) -> None:
    """Unknown is not zero: the column is absent or the cell is NaN."""
    if nutrient in diary.columns:
        assert math.isnan(diary.loc[row, nutrient]), f"{nutrient} should be NaN"


# --- Cronometer servings.csv -----------------------------------------------------------------

MILK = {
    "Day": "2023-09-17", "Time": "9:51 AM", "Group": "Breakfast",
    "Food Name": "Milk, whole, 3.25% milkfat, with added vitamin D", "Amount": "1.00 cup",
    "Energy (kcal)": "149", "Alcohol (g)": "0", "B1 (Thiamine) (mg)": "0.1",
    "B2 (Riboflavin) (mg)": "0.41", "B3 (Niacin) (mg)": "0.22", "B6 (Pyridoxine) (mg)": "0.09",
    "B12 (Cobalamin) (µg)": "1.1", "Folate (µg)": "12", "Vitamin D (IU)": "124",
    "Calcium (mg)": "276", "Magnesium (mg)": "24", "Potassium (mg)": "322",
    "Sodium (mg)": "105", "Protein (g)": "7.7", "Category": "Dairy and Egg Products",
}  # fmt: skip
BREAD = {
    "Day": "2023-09-17", "Time": "16:07 ", "Group": "Staples",
    "Food Name": "Granny’s Delight, Whole Wheat Bread", "Amount": "1.00 slice",
    "Energy (kcal)": "80", "Magnesium (mg)": "", "Calcium (mg)": "n/a", "Category": "Breads",
}  # fmt: skip
SUPPLEMENT = {
    "Day": "2023-09-18", "Time": "05:17", "Group": "Supplements",
    "Food Name": "Magnesium Citrate", "Amount": "1.00 tablet", "Category": "Supplements",
}  # fmt: skip


def test_servings_modern_layout(write):
    path = write("servings.csv", csv_text(MODERN, [MILK, BREAD, SUPPLEMENT]))
    diary = read_diary(path)
    assert diary.attrs["format"] == "cronometer_servings"
    assert diary.attrs["level"] == "entry"
    assert diary.attrs["nutrients"] == PANEL
    assert diary["source_row"].tolist() == [2, 3, 4]
    assert diary["date"].tolist() == [pd.Timestamp("2023-09-17")] * 2 + [pd.Timestamp("2023-09-18")]
    assert diary["time"].tolist() == ["09:51", "16:07", "05:17"]
    assert diary["meal"].tolist() == ["Breakfast", "Staples", "Supplements"]
    assert diary["food_text"][1] == "Granny’s Delight, Whole Wheat Bread"
    assert diary["amount_text"].tolist() == ["1.00 cup", "1.00 slice", "1.00 tablet"]
    assert diary["status"].tolist() == ["", "", ""]
    milk = diary.loc[0]
    assert milk["magnesium_mg"] == 24.0
    assert milk["calcium_mg"] == 276.0
    assert milk["vitamin_d_ug"] == pytest.approx(3.1)  # 124 IU / 40
    assert milk["folate_dfe_ug"] == 12.0
    assert milk["vitamin_b12_ug"] == 1.1
    assert milk["energy_kcal"] == 149.0
    # blank and n/a cells are unknown, and a supplement's blank row stays blank
    assert_unknown(diary, 1, "magnesium_mg")
    assert_unknown(diary, 1, "calcium_mg")
    assert diary.loc[2, nutrient_columns(diary)].isna().all()
    # columns the registry does not know (Vitamin C, Category) are not carried
    assert not {"Category", "Vitamin C (mg)", "vitamin_c_mg"} & set(diary.columns)


def test_servings_without_time_column(write):
    header = MODERN.replace("Day,Time,", "Day,")
    rows = [{k: v for k, v in r.items() if k != "Time"} for r in (MILK, BREAD)]
    diary = read_diary(write("servings.csv", csv_text(header, rows)))
    assert diary.attrs["format"] == "cronometer_servings"
    assert diary["time"].tolist() == ["", ""]
    assert diary["meal"].tolist() == ["Breakfast", "Staples"]
    assert diary.loc[0, "magnesium_mg"] == 24.0


def test_servings_2011_layout(write):
    rows = [
        {
            "Day": "2011-4-18", "Food Name": "Bananas, raw", "Amount": "1.00 medium",
            "Energy (kcal)": "105", "B1 (Thiamine) (mg)": "0.04", "B12 (Cobalamin) (µg)": "0",
            "B2 (Riboflavin) (mg)": "0.09", "Vitamin A (IU)": "76", "Vitamin D (IU)": "0",
            "Magnesium (mg)": "32", "Folate (µg)": "24",
        },
        {
            "Day": "2011-4-19", "Food Name": "Rice, white, long-grain, regular, enriched, cooked",
            "Amount": "1.00 cup", "Energy (kcal)": "205", "Magnesium (mg)": "19",
        },
    ]  # fmt: skip
    diary = read_diary(write("servings.csv", csv_text(OLD_2011, rows)))
    assert diary.attrs["format"] == "cronometer_servings"
    assert diary["date"].tolist() == [pd.Timestamp("2011-04-18"), pd.Timestamp("2011-04-19")]
    assert diary["time"].tolist() == ["", ""]
    assert diary["meal"].tolist() == ["", ""]
    assert diary.loc[0, "magnesium_mg"] == 32.0
    assert diary.loc[0, "vitamin_b12_ug"] == 0.0  # a written zero stays zero
    assert diary.loc[0, "vitamin_d_ug"] == 0.0
    assert_unknown(diary, 1, "thiamin_mg")
    # Vitamin A in IU is not a registry nutrient: not carried, not mistaken for µg
    assert not [c for c in diary.columns if "vitamin_a" in c.lower() or "(IU)" in c]


def test_servings_extended_nutrients_and_missing_columns(write):
    # extra columns anywhere, Alcohol and Sodium untracked (absent)
    header = (
        "Day,Oxalate (mg),Time,Group,Food Name,Choline (mg),Amount,Energy (kcal),"
        "Magnesium (mg),Iodine (µg),Potassium (mg),Phytate (mg),Folate (µg),Beta-carotene (µg),"
        "Soluble Fiber (g),DHA (g),Vitamin D (IU),Category,EPA (g)"
    )
    rows = [
        {
            "Day": "2024-02-01", "Oxalate (mg)": "750", "Time": "12:30 PM", "Group": "Lunch",
            "Food Name": "Spinach, raw", "Choline (mg)": "5.8", "Amount": "1.00 cup",
            "Energy (kcal)": "7", "Magnesium (mg)": "23.7", "Iodine (µg)": "",
            "Potassium (mg)": "167", "Folate (µg)": "58", "Vitamin D (IU)": "0",
            "Category": "Vegetables",
        }
    ]  # fmt: skip
    diary = read_diary(write("servings.csv", csv_text(header, rows)))
    assert diary.attrs["format"] == "cronometer_servings"
    assert diary.attrs["nutrients"] == [
        "energy_kcal", "magnesium_mg", "potassium_mg", "vitamin_d_ug", "folate_dfe_ug",
    ]  # fmt: skip
    assert "sodium_mg" not in diary.columns
    assert diary.loc[0, "time"] == "12:30"
    assert diary.loc[0, "magnesium_mg"] == 23.7
    assert diary.loc[0, "folate_dfe_ug"] == 58.0
    assert not {"Oxalate (mg)", "Choline (mg)", "EPA (g)"} & set(diary.columns)
    assert any("Calcium" in note for note in diary.attrs["notes"])  # not in the export


def test_servings_column_order_does_not_matter(write):
    columns = MODERN.split(",")
    shuffled = ",".join(reversed(columns))
    modern = read_diary(write("a.csv", csv_text(MODERN, [MILK, BREAD])))
    reordered = read_diary(write("b.csv", csv_text(shuffled, [MILK, BREAD])))
    assert reordered.attrs["format"] == "cronometer_servings"
    # the same values under the same names (columns follow the file's order)
    pd.testing.assert_frame_equal(reordered[modern.columns], modern)


def test_servings_without_nutrient_columns(write):
    rows = [
        {"Day": "2024-01-02", "Group": "Lunch", "Food Name": "Bananas, raw",
         "Amount": "2.00 medium (7\" to 7-7/8\" long)", "Category": "Fruits"},
        {"Day": "2024-01-02", "Group": "Uncategorized", "Food Name": "Calorie",
         "Amount": "2500.00 1", "Category": ""},
    ]  # fmt: skip
    diary = read_diary(write("servings.csv", csv_text(NO_NUTRIENTS, rows)))
    assert diary.attrs["format"] == "cronometer_servings"
    assert diary.attrs["nutrients"] == []
    assert nutrient_columns(diary) == []
    assert diary["amount_text"].tolist() == ['2.00 medium (7" to 7-7/8" long)', "2500.00 1"]
    assert diary["meal"].tolist() == ["Lunch", "Uncategorized"]
    assert diary["status"].tolist() == ["", ""]


# --- Cronometer dailysummary.csv --------------------------------------------------------------


def test_dailysummary_without_group(write):
    rows = [
        {"Date": "2023-09-17", "Energy (kcal)": "2010", "Magnesium (mg)": "310",
         "Vitamin D (IU)": "400", "Completed": "true"},
        {"Date": "2023-09-18", "Energy (kcal)": "1650", "Magnesium (mg)": "250",
         "Completed": "FALSE"},
        {"Date": "2023-09-19", "Energy (kcal)": "300", "Completed": "false"},  # blank but energy
    ]  # fmt: skip
    diary = read_diary(write("dailysummary.csv", csv_text(DAILY, rows)))
    assert diary.attrs["format"] == "cronometer_daily"
    assert diary.attrs["level"] == "day"
    assert set(PANEL) <= set(diary.attrs["nutrients"])
    assert diary["status"].tolist() == ["", "", ""]  # an unfinished day is still read
    assert diary["reason"].tolist()[0] == ""
    assert all("not completed" in r for r in diary["reason"].tolist()[1:])  # ...and said so
    assert diary["magnesium_mg"].tolist()[:2] == [310.0, 250.0]
    assert diary.loc[0, "vitamin_d_ug"] == 10.0
    assert diary.loc[2, "energy_kcal"] == 300.0
    others = [c for c in nutrient_columns(diary) if c != "energy_kcal"]
    assert diary.loc[2, others].isna().all()  # blank apart from energy: unknown, not zero
    assert diary["food_text"].eq("").all()


def test_dailysummary_with_group_keeps_only_total_rows(write):
    header = DAILY.replace("Date,", "Date,Group,")
    rows = [
        {"Date": "2023-09-17", "Group": "Breakfast", "Energy (kcal)": "500",
         "Magnesium (mg)": "100"},
        {"Date": "2023-09-17", "Group": "Snacks", "Energy (kcal)": "300",
         "Magnesium (mg)": "50"},
        {"Date": "2023-09-17", "Group": "Total", "Energy (kcal)": "800",
         "Magnesium (mg)": "150", "Completed": "true"},
        {"Date": "2023-09-18", "Group": "Total", "Energy (kcal)": "1200",
         "Completed": "FALSE"},
    ]  # fmt: skip
    diary = read_diary(write("dailysummary.csv", csv_text(header, rows)))
    assert diary.attrs["format"] == "cronometer_daily"
    assert diary["status"].tolist() == ["rejected", "rejected", "", ""]
    assert diary.loc[0, "reason"] == diary.loc[1, "reason"]
    assert "Total" in diary.loc[0, "reason"]
    kept = diary[diary["status"].ne("rejected")]
    assert kept["magnesium_mg"].sum() == 150.0  # not 300: the day is not counted twice
    assert_unknown(diary, 3, "magnesium_mg")


# --- MyFitnessPal -----------------------------------------------------------------------------


def mfp_rows(header: str) -> list[dict[str, str]]:
    rows = [
        {"Date": "2020-03-14", "Meal": "Breakfast", "Time": "7:05 AM", "Calories": "1,020",
         "Fat (g)": "30", "Sodium (mg)": "1,200", "Potassium": "410", "Protein (g)": "35",
         "Calcium": "20", "Iron": "15", "Note": ""},
        {"Date": "2020-03-14", "Meal": "Post-Workout", "Time": "6:30 PM", "Calories": "250",
         "Sodium (mg)": "", "Potassium": "", "Protein (g)": "25", "Calcium": "0",
         "Note": "shake"},
    ]  # fmt: skip
    columns = header.split(",")
    return [{k: v for k, v in row.items() if k in columns} for row in rows]


@pytest.mark.parametrize("header", MFP_HEADERS, ids=["no-time", "time-note", "time-no-note"])
def test_myfitnesspal_headers_bom_crlf(write, header):
    text = "\ufeff" + csv_text(header, mfp_rows(header), newline="\r\n")
    diary = read_diary(write("Nutrition-Summary-2020-03-14-to-2020-03-14.csv", text))
    assert diary.attrs["format"] == "myfitnesspal"
    assert diary.attrs["level"] == "meal"
    assert diary["meal"].tolist() == ["Breakfast", "Post-Workout"]
    assert diary["date"].tolist() == [pd.Timestamp("2020-03-14")] * 2
    expected_times = ["07:05", "18:30"] if "Time" in header else ["", ""]
    assert diary["time"].tolist() == expected_times
    assert diary.loc[0, "energy_kcal"] == 1020.0  # quoted thousands separator
    assert diary.loc[0, "sodium_mg"] == 1200.0
    assert diary.loc[0, "potassium_mg"] == 410.0  # mg, though the header has no unit
    assert diary.loc[0, "calcium_mg"] == 260.0  # 20 % of the 1,300 mg Daily Value
    assert diary.loc[1, "calcium_mg"] == 0.0
    assert_unknown(diary, 1, "sodium_mg")
    assert_unknown(diary, 1, "potassium_mg")
    # MyFitnessPal says nothing about magnesium, vitamin D or B vitamins
    for absent in ("magnesium_mg", "vitamin_d_ug", "thiamin_mg", "folate_dfe_ug"):
        assert absent not in diary.attrs["nutrients"]
        assert absent not in diary.columns or diary[absent].isna().all()
    assert any("1,300 mg" in note for note in diary.attrs["notes"])
    assert diary["status"].tolist() == ["", ""]
    assert diary["source_row"].tolist() == [2, 3]


def test_myfitnesspal_older_calcium_daily_value(write):
    header = MFP_HEADERS[0]
    path = write("mfp.csv", csv_text(header, mfp_rows(header)))
    diary = read_diary(path, calcium_dv_mg=1000)
    assert diary.loc[0, "calcium_mg"] == 200.0
    assert any("1,000 mg" in note for note in diary.attrs["notes"])


# --- Lose It! ---------------------------------------------------------------------------------


@pytest.mark.parametrize("meal_column", ["Type", "Meal"])
def test_loseit(write, meal_column):
    header = LOSEIT.replace(",Type,", f",{meal_column},")
    rows = [
        {"Date": "03/14/2020", "Name": "Banana", "Icon": "Banana", meal_column: "Breakfast",
         "Quantity": "1", "Units": "Each", "Calories": "105", "Deleted": "false",
         "Protein (g)": "1.3", "Sodium (mg)": "n/a"},
        {"Date": "03/14/2020", "Name": "Cookie", "Icon": "Cookie", meal_column: "Snacks",
         "Quantity": "2", "Units": "Each", "Calories": "100", "Deleted": "true",
         "Protein (g)": "1"},
        {"Date": "12/01/2020", "Name": "Oatmeal", "Icon": "Oatmeal", meal_column: "Breakfast",
         "Quantity": "1/2", "Units": "Cup", "Calories": "n/a", "Deleted": "false",
         "Protein (g)": "n/a", "Sodium (mg)": "0"},
    ]  # fmt: skip
    diary = read_diary(write("food-logs.csv", csv_text(header, rows)))
    assert diary.attrs["format"] == "loseit"
    assert diary["date"].tolist() == [
        pd.Timestamp("2020-03-14"), pd.Timestamp("2020-03-14"), pd.Timestamp("2020-12-01"),
    ]  # fmt: skip
    assert diary["meal"].tolist() == ["Breakfast", "Snacks", "Breakfast"]
    assert diary["food_text"].tolist() == ["Banana", "Cookie", "Oatmeal"]
    assert diary["amount_text"].tolist() == ["1 Each", "2 Each", "1/2 Cup"]
    assert diary["status"].tolist() == ["", "rejected", ""]
    assert "deleted" in diary.loc[1, "reason"]
    assert_unknown(diary, 0, "sodium_mg")
    assert_unknown(diary, 2, "energy_kcal")
    assert_unknown(diary, 2, "protein_g")
    assert diary.loc[2, "sodium_mg"] == 0.0
    assert "magnesium_mg" not in diary.attrs["nutrients"]


# --- OpenNutriTracker user_intake.csv ----------------------------------------------------------

ONT = (
    "date_time,type,amount,unit,meal_name,kcal_per_100g,protein_per_100g,potassium_per_100g,"
    "Magnesium_per_100g,calcium_per_100g,vitamin_d_per_100g,vitamin_b12_per_100g"
)


def test_opennutritracker_values_per_100_g_are_scaled_by_the_amount(write):
    rows = [
        {"date_time": "2024-03-04T08:15:00.000", "type": "breakfast", "amount": "118",
         "unit": "g", "meal_name": "Banana", "kcal_per_100g": "89", "potassium_per_100g": "358",
         "Magnesium_per_100g": "27", "vitamin_d_per_100g": "n/a"},
        {"date_time": "2024-03-04 12:30:00", "type": "lunch", "amount": "250", "unit": "ml",
         "meal_name": "Milk", "kcal_per_100g": "50", "calcium_per_100g": "120",
         "vitamin_d_per_100g": "1.1"},
        {"date_time": "2024-03-05T19:00:00.000", "type": "dinner", "amount": "1",
         "unit": "serving", "meal_name": "Lentil soup", "kcal_per_100g": "60"},
    ]  # fmt: skip
    diary = read_diary(write("export.csv", csv_text(ONT, rows)))
    assert diary.attrs["format"] == "opennutritracker"
    assert diary["date"].tolist() == [
        pd.Timestamp("2024-03-04"), pd.Timestamp("2024-03-04"), pd.Timestamp("2024-03-05"),
    ]  # fmt: skip
    assert diary["time"].tolist() == ["08:15", "12:30", "19:00"]
    assert diary["meal"].tolist() == ["breakfast", "lunch", "dinner"]
    assert diary["food_text"].tolist() == ["Banana", "Milk", "Lentil soup"]
    assert diary["amount_text"].tolist() == ["118 g", "250 ml", "1 serving"]
    assert diary.loc[0, "potassium_mg"] == pytest.approx(422.44)
    assert diary.loc[0, "magnesium_mg"] == pytest.approx(31.86)
    assert diary.loc[1, "calcium_mg"] == pytest.approx(300.0)
    assert diary.loc[1, "vitamin_d_ug"] == pytest.approx(2.75)
    assert_unknown(diary, 0, "vitamin_d_ug")  # n/a stays unknown after scaling
    assert_unknown(diary, 0, "calcium_mg")  # a blank cell too
    # a serving cannot be scaled from per-100 g values: unknown, and the row says why
    assert_unknown(diary, 2, "energy_kcal")
    assert "cannot be scaled" in diary.loc[2, "reason"]
    assert diary["status"].eq("").all()


def test_microgram_spellings_in_headers(write):
    header = "Day,Food Name,Amount,B12 (Cobalamin) (mcg),Folate (ug),Vitamin D (μg)"
    rows = [{"Day": "2023-09-17", "Food Name": "Bananas, raw", "Amount": "1.00 medium",
             "B12 (Cobalamin) (mcg)": "0.5", "Folate (ug)": "24",
             "Vitamin D (μg)": "1"}]  # fmt: skip
    diary = read_diary(write("servings.csv", csv_text(header, rows)))
    assert diary.loc[0, "vitamin_b12_ug"] == 0.5
    assert diary.loc[0, "folate_dfe_ug"] == 24
    assert diary.loc[0, "vitamin_d_ug"] == 1


# --- planner's own CSV ------------------------------------------------------------------------


def test_planner_amount_and_unit(write):
    text = (
        "date,time,meal,food,amount,unit\n"
        "2024-03-01,08:00,breakfast,banana,2,medium\n"
        '2024-03-01,,lunch,"Spinach, raw",1.5,cups\n'
        "2024-03-01,,lunch,almonds,30,g\n"
    )
    diary = read_diary(write("diary.csv", text))
    assert diary.attrs["format"] == "planner"
    assert diary["amount_text"].tolist() == ["2 medium", "1.5 cups", "30 g"]
    assert diary["food_text"].tolist() == ["banana", "Spinach, raw", "almonds"]
    assert diary["time"].tolist() == ["08:00", "", ""]
    assert diary["person"].tolist() == ["", "", ""]
    assert diary.attrs["nutrients"] == []


def test_planner_quantity_column(write):
    text = "date,meal,food,quantity\n2024-03-01,dinner,rice,1 cup\n2024-03-01,dinner,salmon,5 oz\n"
    diary = read_diary(write("diary.csv", text))
    assert diary.attrs["format"] == "planner"
    assert diary["amount_text"].tolist() == ["1 cup", "5 oz"]


def test_planner_food_id_person_and_nutrients(write):
    text = (
        "person,date,meal,food,food_id,amount,unit,magnesium_mg\n"
        "ana,2024-03-01,breakfast,banana,9040,1,medium,32\n"
        "ben,2024-03-01,lunch,,11457,1,cup,\n"
        "ben,2024-03-02,lunch,my smoothie,,1,cup,n/a\n"
    )
    diary = read_diary(write("diary.csv", text))
    assert diary.attrs["format"] == "planner"
    assert diary["food_id"].tolist() == ["09040", "11457", ""]  # leading zeros restored
    assert diary["person"].tolist() == ["ana", "ben", "ben"]
    assert diary.attrs["nutrients"] == ["magnesium_mg"]
    assert diary.loc[0, "magnesium_mg"] == 32.0
    assert_unknown(diary, 1, "magnesium_mg")
    assert_unknown(diary, 2, "magnesium_mg")
    assert diary["status"].tolist() == ["", "", ""]  # a food_id is a food without a name


# --- encodings and other quirks ---------------------------------------------------------------

SMALL = "Day,Time,Group,Food Name,Amount,Energy (kcal),Magnesium (mg),Vitamin D (IU),Folate (µg)"
CAFE = {"Day": "2023-09-17", "Time": "9:51 AM", "Group": "Breakfast",
        "Food Name": "Café au lait", "Amount": "1.00 cup", "Energy (kcal)": "50",
        "Magnesium (mg)": "10", "Vitamin D (IU)": "80", "Folate (µg)": "5"}  # fmt: skip
GRANNY = {"Day": "2023-09-17", "Time": "", "Group": "Lunch",
          "Food Name": "Granny’s Delight Bread", "Amount": "1.00 slice",
          "Energy (kcal)": "80"}  # fmt: skip


@pytest.mark.parametrize(
    ("encoding", "bom", "newline"),
    [
        ("utf-8", "", "\n"),
        ("utf-8", "\ufeff", "\n"),
        ("utf-8", "", "\r\n"),
        ("utf-8", "\ufeff", "\r\n"),
        ("cp1252", "", "\n"),
        ("cp1252", "", "\r\n"),
    ],
    ids=["utf8", "bom", "crlf", "bom-crlf", "cp1252", "cp1252-crlf"],
)
def test_encodings_and_line_endings(write, encoding, bom, newline):
    text = bom + csv_text(SMALL, [CAFE, GRANNY], newline=newline)
    data = text.encode(encoding)  # µ is 0xB5 in cp1252 too
    if encoding == "cp1252":
        assert b"Caf\xe9" in data and b"Granny\x92s" in data  # real cp1252 bytes
    diary = read_diary(write("servings.csv", data))
    assert diary.attrs["format"] == "cronometer_servings"
    assert diary["food_text"].tolist() == ["Café au lait", "Granny’s Delight Bread"]
    assert diary["time"].tolist() == ["09:51", ""]
    assert diary["source_row"].tolist() == [2, 3]
    assert diary.loc[0, "magnesium_mg"] == 10.0
    assert diary.loc[0, "vitamin_d_ug"] == 2.0  # 80 IU / 40
    assert diary.loc[0, "folate_dfe_ug"] == 5.0
    assert_unknown(diary, 1, "magnesium_mg")


def test_greek_mu_in_headers(write):
    # µ (U+00B5) and μ (U+03BC) both occur in real headers
    header = "Day,Food Name,Amount,Folate (μg),B12 (Cobalamin) (μg)"
    row = {"Day": "2023-01-01", "Food Name": "Bananas, raw", "Amount": "1.00 medium",
           "Folate (μg)": "24", "B12 (Cobalamin) (μg)": "0"}  # fmt: skip
    diary = read_diary(write("servings.csv", csv_text(header, [row])))
    assert diary.attrs["nutrients"] == ["folate_dfe_ug", "vitamin_b12_ug"]
    assert diary.loc[0, "folate_dfe_ug"] == 24.0


@pytest.mark.parametrize(
    "name", ["dailysummary.csv", "mfp.csv", "Cronometer Output.csv", "diary.txt", "noext"]
)
def test_format_is_detected_from_header_not_name(write, name):
    diary = read_diary(write(name, csv_text(SMALL, [CAFE])))
    assert diary.attrs["format"] == "cronometer_servings"
    assert diary.attrs["level"] == "entry"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-09-17", date(2023, 9, 17)),
        ("2011-4-18", date(2011, 4, 18)),
        ("3/14/2020", date(2020, 3, 14)),
        ("03/14/2020", date(2020, 3, 14)),
        ("2023-09-17 08:30:00", date(2023, 9, 17)),
    ],
)
def test_dates_in_a_file(write, text, expected):
    diary = read_diary(write("s.csv", csv_text(SMALL, [{**CAFE, "Day": text}])))
    assert diary.loc[0, "date"] == pd.Timestamp(expected)
    assert diary.loc[0, "status"] == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:51 AM", "09:51"),
        ("9:51 PM", "21:51"),
        ("12:05 AM", "00:05"),
        ("05:17", "05:17"),
        ("16:07 ", "16:07"),
        ("", ""),
        ("n/a", ""),
    ],
)
def test_times_in_a_file(write, text, expected):
    path = write("s.csv", csv_text(SMALL, [{**CAFE, "Time": text}]))
    if text.endswith(" "):
        assert b"16:07 ," in path.read_bytes()  # the trailing space is really in the file
    diary = read_diary(path)
    assert diary.loc[0, "time"] == expected


@pytest.mark.parametrize("cell", ["", "n/a", "N/A", " ", "-", "NaN"])
def test_blank_and_na_cells_are_unknown_never_zero(write, cell):
    diary = read_diary(write("s.csv", csv_text(SMALL, [{**CAFE, "Magnesium (mg)": cell}])))
    assert math.isnan(diary.loc[0, "magnesium_mg"])
    assert diary.loc[0, "status"] == ""
    assert diary.loc[0, "reason"] == ""


def test_text_in_a_number_cell_is_unknown_and_said(write):
    diary = read_diary(write("s.csv", csv_text(SMALL, [{**CAFE, "Magnesium (mg)": "lots"}])))
    assert math.isnan(diary.loc[0, "magnesium_mg"])
    assert "Magnesium (mg)" in diary.loc[0, "reason"]
    assert diary.loc[0, "status"] == ""


def test_parse_numbers():
    values, bad = parse_numbers(pd.Series(["1,020", "2.5", "", "n/a", "x", "1,234,567", "0"]))
    assert values[:2].tolist() == [1020.0, 2.5]
    assert values[2:5].isna().all()
    assert values[5:].tolist() == [1234567.0, 0.0]
    assert bad.tolist() == [False, False, False, False, True, False, False]
    values, _ = parse_numbers(pd.Series(["1,5", "1.020,5", "3"]), decimal_comma=True)
    assert values.tolist() == [1.5, 1020.5, 3.0]


# --- rejected rows and accounting -------------------------------------------------------------


def test_impossible_and_missing_dates_are_rejected(write):
    rows = [CAFE, {**CAFE, "Day": "2023-02-30"}, {**CAFE, "Day": ""}, {**CAFE, "Day": "soon"}]
    diary = read_diary(write("s.csv", csv_text(SMALL, rows)))
    assert diary["status"].tolist() == ["", "rejected", "rejected", "rejected"]
    assert diary["reason"].tolist()[1:] == [
        "impossible date '2023-02-30'", "no date", "not a date 'soon'",
    ]  # fmt: skip
    assert diary["date"][1:].isna().all()
    assert diary["source_row"].tolist() == [2, 3, 4, 5]


def test_malformed_line_is_a_rejected_row_at_its_line(write):
    text = (
        "date,meal,food,amount,unit\n"
        "2023-01-01,breakfast,banana,1,medium\n"
        "2023-01-01,lunch,rice,1,cup,extra\n"
        "2023-01-02,dinner,spinach,2,cup\n"
        "2023-01-03,snack,apple,1,medium,x,y\n"
        "2023-01-03,snack,pear,1,medium\n"
    )
    diary = read_diary(write("diary.csv", text))
    assert len(diary) == 5
    assert diary["source_row"].tolist() == [2, 3, 4, 5, 6]
    assert diary["status"].tolist() == ["", "rejected", "", "rejected", ""]
    assert diary.loc[1, "reason"] == "malformed line: expected 5 fields, saw 6"
    assert diary.loc[3, "reason"] == "malformed line: expected 5 fields, saw 7"
    assert diary["food_text"].tolist() == ["banana", "", "spinach", "", "pear"]


def test_malformed_lines_numbered_across_chunks(write, monkeypatch):
    import planner.diary

    monkeypatch.setattr(planner.diary, "CHUNK_ROWS", 2)
    lines = ["date,meal,food,amount,unit"]
    for i in range(9):
        extra = ",oops" if i in (1, 4, 5) else ""
        lines.append(f"2023-01-0{i + 1},lunch,food{i},1,cup{extra}")
    diary = read_diary(write("diary.csv", "\n".join(lines) + "\n"))
    assert diary["source_row"].tolist() == list(range(2, 11))
    rejected = diary.loc[diary["status"].eq("rejected"), "source_row"].tolist()
    assert rejected == [3, 6, 7]
    kept = diary[diary["status"].eq("")]
    assert kept["food_text"].tolist() == [f"food{i}" for i in (0, 2, 3, 6, 7, 8)]


def test_every_row_appears_once_at_its_line(write):
    rows = [
        CAFE,
        {**CAFE, "Day": "2023-02-30"},
        {**CAFE, "Food Name": ""},
        GRANNY,
        {**CAFE, "Day": ""},
        {**CAFE, "Magnesium (mg)": "n/a"},
    ]
    text = csv_text(SMALL, rows)
    diary = read_diary(write("s.csv", text))
    data_lines = len(text.splitlines()) - 1
    assert len(diary) == data_lines == len(rows)
    assert diary["source_row"].tolist() == list(range(2, 2 + data_lines))
    assert diary["status"].isin(["", "rejected"]).all()
    assert diary.loc[diary["status"].eq("rejected"), "reason"].ne("").all()


def test_blank_lines_are_skipped_but_counted(write):
    text = (
        "date,meal,food,amount,unit\n"
        "2023-01-01,breakfast,banana,1,medium\n"
        "\n"
        "2023-01-02,dinner,spinach,2,cup\n"
        ",,,,\n"
        "2023-01-03,snack,apple,1,medium\n"
    )
    diary = read_diary(write("diary.csv", text))
    assert diary["food_text"].tolist() == ["banana", "spinach", "apple"]
    assert diary["source_row"].tolist() == [2, 4, 6]


def test_row_without_food_is_rejected(write):
    text = "date,meal,food,amount,unit\n2023-01-01,lunch,,1,cup\n2023-01-01,lunch,  ,1,cup\n"
    diary = read_diary(write("diary.csv", text))
    assert diary["status"].tolist() == ["rejected", "rejected"]
    assert diary["reason"].tolist() == ["no food name", "no food name"]


# --- errors -----------------------------------------------------------------------------------


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("servings.csv", csv_text(SMALL, [CAFE]))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "is empty"),
        (b"  \n\n", "is empty"),
        (b"date,meal,food,amount,unit\n", "no data rows"),
        (b"date,meal,food,amount,unit\n\n\n", "no data rows"),
        ((SMALL + "\r\n").encode(), "no data rows"),
        (b"foo,bar,baz\n1,2,3\n", "unrecognised diary format"),
        (b"hello\nworld\n", "not a CSV"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "PNG image"),
        (_zip_bytes(), "zip archive"),
        (b"%PDF-1.4\n", "PDF"),
    ],
    ids=[
        "empty", "whitespace", "header-only", "header-blank-lines", "servings-header-only",
        "unknown-header", "one-column", "png", "zip", "pdf",
    ],
)  # fmt: skip
def test_unreadable_files(write, content, reason):
    path = write("diary.csv", content)
    with pytest.raises(DiaryFormatError, match=reason) as err:
        read_diary(path)
    assert str(path) in str(err.value)
    assert err.value.path == path


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.csv"
    with pytest.raises(DiaryFormatError, match="no such file") as err:
        read_diary(path)
    assert str(path) in str(err.value)


def test_directory(tmp_path):
    folder = tmp_path / "diary.csv"
    folder.mkdir()
    with pytest.raises(DiaryFormatError, match="folder") as err:
        read_diary(folder)
    assert str(folder) in str(err.value)


def test_unknown_header_names_the_columns(write):
    path = write("diary.csv", "when,what\n2023-01-01,banana\n")
    with pytest.raises(DiaryFormatError) as err:
        read_diary(path)
    assert "when, what" in str(err.value)
    assert err.value.row == 1


def test_forced_format_without_its_columns(write):
    path = write("diary.csv", csv_text(SMALL, [CAFE]))
    with pytest.raises(DiaryFormatError, match="not a Lose It"):
        read_diary(path, format="loseit")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (MODERN.split(","), "cronometer_servings"),
        (OLD_2011.split(","), "cronometer_servings"),
        (NO_NUTRIENTS.split(","), "cronometer_servings"),
        (DAILY.split(","), "cronometer_daily"),
        (["Date", "Group", "Energy (kcal)", "Completed"], "cronometer_daily"),
        *[(h.split(","), "myfitnesspal") for h in MFP_HEADERS],
        (LOSEIT.split(","), "loseit"),
        (LOSEIT.replace("Type", "Meal").split(","), "loseit"),
        (ONT.split(","), "opennutritracker"),
        (["date", "meal", "food", "amount", "unit"], "planner"),
        (["Date", "Food", "Quantity"], "planner"),
        (["when", "what"], None),
    ],
)
def test_detect_format(header, expected):
    assert detect_format(header) == expected
    assert expected is None or expected in FORMATS


# --- parse_date properties --------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.lists(st.sampled_from(list("0123456789/-.: TAPM")), max_size=16).map("".join),
    )
)
def test_parse_date_never_raises(text):
    result = parse_date(text)
    assert isinstance(result, (date, str))


@settings(max_examples=50, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_parse_date_round_trips(day):
    forms = [
        day.isoformat(),  # 2023-09-17
        f"{day.year}-{day.month}-{day.day}",  # 2011-4-18
        f"{day.month}/{day.day}/{day.year}",  # 3/14/2020
    ]
    for text in forms:
        assert parse_date(text) == day, text


def test_amounts_are_parsed_into_quantity_and_unit(write):
    header = "date,meal,food,quantity"
    rows = [
        {"date": "2024-01-01", "meal": "lunch", "food": "banana", "quantity": "1 1/2 medium"},
        {"date": "2024-01-01", "meal": "lunch", "food": "milk", "quantity": "2.00 x 0.5 cup"},
        {"date": "2024-01-01", "meal": "lunch", "food": "rice", "quantity": "a bowl"},
        {"date": "2024-01-01", "meal": "lunch", "food": "rice", "quantity": ""},
    ]
    diary = read_diary(write("d.csv", csv_text(header, rows)))
    columns = list(diary.columns)
    assert columns.index("quantity") == columns.index("amount_text") + 1
    assert diary["quantity"].tolist()[:2] == [1.5, 1.0]
    assert diary["unit"].tolist() == ["medium", "cup", "", ""]
    assert diary["quantity"].iloc[2:].isna().all()  # unreadable or absent: unknown
