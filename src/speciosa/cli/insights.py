"""``speciosa insights [--json] [--plots DIR]``: the n-of-1 answers, as text, JSON or plots.

Thin: :func:`speciosa.app.insights.insights` reads the journal (with the wearable's
nights) and analyses it; this module renders the report. The insights modules (pandas,
statsmodels, matplotlib) are imported when the command runs, not when the CLI starts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .context import app_state, console, errors

if TYPE_CHECKING:
    from rich.console import Console

    from speciosa.insights import Effect, InsightReport


def insights(
    ctx: typer.Context,
    json_: Annotated[bool, typer.Option("--json", help="print the results as JSON")] = False,
    plots: Annotated[
        Path | None, typer.Option("--plots", help="write PNG and SVG plots to this directory")
    ] = None,
) -> None:
    """Is it helping me? Personal (n-of-1) answers with honest uncertainty."""
    from speciosa.app import insights as answers

    with app_state(ctx).journal() as journal:
        view = answers.insights(journal, charts=False)
    written: list[Path] = []
    if plots is not None:
        from speciosa.insights import plots as insight_plots

        written = insight_plots.write_all(view.frame, view.report, plots)
    if json_:
        sys.stdout.write(json.dumps(view.report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        render(view.report, console)
    for path in written:
        errors.print(f"Wrote {path}", markup=False)


# How each question reads in a table row (the sentence under the table says it in full).
QUESTION_WORDS = {
    "dose_vs_none": "with vs without",
    "dose_band": "by dose band",
    "dose_response": "per extra gram",
    "timing": "dose-to-bed time",
    "product": "vs main product",
    "tolerance": "fading, per month",
    "side_effect": "per 10 g a week",
}


def render(report: InsightReport, console: Console) -> None:
    """The answers grouped by outcome, then the sentence behind each answered one."""
    from rich.markup import escape
    from rich.table import Table

    from speciosa.insights.results import level_percent

    if report.days == 0:
        console.print("Nothing logged yet: insights need a few weeks of entries.")
        return
    console.print(
        f"[bold]Insights[/] for {report.first_day} to {report.last_day} "
        f"({report.logged_days} of {report.days} days logged)"
    )
    table = Table(show_edge=False, header_style="bold")
    for column in ("question", f"estimate ({level_percent()} interval)", "days", "reading"):
        table.add_column(column)
    current = None
    for effect in report.effects:
        if effect.label != current:
            current = effect.label
            table.add_section()
            table.add_row(f"[bold]{escape(effect.label)}[/]", "", "", "")
        table.add_row(*_row(effect))
    console.print(table)
    console.print()
    for effect in report.effects:
        if effect.enough_data and effect.estimate is not None:
            console.print(f"• {effect.sentence}", markup=False)
    for note in report.notes:
        console.print(f"\n[dim]{escape(note)}[/]")


def _row(effect: Effect) -> tuple[str, str, str, str]:
    from speciosa.insights.results import level_percent

    question = "  " + QUESTION_WORDS.get(effect.question, effect.question.replace("_", " "))
    days = (
        f"{effect.n_exposed} / {effect.n_unexposed}"
        if effect.n_unexposed
        else str(effect.n_exposed)
    )
    if not (effect.enough_data and effect.estimate is not None):
        waiting = "held back" if effect.withheld else "not enough data yet"
        return question, "—", days, f"[dim]{waiting}[/]"
    # Only a level other than the column's (a Bonferroni-widened product) is repeated.
    level = "" if effect.ci_percent == level_percent() else f" ({effect.ci_percent})"
    interval = f"({effect.ci_low:+.1f} to {effect.ci_high:+.1f})"
    estimate = f"{effect.estimate:+.1f} {effect.unit} {interval}{level}"
    reading = "[bold]a difference[/]" if effect.claimed else "can't tell yet"
    if effect.clinically_important:
        reading += ", clinically important"
    return question, estimate, days, reading
