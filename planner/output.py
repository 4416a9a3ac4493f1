"""Write result tables to CSV quickly.

pandas' own ``to_csv`` formats every float in Python and takes about 15 s per million rows
of a results table; Apache Arrow's CSV writer does the same in about 1.5 s, which is what
keeps ``planner analyze --out-dir`` on a cohort from spending most of its time writing.

Arrow's writer formats numbers on one core and holds the GIL while it does, so threads do
not help. For a cohort's results (:data:`PARALLEL_ROWS` rows or more, where
:func:`planner.workers.can_fork`) a forked process writes the second half of every table
while this one writes the first, and the halves are joined: the same bytes in about half
the time.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from planner.workers import can_fork

if TYPE_CHECKING:  # pandas is imported by whoever has a frame; the CLI imports this early
    import pandas as pd
    import pyarrow as pa

# What `planner analyze --out-dir` writes, whichever engine scored the diary.
RESULT_FILES = ("summary.csv", "daily.csv", "entries.csv")
# Below this many rows in all, one process writes everything: forking costs more than the
# second core saves.
PARALLEL_ROWS = 200_000
PART = ".part"  # the forked writer's half of a file, until it is joined on


def write_csv(frame: pd.DataFrame, path) -> Path:
    """Write ``frame`` (without its index) to ``path`` as UTF-8 CSV with LF line ends.

    Unknown values are written as empty cells, never as zero.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = write_csv(pd.DataFrame({"food": ["banana, raw"], "mg": [float("nan")]}), path)
    >>> path.read_text()
    'food,mg\\n"banana, raw",\\n'
    """
    path = Path(path)
    _write(_arrow(frame), path, _header(frame))
    return path


def write_results(folder, summary: pd.DataFrame, daily: pd.DataFrame, entries: pd.DataFrame):
    """Write an analysis's three tables into ``folder`` as :data:`RESULT_FILES`.

    Returns the names written. Existing files are overwritten (the CLI checks first).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    frames = (summary, daily, entries)
    jobs = [(folder / name, frame) for name, frame in zip(RESULT_FILES, frames, strict=True)]
    if sum(len(f) for f in frames) < PARALLEL_ROWS or not can_fork():
        for path, frame in jobs:
            write_csv(frame, path)
    else:
        write_in_two(jobs)
    return list(RESULT_FILES)


def write_in_two(jobs: list[tuple[Path, pd.DataFrame]]) -> None:
    """Write each ``(path, frame)`` as :func:`write_csv` does, with a forked process writing
    the second half of every table.

    If the forked writer fails (or cannot start), this process writes its halves too, so
    the files are complete or the error is raised here.
    """
    import multiprocessing

    tables = [(Path(path), _arrow(frame), _header(frame)) for path, frame in jobs]
    halves = [(path, table, table.num_rows // 2, header) for path, table, header in tables]
    theirs = [(_part(path), table.slice(half)) for path, table, half, _ in halves]
    try:
        helper = multiprocessing.get_context("fork").Process(
            target=_write_parts, args=(theirs, True), daemon=True
        )
        helper.start()
    except (AssertionError, OSError):  # a daemonic process (a Dask worker) cannot fork
        helper = None
    try:
        for path, table, half, header in halves:
            _write(table.slice(0, half), path, header)
        if helper is not None:
            helper.join()
        if helper is None or helper.exitcode != 0:
            _write_parts(theirs)
        for path, _, _, _ in halves:
            _append(_part(path), path)
    finally:
        if helper is not None and helper.is_alive():
            helper.kill()
            helper.join()
        for path, _, _, _ in halves:
            _part(path).unlink(missing_ok=True)


def _write_parts(parts: list[tuple[Path, pa.Table]], forked: bool = False) -> None:
    try:
        for path, table in parts:
            _write(table, path, b"")
    except Exception:
        if not forked:
            raise
        sys.exit(1)  # quietly: the parent writes these parts itself and reports any error


def _append(part: Path, path: Path) -> None:
    """Move the bytes of ``part`` onto the end of ``path`` (in the kernel where it can)."""
    import shutil

    with open(path, "r+b", buffering=0) as out, open(part, "rb", buffering=0) as tail:
        out.seek(0, os.SEEK_END)
        left = os.fstat(tail.fileno()).st_size
        copy_range = getattr(os, "copy_file_range", None)
        try:
            while left > 0 and copy_range is not None:
                copied = copy_range(tail.fileno(), out.fileno(), left)
                if not copied:
                    break
                left -= copied
        except OSError:  # not between these two files here: copy what is left below
            pass
        shutil.copyfileobj(tail, out, 1 << 24)  # nothing left when the kernel copied it all
    part.unlink()


def _part(path: Path) -> Path:
    return path.with_name(path.name + PART)


def _header(frame: pd.DataFrame) -> bytes:
    import csv
    import io

    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow([str(c) for c in frame.columns])
    return header.getvalue().encode("utf-8")  # Arrow would quote every header


def _arrow(frame: pd.DataFrame) -> pa.Table:
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False)


def _write(table: pa.Table, path: Path, header: bytes) -> None:
    import pyarrow.csv as pacsv

    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
    with open(path, "wb") as fh:
        fh.write(header)
        pacsv.write_csv(table, fh, write_options=options)
