"""Match the food text people log to a food of the table, with a confidence learnt from data.

- :mod:`planner.matching.text`: one spelling per word, and what each word of a line is worth;
- :mod:`planner.matching.index`: every food's texts and words as sparse matrices;
- :mod:`planner.matching.features`: what is compared between a line and a food;
- :mod:`planner.matching.model`: the learnt ranker and calibrator, and their thresholds;
- :mod:`planner.matching.matcher`: :class:`FoodMatcher`, the rules and the memo.
"""

from __future__ import annotations

from planner.matching.matcher import (
    PARALLEL_MIN_TEXTS,
    FoodMatcher,
    Match,
    load_aliases,
    read_overrides,
    status_for,
)
from planner.matching.text import normalise

__all__ = [
    "CONFIDENT",
    "PARALLEL_MIN_TEXTS",
    "PLAUSIBLE",
    "FoodMatcher",
    "Match",
    "load_aliases",
    "normalise",
    "read_overrides",
    "status_for",
]


def __getattr__(name: str):
    # the thresholds are the fitted model's, read when first asked for
    if name in ("CONFIDENT", "PLAUSIBLE"):
        from planner.matching.model import load_model

        model = load_model()
        return model.matched if name == "CONFIDENT" else model.plausible
    raise AttributeError(f"module 'planner.matching' has no attribute {name!r}")
