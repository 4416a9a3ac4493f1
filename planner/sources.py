"""Where every number comes from: supplements apart from food, and values filled from USDA.

Supplements
-----------
A diary row is a *supplement* when the export says so (Cronometer's ``Category``
"Supplements"; in a diary without categories, a ``meal`` or group of supplements, vitamins
or medications) or when its text reads as one (:func:`looks_like_supplement`: a dosage form
such as capsule or softgel, a salt such as magnesium glycinate, a dose in mg, µg or IU
after a vitamin or mineral, a bare "Vitamin D3"). A supplement is never matched to a food:
its nutrients are the export's own values for the row, counted toward intake and summed
apart from food (:func:`split_by_source`).

A supplement row's blank cell means the supplement *declares none* of that nutrient (its
label lists what it holds), so it is read as 0 for that row and is not missing data; a
supplement row with no value at all is flagged for review, since nothing is known about
what it holds. A supplement's ``Folate (µg)`` is read as µg DFE, as recent Cronometer
exports give folate and as US labels have declared it since 2020; the folic acid checked
against the folate UL is that DFE divided by :data:`DFE_PER_FOLIC_ACID` (1.7, the label
factor for folic acid taken with food).

Upper limits against what they cover
------------------------------------
:func:`ul_amounts` gives, per row, the amount each UL is checked on (:data:`UL_FORMS`):

- magnesium: magnesium from supplements only (the UL covers supplements and medicines);
- folate: folic acid, from fortified foods (the food table's ``folic_acid_ug``) and from
  supplements;
- niacin: niacin from supplements and from fortified foods (:func:`fortified_foods`: added
  folic acid, "fortified" or "enriched" in the description, ready-to-eat cereals); the
  food's whole niacin is counted, an upper estimate of the added part;
- calcium, vitamin D, vitamin B6: the total, food and supplements;
- sodium: the total, against its CDRR.

Filled values
-------------
Where an export row has values but leaves a cell blank, planner fills it from the matched
USDA food; ``entries['filled']`` lists those nutrients per row (``;``-separated ids) and
:func:`fills_by_nutrient` says how many values were filled and what they add per day.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pandas as pd

from planner import nutrients as registry
from planner.columns import each_distinct, factorize

DFE_PER_FOLIC_ACID = 1.7  # µg DFE per µg of folic acid taken with food (21 CFR 101.9)

# Words that make a text a supplement or medicine wherever they stand (on normalised,
# singular text: "capsules" reads "capsule").
SUPPLEMENT_WORDS = re.compile(
    r"\b(supplement|capsule|tablet|softgel|caplet|lozenge|multivitamin|multi vitamin|"
    r"\d+\s*iu|citrate|glycinate|bisglycinate|threonate|picolinate|malate|taurate|orotate|"
    r"gluconate|chelate|oxide|gummy vitamin|vitamin gummy|vitamin gummies|pill|medication|"
    r"medicine|"
    r"ibuprofen|aspirin|acetaminophen|paracetamol|cholecalciferol|ergocalciferol|"
    r"cyanocobalamin|methylcobalamin|methylfolate|niacinamide|nicotinic acid|"
    r"b complex|prenatal vitamin|prenatal|women multi|men multi|daily multi|one a day|"
    r"advil|tylenol|motrin|aleve|melatonin|creatine|metamucil|psyllium|probiotic)\b"
)
_NUTRIENT = (
    r"(vitamin|vit) ?(a|b ?\d{1,2}|c|d ?\d?|e|k ?\d?)|magnesium|calcium|zinc|iron|potassium|"
    r"folic acid|folate|niacin|biotin|selenium|iodine|b\d{1,2}|d3|k2"
)
# A vitamin or mineral with a dose ("Magnesium 400mg", "Vitamin D3 50 mcg").
_DOSE = re.compile(rf"\b({_NUTRIENT})\b.*\b\d+ ?(mg|mcg|ug|iu)\b")
# A vitamin or mineral on its own ("Vitamin D3", "Folic acid", "Zinc").
_BARE = re.compile(rf"^({_NUTRIENT})( supplement)?$")
# A meal, group or category that holds supplements or medicines.
SUPPLEMENT_GROUPS = re.compile(
    r"^\s*(supplements?|vitamins?|vitamins? ?(and|&|/) ?supplements?|"
    r"supplements? ?(and|&|/) ?vitamins?|meds|medications?|medicines?|pills)\s*$",
    re.IGNORECASE,
)

# What each UL is checked on (ids of the scored nutrients; the rest: their total).
UL_FORMS = {
    "magnesium_mg": "supplements",
    "folate_dfe_ug": "folic_acid",
    "niacin_mg": "synthetic_niacin",
}
UL_FORM_WORDS = {
    "total": "the total, food and supplements",
    "supplements": "supplements only",
    "folic_acid": "folic acid from fortified foods and supplements",
    "synthetic_niacin": "niacin from supplements and fortified foods",
}


def looks_like_supplement(text: object) -> bool:
    """Whether a food text reads as a supplement or medicine rather than a food.

    Examples
    --------
    >>> [looks_like_supplement(t) for t in ("Magnesium Glycinate 400 mg", "Vitamin D3",
    ...     "Calcium 600mg + D", "Nature Made Fish Oil softgels")]
    [True, True, True, True]
    >>> [looks_like_supplement(t) for t in ("Vitamin D milk", "calcium-fortified orange juice",
    ...     "banana", "Iron skillet cornbread")]
    [False, False, False, False]
    """
    from planner.matching import normalise

    key = normalise(text)
    return bool(key) and bool(SUPPLEMENT_WORDS.search(key) or _DOSE.search(key) or _BARE.match(key))


def supplement_rows(diary: pd.DataFrame) -> np.ndarray:
    """Which rows of a diary (or resolved entries) are supplements, as a boolean array.

    The export's word: Cronometer's ``category`` "Supplements" where the export has
    categories, else a ``meal`` (or group) of supplements, vitamins or medications; and the
    food text (:func:`looks_like_supplement`). Each distinct text is looked at once.
    """
    n = len(diary)
    if n == 0:
        return np.zeros(0, dtype=bool)
    marked = _group_marks(diary[_marking_column(diary)])
    texts = diary["food_text"].fillna("").astype(str)
    return marked | each_distinct(texts, looks_like_supplement)


def _marking_column(diary: pd.DataFrame) -> str:
    """The column whose word marks supplements: Cronometer's ``category`` when the export
    has categories, else the ``meal`` (a planner CSV meal, an export's group).

    Cronometer's category is the food's own ("Supplements" for protein powders, electrolyte
    mixes, vitamins); its group is the user's, and real exports file strawberries, bread,
    olive oil and quick-added calories under a "Supplements" group.
    """
    if "category" in diary and diary["category"].fillna("").ne("").any():
        return "category"
    return "meal" if "meal" in diary else "food_text"


def _group_marks(cells: pd.Series) -> np.ndarray:
    """Which cells of a meal or category column name a group of supplements."""
    return each_distinct(cells.fillna("").astype(str), lambda c: SUPPLEMENT_GROUPS.match(c))


def supplement_note(diary: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """Why each supplement row is one, in words (``""`` for other rows)."""
    note = np.full(len(diary), "", dtype=object)
    column = _marking_column(diary)
    by_group = _group_marks(diary[column])
    where = "Cronometer's category" if column == "category" else "the diary's meal or group"
    note[rows & by_group] = f"a supplement ({where} says so)"
    note[rows & ~by_group] = "looks like a supplement or medicine, not a food"
    return note


def read_supplement_values(values: np.ndarray, rows: np.ndarray, carried: list[str]) -> None:
    """Read supplement rows' cells in place: a blank carried cell declares none (0), and
    the folic acid checked against the folate UL is the folate (µg DFE) / 1.7.

    Only rows with at least one value are read so; a row with none stays unknown.

    Examples
    --------
    >>> import numpy as np
    >>> ids = list(registry.ids())
    >>> v = np.full((1, len(ids)), np.nan)
    >>> v[0, ids.index("magnesium_mg")] = 400.0
    >>> v[0, ids.index("folate_dfe_ug")] = 680.0
    >>> read_supplement_values(v, np.array([True]), ["magnesium_mg", "calcium_mg",
    ...     "folate_dfe_ug"])
    >>> [float(v[0, ids.index(n)]) for n in ("magnesium_mg", "calcium_mg", "folic_acid_ug")]
    [400.0, 0.0, 400.0]
    """
    ids = list(registry.ids())
    some = rows & np.isfinite(values).any(axis=1)
    if not some.any():
        return
    index = [ids.index(n) for n in carried]
    block = values[np.ix_(some, index)]
    values[np.ix_(some, index)] = np.where(np.isnan(block), 0.0, block)
    folate, folic = ids.index("folate_dfe_ug"), ids.index("folic_acid_ug")
    derived = values[some, folate] / DFE_PER_FOLIC_ACID
    values[some, folic] = np.where(np.isnan(values[some, folic]), derived, values[some, folic])


def filled_column(filled: np.ndarray, ids: list[str], wanted: list[str]) -> np.ndarray:
    """Per row, the ``;``-separated ids of ``wanted`` whose cell ``filled`` marks.

    Examples
    --------
    >>> import numpy as np
    >>> filled_column(np.array([[True, False, True], [False, False, False]]), ["a", "b", "c"],
    ...     ["a", "b", "c"]).tolist()
    ['a;c', '']
    """
    out = np.full(len(filled), "", dtype=object)
    for nid in wanted:
        hit = filled[:, ids.index(nid)]
        if hit.any():
            out[hit] = np.where(out[hit] == "", nid, out[hit] + ";" + nid)
    return out


def fortified_rows(entries: pd.DataFrame) -> np.ndarray:
    """Food rows whose food is fortified or enriched, as the food table tells
    (:func:`fortified_foods`)."""
    distinct, codes = factorize(entries["food_id"].fillna(""))
    known = fortified_foods().reindex(pd.Index(distinct).where(distinct != ""))
    return known.fillna(False).to_numpy(dtype=bool)[codes]


@cache
def fortified_foods() -> pd.Series:
    """Per food id, whether the food is fortified or enriched: it has added folic acid
    (folic acid is only ever added, and US enrichment adds it with niacin), its description
    says fortified or enriched, or it is a ready-to-eat breakfast cereal (nearly all are
    fortified; plain oats, in the same USDA group, are not counted).

    Examples
    --------
    >>> f = fortified_foods()
    >>> bool(f["08504"]), bool(f["18069"]), bool(f["08120"]), bool(f["09040"])
    (True, True, False, False)
    """
    from planner.foods import load_foods

    foods = load_foods()
    text = foods["description"].str.lower()
    said = text.str.contains(r"\b(?:fortified|enriched)\b") & ~text.str.contains(
        r"\b(?:not fortified|unfortified|unenriched|not enriched)\b"
    )
    cereal = foods["food_group"].eq("Breakfast Cereals") & text.str.startswith(
        "cereals ready-to-eat"
    )
    return (foods["folic_acid_ug"].fillna(0) > 0) | said | cereal


def is_supplement(entries: pd.DataFrame) -> np.ndarray:
    """The ``supplement`` column of resolved entries as booleans (False where absent)."""
    if "supplement" not in entries:
        return np.zeros(len(entries), dtype=bool)
    return entries["supplement"].fillna(False).to_numpy(dtype=bool)


def ul_amounts(entries: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """Per row, the amount of each nutrient in ``ids`` that its UL is checked on.

    See the module docstring: magnesium from supplements only, folate as folic acid,
    niacin from supplements and fortified foods, everything else in total. NaN where the
    row's value is unknown.
    """
    supp = is_supplement(entries)
    out = {}
    for nid in ids:
        form = UL_FORMS.get(nid, "total")
        if form == "total":
            out[nid] = entries[nid].to_numpy(dtype=float)
        elif form == "supplements":
            out[nid] = np.where(supp, entries[nid].to_numpy(dtype=float), 0.0)
        elif form == "folic_acid":
            out[nid] = entries["folic_acid_ug"].to_numpy(dtype=float)
        else:
            counted = supp | fortified_rows(entries)
            out[nid] = np.where(counted, entries[nid].to_numpy(dtype=float), 0.0)
    return pd.DataFrame(out, index=entries.index)


def fills_by_nutrient(entries: pd.DataFrame, days: int) -> pd.DataFrame:
    """Per nutrient the export carries: how many values planner filled from USDA data and
    what they add per day.

    Returns
    -------
    pandas.DataFrame
        Indexed by nutrient id: ``values`` (cells filled), ``rows`` (rows with a value of
        that nutrient from the export or a fill), ``per_day`` (the filled values' sum over
        the diary's days) and ``share`` (of the nutrient's total).
    """
    columns = ["values", "rows", "per_day", "share"]
    carried = [n for n in entries.attrs.get("nutrients", []) if n in entries]
    if "filled" not in entries or not carried or entries.attrs.get("level", "entry") != "entry":
        return pd.DataFrame(columns=columns, dtype=float)
    used = entries[entries["status"].eq("matched") & entries["date"].notna()]
    filled = used["filled"].fillna("")
    rows = []
    any_filled = bool(filled.ne("").any())
    for nid in carried:
        hit = np.zeros(len(used), dtype=bool)
        if any_filled:
            hit = filled.str.contains(rf"(?:^|;){nid}(?:;|$)", regex=True).to_numpy(dtype=bool)
        value = used[nid].to_numpy(dtype=float)
        total = np.nansum(value)
        added = np.nansum(value[hit])
        rows.append(
            {
                "nutrient": nid,
                "values": int(hit.sum()),
                "rows": int(np.isfinite(value).sum()),
                "per_day": added / days if days else np.nan,
                "share": added / total if total > 0 else 0.0,
            }
        )
    return pd.DataFrame(rows).set_index("nutrient")[columns]


def split_by_source(entries: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The used rows of resolved entries split into ``food`` and ``supplements``."""
    used = entries[entries["status"].eq("matched")]
    supp = is_supplement(used)
    return {"food": used[~supp], "supplements": used[supp]}


# --- words for reports ----------------------------------------------------------------


NIACIN_NOTE = (
    "The niacin UL covers niacin from supplements and fortified foods; planner checks it on "
    "the niacin of supplements and of fortified foods (ready-to-eat cereals, and foods USDA "
    "gives added folic acid or calls fortified or enriched), counting such a food's whole "
    "niacin: an upper estimate of the added part."
)
TOTALS_UL_NOTE = (
    "This export holds day or meal totals, which do not tell supplements or fortified foods "
    "apart from other food: the magnesium UL (supplements only) and the niacin UL "
    "(supplements and fortified foods) are not checked."
)


def source_notes(level: str, supplements: int, used: int, has_niacin_ul: bool) -> list[str]:
    """Notes on supplements and on the ULs checked on one source or form, from the counts
    they rest on: the diary's level, its supplement rows and those with values, and
    whether a niacin UL applies (a cohort counts these for everyone at once)."""
    if level != "entry":
        return [TOTALS_UL_NOTE] if has_niacin_ul else []
    notes = []
    if supplements:
        notes.append(
            f"{supplements:,} row(s) are supplements ({used:,} with values): they count "
            "toward intake, apart from food, and are never matched to a food; a blank cell "
            "of a supplement means it declares none of that nutrient. A supplement's folate "
            "is read as µg DFE, so its folic acid is that / 1.7."
        )
    if has_niacin_ul:
        notes.append(NIACIN_NOTE)
    return notes


def supplement_lines(report) -> list[str]:
    """'From supplements' for the terminal: per nutrient a supplement gives, food and
    supplements apart (empty when the diary has no supplement with values)."""
    from planner.render import fmt_number, wrap

    n = report.nutrients
    given = n[n["mean_intake_supplements"].fillna(0) > 0]
    if given.empty:
        return []
    names = supplement_names(report.entries)
    lines = [
        "From supplements",
        wrap(f"Supplements in the diary: {', '.join(names)}.", indent="  ", hang="  "),
    ]
    for _, r in given.iterrows():
        lines.append(
            f"  {r['name']}: {fmt_number(r['mean_intake_supplements'])} {r['unit']} a day from "
            f"supplements, {fmt_number(r['mean_intake_food'])} from food (total "
            f"{fmt_number(r['mean_intake'])})"
        )
    return lines


def supplement_names(entries: pd.DataFrame, n: int = 6) -> list[str]:
    """The supplements a diary names most often (with values), most frequent first."""
    rows = entries[is_supplement(entries) & entries["status"].eq("matched").to_numpy()]
    counts = rows["food_text"].value_counts()
    names = list(counts.index[:n])
    return names + ([f"{len(counts) - n} more"] if len(counts) > n else [])


def fill_lines(report) -> list[str]:
    """'Filled from USDA data' for the terminal: per nutrient, the values filled and what
    they add a day (empty when nothing was filled)."""
    from planner.render import fmt_number, table, wrap

    fills = fills_by_nutrient(report.entries, report.period["days"])
    fills = fills[fills["values"] > 0]
    if fills.empty:
        return []
    n = report.nutrients
    rows = [
        [
            n.loc[nid, "name"] if nid in n.index else nid,
            f"{int(f['values']):,}",
            f"{fmt_number(f['per_day'])} {n.loc[nid, 'unit'] if nid in n.index else ''}",
            f"{f['share']:.0%}",
        ]
        for nid, f in fills.iterrows()
    ]
    return [
        "Filled from USDA data",
        wrap(
            "Where the export left a cell blank, planner used the matched USDA food's value "
            "(entries.csv lists them per row, in 'filled'):"
        ),
        table(rows, ["nutrient", "values", "adds a day", "of the total"], right=[1, 2, 3]),
    ]


def fills_json(report) -> dict:
    """Per nutrient the export carries: ``values`` filled, ``per_day`` and ``share``."""
    fills = fills_by_nutrient(report.entries, report.period["days"])
    return {
        nid: {
            "values": int(f["values"]),
            "per_day": None if np.isnan(f["per_day"]) else round(float(f["per_day"]), 4),
            "share": round(float(f["share"]), 4),
        }
        for nid, f in fills.iterrows()
    }


def supplements_json(report) -> dict:
    """The supplement rows of a diary: how many, which, and the nutrients they give."""
    entries = report.entries
    supp = is_supplement(entries)
    used = supp & entries["status"].eq("matched").to_numpy()
    n = report.nutrients
    return {
        "rows": int(supp.sum()),
        "used": int(used.sum()),
        "names": supplement_names(entries, n=20),
        "per_day": {
            nid: round(float(v), 4)
            for nid, v in n["mean_intake_supplements"].items()
            if v == v and v > 0
        },
    }
