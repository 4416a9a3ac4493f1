"""Build planner's food table from USDA's raw releases: SR28 and FNDDS 2021-2023 + FPED.

Two sources, one table. SR28 (:mod:`planner.usda.sr28`) describes ingredients and single
foods in USDA's detail, with gaps (a value USDA never measured stays NaN). FNDDS
(:mod:`planner.usda.fndds`) describes foods as people eat them, with every value filled
by USDA, and FPED gives their Dietary Guidelines food-group equivalents. Ids stay USDA's:
5-character NDB numbers for SR28, 8-digit food codes for FNDDS, so they cannot collide.

The build (:func:`build_food_table`, ``planner foods build``) writes the compact files the
package ships: ``foods.csv``, ``portions.csv``, ``fped.csv`` and ``provenance.json``.
"""

from planner.usda.build import BuildResult, build_food_table, write_food_table

__all__ = ["BuildResult", "build_food_table", "write_food_table"]
