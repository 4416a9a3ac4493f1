"""Measure planner against its speed and scale targets and print a table.

Each measurement is the median of several runs; end-to-end runs happen in a fresh
process, and their peak memory (maximum resident set size) is reported too. Tests never
assert timings: this script is where they are measured.

Usage, from the repository root::

    python benchmarks/run.py                 # every benchmark (several minutes)
    python benchmarks/run.py --quick         # smaller diaries, fewer repeats
    python benchmarks/run.py --write         # also write the table into benchmarks/README.md
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import distinct_strings, generate  # noqa: E402


def peak_of(args: list[str]) -> float:
    """Peak RSS [MB] of one run, measured by the child itself (GNU time is not needed)."""
    probe = (
        "import resource, runpy, sys; sys.argv = sys.argv[1:]\n"
        "try:\n    runpy.run_module('planner', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, "planner", *args], cwd=ROOT, capture_output=True, text=True
    )
    return int(out.stderr.strip().splitlines()[-1]) / 1024


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_analyze(
    rows: int, people: int, distinct: int, repeats: int, work: Path, shape: str = "aliases"
) -> list:
    diary = work / f"diary-{shape}-{rows}.csv"
    generate(rows, people, diary, distinct=distinct, seed=0, shape=shape)
    profiles = diary.with_suffix(".profiles.csv")
    out_dir = work / f"out-{shape}-{rows}"
    args = ["analyze", str(diary), "--profiles", str(profiles), "--out-dir", str(out_dir),
            "--force", "--no-suggest"]  # fmt: skip

    def planner_run() -> None:
        subprocess.run([sys.executable, "-m", "planner", *args], cwd=ROOT, check=True,
                       capture_output=True)  # fmt: skip

    def pandas_run() -> None:
        code = f"import pandas as pd; pd.read_csv({str(diary)!r})"
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)

    seconds = median_time(planner_run, repeats)
    baseline = median_time(pandas_run, repeats)
    peak = peak_of(args)
    size = diary.stat().st_size / 1e6
    pool = SHAPE_LABELS[shape].format(distinct=distinct)
    label = f"analyze {rows:,} rows, {people:,} people, {pool} ({size:.0f} MB)"
    return [
        (label, f"{seconds:.1f} s", "< 20 s (1M rows)"),
        ("  pandas.read_csv of the same file", f"{baseline:.1f} s", ""),
        ("  ratio to pandas.read_csv", f"{seconds / baseline:.1f}x", "< 3x"),
        ("  peak memory (RSS)", f"{peak:,.0f} MB", "< 2,048 MB"),
    ]


SHAPE_LABELS = {
    "aliases": "{distinct:,}-string pool",
    "usda": "{distinct:,}-string pool cut from USDA descriptions",
}


def bench_stages(rows: int, people: int, distinct: int, work: Path) -> list:
    """Where the time of one run on the USDA-shaped cohort goes (benchmarks/stages.py)."""
    import json

    diary = work / f"diary-usda-{rows}.csv"
    if not diary.exists():
        generate(rows, people, diary, distinct=distinct, seed=0, shape="usda")
    profiles = diary.with_suffix(".profiles.csv")
    out = subprocess.run(
        [sys.executable, str(HERE / "stages.py"), str(diary), str(profiles), "--json"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    times = json.loads(out.stdout.strip().splitlines()[-1])

    def target(name: str) -> str:
        if name.startswith("match"):
            return "< 8 s"
        return (
            "< 5 s with writing"
            if name == "score"
            else "< 5 s with scoring" * (name.startswith("write"))
        )

    return [
        (f"  stage: {name}", f"{value:.1f} s", target(name))
        for name, value in times.items()
        if name not in ("total", "peak memory [MB]")
    ]


def bench_matching(n: int, repeats: int) -> list:
    import numpy as np

    from planner.foods import load_foods
    from planner.matching import FoodMatcher

    strings = distinct_strings(20_000, np.random.default_rng(1))[-n:]
    foods = load_foods()
    rates = []
    for _ in range(repeats):
        matcher = FoodMatcher(foods)  # cold: nothing memoised
        start = time.perf_counter()
        matcher.match(strings)
        rates.append(n / (time.perf_counter() - start))
    return [(f"matching {n:,} distinct varied strings (cold)",
             f"{statistics.median(rates):,.0f} /s", ">= 3,000 /s")]  # fmt: skip


def bench_startup(repeats: int) -> list:
    help_time = median_time(
        lambda: subprocess.run([sys.executable, "-m", "planner", "--help"], check=True,
                               capture_output=True), repeats)  # fmt: skip
    code = (
        "import time, pandas; t = time.perf_counter(); "
        "from planner.foods import load_foods; load_foods(); "
        "print(time.perf_counter() - t)"
    )
    loads = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
            ).stdout
        )
        for _ in range(repeats)
    ]
    return [
        ("planner --help (fresh process)", f"{help_time:.2f} s", "< 0.5 s"),
        ("food table load (14,220 foods, pandas imported)",
         f"{statistics.median(loads):.3f} s", "< 0.2 s"),
    ]  # fmt: skip


def bench_plan(repeats: int) -> list:
    from planner.candidates import Restrictions
    from planner.plan import plan_days
    from planner.targets import Profile

    profile = Profile(45, "female")
    plan_days(profile)  # warm the caches (food table, plan pool)
    seeds = range(max(3, repeats))
    day = statistics.median(median_time(lambda s=s: plan_days(profile, seed=s), 1) for s in seeds)
    week = median_time(lambda: plan_days(profile, days=7, seed=1), max(1, repeats // 2))
    others = {
        "boy, 4": (Profile(4, "male"), Restrictions()),
        "pregnant, 25": (Profile(25, "female", pregnant=True), Restrictions()),
        "man, 70, no dairy": (Profile(70, "male"), Restrictions(no_dairy=True)),
        "woman, 45, vegan": (Profile(45, "female"), Restrictions(vegan=True)),
        "woman, 80": (Profile(80, "female"), Restrictions()),
    }
    times = [
        median_time(lambda p=p, r=r, s=s: plan_days(p, restrictions=r, seed=s), 1)
        for p, r in others.values()
        for s in seeds
    ]

    def cli() -> None:
        subprocess.run([sys.executable, "-m", "planner", "plan", "--age", "45", "--sex",
                        "female"], cwd=ROOT, check=True, capture_output=True)  # fmt: skip

    end_to_end = median_time(cli, repeats)
    return [
        (f"plan one day (woman, 45; median of {len(seeds)} seeds)", f"{day:.2f} s", "< 1.5 s"),
        (
            f"plan one day (5 more profiles x {len(seeds)} seeds; median)",
            f"{statistics.median(times):.2f} s",
            "< 1.5 s",
        ),
        ("  slowest of those", f"{max(times):.2f} s", ""),
        ("plan a week (woman, 45)", f"{week:.1f} s", "< 15 s"),
        ("planner plan, one day, end to end (fresh process)", f"{end_to_end:.1f} s", ""),
    ]


def machine() -> str:
    cpus = os.cpu_count()
    return f"{platform.machine()}, {cpus} cores, Python {platform.python_version()}"


def table(rows: list) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    head = ["measure", "result", "target"]
    widths = [max(w, len(h)) for w, h in zip(widths, head, strict=True)]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |"]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
    return "\n".join(lines)


def _update_rows(readme: Path, rows: list, group: str) -> None:
    """Replace the rows of one group (``plan`` or ``analyze``) of the README's table, keeping
    every other row as it was."""
    body = readme.read_text(encoding="utf-8")
    start, end = "<!-- results -->", "<!-- /results -->"
    head, rest = body.split(start)
    block, tail = rest.split(end, 1)
    lines = block.strip("\n").splitlines()
    intro = [line for line in lines if not line.startswith("|")]
    old = [line for line in lines if line.startswith("|")][2:]
    cells = [[c[1:].rstrip() for c in line.strip()[1:-1].split("|")] for line in old]
    groups, current = [], None
    for r in cells:  # an indented row belongs to the row above it
        if not r[0].startswith("  "):
            current = "plan" if r[0].startswith(("plan ", "planner plan")) else r[0].split()[0]
        groups.append(current)
    kept = [r for r, g in zip(cells, groups, strict=True) if g != group]
    at = next((i for i, g in enumerate(groups) if g == group), len(kept))
    at = min(at, len(kept))
    merged = [tuple(r) for r in kept[:at]] + list(rows) + [tuple(r) for r in kept[at:]]
    text = "\n".join(intro).strip() + "\n\n" + table(merged)
    readme.write_text(f"{head}{start}\n{text}\n{end}{tail}", encoding="utf-8")


def analyze_rows(quick: bool, repeats: int) -> list:
    """The cohort rows: the alias-shaped and the USDA-shaped cohort, and where the time of
    the second goes."""
    rows_n = 100_000 if quick else 1_000_000
    people = 100 if quick else 1_000
    with tempfile.TemporaryDirectory() as work:
        results = bench_analyze(rows_n, people, 20_000, repeats, Path(work))
        results += bench_analyze(rows_n, people, 20_000, repeats, Path(work), shape="usda")
        results += bench_stages(rows_n, people, 20_000, Path(work))
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller diaries, fewer repeats")
    parser.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    parser.add_argument(
        "--only",
        choices=["plan", "analyze"],
        help="run these benchmarks only (--write then updates their rows)",
    )
    args = parser.parse_args(argv)
    repeats = 2 if args.quick else 3
    if args.only:
        rows = bench_plan(3) if args.only == "plan" else analyze_rows(args.quick, repeats)
        print(table(rows))
        if args.write:
            _update_rows(HERE / "README.md", rows, args.only)
        return 0
    results = []
    results += bench_startup(5)
    results += bench_matching(2_000, repeats)
    results += bench_plan(repeats)
    results += analyze_rows(args.quick, repeats)
    text = table(results)
    print(f"machine: {machine()}; medians of {repeats} runs\n")
    print(text)
    if args.write:
        readme = HERE / "README.md"
        body = readme.read_text(encoding="utf-8") if readme.exists() else ""
        start, end = "<!-- results -->", "<!-- /results -->"
        block = (f"{start}\nMeasured on {time.strftime('%Y-%m-%d')}, {machine()}; medians of "
                 f"{repeats} runs.\n\n{text}\n{end}")  # fmt: skip
        if start in body:
            body = body.split(start)[0] + block + body.split(end, 1)[1]
        else:
            body += "\n" + block + "\n"
        readme.write_text(body, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
