"""Result files: the same bytes whether one process writes them or two."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner import output
from planner.output import RESULT_FILES, write_csv, write_results


@pytest.fixture
def tables():
    rng = np.random.default_rng(3)
    n = 5001  # odd: the halves differ by a row
    text = np.array(["plain", "with, comma", 'with "quote"', "line\nbreak", "µg ✓", ""], object)
    frame = pd.DataFrame(
        {
            "person": [f"p{i % 7}" for i in range(n)],
            "text": text[rng.integers(0, len(text), n)],
            "value": np.where(rng.random(n) < 0.2, np.nan, rng.random(n) * 1000),
            "count": rng.integers(0, 50, n),
            "flag": rng.random(n) < 0.5,
        }
    )
    return frame.iloc[:3], frame, frame.iloc[::-1].reset_index(drop=True)


def _bytes(folder):
    return {name: (folder / name).read_bytes() for name in RESULT_FILES}


def _one_process(tables, folder):
    folder.mkdir()
    for name, frame in zip(RESULT_FILES, tables, strict=True):
        write_csv(frame, folder / name)
    return _bytes(folder)


def test_two_processes_write_what_one_writes(tables, tmp_path):
    jobs = [(tmp_path / name, frame) for name, frame in zip(RESULT_FILES, tables, strict=True)]
    output.write_in_two(jobs)
    assert _bytes(tmp_path) == _one_process(tables, tmp_path / "one")
    assert not list(tmp_path.glob("*.part"))  # the halves are joined and gone


def test_a_cohort_is_written_in_two(tables, tmp_path, monkeypatch):
    monkeypatch.setattr(output, "PARALLEL_ROWS", 0)
    write_results(tmp_path / "two", *tables)
    assert _bytes(tmp_path / "two") == _one_process(tables, tmp_path / "one")


def test_when_the_helper_cannot_start_this_process_writes_it_all(tables, tmp_path, monkeypatch):
    import multiprocessing

    def refuse(self):
        raise OSError("no fork here")

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", refuse)
    jobs = [(tmp_path / name, frame) for name, frame in zip(RESULT_FILES, tables, strict=True)]
    output.write_in_two(jobs)
    assert _bytes(tmp_path) == _one_process(tables, tmp_path / "one")
    assert not list(tmp_path.glob("*.part"))


def test_when_the_helper_fails_this_process_writes_its_half(tables, tmp_path, monkeypatch):
    real = output._write_parts

    def fails_when_forked(parts, forked=False):
        if forked:
            raise SystemExit(1)
        real(parts)

    monkeypatch.setattr(output, "_write_parts", fails_when_forked)
    jobs = [(tmp_path / name, frame) for name, frame in zip(RESULT_FILES, tables, strict=True)]
    output.write_in_two(jobs)
    assert _bytes(tmp_path) == _one_process(tables, tmp_path / "one")
