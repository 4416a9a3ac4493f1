"""Bundled reference tables: the nutrient registry, export headers and DRI targets."""
