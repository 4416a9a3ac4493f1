"""planner report: one self-contained HTML page, checked as markup and in a real browser."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import load_script

from planner.cli import cli
from planner.report_html import render_report

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ["examples/diary.csv", "--age", "45", "--sex", "female"]
PERSON_SECTIONS = ["overview", "rows", "targets", "daily", "gaps", "review", "addon", "plan"]
PAGE_SECTIONS = ["beyond-food", "not-medical-advice"]
VOID = {"meta", "link", "br", "hr", "img", "input", "col", "source", "wbr", "area", "base"}
# attributes whose value is fetched or followed by a browser
REFERENCES = {"src", "href", "xlink:href", "action", "formaction", "poster", "data", "srcset"}


class Page(HTMLParser):
    """A strict reading of the page: nesting, ids, references, text and elements by tag."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.ids, self.refs = [], [], [], []
        self.tags: dict[str, list[dict]] = {}
        self.text: list[str] = []
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append(f"never closed: {self.stack}")

    def handle_starttag(self, tag, attrs):
        self._element(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):  # <path ... /> inside the SVG
        self._element(tag, attrs)

    def _element(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.setdefault(tag, []).append(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        self.refs += [(name, value) for name, value in attrs.items() if name in REFERENCES]
        for value in attrs.values():
            self.refs += [("url()", u) for u in re.findall(r"url\(([^)]*)\)", value or "")]

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]} at line {self.getpos()[0]}")
            return
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "style":
            self.refs += [("url()", u) for u in re.findall(r"url\(([^)]*)\)", data)]
            self.refs += [("@import", "")] * data.count("@import")
        self.text.append(data)


def run(args, **kwargs):
    result = CliRunner().invoke(cli, args, **kwargs)
    return result


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    """``planner report`` on the example diary, made once for the tests that read it."""
    out = tmp_path_factory.mktemp("report") / "report.html"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        result = run(["report", *EXAMPLE, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {out}\n"
    return out


@pytest.fixture(scope="module")
def page(example) -> Page:
    return Page(example.read_text(encoding="utf-8"))


def test_the_page_parses_with_every_element_closed_and_unique_ids(page):
    assert page.errors == []
    assert page.tags["html"][0]["lang"] == "en"
    assert len(page.ids) == len(set(page.ids)), "an id repeats (charts would share clip paths)"
    # every in-page reference (contents, chart clip paths and glyphs) finds its target
    targets = {value.lstrip("#") for name, value in page.refs if value.startswith("#")}
    targets |= {v.lstrip("#") for n, v in page.refs if n == "url()" and v.startswith("#")}
    assert targets and targets <= set(page.ids), sorted(targets - set(page.ids))[:5]


def test_every_section_is_present_in_order(page, example):
    sections = [s["id"] for s in page.tags["section"]]
    assert sections == [*PERSON_SECTIONS, "notes", *PAGE_SECTIONS]
    html = example.read_text(encoding="utf-8")
    for heading in [
        "Who, when and what", "Rows accounted for", "Your average day against your targets",
        "Each day against its targets", "Gaps, largest first", "Rows to review",
        "Foods that would close the gaps", "A suggested day of meals",
        "Beyond food, and when to see a doctor", "Not medical advice",
    ]:  # fmt: skip
        assert f">{heading}</h2>" in html, heading
    text = " ".join(" ".join(page.text).split())
    assert "81 rows; every row ends in exactly one outcome" in text
    assert "Used 78" in text and "Flagged for review 3" in text and "Rejected 0" in text
    assert "Grandma's tuna noodle bake" in text  # a row to review, with its reason
    assert "Vitamin D: 2.04 of 15 µg a day (14%), short on 7 of 7 days." in text
    assert "cooked spinach 1 1/2 cups 270 g 62" in text  # the add-on, as planner suggest gives it
    # the planned day's Dietary Guidelines food groups, as planner plan gives them
    assert re.search(r"Vegetables [\d.]+ of 2\.5 cup-eq [\d.]+-[\d.]+ ok", text)
    assert "See a doctor if cramps are persistent" in text
    assert "not medical advice" in text


def test_every_chart_is_inline_svg_with_alternative_text_and_a_caption(page, example):
    charts = [a for a in page.tags["svg"] if a.get("class") == "chart"]
    assert len(charts) == 5  # coverage, daily, contributors, before/after, the planned day
    for chart in charts:
        assert chart["role"] == "img"
        assert len(chart["aria-label"]) > 80, chart["aria-label"]
        assert chart["viewbox"].count(" ") == 3
    assert len(page.tags["figcaption"]) == 5
    alt = charts[0]["aria-label"]
    assert alt.startswith("Bar chart") and "Vitamin D at least 14% of the target (below)" in alt
    assert "2% milk 41%" in charts[2]["aria-label"]  # the contributors, by name


def test_tables_have_header_cells_for_columns_and_rows(page):
    assert len(page.tags["table"]) >= 8
    scopes = [th.get("scope") for th in page.tags["th"]]
    assert set(scopes) == {"col", "row"}
    assert len(page.tags["caption"]) == len(page.tags["table"])


def test_no_reference_leaves_the_page(example, page):
    """Nothing to fetch: every src, href and CSS url() is in the page (#...) or data:.

    matplotlib's SVG names http:// addresses only in its namespace declarations, DOCTYPE
    and metadata, which the page leaves out; so the test can ask for no http:// or
    https:// at all, and check each reference a browser would follow on its own.
    """
    html = example.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html
    assert "<script" not in html.lower() and "<link" not in html.lower()
    assert page.refs
    outside = [(n, v) for n, v in page.refs if not v.strip("'\" ").startswith(("#", "data:"))]
    assert outside == []
    assert not re.search(r"""(src|href)\s*=\s*["']?//""", html)


def test_print_stylesheet(example):
    html = example.read_text(encoding="utf-8")
    style = html[html.index("@media print") :]
    assert "break-before: page" in style and "break-inside: avoid" in style
    assert "nav.contents { display: none; }" in style


HOSTILE = (
    "date,food,amount,unit,food_id\n"
    "2024-01-01,<script>alert(1)</script>,1,medium,09040\n"  # matched: a top food by name
    '2024-01-01,<script>alert(2)</script> & "stew",1,cup,\n'  # unmatched: a row to review
    "2024-01-02,oatmeal,1,cup,\n"
)


def test_food_text_from_the_diary_is_escaped(tmp_path):
    diary = tmp_path / "diary.csv"
    diary.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "report.html"
    result = run(["report", str(diary), "--age", "40", "--sex", "male", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # in the top foods and the charts' alt
    assert "&lt;script&gt;alert(2)&lt;/script&gt; &amp; &#34;stew&#34;" in html  # rows to review
    assert Page(html).errors == []


def test_a_food_name_with_dollar_signs_is_drawn_as_text(tmp_path):
    # two $ would start matplotlib's mathtext, which cannot parse this and would stop the page
    diary = tmp_path / "diary.csv"
    diary.write_text("date,food,amount,unit,food_id\n2024-01-01,$\\frac{$ cake,1,medium,09040\n")
    out = tmp_path / "report.html"
    result = run(["report", str(diary), "--age", "40", "--sex", "male", "--no-suggest", "-o",
                  str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "$\\frac{$ cake (100%)" in out.read_text(encoding="utf-8")


def test_a_diary_without_a_day_to_score_says_so(tmp_path):
    diary = tmp_path / "diary.csv"
    diary.write_text("date,food,amount,unit\nnot-a-date,banana,1,medium\n")
    out = tmp_path / "report.html"
    result = run(["report", str(diary), "--age", "40", "--sex", "male", "--no-suggest", "-o",
                  str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    text = " ".join(" ".join(Page(out.read_text(encoding="utf-8")).text).split())
    assert "No day of the diary could be scored" in text
    assert "meets every target" not in text
    assert "not a date 'not-a-date'" in text  # the rejected row, with its reason


def test_cli_refuses_to_overwrite_without_force(example, tmp_path):
    out = tmp_path / "report.html"
    out.write_text("keep me", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        refused = run(["report", *EXAMPLE, "--no-suggest", "-o", str(out)])
        assert refused.exit_code == 1
        assert refused.output == f"Error: {out} already exists; use --force to overwrite it\n"
        assert out.read_text(encoding="utf-8") == "keep me"
        forced = run(["report", *EXAMPLE, "--no-suggest", "-o", str(out), "--force"])
    assert forced.exit_code == 0, forced.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv", "--age", "45", "--sex", "female"], "missing.csv"),
        (["examples/diary.csv", "--age", "200", "--sex", "female"], "age '200'"),
        (["examples/diary.csv", "--age", "45", "--sex", "female", "--format", "nope"], "nope"),
    ],
)
def test_cli_bad_input_is_one_error_line(tmp_path, args, message):
    out = tmp_path / "report.html"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        result = run(["report", *args, "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: ") and message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def test_cli_needs_an_output_file():
    result = run(["report", "examples/diary.csv", "--age", "45", "--sex", "female"])
    assert result.exit_code == 2
    assert "Missing option '-o' / '--out'" in result.output


def test_no_suggest_leaves_out_the_add_on_and_the_planned_day(tmp_path):
    out = tmp_path / "report.html"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        result = run(["report", *EXAMPLE, "--no-suggest", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = Page(out.read_text(encoding="utf-8"))
    assert [s["id"] for s in page.tags["section"]][6:8] == ["addon", "notes"]
    assert "Left out of this report (--no-suggest)" in " ".join(page.text)
    assert len(page.tags["svg"]) == 3


def test_kidney_disease_and_diuretics_as_in_analyze(tmp_path):
    out = tmp_path / "report.html"
    flags = ["--kidney-disease", "--on-diuretics", "-o", str(out)]
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        result = run(["report", *EXAMPLE, *flags])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    text = " ".join(" ".join(Page(html).text).split())
    assert "Potassium ≥1,899 mg 2,600 AI 73% — doctor's call" in text  # not "below"
    gaps = re.search(r'<section id="gaps".*?</section>', html, re.DOTALL)[0]
    assert "Vitamin D:" in gaps and "Potassium" not in gaps  # neither listed nor charted
    assert "Magnesium 56% of the target. Kidney disease:" in text  # the gaps at a glance
    assert "Your doctor or renal dietitian sets your potassium limit" in text
    assert "Medicines: such as diuretics" in text
    assert "Diuretics: these medicines change how the body keeps potassium" in text
    assert "Not made here with kidney disease" in text  # no day planned at the general AI
    assert 'class="status status-doctor_sets"' in html


def _cohort(tmp_path, people: list[str]) -> tuple[Path, Path]:
    diary = tmp_path / "people.csv"
    profiles = tmp_path / "profiles.csv"
    rows = ["person,date,food,amount,unit"]
    for i, person in enumerate(people):
        rows += [f"{person},2024-01-0{1 + i % 3},banana,{1 + i % 2},medium",
                 f"{person},2024-01-0{1 + i % 3},oatmeal,1,cup"]  # fmt: skip
    diary.write_text("\n".join(rows) + "\n", encoding="utf-8")
    lines = ["person,age,sex"] + [f"{p},{30 + i},{('female', 'male')[i % 2]}"
                                 for i, p in enumerate(people)]  # fmt: skip
    profiles.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return diary, profiles


def test_a_cohort_gets_a_part_per_person(tmp_path):
    diary, profiles = _cohort(tmp_path, ["ann", "bob", "<i>cy</i>"])
    out = tmp_path / "report.html"
    result = run(["report", str(diary), "--profiles", str(profiles), "--no-suggest", "-o",
                  str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    page = Page(html)
    assert page.errors == [] and len(page.ids) == len(set(page.ids))
    assert [a["id"] for a in page.tags["article"]] == ["p1", "p2", "p3"]
    sections = [s["id"] for s in page.tags["section"]]
    assert sections[0] == "people" and sections[-2:] == PAGE_SECTIONS
    for i in (1, 2, 3):
        assert f"p{i}-overview" in sections and f"p{i}-gaps" in sections
    assert '<h2 id="p3-title">Person: &lt;i&gt;cy&lt;/i&gt;</h2>' in html
    assert "<i>cy</i>" not in html
    assert '<a href="#p1">ann</a>' in html
    assert len([s for s in page.tags["svg"] if s.get("class") == "chart"]) == 9


def test_a_cohort_of_more_than_ten_gets_a_summary_table(tmp_path):
    people = [f"p{i:02d}" for i in range(11)]
    diary, profiles = _cohort(tmp_path, people)
    out = tmp_path / "report.html"
    result = run(["report", str(diary), "--profiles", str(profiles), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = Page(out.read_text(encoding="utf-8"))
    assert [s["id"] for s in page.tags["section"]] == ["people", *PAGE_SECTIONS]
    assert "article" not in page.tags and "svg" not in page.tags
    text = " ".join(" ".join(page.text).split())
    assert "11 people: a part per person, with charts and suggestions, is made for up to 10" in text
    table_rows = re.findall(r"<th scope=\"row\">(p\d\d)</th>", out.read_text(encoding="utf-8"))
    assert table_rows == people


def test_render_report_takes_one_report_and_leaves_out_what_is_not_asked():
    import pandas as pd

    from planner.analysis import score_diary
    from planner.targets import Profile

    eaten = pd.DataFrame({"date": pd.to_datetime(["2024-01-01"]), "status": "matched",
                          "food_id": ["12014"], "description": "", "food_text": ["pumpkin seeds"],
                          "magnesium_mg": [168.0]})  # fmt: skip
    html = render_report(score_diary(eaten, Profile(45, "female")), suggest=False)
    assert Page(html).errors == []
    assert "Left out of this report" in html


# --- in a real browser -------------------------------------------------------------------


def _browser():
    return load_script("tools/screenshot_report.py")


def test_headless_chromium_draws_the_page(example, tmp_path):
    browser = _browser()
    if browser.find_chromium() is None:
        pytest.skip(
            "no Chromium to render the report in: apt-get install chromium (.ci/run does), "
            "or set PLANNER_CHROMIUM to a Chromium binary"
        )
    from PIL import Image

    size = browser.measure(example, width=1100)
    # the example report lays out to about 9,500 px at 1,100 px wide (5 charts, 10 tables)
    assert 6_000 < size["height"] < 16_000, size
    assert size["width"] == 1100, "something is wider than the window"
    assert size["tables"] == 10
    assert len(size["charts"]) == 5
    for width, height in size["charts"]:
        assert 500 < width <= 1000 and height > 300, size["charts"]  # drawn, at a legible size
    png = browser.screenshot(example, tmp_path / "page.png", width=1100, height=size["height"])
    image = Image.open(png).convert("RGB")
    assert image.size == (1100, size["height"])
    colours = image.getcolors(maxcolors=1 << 20)
    assert len(colours) > 2_000, "the page looks blank"  # text, charts and table bands
    white = max(count for count, rgb in colours if rgb == (255, 255, 255))
    assert white < 0.9 * image.size[0] * image.size[1], "the page is nearly all white"
