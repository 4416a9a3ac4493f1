"""Several people scored together: each one's tables, row counts and notes.

:func:`planner.analysis.score_people` scores a cohort in group-bys over everyone's rows and
makes a :class:`planner.analysis.GapReport` per person. Cutting every person's tables out of
the cohort's, and counting their rows for the notes one person at a time, would cost more
than the scoring (a thousand people, six tables each); so each person's tables are cut only
when first read (:class:`Table`, :class:`ByPerson`), and what the notes and the accounting
count is counted for everyone in one pass (:func:`counts_by_person`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner import sources
from planner.columns import each_distinct, positions
from planner.diary import UNFINISHED_DAY
from planner.entries import Accounting
from planner.targets import Targets


class Later:
    """A table worked out when first read (see :class:`Table`)."""

    __slots__ = ("make",)

    def __init__(self, make):
        self.make = make


class Table:
    """A :class:`planner.analysis.GapReport` table that may be given as :class:`Later`: then
    it is cut from the cohort's table the first time it is read.

    Scoring a cohort makes a report per person, and most of their tables are never read
    (the cohort summary reads gaps; the files are written from the cohort's tables), so
    cutting a thousand people's tables up front would be most of the cost of scoring.
    """

    def __set_name__(self, owner, name):
        self.slot = f"_{name}"

    def __get__(self, report, owner=None):
        if report is None:
            raise AttributeError(self.slot)  # no class default: the field is required
        value = report.__dict__[self.slot]
        if isinstance(value, Later):
            value = report.__dict__[self.slot] = value.make()
        return value

    def __set__(self, report, value):
        report.__dict__[self.slot] = value
        if self.slot == "_days":  # the period worked out with the cohort no longer holds
            report.__dict__.pop("_period", None)


class ByPerson:
    """A table cut into one block of rows per person, each in the table's order, and each
    cut only when asked for (:class:`Later`).

    A table whose people come one after another (as a cohort's file and every table
    scored from it do) is cut where the person changes; any other is first put in that
    order by one stable sort. ``keep_person`` keeps the ``person`` column and the row
    labels; otherwise each block is indexed by ``index`` or numbered from 0.
    """

    def __init__(self, table: pd.DataFrame, keep_person=False, index=None, attrs=None):
        self.table, self.keep_person, self.index, self.attrs = table, keep_person, index, attrs
        self.spans: dict | None = None

    def later(self, person: str) -> Later:
        return Later(lambda: self.block(person))

    def block(self, person: str) -> pd.DataFrame:
        if self.spans is None:
            self._cut()
        a, b = self.spans.get(person, (0, 0))
        block = self.cut.iloc[a:b]
        if self.index is None and not self.keep_person:
            block = block.reset_index(drop=True)
        if self.attrs is not None:
            block.attrs = self.attrs
        return block

    def _cut(self) -> None:
        table = self.table.make() if isinstance(self.table, Later) else self.table
        codes, people = pd.factorize(table["person"])
        if (np.diff(codes) < 0).any():
            order = np.argsort(codes, kind="stable")
            table, codes = table.iloc[order], codes[order]
        starts = np.flatnonzero(np.diff(codes, prepend=-1))  # where the person changes
        ends = np.append(starts[1:], len(table))[: len(starts)]
        names = list(people)
        self.spans = {names[codes[a]]: (a, b) for a, b in zip(starts, ends, strict=True)}
        if not self.keep_person:
            table = table.drop(columns="person")
            table = table.set_index(self.index) if self.index else table.reset_index(drop=True)
        self.cut = table


NO_PERIOD = {"start": None, "end": None, "days": 0}


def periods(energy: pd.DataFrame) -> dict[str, dict]:
    """Each person's :attr:`GapReport.period`, from the energy table (one row per person
    and day scored)."""
    if energy.empty:
        return {}
    dates = energy.groupby("person", sort=False)["date"]
    first, last, days = dates.min(), dates.max(), dates.nunique()
    return {
        person: {
            "start": first[person].date().isoformat(),
            "end": last[person].date().isoformat(),
            "days": int(days[person]),
        }
        for person in first.index
    }


@dataclass(frozen=True)
class Counts:
    """What one person's report counts of their rows: the accounting, and what the notes
    rest on."""

    accounting: Accounting
    unfinished: int = 0  # rows of Cronometer days marked not completed
    supplements: int = 0
    supplements_used: int = 0
    other_table: int = 0  # used rows whose amount was read through the other USDA table
    default_portion: int = 0  # used rows counted as USDA's default amount


def counts_by_person(entries: pd.DataFrame) -> dict[str, Counts]:
    """:func:`planner.entries.account`, and the counts behind the notes, for every person
    at once (one pass over the rows, not one per person)."""
    from planner.entries import OUTCOME, STATUSES

    person, people = pd.factorize(entries["person"])

    def per_person(mask) -> np.ndarray:
        return np.bincount(person[np.asarray(mask, dtype=bool)], minlength=len(people))

    def column(name: str, default) -> pd.Series:
        return entries[name] if name in entries else pd.Series(default, index=entries.index)

    status = positions(entries["status"], pd.Index(STATUSES))
    used = status == STATUSES.index("matched")
    by_status = {s: per_person(status == i) for i, s in enumerate(STATUSES)}
    reasons = column("reason", "").astype(str)
    basis = column("amount_basis", "")
    supp = sources.is_supplement(entries)
    counted = {
        "rows": per_person(np.ones(len(entries))),
        "duplicates": per_person(column("duplicate_of", 0) > 0),
        "unfinished": per_person(each_distinct(reasons, lambda r: r.startswith(UNFINISHED_DAY))),
        "supplements": per_person(supp),
        "supplements_used": per_person(supp & used),
        "other_table": per_person(used & basis.eq("other_table").to_numpy()),
        "default_portion": per_person(used & basis.eq("default_portion").to_numpy()),
    }
    out = {}
    for i, name in enumerate(people):
        mine = {s: int(by_status[s][i]) for s in STATUSES}
        outcome = {o: sum(k for s, k in mine.items() if OUTCOME[s] == o) for o in OUTCOME.values()}
        n = {key: int(values[i]) for key, values in counted.items()}
        accounting = Accounting(
            n.pop("rows"), outcome["used"], outcome["flagged"], outcome["rejected"], mine,
            n.pop("duplicates"),
        )  # fmt: skip
        out[name] = Counts(accounting, **n)
    return out


def report_notes(targets: Targets, attrs: dict, counts: Counts, has_niacin_ul: bool) -> list[str]:
    notes = list(targets.notes) + list(attrs.get("notes", []))
    repeats = counts.accounting.duplicates
    if repeats:
        from planner.render import DUPLICATES_NOTE

        notes.append(DUPLICATES_NOTE.format(n=repeats).removeprefix("Note: "))
    if counts.unfinished:
        n = counts.unfinished
        notes.append(
            f"{n} day{'s are' if n != 1 else ' is'} marked not completed in Cronometer: "
            "the totals of an unfinished day may be partial, so a gap on it may be a "
            "logging gap."
        )
    level = attrs.get("level", "entry")
    notes += sources.source_notes(level, counts.supplements, counts.supplements_used, has_niacin_ul)
    notes += amount_notes(counts.other_table, counts.default_portion)
    return notes


def amount_notes(other_table: int, default_portion: int) -> list[str]:
    """What the report says of amounts read another way (:mod:`planner.portions`): the
    used entries read through the other USDA table, and those counted as USDA's default
    amount.

    Examples
    --------
    >>> len(amount_notes(0, 0)), amount_notes(1, 0)[0][:40]
    (0, '1 entry named a measure the chosen food ')
    """
    notes = []
    if other_table:
        n = other_table
        notes.append(
            f"{n} entr{'ies' if n != 1 else 'y'} named a measure the chosen food lacks; "
            "it was read through the same food in the other USDA table (entries.csv, "
            "amount_basis 'other_table')."
        )
    if default_portion:
        n = default_portion
        notes.append(
            f"{n} entr{'ies' if n != 1 else 'y'} gave no amount planner could convert "
            "(a count, a serving, a handful): each was counted as USDA's default amount "
            "for the food, its 'Quantity not specified' portion. Check them (entries.csv, "
            "amount_basis 'default_portion')."
        )
    return notes
