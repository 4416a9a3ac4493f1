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
    assert lines[0].split() == ["id", "description", "group"]
    assert lines[2].startswith("09040  Bananas, raw")


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
    result = runner.invoke(cli, ["foods", "build", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "FOOD_DES.txt is missing" in result.output
