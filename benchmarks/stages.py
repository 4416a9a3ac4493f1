"""Where the time of ``planner analyze --out-dir`` goes, stage by stage, in one process.

Usage, from the repository root::

    python benchmarks/stages.py DIARY PROFILES [--source DIR] [--json]

runs the stages of ``planner analyze DIARY --profiles PROFILES --out-dir (a temporary
folder)`` one after another and prints the wall time of each: reading the diary, building
the matcher, matching the distinct food texts, resolving the rows with the matches known
(amounts, nutrients, statuses and reasons), scoring, and writing the three files.
``--source`` imports planner from another checkout (to profile an older version the same
way). Timings are for reading, never asserted by a test.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def stages(diary: str, profiles: str) -> dict[str, float]:
    """Wall time [s] of each stage, and the peak memory [MB] of this process."""
    start = time.perf_counter()
    import pandas as pd

    from planner.analysis import analyze
    from planner.cli import write_analysis
    from planner.diary import read_diary
    from planner.entries import default_matcher, resolve_entries
    from planner.targets import read_profiles

    times = {"imports": time.perf_counter() - start}

    def timed(name, work):
        begin = time.perf_counter()
        result = work()
        times[name] = time.perf_counter() - begin
        return result

    rows = timed("read the diary", lambda: read_diary(diary))
    matcher = timed("build the matcher", default_matcher)
    texts = pd.unique(rows["food_text"])
    timed(f"match {len(texts):,} distinct food texts", lambda: matcher.match(texts))
    entries = timed("resolve the rows (matches known)", lambda: resolve_entries(rows, matcher))
    people = read_profiles(profiles)
    reports = timed("score", lambda: analyze(entries, profiles=people))
    folder = Path(tempfile.mkdtemp())
    try:
        timed("write the three files", lambda: write_analysis(reports, folder / "out", True))
    finally:
        shutil.rmtree(folder)
    times["total"] = time.perf_counter() - start
    times["peak memory [MB]"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return times


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("diary")
    parser.add_argument("profiles")
    parser.add_argument("--source", type=Path, default=ROOT, help="the planner checkout to use")
    parser.add_argument("--json", action="store_true", help="print the times as JSON")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.source.resolve()))
    times = stages(args.diary, args.profiles)
    if args.json:
        print(json.dumps(times))
    else:
        width = max(map(len, times))
        for name, value in times.items():
            print(f"{name:<{width}}  {value:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
