"""How entries and summaries look in a terminal."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from speciosa.journal import clock
from speciosa.journal.models import (
    Bowel,
    Dose,
    EntryBase,
    Fatigue,
    Headache,
    Pain,
    Questionnaire,
    SideEffect,
    Sleep,
    Soreness,
    StoredEntry,
    Substance,
    Workout,
)
from speciosa.journal.today import LimitUse, TodaySummary


def describe(entry: EntryBase) -> str:
    """A one-line human description of an entry."""
    match entry:
        case Dose():
            product = f" of {entry.product}" if entry.product else ""
            shown = f"{entry.amount:g} {entry.unit.value}"
            grams = "" if entry.unit.value == "g" else f" = {entry.grams:g} g"
            return f"{shown}{product}{grams}"
        case Sleep():
            minutes = (entry.final_awakening - entry.tried_to_sleep).total_seconds() / 60
            slept = minutes - entry.minutes_to_fall_asleep - entry.minutes_awake_in_night
            quality = f", quality {entry.quality}/5" if entry.quality else ""
            latency = entry.minutes_to_fall_asleep
            return f"slept {slept / 60:.1f} h, {latency} min to fall asleep{quality}"
        case Pain() | Fatigue() | Soreness():
            return f"{entry.score}/10"
        case Headache():
            return f"peak {entry.peak}/10" + (
                f", {', '.join(entry.features)}" if entry.features else ""
            )
        case Workout():
            return f"{entry.activity}, {entry.minutes} min, {entry.intensity.value}"
        case Bowel():
            flags = [
                name
                for name in ("straining", "incomplete", "blockage", "manual")
                if getattr(entry, name)
            ]
            return f"Bristol type {entry.bristol}" + (f" ({', '.join(flags)})" if flags else "")
        case SideEffect():
            return f"{entry.symptom.value.replace('_', ' ')}, severity {entry.severity}/3"
        case Substance():
            amount = f" {entry.amount}" if entry.amount else ""
            return f"{entry.name}{amount} ({entry.substance_class.value.replace('_', ' ')})"
        case Questionnaire():
            score = "" if entry.score is None else f", score {entry.score:g}"
            return f"{entry.instrument.upper()}{score}"
    return entry.kind


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
        minutes = summary.minutes_since_last_dose or 0
        last = f"{describe(summary.last_dose)}, {minutes // 60} h {minutes % 60:02d} min ago"
    return [
        f"[bold]Today[/] ({summary.day.isoformat()})",
        f"  last dose:          {last}",
        f"  grams today:        {_against(summary.grams, ' g')}",
        f"  doses today:        {_against(summary.doses, '')}",
        f"  use days this week: {_against(summary.use_days_this_week, '')}",
    ]
