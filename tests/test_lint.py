"""ruff lint and format checks run as part of the test suite."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ruff() -> list[str]:
    # ``python -m ruff`` finds the ruff of the interpreter running the tests, whether or
    # not its bin folder is on PATH (CI calls .venv/bin/python directly).
    if importlib.util.find_spec("ruff") is None:
        pytest.fail("ruff is not installed; install the test extra: pip install '.[test]'")
    return [sys.executable, "-m", "ruff"]


def test_ruff_check(ruff):
    out = subprocess.run([*ruff, "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_ruff_format(ruff):
    out = subprocess.run(
        [*ruff, "format", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout + out.stderr
