"""The model of an HTML report page: sections made of a few kinds of block.

The template (``planner/templates/report.html.j2``) renders each block by its ``kind``
and knows nothing about nutrients, so a new part of the report is a function that
returns a :class:`Section` of these blocks (see :mod:`planner.report_sections`). All text
is plain text: the template escapes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from planner import __version__
from planner.inline_svg import SVG_STYLE, InlineSvg


@dataclass
class Text:
    """A paragraph."""

    text: str
    kind: ClassVar[str] = "text"


@dataclass
class Items:
    """A list; each item a (lead, text) pair, the lead shown in bold when there is one."""

    items: list[tuple[str, str]]
    ordered: bool = False
    kind: ClassVar[str] = "items"


@dataclass
class Facts:
    """Name-value pairs (a description list)."""

    pairs: list[tuple[str, str]]
    kind: ClassVar[str] = "facts"


@dataclass
class Cell:
    """A table cell with a status (``below``, ``met``, ...) that colours it, or a link."""

    text: str
    status: str = ""
    href: str = ""


@dataclass
class Table:
    """A table; the first cell of each row heads the row.

    ``numeric`` columns align right; ``nowrap`` columns (dates, amounts) keep to one line.
    """

    caption: str
    headers: list[str]
    rows: list[list[str | Cell]]
    numeric: tuple[int, ...] = ()
    nowrap: tuple[int, ...] = ()
    footnotes: list[str] = field(default_factory=list)
    kind: ClassVar[str] = "table"


@dataclass
class Chart:
    """A chart: its SVG drawing, the text read out in its place (``alt``) and a caption."""

    svg: InlineSvg
    alt: str
    caption: str
    kind: ClassVar[str] = "chart"


@dataclass
class Note:
    """A boxed note; ``tone`` is ``warning`` for what needs a health professional."""

    text: str
    lead: str = ""
    tone: str = "info"
    kind: ClassVar[str] = "note"


@dataclass
class Section:
    """A titled part of the page; a ``major`` one starts a new page when printed."""

    id: str
    title: str
    blocks: list
    major: bool = False


@dataclass
class Person:
    """One person's sections; ``title`` is empty for a diary of one person."""

    id: str
    title: str
    sections: list[Section]


@dataclass
class Page:
    """Everything the template shows, in order: opening sections, people, closing ones."""

    title: str
    subtitle: str
    opening: list[Section]
    people: list[Person]
    closing: list[Section]
    version: str = __version__
    svg_style: str = SVG_STYLE

    @property
    def contents(self) -> list[tuple[str, str]]:
        """(id, title) of each entry of the table of contents.

        Examples
        --------
        >>> one = Person("person", "", [Section("gaps", "Gaps", [])])
        >>> Page("t", "", [], [one], [Section("advice", "Beyond food", [])]).contents
        [('gaps', 'Gaps'), ('advice', 'Beyond food')]
        """
        single = len(self.people) == 1 and not self.people[0].title
        links = [(s.id, s.title) for s in self.opening]
        if single:
            links += [(s.id, s.title) for s in self.people[0].sections]
        else:
            links += [(p.id, p.title) for p in self.people]
        return links + [(s.id, s.title) for s in self.closing]
