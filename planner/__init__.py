"""planner: find the gaps in what a person eats and close them with real food.

The public API is imported lazily, so ``import planner`` (and ``planner --help``) stays
fast; pandas, scipy and matplotlib load only when a function that needs them is used.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it
_API = {
    "load_foods": "planner.foods",
    "load_portions": "planner.foods",
    "load_article_foods": "planner.foods",
    "search_foods": "planner.foods",
    "targets_for": "planner.targets",
    "energy_target": "planner.targets",
    "Profile": "planner.targets",
    "nutrients": "planner.nutrients",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'planner' has no attribute {name!r}")
