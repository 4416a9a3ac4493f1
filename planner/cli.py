"""The ``planner`` command line: a thin layer over the library.

Each command parses its options, calls one library function and renders the result.
Library errors (:class:`planner.errors.PlannerError`) and file-system errors become
``Error: ...`` with exit code 1; click's own usage errors keep exit code 2.

Heavy libraries (pandas, scipy, matplotlib) are imported inside the commands so that
``planner --help`` starts quickly.
"""

from __future__ import annotations

import os
import sys

import click

from planner import __version__
from planner.errors import PlannerError
from planner.output import RESULT_FILES, write_csv, write_results


class PlannerGroup(click.Group):
    """A click group that turns planner's own errors into ``Error: ...`` and exit code 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except PlannerError as exc:
            raise click.ClickException(str(exc)) from None
        except BrokenPipeError:
            # the reader went away (``planner ... | head``): stop quietly
            sys.stderr.close()
            raise click.exceptions.Exit(0) from None
        except OSError as exc:
            name = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(f"{name}{exc.strerror or exc}") from None
        except Exception as exc:
            if os.environ.get("PLANNER_DEBUG"):
                raise
            raise click.ClickException(
                f"unexpected {type(exc).__name__}: {exc}. This is a bug in planner; "
                "set PLANNER_DEBUG=1 to see the traceback and please report it."
            ) from None


def stack(options, func):
    """Apply click options in the order listed (click applies decorators bottom-up)."""
    for option in reversed(options):
        func = option(func)
    return func


def profiles_option(func):
    return click.option(
        "--profiles",
        "profiles_path",
        type=click.Path(dir_okay=False),
        help="CSV of person,age,sex[,pregnant,lactating,kcal] for a diary with a person column.",
    )(func)


def profile_options(func):
    """The options that describe a person, shared by every command that scores a diet."""
    options = [
        click.option("--age", help="Age in years (1 to 120)."),
        click.option(
            "--sex",
            metavar="female|male|unspecified",
            help="Sex for the DRI tables; 'unspecified' takes the higher target and lower UL.",
        ),
        click.option(
            "--pregnant", is_flag=True, help="Use the pregnancy DRIs (needs --sex female)."
        ),
        click.option(
            "--lactating", is_flag=True, help="Use the lactation DRIs (needs --sex female)."
        ),
        click.option("--kcal", help="Your own energy target in kcal/day."),
        click.option("--height-cm", help="Height in cm (with --weight-kg: EER equations)."),
        click.option("--weight-kg", help="Weight in kg (with --height-cm: EER equations)."),
        click.option(
            "--activity",
            metavar="inactive|low_active|active|very_active",
            help="Physical activity level for the EER equations (default low_active).",
        ),
    ]
    return stack(options, func)


def diary_options(func):
    """How to read a diary: its format, the user's food overrides, exporter values or not."""
    options = [
        click.option(
            "--format",
            "diary_format",
            default="auto",
            show_default=True,
            metavar="FORMAT",
            help=(
                "Diary format: auto (detect it from the header row), planner, "
                "cronometer_servings, cronometer_daily, myfitnesspal, loseit or opennutritracker."
            ),
        ),
        click.option(
            "--map",
            "map_path",
            type=click.Path(dir_okay=False),
            help="CSV of food_text,food_id rows that win over every other food match.",
        ),
        click.option(
            "--recompute",
            is_flag=True,
            help="Ignore the export's own nutrient values; compute all from the food table.",
        ),
    ]
    return stack(options, func)


def restriction_options(func):
    """What the person does not eat, and health flags that change what is suggested."""
    options = [
        click.option("--vegetarian", is_flag=True, help="No meat or fish."),
        click.option("--vegan", is_flag=True, help="No animal foods."),
        click.option("--no-dairy", is_flag=True, help="No milk, yogurt or cheese."),
        click.option("--no-nuts", is_flag=True, help="No nuts or peanuts."),
        click.option("--no-fish", is_flag=True, help="No fish."),
        click.option("--no-gluten", is_flag=True, help="No wheat, barley or rye."),
        click.option(
            "--exclude",
            multiple=True,
            metavar="FOOD_ID_OR_FAMILY",
            help="Leave out a food id, a family (e.g. fatty_fish) or foods named by words "
            "(e.g. salmon). Repeatable.",
        ),
        click.option(
            "--kidney-disease",
            is_flag=True,
            help="Never aim at potassium; leave out potassium-dense foods.",
        ),
        click.option(
            "--on-diuretics", is_flag=True, help="Note how diuretics change electrolytes."
        ),
    ]
    return stack(options, func)


def build_restrictions(include=(), **options):
    """Turn the restriction options into :class:`planner.candidates.Restrictions`."""
    from planner.candidates import Restrictions

    return Restrictions(
        vegetarian=options.get("vegetarian", False),
        vegan=options.get("vegan", False),
        no_dairy=options.get("no_dairy", False),
        no_nuts=options.get("no_nuts", False),
        no_fish=options.get("no_fish", False),
        no_gluten=options.get("no_gluten", False),
        exclude=tuple(options.get("exclude", ())),
        include=tuple(include),
        kidney_disease=options.get("kidney_disease", False),
        on_diuretics=options.get("on_diuretics", False),
    )


def chart_option(func):
    return click.option(
        "--chart",
        "chart_path",
        type=click.Path(dir_okay=False),
        help="Also draw a chart to this file (.png, .svg or .pdf).",
    )(func)


def check_chart_suffix(path) -> None:
    """Fail before any work if a chart file has a suffix planner cannot write."""
    from pathlib import Path

    if path and Path(path).suffix.lower() not in (".png", ".svg", ".pdf"):
        raise click.ClickException(f"{path}: a chart is written as .png, .svg or .pdf")


def write_chart(figure, path) -> None:
    from planner.charts import save_figure

    save_figure(figure, path)
    click.echo(f"wrote {path}", err=True)


def force_option(func):
    return click.option("--force", is_flag=True, help="Overwrite output files that already exist.")(
        func
    )


def out_file_option(help_text: str, required: bool = False):
    """``-o/--out FILE`` (as ``out_path``) and ``--force``, for a command writing one file."""

    def decorate(func):
        option = click.option("-o", "--out", "out_path", required=required,
                              type=click.Path(dir_okay=False), help=help_text)  # fmt: skip
        return option(force_option(func))

    return decorate


def check_writable(path, force: bool) -> None:
    """Refuse to overwrite an existing file unless ``--force`` is given."""
    from pathlib import Path

    if Path(path).exists() and not force:
        raise click.ClickException(f"{path} already exists; use --force to overwrite it")


def load_diary_entries(diary, diary_format, map_path, recompute, **_):
    """Read and resolve a diary with the shared diary options."""
    from planner.entries import read_entries

    return read_entries(diary, format=diary_format, map_path=map_path, recompute=recompute)


def build_profile(age, sex, pregnant, lactating, kcal, height_cm, weight_kg, activity, **_):
    """Turn the profile options into a validated :class:`planner.targets.Profile`."""
    from planner.targets import Profile

    if age is None or sex is None:
        missing = " and ".join(n for n, v in (("--age", age), ("--sex", sex)) if v is None)
        raise click.UsageError(f"{missing} required to choose the reference values")
    return Profile(
        age=age,
        sex=sex,
        pregnant=pregnant,
        lactating=lactating,
        kcal=kcal,
        height_cm=height_cm,
        weight_kg=weight_kg,
        activity=activity,
    )


@click.group(cls=PlannerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="planner")
def cli():
    """Find the gaps in what you eat and close them with real food.

    planner scores a food diary against your Dietary Reference Intakes for the nutrients
    muscles and nerves need (magnesium, potassium, calcium, vitamin D, B vitamins),
    using USDA food composition data (SR28 and FNDDS 2021-2023). Food guidance, not medical
    advice.
    """


@cli.group(cls=PlannerGroup)
def foods():
    """Search and build the food composition table."""


@foods.command("search")
@click.argument("text", nargs=-1, required=True)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 500))
def foods_search(text, limit):
    """List foods (SR28 and FNDDS) whose description, common name or FNDDS synonyms
    contain every word of TEXT."""
    from planner.foods import search_foods
    from planner.render import table

    hits = search_foods(" ".join(text), limit=limit)
    if hits.empty:
        click.echo(f"No food matches {' '.join(text)!r}.")
        return
    rows = hits[["food_id", "source", "description", "food_group"]].itertuples(index=False)
    click.echo(table(rows, ["id", "source", "description", "group"]))


@foods.command("build")
@click.argument("sr28_dir", type=click.Path(file_okay=False, exists=True))
@click.argument("fndds_dir", type=click.Path(file_okay=False, exists=True))
@click.option(
    "--out", "out_dir", default="foods", show_default=True, type=click.Path(file_okay=False)
)
def foods_build(sr28_dir, fndds_dir, out_dir):
    """Build the food table from USDA SR28 (ASCII release in SR28_DIR) and FNDDS 2021-2023
    with FPED 2017-2018 (FNDDS_DIR). Reading FNDDS's spreadsheets needs openpyxl
    (pip install 'planner[build]')."""
    from planner.usda import build_food_table, write_food_table

    result = build_food_table(sr28_dir, fndds_dir)
    written = write_food_table(result, out_dir)
    prov = result.provenance
    by_source = ", ".join(f"{n:,} {s.upper()}" for s, n in prov["foods_by_source"].items())
    click.echo(f"{prov['foods']:,} foods ({by_source}) and {prov['portions']:,} portions")
    for path in written:
        click.echo(f"wrote {path}")
    mismatched = [
        name
        for part in prov["sources"].values()
        for name, f in part["source_files"].items()
        if not f["matches_reference_copy"]
    ]
    if mismatched:
        click.echo(
            f"note: {', '.join(mismatched)} differ from the reference copy's checksums "
            "(see provenance.json)",
            err=True,
        )


@cli.command("targets")
@profile_options
def targets_cmd(**options):
    """Print the daily targets (RDA or AI) and upper limits for a person."""
    from planner.render import NOT_MEDICAL_ADVICE, fmt_number, table, wrap
    from planner.targets import UL_COVERS, targets_for_profile

    profile = build_profile(**options)
    result = targets_for_profile(profile)
    rows = []
    for nid, r in result.table.iterrows():
        covers = (
            UL_COVERS[r.ul_covers]
            if nid != "sodium_mg"
            else (f"no UL; keep below the CDRR of {fmt_number(r.cdrr)} mg")
        )
        kind = {"given": "yours", "eer_2023": "EER", "dga_default": "estimate"}.get(r.kind, r.kind)
        rows.append([r["name"], fmt_number(r.target), r.unit, kind, fmt_number(r.ul), covers])
    click.echo(f"Daily targets for {profile.describe()}")
    click.echo("")
    click.echo(table(rows, ["nutrient", "target", "unit", "kind", "UL", "UL covers"], right=[1, 4]))
    click.echo("")
    click.echo(wrap(f"Energy: {result.energy.detail}."))
    for note in result.notes:
        click.echo(wrap(f"Note: {note}"))
    click.echo("")
    click.echo(wrap(NOT_MEDICAL_ADVICE))


@cli.command("entries")
@click.argument("diary", type=click.Path(dir_okay=True))
@diary_options
@out_file_option("Write every resolved row (food, grams, status, reason, nutrients) to this CSV.")
def entries_cmd(diary, out_path, force, **options):
    """Resolve every row of DIARY to grams of a known food, and say how each row ended."""
    from planner.entries import account, entries_for_csv
    from planner.render import render_accounting

    if out_path:
        check_writable(out_path, force)
    entries = load_diary_entries(diary, **options)
    if out_path:
        write_csv(entries_for_csv(entries), out_path)
        counts = account(entries)
        click.echo(
            f"wrote {out_path}: {counts.rows:,} rows ({counts.used:,} used, "
            f"{counts.flagged:,} flagged, {counts.rejected:,} rejected)"
        )
        return
    click.echo(render_accounting(entries))


@cli.command("analyze")
@click.argument("diary", type=click.Path())
@profile_options
@profiles_option
@diary_options
@restriction_options
@click.option("--no-suggest", is_flag=True, help="Leave out the foods that would close the gaps.")
@click.option("--json", "as_json", is_flag=True, help="Print the analysis as JSON.")
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False),
    help="Write summary.csv, daily.csv and entries.csv into this folder.",
)
@force_option
@click.option(
    "--engine",
    type=click.Choice(["pandas", "dask"]),
    default="pandas",
    show_default=True,
    help="dask: score a cohort on a Dask cluster. DIARY may be a folder of planner CSV or "
    "Parquet files (each a partition; people may span files); needs --out-dir, where "
    "entries.csv gains a source_file column; prints the cohort table, no charts or "
    "suggestions. pip install 'planner[dask]'.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 512),
    help="dask: local worker processes, one thread each (default: one per core).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="dask: a running scheduler (tcp://host:8786) instead of local workers; its "
    "workers must see DIARY at the same path.",
)
def analyze_cmd(
    diary, profiles_path, no_suggest, as_json, out_dir, force, engine, workers, scheduler,
    **options,
):  # fmt: skip
    """Score DIARY against your targets: the gaps, and the foods behind them."""
    from planner.report import render_cohort, render_report, report_json

    if engine == "dask":
        dask_options = {"workers": workers, "scheduler": scheduler, "as_json": as_json}
        analyze_with_dask(diary, profiles_path, out_dir, force, no_suggest, options, **dask_options)
        return
    if workers or scheduler:
        raise click.UsageError("--workers and --scheduler need --engine dask")
    restrictions = build_restrictions(**options)
    if out_dir:
        check_out_dir(out_dir, force)
    reports = run_analysis(diary, profiles_path, options)
    # suggestions are an optimisation per person: made for small diaries, on request beyond
    suggesting = not no_suggest and len(reports) <= CHART_PEOPLE
    suggestions = {p: suggest(r, restrictions) for p, r in reports.items()} if suggesting else {}
    if not no_suggest and not suggesting:
        click.echo(
            f"note: {len(reports):,} people: suggestions are made for up to {CHART_PEOPLE}; "
            "run 'planner suggest' on one person's diary",
            err=True,
        )
    if out_dir:
        write_analysis(reports, out_dir, force)
    if as_json:
        payloads = [
            report_json(r, suggestions_payload(suggestions.get(p))) for p, r in reports.items()
        ]
        echo_json(payloads[0] if list(reports) == [""] else {"people": payloads})
        return
    if len(reports) > CHART_PEOPLE:
        click.echo(render_cohort(reports))
        return
    texts = [render_report(r, suggestions_text(suggestions.get(p), r)) for p, r in reports.items()]
    click.echo(("\n\n" + "=" * 88 + "\n\n").join(texts))


def suggest(report, restrictions, max_foods=None, kcal_room=None):
    """Both answers of the suggest step for one report: (ranked, addon)."""
    from planner.suggest import DEFAULT_MAX_FOODS, rank_foods, suggest_addon

    ranked = rank_foods(report, restrictions)
    addon = suggest_addon(
        report, restrictions, max_foods=max_foods or DEFAULT_MAX_FOODS, kcal_room=kcal_room
    )
    return ranked, addon


def suggestions_payload(pair):
    from planner.suggest import suggestions_json

    return None if pair is None else suggestions_json(*pair)


def suggestions_text(pair, report):
    from planner.suggest import render_suggestions

    return None if pair is None else render_suggestions(*pair, report)


def echo_json(payload) -> None:
    """Print JSON to stdout (results only; warnings go to stderr)."""
    import json

    click.echo(json.dumps(payload, indent=2, ensure_ascii=False))


@cli.command("suggest")
@click.argument("diary", type=click.Path())
@profile_options
@profiles_option
@diary_options
@restriction_options
@click.option(
    "--max-foods",
    default=4,
    show_default=True,
    type=click.IntRange(1, 10),
    help="At most this many different foods in the add-on.",
)
@click.option(
    "--kcal-room",
    type=click.FloatRange(0, 5000),
    help="Most energy the add-on may add [kcal/day]; default what your energy target "
    "leaves free, at least 300.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the suggestions as JSON.")
@chart_option
@force_option
def suggest_cmd(diary, profiles_path, max_foods, kcal_room, as_json, chart_path, force, **options):
    """The fewest of the article's foods, in household portions, that close DIARY's gaps."""
    from planner.render import NOT_MEDICAL_ADVICE
    from planner.suggest import render_suggestions

    if chart_path:
        check_writable(chart_path, force)
    check_chart_suffix(chart_path)
    restrictions = build_restrictions(**options)
    reports = run_analysis(diary, profiles_path, options)
    results = {p: suggest(r, restrictions, max_foods, kcal_room) for p, r in reports.items()}
    if chart_path:
        from planner.charts import plot_before_after

        if len(reports) > 1:
            raise click.UsageError("--chart draws one person; filter the diary to one person")
        (report,), ((_, addon),) = reports.values(), results.values()
        write_chart(plot_before_after(report, addon), chart_path)
    if as_json:
        payloads = {p: suggestions_payload(pair) for p, pair in results.items()}
        if list(payloads) == [""]:
            echo_json({**payloads[""], "disclaimer": NOT_MEDICAL_ADVICE})
        else:
            echo_json({"people": payloads, "disclaimer": NOT_MEDICAL_ADVICE})
        return
    for person, (ranked, addon) in results.items():
        report = reports[person]
        click.echo(f"planner suggest: {report.describe()}")
        click.echo(f"Restrictions: {restrictions.describe()}")
        click.echo("")
        click.echo(render_suggestions(ranked, addon, report, findings=True))
        click.echo("")
    from planner.render import wrap

    click.echo(wrap(NOT_MEDICAL_ADVICE))


def run_analysis(diary, profiles_path, options):
    """Read, resolve and score a diary with the CLI's profile and diary options.

    With --kidney-disease potassium is no target and never a gap (the doctor sets it).
    """
    from planner.analysis import analyze, for_kidney_disease

    profile, profiles = profiles_from_options(profiles_path, options)
    entries = load_diary_entries(diary, **options)
    reports = analyze(entries, profile=profile, profiles=profiles)
    if options.get("kidney_disease"):
        reports = {person: for_kidney_disease(r) for person, r in reports.items()}
    return reports


def profiles_from_options(profiles_path, options):
    """(profile, profiles): --age/--sex for everyone, and/or the --profiles file."""
    from planner.targets import read_profiles

    profile = None
    if profiles_path is None or options.get("age") is not None:
        profile = build_profile(**options)
    profiles = read_profiles(profiles_path) if profiles_path else None
    return profile, profiles


def analyze_with_dask(
    diary, profiles_path, out_dir, force, no_suggest, options, workers, scheduler, as_json
):
    """``planner analyze --engine dask``: a cohort scored on a Dask cluster, to files."""
    from planner import dask_engine
    from planner.report import render_cohort

    if as_json:
        raise click.UsageError("--json is not available with --engine dask; use --out-dir")
    if not out_dir:
        raise click.UsageError("--engine dask writes a cohort's results to files: give --out-dir")
    if workers and scheduler:
        raise click.UsageError("give --workers (local workers) or --scheduler, not both")
    if options.get("diary_format") not in ("auto", "planner"):
        raise click.UsageError("--engine dask reads planner's own CSV (or Parquet) diaries only")
    dask_engine.require_dask()
    check_out_dir(out_dir, force, names=OUT_DIR_FILES)
    profile, profiles = profiles_from_options(profiles_path, options)
    dask_engine.cohort_files(diary)  # a missing path fails here, before a cluster starts
    with dask_engine.dask_client(workers, scheduler) as client:
        result = dask_engine.analyze_cohort(
            diary, client, profile=profile, profiles=profiles,
            map_path=options.get("map_path"), recompute=options.get("recompute", False),
        )  # fmt: skip
    names = dask_engine.write_cohort(result, out_dir)
    read = len(result.files)
    click.echo(f"wrote {', '.join(names)} to {out_dir} ({read:,} file(s) read)", err=True)
    click.echo("note: the dask engine draws no charts; draw one with 'planner chart'", err=True)
    if not no_suggest:
        click.echo(
            "note: the dask engine makes no suggestions; run 'planner suggest' on one "
            "person's diary",
            err=True,
        )
    click.echo(render_cohort(result.reports, where="the files in --out-dir"))


OUT_DIR_FILES = RESULT_FILES
OUT_DIR_CHARTS = ("coverage.png", "daily.png")
CHART_PEOPLE = 10  # --out-dir draws charts for diaries of up to this many people


def check_out_dir(out_dir, force: bool, names=OUT_DIR_FILES + OUT_DIR_CHARTS) -> None:
    """Fail before any work if ``--out-dir`` would overwrite files without ``--force``."""
    from pathlib import Path

    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise click.ClickException(f"{folder} exists and is not a folder")
    for name in names:
        check_writable(folder / name, force)


def write_analysis(reports, out_dir, force: bool) -> None:
    """Write summary.csv, daily.csv and entries.csv into ``out_dir``."""
    from pathlib import Path

    import pandas as pd

    from planner.entries import entries_for_csv
    from planner.report import cohort_entries, daily_frame, summary_frame

    folder = Path(out_dir)
    entries = cohort_entries(reports)
    if entries is None:
        entries = pd.concat([r.entries for r in reports.values()])
    if not entries["source_row"].is_monotonic_increasing:
        entries = entries.sort_values("source_row")
    names = write_results(
        folder, summary_frame(reports), daily_frame(reports), entries_for_csv(entries)
    )
    if len(reports) <= CHART_PEOPLE:
        from planner.charts import plot_coverage, plot_daily, save_figure

        for person, report in reports.items():
            prefix = f"{person}-" if person else ""
            for name, plot in zip(OUT_DIR_CHARTS, (plot_coverage, plot_daily), strict=True):
                save_figure(plot(report), folder / f"{prefix}{name}")
                names.append(f"{prefix}{name}")
    else:
        click.echo(
            f"note: {len(reports):,} people: no charts written (they are drawn for up to "
            f"{CHART_PEOPLE}); draw one with 'planner chart'",
            err=True,
        )
    shown = (
        ", ".join(names) if len(names) <= 6 else f"{', '.join(names[:5])} and {len(names) - 5} more"
    )
    click.echo(f"wrote {shown} to {folder}", err=True)


@cli.command("plan")
@profile_options
@restriction_options
@click.option(
    "--include",
    multiple=True,
    metavar="FOOD",
    help="Keep one of the foods this names in every day (food id, family or words of its "
    "name). Repeatable.",
)
@click.option(
    "--from-diary",
    type=click.Path(dir_okay=False),
    help="Plan with the foods of this diary too: at least half of each day's foods are yours "
    "where that is feasible.",
)
@click.option("--days", default=1, show_default=True, type=click.IntRange(1, 14))
@click.option("--snacks", default=2, show_default=True, type=click.IntRange(1, 2))
@click.option("--seed", default=0, show_default=True, type=int, help="Same seed, same plan.")
@click.option(
    "--max-days-per-food",
    type=click.IntRange(1, 14),
    help="Use a food on at most this many days (default: half the days, at least 2).",
)
@click.option(
    "--prices",
    type=click.Path(dir_okay=False),
    help="CSV of food_id,price (per household portion): minimise the cost of the day.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@click.option(
    "--out", "out_path", type=click.Path(dir_okay=False), help="Write the plan to this CSV."
)
@chart_option
@force_option
def plan_cmd(
    include, from_diary, days, snacks, seed, max_days_per_food, prices, as_json, out_path,
    chart_path, force, **options,
):  # fmt: skip
    """Plan a day (or a week) of meals that meets every target and the Dietary Guidelines
    food groups, from foods as eaten and the article's foods."""
    from planner.plan import plan_days, plan_frame, plan_json, read_prices, render_plan

    for path in (out_path, chart_path):
        if path:
            check_writable(path, force)
    check_chart_suffix(chart_path)
    profile = build_profile(**options)
    restrictions = build_restrictions(include=include, **options)
    extra = None
    if from_diary:
        from planner.candidates import diary_foods
        from planner.entries import read_entries

        extra = diary_foods(read_entries(from_diary))
    price_list = read_prices(prices) if prices else None
    plan = plan_days(
        profile,
        days=days,
        restrictions=restrictions,
        snacks=snacks,
        seed=seed,
        max_days_per_food=max_days_per_food,
        extra=extra,
        prices=price_list,
    )
    if out_path:
        write_csv(plan_frame(plan), out_path)
        click.echo(f"wrote {out_path}", err=True)
    if chart_path:
        from planner.charts import plot_plan

        write_chart(plot_plan(plan), chart_path)
    if as_json:
        echo_json(plan_json(plan))
        return
    click.echo(render_plan(plan))


CHART_KINDS = ("coverage", "daily", "contributors", "before-after")


@cli.command("chart")
@click.argument("diary", type=click.Path())
@profile_options
@diary_options
@restriction_options
@click.option(
    "--kind",
    type=click.Choice(CHART_KINDS),
    default="coverage",
    show_default=True,
    help="coverage: each nutrient against its target; daily: a heatmap of days; "
    "contributors: the foods behind each gap; before-after: the average day with the "
    "suggested add-on.",
)
@out_file_option("The chart file; its suffix picks the format (.png, .svg or .pdf).", required=True)
def chart_cmd(diary, kind, out_path, force, **options):
    """Draw a nutrient coverage chart of DIARY."""
    from planner import charts

    check_writable(out_path, force)
    check_chart_suffix(out_path)
    reports = run_analysis(diary, None, options)
    if len(reports) > 1:
        raise click.UsageError("chart draws one person; use analyze --out-dir for several")
    (report,) = reports.values()
    if kind == "before-after":
        _, addon = suggest(report, build_restrictions(**options))
        figure = charts.plot_before_after(report, addon)
    else:
        plot = {"coverage": charts.plot_coverage, "daily": charts.plot_daily,
                "contributors": charts.plot_contributors}[kind]  # fmt: skip
        figure = plot(report)
    write_chart(figure, out_path)


@cli.command("report")
@click.argument("diary", type=click.Path())
@profile_options
@profiles_option
@diary_options
@restriction_options
@click.option(
    "--no-suggest",
    is_flag=True,
    help="Leave out the foods that would close the gaps and the suggested day of meals.",
)
@out_file_option(
    "The HTML file to write: one page that needs no network and no other file.", required=True
)
def report_cmd(diary, profiles_path, no_suggest, out_path, force, **options):
    """Write DIARY's analysis as one HTML page, with charts, to open in a browser or send."""
    from planner.report_html import render_report, write_report

    check_writable(out_path, force)
    restrictions = build_restrictions(**options)
    reports = run_analysis(diary, profiles_path, options)
    write_report(render_report(reports, restrictions, suggest=not no_suggest), out_path)
    click.echo(f"wrote {out_path}", err=True)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv, prog_name="planner")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
