"""Charts: inspect the Figure's artists (bars, lines, markers, texts); no image comparison."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.lines import Line2D
from matplotlib.text import Text

from planner import charts
from planner import nutrients as registry
from planner.analysis import score_diary
from planner.entries import read_entries
from planner.errors import PlannerError
from planner.plan import plan_days
from planner.suggest import suggest_addon
from planner.targets import Profile

ROOT = Path(__file__).resolve().parents[1]
PROFILE = Profile(45, "female")
PANEL = [n.id for n in registry.nutrients() if n.role == "panel"]

# Cheese, caraway (01008) has no vitamin D in SR28, so only vitamin D is a lower bound.
CARAWAY = """date,meal,food,amount,unit,food_id
2024-01-01,breakfast,banana,1,medium,
2024-01-01,breakfast,2% milk,1,cup,
2024-01-01,lunch,"Spinach, raw",2,cup,
2024-01-01,snack,almonds,1,oz,
2024-01-02,breakfast,banana,1,medium,
2024-01-02,lunch,"Cheese, caraway",1,oz,01008
2024-01-02,dinner,white bread,2,slice,
"""
# An unmatched row makes every total of its day a lower bound; the third day has no value.
UNMATCHED = CARAWAY + "2024-01-02,dinner,xqzvw plorf,1,cup,\n2024-01-03,lunch,xqzvw plorf,1,cup,\n"
LIVER = "date,food,amount,unit\n2024-01-01,beef liver,3,oz\n2024-01-01,banana,1,medium\n"
RICH = "date,food,amount,unit\n" + "".join(
    f"2024-01-01,{row}\n"
    for row in [
        "cooked spinach,2,cup", "canned sockeye salmon,6,oz", "2% milk,3,cup", "almonds,2,oz",
        "banana,3,medium", "baked potato,2,medium", "corn flakes,2,cup", "chicken breast,6,oz",
        "white beans,1,cup", "orange juice,2,cup",
    ]
)  # fmt: skip
MYFITNESSPAL = (
    "Date,Meal,Calories,Fat (g),Saturated Fat,Polyunsaturated Fat,Monounsaturated Fat,"
    "Trans Fat,Cholesterol,Sodium (mg),Potassium,Carbohydrates (g),Fiber,Sugar,Protein (g),"
    "Vitamin A,Vitamin C,Calcium,Iron,Note\n"
    "2024-01-01,Breakfast,1020,10,2,1,1,0,30,400,500,120,5,20,30,10,10,20,10,\n"
    "2024-01-01,Dinner,800,10,2,1,1,0,30,600,900,90,5,10,40,10,10,30,10,\n"
)


@pytest.fixture(scope="module")
def diaries(tmp_path_factory):
    folder = tmp_path_factory.mktemp("diaries")
    paths = {}
    for name, text in [
        ("caraway", CARAWAY),
        ("unmatched", UNMATCHED),
        ("liver", LIVER),
        ("rich", RICH),
        ("myfitnesspal", MYFITNESSPAL),
    ]:
        paths[name] = folder / f"{name}.csv"
        paths[name].write_text(text, encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def reports(diaries):
    found = {name: score_diary(read_entries(path), PROFILE) for name, path in diaries.items()}
    found["week"] = score_diary(read_entries(ROOT / "examples" / "diary.csv"), PROFILE)
    return found


@pytest.fixture(scope="module")
def week(reports):
    return reports["week"]


@pytest.fixture(scope="module")
def coverage(week):
    return charts.plot_coverage(week)


# --- helpers -------------------------------------------------------------------------


def bars(fig, prefix="bar-"):
    """{nutrient id: Rectangle} of the bars whose gid starts with ``prefix``."""
    ax = fig.axes[0]
    return {
        p.get_gid()[len(prefix) :]: p for p in ax.patches if str(p.get_gid()).startswith(prefix)
    }


def top_down(fig, prefix="bar-"):
    """Nutrient ids from the top row down (the y axis is inverted)."""
    found = bars(fig, prefix)
    return sorted(found, key=lambda nid: found[nid].get_y())


def with_gid(fig, gid):
    return fig.findobj(lambda a: a.get_gid() == gid)


def texts(fig):
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def row_of(artist, fig):
    """The nutrient id of the row an artist (a marker or an annotation) sits on."""
    y = artist.get_ydata()[0] if isinstance(artist, Line2D) else artist.xy[1]
    found = bars(fig)
    return min(found, key=lambda nid: abs(found[nid].get_y() + found[nid].get_height() / 2 - y))


# --- coverage --------------------------------------------------------------------------


def test_coverage_has_one_bar_per_panel_nutrient(coverage):
    assert sorted(bars(coverage)) == sorted(PANEL)
    assert "sodium_mg" not in bars(coverage) and "energy_kcal" not in bars(coverage)


def test_coverage_rows_go_from_the_lowest_percent_down(coverage, week):
    order = top_down(coverage)
    percents = week.nutrients.loc[order, "percent_of_target"].to_list()
    assert percents == sorted(percents)
    assert order[0] == "vitamin_d_ug"
    names = [t.get_text() for t in coverage.axes[0].get_yticklabels()]
    assert names == week.nutrients.loc[order, "name"].to_list()


def test_coverage_bar_lengths_are_the_percent_of_target(coverage, week):
    for nid, bar in bars(coverage).items():
        expected = min(week.nutrients.loc[nid, "percent_of_target"], charts.CAP)
        assert bar.get_width() == pytest.approx(expected)


def test_coverage_has_the_100_percent_line(coverage):
    (line,) = with_gid(coverage, "target-line")
    assert list(line.get_xdata()) == [100, 100]


def test_ul_markers_sit_only_on_rows_where_a_ul_is_checked(coverage, week):
    markers = with_gid(coverage, "ul-marker")
    rows = sorted(row_of(m, coverage) for m in markers)
    applies = week.nutrients.loc[PANEL]
    # magnesium's UL covers supplements only, and this diary has none: no diamond
    assert rows == sorted(set(applies.index[applies["ul_applies"]]) - {"magnesium_mg"})
    assert rows == ["calcium_mg", "folate_dfe_ug", "niacin_mg", "vitamin_b6_mg", "vitamin_d_ug"]
    # niacin's UL is checked on niacin from supplements and fortified foods: hollow
    diamonds = {row_of(m, coverage): m for m in markers}
    assert diamonds["niacin_mg"].get_markerfacecolor() == "white"


def test_ul_markers_sit_at_ul_over_target(coverage, week):
    diamonds = {row_of(m, coverage): m for m in with_gid(coverage, "ul-marker")}
    calcium = week.nutrients.loc["calcium_mg"]
    assert diamonds["calcium_mg"].get_xdata()[0] == pytest.approx(100 * 2500 / 1000)
    assert calcium["ul"] / calcium["target"] == pytest.approx(2.5)
    assert diamonds["calcium_mg"].get_markerfacecolor() != "white"
    # Folate's UL covers folic acid only: a hollow diamond and a footnote.
    assert diamonds["folate_dfe_ug"].get_markerfacecolor() == "white"
    assert any("covers folic acid only" in t for t in texts(coverage))
    # Beyond the axis the UL is written in the margin.
    assert isinstance(diamonds["vitamin_d_ug"], Text)
    assert diamonds["vitamin_d_ug"].get_text().startswith("UL 667%")


def test_coverage_titles_carry_the_profile_and_the_labels_carry_units(coverage, week):
    assert coverage._suptitle.get_text() == "How much of each daily target the diary meets"
    (subtitle,) = with_gid(coverage, "subtitle")
    assert (
        subtitle.get_text() == week.describe() == "female, 45 y; 2024-03-04 to 2024-03-10 (7 days)"
    )
    assert "% of daily target" in coverage.axes[0].get_xlabel()
    words = texts(coverage)
    assert "≥181 mg of 320 (56%)" in words
    assert "≥2.04 µg of 15 (14%)" in words
    assert any("Not bars (more is not better): energy 1,611 kcal" in t for t in words)
    assert any("Food guidance, not medical advice." in t for t in words)


def test_coverage_colours_follow_the_status(coverage, week):
    from matplotlib.colors import to_hex

    for nid, bar in bars(coverage).items():
        status = week.nutrients.loc[nid, "status"]
        assert to_hex(bar.get_edgecolor()) == charts.STATUS_COLOURS[status].lower()


def test_hatch_marks_exactly_the_lower_bounds(reports):
    report = reports["caraway"]
    fig = charts.plot_coverage(report)
    hatched = {nid for nid, bar in bars(fig).items() if bar.get_hatch()}
    lower = report.nutrients.loc[PANEL, "lower_bound"]
    assert hatched == set(lower.index[lower]) == {"vitamin_d_ug"}
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "lower bound (≥): some entries have no value" in legend


def test_an_unmatched_entry_makes_every_bar_a_lower_bound(reports):
    fig = charts.plot_coverage(reports["unmatched"])
    assert all(bar.get_hatch() == "///" for bar in bars(fig).values())
    labels = [t.get_text() for t in fig.axes[0].texts if not t.get_text().startswith("UL")]
    assert len(labels) == len(PANEL) and all(t.startswith("≥") for t in labels)


def test_long_bars_are_clipped_at_the_cap_and_marked(reports):
    report = reports["liver"]
    assert report.nutrients.loc["vitamin_b12_ug", "percent_of_target"] > 1000
    fig = charts.plot_coverage(report)
    assert bars(fig)["vitamin_b12_ug"].get_width() == charts.CAP
    assert fig.axes[0].get_xlim() == (0, charts.CAP)
    (arrow,) = with_gid(fig, "clipped-marker")
    assert row_of(arrow, fig) == "vitamin_b12_ug"
    pct = report.nutrients.loc["vitamin_b12_ug", "percent_of_target"]
    assert any(t.endswith(f"({pct:.0f}%)") for t in texts(fig))


def test_nutrients_not_in_the_export_are_empty_labelled_rows(reports):
    report = reports["myfitnesspal"]
    fig = charts.plot_coverage(report)
    absent = report.nutrients.loc[PANEL].query("status == 'not_in_export'").index
    assert len(absent) == 8
    assert all(bars(fig)[nid].get_width() == 0 for nid in absent)
    assert texts(fig).count("not in this export") == len(absent)
    assert len(with_gid(fig, "empty-row")) == len(absent)
    assert set(top_down(fig)[-len(absent) :]) == set(absent)  # last, below the known ones
    markers = {row_of(m, fig) for m in with_gid(fig, "ul-marker")}
    assert markers == {"calcium_mg"}  # none on rows without a value


def test_text_is_at_least_9_points(coverage):
    sizes = [t.get_fontsize() for t in coverage.findobj(Text) if t.get_text()]
    assert min(sizes) >= 9


# --- daily heatmap ---------------------------------------------------------------------


def test_heatmap_has_one_cell_per_day_and_nutrient(week):
    fig = charts.plot_daily(week)
    (mesh,) = with_gid(fig, "daily-cells")
    assert mesh.get_array().shape == (len(PANEL), 7)
    assert mesh.norm.vcenter == 100 and (mesh.norm.vmin, mesh.norm.vmax) == (0, 200)
    assert fig.axes[1].get_ylabel() == "% of daily target"
    # The rows follow the coverage chart; with a week every cell is labelled.
    names = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert names == [week.nutrients.loc[n, "name"] for n in top_down(charts.plot_coverage(week))]
    numbers = [t for t in fig.axes[0].texts if t.get_text().lstrip("≥").isdigit()]
    assert len(numbers) == len(PANEL) * 7


def test_heatmap_shows_unknown_days_distinctly(reports):
    fig = charts.plot_daily(reports["unmatched"])
    (mesh,) = with_gid(fig, "daily-cells")
    values = mesh.get_array()
    assert values.shape == (len(PANEL), 3)
    assert np.ma.getmaskarray(values)[:, 2].all() and not np.ma.getmaskarray(values)[:, :2].any()
    assert len(with_gid(fig, "unknown-cell")) == len(PANEL)
    assert "no value" in [t.get_text() for t in fig.legends[0].get_texts()]


def test_heatmap_of_many_days_has_no_cell_labels(diaries, tmp_path):
    lines = ["date,food,amount,unit"]
    lines += [f"2024-01-{d:02d},banana,1,medium" for d in range(1, 31)]
    path = tmp_path / "month.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fig = charts.plot_daily(score_diary(read_entries(path), PROFILE))
    (mesh,) = with_gid(fig, "daily-cells")
    assert mesh.get_array().shape == (len(PANEL), 30)
    assert not fig.axes[0].texts
    assert len(fig.axes[0].get_xticks()) <= 15


# --- contributors ----------------------------------------------------------------------


def test_contributors_has_a_bar_per_gap_with_shares_summing_to_100(week):
    fig = charts.plot_contributors(week)
    gaps = list(week.gaps["nutrient"])
    assert len(fig.axes) == len(gaps) == 4
    for ax, nid in zip(fig.axes, gaps, strict=True):
        foods = [p for p in ax.patches if p.get_gid().startswith(f"share-{nid}-")]
        assert [p.get_gid() for p in foods][-1] == f"share-{nid}-other"
        shares = [p.get_width() for p in foods]
        assert sum(shares[:-1]) <= 100 + 1e-9
        assert sum(shares) == pytest.approx(100)
        top = week.top_foods[week.top_foods["nutrient"].eq(nid)]
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend[0] == f"{top['food'].iloc[0]} {100 * top['share'].iloc[0]:.0f}%"
        assert ax.get_title(loc="left").startswith(week.gaps.set_index("nutrient").loc[nid, "name"])


def test_contributors_without_gaps_says_so(reports):
    assert reports["rich"].gaps.empty
    fig = charts.plot_contributors(reports["rich"])
    (message,) = with_gid(fig, "message")
    assert message.get_text().startswith("No gaps")


def test_contributors_of_an_export_without_foods_says_so(reports):
    fig = charts.plot_contributors(reports["myfitnesspal"])
    (message,) = with_gid(fig, "message")
    assert "not foods" in message.get_text()


# --- before and after ------------------------------------------------------------------


@pytest.fixture(scope="module")
def addon(week):
    return suggest_addon(week)


def test_before_after_shows_two_series(week, addon):
    fig = charts.plot_before_after(week, addon)
    before, after = bars(fig, "before-"), bars(fig, "after-")
    assert sorted(before) == sorted(after) == sorted(PANEL)
    assert top_down(fig, "before-") == top_down(charts.plot_coverage(week))
    for nid in PANEL:
        assert after[nid].get_width() >= before[nid].get_width()
    assert before["magnesium_mg"].get_width() < 100 <= after["magnesium_mg"].get_width()
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert {"the diary's average day", "with the add-on"} <= set(legend)
    assert len(with_gid(fig, "target-line")) == 1


def test_before_after_lists_the_add_on_foods(week, addon):
    fig = charts.plot_before_after(week, addon)
    (subtitle,) = with_gid(fig, "subtitle")
    assert week.describe() in subtitle.get_text()
    for _, food in addon.foods.iterrows():
        assert f"+ {food['portion']} {food['name']}" in subtitle.get_text()


def test_before_after_labels_give_both_percents(week, addon):
    fig = charts.plot_before_after(week, addon)
    pct = week.nutrients.loc["magnesium_mg", "percent_of_target"]
    assert any(t.startswith(f"≥{pct:.0f}% → ≥") for t in texts(fig))


# --- plan ------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [1, 3])
def test_plan_chart_for_one_and_several_days(days):
    plan = plan_days(PROFILE, days=days)
    fig = charts.plot_plan(plan)
    assert sorted(bars(fig)) == sorted(PANEL)
    (subtitle,) = with_gid(fig, "subtitle")
    assert subtitle.get_text() == plan.describe()
    assert len(with_gid(fig, "target-line")) == 1
    average = plan.average()
    for nid, bar in bars(fig).items():
        pct = 100 * average[nid] / plan.targets.table.loc[nid, "target"]
        assert bar.get_width() == pytest.approx(min(pct, charts.CAP))
    # ULs: where the plan checks one, folate and niacin on their synthetic forms (hollow).
    markers = {row_of(m, fig): m for m in with_gid(fig, "ul-marker")}
    assert set(markers) == {
        "calcium_mg", "vitamin_d_ug", "niacin_mg", "vitamin_b6_mg", "folate_dfe_ug"
    }  # fmt: skip
    assert markers["folate_dfe_ug"].get_markerfacecolor() == "white"
    labelled = [t.get_text() for t in fig.axes[0].texts if not t.get_text().startswith("UL")]
    assert len(labelled) == len(PANEL)
    assert all(("days " in t) == (days > 1) for t in labelled)


# --- saving ----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_save_figure_writes_each_format(coverage, tmp_path, suffix):
    path = charts.save_figure(coverage, tmp_path / f"coverage{suffix}")
    assert path.stat().st_size > 1000
    head = path.read_bytes()[:8]
    assert {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}[suffix] in head


def test_save_figure_refuses_other_suffixes(coverage, tmp_path):
    path = tmp_path / "coverage.txt"
    with pytest.raises(charts.ChartError) as caught:
        charts.save_figure(coverage, path)
    assert isinstance(caught.value, PlannerError) and isinstance(caught.value, ValueError)
    assert caught.value.path == path
    assert str(caught.value) == f"{path}: cannot write a chart as '.txt'; use .png, .svg or .pdf"
    assert not path.exists()


def test_figures_need_no_pyplot_and_importing_needs_no_matplotlib(coverage):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    assert isinstance(coverage.canvas, FigureCanvasAgg)
    code = "import sys, planner.charts; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_number_format():
    assert [charts._num(x) for x in (1000, 168.6, 24.12, 2.159, 0.0383, 0)] == [
        "1,000", "169", "24.1", "2.16", "0.038", "0"
    ]  # fmt: skip
    assert charts._num(math.nan) == "?"


def test_kidney_disease_draws_potassium_grey_without_a_target(week):
    from planner.analysis import for_kidney_disease

    fig = charts.plot_coverage(for_kidney_disease(week))
    potassium = bars(fig)["potassium_mg"]
    assert to_hex(potassium.get_edgecolor()) == charts.STATUS_COLOURS["doctor_sets"].lower()
    assert any("Potassium" not in t and "your doctor's call" in t for t in texts(fig))
    assert "no target here: your doctor's call" in texts(fig)
    # the other gaps keep their colour
    magnesium = bars(fig)["magnesium_mg"]
    assert to_hex(magnesium.get_edgecolor()) == charts.STATUS_COLOURS["below"].lower()


def test_kidney_disease_before_after_shows_potassium_as_amounts_not_a_target(week):
    from planner.analysis import for_kidney_disease
    from planner.candidates import Restrictions

    report = for_kidney_disease(week)
    fig = charts.plot_before_after(report, suggest_addon(report, Restrictions(kidney_disease=True)))
    after = bars(fig, "after-")
    assert after["potassium_mg"].get_hatch() == ".."
    assert after["magnesium_mg"].get_hatch() is None
    assert any(t.endswith("mg: your doctor's call") and "→" in t for t in texts(fig))
    assert "no target here: your doctor's call" in texts(fig)
