"""``speciosa check``: the safety alerts for the journal, with explanations and sources."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from .context import app_state, console

if TYPE_CHECKING:
    from speciosa.app.alerts import Alert

# By :class:`speciosa.safety.Severity` value (a StrEnum: its members find these keys), so
# that the safety engine is imported only by the commands that run it.
STYLE = {
    "urgent": "bold white on red",
    "warning": "bold red",
    "caution": "yellow",
    "info": "cyan",
}


def check(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Safety alerts: risky combinations, limits, escalation, red flags and more."""
    from rich.markup import escape

    from speciosa.app.alerts import open_alerts

    with app_state(ctx).journal() as journal:
        alerts = open_alerts(journal)
    if as_json:
        console.print_json(json.dumps([alert.to_dict() for alert in alerts]))
        return
    if not alerts:
        from speciosa.safety import NO_ALERTS_NOTE

        console.print("No alerts. Speciosa checks what you log; it cannot see what you do not.")
        console.print(f"[dim]{escape(NO_ALERTS_NOTE)}[/]")
        return
    for alert in alerts:
        show(alert)


def show(alert: Alert, *, brief: bool = False) -> None:
    from rich.markup import escape

    label = f"[{STYLE[alert.severity]}] {alert.severity.value.upper()} [/]"
    console.print(f"{label} {escape(alert.title)}")
    if brief:
        return
    console.print(f"  {escape(alert.explanation)}")
    console.print(f"  [bold]What to do:[/] {escape(alert.what_to_do)}")
    analogy = " (applied by analogy)" if alert.analogy else ""
    sources = escape("[" + ", ".join(alert.source_ids) + "]")
    entries = ", ".join(f"#{i}" for i in alert.entry_ids) or "your profile"
    console.print(f"  [dim]Sources {sources}{analogy}; from {entries}[/]\n")
