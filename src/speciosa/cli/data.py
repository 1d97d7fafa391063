"""Whole journals: ``backup``, ``restore`` and ``demo``."""

from __future__ import annotations

import os
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from speciosa.errors import InvalidInput
from speciosa.journal import clock
from speciosa.journal.catalogues import Condition

from .context import app_state, console, errors, interactive


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
        Path,
        typer.Argument(
            help="new file: .json (or .json.age) for a portable copy, else an SQLite copy"
        ),
    ],
    encrypt: Annotated[
        bool,
        typer.Option(
            "--encrypt",
            help="age-encrypt the file with a passphrase (asked twice in a terminal, or "
            "from $SPECIOSA_BACKUP_PASSPHRASE)",
        ),
    ] = False,
    recipient: Annotated[
        list[str] | None,
        typer.Option(
            "--recipient",
            help="age-encrypt the file to this public key (age1... or ssh-ed25519 ...) "
            "instead of a passphrase; repeat for several",
        ),
    ] = None,
) -> None:
    """Save a copy of the journal (SQLite online backup, or portable JSON), encrypted if asked."""
    from rich.progress import Progress

    from speciosa.app import data

    lock = None
    if recipient:
        lock = data.Lock(recipients=tuple(recipient))
    elif encrypt:
        secret = _passphrase(data.PASSPHRASE_ENV, twice=True)
        lock = data.passphrase_lock(secret, secret)
    # A bar only in a terminal: elsewhere it would leave a blank line before an error.
    with Progress(console=errors, transient=True, disable=not errors.is_terminal) as bar:
        task = bar.add_task("Encrypting" if lock else "Backing up", total=None)
        written = data.backup(
            app_state(ctx).speciosa(),
            path,
            lock=lock,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    console.print(f"Backed up to {written}" + (" (encrypted)" if lock else ""), markup=False)


def restore(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(
            help="a backup made by 'speciosa backup' (.json or SQLite, encrypted or not)"
        ),
    ],
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="replace a journal that is not empty (a dated copy is kept first)"
        ),
    ] = False,
    identity: Annotated[
        Path | None,
        typer.Option(
            "--identity", help="age identity file that opens a backup encrypted to a public key"
        ),
    ] = None,
) -> None:
    """Restore a backup; a journal that is not empty is replaced only with --replace."""
    from speciosa.app import data

    speciosa = app_state(ctx).speciosa()
    data.check_restore(speciosa, replace=replace)  # before asking for a passphrase
    key = None
    if identity is not None:
        key = data.Key(identity=_read_identity(identity))
    elif data.restore_needs(path) == "passphrase":
        key = data.Key(passphrase=_passphrase(data.PASSPHRASE_ENV, twice=False))
    outcome = data.restore(speciosa, path, replace=replace, key=key)
    if outcome.kept is not None:
        console.print(
            f"Kept a copy of the journal it replaced: {outcome.kept}",
            markup=False,
            soft_wrap=True,
        )
    if outcome.format == "sqlite":
        console.print(f"Restored {path}", markup=False)
    else:
        console.print(
            f"Restored {outcome.entries} entries, {outcome.samples} device samples and "
            f"{outcome.plans} plans from {path}",
            markup=False,
        )


def _passphrase(variable: str, *, twice: bool) -> str:
    """The backup passphrase: from ``variable`` (scripts), else typed (hidden) in a terminal."""
    given = os.environ.get(variable)
    if given:
        return given
    if not interactive():
        raise InvalidInput(
            "passphrase",
            None,
            f"is required: type it in a terminal, or set {variable} for a script"
            + (", or give --recipient age1..." if twice else ""),
        )
    return str(typer.prompt("Backup passphrase", hide_input=True, confirmation_prompt=twice))


def _read_identity(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput("identity", str(path), "does not exist") from None
    except (IsADirectoryError, UnicodeDecodeError):
        raise InvalidInput("identity", str(path), "must be an age identity file") from None


def demo(
    ctx: typer.Context,
    condition: Annotated[
        Condition, typer.Option(help="the simulated person's condition", parser=Condition)
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
    from speciosa.app import data
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
