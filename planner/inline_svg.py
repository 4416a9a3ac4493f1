"""A matplotlib Figure as SVG markup to embed in an HTML page next to other charts.

matplotlib writes a standalone SVG file: an XML declaration, a DOCTYPE and an RDF
metadata block that name ``http://`` addresses, comments holding every text drawn, a
global ``*{...}`` style rule and element ids (``figure_1``, ``axes_1``, ``DejaVuSans-4d``
for glyphs, hashed clip-path ids) that repeat from one chart to the next. Inside one HTML
page those ids would collide. :func:`figure_svg` keeps only the drawing: the body of the
``<svg>`` element with every id, ``href="#..."`` and ``url(#...)`` prefixed by a key unique
to the chart (an id repeated within the chart also numbered), ``xlink:href`` written as
SVG 2's plain ``href``, and no comments, metadata, style element or namespace declarations
(the HTML parser puts ``<svg>`` in the SVG namespace itself). The caller writes the
``<svg>`` tag with the view box, a role and an accessible name.

Text is drawn as glyph paths (matplotlib's default ``svg.fonttype``), so the chart looks
the same without the fonts matplotlib used, and no text from the chart (food names come
from the user's files) is left in the markup.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# The rule matplotlib puts in each SVG's <style>; the page's stylesheet applies it to
# every chart instead, so no chart's stylesheet reaches the rest of the page.
SVG_STYLE = "stroke-linejoin: round; stroke-linecap: butt"

_OPEN = re.compile(r"<svg\b([^>]*)>", re.DOTALL)
_ATTR = re.compile(r'(\w[\w:.-]*)="([^"]*)"')
_DROP = re.compile(r"<!--.*?-->|<metadata>.*?</metadata>|<style[^>]*>.*?</style>", re.DOTALL)
_IDS = re.compile(r'\bid="([^"]+)"')
_HREFS = re.compile(r'\b(?:xlink:)?href="#([^"]+)"')
_URLS = re.compile(r"url\(#([^)]+)\)")
_XLINK = re.compile(r"\bxlink:href=")
_KEY = re.compile(r"^[A-Za-z][\w-]*$")


@dataclass(frozen=True)
class InlineSvg:
    """One chart's SVG drawing, ready to go inside an ``<svg>`` tag of a page.

    Attributes
    ----------
    key : str
        The prefix of every id in ``body``: unique per chart in a page.
    viewbox : str
        The drawing's ``viewBox`` (``"0 0 629.18 532.8"``), in points.
    width, height : float [pt]
        The size matplotlib drew it at (1 pt = 1/72 in).
    body : str
        The elements inside ``<svg>``: matplotlib's own markup, with no text from the
        chart in it (see the module docstring).
    """

    key: str
    viewbox: str
    width: float
    height: float
    body: str


def figure_svg(fig: Figure, key: str) -> InlineSvg:
    """Draw ``fig`` as SVG and make its markup safe to place beside other charts.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    key : str
        A name unique in the page (a letter, then letters, digits, ``_`` or ``-``);
        every id of the drawing starts with it.

    Returns
    -------
    InlineSvg

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(2, 1))
    >>> _ = fig.add_subplot().plot([0, 1], [0, 1])
    >>> svg = figure_svg(fig, "c1")
    >>> "http" in svg.body, "<!--" in svg.body, 'id="c1-' in svg.body
    (False, False, True)
    >>> all(i.startswith("c1-") for i in _IDS.findall(svg.body))
    True
    """
    import matplotlib as mpl

    if not _KEY.match(key):
        raise ValueError(f"an SVG key starts with a letter and has no spaces, not {key!r}")
    buffer = io.StringIO()
    # A fixed salt makes the hashed clip-path ids, and so the page, the same on every run;
    # the key prefix keeps them apart between charts.
    with mpl.rc_context({"svg.hashsalt": "planner", "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return inline(buffer.getvalue(), key)


def inline(svg: str, key: str) -> InlineSvg:
    """The drawing of a standalone SVG document (as matplotlib writes it), ids prefixed.

    Examples
    --------
    >>> doc = ('<?xml version="1.0"?>\\n<svg xmlns:xlink="http://www.w3.org/1999/xlink" '
    ...        'width="10pt" height="5pt" viewBox="0 0 10 5" xmlns="http://www.w3.org/2000/svg">'
    ...        '<!-- 2% milk --><defs><path id="g1" d="M 0 0"/></defs>'
    ...        '<use xlink:href="#g1" clip-path="url(#p9)"/><g id="ul"/><g id="ul"/></svg>')
    >>> svg = inline(doc, "k")
    >>> svg.viewbox, svg.width, svg.height
    ('0 0 10 5', 10.0, 5.0)
    >>> print(svg.body.replace("><", ">\\n<"))
    <defs>
    <path id="k-g1" d="M 0 0"/>
    </defs>
    <use href="#k-g1" clip-path="url(#k-p9)"/>
    <g id="k-ul"/>
    <g id="k-ul-2"/>
    """
    opening = _OPEN.search(svg)
    end = svg.rfind("</svg>")
    if opening is None or end < opening.end():
        raise ValueError("not an SVG document: no <svg> element")
    attrs = dict(_ATTR.findall(opening[1]))
    body = _DROP.sub("", svg[opening.end() : end])
    body = _IDS.sub(_unique_ids(key), body)
    body = _HREFS.sub(lambda m: f'href="#{key}-{m[1]}"', body)
    body = _URLS.sub(lambda m: f"url(#{key}-{m[1]})", body)
    body = _XLINK.sub("href=", body)  # data: images; SVG 2 needs no xlink namespace
    return InlineSvg(
        key=key,
        viewbox=attrs.get("viewBox", ""),
        width=_points(attrs.get("width")),
        height=_points(attrs.get("height")),
        body=body.strip(),
    )


def _unique_ids(key: str):
    """A replacement for ``id="..."`` that prefixes ``key`` and numbers repeats.

    matplotlib writes an artist's ``gid`` as its id, and the charts give one gid to
    several artists (each UL diamond is ``ul-marker``). References point only at the
    definitions (glyphs, clip paths, markers), whose ids never repeat, so numbering the
    second and later uses of an id breaks no reference.
    """
    seen: dict[str, int] = {}

    def replace(match: re.Match) -> str:
        name = match[1]
        seen[name] = seen.get(name, 0) + 1
        suffix = f"-{seen[name]}" if seen[name] > 1 else ""
        return f'id="{key}-{name}{suffix}"'

    return replace


def _points(value: str | None) -> float:
    """``"629.18pt"`` -> 629.18; NaN when matplotlib gave no size."""
    if not value:
        return float("nan")
    return float(value.removesuffix("pt"))
