"""Turn the reference DRI table into planner's bundled targets table.

Usage: python tools/build_dri.py ../shared/reference/dri.csv planner/data/dri.csv

Keeps ages 1 year and up (infant feeding is out of scope), the µg rows for vitamin D (the
IU rows are the same values times 40), maps nutrient names to the registry's canonical
ids, and replaces the free-text UL notes with one category per row:

- all_sources:     the UL covers food, water and supplements together;
- supplements_only: the UL covers supplements and medicines only (magnesium);
- synthetic_only:  the UL covers synthetic forms from supplements and fortified foods
                   (folic acid, nicotinic acid); food-bound forms are exempt;
- none:            no UL is set.

Sodium keeps its chronic-disease risk reduction intake (CDRR) in its own column.
"""

from __future__ import annotations

import csv
import re
import sys

IDS = {
    "magnesium": "magnesium_mg",
    "potassium": "potassium_mg",
    "calcium": "calcium_mg",
    "vitamin_d": "vitamin_d_ug",
    "thiamin": "thiamin_mg",
    "riboflavin": "riboflavin_mg",
    "niacin": "niacin_mg",
    "vitamin_b6": "vitamin_b6_mg",
    "folate": "folate_dfe_ug",
    "vitamin_b12": "vitamin_b12_ug",
    "sodium": "sodium_mg",
    "protein": "protein_g",
}
COVERS = {
    "magnesium": "supplements_only",
    "calcium": "all_sources",
    "vitamin_d": "all_sources",
    "vitamin_b6": "all_sources",
    "niacin": "synthetic_only",
    "folate": "synthetic_only",
}
SOURCES = {
    "magnesium": "NASEM 2019 DRI summary tables (elements); UL from IOM 1997",
    "potassium": "NASEM 2019 DRI for Sodium and Potassium",
    "sodium": "NASEM 2019 DRI for Sodium and Potassium (AI and CDRR)",
    "calcium": "IOM 2011 DRI for Calcium and Vitamin D",
    "vitamin_d": "IOM 2011 DRI for Calcium and Vitamin D",
    "protein": "IOM 2005 DRI for macronutrients",
}
B_VITAMINS = "IOM 1998 DRI for thiamin, riboflavin, niacin, B6, folate and B12"


def convert(rows):
    out = []
    for r in rows:
        if r["unit"] == "IU" or float(r["age_min_years"]) < 1:
            continue
        stage = r["life_stage"].split()[0] if r["life_stage"][0].isalpha() else "none"
        cdrr = re.search(r"CDRR = (\d+)", r["ul_note"])
        has_ul = r["ul"] != ""
        out.append(
            {
                "nutrient_id": IDS[r["nutrient"]],
                "life_stage": r["life_stage"],
                "sex": r["sex"],
                "stage": stage,
                "age_min": r["age_min_years"],
                "age_max": r["age_max_years"],
                "target": r["rda_or_ai"],
                "kind": r["kind"],
                "ul": r["ul"],
                "ul_covers": COVERS.get(r["nutrient"], "none") if has_ul else "none",
                "cdrr": cdrr.group(1) if cdrr else "",
                "source": SOURCES.get(r["nutrient"], B_VITAMINS),
            }
        )
    return out


def main(src: str, dst: str) -> None:
    with open(src, encoding="utf-8") as fh:
        rows = convert(csv.DictReader(fh))
    with open(dst, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {dst}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
