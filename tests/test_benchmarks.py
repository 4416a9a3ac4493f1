"""The benchmark's diary generator keeps producing diaries planner reads (no timings here)."""

from __future__ import annotations

from pathlib import Path

from conftest import load_script

from planner.entries import account, read_entries
from planner.targets import read_profiles

ROOT = Path(__file__).resolve().parents[1]


def _generator():
    return load_script("benchmarks/generate.py")


def test_generated_cohort_is_read_and_reconciles(tmp_path):
    path = tmp_path / "cohort.csv"
    _generator().generate(2_000, 5, path, distinct=500, seed=3)
    entries = read_entries(path)
    counts = account(entries)
    assert counts.rows == 2_000 and counts.reconciles
    assert counts.used > counts.rows // 4  # real food strings: most match
    assert set(entries["person"]) == set(read_profiles(path.with_suffix(".profiles.csv")))


def test_generation_is_seeded(tmp_path):
    generate = _generator().generate
    generate(300, 2, tmp_path / "a.csv", distinct=200, seed=7)
    generate(300, 2, tmp_path / "b.csv", distinct=200, seed=7)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
