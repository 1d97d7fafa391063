"""``speciosa insights [--json] [--plots DIR]``: the n-of-1 answers, as text, JSON or plots.

Thin: reads the journal, calls ``insights.daily_frame`` and ``insights.analyse``, renders.
Wire it with ``app.command()(insights.insights)``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from speciosa.insights import InsightReport, analyse, daily_frame
from speciosa.insights import plots as insight_plots
from speciosa.journal.models import EntryBase, Profile, StoredEntry

from .context import app_state, console, errors


def insights(
    ctx: typer.Context,
    json_: Annotated[bool, typer.Option("--json", help="print the results as JSON")] = False,
    plots: Annotated[
        Path | None, typer.Option("--plots", help="write PNG and SVG plots to this directory")
    ] = None,
) -> None:
    """Is it helping me? Personal (n-of-1) answers with honest uncertainty."""
    with app_state(ctx).journal() as session:
        entries = session.store.entries()
        profile = session.profile
    insights_command(entries, profile, as_json=json_, plots_dir=plots, console=console)


def insights_command(
    entries: Sequence[EntryBase | StoredEntry],
    profile: Profile,
    *,
    as_json: bool,
    plots_dir: Path | None,
    console: Console,
) -> InsightReport:
    """Analyse ``entries`` and render the report (JSON on stdout, or Rich text)."""
    frame = daily_frame(entries, profile)
    report = analyse(frame, profile)
    written = insight_plots.write_all(frame, report, plots_dir) if plots_dir else []
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        render(report, console)
    for path in written:
        errors.print(f"Wrote {path}", markup=False)
    return report


def render(report: InsightReport, console: Console) -> None:
    """The report as a table of answers and the sentence behind each."""
    if report.days == 0:
        console.print("Nothing logged yet: insights need a few weeks of entries.")
        return
    console.print(
        f"[bold]Insights[/] for {report.first_day} to {report.last_day} "
        f"({report.logged_days} of {report.days} days logged)"
    )
    table = Table(show_edge=False, header_style="bold")
    for column in ("question", "outcome", "estimate (95% CI)", "n", "finding"):
        table.add_column(column)
    for effect in report.effects:
        if effect.enough_data and effect.estimate is not None:
            level = "" if effect.ci_level == 0.95 else f" ({effect.ci_level:.1%})"
            estimate = (
                f"{effect.estimate:+.2f} ({effect.ci_low:+.2f} to {effect.ci_high:+.2f}) "
                f"{effect.unit}{level}"
            )
            finding = "[red]yes[/]" if effect.claimed else "unclear"
        else:
            estimate, finding = "—", "[dim]not enough data[/]"
        table.add_row(
            effect.question.replace("_", " "),
            f"{effect.label} [dim]{effect.exposure}[/]",
            estimate,
            f"{effect.n_exposed}/{effect.n_unexposed}",
            finding,
        )
    console.print(table)
    console.print()
    for effect in report.effects:
        console.print(f"• {effect.sentence}", markup=False)
    for note in report.notes:
        console.print(f"\n[dim]{note}[/]")
