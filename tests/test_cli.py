"""The command line: help, version, foods search, targets, and errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from planner import __version__
from planner.cli import cli


def test_help_lists_commands(runner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "foods" in result.output and "targets" in result.output


def test_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"planner, version {__version__}"


def test_python_dash_m_runs_the_cli():
    out = subprocess.run(
        [sys.executable, "-m", "planner", "--version"], capture_output=True, text=True, check=True
    )
    assert __version__ in out.stdout


def test_foods_search(runner):
    result = runner.invoke(cli, ["foods", "search", "banana", "raw", "--limit", "3"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["id", "source", "description", "group"]
    assert lines[2].split()[:2] == ["63107010", "fndds"]
    assert lines[3].split()[:2] == ["09040", "sr28"]


def test_foods_search_no_match(runner):
    result = runner.invoke(cli, ["foods", "search", "xyzzy"])
    assert result.exit_code == 0
    assert "No food matches 'xyzzy'" in result.output


def test_targets_prints_the_panel(runner):
    result = runner.invoke(cli, ["targets", "--age", "45", "--sex", "female"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Daily targets for female, 45 y"
    mg = next(line for line in lines if line.startswith("Magnesium"))
    assert mg.split()[:6] == ["Magnesium", "320", "mg", "RDA", "350", "supplements"]
    vit_d = next(line for line in lines if line.startswith("Vitamin D"))
    assert vit_d.split()[:5] == ["Vitamin", "D", "15", "µg", "RDA"]
    assert "not medical advice" in result.output


def test_targets_pregnancy(runner):
    result = runner.invoke(cli, ["targets", "--age", "30", "--sex", "female", "--pregnant"])
    assert result.exit_code == 0
    folate = next(line for line in result.output.splitlines() if line.startswith("Folate"))
    assert folate.split()[1] == "600"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--age", "0", "--sex", "female"], "Error: age '0': must be between 1 and 120 years"),
        (["--age", "200", "--sex", "female"], "Error: age '200': must be between 1 and 120 years"),
        (["--age", "abc", "--sex", "female"], "Error: age 'abc': is not a number"),
        (["--age", "40", "--sex", "robot"], "Error: sex 'robot': must be one of"),
        (["--age", "40", "--sex", "male", "--pregnant"], "Error: pregnant: needs sex 'female'"),
    ],
)
def test_bad_profiles_exit_1_with_one_error_line(runner, args, message):
    result = runner.invoke(cli, ["targets", *args])
    assert result.exit_code == 1
    assert result.output.startswith(message)
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_missing_profile_is_a_usage_error(runner):
    result = runner.invoke(cli, ["targets", "--age", "40"])
    assert result.exit_code == 2
    assert "--sex required" in result.output


def test_foods_build_on_a_missing_folder(runner, tmp_path):
    result = runner.invoke(cli, ["foods", "build", str(tmp_path / "nope")])
    assert result.exit_code == 2


def test_foods_build_on_a_folder_without_sr28(runner, tmp_path):
    args = ["foods", "build", str(tmp_path), str(tmp_path), "--out", str(tmp_path / "o")]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert "FOOD_DES.txt is missing" in result.output


# --- entries, analyze, suggest, plan ---------------------------------------------------

EXAMPLE = "examples/diary.csv"
PROFILE = ["--age", "45", "--sex", "female"]


@pytest.fixture
def in_repo(monkeypatch):
    from pathlib import Path

    monkeypatch.chdir(Path(__file__).resolve().parents[1])


def test_entries_summary(runner, in_repo):
    result = runner.invoke(cli, ["entries", EXAMPLE])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "examples/diary.csv: planner CSV, 81 rows"
    assert lines[1].split()[:2] == ["used", "78"]
    assert "almonds" in result.output and "handful" in result.output


def test_entries_to_csv_and_refusing_to_overwrite(runner, in_repo, tmp_path):
    out = tmp_path / "entries.csv"
    result = runner.invoke(cli, ["entries", EXAMPLE, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "81 rows (78 used, 3 flagged, 0 rejected)" in result.output
    import pandas as pd

    written = pd.read_csv(out, dtype={"food_id": str})
    assert len(written) == 81
    columns = ["source_row", "date", "meal", "food_text", "amount_text", "food_id",
               "description", "grams", "status", "confidence", "reason",
               "magnesium_mg"]  # fmt: skip
    assert set(columns) <= set(written.columns)
    again = runner.invoke(cli, ["entries", EXAMPLE, "-o", str(out)])
    assert again.exit_code == 1
    assert again.output.startswith(f"Error: {out} already exists; use --force")
    forced = runner.invoke(cli, ["entries", EXAMPLE, "-o", str(out), "--force"])
    assert forced.exit_code == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"date,meal,food,amount,unit\n", "has a header row but no data rows"),
        (b"colour,shape\nred,round\n", "unrecognised diary format"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "is a PNG image, not a CSV file"),
    ],
)
def test_entries_bad_files(runner, tmp_path, content, message):
    path = tmp_path / "diary.csv"
    path.write_bytes(content)
    result = runner.invoke(cli, ["entries", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {path}")
    assert message in result.output
    assert "Traceback" not in result.output


def test_entries_missing_file(runner, tmp_path):
    result = runner.invoke(cli, ["entries", str(tmp_path / "nope.csv")])
    assert result.exit_code == 1
    assert "no such file" in result.output


def test_analyze_report(runner, in_repo):
    result = runner.invoke(cli, ["analyze", EXAMPLE, *PROFILE, "--no-suggest"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("planner analysis: female, 45 y; 2024-03-04 to 2024-03-10 (7 days)")
    assert "81 rows: 78 used, 3 flagged for review, 0 rejected" in " ".join(out.split())
    mg = next(line for line in out.splitlines() if line.startswith("Magnesium"))
    assert mg.split()[2:5] == ["mg", "320", "RDA"] and "below" in mg
    assert "Gaps, largest first" in out and " 1. Vitamin D:" in out
    assert "Rows to review (3)" in out
    for words in ("Fluids", "Stretching", "See a doctor", "Supplements", "diuretics"):
        assert words in out
    assert "not medical advice" in out
    assert "Foods that would close the gaps" not in out


def test_analyze_json_schema(runner, in_repo):
    import json

    result = runner.invoke(cli, ["analyze", EXAMPLE, *PROFILE, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for key in ("profile", "period", "nutrients", "days", "gaps", "top_foods", "rows",
                "accounting", "suggestions", "disclaimer"):  # fmt: skip
        assert key in data, key
    mg = next(n for n in data["nutrients"] if n["id"] == "magnesium_mg")
    for key in ("id", "unit", "mean_intake", "target", "percent_of_target", "ul", "status",
                "days_below", "completeness"):  # fmt: skip
        assert key in mg
    assert data["period"] == {"start": "2024-03-04", "end": "2024-03-10", "days": 7}
    assert len(data["rows"]) == 3
    assert set(data["suggestions"]) == {"ranked", "addon"}


def test_analyze_out_dir(runner, in_repo, tmp_path):
    out = tmp_path / "report"
    result = runner.invoke(cli, ["analyze", EXAMPLE, *PROFILE, "--out-dir", str(out),
                                 "--no-suggest"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "coverage.png", "daily.csv", "daily.png", "entries.csv", "summary.csv",
    ]  # fmt: skip
    again = runner.invoke(cli, ["analyze", EXAMPLE, *PROFILE, "--out-dir", str(out)])
    assert again.exit_code == 1 and "already exists; use --force" in again.output


def test_analyze_needs_a_profile(runner, in_repo):
    result = runner.invoke(cli, ["analyze", EXAMPLE])
    assert result.exit_code == 2
    assert "--age and --sex required" in result.output


def test_suggest_json(runner, in_repo):
    import json

    result = runner.invoke(cli, ["suggest", EXAMPLE, *PROFILE, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"ranked", "addon", "disclaimer"}
    foods = data["addon"]["foods"]
    assert 1 <= len(foods) <= 4
    for food in foods:
        assert {"id", "description", "family", "portions", "measure", "grams"} <= set(food)


def test_suggest_contradiction_is_an_error(runner, in_repo):
    result = runner.invoke(cli, ["plan", *PROFILE, "--vegan", "--include", "salmon"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: --include 'salmon' contradicts the restrictions")


def test_plan_text_and_json(runner, tmp_path):
    import json

    result = runner.invoke(cli, ["plan", *PROFILE])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("planner plan: female, 45 y; 1 day planned")
    for meal in ("breakfast", "lunch", "dinner", "snack 1", "snack 2"):
        assert meal in result.output
    out = tmp_path / "plan.csv"
    result = runner.invoke(cli, ["plan", *PROFILE, "--json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["status"] == "ok"
    assert {"profile", "days", "totals", "targets", "status"} <= set(data)
    assert data["days"][0]["meals"][0]["foods"][0].keys() >= {"id", "description", "portion",
                                                              "grams"}  # fmt: skip
    assert out.read_text().startswith("day,meal,")


@pytest.mark.parametrize("kind", ["coverage", "daily", "contributors", "before-after"])
def test_chart_each_kind(runner, in_repo, tmp_path, kind):
    out = tmp_path / f"{kind}.svg"
    result = runner.invoke(cli, ["chart", EXAMPLE, *PROFILE, "--kind", kind, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_chart_refuses_an_unknown_suffix_before_any_work(runner, in_repo, tmp_path):
    result = runner.invoke(cli, ["chart", EXAMPLE, *PROFILE, "-o", str(tmp_path / "c.txt")])
    assert result.exit_code == 1
    assert "a chart is written as .png, .svg or .pdf" in result.output


def test_plan_and_suggest_charts(runner, in_repo, tmp_path):
    plan_png = tmp_path / "plan.png"
    result = runner.invoke(cli, ["plan", *PROFILE, "--chart", str(plan_png)])
    assert result.exit_code == 0, result.output
    assert plan_png.read_bytes().startswith(b"\x89PNG")
    pdf = tmp_path / "addon.pdf"
    result = runner.invoke(cli, ["suggest", EXAMPLE, *PROFILE, "--chart", str(pdf)])
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF")


def test_format_help_names_every_format(runner):
    from planner.diary import FORMATS

    result = runner.invoke(cli, ["entries", "--help"])
    help_text = " ".join(result.output.split())
    for name in FORMATS:
        assert name in help_text.replace("- ", "-"), name


def test_kidney_disease_makes_potassium_no_target_and_no_gap(runner, in_repo):
    import json

    base = ["analyze", "examples/diary.csv", "--age", "45", "--sex", "female", "--json"]
    plain = json.loads(runner.invoke(cli, [*base, "--no-suggest"]).stdout)
    assert "potassium_mg" in {g["id"] for g in plain["gaps"]}  # short in the example

    result = runner.invoke(cli, [*base, "--kidney-disease"])
    assert result.exit_code == 0, result.output
    kidney = json.loads(result.stdout)
    assert "potassium_mg" not in {g["id"] for g in kidney["gaps"]}
    potassium = next(n for n in kidney["nutrients"] if n["id"] == "potassium_mg")
    assert potassium["status"] == "doctor_sets"
    assert any("renal dietitian" in note for note in kidney["notes"])
    closes = kidney["suggestions"]["addon"]["closes"]
    assert "potassium_mg" not in closes
    assert closes and all(c["closed"] for c in closes.values())  # the other gaps still close

    text = runner.invoke(cli, ["analyze", "examples/diary.csv", "--age", "45", "--sex",
                               "female", "--kidney-disease", "--no-suggest"]).stdout  # fmt: skip
    assert "doctor's call" in text
    assert "Potassium: 1," not in text.split("Gaps, largest first")[1]
