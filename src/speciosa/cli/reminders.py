"""``speciosa reminders``: what is due now and next, turning reminders on and off, and the
private calendar feed. The schedule and the feed are :mod:`speciosa.app.reminders`'s; this
module parses options and renders."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from speciosa.errors import InvalidInput

from .context import app_state, console, escape

if TYPE_CHECKING:
    from speciosa.app.reminders import DueItem, Occurrence, Routine
    from speciosa.journal.models import Profile

HELP = "Reminders: what is due now and next, your routine, and a private calendar feed."
NAMES = "morning-diary, wind-down, peg, sds, sows, taper-steps or experiment-nights"

reminders_app = typer.Typer(help=HELP, no_args_is_help=False)


@reminders_app.callback(invoke_without_command=True)
def reminders(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Reminders: what is due now and next, your routine, and a private calendar feed.

    All reminders are off until you turn one on (speciosa reminders set morning-diary --on).
    They remind you to log, to answer or to wind down; never to take kratom.
    """
    if ctx.invoked_subcommand is not None:
        return
    from speciosa.app import reminders as use_cases

    with app_state(ctx).journal() as journal:
        routine = use_cases.routine(journal)
        due = use_cases.due(journal)
        upcoming = use_cases.upcoming(journal)
        profile, zone = journal.profile, journal.zone
    if as_json:
        body = {
            "due": [item.to_dict() for item in due],
            "upcoming": [item.to_dict() for item in upcoming],
            "routine": routine.model_dump(mode="json"),
        }
        typer.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return
    _show(routine, profile, due, upcoming, zone)


def _show(
    routine: Routine, profile: Profile, due: list[DueItem], upcoming: list[Occurrence], zone: str
) -> None:
    from speciosa.journal import clock
    from speciosa.journal.routine import KEYS, PROFILE_TIMED, REPEATS, time_of

    if not routine.enabled():
        console.print(
            "All reminders are off. Turn one on: speciosa reminders set morning-diary --on"
        )
    console.print("[bold]Due now[/]" if due else "Nothing due now.")
    for item in due:
        hint = f"  ({item.command})" if item.command else ""
        console.print(f"  {escape(item.text)}{escape(hint)}")
    if upcoming:
        console.print("[bold]Next[/]")
    for found in upcoming[:10]:
        when = clock.local(found.at, zone).strftime("%a %d %b %H:%M")
        console.print(f"  {when}  {escape(found.title)}")
    console.print("[bold]Routine[/]")
    for key in KEYS:
        reminder = routine.reminder(key)
        state = "on " if reminder.on else "off"
        wall = time_of(routine, key, profile).strftime("%H:%M")
        source = (
            ""
            if reminder.at
            else f" ({'from your profile' if key in PROFILE_TIMED else 'default'})"
        )
        name = key.replace("_", "-")
        console.print(f"  {state}  {name:<18} {REPEATS[key]:<9} {wall}{source}")


@reminders_app.command("set")
def set_reminder(
    ctx: typer.Context,
    reminder: Annotated[str, typer.Argument(help=NAMES)],
    on: Annotated[bool, typer.Option("--on", help="turn the reminder on")] = False,
    off: Annotated[bool, typer.Option("--off", help="turn the reminder off")] = False,
    at: Annotated[str | None, typer.Option("--at", help="local time, e.g. 07:30")] = None,
    profile_time: Annotated[
        bool,
        typer.Option(
            "--profile-time", help="follow your profile's wake time or bedtime instead of --at"
        ),
    ] = False,
    title: Annotated[
        str | None, typer.Option("--title", help="your own calendar title (default neutral)")
    ] = None,
    weekday: Annotated[
        str | None, typer.Option("--weekday", help="peg: the day of the week, e.g. sunday")
    ] = None,
    day: Annotated[
        int | None, typer.Option("--day", help="sds: the day of the month, 1-28")
    ] = None,
) -> None:
    """Turn a reminder on or off, or change its time, title, weekday or day.

    Setting a time (--at) also turns the reminder on, unless --off is given.
    """
    from speciosa.app import reminders as use_cases
    from speciosa.journal.routine import key_named, time_of

    if on and off:
        raise InvalidInput("--off", "--on --off", "give --on or --off, not both")
    if at is not None and profile_time:
        raise InvalidInput("--at", at, "give --at or --profile-time, not both")
    key = key_named(reminder)
    switch = True if on or (at is not None and not off) else (False if off else None)
    with app_state(ctx).journal() as journal:
        routine = use_cases.set_reminder(
            journal,
            key,
            on=switch,
            at=at,
            follow_profile=profile_time,
            title=title,
            weekday=weekday,
            day=day,
        )
        wall = time_of(routine, key, journal.profile).strftime("%H:%M")
    state = "on" if routine.reminder(key).on else "off"
    console.print(f"{key.replace('_', '-')}: {state}, at {wall}.")


@reminders_app.command()
def feed(
    ctx: typer.Context,
    revoke: Annotated[bool, typer.Option("--revoke", help="end the calendar feed URL")] = False,
    base_url: Annotated[
        str,
        typer.Option("--base-url", help="where 'speciosa serve' is reached from your calendar"),
    ] = "http://127.0.0.1:8000",
) -> None:
    """Print a private calendar URL (a new one; any earlier URL stops working).

    Subscribe to it in Apple Calendar, Google Calendar or Thunderbird; it needs the web app
    running ('speciosa serve') where your calendar can reach it. Only a hash of the URL's
    secret is stored, and every fetch is recorded.
    """
    from speciosa.app import reminders as use_cases

    if not base_url.startswith(("http://", "https://")):
        raise InvalidInput("--base-url", base_url, "must start with http:// or https://")
    with app_state(ctx).journal() as journal:
        if revoke:
            ended = use_cases.revoke_feed(journal)
        else:
            token = use_cases.create_feed(journal)
    if revoke:
        console.print("Calendar feed ended." if ended else "There was no calendar feed to end.")
        return
    typer.echo(f"{base_url.rstrip('/')}/calendar/{token}.ics")
