"""How entries and summaries look in a terminal (the words are :mod:`speciosa.journal`'s)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.markup import escape
from rich.table import Table

from speciosa.journal import clock
from speciosa.journal.describe import describe
from speciosa.journal.models import StoredEntry
from speciosa.journal.today import LimitUse, TodaySummary, minutes_ago

__all__ = ["describe", "entries_table", "today_lines"]


def entries_table(entries: Sequence[StoredEntry]) -> Table:
    table = Table(show_edge=False, header_style="bold")
    for column in ("id", "when (local)", "kind", "what", "note"):
        table.add_column(column)
    for stored in entries:
        entry = stored.entry
        when = clock.local(entry.at, entry.zone).strftime("%a %Y-%m-%d %H:%M %Z")
        table.add_row(str(stored.id), when, entry.kind, describe(entry), entry.note or "")
    return table


def _against(use: LimitUse, unit: str) -> str:
    used = f"{use.used:g}{unit}"
    if use.limit is None:
        return f"{used} (no personal limit set)"
    marker = "  [bold red]limit reached[/]" if use.reached else ""
    return f"{used} of your limit {use.limit:g}{unit}{marker}"


def today_lines(summary: TodaySummary) -> list[str]:
    if summary.last_dose is None:
        last = "no dose logged yet"
    else:
        shown = escape(describe(summary.last_dose))
        last = f"{shown}, {minutes_ago(summary.minutes_since_last_dose)}"
    return [
        f"[bold]Today[/] ({summary.day.isoformat()})",
        f"  last dose:          {last}",
        f"  grams today:        {_against(summary.grams, ' g')}",
        f"  doses today:        {_against(summary.doses, '')}",
        f"  use days this week: {_against(summary.use_days_this_week, '')}",
    ]
