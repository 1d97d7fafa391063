"""``speciosa bowel``: the bowel diary against the six Rome IV constipation features.

The reading is :func:`speciosa.app.bowel.bowel_summary`'s; this module only renders it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from speciosa.journal import clock

from .context import app_state, console, escape

if TYPE_CHECKING:
    from speciosa.app.bowel import BowelView


def bowel(
    ctx: typer.Context,
    days: Annotated[
        int | None, typer.Option(help="days back to read (default 28; at least 7)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Your bowel diary against the Rome IV constipation features, each with its share."""
    from speciosa.app.bowel import bowel_summary

    with app_state(ctx).journal() as journal:
        view = bowel_summary(journal, days=days)
        zone = journal.zone
    if as_json:
        typer.echo(json.dumps(_as_dict(view), indent=2, ensure_ascii=False))
        return
    first, last = clock.local(view.start, zone).date(), clock.local(view.end, zone).date()
    summary = view.summary
    if summary is None:
        console.print(
            f"Bowel diary {first} to {last}: {view.movements} movements. Not enough data yet: "
            f"a Rome IV reading needs at least 7 days of diary ({view.days_needed} more)."
        )
        return
    console.print(
        f"[bold]Bowel diary, Rome IV features[/] ({first} to {last}, "
        f"{summary.days:.0f} days, {summary.movements} movements)"
    )
    from rich.table import Table

    table = Table(show_edge=False, header_style="bold")
    for column in ("feature (Rome IV)", "in your diary", "counts"):
        table.add_column(column)
    for feature in summary.features:
        if feature.count is None:
            shown = f"{summary.spontaneous_per_week:.1f} a week"
        else:
            share = "–" if feature.share is None else f"{feature.share:.0f}%"
            shown = f"{feature.count} of {summary.movements}, {share}"
        table.add_row(feature.label, shown, "[bold]yes[/]" if feature.present else "no")
    if summary.loose_share is not None:
        table.add_row("loose stools (Bristol 6–7)", f"{summary.loose_share:.0f}%", "")
    console.print(table)
    console.print(escape(summary.text))
    console.print(f"[dim]Sources: {', '.join(summary.source_ids)}[/]")


def _as_dict(view: BowelView) -> dict[str, Any]:
    summary = view.summary
    return {
        "start": view.start.isoformat(),
        "end": view.end.isoformat(),
        "movements": view.movements,
        "days_needed": view.days_needed,
        "summary": None
        if summary is None
        else {
            "days": round(summary.days, 2),
            "spontaneous_per_week": round(summary.spontaneous_per_week, 2),
            "features": [
                {
                    "feature": f.feature,
                    "label": f.label,
                    "count": f.count,
                    "share": f.share,
                    "present": f.present,
                }
                for f in summary.features
            ],
            "loose_share": summary.loose_share,
            "meets_pattern": summary.meets_pattern,
            "text": summary.text,
            "source_ids": list(summary.source_ids),
        },
    }
