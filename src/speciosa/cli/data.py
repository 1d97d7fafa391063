"""Whole journals: ``backup``, ``restore`` and ``demo``."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from speciosa.errors import Conflict, InvalidInput
from speciosa.interop import native_json
from speciosa.interop.importers import read_text
from speciosa.journal import clock
from speciosa.journal.catalogues import Condition
from speciosa.journal.models import EntryBase
from speciosa.store import backup as backups

from .context import app_state, console, errors
from .exchange import write_text

DEMO_SOURCE = "demo"


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
    state = app_state(ctx)
    if path.suffix.lower() == ".json":
        if path.exists():
            raise Conflict(f"path: {str(path)!r} already exists; choose a new file name")
        with state.journal() as session:
            text = native_json.export_journal(session.store)
        write_text(text, path)
        return
    with Progress(console=errors, transient=True) as bar:
        task = bar.add_task("Backing up", total=None)
        backups.backup_sqlite(
            state.database(),
            path,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    console.print(f"Backed up to {path}")


def restore(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="a backup made by 'speciosa backup' (.json or SQLite)")
    ],
) -> None:
    """Restore a backup into an empty journal (use --db for a new file)."""
    state = app_state(ctx)
    with state.journal() as session:
        if session.store.counts() or session.has_profile or session.store.products():
            raise Conflict(
                "db: this journal is not empty; restore into a new file with --db NEW.sqlite"
            )
    if path.suffix.lower() == ".json":
        text = read_text(path)
        with state.journal() as session:
            summary = native_json.import_journal(session.store, text, now=session.now)
        console.print(f"Restored {summary.added} entries from {path}")
        return
    if not path.exists():
        raise InvalidInput("path", str(path), "does not exist")
    backups.restore_sqlite(path, state.database())
    console.print(f"Restored {path}")


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
    state = app_state(ctx)
    with state.journal() as session:
        _require_demo_journal(session.store.sources(), session.has_profile)
        zone_name = zone or session.profile.timezone
        clock.zone(zone_name)
        end = clock.journal_day(session.now, zone_name)
        with console.status(f"Simulating {days} days..."):
            journal = simulate_journal(
                condition=condition,
                days=days,
                seed=seed,
                end=end,
                zone=zone_name,
                effects=planted,
            )
            # The simulated person lives up to this moment: today so far, nothing later.
            entries = [e for e in journal.entries if _latest_instant(e) <= session.now]
            session.store.clear()
            session.store.save_profile(journal.profile, now=session.now)
            for product in journal.products:
                session.store.add_product(product, now=session.now)
            count = session.store.add_entries(entries, now=session.now, source=DEMO_SOURCE)
    console.print(
        f"Demo journal: {count} entries over {days} days for a simulated person with "
        f"{condition.value.replace('_', ' ')} (seed {seed})."
    )


def _latest_instant(entry: EntryBase) -> datetime:
    instants = [entry.at] + [
        getattr(entry, name) for name in ("out_of_bed", "end") if getattr(entry, name, None)
    ]
    return max(instants)


def _require_demo_journal(sources: set[str], has_profile: bool) -> None:
    if sources - {DEMO_SOURCE} or (has_profile and not sources):
        raise Conflict(
            "db: this journal holds your own entries or profile; demo only fills an empty or demo "
            "journal. Try: speciosa --db demo.sqlite demo"
        )
