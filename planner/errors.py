"""Errors raised by planner.

Every error a user can cause derives from :class:`PlannerError`. Each class keeps the
facts (file, row, column, value) as attributes and builds its sentence in ``__str__``,
so the CLI can print one readable line and callers of the library can inspect the facts.
Where a builtin exception has the same meaning, the class inherits it too, so
``except ValueError`` keeps working for library users.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


class PlannerError(Exception):
    """Base class for every error planner raises on purpose."""


def _where(path: object = None, row: object = None, column: object = None) -> str:
    """Return ``"file.csv, row 3, column 'date': "`` for whichever parts are known."""
    parts = []
    if path is not None:
        parts.append(str(path))
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column {column!r}")
    return ", ".join(parts) + ": " if parts else ""


@dataclass
class ProfileError(PlannerError, ValueError):
    """A person's profile (age, sex, pregnancy, ...) is impossible or out of scope."""

    field: str
    value: object
    reason: str
    source: str | None = None

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        value = "" if self.value is None else f" {self.value!r}"
        return f"{where}{self.field}{value}: {self.reason}"


@dataclass
class UnknownFood(PlannerError, KeyError):
    """A food id that the food table does not contain."""

    food_id: str
    source: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        return f"{_where(self.source, self.row)}no food with id {self.food_id!r} in the food table"


@dataclass
class UnknownName(PlannerError, KeyError):
    """A bundled data set, nutrient or option value that does not exist."""

    kind: str
    name: str
    valid: Sequence[str] = field(default_factory=tuple)

    def __str__(self) -> str:
        choices = ", ".join(self.valid)
        hint = f"; valid {self.kind}s: {choices}" if choices else ""
        return f"unknown {self.kind} {self.name!r}{hint}"


@dataclass
class FileProblem(PlannerError, ValueError):
    """Something wrong at a place in a file: ``path``, and the ``row`` and ``column`` if known."""

    path: object
    reason: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        return f"{_where(self.path, self.row, self.column)}{self.reason}"


class DataFileError(FileProblem):
    """A data file (food table, SR28 release, targets table) is missing or malformed."""


@dataclass
class ValidationError(PlannerError, ValueError):
    """A table failed validation; ``failures`` lists every failing row, not only the first."""

    path: object
    failures: Sequence[str]

    def __str__(self) -> str:
        shown = "; ".join(self.failures[:10])
        more = f" (and {len(self.failures) - 10} more)" if len(self.failures) > 10 else ""
        return f"{self.path}: {len(self.failures)} problem(s): {shown}{more}"


class DiaryFormatError(FileProblem):
    """A diary file that cannot be read: wrong kind of file, unknown layout, bad header."""


@dataclass
class AmountError(PlannerError, ValueError):
    """Amount text that cannot be read as a number and a unit."""

    text: str
    reason: str

    def __str__(self) -> str:
        return f"amount {self.text!r}: {self.reason}"


@dataclass
class RestrictionError(PlannerError, ValueError):
    """Diet restrictions that contradict each other or name foods that do not exist."""

    reason: str

    def __str__(self) -> str:
        return self.reason


@dataclass
class PlanError(PlannerError, ValueError):
    """A meal plan that cannot be built (no candidate foods, a bad number of days...)."""

    reason: str

    def __str__(self) -> str:
        return self.reason


class ChartError(FileProblem):
    """A chart that cannot be written, for example to an unsupported file type."""
