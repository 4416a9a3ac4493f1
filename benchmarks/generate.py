"""Generate realistic synthetic diaries for the benchmarks (seeded, so runs compare).

Food strings are real: planner's aliases (what people type), USDA descriptions (what old
Cronometer exports write) and the article's foods, varied the way diaries vary them: brand
prefixes, capitals, plurals and typos (a dropped, doubled or swapped letter). Amounts are
household amounts (``1 cup``, ``2 medium``, ``1/2 cup``, ``3 oz``, ``150 g``...). Each
person eats from a personal repertoire of foods over consecutive days.

A second shape, ``--shape usda``, writes food text the way a cohort written elsewhere
reads: each distinct text cut from a USDA description (its first one to three comma
parts, lower case), 30% of them with two adjacent letters swapped, and random household
amounts. It is slower to match than text close to the alias table.

Usage::

    python benchmarks/generate.py ROWS PEOPLE OUT.csv [--distinct N] [--seed S]
                                  [--shape aliases|usda]

writes a planner-format diary (``person,date,meal,food,amount,unit``) and, next to it,
``OUT.profiles.csv`` with one profile per person.
"""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MEALS = ("breakfast", "lunch", "dinner", "snack")
AMOUNTS = [
    ("1", "cup"), ("1/2", "cup"), ("2", "cup"), ("1", "medium"), ("2", "medium"),
    ("1", "large"), ("1", "slice"), ("2", "slice"), ("1", "oz"), ("3", "oz"), ("4", "oz"),
    ("100", "g"), ("150", "g"), ("30", "g"), ("1", "tbsp"), ("2", "tbsp"), ("1", "tsp"),
    ("1", ""), ("2", ""), ("1 1/2", "cup"), ("8", "fl oz"), ("12", "fl oz"),
]  # fmt: skip
BRANDS = ("Kirkland ", "Trader Joe's ", "Great Value ", "Organic ", "Homemade ", "Store brand ")


def base_strings() -> list[str]:
    """Real food strings: aliases, common USDA descriptions, the article's foods."""
    from planner.foods import load_article_foods, load_foods
    from planner.matching import load_aliases

    foods = load_foods()
    aliases = list(load_aliases())
    survey = foods.loc[foods["survey"] & foods["manufacturer"].eq(""), "description"]
    article = load_article_foods()
    return sorted(set(aliases) | set(survey.head(3000)) | set(article["name"]))


def typo(text: str, rng: np.random.Generator) -> str:
    """One slip of the fingers: drop, double or swap a letter."""
    if len(text) < 4:
        return text
    i = int(rng.integers(1, len(text) - 1))
    kind = rng.integers(3)
    if kind == 0:
        return text[:i] + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]


def vary(text: str, rng: np.random.Generator) -> str:
    roll = rng.random()
    if roll < 0.25:
        return BRANDS[rng.integers(len(BRANDS))] + text
    if roll < 0.45:
        return typo(text, rng)
    if roll < 0.60:
        return text.title()
    if roll < 0.70:
        return text + "s" if not text.endswith("s") else text[:-1]
    return text.upper() if roll < 0.72 else text + " "


def distinct_strings(n: int, rng: np.random.Generator) -> list[str]:
    base = base_strings()
    strings = dict.fromkeys(base)
    while len(strings) < n:
        strings.setdefault(vary(base[rng.integers(len(base))], rng).strip())
    return list(strings)[:n]


def usda_strings(n: int, rng: np.random.Generator) -> list[str]:
    """N distinct texts cut from USDA descriptions: the first 1-3 comma parts, lower case,
    30% with two adjacent letters swapped."""
    from planner.foods import load_foods

    descriptions = load_foods()["description"].to_numpy()
    strings: dict[str, None] = {}
    while len(strings) < n:
        parts = [p.strip() for p in str(descriptions[rng.integers(len(descriptions))]).split(",")]
        text = ", ".join(parts[: int(rng.integers(1, 4))]).lower()
        if rng.random() < 0.3 and len(text) > 3:
            i = int(rng.integers(1, len(text)))
            text = text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]
        strings.setdefault(text)
    return list(strings)


SHAPES = {"aliases": distinct_strings, "usda": usda_strings}


def generate(
    rows: int, people: int, out: Path, distinct: int = 20_000, seed: int = 0,
    shape: str = "aliases",
) -> None:  # fmt: skip
    rng = np.random.default_rng(seed)
    strings = SHAPES[shape](distinct, rng)
    per_person = max(1, rows // people)
    start = date(2024, 1, 1)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["person", "date", "meal", "food", "amount", "unit"])
        written = 0
        for p in range(people):
            n = per_person if p < people - 1 else rows - written
            # each person eats from their own repertoire, with favourites
            repertoire = rng.choice(len(strings), size=min(400, len(strings)), replace=False)
            weights = rng.zipf(1.6, size=len(repertoire)).astype(float)
            picks = rng.choice(repertoire, size=n, p=weights / weights.sum())
            amounts = rng.integers(len(AMOUNTS), size=n)
            meals = rng.integers(len(MEALS), size=n)
            for k in range(n):
                day = start + timedelta(days=k // 10)  # about ten entries a day
                amount, unit = AMOUNTS[amounts[k]]
                writer.writerow([f"p{p:04d}", day.isoformat(), MEALS[meals[k]],
                                 strings[picks[k]], amount, unit])  # fmt: skip
            written += n
    profiles = out.with_suffix(".profiles.csv")
    with open(profiles, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["person", "age", "sex"])
        for p in range(people):
            writer.writerow([f"p{p:04d}", int(rng.integers(18, 85)),
                             ("female", "male")[int(rng.integers(2))]])  # fmt: skip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("people", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--distinct", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="aliases")
    args = parser.parse_args(argv)
    generate(args.rows, args.people, args.out, args.distinct, args.seed, args.shape)
    print(f"wrote {args.rows:,} rows for {args.people:,} people to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
