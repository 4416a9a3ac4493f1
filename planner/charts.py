"""Charts of a scored diary, an add-on and a meal plan, as matplotlib Figures.

Every ``plot_*`` function returns a :class:`matplotlib.figure.Figure` built directly (no
pyplot) on an Agg canvas: no global state, no display needed. :func:`save_figure` writes
one to PNG, SVG or PDF. matplotlib is imported inside the functions, so importing this
module is cheap and ``planner --help`` stays fast.

Choices shared by the charts:

- **The panel only.** Bars show the eleven panel nutrients. Energy and sodium are not
  bars, because more of them is not better; the footer gives their averages (and says
  whether sodium is over its limit).
- **Lowest first.** Rows are sorted by percent of target with the lowest at the top, so
  the largest gaps are read first; nutrients without a value come last.
- **A capped axis.** The axis ends at :data:`CAP` (300%) so one long bar (vitamin B12 at
  600%) does not squash the rest; a longer bar stops at the edge with an arrow and its
  label gives the true percent.
- **ULs only where the tool checks them.** A diamond marks the tolerable upper intake
  level (UL / target x 100) where a UL is checked. Folate's UL and niacin's cover only
  synthetic forms (folic acid, fortified niacin) and magnesium's only supplements, which
  the bar does not measure: that diamond is hollow and the footer gives the UL and the
  amount of that form. A UL beyond the axis is written in the right margin
  (``UL 667% →``). In a diary
  chart niacin's UL is checked on niacin from supplements and fortified foods, and
  magnesium's, which covers supplements only, is drawn when supplements give some.
- **Unknown is not zero.** A total that misses some entries' values is a lower bound: its
  bar is lighter and hatched and its label starts with ``≥``.
- **Colour-blind safe.** Statuses use the Okabe-Ito palette (vermillion below, bluish
  green met, reddish purple above a UL); the daily heatmap uses ``BrBG`` (brown below,
  green above) centred on 100%.

Artists carry ``gid`` values for tests and callers: ``bar-<id>``, ``target-line``,
``ul-marker``, ``clipped-marker``, ``daily-cells``, ``unknown-cell``, ``share-<id>-<rank>``,
``share-<id>-other``, ``before-<id>``, ``after-<id>``, ``message``.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from planner import nutrients as registry
from planner.errors import ChartError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from planner.analysis import GapReport
    from planner.plan import MealPlan
    from planner.suggest import AddonResult

CAP = 300.0  # [% of target] where the coverage axes end
FOOTER = "Food guidance, not medical advice."
FONT, SMALL = 10, 9  # [pt] body text; nothing is smaller than SMALL
SUFFIXES = (".png", ".svg", ".pdf")
PNG_DPI = 150
X_LABEL = "% of daily target (RDA or AI)"
LOWER_BOUND = "≥ marks a lower bound: some entries have no value."

# Okabe-Ito, the palette of Wong (2011), Nature Methods 8:441.
STATUS_COLOURS = {
    "below": "#D55E00",
    "met": "#009E73",
    "above_ul": "#CC79A7",
    "above_cdrr": "#CC79A7",
    "unknown": "#999999",
    "not_in_export": "#999999",
    "doctor_sets": "#999999",
}
STATUS_LABELS = {
    "below": "below target",
    "met": "target met",
    "above_ul": "above the UL",
    "doctor_sets": "no target here: your doctor's call",
}
UL_COLOUR = "#6A3D9A"
FOOD_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#CC79A7")
OTHER_COLOUR, BEFORE_COLOUR, AFTER_COLOUR = "#DDDDDD", "#A6A6A6", "#0072B2"
UNKNOWN = {"facecolor": "#EEEEEE", "edgecolor": "#999999", "hatch": "xx"}
# A UL checked on another amount than the bar's: the form it covers.
LIMIT_FORMS = {
    "folic_acid_ug": "folic acid",
    "niacin_fortified_mg": "fortified niacin",
    "supplements": "supplements",
    "synthetic_niacin": "niacin from supplements and fortified foods",
}
# A diary's UL forms (planner.sources.UL_FORMS) as LIMIT_FORMS keys.
FORM_KEYS = {
    "folic_acid": "folic_acid_ug",
    "supplements": "supplements",
    "synthetic_niacin": "synthetic_niacin",
}
# Text and legend styles used more than once.
CENTRED = {"ha": "center", "va": "center", "fontsize": SMALL}
BESIDE = {"textcoords": "offset points", "va": "center", "fontsize": SMALL}
MUTED = {"fontsize": SMALL, "color": "#555555", "style": "italic"}
LEGEND = {"loc": "upper left", "frameon": False, "fontsize": SMALL, "borderaxespad": 0}
DIAMOND = {"marker": "D", "linestyle": "none", "color": UL_COLOUR, "markeredgewidth": 1.5}


# --- public functions ----------------------------------------------------------------


def plot_coverage(report: GapReport) -> Figure:
    """Bars of the period's mean intake of each panel nutrient, in % of its target.

    Parameters
    ----------
    report : planner.analysis.GapReport

    Returns
    -------
    matplotlib.figure.Figure
        One bar per panel nutrient (``gid`` ``bar-<id>``), lowest percent at the top,
        coloured by status and hatched where the total is a lower bound; a dashed line at
        100% (``target-line``); a diamond at the UL where one applies to food
        (``ul-marker``). A nutrient the export does not carry is an empty row labelled
        "not in this export". Energy and sodium are in the footer.

    Examples
    --------
    >>> import pandas as pd
    >>> from planner.analysis import score_diary
    >>> from planner.targets import Profile
    >>> eaten = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-01-02"]),
    ...     "status": "matched", "food_id": ["12014", "09040"], "description": "",
    ...     "food_text": ["pumpkin seeds", "banana"], "magnesium_mg": [168.0, 32.0]})
    >>> fig = plot_coverage(score_diary(eaten, Profile(45, "female")))
    >>> sum(str(p.get_gid()).startswith("bar-") for p in fig.axes[0].patches)
    11
    """
    rows = _report_rows(report)
    notes = [*_ul_notes(rows), _context_note(report.nutrients["mean_intake"], report.targets)]
    heading = "How much of each daily target the diary meets"
    return _coverage_chart(rows, heading, report.describe(), notes, "Mean intake")


def plot_daily(report: GapReport) -> Figure:
    """Heatmap of each day's intake of each panel nutrient, in % of its target.

    Nutrients are rows (in the order of :func:`plot_coverage`) and days are columns, so
    the chart grows sideways and stays legible from a week to two months (past 14 days
    only some dates are labelled). Colours diverge at 100%: brown below target, white at
    it, green above; 200% and more take the darkest green. A day without any value for a
    nutrient is a grey hatched cell. With 14 days or fewer every cell shows its percent,
    with ``≥`` on lower bounds.

    Parameters
    ----------
    report : planner.analysis.GapReport

    Returns
    -------
    matplotlib.figure.Figure
        The cells are one mesh, ``gid`` ``daily-cells``: one value per nutrient and day,
        masked where unknown (each such cell is also a hatched ``unknown-cell`` patch).

    Examples
    --------
    >>> import pandas as pd
    >>> from planner.analysis import score_diary
    >>> from planner.targets import Profile
    >>> eaten = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-01-02"]),
    ...     "status": "matched", "food_id": ["12014", "09040"], "description": "",
    ...     "food_text": ["pumpkin seeds", "banana"], "magnesium_mg": [168.0, 32.0]})
    >>> fig = plot_daily(score_diary(eaten, Profile(45, "female")))
    >>> fig.axes[0].collections[0].get_array().shape
    (11, 2)
    """
    from matplotlib.colors import TwoSlopeNorm
    from matplotlib.patches import Patch, Rectangle

    rows = _report_rows(report)
    days = report.days[report.days["nutrient"].isin(rows.index)]
    if days.empty:
        return _message("Each day against its targets", report.describe(), "No days to show.")
    wide = days.pivot(index="nutrient", columns="date", values=["percent_of_target", "lower_bound"])
    values = np.ma.masked_invalid(wide["percent_of_target"].reindex(rows.index).to_numpy(float))
    lower = wide["lower_bound"].reindex(rows.index).fillna(False).to_numpy(bool)
    (n_rows, n_days), few = values.shape, values.shape[1] <= 14
    handles = [Patch(**UNKNOWN, label="no value")] if values.mask.any() else []
    layout = _Layout(
        width=max(8.0, 3.9 + (0.62 if few else 0.2) * n_days),
        body=0.42 * n_rows,
        left=2.0,
        right=1.9,
        top=1.3 if few else 0.95,
        below=0.25 if few else 0.6,
        legend_rows=len(handles),
        notes=[LOWER_BOUND] if few and lower.any() else [],
    )
    fig, ax = layout.figure("Each day against its targets", report.describe())
    cmap = _colormap("BrBG")
    norm = TwoSlopeNorm(vmin=0.0, vcenter=100.0, vmax=200.0)
    mesh = ax.pcolormesh(values, cmap=cmap, norm=norm, edgecolors="white", linewidth=0.6)
    mesh.set_gid("daily-cells")
    for r, c in zip(*np.nonzero(np.ma.getmaskarray(values)), strict=True):
        ax.add_patch(Rectangle((c, r), 1, 1, **UNKNOWN, linewidth=0, gid="unknown-cell"))
    if few:
        _annotate_cells(ax, values, lower, cmap, norm)
    absent = rows["status"].eq("not_in_export")
    names = rows["name"].where(~absent, rows["name"] + " (not in export)")
    ax.set_yticks(np.arange(n_rows) + 0.5, list(names), fontsize=FONT)
    ax.set_ylim(n_rows, 0)
    _date_ticks(ax, wide["percent_of_target"].columns)
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    bar = fig.colorbar(mesh, ax=ax, extend="max", fraction=0.05, pad=0.02, aspect=20)
    bar.set_label("% of daily target", fontsize=FONT)
    bar.ax.tick_params(labelsize=SMALL)
    layout.legend(fig, handles, 1)
    return fig


def plot_contributors(report: GapReport, top: int = 5) -> Figure:
    """For each gap nutrient, the foods that gave most of it over the period.

    Parameters
    ----------
    report : planner.analysis.GapReport
    top : int
        Foods shown per nutrient (at most the report's ``top_foods``, five by default);
        the rest of the intake is one grey "other foods" segment.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per gap nutrient (largest gap first) holding a stacked bar of shares
        of the period's intake (``share-<id>-<rank>``, ``share-<id>-other``) summing to
        100%. Without gaps, or for an export of totals without foods, a figure that says
        so (a text with ``gid`` ``message``).

    Examples
    --------
    >>> import pandas as pd
    >>> from planner.analysis import score_diary
    >>> from planner.targets import Profile
    >>> eaten = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-01-02"]),
    ...     "status": "matched", "food_id": ["12014", "09040"], "description": "",
    ...     "food_text": ["pumpkin seeds", "banana"], "magnesium_mg": [168.0, 32.0]})
    >>> fig = plot_contributors(score_diary(eaten, Profile(45, "female")))
    >>> [round(p.get_width()) for p in fig.axes[0].patches]
    [84, 16, 0]
    """
    title = "Where the gap nutrients come from"
    if report.gaps.empty:
        message = "No gaps: every panel nutrient meets its target on average."
        return _message(title, report.describe(), message)
    if report.top_foods.empty:
        message = "This export holds day or meal totals, not foods: there are no foods to rank."
        return _message(title, report.describe(), message)
    notes = ["Shares of the period's intake of each nutrient, from the foods with a value."]
    panel = 1.45  # [in] a panel's title, bar, two legend rows and a gap
    layout = _Layout(body=panel * len(report.gaps), below=0.0, notes=notes)
    fig, _ = layout.figure(title, report.describe(), body_axes=False)
    width, height = fig.get_size_inches()
    for k, (_, gap) in enumerate(report.gaps.iterrows()):
        bottom = 1 - (layout.top + 0.75 + k * panel) / height
        ax = fig.add_axes((0.3 / width, bottom, 1 - 0.6 / width, 0.4 / height))
        foods = report.top_foods[report.top_foods["nutrient"].eq(gap["nutrient"])]
        _draw_shares(ax, gap, foods.sort_values("rank").head(top))
    return fig


def plot_before_after(report: GapReport, addon: AddonResult) -> Figure:
    """The average day's coverage next to its coverage with the suggested add-on.

    Parameters
    ----------
    report : planner.analysis.GapReport
    addon : planner.suggest.AddonResult
        From :func:`planner.suggest.suggest_addon` for the same report.

    Returns
    -------
    matplotlib.figure.Figure
        Two bars per panel nutrient in % of target, ordered as in :func:`plot_coverage`:
        the diary's average day (``before-<id>``, grey) and the same with the add-on
        (``after-<id>``, blue). The subtitle lists the add-on foods and their energy.

    Examples
    --------
    >>> import pandas as pd
    >>> from planner.analysis import score_diary
    >>> from planner.suggest import suggest_addon
    >>> from planner.targets import Profile
    >>> eaten = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-01-02"]),
    ...     "status": "matched", "food_id": ["12014", "09040"], "description": "",
    ...     "food_text": ["pumpkin seeds", "banana"], "magnesium_mg": [168.0, 32.0],
    ...     "grams": [60.0, 118.0]})
    >>> report = score_diary(eaten, Profile(45, "female"))
    >>> fig = plot_before_after(report, suggest_addon(report, explain=False))
    >>> sum(str(p.get_gid()).startswith("after-") for p in fig.axes[0].patches)
    11
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    before = _report_rows(report)
    foods = addon.foods
    added = pd.Series({n: foods[n].sum() if n in foods else 0.0 for n in before.index})
    after = before.assign(intake=before["intake"] + added.fillna(0.0))
    after["percent"] = 100.0 * after["intake"] / after["target"]
    handles = [
        Patch(color=BEFORE_COLOUR, label="the diary's average day"),
        Patch(color=AFTER_COLOUR, label="with the add-on"),
        Line2D([], [], color="#222222", linestyle="--", label="target (100%)"),
        *_ul_handles(before),
    ]
    if before["status"].eq("doctor_sets").any():
        label = STATUS_LABELS["doctor_sets"]
        handles.append(Patch(facecolor=STATUS_COLOURS["doctor_sets"], hatch="..", label=label))
    notes = [*_ul_notes(before), _context_note(report.nutrients["mean_intake"], report.targets)]
    notes = [LOWER_BOUND, *notes] if before["lower_bound"].any() else notes
    subtitle = f"{report.describe()}\n{_addon_text(addon)}"
    layout = _Layout(
        body=0.56 * len(before),
        top=0.95 + 0.22 * subtitle.count("\n"),
        legend_rows=_n_rows(handles, 3),
        notes=notes,
    )
    fig, ax = layout.figure("The average day, before and with the add-on", subtitle)
    _axis(ax, before)
    for i, nid in enumerate(before.index):
        was, now = before.loc[nid], after.loc[nid]
        kw = {"height": 0.36, "zorder": 2}
        ax.barh(i - 0.19, _width(was["percent"]), color=BEFORE_COLOUR, gid=f"before-{nid}", **kw)
        doctor = was["status"] == "doctor_sets"  # kidney disease: grey, dotted, no target
        colour = STATUS_COLOURS["doctor_sets"] if doctor else AFTER_COLOUR
        (bar,) = ax.barh(i + 0.19, _width(now["percent"]), color=colour, gid=f"after-{nid}", **kw)
        if doctor:
            bar.set_hatch("..")
        _bar_label(fig, ax, i + 0.19, now, _pair_text(was, now), colour)
        _draw_ul(ax, i, was)
    ax.set_xlabel(f"Mean intake, {X_LABEL}", fontsize=FONT)
    layout.legend(fig, handles, 3)
    return fig


def plot_plan(plan: MealPlan) -> Figure:
    """Bars of a planned day (the average day of a longer plan) in % of the targets.

    Parameters
    ----------
    plan : planner.plan.MealPlan

    Returns
    -------
    matplotlib.figure.Figure
        As :func:`plot_coverage`: bars coloured met, below or above a limit, the 100%
        line and UL diamonds. For a plan of several days each label also gives the range
        of the single days.

    Examples
    --------
    >>> from planner.plan import plan_days
    >>> from planner.targets import Profile
    >>> fig = plot_plan(plan_days(Profile(45, "female"), days=1))
    >>> fig.axes[0].get_xlabel()
    'Planned intake, % of daily target (RDA or AI)'
    """
    from planner.plan import totals_frame

    rows = _plan_rows(plan, totals_frame(plan))
    notes = [*_ul_notes(rows), _context_note(plan.average(), plan.targets)]
    heading = "The average planned day" if len(plan.days) > 1 else "A planned day"
    heading += " against the targets"
    return _coverage_chart(rows, heading, plan.describe(), notes, "Planned intake")


def save_figure(fig: Figure, path) -> Path:
    """Write a chart to ``path``; the suffix (.png, .svg or .pdf) picks the format.

    PNGs are written at 150 dpi; every format is cropped to its content. SVG and PDF carry
    no creation date, so the same chart gives the same file.

    Raises
    ------
    ChartError
        If the suffix is not .png, .svg or .pdf.

    Examples
    --------
    >>> import tempfile
    >>> from matplotlib.figure import Figure
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     save_figure(Figure(), Path(folder) / "coverage.svg").stat().st_size > 0
    True
    >>> save_figure(Figure(), "coverage.txt")
    Traceback (most recent call last):
    ...
    planner.errors.ChartError: coverage.txt: cannot write a chart as '.txt'; use .png, .svg or .pdf
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        kind = f"'{path.suffix}'" if path.suffix else "a file without a suffix"
        raise ChartError(path, f"cannot write a chart as {kind}; use .png, .svg or .pdf")
    options: dict = {"bbox_inches": "tight"}
    if suffix == ".png":
        options["dpi"] = PNG_DPI
    else:
        options["metadata"] = {"Date": None} if suffix == ".svg" else {"CreationDate": None}
    fig.savefig(path, **options)
    return path


# --- rows to plot ----------------------------------------------------------------------


def _panel() -> list[str]:
    return [n.id for n in registry.nutrients() if n.role == "panel"]


def _report_rows(report: GapReport) -> pd.DataFrame:
    """Panel nutrients, lowest percent first and those without a value last."""
    n = report.nutrients.loc[_panel()]
    forms = n["ul_form"] if "ul_form" in n else pd.Series("total", index=n.index)
    # a UL of supplements only says nothing about food: drawn when supplements give some
    given = n["mean_ul_intake"].fillna(0.0) > 0
    applies = n["ul_applies"].fillna(False).astype(bool) & (forms.ne("supplements") | given)
    rows = pd.DataFrame(
        {
            "name": n["name"],
            "unit": n["unit"],
            "intake": n["mean_intake"],
            "target": n["target"],
            "percent": n["percent_of_target"],
            "status": n["status"],
            "lower_bound": n["lower_bound"].fillna(False).astype(bool),
            "ul_percent": (100.0 * n["ul"] / n["target"]).where(applies),
            "ul_note": "",
        }
    )
    for nid in rows.index[applies.to_numpy()]:
        form = FORM_KEYS.get(forms[nid], nid)
        if form != nid:
            rows.loc[nid, "ul_note"] = _form_note(n.loc[nid], form, n.loc[nid, "mean_ul_intake"])
    return rows.sort_values("percent", kind="stable", na_position="last")


def _plan_rows(plan: MealPlan, totals: pd.DataFrame) -> pd.DataFrame:
    t = totals.loc[_panel()]
    met = np.where(t["meets_target"].fillna(True).astype(bool), "met", "below")
    rows = pd.DataFrame(
        {
            "name": t["name"],
            "unit": t["unit"],
            "intake": t["total"],
            "target": t["target"],
            "percent": 100.0 * t["total"] / t["target"],
            "status": np.where(t["within_limit"], met, "above_ul"),
            "lower_bound": t["lower_bound"].to_numpy(dtype=bool),
            "ul_percent": 100.0 * t["limit"].astype(float) / t["target"],
            "ul_note": "",
            "day_range": "",
        }
    )
    if len(plan.days) > 1:
        days = pd.concat([d.totals for d in plan.days], axis=1).reindex(t.index)
        pct = days.div(t["target"], axis=0) * 100.0
        low, high = pct.min(axis=1), pct.max(axis=1)
        rows["day_range"] = [f"days {a:.0f}–{b:.0f}%" for a, b in zip(low, high, strict=True)]
    average = plan.average()
    for nid, row in t[t["limit"].notna()].iterrows():
        form = row["limit_checked_on"]
        if form != nid:
            ul = row.rename({"limit": "ul"})
            rows.loc[nid, "ul_note"] = _form_note(ul, form, average.get(form))
    return rows.sort_values("percent", kind="stable", na_position="last")


def _form_note(row: pd.Series, form: str, intake) -> str:
    """'Folate: the UL (1,000 µg) covers folic acid only, 173 µg a day here.'"""
    unit = registry.get(form).unit if form in registry.ids() else row["unit"]
    note = f"{row['name']}: the UL ({_num(row['ul'])} {unit}) covers {LIMIT_FORMS.get(form, form)}"
    known = intake is not None and not math.isnan(intake)
    return note + (f" only, {_num(intake)} {unit} a day here." if known else " only.")


def _ul_notes(rows: pd.DataFrame) -> list[str]:
    notes = [
        n
        for n, pct in zip(rows["ul_note"], rows["percent"], strict=True)
        if n and not math.isnan(pct)
    ]
    return [f"Hollow diamond: {' '.join(notes)}"] if notes else []


def _context_note(intake: pd.Series, targets) -> str:
    """'Not bars (more is not better): energy 1,589 kcal a day, 79% of 2,000; sodium ...'"""
    table = targets.table
    kcal, sodium = intake.get("energy_kcal", math.nan), intake.get("sodium_mg", math.nan)
    parts = []
    if not math.isnan(kcal):
        target = table.loc["energy_kcal", "target"]
        parts.append(
            f"energy {_num(kcal)} kcal a day, {100 * kcal / target:.0f}% of {_num(target)}"
        )
    if not math.isnan(sodium):
        ceiling = table.loc["sodium_mg", "cdrr"]
        where = "above" if sodium > ceiling else "under"
        limit = f", {where} the {_num(ceiling)} mg limit" if not math.isnan(ceiling) else ""
        parts.append(f"sodium {_num(sodium)} mg a day{limit}")
    return f"Not bars (more is not better): {'; '.join(parts) or 'energy and sodium'}."


# --- layout ----------------------------------------------------------------------------


@dataclass
class _Layout:
    """Inches of a chart, top down: titles, body, tick labels, legend, footer notes."""

    width: float = 9.0
    body: float = 4.0
    left: float = 1.6
    right: float = 1.3
    top: float = 0.95
    below: float = 0.65
    legend_rows: int = 0
    notes: list[str] | None = None

    @property
    def footer(self) -> str:
        return "\n".join([*(textwrap.fill(n, 125) for n in self.notes or []), FOOTER])

    @property
    def legend_top(self) -> float:
        return 0.15 + 0.17 * (self.footer.count("\n") + 1) + 0.27 * self.legend_rows

    @property
    def height(self) -> float:
        return self.top + max(self.body, 1.0) + self.below + self.legend_top

    def figure(self, heading: str, subtitle: str, body_axes: bool = True):
        """A Figure on an Agg canvas with titles, footer and (unless not) one body axes."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        w, h = self.width, self.height
        fig = Figure(figsize=(w, h))
        FigureCanvasAgg(fig)
        x = 0.15 / w
        fig.suptitle(
            heading, x=x, y=1 - 0.12 / h, ha="left", va="top", fontsize=FONT + 3, fontweight="bold"
        )
        top = {"ha": "left", "va": "top", "fontsize": FONT, "color": "#333333"}
        fig.text(x, 1 - 0.48 / h, subtitle, **top, linespacing=1.4, gid="subtitle")
        bottom = {"ha": "left", "va": "bottom", "fontsize": SMALL, "color": "#555555"}
        fig.text(x, 0.1 / h, self.footer, **bottom, linespacing=1.35, gid="footer")
        if not body_axes:
            return fig, None
        bottom, body = self.below + self.legend_top, max(self.body, 1.0)
        return fig, fig.add_axes(
            (self.left / w, bottom / h, 1 - (self.left + self.right) / w, body / h)
        )

    def legend(self, fig: Figure, handles: list, ncol: int) -> None:
        if not handles:
            return
        anchor = (self.left / self.width, self.legend_top / self.height)
        fig.legend(handles=_across(handles, ncol), ncol=ncol, bbox_to_anchor=anchor, **LEGEND)


def _across(handles: list, ncol: int) -> list:
    """matplotlib fills legend columns first; reorder so that the entries read across."""
    return [h for c in range(ncol) for h in handles[c::ncol]]


def _n_rows(handles: list, ncol: int) -> int:
    return math.ceil(len(handles) / ncol)


def _message(heading: str, subtitle: str, message: str) -> Figure:
    fig, ax = _Layout(width=8.0, body=0.8, left=0.3, right=0.3, below=0.1).figure(heading, subtitle)
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, **{**CENTRED, "fontsize": FONT + 2}, gid="message")
    return fig


# --- drawing ---------------------------------------------------------------------------


def _coverage_chart(rows, heading, subtitle, notes, what) -> Figure:
    handles = _status_handles(rows)
    layout = _Layout(body=0.42 * len(rows), legend_rows=_n_rows(handles, 3), notes=notes)
    fig, ax = layout.figure(heading, subtitle)
    _axis(ax, rows)
    for i, (nid, row) in enumerate(rows.iterrows()):
        colour = STATUS_COLOURS.get(row["status"], "#999999")
        if math.isnan(row["percent"]):  # an empty grey row
            ax.barh(i, CAP, height=0.68, color="#F4F4F4", zorder=1, gid="empty-row")
        style = {"color": colour, "edgecolor": colour, "linewidth": 0.8, "zorder": 2}
        (bar,) = ax.barh(i, _width(row["percent"]), height=0.68, gid=f"bar-{nid}", **style)
        if row["lower_bound"]:
            bar.set(facecolor=_lighten(colour), hatch="///")
        fill = None if row["lower_bound"] else colour
        _bar_label(fig, ax, i, row, _value_text(row), fill)
        _draw_ul(ax, i, row)
    ax.set_xlabel(f"{what}, {X_LABEL}", fontsize=FONT)
    layout.legend(fig, handles, 3)
    return fig


def _axis(ax: Axes, rows: pd.DataFrame) -> None:
    """Rows top down, the x axis from 0 to CAP and the 100% line."""
    n = len(rows)
    ax.set_yticks(np.arange(n), list(rows["name"]), fontsize=FONT)
    ax.set_ylim(n - 0.5, -0.5)
    ticks = np.arange(0, CAP + 1, 50)
    ax.set_xticks(ticks, [f"{t:.0f}%" for t in ticks[:-1]] + [f"{CAP:.0f}%+"], fontsize=SMALL)
    ax.set_xlim(0, CAP)
    ax.grid(axis="x", color="#E5E5E5", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    ax.spines[["top", "right"]].set_visible(False)
    ax.axvline(100, color="#222222", linestyle="--", linewidth=1.2, gid="target-line", zorder=4)


def _width(percent: float) -> float:
    return 0.0 if math.isnan(percent) else min(percent, CAP)


def _draw_ul(ax: Axes, y: float, row: pd.Series) -> None:
    """A diamond at the UL, or its percent in the margin when beyond the axis."""
    ul = row["ul_percent"]
    if math.isnan(ul) or math.isnan(row["percent"]):  # nothing to compare with
        return
    hollow = bool(row["ul_note"])
    if ul <= CAP:
        face = "white" if hollow else UL_COLOUR
        ax.plot(
            [ul],
            [y],
            **DIAMOND,
            markersize=8,
            markerfacecolor=face,
            clip_on=False,
            gid="ul-marker",
            zorder=7,
        )
    else:
        text = f"UL {ul:,.0f}%{' ◇' * hollow} →"
        where = {"xycoords": ax.get_yaxis_transform(), "xytext": (12, 0)}
        ax.annotate(text, (1.0, y), **where, **BESIDE, color=UL_COLOUR, gid="ul-marker")


def _bar_label(fig: Figure, ax: Axes, y: float, row: pd.Series, text: str, fill) -> None:
    """Label a bar at its end: outside where it fits before the axis end, else inside.

    ``fill`` is the bar's colour, behind white text inside it; None for a light (lower
    bound) bar, which gets dark text on a white box. A label that would cover a UL
    diamond outside the bar goes inside the bar, or past the diamond when it is too long
    for the bar; inside a bar, the label moves left of a UL diamond that it would cover,
    where there is room.
    """
    percent = row["percent"]
    if math.isnan(percent):
        ax.text(2, y, text, va="center", **MUTED)
        return
    clipped = percent > CAP
    label = ax.annotate(text, (_width(percent), y), xytext=(4, 0), **BESIDE, zorder=6)
    # The box keeps the 100% line and the grid from running through the text.
    box = {"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 0.6}
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    outside = label.get_window_extent(renderer)
    ul = row["ul_percent"]
    ul_px = ax.transData.transform((ul, y))[0] if ul <= CAP else math.nan  # False for NaN
    covers_ul = outside.x0 - 8 < ul_px < outside.x1 + 8
    bar_px = ax.transData.transform((_width(percent), y))[0] - frame.x0
    # bold white text inside a bar is about a tenth wider than the plain text measured here
    if covers_ul and not clipped and outside.width * 1.12 + 12 > bar_px:
        # too long to go inside the bar: hop over the diamond into the margin instead
        label.xy = (ul, y)
        label.set_position((10, 0))
        label.set_bbox(box)
        return
    if clipped or outside.x1 > frame.x1 - 14 or covers_ul:
        label.set(position=(-12 if clipped else -5, 0), horizontalalignment="right")
        if fill is not None:
            label.set(color="white", fontweight="bold")
            box.update(facecolor=fill, alpha=1.0)
        if ul < _width(percent):  # False for NaN
            _clear_of(label, ax.transData.transform((ul, y))[0], (ul, y), frame.x0, renderer)
    label.set_bbox(box)
    if clipped:
        arrow = {"marker": ">", "markersize": 9, "color": "#222222", "clip_on": False}
        ax.plot([CAP], [y], **arrow, gid="clipped-marker", zorder=6)


def _clear_of(label, x_px: float, xy: tuple, left_px: float, renderer) -> None:
    """Move a right-aligned label left of the pixel column x_px if it covers it and fits."""
    box = label.get_window_extent(renderer)
    if not box.x0 - 8 < x_px < box.x1 + 8:
        return
    old = label.xy, label.get_position()
    label.xy = xy
    label.set_position((-10, 0))
    if label.get_window_extent(renderer).x0 < left_px + 4:
        label.xy = old[0]
        label.set_position(old[1])


def _value_text(row: pd.Series) -> str:
    """'≥169 mg of 320 (53%)'."""
    if row["status"] == "not_in_export":
        return "not in this export"
    if math.isnan(row["intake"]):
        return "no value"
    if row["status"] == "doctor_sets":  # kidney disease: the general AI is not the aim
        return f"{_ge(row['lower_bound'])}{_num(row['intake'])} {row['unit']}: your doctor's call"
    text = f"{_ge(row['lower_bound'])}{_num(row['intake'])} {row['unit']} of "
    text += f"{_num(row['target'])} ({row['percent']:.0f}%"
    return text + (f"; {row['day_range']})" if row.get("day_range") else ")")


def _pair_text(before: pd.Series, after: pd.Series) -> str:
    """'≥53% → ≥110%', or one percent where the add-on adds nothing."""
    if math.isnan(before["percent"]):
        return _value_text(before)
    at_least = _ge(before["lower_bound"])
    if before["status"] == "doctor_sets":  # kidney disease: amounts, not % of a target
        change = f"{at_least}{_num(before['intake'])} → {at_least}{_num(after['intake'])}"
        return f"{change} {before['unit']}: your doctor's call"
    text = f"{at_least}{before['percent']:.0f}%"
    if abs(after["percent"] - before["percent"]) < 0.5:
        return text
    return f"{text} → {at_least}{after['percent']:.0f}%"


def _status_handles(rows: pd.DataFrame) -> list:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    statuses = {"above_ul" if s == "above_cdrr" else s for s in rows["status"]}
    handles = [
        Patch(color=STATUS_COLOURS[s], label=label)
        for s, label in STATUS_LABELS.items()
        if s in statuses
    ]
    if rows["lower_bound"].any():
        grey = "#777777"
        label = "lower bound (≥): some entries have no value"
        handles.append(Patch(facecolor=_lighten(grey), edgecolor=grey, hatch="///", label=label))
    handles.append(Line2D([], [], color="#222222", linestyle="--", label="target (100%)"))
    return handles + _ul_handles(rows)


def _ul_handles(rows: pd.DataFrame) -> list:
    from matplotlib.lines import Line2D

    shown = rows[rows["ul_percent"].notna() & rows["percent"].notna()]
    handles = []
    for hollow in (False, True):
        if shown["ul_note"].ne("").eq(hollow).any():
            label = "UL of one form only (see below)" if hollow else "upper limit (UL)"
            face = "white" if hollow else UL_COLOUR
            handles.append(
                Line2D([], [], **DIAMOND, markersize=7, markerfacecolor=face, label=label)
            )
    return handles


def _draw_shares(ax: Axes, gap: pd.Series, foods: pd.DataFrame) -> None:
    from matplotlib.patches import Patch

    nid, unit, left, handles = gap["nutrient"], gap["unit"], 0.0, []
    segments = [
        (100.0 * f["share"], FOOD_COLOURS[k % 6], f"share-{nid}-{f['rank']}", f["food"])
        for k, (_, f) in enumerate(foods.iterrows())
    ]
    if segments:
        rest = max(100.0 - sum(s[0] for s in segments), 0.0)
        segments.append((rest, OTHER_COLOUR, f"share-{nid}-other", "other foods"))
    for share, colour, gid, name in segments:
        ax.barh(0, share, left=left, height=1.0, color=colour, edgecolor="white", gid=gid)
        if share >= 6:
            text = f"{share:.0f}%" if colour != OTHER_COLOUR else f"other foods {share:.0f}%"
            ax.text(left + share / 2, 0, text, **CENTRED, color=_text_colour(colour))
        handles.append(Patch(color=colour, label=f"{name} {share:.0f}%"))
        left += share
    if not segments:
        ax.text(50, 0, "none of the foods eaten has any", ha="center", va="center", **MUTED)
    ax.set_title(
        f"{gap['name']}: {_ge(gap['maybe_data_gap'])}{_num(gap['mean_intake'])} {unit} a day, "
        f"{gap['percent_of_target']:.0f}% of the {_num(gap['target'])} {unit} target, "
        "from these foods:",
        loc="left",
        fontsize=FONT + 1,
        pad=6,
    )
    ax.set(xlim=(0, 100), ylim=(-0.5, 0.5), xticks=[], yticks=[])
    ax.spines[:].set_visible(False)
    ax.legend(handles=_across(handles, 3), ncol=3, bbox_to_anchor=(0, -0.08), **LEGEND)


def _annotate_cells(ax: Axes, values, lower, cmap, norm) -> None:
    mask = np.ma.getmaskarray(values)
    for r, c in zip(*np.nonzero(~mask), strict=True):
        v = float(values[r, c])
        colour = _text_colour(cmap(norm(min(v, 200.0))))
        ax.text(c + 0.5, r + 0.5, f"{_ge(lower[r, c])}{v:.0f}", **CENTRED, color=colour)


def _date_ticks(ax: Axes, dates) -> None:
    n = len(dates)
    where = np.arange(0, n, max(1, math.ceil(n / 15)))
    fmt = "%a\n%d %b" if n <= 14 else "%d %b"
    ax.set_xticks(where + 0.5, [pd.Timestamp(dates[i]).strftime(fmt) for i in where])
    ax.tick_params(axis="x", labelsize=SMALL, rotation=0 if n <= 14 else 45)
    if n <= 14:
        ax.xaxis.set_ticks_position("top")


def _addon_text(addon: AddonResult) -> str:
    """'Add-on per day (+183 kcal): + 1 cup cooked spinach, + 3 oz canned sockeye salmon'."""
    foods = addon.foods
    if foods.empty:
        return "No add-on: " + ("there are no gaps." if addon.no_gaps else "none was found.")
    kcal = foods["energy_kcal"].sum() if "energy_kcal" in foods else math.nan
    energy = f" (+{kcal:,.0f} kcal)" if not math.isnan(kcal) else ""
    items = ", ".join(f"+ {row['portion']} {row['name']}" for _, row in foods.iterrows())
    return textwrap.fill(f"Add-on per day{energy}: {items}", 110)


# --- small helpers -------------------------------------------------------------------


def _ge(lower_bound) -> str:
    return "≥" if bool(lower_bound) else ""


def _num(x) -> str:
    """168.6 -> '169', 2.159 -> '2.16', 0.0383 -> '0.038', 1000 -> '1,000'."""
    if x is None or math.isnan(x):
        return "?"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}" if abs(x) >= 1 else f"{x:.2g}"


def _lighten(colour: str, amount: float = 0.6) -> tuple:
    from matplotlib.colors import to_rgb

    return tuple(c + (1 - c) * amount for c in to_rgb(colour))


def _text_colour(colour) -> str:
    """Black or white, whichever reads better on ``colour``."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(colour)
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def _colormap(name: str):
    from matplotlib import colormaps

    return colormaps[name].with_extremes(bad=UNKNOWN["facecolor"])
