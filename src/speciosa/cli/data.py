"""Whole journals: ``backup``, ``restore`` and ``demo``."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from speciosa.app import data
from speciosa.journal import clock
from speciosa.journal.catalogues import Condition

from .context import app_state, console, errors


class DemoEffects(StrEnum):
    DEMO = "demo"
    NONE = "none"


class DemoRisk(StrEnum):
    ALCOHOL = "alcohol"
    ESCALATION = "escalation"
    CONSTIPATION = "constipation"


def backup(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="new file: .json for a portable copy, else an SQLite copy")
    ],
) -> None:
    """Save a copy of the journal (SQLite online backup, or portable JSON)."""
    with Progress(console=errors, transient=True) as bar:
        task = bar.add_task("Backing up", total=None)
        written = data.backup(
            app_state(ctx).speciosa(),
            path,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    console.print(f"Backed up to {written}", markup=False)


def restore(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="a backup made by 'speciosa backup' (.json or SQLite)")
    ],
) -> None:
    """Restore a backup into an empty journal (use --db for a new file)."""
    added = data.restore(app_state(ctx).speciosa(), path)
    if added is None:
        console.print(f"Restored {path}", markup=False)
    else:
        console.print(f"Restored {added} entries from {path}", markup=False)


def demo(
    ctx: typer.Context,
    condition: Annotated[
        Condition, typer.Option(help="the simulated person's condition")
    ] = Condition.FIBROMYALGIA,
    days: Annotated[int, typer.Option(min=7, max=3660, help="how many days of journal")] = 90,
    seed: Annotated[int, typer.Option(help="same seed, same journal")] = 1,
    zone: Annotated[str | None, typer.Option(help="IANA zone of the simulated person")] = None,
    effects: Annotated[
        DemoEffects, typer.Option(help="demo: modest planted effects to find; none: no effects")
    ] = DemoEffects.DEMO,
    risk: Annotated[
        list[DemoRisk] | None, typer.Option("--risk", help="plant a risk the safety check finds")
    ] = None,
) -> None:
    """Fill the journal with a simulated person (only an empty or demo journal)."""
    from speciosa.simulate import DEMO_EFFECTS, RISK_EFFECTS, PlantedEffects, simulate_journal

    base = DEMO_EFFECTS if effects is DemoEffects.DEMO else PlantedEffects()
    planted = replace(base, **{k: v for r in risk or [] for k, v in RISK_EFFECTS[r.value].items()})
    with app_state(ctx).journal() as journal:
        data.require_demo_journal(journal)  # before the simulation, not after it
        zone_name = zone or journal.zone
        clock.zone(zone_name)
        with console.status(f"Simulating {days} days..."):
            person = simulate_journal(
                condition=condition,
                days=days,
                seed=seed,
                end=clock.journal_day(journal.now, zone_name),
                zone=zone_name,
                effects=planted,
            )
            count = data.fill_demo(
                journal, profile=person.profile, products=person.products, entries=person.entries
            )
    console.print(
        f"Demo journal: {count} entries over {days} days for a simulated person with "
        f"{condition.value.replace('_', ' ')} (seed {seed})."
    )
