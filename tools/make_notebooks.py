"""Write the notebooks in ``notebooks/`` from the cells below, without outputs.

The notebooks are built here so that they can be reviewed as Python and rebuilt exactly:
edit a cell below, then run ``python tools/make_notebooks.py``. They are written without
outputs or execution counts, so their diffs show only what changed in the cells.
``tests/test_notebooks.py`` executes both notebooks and checks that this script reproduces
the committed files byte for byte.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "notebooks"
METADATA = {
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python"},
}

# The first code cell of both notebooks.
SETUP = """
%matplotlib inline
import sys
from pathlib import Path

import pandas as pd

# The notebooks run from notebooks/ (or from the repository root): find the root.
HERE = Path.cwd().resolve()
ROOT = HERE if (HERE / "examples").is_dir() else HERE.parent
# Run from a clone: use this checkout's planner rather than another installed copy.
if (ROOT / "planner" / "__init__.py").exists():
    sys.path.insert(0, str(ROOT))

# Numbers as planner prints them: whole numbers from 100 up, else three significant figures.
pd.set_option("display.float_format", lambda x: f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}")
pd.set_option("display.max_colwidth", 120)
"""


def md(text: str) -> NotebookNode:
    """A markdown cell from an indented block of text."""
    return new_markdown_cell(textwrap.dedent(text).strip())


def code(text: str) -> NotebookNode:
    """A code cell from an indented block of code."""
    return new_code_cell(textwrap.dedent(text).strip())


def _notebook(stem: str, cells: list[NotebookNode]) -> NotebookNode:
    nb = new_notebook(cells=cells, metadata=METADATA)
    # nbformat gives new cells random ids; numbered ids keep every rebuild identical.
    for number, cell in enumerate(nb.cells):
        cell.id = f"{stem}-{number:02d}"
    return nb


def walkthrough() -> NotebookNode:
    """From the example diary to the gaps, an add-on and a planned day."""
    return _notebook(
        "walkthrough",
        [
            md(
                """
                # Walkthrough: from a food diary to a day of meals

                This notebook follows one example from beginning to end with planner's Python
                API. It reads a week of food diary, compares it with the reference intakes of a
                45-year-old woman, shows where the week falls short and which foods supply what
                is there now, proposes a few foods to add, and then builds a whole day of meals
                that reaches every target.

                The nutrients in question are the ones muscles and nerves depend on: magnesium,
                potassium, calcium, vitamin D and the B vitamins, with protein alongside.

                > **Food guidance, not medical advice.** Everything below compares a diary with
                > published reference values. It cannot show that someone lacks a nutrient, nor
                > explain why they get cramps. The last section lists the signs that call for a
                > doctor.
                """
            ),
            md(
                """
                ## Setup

                The first cell makes the notebook use the planner of this repository when it is
                run from a clone, and turns on inline charts so that the figures planner returns
                appear under the cells that make them.
                """
            ),
            code(SETUP),
            code(
                """
                from planner.analysis import analyze
                from planner.charts import (
                    plot_before_after,
                    plot_contributors,
                    plot_coverage,
                    plot_daily,
                    plot_plan,
                )
                from planner.entries import read_entries
                from planner.plan import plan_days, totals_frame
                from planner.suggest import suggest_addon
                from planner.targets import Profile
                """
            ),
            md(
                """
                ## 1. Read the diary

                The example diary is a CSV file in planner's own format: one row per food eaten,
                with the date, the meal, the food in the diarist's words and the amount.
                `read_entries` reads it, looks each food up in the USDA food table and turns each
                amount into grams. Every row gets a status. Rows that are `matched` count; rows
                planner cannot resolve with confidence are set aside for review instead of being
                guessed at.
                """
            ),
            code(
                """
                DIARY = ROOT / "examples" / "diary.csv"
                entries = read_entries(DIARY)
                entries["status"].value_counts()
                """
            ),
            md(
                """
                The rows set aside, and why. Typical reasons are a home recipe that is not in the
                USDA table, or an amount such as "a handful" when the food has no such measure.
                Those foods were still eaten, so their nutrients are missing from the totals
                below; the analysis keeps track of that.
                """
            ),
            code(
                """
                review = entries[entries["status"] != "matched"]
                review[["source_row", "date", "food_text", "amount_text", "status", "reason"]]
                """
            ),
            md(
                """
                ## 2. The profile and its targets

                A *target* is the amount of a nutrient to aim for, per day. planner takes its
                targets from the US and Canadian Dietary Reference Intakes, which depend on age
                and sex (and on pregnancy or breastfeeding). They come in two kinds:

                - An **RDA** (Recommended Dietary Allowance) is set high enough to cover the
                  needs of nearly everyone in the group, about 97 or 98 people in 100.
                - An **AI** (Adequate Intake) stands in where the evidence is too thin for an
                  RDA. It is an amount that healthy people appear to do well on; potassium's
                  target is one.

                Energy is different: its target estimates what a moderately active woman of
                this age burns in a day, so more is not better.

                A day below target is not a deficiency. The targets carry a safety margin, and
                they are meant to be reached on average over time, not every single day.
                """
            ),
            code(
                """
                profile = Profile(45, "female")
                report = analyze(entries, profile)[""]  # a one-person diary: its person is ""
                report.describe()
                """
            ),
            md(
                """
                ## 3. The average day

                One row per nutrient: `mean_intake` is the average per day over the week,
                `percent_of_target` compares it with the target, `kind` says whether the target
                is an RDA or an AI (for energy, how the target was estimated), and `days_below`
                counts the days under target.

                **Unknown is not zero.** A value can be missing for two reasons: the row was set
                aside for review, or USDA never measured that nutrient in that food. Either way
                the food was eaten and carried some amount that nobody knows. planner adds up
                only what is known and marks the total as a **lower bound**: the true intake is
                at least this much, perhaps more. **Completeness** (here in percent) is the share
                of the entries that had a value for the nutrient. At 100% the total is as good as
                the food table; below that, part of a shortfall may be missing data rather than
                missing food.
                """
            ),
            code(
                """
                columns = [
                    "name", "unit", "mean_intake", "target", "kind", "percent_of_target",
                    "status", "days_below", "completeness", "lower_bound",
                ]
                average = report.nutrients[columns].copy()
                average["completeness"] *= 100  # percent of entries with a value
                average
                """
            ),
            md(
                """
                The same numbers as a chart. Each bar is the week's average as a percentage of
                the target, lowest at the top; the vertical line marks 100%. A lighter, hatched
                bar is a lower bound. A diamond marks an upper limit where one applies to food
                (section 5). Energy and sodium are not bars, since more of them is not better:
                the note under the chart gives their averages.
                """
            ),
            code("plot_coverage(report)"),
            md(
                """
                An average can hide uneven days. The heatmap has one column per day and one row
                per nutrient, coloured by percent of target: brown below it, white at it, green
                above. A grey cell is a day with no value at all for that nutrient.
                """
            ),
            code("plot_daily(report)"),
            md(
                """
                ## 4. The gaps, and the foods behind them

                `report.gaps` lists the nutrients whose weekly average is under target, the
                largest shortfall (relative to the target) first. `shortfall` is how much is
                missing per day, in the nutrient's unit. `maybe_data_gap` is true when the total
                is a lower bound, so that part of the gap might be foods without a value rather
                than too little eaten.
                """
            ),
            code(
                """
                gaps = report.gaps[
                    ["name", "unit", "mean_intake", "target", "shortfall", "percent_of_target",
                     "days_below", "completeness", "maybe_data_gap"]
                ].copy()
                gaps["completeness"] *= 100
                gaps
                """
            ),
            md(
                """
                **Why vitamin D is so often short.** Few foods hold much of it: fatty fish such
                as salmon, trout and sardines, egg yolks, and foods it is added to, such as some
                milks, plant drinks, yogurts and breakfast cereals. Most people make a good part
                of their vitamin D in the skin in sunlight, which no food diary records. A low
                figure from food is therefore very common and says nothing on its own about the
                level in the blood (only a blood test can); it does mean that food alone rarely
                reaches the target without fish or fortified foods most days.

                `report.top_foods` shows, for each nutrient, the foods that gave the most of it
                over the week: `amount` is the total for the week in the nutrient's unit and
                `share` its percentage of everything eaten of that nutrient. For the gap
                nutrients, this is what the diet leans on now.
                """
            ),
            code(
                """
                top = report.top_foods
                behind = top[top["nutrient"].isin(report.gaps["nutrient"])]
                behind = behind[["nutrient", "rank", "food", "amount", "share"]].copy()
                behind["share"] *= 100
                behind.set_index(["nutrient", "rank"])
                """
            ),
            code("plot_contributors(report)"),
            md(
                """
                ## 5. Upper limits

                A **UL** (tolerable upper intake level) is the most a person can take each day
                with no likely risk of harm. planner checks a UL only where it applies to food:

                - The calcium, vitamin D and vitamin B6 ULs count every source, food included,
                  so they are checked.
                - The folate UL concerns folic acid alone, the synthetic form added to fortified
                  foods, so planner checks the folic acid, not the folate that food holds
                  naturally.
                - The magnesium UL is about magnesium from supplements and medicines; magnesium
                  in food does not count towards it, so it is shown and never applied.
                - The niacin UL covers nicotinic acid from supplements and fortified foods. Food
                  tables do not split niacin that way, so a diary cannot be checked against it
                  (a plan keeps the niacin of fortified foods under it).
                - Sodium has no UL. Its ceiling is the intake above which the risk of chronic
                  disease rises (the CDRR, 2,300 mg a day for adults).

                `mean_ul_intake` is the amount checked against the UL, on the average day.
                """
            ),
            code(
                """
                limits = report.nutrients[report.nutrients["ul"].notna()]
                limits[["name", "unit", "mean_intake", "ul", "ul_applies", "ul_covers",
                        "mean_ul_intake", "days_above_ul"]]
                """
            ),
            code(
                """
                for note in report.notes:
                    print(note)
                """
            ),
            md(
                """
                ## 6. A small add-on that closes the gaps

                `suggest_addon` looks for the fewest foods that would close every gap if they
                were added to the average day. It chooses among the article's food families
                (leafy greens, nuts, seeds, legumes, whole grains, avocados, bananas, dairy,
                fortified foods and fatty fish) in household portions, keeps within the energy
                that the energy target leaves free (`kcal_room`), and never pushes any day of
                the diary over a UL that applies to food. Underneath, it is a small
                optimisation problem solved exactly.
                """
            ),
            code(
                """
                addon = suggest_addon(report)
                addon.status, addon.kcal_room
                """
            ),
            code('addon.foods[["name", "portion", "portions", "grams", "energy_kcal"]]'),
            md(
                """
                `addon.closes` follows each gap from `before` to `after`: `added` is what the
                add-on brings per day, and `closed` says whether the target is then reached.
                """
            ),
            code('addon.closes[["name", "unit", "before", "added", "after", "target", "closed"]]'),
            code("plot_before_after(report, addon)"),
            md(
                """
                The add-on works on the average day. It points to the kind of food that helps
                rather than prescribing it: many other combinations give the same nutrients, and
                the food-table notebook shows which foods are richest in each.

                ## 7. A whole day of meals

                `plan_days` starts from an empty plate and builds breakfast, lunch, dinner and
                two snacks from the same food families. Every panel nutrient reaches its target,
                no UL that applies to food is passed, sodium stays at or under 2,300 mg, and
                energy lands within 5% of the target. Each food comes in steps of half its
                usual portion.
                """
            ),
            code(
                """
                plan = plan_days(profile, days=1)
                day = plan.days[0]
                day.status
                """
            ),
            code('day.foods[["meal", "name", "portion", "grams", "energy_kcal"]]'),
            md(
                """
                `totals_frame` adds up the day: the `total` of each nutrient, its `target`, the
                `minimum` the plan had to reach and the `limit` it had to stay under (with the
                amount the limit is checked on), and whether both held.
                """
            ),
            code("totals_frame(plan)"),
            code("plot_plan(plan)"),
            md(
                """
                A plan like this is a worked example of a day that covers everything, not a
                menu to follow to the gram. Swap foods to taste; `plan_days` also takes dietary
                restrictions and plans several days at once (see the README).

                ## 8. All of it in one page

                `render_report` puts the analysis, the charts, the add-on and a planned day in
                one HTML page, the one `planner report` writes: a single file with no link out
                of it, to open in a browser, print or send. Passing the add-on and the plan made
                above saves making them again.
                """
            ),
            code(
                """
                import tempfile

                from planner.report_html import render_report, write_report
                from planner.suggest import rank_foods

                html = render_report(
                    report, suggestions={"": (rank_foods(report), addon)}, plans={"": plan}
                )
                page = write_report(html, Path(tempfile.mkdtemp()) / "report.html")
                print(f"{page.name}: {len(html) / 1e3:,.0f} kB")
                """
            ),
            md(
                """
                ## Before changing anything

                planner offers food guidance based on published reference values. It is not
                medical advice, and it cannot diagnose a deficiency or find the cause of cramps.
                See a doctor if cramps

                - keep coming back, or are severe;
                - come with swelling, redness or changes in the skin;
                - come with muscle weakness;
                - began after starting a new medication.

                Some medicines, diuretics ("water tablets") among them, change the body's
                balance of potassium, magnesium and calcium; if you take one, talk to the
                prescriber before reshaping your diet around these minerals.

                planner never recommends supplements. Whether one would help, and how much, is
                a question for a doctor, pharmacist or registered dietitian: too much of some
                vitamins and minerals does harm, and some supplements interact with medicines.
                """
            ),
        ],
    )


def food_table() -> NotebookNode:
    """The article's richest foods per nutrient, and how complete the USDA data is."""
    return _notebook(
        "food-table",
        [
            md(
                """
                # The food table: where the nutrients are, and where the data has holes

                planner's nutrient values come from the USDA National Nutrient Database for
                Standard Reference, Release 28 (SR28), which gives values per 100 g of nearly
                9,000 foods. Suggestions and plans draw on a much shorter list: the foods of the
                article's families, each with a typical household portion.

                This notebook asks two questions of that data:

                1. Among the article's foods, which are richest in each nutrient, per typical
                   portion and per 100 kcal?
                2. Across the whole USDA table, how often is a nutrient's value simply unknown,
                   and in which kinds of food?
                """
            ),
            code(SETUP),
            code(
                """
                from matplotlib.figure import Figure
                from matplotlib.patches import Patch

                from planner.foods import load_article_foods, load_foods, portion_label
                from planner.nutrients import get, nutrients
                from planner.targets import Profile, targets_for_profile
                """
            ),
            md(
                """
                ## The panel nutrients

                These are the nutrients planner scores a diary on. Each id carries its unit, so
                the unit survives any trip through a CSV file.
                """
            ),
            code(
                """
                panel = [n for n in nutrients() if n.role == "panel"]
                ids = [n.id for n in panel]
                pd.DataFrame({"name": [n.name for n in panel], "unit": [n.unit for n in panel]},
                             index=ids)
                """
            ),
            md(
                """
                ## The article's foods

                Each food belongs to one family and has one typical portion, taken from USDA's
                own household measures.
                """
            ),
            code(
                """
                foods = load_foods()
                article = load_article_foods()
                print(f"{len(foods):,} foods in the USDA table; {len(article)} article foods")
                article["family"].value_counts().rename("foods")
                """
            ),
            md(
                """
                ## Per portion and per 100 kcal

                The table gives each nutrient per 100 g. Multiplying by the portion's weight
                over 100 gives the amount in one typical portion: what a usual helping brings.
                Dividing that by the portion's energy and multiplying by 100 gives the amount per
                100 kcal: how much of the nutrient a food brings for the energy it costs.

                The two rankings answer different questions. Per portion favours foods eaten in
                large helpings, such as a cup of cooked beans. Per 100 kcal favours foods with
                almost no energy, such as raw leafy greens, even though a lot of them has to be
                eaten to make 100 kcal.

                An unknown value stays unknown here and drops out of the ranking instead of
                counting as zero. (`planner.candidates.portion_nutrients` turns unknowns into
                zero for the optimiser, which can only make a plan more cautious; here the
                unknowns should stay visible.)
                """
            ),
            code(
                """
                per_100g = foods.loc[article["food_id"], ["energy_kcal", *ids]]
                per_100g.index = article.index
                per_portion = per_100g.mul(article["portion_grams"] / 100, axis=0)
                per_100kcal = per_portion[ids].div(per_portion["energy_kcal"], axis=0) * 100
                portion = pd.Series(
                    [portion_label(a, m) for a, m in zip(article["portion_amount"],
                                                         article["portion_measure"])],
                    index=article.index,
                )
                label = article["name"] + ", " + portion


                def richest(values, n=3):
                    # The n foods with the most of each panel nutrient; unknown values left out.
                    rows = []
                    for nutrient in panel:
                        top = values[nutrient.id].dropna().nlargest(n)
                        for rank, (food_id, amount) in enumerate(top.items(), start=1):
                            rows.append({
                                "nutrient": f"{nutrient.name} ({nutrient.unit})",
                                "rank": rank,
                                "food": label[food_id],
                                "amount": amount,
                            })
                    return pd.DataFrame(rows).set_index(["nutrient", "rank"])


                pd.concat(
                    [richest(per_portion), richest(per_100kcal)],
                    axis=1,
                    keys=["per typical portion", "per 100 kcal"],
                )
                """
            ),
            md(
                """
                Per portion, fatty fish lead for vitamin D and vitamin B12, seeds and cooked
                greens for magnesium, and greens and beans for potassium. Fortified foods
                (breakfast cereals, plant drinks) rank high for calcium and for most B vitamins,
                because those nutrients are added to them. Per 100 kcal, cooked greens such as
                Swiss chard, spinach, beet greens and bok choy move to the top for magnesium and
                potassium and come close behind the fortified foods for calcium.

                The charts below show the eight richest foods for the four minerals and vitamin
                most often short in diaries. Each bar's label gives the amount and, in brackets,
                its share of the daily target of a 45-year-old woman. Colours show the food
                family.
                """
            ),
            code(
                """
                FOCUS = ["magnesium_mg", "potassium_mg", "calcium_mg", "vitamin_d_ug"]
                # One colour per family, mostly from the colour-blind-safe Okabe-Ito palette.
                colours = {
                    "leafy_greens": "#009E73", "legumes": "#D55E00", "seeds": "#E69F00",
                    "nuts": "#8C564B", "whole_grains": "#B8860B", "avocados": "#6B8E23",
                    "bananas": "#F0E442", "dairy": "#56B4E9", "fortified_foods": "#CC79A7",
                    "fatty_fish": "#0072B2",
                }
                targets = targets_for_profile(Profile(45, "female")).table["target"]


                def amount_text(value):
                    return f"{value:,.0f}" if value >= 10 else f"{value:.2g}"


                def plot_richest(values, per, with_targets, n=8):
                    # Small multiples: the n richest foods for each FOCUS nutrient.
                    fig = Figure(figsize=(12, 9), layout="constrained")
                    shown = set()
                    for ax, nid in zip(fig.subplots(2, 2).flat, FOCUS):
                        nutrient = get(nid)
                        top = values[nid].dropna().nlargest(n).iloc[::-1]
                        shown.update(article.loc[top.index, "family"])
                        bars = ax.barh(
                            label[top.index].str.wrap(36),
                            top,
                            color=[colours[f] for f in article.loc[top.index, "family"]],
                        )
                        texts = [amount_text(v) for v in top]
                        if with_targets:
                            texts = [f"{t} ({v / targets[nid]:.0%})" for t, v in zip(texts, top)]
                        ax.bar_label(bars, texts, padding=3, fontsize=9)
                        ax.set_title(nutrient.name, loc="left", fontweight="bold")
                        ax.set_xlabel(f"{nutrient.unit} {per}")
                        ax.margins(x=0.25)
                        ax.tick_params(axis="y", labelsize=9)
                        ax.spines[["top", "right"]].set_visible(False)
                    handles = [Patch(color=colours[f], label=f.replace("_", " "))
                               for f in colours if f in shown]
                    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles),
                               frameon=False)
                    title = f"The article's richest foods {per}"
                    if with_targets:
                        title += "\\n(in brackets: share of the daily target of a woman aged 45)"
                    fig.suptitle(title, fontsize=13)
                    return fig


                plot_richest(per_portion, "per typical portion", with_targets=True)
                """
            ),
            code('plot_richest(per_100kcal, "per 100 kcal", with_targets=False)'),
            md(
                """
                ## How complete is the USDA data?

                USDA did not analyse every nutrient in every food. For each food group and each
                panel nutrient, the heatmap gives the share of foods that have a value at all.
                Groups are sorted with the least complete at the top; the bottom row is the
                whole table. The number after each group is how many foods it holds.
                """
            ),
            code(
                """
                groups = foods["food_group"]
                known = foods[ids].notna().groupby(groups).mean() * 100
                known = known.loc[known.mean(axis=1).sort_values().index]
                known.loc["All foods"] = foods[ids].notna().mean() * 100
                counts = groups.value_counts()
                counts["All foods"] = len(foods)


                def plot_known(known):
                    fig = Figure(figsize=(11, 11), layout="constrained")
                    ax = fig.subplots()
                    image = ax.imshow(known, cmap="viridis", vmin=0, vmax=100, aspect="auto")
                    ax.set_xticks(range(len(ids)), [get(i).name for i in ids], rotation=40,
                                  ha="right")
                    ax.set_yticks(range(len(known)), [f"{g} ({counts[g]:,})" for g in known.index])
                    ax.tick_params(labelsize=9)
                    for (row, col), value in pd.DataFrame(known.to_numpy()).stack().items():
                        ax.text(col, row, f"{value:.0f}", ha="center", va="center", fontsize=8,
                                color="white" if value < 60 else "black")
                    ax.axhline(len(known) - 1.5, color="white", linewidth=3)
                    fig.colorbar(image, ax=ax, shrink=0.6, label="foods with a known value (%)")
                    ax.set_title("USDA SR28: share of foods with a value, by group and nutrient",
                                 loc="left")
                    return fig


                plot_known(known)
                """
            ),
            md(
                """
                Protein is known for every food. The minerals are known for most foods; their
                holes gather in soups and sauces, the traditional foods of the American Indian
                and Alaska Native group, mixed meals and (for magnesium) legume products.
                Vitamin D is
                the nutrient with by far the most holes, followed by folate. Vitamin D is costly
                to measure and came into the database later than most nutrients, so many foods
                were never analysed for it.

                Where the vitamin D unknowns are, group by group (`share of unknowns` is each
                group's part of all the foods without a vitamin D value):
                """
            ),
            code(
                """
                unknown_d = foods["vitamin_d_ug"].isna()
                where = pd.DataFrame({
                    "foods": counts.drop("All foods"),
                    "unknown": unknown_d.groupby(groups).sum(),
                })
                where["unknown (%)"] = where["unknown"] / where["foods"] * 100
                where["share of unknowns (%)"] = where["unknown"] / unknown_d.sum() * 100
                print(f"{unknown_d.sum():,} of {len(foods):,} foods "
                      f"({unknown_d.mean():.0%}) have no vitamin D value")
                where.sort_values("unknown", ascending=False).head(10)
                """
            ),
            md(
                """
                What this means for a diary: meat, baked goods, soups, restaurant and fast food,
                and even many fish entries often have no vitamin D value, so a week built on
                them gets a vitamin D total that is a lower bound, and planner says so. Part of
                the gap it reports may then be a gap in the data. Towards an upper limit planner
                does the opposite and counts an unknown as a high but plausible value (the 95th
                percentile of the food's group), so that nothing slips over a limit through a
                hole in the data.

                The article's foods, on the other hand, are almost fully analysed. These are the
                only ones with an unknown panel value:
                """
            ),
            code(
                """
                unknown = per_100g[ids].isna()
                holes = unknown[unknown.any(axis=1)]
                pd.DataFrame({
                    "food": article.loc[holes.index, "name"],
                    "family": article.loc[holes.index, "family"],
                    "unknown": [", ".join(get(i).name for i in ids if row[i])
                                for _, row in holes.iterrows()],
                })
                """
            ),
        ],
    )


def notebooks() -> dict[str, NotebookNode]:
    """Every notebook, by file name."""
    return {"walkthrough.ipynb": walkthrough(), "food-table.ipynb": food_table()}


def render(nb: NotebookNode) -> str:
    """The text of a notebook file, exactly as :func:`main` writes it."""
    return nbformat.writes(nb) + "\n"


def main() -> int:
    FOLDER.mkdir(exist_ok=True)
    for name, nb in notebooks().items():
        nbformat.validate(nb)
        path = FOLDER / name
        path.write_text(render(nb), encoding="utf-8", newline="\n")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
