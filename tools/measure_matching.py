"""Measure how well planner matches diary food text to the food a dietitian would pick.

Usage: python tools/measure_matching.py [--table tests/data/food_strings.csv] [--time N]

Reads the accuracy table (columns ``text``, ``expected_id``, ``note``), matches every text
with ``FoodMatcher(load_foods())`` and prints the accuracy overall, for the texts that are
verbatim aliases, for those that are not, and for those that are neither an alias nor an
exact USDA description (the ones the suffix and fuzzy rules have to get right), then every
miss with what it matched, the confidence and the method.

``--time N`` also times matching N distinct made-up diary strings (common names, brands,
amounts and typos) with a fresh matcher, and prints strings per second.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.foods import load_foods  # noqa: E402
from planner.matching import CONFIDENT, FoodMatcher, load_aliases, normalise  # noqa: E402

TABLE = ROOT / "tests" / "data" / "food_strings.csv"


def measure(table: Path) -> int:
    cases = pd.read_csv(table, dtype=str, keep_default_na=False)
    foods = load_foods()
    aliases = load_aliases()
    exact = {normalise(d) for d in foods["description"]}
    matcher = FoodMatcher(foods)
    matches = matcher.match(cases["text"])

    keys = cases["text"].map(normalise)
    cases["alias"] = keys.isin(aliases)
    cases["exact"] = keys.isin(exact)
    cases["got"] = [matches[t].food_id for t in cases["text"]]
    cases["confidence"] = [matches[t].confidence for t in cases["text"]]
    cases["method"] = [matches[t].method for t in cases["text"]]
    cases["right"] = cases["got"] == cases["expected_id"]
    cases["sure"] = cases["right"] & (cases["confidence"] >= CONFIDENT)

    def line(label: str, part: pd.DataFrame) -> None:
        n = len(part)
        right, sure = int(part["right"].sum()), int(part["sure"].sum())
        print(
            f"{label:32} {right:4}/{n:<4} {right / max(n, 1):6.1%}"
            f"   (right and confident: {sure / max(n, 1):6.1%})"
        )

    shown = table.relative_to(ROOT) if table.is_relative_to(ROOT) else table
    print(f"{len(cases)} texts in {shown}\n")
    line("overall", cases)
    held = cases["note"].str.startswith("holdout")
    if held.any():  # rows written after the matcher was tuned, as a check on overfitting
        line("  written while tuning", cases[~held])
        line("  held out (written after)", cases[held])
        line("  held out, not aliases", cases[held & ~cases["alias"]])
    line("verbatim aliases", cases[cases["alias"]])
    line("not aliases", cases[~cases["alias"]])
    line("neither alias nor USDA exact", cases[~cases["alias"] & ~cases["exact"]])
    print("\nby method (how the match was made):")
    for method, part in cases.groupby("method"):
        line(f"  {method}", part)

    misses = cases[~cases["right"]]
    print(f"\n{len(misses)} miss(es):")
    described = foods["description"]
    for row in misses.itertuples():
        got = described.get(row.got, "(nothing)") if row.got else "(nothing)"
        note = matches[row.text].note
        print(f"  {row.text!r}")
        print(f"      expected {row.expected_id} {described[row.expected_id]}")
        print(f"      got      {row.got or '-----'} {got}")
        print(f"      {row.method}, confidence {row.confidence:.3f}{'; ' + note if note else ''}")
    return 0


# -- timing ------------------------------------------------------------------------------

BRANDS = [
    "Trader Joe's", "Kirkland", "Great Value", "Organic", "365", "Kroger", "Simple Truth",
    "Market Pantry", "Good & Gather", "Wegmans", "Aldi", "Whole Foods", "Signature Select",
]  # fmt: skip
AMOUNTS = ["1 cup", "2", "half", "a handful of", "1 slice", "large", "small", "medium", "3 oz"]
TAILS = ["raw", "cooked", "fresh", "organic", "homemade", "plain", "sliced", "chopped"]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:  # drop a letter
        return word[:i] + word[i + 1 :]
    if kind == 1:  # double a letter
        return word[:i] + word[i] + word[i:]
    if kind == 2:  # swap two letters
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    return word[:i] + rng.choice("aeiou") + word[i + 1 :]  # wrong vowel


def diary_strings(n: int, seed: int = 28) -> list[str]:
    """N distinct, realistic-looking diary strings: names, brands, amounts, USDA-ish forms,
    and about a third with a typo."""
    rng = random.Random(seed)
    foods = load_foods()
    names = sorted(set(load_aliases()))
    heads = sorted({d.split(",")[0].strip() for d in foods["description"]})
    out: dict[str, None] = {}
    while len(out) < n:
        base = rng.choice(names) if rng.random() < 0.7 else rng.choice(heads).lower()
        words = base.split()
        if rng.random() < 0.35:
            j = rng.randrange(len(words))
            words[j] = _typo(words[j], rng)
        text = " ".join(words)
        style = rng.random()
        if style < 0.2:
            text = f"{rng.choice(BRANDS)} {text.title()}"
        elif style < 0.35:
            text = f"{rng.choice(AMOUNTS)} {text}"
        elif style < 0.5:
            text = f"{text.title()}, {rng.choice(TAILS).title()}"
        elif style < 0.55:
            text = rng.choice(foods["description"].tolist())
        out.setdefault(text)
    return list(out)


def time_matching(n: int) -> None:
    texts = diary_strings(n)
    foods = load_foods()
    start = time.perf_counter()
    matcher = FoodMatcher(foods)
    built = time.perf_counter()
    matches = matcher.match(texts)
    done = time.perf_counter()
    methods = pd.Series([m.method for m in matches.values()]).value_counts()
    print(f"\ntiming {len(texts)} distinct diary strings (cold matcher):")
    print(f"  build the matcher      {built - start:7.3f} s")
    print(f"  match the strings      {done - built:7.3f} s  ({len(texts) / (done - built):,.0f}/s)")
    print(f"  end to end             {done - start:7.3f} s  ({len(texts) / (done - start):,.0f}/s)")
    print("  methods: " + ", ".join(f"{k} {v}" for k, v in methods.items()))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", type=Path, default=TABLE)
    parser.add_argument("--time", type=int, default=0, metavar="N")
    args = parser.parse_args(argv)
    status = measure(args.table.resolve())
    if args.time:
        time_matching(args.time)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
