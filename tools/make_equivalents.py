"""Work out the same food in the other USDA table for every bundled food, once.

Usage: python tools/make_equivalents.py [--write]

:meth:`planner.matching.FoodMatcher.equivalents` reads a measure a food lacks through the
same food in the other table (SR28 <-> FNDDS). Working that out matches the food's
description against the other table (about 4,000 foods a second), which a cohort that
names thousands of foods would pay for on every run; so it is done here, for all of the
bundled table's foods, and stored in ``planner/data/equivalents.json`` with the SHA-256 of
the files it follows from (the food table, the alias table and the match model). planner
uses the stored answers only while those files are unchanged, and
``tests/test_matching.py`` checks that they are what the matcher works out now: run this
again (with ``--write``) after changing the food table, the aliases, the model or the
matching code.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.foods import load_foods  # noqa: E402
from planner.matching import FoodMatcher  # noqa: E402
from planner.matching.matcher import EQUIVALENTS_FILE, equivalents_made_from  # noqa: E402

TARGET = ROOT / "planner" / "data" / EQUIVALENTS_FILE


def work_out() -> dict:
    """The file's contents: what it was made from, and each food's equivalent (foods
    without one are left out)."""
    foods = load_foods()
    found = FoodMatcher(foods).work_out_equivalents(foods.index)
    return {
        "about": "The same food in the other USDA table, per bundled food (foods without "
        "one are left out); made by tools/make_equivalents.py and used only while the "
        "files below are unchanged.",
        "made_from": equivalents_made_from(),
        "equivalents": {food: other for food, other in sorted(found.items()) if other},
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {TARGET.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    made = work_out()
    seconds = time.perf_counter() - start
    print(f"{len(made['equivalents']):,} of {len(load_foods()):,} foods have an equivalent "
          f"({seconds:.1f} s)")  # fmt: skip
    if args.write:
        TARGET.write_text(json.dumps(made, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
