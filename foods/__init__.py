"""planner's food composition table, built from USDA SR28 (installed as planner.foodtable)."""
