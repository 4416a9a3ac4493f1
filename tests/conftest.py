"""Shared fixtures for the test suite."""

from __future__ import annotations

import importlib.util
import os
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The raw SR28 release is not part of the repository (only the built table is). Tests that
# rebuild from it look here and skip when it is absent.
SR28_DIR = Path(os.environ.get("PLANNER_SR28_DIR", "/work/shared/usda-sr-legacy"))
FNDDS_DIR = Path(os.environ.get("PLANNER_FNDDS_DIR", "/work/shared/usda-fndds-2021-2023"))


@cache
def load_script(relative: str):
    """A script of the repository (tools/, benchmarks/) imported as a module, once."""
    path = ROOT / relative
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def sr28_dir() -> Path:
    if not (SR28_DIR / "FOOD_DES.txt").exists():
        pytest.skip(f"raw SR28 release not found at {SR28_DIR} (set PLANNER_SR28_DIR)")
    return SR28_DIR


@pytest.fixture
def fndds_dir() -> Path:
    if not (FNDDS_DIR / "FPED_1718.csv").exists():
        pytest.skip(f"raw FNDDS 2021-2023 files not found at {FNDDS_DIR} (set PLANNER_FNDDS_DIR)")
    return FNDDS_DIR


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture
def forking(monkeypatch):
    """Work is shared with forked processes even though earlier tests (Dask's) left idle
    threads in this process, which planner.workers would otherwise refuse to fork beside."""
    from planner import workers

    monkeypatch.delenv("PLANNER_PROCESSES", raising=False)
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    if not workers.can_fork():
        pytest.skip("no fork here (not Linux, or one core)")
