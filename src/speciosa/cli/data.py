"""Moving whole journals: ``export``, ``import``, ``backup``, ``restore`` and ``demo``."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from speciosa.errors import Conflict, InvalidInput
from speciosa.interop import native_json
from speciosa.journal import clock
from speciosa.journal.catalogues import Condition
from speciosa.journal.models import EntryBase
from speciosa.store import backup as backups

from .context import app_state, console, errors

DEMO_SOURCE = "demo"


class ExportFormat(StrEnum):
    JSON = "json"


class DemoEffects(StrEnum):
    DEMO = "demo"
    NONE = "none"


class DemoRisk(StrEnum):
    ALCOHOL = "alcohol"
    ESCALATION = "escalation"
    CONSTIPATION = "constipation"


class ImportFormat(StrEnum):
    AUTO = "auto"
    JSON = "json"


def export(
    ctx: typer.Context,
    format_: Annotated[
        ExportFormat, typer.Option("--format", help="json (lossless)")
    ] = ExportFormat.JSON,
    out: Annotated[
        Path | None, typer.Option(help="file to write (default: standard output)")
    ] = None,
) -> None:
    """Export the whole journal."""
    with app_state(ctx).journal() as session:
        text = native_json.export_journal(session.store)
    _write(text, out)


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    temporary = out.with_name(out.name + ".partial")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(out)  # never leave a half-written export behind
    errors.print(f"Wrote {out}")


def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="file to import", exists=False)],
    format_: Annotated[
        ImportFormat, typer.Option("--format", help="auto or json")
    ] = ImportFormat.AUTO,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="show what would be added, write nothing")
    ] = False,
) -> None:
    """Import entries from a file; importing the same file again adds nothing."""
    text = _read(file)
    with app_state(ctx).journal() as session, Progress(console=errors, transient=True) as bar:
        task = bar.add_task(f"Importing {file.name}", total=None)
        summary = native_json.import_journal(
            session.store,
            text,
            now=session.now,
            dry_run=dry_run,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    verb = "Would add" if dry_run else "Added"
    products = "1 product" if summary.products_added == 1 else f"{summary.products_added} products"
    console.print(
        f"{verb} {summary.added} entries ({summary.skipped} already present), {products}"
        + (", the profile" if summary.profile_set else "")
        + "."
    )


def _read(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InvalidInput("file", str(file), "does not exist") from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            "file", str(file), "must be a UTF-8 text file (a Speciosa JSON export)"
        ) from exc


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
        _write(text, path)
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
        text = _read(path)
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
