"""Score a cohort on a Dask cluster: ``planner analyze --engine dask``.

Everything planner computes for a person depends only on that person's rows and profile,
so a cohort splits into blocks of whole people that are scored independently:

1. :func:`read_cohort` reads every input file as one partition of a
   :mod:`dask.dataframe` (``dd.from_map``), each with planner's own reader
   (:func:`planner.diary.read_diary`), so the cells are read by exactly the rules of the
   default engine (encodings, dates, amounts, malformed lines, ``source_row``).
2. :func:`score_cohort` shuffles the rows on ``person`` (no person is split across
   partitions, however the files were cut) and, with ``map_partitions``, runs planner's
   own pipeline on each partition: :func:`planner.entries.resolve_entries`, then
   :func:`planner.analysis.analyze` (which calls :func:`~planner.analysis.score_people`),
   then :func:`planner.report.summary_frame` and :func:`~planner.report.daily_frame`.
3. :func:`analyze_cohort` gathers the per-partition tables on the client and puts them in
   the default engine's order; :func:`write_cohort` writes them with
   :func:`planner.output.write_csv`.

So ``summary.csv`` and ``daily.csv`` hold what the default engine writes for the same rows
in one file. ``entries.csv`` has one more column, ``source_file`` (first), because
``source_row`` is a line of that file; rows are in file order. Two things the default
engine does on one file are per file here: a row repeating a row of *another* file is not
noted as a repeat, and a file of more than ``PLANNER_MAX_DIARY_MB`` stops the run.

dask and distributed are optional (``pip install "planner[dask]"``) and imported only
inside the functions that need them, so ``import planner`` and ``planner --help`` stay
fast without them.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pandas as pd

from planner.errors import DiaryFormatError, PlannerError

CSV_SUFFIXES = (".csv",)
PARQUET_SUFFIXES = (".parquet", ".pq")
INSTALL_HINT = 'the dask engine needs dask: pip install "planner[dask]"'
# the per-partition results: one row per partition, each cell a table (or a dict)
RESULT_COLUMNS = ("summary", "daily", "entries", "reports", "first_rows")


class DaskEngineError(PlannerError):
    """The dask engine cannot run: dask missing, no input files, no scheduler, a lost worker."""


@dataclass
class CohortResult:
    """A cohort scored by the dask engine, gathered on the client.

    Attributes
    ----------
    summary : pandas.DataFrame
        As ``summary.csv``: one row per person and nutrient over the period.
    daily : pandas.DataFrame
        As ``daily.csv``: one row per person, day and nutrient.
    entries : pandas.DataFrame
        As ``entries.csv``: every input row, resolved, with ``source_file`` first.
    reports : dict
        Person -> :class:`planner.analysis.GapReport` holding only what
        :func:`planner.report.render_cohort` shows (profile, period, gaps, row counts);
        the full tables are the three above.
    files : list of Path
        The input files, one partition each, in the order read.
    """

    summary: pd.DataFrame
    daily: pd.DataFrame
    entries: pd.DataFrame
    reports: dict
    files: list[Path]


def require_dask() -> None:
    """Fail with an install hint, not a traceback, when dask or distributed is missing.

    Raises
    ------
    DaskEngineError
        If ``dask.dataframe`` or ``distributed`` cannot be imported.
    """
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        raise DaskEngineError(INSTALL_HINT) from None


def cohort_files(source) -> list[Path]:
    """The input files of a cohort: a CSV or Parquet file, or every one in a folder.

    Parameters
    ----------
    source : str or Path
        A file, or a folder whose ``*.csv``, ``*.parquet`` and ``*.pq`` files (not in
        subfolders; names starting with ``.`` or ``_`` skipped) are the partitions.

    Returns
    -------
    list of Path
        Sorted by name, so the order (and ``entries.csv``) is the same on every run.

    Raises
    ------
    DiaryFormatError
        For a path that does not exist, or a folder with no such file.
    """
    path = Path(source)
    if not path.exists():
        raise DiaryFormatError(path, "no such file or folder")
    if path.is_file():  # any other suffix is read as CSV, as the default engine does
        return [path]
    files = sorted(
        p
        for p in path.iterdir()
        if p.is_file()
        and p.suffix.lower() in CSV_SUFFIXES + PARQUET_SUFFIXES
        and not p.name.startswith((".", "_"))
    )
    if not files:
        raise DiaryFormatError(path, "is a folder with no .csv or .parquet files to read")
    return files


# --- reading -------------------------------------------------------------------------------


def read_cohort(files: list[Path]):
    """Every file as one partition of a dask DataFrame of planner's canonical diary rows.

    Each partition is what :func:`planner.diary.read_diary` returns for the file, with a
    column per registry nutrient (NaN where the file has none) and ``_file``, the file's
    position in ``files``. Nothing is read until the frame is computed.

    Returns
    -------
    dask.dataframe.DataFrame
    """
    require_dask()
    import dask.dataframe as dd

    meta = _meta()
    return dd.from_map(
        _read_file,
        [str(f) for f in files],
        range(len(files)),
        meta=meta,
        label="planner-read-diary",
        enforce_metadata=False,
    )


def _read_file(path: str, index: int) -> pd.DataFrame:
    """One input file, read by planner's own reader, as one partition."""
    from planner.diary import read_diary

    try:
        if Path(path).suffix.lower() in PARQUET_SUFFIXES:
            diary = _read_parquet(path)
        else:
            diary = read_diary(path)
    except DiaryFormatError as exc:
        if exc.reason == "has a header row but no data rows":
            return _meta()  # an empty partition (Dask and Spark write them)
        raise
    if diary.attrs["format"] != "planner":
        raise DiaryFormatError(
            path,
            f"is a {diary.attrs['label']} file; the dask engine reads planner's own CSV "
            "(date, food, amount, unit and a person column)",
        )
    return _with_every_column(diary, index)


def _read_parquet(path: str) -> pd.DataFrame:
    """A Parquet file with planner's CSV columns, read through planner's CSV reader (so its
    cells follow the same rules); ``source_row`` counts as if it were a CSV file."""
    import tempfile

    from planner.diary import read_diary

    try:
        frame = pd.read_parquet(path)
    except (OSError, ValueError) as exc:  # pyarrow's errors derive from these
        raise DiaryFormatError(path, f"cannot be read as Parquet ({exc})") from None
    with tempfile.TemporaryDirectory() as folder:
        text = Path(folder) / f"{Path(path).stem}.csv"
        frame.to_csv(text, index=False)
        try:
            diary = read_diary(text)
        except DiaryFormatError as exc:
            raise replace(exc, path=Path(path)) from None  # name the Parquet file
    diary.attrs["path"] = str(path)
    return diary


def _with_every_column(diary: pd.DataFrame, index: int) -> pd.DataFrame:
    """The canonical columns, every registry nutrient and ``_file``, with the types of
    :func:`_meta`."""
    return _columns(diary, index).astype(_meta().dtypes.to_dict())


def _columns(diary: pd.DataFrame, index: int) -> pd.DataFrame:
    from planner import nutrients as registry
    from planner.diary import CANONICAL

    missing = {n: float("nan") for n in registry.ids() if n not in diary}
    frame = diary.assign(**missing, _file=index)[CANONICAL + list(registry.ids()) + ["_file"]]
    frame.attrs = {}
    return frame


def _meta() -> pd.DataFrame:
    """The empty partition: read_diary's own column types for a one-row planner CSV, so the
    partitions handed to planner's pipeline have the types the default engine sees."""
    return _sample().iloc[:0].copy()


@cache
def _sample() -> pd.DataFrame:
    import tempfile

    from planner.diary import read_diary

    with tempfile.TemporaryDirectory() as folder:
        sample = Path(folder) / "sample.csv"
        sample.write_text("date,person,meal,food,amount,unit\n2024-01-01,a,lunch,x,1,cup\n")
        return _columns(read_diary(sample), 0)


# --- scoring --------------------------------------------------------------------------------


def score_cohort(
    frame,
    files: list[Path],
    profile=None,
    profiles: dict | None = None,
    overrides: dict | None = None,
    recompute: bool = False,
    npartitions: int | None = None,
):
    """Shuffle a cohort on ``person`` and score each partition with planner's pipeline.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
        From :func:`read_cohort`.
    files : list of Path
        The files ``frame`` was read from (names for ``entries.csv``).
    profile : Profile, optional
        Used for everyone when ``profiles`` is not given (as ``planner analyze --age``).
    profiles : dict, optional
        Person -> :class:`planner.targets.Profile`; every person must have one.
    overrides : dict, optional
        Normalised food text -> food id (:func:`planner.matching.read_overrides`).
    recompute : bool
        Ignore the diary's own nutrient values.
    npartitions : int, optional
        Partitions after the shuffle (default: as many as the input has).

    Returns
    -------
    dask.dataframe.DataFrame
        One row per non-empty partition; its cells (:data:`RESULT_COLUMNS`) hold the
        partition's summary, daily and entries tables, its reports for the cohort table,
        and where each person first appears.
    """
    from planner.errors import ProfileError

    if profile is None and profiles is None:
        raise ProfileError("profile", None, "is needed: give age and sex, or a profiles file")
    shuffled = frame.shuffle(on="person", npartitions=npartitions or frame.npartitions)
    meta = pd.DataFrame({c: pd.Series(dtype=object) for c in RESULT_COLUMNS})
    return shuffled.map_partitions(
        score_partition,
        names=[f.name for f in files],
        profile=profile,
        profiles=profiles,
        overrides=overrides,
        recompute=recompute,
        meta=meta,
        enforce_metadata=False,
    )


def score_partition(
    part: pd.DataFrame,
    names: list[str],
    profile=None,
    profiles: dict | None = None,
    overrides: dict | None = None,
    recompute: bool = False,
) -> pd.DataFrame:
    """Resolve and score the whole people of one partition, as the default engine does.

    The rows are put back in file order first, so every sum adds the same numbers in the
    same order as the default engine on one file.

    Returns
    -------
    pandas.DataFrame
        One row (none for an empty partition): see :func:`score_cohort`.
    """
    from planner.analysis import analyze
    from planner.entries import entries_for_csv, resolve_entries
    from planner.report import daily_frame, summary_frame

    if part.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in RESULT_COLUMNS})
    part = part.sort_values(["_file", "source_row"], kind="stable").reset_index(drop=True)
    part = part.astype(_meta().dtypes.to_dict())  # the shuffle may change column types
    if profiles is not None:
        _check_people_named(part, names)
    first = part.drop_duplicates("person")[["person", "_file", "source_row"]]
    first = first.assign(profiled=profiles is None or first["person"].isin(list(profiles)))
    if not first["profiled"].all():  # the client names everyone without a profile
        cell = dict.fromkeys(RESULT_COLUMNS)
        cell["first_rows"] = first.reset_index(drop=True)
        return pd.DataFrame({c: [cell[c]] for c in RESULT_COLUMNS})
    diary = _as_diary(part)
    matcher = _matcher(overrides)
    _match_serially(matcher, diary)
    entries = resolve_entries(diary, matcher=matcher, recompute=recompute)
    reports = analyze(entries, profile=profile, profiles=profiles)
    rows = entries_for_csv(entries)
    rows.insert(0, "source_file", [names[i] for i in part["_file"]])
    rows["_file"] = part["_file"].to_numpy()
    cell = {
        "summary": summary_frame(reports),
        "daily": daily_frame(reports),
        "entries": rows,
        "reports": {p: _for_cohort_table(r) for p, r in reports.items()},
        "first_rows": first.reset_index(drop=True),
    }
    return pd.DataFrame({c: [cell[c]] for c in RESULT_COLUMNS})


def _as_diary(part: pd.DataFrame) -> pd.DataFrame:
    """A partition as read_diary's table for planner's CSV (its ``attrs`` do not survive
    the shuffle); the nutrients carried are those with a value in the partition."""
    from planner import nutrients as registry

    diary = part.drop(columns="_file")
    carried = [n for n in registry.ids() if diary[n].notna().any()]
    diary = diary.drop(columns=[n for n in registry.ids() if n not in carried])
    diary.attrs = {
        "format": "planner", "label": "planner CSV", "level": "entry", "nutrients": carried,
        "notes": [], "path": "",
    }  # fmt: skip
    return diary


def _check_people_named(part: pd.DataFrame, names: list[str]) -> None:
    """With a profiles file every row needs a person; name the file and row that has none."""
    from planner.errors import ProfileError

    blank = part[part["person"].eq("")]
    if len(blank):
        first = blank.iloc[0]
        raise ProfileError(
            "person",
            None,
            f"is blank on {len(blank):,} row(s) (first: {names[first['_file']]}, row "
            f"{first['source_row']}) of a cohort scored with a profiles file",
        )


_LOCK = threading.Lock()
_MATCHERS: dict[tuple, object] = {}


def _matcher(overrides: dict | None):
    """The matcher of this worker process, built once (with the user's overrides, if any)."""
    from planner.entries import default_matcher

    if not overrides:
        with _LOCK:
            return default_matcher()
    key = tuple(sorted(overrides.items()))
    with _LOCK:
        if key not in _MATCHERS:
            from planner.foods import load_foods
            from planner.matching import FoodMatcher

            _MATCHERS.clear()
            _MATCHERS[key] = FoodMatcher(load_foods(), overrides=dict(overrides))
        return _MATCHERS[key]


def _match_serially(matcher, diary: pd.DataFrame) -> None:
    """Match the partition's food text in this process, before resolve_entries asks.

    Dask already runs a task per core, and its worker processes may not fork, so the
    matcher gets batches too small for it to fork its own workers; the lock keeps two
    threads of one worker from matching at once (the matcher memoises as it goes).
    """
    from planner.matching import PARALLEL_MIN_TEXTS

    live = diary["status"].ne("rejected") & diary["food_id"].eq("")
    texts = list(pd.unique(diary.loc[live, "food_text"]))
    batch = 2 * PARALLEL_MIN_TEXTS - 1
    with _LOCK:
        for start in range(0, len(texts), batch):
            matcher.match(texts[start : start + batch])


def _for_cohort_table(report):
    """A report cut down to what the cohort table shows: profile, period, gaps, counts."""
    return replace(
        report,
        entries=report.entries.iloc[:0],
        days=report.days[["date"]].drop_duplicates(),
        nutrients=report.nutrients.iloc[:0],
        top_foods=report.top_foods.iloc[:0],
        energy=report.energy.iloc[:0],
        _cohort=None,
    )


# --- running --------------------------------------------------------------------------------


@contextmanager
def dask_client(workers: int | None = None, scheduler: str | None = None):
    """A ``dask.distributed.Client``: on a running scheduler, or on a local cluster.

    Parameters
    ----------
    workers : int, optional
        Local worker processes, one thread each (default: one per core).
    scheduler : str, optional
        The address of a running scheduler (``tcp://host:8786``); its workers must read
        the input files at the same paths and have planner installed.

    Raises
    ------
    DaskEngineError
        If dask is missing or the scheduler cannot be reached.
    """
    import logging
    import os

    require_dask()
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            message = f"cannot reach the dask scheduler at {scheduler}: {exc}"
            raise DaskEngineError(message) from None
        with client:
            yield client
        return
    n = workers or os.cpu_count() or 1
    cluster = LocalCluster(
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",  # any free port: never "port 8787 is already in use"
        # planner's errors come back to the client as one line; the workers' own log of
        # them (and the shuffle's progress warnings) would only repeat them
        silence_logs=logging.CRITICAL,
    )
    with cluster, Client(cluster) as client:
        yield client


def analyze_cohort(
    source,
    client,
    profile=None,
    profiles: dict | None = None,
    map_path=None,
    recompute: bool = False,
) -> CohortResult:
    """Read, resolve and score a cohort on a Dask cluster; gather the results.

    Parameters
    ----------
    source : str or Path
        A planner CSV with a ``person`` column, a Parquet file with the same columns, or a
        folder of them (each file a partition; a person may be in several files).
    client : distributed.Client
        The cluster to run on (see :func:`dask_client`).
    profile : Profile, optional
        Used for everyone when ``profiles`` is not given.
    profiles : dict, optional
        Person -> :class:`planner.targets.Profile`.
    map_path : str or Path, optional
        A ``food_text,food_id`` override file (``--map``), read here and sent to the workers.
    recompute : bool
        Ignore the diary's own nutrient values.

    Returns
    -------
    CohortResult
        The tables in the default engine's order: ``summary`` by person in order of first
        appearance (files in name order), ``daily`` by person, ``entries`` in file order.

    Examples
    --------
    On this machine's cores (``dask_client(scheduler="tcp://host:8786")`` for a cluster)::

        with dask_client(workers=2) as client:
            result = analyze_cohort("cohort/", client, profile=Profile(45, "female"))
        write_cohort(result, "results/")
    """
    files = cohort_files(source)
    overrides = None
    if map_path is not None:
        from planner.foods import load_foods
        from planner.matching import read_overrides

        overrides = read_overrides(map_path, load_foods().index)
    frame = read_cohort(files)
    threads = sum(client.nthreads().values()) or 1
    scored = score_cohort(
        frame, files, profile, profiles, overrides, recompute,
        npartitions=max(len(files), 4 * threads),
    )  # fmt: skip
    parts = _compute(client, scored)
    if parts.empty:
        raise DaskEngineError(f"{source}: no diary rows in {len(files):,} file(s)")
    return _gather(parts, files)


def _compute(client, scored) -> pd.DataFrame:
    """Each partition's result straight from its worker (not concatenated on a worker)."""
    from distributed import KilledWorker

    try:
        futures = client.compute(scored.to_delayed())
        return pd.concat(client.gather(futures), ignore_index=True)
    except KilledWorker as exc:
        raise DaskEngineError(
            f"a dask worker died while scoring ({exc}); it may have run out of memory: "
            "use more, smaller files or workers with more memory"
        ) from None


def _gather(parts: pd.DataFrame, files: list[Path]) -> CohortResult:
    """Concatenate the partitions' tables and order them as the default engine does."""
    first = pd.concat(list(parts["first_rows"]), ignore_index=True)
    # people in order of first appearance; rows without a person after everyone else
    first = first.assign(blank=first["person"].eq("")).sort_values(
        ["blank", "_file", "source_row"], kind="stable"
    )
    if not first["profiled"].all():
        from planner.errors import ProfileError

        missing = ", ".join(first.loc[~first["profiled"], "person"])
        raise ProfileError("person", missing, "is in the diary but not in the profiles file")
    rank = pd.Series(range(len(first)), index=first["person"].to_numpy())
    summary = _concat(parts["summary"])
    order = rank.reindex(summary["person"]).to_numpy().argsort(kind="stable")
    summary = summary.iloc[order]
    daily = _concat(parts["daily"])
    daily = daily.iloc[daily["person"].to_numpy(dtype=object).argsort(kind="stable")]
    entries = _concat(parts["entries"]).sort_values(["_file", "source_row"], kind="stable")
    reports = {}
    for block in parts["reports"]:
        reports.update(block)
    reports = {p: reports[p] for p in first["person"]}
    return CohortResult(
        summary=summary.reset_index(drop=True),
        daily=daily.reset_index(drop=True),
        entries=entries.drop(columns="_file").reset_index(drop=True),
        reports=reports,
        files=files,
    )


def _concat(tables) -> pd.DataFrame:
    """One table from the partitions' tables (empty ones left out: they have no types)."""
    tables = list(tables)
    full = [t for t in tables if len(t)]
    return pd.concat(full or tables[:1], ignore_index=True)


def write_cohort(result: CohortResult, out_dir) -> list[str]:
    """Write ``summary.csv``, ``daily.csv`` and ``entries.csv`` into ``out_dir``.

    Existing files are overwritten (the CLI checks first). Returns the names written.
    """
    from planner.output import write_results

    return write_results(out_dir, result.summary, result.daily, result.entries)
