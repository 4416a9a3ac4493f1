"""Measure the add-on on a folder of real diary exports: who has a gap, who gets an add-on.

Usage::

    python tools/measure_addons.py DIR [--age 45] [--sex female] [--csv OUT]

Every ``*.csv`` under ``DIR`` (subfolders included; names starting with ``_`` or ``.``,
and ``MANIFEST.csv``, are skipped) is read with planner's own reader, scored for the
given profile (default a woman of 45) and given :func:`planner.suggest.suggest_addon`.
Each diary ends in one of:

- ``unreadable``: planner stops with an error (the message is printed);
- ``no gap``: every panel nutrient meets its target on average;
- ``closed``: the add-on closes every gap;
- ``partial``: the add-on closes some gaps; the others say why;
- ``none``: no food helps within the limits.

For the last two, the open gaps and their reasons are printed (the nutrient, and for a
UL the limit and the days that fill it), with the ULs the diary itself reaches (the add-on
then adds at most 5% of them). The exports themselves are people's diaries from public
repositories and are not part of this repository.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.analysis import analyze  # noqa: E402
from planner.entries import read_entries  # noqa: E402
from planner.errors import PlannerError  # noqa: E402
from planner.limits import floor_sentence, limit_findings  # noqa: E402
from planner.suggest import suggest_addon  # noqa: E402
from planner.targets import Profile  # noqa: E402


def diaries(folder: Path) -> list[Path]:
    """The CSV files to measure, in name order."""
    found = []
    for path in sorted(folder.rglob("*.csv")):
        parts = path.relative_to(folder).parts
        if any(p.startswith(("_", ".")) for p in parts) or path.name == "MANIFEST.csv":
            continue
        found.append(path)
    return found


def measure(path: Path, profile: Profile) -> list[dict]:
    """One result per person in the diary (one for most exports)."""
    try:
        entries = read_entries(path)
        reports = analyze(entries, profile=profile)
    except PlannerError as exc:
        return [{"file": path, "person": "", "result": "unreadable", "detail": str(exc)}]
    results = []
    for person, report in reports.items():
        row = {
            "file": path,
            "person": person,
            "format": entries.attrs.get("label", ""),
            "days": report.period["days"],
            "gaps": list(report.gaps["name"]),
            "findings": [f["text"] for f in limit_findings(report)],
        }
        if report.gaps.empty:
            results.append({**row, "result": "no gap"})
            continue
        addon = suggest_addon(report)
        closes = addon.closes
        opened = closes[~closes["closed"]]
        if addon.foods.empty:
            result = "none"
        elif opened.empty:
            result = "closed"
        else:
            result = "partial"
        floors = addon.limits[addon.limits["floor"]] if len(addon.limits) else addon.limits
        results.append(
            {
                **row,
                "result": result,
                "foods": [f"{f['portion']} {f['name']}" for _, f in addon.foods.iterrows()],
                "open": [f"{c['name']}: {c['reason']}" for _, c in opened.iterrows()],
                "floors": [floor_sentence(r, r["added"]) for _, r in floors.iterrows()],
            }
        )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--age", type=float, default=45)
    parser.add_argument("--sex", default="female")
    parser.add_argument("--csv", type=Path, help="also write one row per diary to this CSV")
    args = parser.parse_args(argv)
    profile = Profile(args.age, args.sex)
    files = diaries(args.folder)
    if not files:
        print(f"no CSV files under {args.folder}")
        return 1
    results = [r for path in files for r in measure(path, profile)]
    wrap = textwrap.TextWrapper(width=100, initial_indent="    ", subsequent_indent="      ")
    for r in results:
        name = str(Path(r["file"]).relative_to(args.folder))
        head = f"{name}{' / ' + r['person'] if r['person'] else ''}: {r['result']}"
        if r["result"] == "unreadable":
            print(head)
            print(wrap.fill(r["detail"]))
            continue
        print(f"{head} ({r['format']}, {r['days']} days; gaps: {', '.join(r['gaps']) or '-'})")
        for line in r.get("foods", []):
            print(wrap.fill("+ " + line))
        for line in r.get("open", []) + r.get("floors", []) + r["findings"]:
            print(wrap.fill(line))
    counts = {k: sum(r["result"] == k for r in results) for k in
              ("unreadable", "no gap", "closed", "partial", "none")}  # fmt: skip
    scored = len(results) - counts["unreadable"]
    with_gap = counts["closed"] + counts["partial"] + counts["none"]
    print()
    print(f"{len(files)} files, {len(results)} diaries ({counts['unreadable']} unreadable)")
    print(f"{scored} scored; {with_gap} with a gap; {counts['no gap']} without")
    print(
        f"of the {with_gap} with a gap: {counts['closed'] + counts['partial']} get an add-on "
        f"({counts['closed']} close every gap, {counts['partial']} some), {counts['none']} none"
    )
    if args.csv:
        import pandas as pd

        frame = pd.DataFrame(results)
        for column in ("gaps", "foods", "open", "floors", "findings"):
            if column in frame:
                frame[column] = frame[column].map(
                    lambda v: " | ".join(v) if isinstance(v, list) else ""
                )
        frame.to_csv(args.csv, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
