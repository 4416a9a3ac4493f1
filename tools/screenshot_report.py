"""Look at planner's HTML report in a real browser: headless Chromium (Debian's ``chromium``).

Run from the repository root to remake the README's screenshot of the report on the
example diary::

    python tools/screenshot_report.py                  # docs/report.png, the top of the page
    python tools/screenshot_report.py --full out.png   # the whole page
    python tools/screenshot_report.py --pdf out.pdf    # the page printed (print stylesheet)

``tests/test_report_html.py`` imports this file for its browser test: :func:`find_chromium`,
:func:`measure` (the page's laid-out size, read back with ``--dump-dom``) and
:func:`screenshot`. Chromium runs with a new, throw-away profile folder and with every
background network feature off; the report itself references nothing outside the page.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]
WIDTH = 960  # [px] the browser window: the page at its full width (62rem)
MEASURE = """<script>
(function () {
  var root = document.documentElement;
  var charts = Array.prototype.map.call(document.querySelectorAll("svg.chart"), function (e) {
    var box = e.getBoundingClientRect();
    return [Math.round(box.width), Math.round(box.height)];
  });
  var out = {width: root.scrollWidth, height: root.scrollHeight, charts: charts,
             tables: document.querySelectorAll("table").length};
  var pre = document.createElement("pre");
  pre.id = "planner-measure";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def find_chromium() -> str | None:
    """The Chromium to use: ``$PLANNER_CHROMIUM``, else ``chromium`` on the PATH, else None."""
    given = os.environ.get("PLANNER_CHROMIUM")
    if given:
        return given if Path(given).is_file() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def run_chromium(args: list[str], timeout: float = 120.0) -> subprocess.CompletedProcess:
    """Run headless Chromium with ``args`` in a new profile folder; fail on a non-zero exit."""
    chromium = find_chromium()
    if chromium is None:
        raise RuntimeError("no Chromium found: apt-get install chromium, or set PLANNER_CHROMIUM")
    with tempfile.TemporaryDirectory(prefix="planner-chromium-") as profile:
        command = [chromium, *FLAGS, f"--user-data-dir={profile}", *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"chromium exited {done.returncode}: {done.stderr[-2000:]}")
    return done


def measure(page: Path, width: int = WIDTH) -> dict:
    """Lay the page out at ``width`` px and return its size and its charts' sizes.

    A copy of the page with a small script that writes the sizes into the document is
    opened with ``--dump-dom``; the page itself has no script.

    Returns
    -------
    dict
        ``width`` and ``height`` [px] of the laid-out document, ``charts`` ([width,
        height] of each ``svg.chart``) and ``tables`` (how many ``<table>`` elements).
    """
    text = Path(page).read_text(encoding="utf-8")
    if "</body>" not in text:
        raise ValueError(f"{page}: no </body> to put the measuring script before")
    with tempfile.TemporaryDirectory(prefix="planner-measure-") as folder:
        copy = Path(folder) / "page.html"
        copy.write_text(text.replace("</body>", MEASURE + "</body>", 1), encoding="utf-8")
        done = run_chromium([f"--window-size={width},900", "--dump-dom", copy.as_uri()])
    start = done.stdout.find('<pre id="planner-measure">')
    if start < 0:
        raise RuntimeError("the measuring script did not run: no result in the dumped page")
    start += len('<pre id="planner-measure">')
    return json.loads(html.unescape(done.stdout[start : done.stdout.index("</pre>", start)]))


def screenshot(page: Path, png: Path, width: int = WIDTH, height: int | None = None) -> Path:
    """Screenshot the page at ``width`` px: its top ``height`` px, or all of it if None."""
    height = height or measure(page, width)["height"]
    png = Path(png).resolve()
    uri = Path(page).resolve().as_uri()
    run_chromium([f"--window-size={width},{height}", f"--screenshot={png}", uri])
    if not png.is_file():
        raise RuntimeError(f"chromium wrote no screenshot to {png}")
    return png


def shrink(png: Path) -> Path:
    """Rewrite a screenshot with a 256-colour palette: a third of the bytes, no visible change."""
    from PIL import Image

    with Image.open(png) as image:
        palette = image.convert("RGB").quantize(256, dither=Image.Dither.NONE)
    palette.save(png, optimize=True)
    return png


def print_pdf(page: Path, pdf: Path) -> Path:
    """Print the page to PDF as a browser would (A4/Letter per Chromium, no header or footer)."""
    pdf = Path(pdf).resolve()
    run_chromium(["--no-pdf-header-footer", f"--print-to-pdf={pdf}", Path(page).resolve().as_uri()])
    return pdf


def example_report(out: Path) -> Path:
    """``planner report examples/diary.csv --age 45 --sex female -o OUT``, run in-process."""
    if str(Path(__file__).parent) not in sys.path:  # also when a test imports this file
        sys.path.insert(0, str(Path(__file__).parent))
    from readme import run  # tools/readme.py: planner's CLI in-process, from the repo root

    args = ["report", "examples/diary.csv", "--age", "45", "--sex", "female", "-o", str(out),
            "--force"]  # fmt: skip
    run(shlex.join(["planner", *args]))
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "report.png"), help="PNG to write")
    parser.add_argument("--height", type=int, default=1850, help="px of the page shown")
    parser.add_argument("--full", metavar="PNG", help="also screenshot the whole page here")
    parser.add_argument("--pdf", metavar="PDF", help="also print the page to this PDF")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="planner-report-") as folder:
        page = example_report(Path(folder) / "report.html")
        Path(options.out).parent.mkdir(parents=True, exist_ok=True)
        print(f"wrote {shrink(screenshot(page, Path(options.out), height=options.height))}")
        if options.full:
            print(f"wrote {screenshot(page, Path(options.full))}")
        if options.pdf:
            print(f"wrote {print_pdf(page, Path(options.pdf))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
