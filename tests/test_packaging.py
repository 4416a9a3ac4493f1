"""The package installs from a wheel and finds its data through importlib.resources."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CHECK = """
import sys
from importlib import resources
import planner
from planner.foods import load_foods, load_fped, load_article_foods
from planner.usda import build_food_table
assert planner.__file__.startswith(sys.prefix), planner.__file__
entry = resources.files("planner.foodtable").joinpath("foods.csv")
assert entry.is_file(), entry
foods = load_foods()
assert len(foods) == 8789 + 5431
assert foods.loc["09040", "potassium_mg"] == 358.0
assert foods.loc["63107010", "potassium_mg"] == 326.0
assert len(load_fped()) == 5028
from planner.report_html import _template
assert _template().filename.startswith(sys.prefix), _template().filename  # the HTML report's
print("ok", planner.__file__)
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            out,
            ROOT,
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("planner-*.whl")
    return wheel


def test_wheel_carries_the_built_table_and_not_the_raw_release(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for data in ("foods.csv", "portions.csv", "fped.csv", "provenance.json", "article_foods.csv"):
        assert f"planner/foodtable/{data}" in names
    for data in ("nutrients.csv", "export_headers.csv", "dri.csv", "food_groups.csv"):
        assert f"planner/data/{data}" in names
    assert not [n for n in names if n.upper().endswith(("NUT_DATA.TXT", "FOOD_DES.TXT", ".XLSX"))]
    assert "planner/usda/fndds.py" in names
    assert "planner/templates/report.html.j2" in names


@pytest.mark.slow
def test_installed_wheel_loads_the_table_from_its_own_copy(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
         wheel],
        check=True,
        capture_output=True,
    )  # fmt: skip
    # Then the test environment's packages (pandas and friends) are appended to the new
    # venv's path by a .pth file (after the install, or pip would think planner is already
    # there); the venv's own site-packages comes first, so planner is the wheel's copy.
    purelib = sysconfig.get_paths()["purelib"]
    (site_packages(python) / "deps.pth").write_text(purelib + "\n", encoding="utf-8")
    out = subprocess.run(
        [python, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok ")
    assert str(env_dir) in out.stdout
    cli = subprocess.run(
        [env_dir / "bin" / "planner", "foods", "search", "banana", "raw", "--limit", "1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "63107010  fndds" in cli.stdout


def site_packages(python: Path) -> Path:
    out = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip())
