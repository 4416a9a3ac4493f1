"""The dask engine writes what the default engine writes for the same rows in one file.

A small cohort (6 people, 4 days, one row that matches no food, one impossible date) is
cut into 3 CSV files with every person's rows spread over several of them; the dask engine
reads the files and the default engine the same rows concatenated into one file.
"""

from __future__ import annotations

import random
import subprocess
import sys
from contextlib import nullcontext
from pathlib import Path

import pandas as pd
import pytest
from distributed import Client, LocalCluster
from pandas.testing import assert_frame_equal

from planner import dask_engine
from planner.analysis import analyze
from planner.cli import cli
from planner.entries import entries_for_csv, read_entries
from planner.errors import ProfileError
from planner.output import write_csv
from planner.report import daily_frame, render_cohort, summary_frame
from planner.targets import Profile, read_profiles

ROOT = Path(__file__).resolve().parents[1]
PEOPLE = [f"p{i}" for i in range(1, 7)]
FILES = 3
UNMATCHED = "Grandma's tuna noodle bake"  # no food in the table is close enough
PROFILES = (
    "person,age,sex\np1,45,female\np2,30,male\np3,70,female\np4,19,male\np5,45,male\np6,8,female\n"
)
KEYS = {"summary.csv": ["person", "id"], "daily.csv": ["person", "date", "nutrient"]}


def cohort_rows() -> pd.DataFrame:
    """Each person eats 6 different foods of the example diary a day, for 4 days."""
    example = pd.read_csv(ROOT / "examples" / "diary.csv", dtype=str, keep_default_na=False)
    foods = example.drop_duplicates("food")[["meal", "food", "amount", "unit"]]
    foods = foods[foods["food"] != UNMATCHED].to_dict("records")
    rng = random.Random(7)
    rows = []
    for person in PEOPLE:
        for day in range(4, 8):
            for food in rng.sample(foods, 6):
                rows.append({"person": person, "date": f"2024-03-{day:02d}", **food})
    rows.append({"person": "p3", "date": "2024-03-05", "meal": "dinner", "food": UNMATCHED,
                 "amount": "1", "unit": "cup"})  # fmt: skip
    rows.append({"person": "p5", "date": "2024-02-30", "meal": "lunch", "food": "apple",
                 "amount": "1", "unit": "medium"})  # fmt: skip
    rng.shuffle(rows)
    return pd.DataFrame(rows)[["date", "person", "meal", "food", "amount", "unit"]]


@pytest.fixture(scope="module")
def cohort(tmp_path_factory) -> dict:
    """The cohort as 3 partition files (people spread over them) and as one file."""
    folder = tmp_path_factory.mktemp("cohort")
    rows = cohort_rows()
    parts = folder / "parts"
    parts.mkdir()
    blocks = [rows.iloc[i::FILES].reset_index(drop=True) for i in range(FILES)]
    for i, block in enumerate(blocks):
        block.to_csv(parts / f"part-{i}.csv", index=False)
    assert all(rows.groupby("person").size() > 1)
    spread = {p: sum(p in set(b["person"]) for b in blocks) for p in PEOPLE}
    assert min(spread.values()) >= 2, spread  # no file holds a whole person
    whole = folder / "all.csv"
    pd.concat(blocks).to_csv(whole, index=False)
    # line L of file i is line L + (rows in the files before it) of the one file
    before = pd.Series([0] + [len(b) for b in blocks[:-1]]).cumsum()
    offsets = {f"part-{i}.csv": int(n) for i, n in enumerate(before)}
    profiles = folder / "profiles.csv"
    profiles.write_text(PROFILES)
    return {"folder": folder, "parts": parts, "whole": whole, "offsets": offsets,
            "profiles": profiles, "blocks": blocks}  # fmt: skip


def default_engine(cohort: dict, out: Path, **profile) -> dict:
    """What planner analyze --out-dir writes for the one file (without its charts)."""
    reports = analyze(read_entries(cohort["whole"]), **profile)
    out.mkdir()
    write_csv(summary_frame(reports), out / "summary.csv")
    write_csv(daily_frame(reports), out / "daily.csv")
    entries = pd.concat([r.entries for r in reports.values()]).sort_values("source_row")
    write_csv(entries_for_csv(entries), out / "entries.csv")
    return reports


@pytest.fixture(scope="module")
def client():
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0")
        as cluster,
        Client(cluster) as c,
    ):  # fmt: skip
        yield c


def read(path: Path, name: str) -> pd.DataFrame:
    table = pd.read_csv(path / name)
    return table.sort_values(KEYS[name]).reset_index(drop=True)


def assert_same_results(dask_out: Path, default_out: Path) -> None:
    for name in KEYS:
        got, expected = read(dask_out, name), read(default_out, name)
        assert len(got) and got["person"].nunique() == len(PEOPLE)
        assert_frame_equal(got, expected, check_exact=False, rtol=1e-9, atol=1e-12)


def test_library_with_profiles_matches_the_default_engine(cohort, client, tmp_path):
    profiles = read_profiles(cohort["profiles"])
    result = dask_engine.analyze_cohort(cohort["parts"], client, profiles=profiles)
    assert [f.name for f in result.files] == list(cohort["offsets"])
    dask_engine.write_cohort(result, tmp_path / "dask")
    reports = default_engine(cohort, tmp_path / "default", profiles=profiles)
    assert_same_results(tmp_path / "dask", tmp_path / "default")
    # the cohort table is the one the default engine prints for many people
    assert render_cohort(result.reports) == render_cohort(reports)


def test_entries_csv_holds_every_row_as_the_default_engine_does(cohort, client, tmp_path):
    result = dask_engine.analyze_cohort(cohort["parts"], client, profile=Profile(45, "female"))
    dask_engine.write_cohort(result, tmp_path / "dask")
    default_engine(cohort, tmp_path / "default", profile=Profile(45, "female"))
    got = pd.read_csv(tmp_path / "dask" / "entries.csv", dtype=str, keep_default_na=False)
    expected = pd.read_csv(tmp_path / "default" / "entries.csv", dtype=str, keep_default_na=False)
    assert list(got.columns) == ["source_file", *expected.columns]
    offset = got["source_file"].map(cohort["offsets"])
    got["source_row"] = (got["source_row"].astype(int) + offset).astype(str)
    assert_frame_equal(got.drop(columns="source_file"), expected)
    assert got.loc[got["food_text"].eq(UNMATCHED), "status"].tolist() == ["unmatched"]
    assert got["status"].eq("rejected").sum() == 1


def test_parquet_files_read_as_the_csv_files_are(cohort, client, tmp_path):
    parquet = tmp_path / "parquet"
    parquet.mkdir()
    for i, block in enumerate(cohort["blocks"]):
        block.to_parquet(parquet / f"part-{i}.parquet", index=False)
    csv = dask_engine.analyze_cohort(cohort["parts"], client, profile=Profile(45, "female"))
    pq = dask_engine.analyze_cohort(parquet, client, profile=Profile(45, "female"))
    assert_frame_equal(pq.summary, csv.summary)
    assert_frame_equal(pq.daily, csv.daily)


def test_cli_with_local_workers_matches_the_default_engine(cohort, runner, tmp_path):
    out = tmp_path / "dask"
    args = ["analyze", str(cohort["parts"]), "--engine", "dask", "--workers", "2",
            "--age", "45", "--sex", "female", "--out-dir", str(out)]  # fmt: skip
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["daily.csv", "entries.csv", "summary.csv"]
    reports = default_engine(cohort, tmp_path / "default", profile=Profile(45, "female"))
    assert_same_results(out, tmp_path / "default")
    assert result.stdout.rstrip("\n") == render_cohort(reports, where="the files in --out-dir")
    assert "wrote summary.csv, daily.csv, entries.csv" in result.stderr


@pytest.fixture
def in_process(client, monkeypatch):
    """The CLI's dask engine on the test's in-process cluster (no new processes)."""
    monkeypatch.setattr(dask_engine, "dask_client", lambda *a, **k: nullcontext(client))


def analyze_dask(runner, *args):
    return runner.invoke(cli, ["analyze", *map(str, args), "--engine", "dask"])


def test_a_person_without_a_profile_is_an_error(cohort, runner, tmp_path, in_process):
    profiles = tmp_path / "profiles.csv"
    profiles.write_text(PROFILES.replace("p2,30,male\n", "").replace("p6,8,female\n", ""))
    result = analyze_dask(runner, cohort["parts"], "--profiles", profiles, "--out-dir", tmp_path)
    assert result.exit_code == 1
    # the same message as the default engine's, naming both people
    with pytest.raises(ProfileError) as default:
        analyze(read_entries(cohort["whole"]), profiles=read_profiles(profiles))
    assert result.output == f"Error: {default.value}\n"
    assert "p2" in result.output and "p6" in result.output
    assert not (tmp_path / "summary.csv").exists()


@pytest.mark.parametrize("where", ["missing", "empty", "not a diary"])
def test_a_bad_folder_is_an_error(where, runner, tmp_path, in_process):
    folder = tmp_path / "in"
    if where != "missing":
        folder.mkdir()
    if where == "not a diary":
        (folder / "notes.csv").write_text("a,b\n1,2\n")
    result = analyze_dask(runner, folder, "--age", "45", "--sex", "female", "--out-dir",
                          tmp_path / "out")  # fmt: skip
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"Error: {folder}")
    assert len(result.output.strip().splitlines()) == 1, result.output


def test_without_dask_the_engine_says_how_to_install_it(cohort, runner, tmp_path, monkeypatch):
    for module in ("dask", "dask.dataframe", "distributed"):
        monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    result = analyze_dask(runner, cohort["parts"], "--age", "45", "--sex", "female",
                          "--out-dir", tmp_path)  # fmt: skip
    assert result.exit_code == 1
    assert result.output == 'Error: the dask engine needs dask: pip install "planner[dask]"\n'


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--engine", "dask"], "give --out-dir"),
        (["--engine", "dask", "--json", "--out-dir", "x"], "--json is not available"),
        (["--workers", "2"], "--workers and --scheduler need --engine dask"),
    ],
)
def test_usage_errors(args, message, cohort, runner):
    result = runner.invoke(cli, ["analyze", str(cohort["whole"]), "--age", "45", "--sex",
                                 "female", *args])  # fmt: skip
    assert result.exit_code == 2
    assert message in result.output


def test_the_command_line_starts_without_importing_dask():
    code = "import sys, planner.cli; print('dask' in sys.modules, 'distributed' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
