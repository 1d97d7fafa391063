"""Looking back and correcting: ``list``, ``edit``, ``delete`` (with undo) and ``today``."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from speciosa.errors import InvalidInput
from speciosa.journal.catalogues import ENTRY_KINDS as KINDS

from .context import app_state, console


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
    from speciosa.app import entries

    from .render import entries_table

    with app_state(ctx).journal() as journal:
        found = entries.listed(journal, kinds=kind, since=since, limit=limit)
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
                    for e in found
                ]
            )
        )
    elif found:
        console.print(entries_table(found))
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
    from rich.markup import escape

    from speciosa.app import entries

    from .render import describe

    changes: dict[str, Any] = {}
    if at is not None:
        changes["at"] = at
    if note is not None:
        changes["note"] = note or None
    with app_state(ctx).journal() as journal:
        for assignment in set_ or []:
            field, sep, value = assignment.partition("=")
            if not sep or not field.strip():
                editable = ", ".join(entries.editable_fields(entries.get(journal, entry_id)))
                raise InvalidInput("set", assignment, f"use FIELD=VALUE with one of: {editable}")
            changes[field.strip()] = value
        updated = entries.edit(journal, entry_id, changes)
    console.print(f"Updated #{updated.id}: {escape(describe(updated.entry))}")


def delete(
    ctx: typer.Context,
    entry_id: Annotated[int | None, typer.Argument(help="id from 'speciosa list'")] = None,
    undo: Annotated[bool, typer.Option("--undo", help="bring back the last deleted entry")] = False,
) -> None:
    """Delete an entry (it can be brought back with --undo)."""
    from rich.markup import escape

    from speciosa.app import entries

    from .render import describe

    if not undo and entry_id is None:
        raise InvalidInput("id", None, "give the id of the entry to delete, or --undo")
    with app_state(ctx).journal() as journal:
        if undo:
            restored = entries.undo_delete(journal)
        else:
            assert entry_id is not None  # checked above; narrows the type
            deleted = entries.delete(journal, entry_id)
    if undo:
        what = escape(f"{restored.entry.kind} {describe(restored.entry)}")
        console.print(f"Restored #{restored.id}: {what}")
        return
    what = escape(f"{deleted.entry.kind} {describe(deleted.entry)}")
    console.print(f"Deleted #{deleted.id} ({what}). Undo with: speciosa delete --undo")


def today(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """The last dose, today's grams and doses against your limits, and open alerts."""
    from rich.markup import escape

    from speciosa.app import today as today_view

    from .render import today_lines
    from .safety import show

    with app_state(ctx).journal() as journal:
        view = today_view.today(journal)
    if as_json:
        typer.echo(json.dumps(view.to_dict(), indent=2, ensure_ascii=False))
        return
    for line in today_lines(view.summary):
        console.print(line)
    for line in view.plan_lines:
        console.print(f"  {escape(line)}")
    console.print(f"  open alerts:        {len(view.alerts) or 'none'}")
    for alert in view.alerts:
        show(alert, brief=True)
    if view.alerts:
        console.print("[dim]Details and sources: speciosa check[/]")
    if not view.has_profile:
        console.print(
            "[dim]No profile yet: 'speciosa init' sets your time zone, bedtime and limits.[/]"
        )
