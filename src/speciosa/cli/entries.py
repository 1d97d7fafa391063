"""Looking back and correcting: ``list``, ``edit``, ``delete`` (with undo) and ``today``."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated, Any

import typer

from speciosa.errors import InvalidInput
from speciosa.journal import clock
from speciosa.journal.models import KINDS, Dose
from speciosa.journal.today import summarise_today

from .context import app_state, console
from .log import validate
from .plan import plan_today_lines
from .render import describe, entries_table, today_lines
from .safety import current_alerts, show


def list_entries(
    ctx: typer.Context,
    kind: Annotated[
        list[str] | None, typer.Option("--kind", help=f"one of {', '.join(KINDS)} (repeat)")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="from when, e.g. 'yesterday 00:00' or 2026-01-01T00:00")
    ] = None,
    limit: Annotated[int, typer.Option(help="show at most this many (newest)")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """List entries with their ids (newest last)."""
    kinds = [k.replace("-", "_") for k in kind or []]
    with app_state(ctx).journal() as session:
        start = (
            None
            if since is None
            else clock.parse_when(
                since, now=session.now, zone_name=session.profile.timezone, field="since"
            )
        )
        entries = (
            session.store.entries(kinds=kinds or None, since=start)[-limit:] if limit > 0 else []
        )
    if as_json:
        console.print_json(
            json.dumps(
                [
                    {
                        "id": e.id,
                        "uid": e.uid,
                        "source": e.source,
                        **e.entry.model_dump(mode="json"),
                    }
                    for e in entries
                ]
            )
        )
    elif entries:
        console.print(entries_table(entries))
    else:
        console.print("No entries yet.")


def edit(
    ctx: typer.Context,
    entry_id: Annotated[int, typer.Argument(help="id from 'speciosa list'")],
    at: Annotated[str | None, typer.Option(help="new time")] = None,
    note: Annotated[str | None, typer.Option(help="new note ('' clears it)")] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="FIELD=VALUE, e.g. score=4 (repeat)")
    ] = None,
) -> None:
    """Change an entry; it is validated again exactly as when it was logged."""
    with app_state(ctx).journal() as session:
        stored = session.store.entry(entry_id)
        data: dict[str, Any] = stored.entry.model_dump()
        if at is not None:
            data["at"] = clock.parse_when(at, now=session.now, zone_name=stored.entry.zone)
        if note is not None:
            data["note"] = note or None
        for assignment in set_ or []:
            field, value = _assignment(assignment, data)
            data[field] = value
        if isinstance(stored.entry, Dose):
            data["grams"] = None  # recomputed from the (possibly new) amount and product
        updated = session.store.update_entry(entry_id, validate(data), now=session.now)
    console.print(f"Updated #{updated.id}: {describe(updated.entry)}")


def _assignment(text: str, data: dict[str, Any]) -> tuple[str, Any]:
    field, sep, value = text.partition("=")
    field = field.strip()
    if not sep or field in {"kind", "at", "zone"} or field not in data:
        editable = ", ".join(sorted(k for k in data if k not in {"kind", "at", "zone"}))
        raise InvalidInput("set", text, f"use FIELD=VALUE with one of: {editable}")
    current = data[field]
    if isinstance(current, tuple):
        return field, tuple(part.strip() for part in value.split(",") if part.strip())
    if value == "" and current is not None and not isinstance(current, str):
        return field, None
    return field, value


def delete(
    ctx: typer.Context,
    entry_id: Annotated[int | None, typer.Argument(help="id from 'speciosa list'")] = None,
    undo: Annotated[bool, typer.Option("--undo", help="bring back the last deleted entry")] = False,
) -> None:
    """Delete an entry (it can be brought back with --undo)."""
    with app_state(ctx).journal() as session:
        if undo:
            restored = session.store.undo_delete()
            console.print(
                f"Restored #{restored.id}: {restored.entry.kind} {describe(restored.entry)}"
            )
            return
        if entry_id is None:
            raise InvalidInput("id", None, "give the id of the entry to delete, or --undo")
        deleted = session.store.delete_entry(entry_id, now=session.now)
    console.print(
        f"Deleted #{deleted.id} ({deleted.entry.kind} {describe(deleted.entry)}). "
        "Undo with: speciosa delete --undo"
    )


def today(ctx: typer.Context) -> None:
    """The last dose, today's grams and doses against your limits, and open alerts."""
    with app_state(ctx).journal() as session:
        recent = session.store.entries(kinds=["dose"], since=session.now - timedelta(days=9))
        summary = summarise_today(
            [e.entry for e in recent if isinstance(e.entry, Dose)], session.profile, now=session.now
        )
        has_profile = session.has_profile
        alerts = current_alerts(session)
        plans = plan_today_lines(session, alerts)
    for line in today_lines(summary):
        console.print(line)
    for line in plans:
        console.print(f"  {line}")
    console.print(f"  open alerts:        {len(alerts) or 'none'}")
    for alert in alerts:
        show(alert, brief=True)
    if alerts:
        console.print("[dim]Details and sources: speciosa check[/]")
    if not has_profile:
        console.print(
            "[dim]No profile yet: 'speciosa init' sets your time zone, bedtime and limits.[/]"
        )
