"""Hostile input: every command either gives a reconciled result or one clear error.

The promise: no traceback ever reaches the user; a bad file stops with ``Error: ...``
naming the file (and row and column where there is one) and exit code 1; a run that
succeeds accounts for every input row as used, flagged or rejected.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.cli import cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = (ROOT / "examples" / "diary.csv").read_text(encoding="utf-8")
HEADER = "date,meal,food,amount,unit\n"
ACCOUNTING = re.compile(r"(\d[\d,]*) rows \((\d[\d,]*) used, (\d[\d,]*) flagged, (\d[\d,]*) rej")


def number(text: str) -> int:
    return int(text.replace(",", ""))


def check_outcome(result, path: Path, rows: int | None = None):
    """Either ``Error: <path>...`` and exit 1, or a reconciled accounting line."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert result.output.startswith("Error: "), result.output
        assert str(path) in result.output.splitlines()[0]
        assert len(result.output.strip().splitlines()) == 1, result.output
        return None
    assert result.exit_code == 0, result.output
    found = ACCOUNTING.search(result.output)
    assert found, result.output
    total, used, flagged, rejected = (number(g) for g in found.groups())
    assert total == used + flagged + rejected
    if rows is not None:
        assert total == rows
    return total, used, flagged, rejected


def run_entries(runner, path: Path, tmp_path: Path):
    out = tmp_path / f"entries-{path.stem}.csv"
    return runner.invoke(cli, ["entries", str(path), "-o", str(out), "--force"])


# --- files -------------------------------------------------------------------------------


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("diary.csv", HEADER)
    return buffer.getvalue()


BAD_FILES = {
    "empty": (b"", "is empty"),
    "blank lines only": (b"\n\n  \n", "is empty"),
    "header only": (HEADER.encode(), "has a header row but no data rows"),
    "png renamed": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "is a PNG image"),
    "zip renamed": (_zip_bytes(), "is a zip archive"),
    "pdf renamed": (b"%PDF-1.7\n...", "is a PDF document"),
    "binary noise": (bytes(range(256)) * 4, "binary"),
    "not a table": (b"just some words\nand more words\n", "no comma, semicolon or tab"),
    "unknown header": (b"colour,shape\nred,round\n", "unrecognised diary format"),
    "missing food column": (b"date,meal,amount\n2024-01-01,lunch,1 cup\n", "unrecognised"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_files_give_one_error_line(runner, tmp_path, name):
    content, message = BAD_FILES[name]
    path = tmp_path / "diary.csv"
    path.write_bytes(content)
    result = run_entries(runner, path, tmp_path)
    assert result.exit_code == 1, result.output
    check_outcome(result, path)
    assert message in result.output


def test_missing_file_and_folder(runner, tmp_path):
    missing = tmp_path / "nope.csv"
    result = run_entries(runner, missing, tmp_path)
    assert result.exit_code == 1 and "no such file" in result.output
    result = run_entries(runner, tmp_path, tmp_path)
    assert result.exit_code == 1 and "is a folder" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(runner, tmp_path):
    path = tmp_path / "diary.csv"
    path.write_text(HEADER + "2024-01-01,lunch,banana,1,medium\n")
    path.chmod(0)
    result = run_entries(runner, path, tmp_path)
    assert result.exit_code == 1 and "permission denied" in result.output


def test_oversized_file_is_refused_cleanly(runner, tmp_path, monkeypatch):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as fh:  # a sparse 1 GB file: refused by its size, never read
        fh.write(HEADER.encode())
        fh.truncate(1_000_000_000)
    result = run_entries(runner, path, tmp_path)
    assert result.exit_code == 1
    assert "1,000 MB, over the 512 MB planner reads in one run" in result.output


GOOD_VARIANTS = {
    "truncated last line": (HEADER + "2024-01-01,lunch,banana,1,medium\n2024-01-01,lun", 2),
    "mixed line endings": (
        HEADER + "2024-01-01,l,banana,1,medium\r\n2024-01-02,l,apple,1,medium\n", 2
    ),
    "no final newline": (HEADER + "2024-01-01,lunch,banana,1,medium", 1),
    "semicolons and decimal commas": (
        "date;meal;food;amount;unit\n2024-01-01;lunch;banana;1,5;medium\n", 1
    ),
    "tabs": ("date\tmeal\tfood\tamount\tunit\n2024-01-01\tlunch\tbanana\t1\tmedium\n", 1),
    "too many fields": (HEADER + "2024-01-01,lunch,banana,1,medium,extra,more\n", 1),
}  # fmt: skip


@pytest.mark.parametrize("name", list(GOOD_VARIANTS))
def test_awkward_but_readable_files_reconcile(runner, tmp_path, name):
    text, rows = GOOD_VARIANTS[name]
    path = tmp_path / "diary.csv"
    path.write_bytes(text.encode("utf-8"))
    result = run_entries(runner, path, tmp_path)
    assert check_outcome(result, path, rows) is not None


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1252"])
def test_encodings(runner, tmp_path, encoding):
    path = tmp_path / "diary.csv"
    path.write_bytes((HEADER + "2024-01-01,lunch,Café au lait,1,cup\n").encode(encoding))
    result = run_entries(runner, path, tmp_path)
    assert check_outcome(result, path, 1) is not None


def test_mixed_utf16_without_bom_is_an_error(runner, tmp_path):
    path = tmp_path / "diary.csv"
    path.write_bytes((HEADER + "2024-01-01,lunch,banana,1,medium\n").encode("utf-16-le"))
    result = run_entries(runner, path, tmp_path)
    check_outcome(result, path)


# --- rows --------------------------------------------------------------------------------

ROWS = [
    ("", "lunch", "banana", "1", "medium", "rejected", "no date"),
    ("2024-02-30", "lunch", "banana", "1", "medium", "rejected", "impossible date"),
    ("yesterday", "lunch", "banana", "1", "medium", "rejected", "not a date"),
    ("2024-01-01", "lunch", "banana", "-1", "medium", "rejected", "negative amount"),
    ("2024-01-01", "lunch", "banana", "0", "g", "matched", ""),
    ("2024-01-01", "lunch", "banana", "6", "kg", "low_confidence", "more than 5 kg"),
    ("2024-01-01", "lunch", "banana", "2", "smidgens", "unmatched", "no 'smidgens' measure"),
    ("2024-01-01", "lunch", "banana", "lots", "", "unmatched", "does not start with a number"),
    ("2024-01-01", "lunch", "", "1", "cup", "rejected", "no food name"),
    ("2024-01-01", "lunch", "12345", "1", "cup", "unmatched", "no letters"),
    ("2024-01-01", "lunch", "x" * 10_000, "1", "cup", "unmatched", "longer than 300"),
]


@pytest.mark.parametrize("row", ROWS, ids=[r[-1] or "zero" for r in ROWS])
def test_each_bad_row_ends_in_a_status_with_its_reason(tmp_path, row):
    from planner.entries import read_entries

    *cells, status, reason = row
    path = tmp_path / "diary.csv"
    path.write_text(HEADER + ",".join(cells) + "\n2024-01-01,lunch,apple,1,medium\n")
    entries = read_entries(path)
    assert len(entries) == 2
    assert entries.loc[0, "status"] == status, entries.loc[0, "reason"]
    assert reason in entries.loc[0, "reason"]
    assert entries.loc[1, "status"] == "matched"


def test_nutrient_cells_with_text_are_unknown(tmp_path):
    from planner.entries import read_entries

    path = tmp_path / "diary.csv"
    path.write_text(HEADER.strip() + ",magnesium_mg\n2024-01-01,lunch,banana,1,medium,lots\n")
    entries = read_entries(path)
    assert entries.loc[0, "status"] == "matched"  # the food table fills the unknown value
    assert "'magnesium_mg' is not a number" in entries.loc[0, "reason"]
    assert entries.loc[0, "magnesium_mg"] == pytest.approx(27 * 1.18)


def test_duplicated_rows_are_kept_and_reported(runner, tmp_path):
    path = tmp_path / "diary.csv"
    line = "2024-01-01,lunch,banana,1,medium\n"
    path.write_text(HEADER + line + line + "2024-01-01,dinner,banana,1,medium\n")
    result = runner.invoke(cli, ["entries", str(path)])
    assert result.exit_code == 0
    assert "used            3" in result.output
    assert "1 row(s) repeat an earlier row exactly" in " ".join(result.output.split())


# --- profiles, overrides, outputs ----------------------------------------------------------


@pytest.fixture
def diary(tmp_path) -> Path:
    path = tmp_path / "diary.csv"
    path.write_text(HEADER + "2024-01-01,lunch,banana,1,medium\n")
    return path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--age", "0", "--sex", "female"], "age '0': must be between 1 and 120"),
        (["--age", "-4", "--sex", "female"], "age '-4': must be between 1 and 120"),
        (["--age", "130", "--sex", "female"], "age '130': must be between 1 and 120"),
        (["--age", "forty", "--sex", "female"], "age 'forty': is not a number"),
        (["--age", "40", "--sex", "x"], "sex 'x': must be one of"),
        (["--age", "30", "--sex", "female", "--pregnant", "--lactating"], "choose one"),
    ],
)
def test_impossible_profiles(runner, diary, args, message):
    for command in ("analyze", "suggest"):
        result = runner.invoke(cli, [command, str(diary), *args])
        assert result.exit_code == 1, result.output
        assert result.output.startswith("Error: ") and message in result.output
        assert len(result.output.strip().splitlines()) == 1


def test_profiles_file_missing_a_person(runner, tmp_path):
    diary = tmp_path / "people.csv"
    diary.write_text("person,date,food,amount,unit\nann,2024-01-01,banana,1,medium\n"
                     "bo,2024-01-01,banana,1,medium\n")  # fmt: skip
    profiles = tmp_path / "profiles.csv"
    profiles.write_text("person,age,sex\nann,30,female\n")
    result = runner.invoke(cli, ["analyze", str(diary), "--profiles", str(profiles)])
    assert result.exit_code == 1
    assert "person 'bo': is in the diary but not in the profiles file" in result.output


def test_contradictory_restrictions(runner):
    result = runner.invoke(cli, ["plan", "--age", "40", "--sex", "male", "--vegan",
                                 "--include", "salmon"])  # fmt: skip
    assert result.exit_code == 1
    assert "contradicts the restrictions (vegan)" in result.output


def test_map_file_with_an_unknown_food_id(runner, diary, tmp_path):
    mapping = tmp_path / "map.csv"
    mapping.write_text("food_text,food_id\nbanana,99999\n")
    result = runner.invoke(cli, ["entries", str(diary), "--map", str(mapping)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {mapping}, row 2: no food with id '99999'")


def test_out_dir_that_is_a_file(runner, diary, tmp_path):
    blocker = tmp_path / "report"
    blocker.write_text("not a folder")
    result = runner.invoke(cli, ["analyze", str(diary), "--age", "40", "--sex", "male",
                                 "--out-dir", str(blocker)])  # fmt: skip
    assert result.exit_code == 2  # a usage error, as click reports it
    assert f"Directory '{blocker}' is a file" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_out_dir_that_cannot_be_written(runner, diary, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    result = runner.invoke(cli, ["analyze", str(diary), "--age", "40", "--sex", "male",
                                 "--out-dir", str(locked / "out")])  # fmt: skip
    assert result.exit_code == 1 and "Permission denied" in result.output


def test_json_stays_valid_when_files_are_written(runner, diary, tmp_path):
    import json

    args = ["--age", "40", "--sex", "male", "--json", "--out-dir", str(tmp_path / "o")]
    result = runner.invoke(cli, ["analyze", str(diary), *args, "--no-suggest"])
    assert result.exit_code == 0
    json.loads(result.stdout)
    assert "wrote" in result.stderr


# --- fuzzing -----------------------------------------------------------------------------


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=600))
def test_random_bytes_never_give_a_traceback(runner, tmp_path, content):
    path = tmp_path / "random.csv"
    path.write_bytes(content)
    check_outcome(run_entries(runner, path, tmp_path), path)


def _mutate(text: str, data) -> str:
    lines = text.splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 6))):
        kind = data.draw(st.sampled_from(["drop", "dup", "cut", "junk", "swap", "quote"]))
        i = data.draw(st.integers(0, len(lines) - 1))
        if kind == "drop" and len(lines) > 1:
            del lines[i]
        elif kind == "dup":
            lines.insert(i, lines[i])
        elif kind == "cut":
            lines[i] = lines[i][: data.draw(st.integers(0, len(lines[i])))]
        elif kind == "junk":
            junk = data.draw(st.text(alphabet=',;"\t x9-/.é\r', max_size=12))
            pos = data.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + junk + lines[i][pos:]
        elif kind == "swap":
            lines[i] = lines[i].replace(",", ";")
        elif kind == "quote":
            lines[i] = '"' + lines[i]
    return "".join(lines)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_mutated_example_diaries_reconcile_or_fail_cleanly(runner, tmp_path, data):
    text = _mutate(EXAMPLE, data)
    path = tmp_path / "mutated.csv"
    path.write_text(text, encoding="utf-8")
    check_outcome(run_entries(runner, path, tmp_path), path)


# --- a large file ------------------------------------------------------------------------

MEMORY_PROBE = """
import resource, sys
from planner.entries import read_entries
entries = read_entries(sys.argv[1])
print(len(entries), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


@pytest.mark.slow
def test_a_large_diary_streams_within_bounded_memory(tmp_path):
    lines = EXAMPLE.splitlines(keepends=True)
    header, body = lines[0], lines[1:]
    path = tmp_path / "large.csv"
    repeats = 2500  # 80 rows x 2,500 = 200,000 rows, about 7 MB
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(header)
        for _ in range(repeats):
            fh.writelines(body)
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(path)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    rows, max_rss_kb = (int(v) for v in out.stdout.split())
    assert rows == len(body) * repeats
    # measured about 700 MB: bounded by the canonical table, not by copies of the file
    assert max_rss_kb < 2_000_000, f"peak RSS {max_rss_kb / 1024:.0f} MB"
    print(f"{rows:,} rows, {path.stat().st_size / 1e6:.1f} MB file, peak RSS "
          f"{max_rss_kb / 1024:.0f} MB")  # fmt: skip
