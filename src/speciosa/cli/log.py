"""``speciosa log KIND ...``: record one entry, asking for what is missing in a terminal."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from speciosa.errors import InvalidInput, from_validation_error
from speciosa.instruments.questionnaires import QUESTIONNAIRES
from speciosa.journal import clock
from speciosa.journal.catalogues import (
    HeadacheFeature,
    Intensity,
    SubstanceClass,
    Symptom,
    class_of,
)
from speciosa.journal.models import entry_from_dict
from speciosa.journal.units import parse_amount

from .context import Session, app_state, ask, console
from .render import describe

log_app = typer.Typer(help="Record an entry (dose, sleep, pain, bowel, ...).", no_args_is_help=True)

At = Annotated[
    str | None, typer.Option("--at", help="when: now, 22:15, 'yesterday 23:40', ISO 8601")
]
NoteOpt = Annotated[str | None, typer.Option("--note", help="free text")]
ZoneOpt = Annotated[str | None, typer.Option("--zone", help="IANA zone you are in, if travelling")]


def record(
    ctx: typer.Context, kind: str, at: str | None, zone: str | None, note: str | None, **fields: Any
) -> None:
    """Validate and store one entry in one transaction, then confirm it."""
    with app_state(ctx).journal() as session:
        zone_name = zone or session.profile.timezone
        instant = clock.parse_when(at or "now", now=session.now, zone_name=zone_name)
        data = {"kind": kind, "at": instant, "zone": zone_name, "note": note, **fields}
        stored = session.store.add_entry(validate(data), now=session.now)
    console.print(f"Logged {kind} #{stored.id}: {describe(stored.entry)}")


def validate(data: dict[str, Any]) -> Any:
    try:
        return entry_from_dict({k: v for k, v in data.items() if v is not None})
    except ValidationError as exc:
        raise from_validation_error(exc) from exc


def _score(field: str) -> Any:
    def convert(text: str) -> int:
        try:
            return int(text)
        except ValueError as exc:
            raise InvalidInput(field, text, "must be a whole number from 0 to 10") from exc

    return convert


@log_app.command()
def dose(
    ctx: typer.Context,
    amount: Annotated[str | None, typer.Argument(help="e.g. 3g, 500mg, 2caps, 1tsp, 1tbsp")] = None,
    product: Annotated[str | None, typer.Option("--product", "-p", help="product name")] = None,
    batch: Annotated[str | None, typer.Option("--batch", help="batch code of the product")] = None,
    at: At = None,
    zone: ZoneOpt = None,
    note: NoteOpt = None,
) -> None:
    """Log a dose: the amount in grams, milligrams, capsules or spoons of a product."""
    text = ask(
        amount, "amount", "Amount (e.g. 3g, 2caps)", str, "give it as e.g. 3g, 2caps or 1tsp"
    )
    parsed = parse_amount(text)
    record(
        ctx,
        "dose",
        at,
        zone,
        note,
        amount=parsed.value,
        unit=parsed.unit,
        product=product,
        batch=batch,
    )


@log_app.command()
def pain(
    ctx: typer.Context,
    score: Annotated[int | None, typer.Argument(help="pain 0-10")] = None,
    site: Annotated[
        list[str] | None, typer.Option("--site", help="where it hurts (repeat)")
    ] = None,
    interference: Annotated[
        int | None, typer.Option(help="how much pain got in the way, 0-10")
    ] = None,
    at: At = None,
    zone: ZoneOpt = None,
    note: NoteOpt = None,
) -> None:
    """Log pain on the 0-10 numeric rating scale (0 no pain, 10 worst possible)."""
    value = ask(score, "score", "Pain (0-10)", _score("score"), "a number from 0 to 10")
    record(
        ctx, "pain", at, zone, note, score=value, sites=tuple(site or ()), interference=interference
    )


@log_app.command()
def fatigue(
    ctx: typer.Context,
    score: Annotated[int | None, typer.Argument(help="fatigue 0-10")] = None,
    energy: Annotated[int | None, typer.Option(help="energy 0-10")] = None,
    at: At = None,
    zone: ZoneOpt = None,
    note: NoteOpt = None,
) -> None:
    """Log fatigue (and optionally energy) on 0-10 scales."""
    value = ask(score, "score", "Fatigue (0-10)", _score("score"), "a number from 0 to 10")
    record(ctx, "fatigue", at, zone, note, score=value, energy=energy)


@log_app.command()
def soreness(
    ctx: typer.Context,
    score: Annotated[int | None, typer.Argument(help="muscle soreness 0-10")] = None,
    site: Annotated[list[str] | None, typer.Option("--site", help="which muscles (repeat)")] = None,
    at: At = None,
    zone: ZoneOpt = None,
    note: NoteOpt = None,
) -> None:
    """Log muscle soreness on a 0-10 scale (0 none, 10 worst imaginable)."""
    value = ask(score, "score", "Muscle soreness (0-10)", _score("score"), "a number from 0 to 10")
    record(ctx, "soreness", at, zone, note, score=value, sites=tuple(site or ()))


@log_app.command()
def bowel(
    ctx: typer.Context,
    bristol: Annotated[int | None, typer.Option("--bristol", help="Bristol stool type 1-7")] = None,
    straining: Annotated[bool, typer.Option(help="had to strain")] = False,
    incomplete: Annotated[bool, typer.Option(help="felt incomplete")] = False,
    blockage: Annotated[bool, typer.Option(help="felt blocked")] = False,
    manual: Annotated[bool, typer.Option(help="needed manual help")] = False,
    laxative: Annotated[bool, typer.Option(help="brought on by a laxative or enema")] = False,
    at: At = None,
    zone: ZoneOpt = None,
    note: NoteOpt = None,
) -> None:
    """Log a bowel movement on the Bristol Stool Form Scale (1 hard lumps .. 7 watery)."""
    value = ask(bristol, "bristol", "Bristol type (1-7)", int, "a Bristol type from 1 to 7")
    record(
        ctx,
        "bowel",
        at,
        zone,
        note,
        bristol=value,
        straining=straining,
        incomplete=incomplete,
        blockage=blockage,
        manual=manual,
        spontaneous=not laxative,
    )


@log_app.command()
def substance(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="e.g. beer, gabapentin, coffee")] = None,
    substance_class: Annotated[
        SubstanceClass | None, typer.Option("--class", help="looked up for known names")
    ] = None,
    amount: Annotated[str | None, typer.Option(help="free text, e.g. '2 drinks', '300 mg'")] = None,
    at: At = None,
    zone: ZoneOpt = None,
    note: NoteOpt = None,
) -> None:
    """Log another substance or medication (alcohol, sleeping pills, coffee, ...)."""
    chosen = ask(name, "name", "Substance or medication", str, "name what you took")
    known = substance_class or class_of(chosen)
    if known is None:
        console.print(
            f"[yellow]'{chosen}' is not a name Speciosa knows; set --class so "
            "interaction warnings can use it.[/]"
        )
    record(
        ctx,
        "substance",
        at,
        zone,
        note,
        name=chosen,
        substance_class=known or SubstanceClass.OTHER,
        amount=amount,
    )


@log_app.command("side-effect")
def side_effect(
    ctx: typer.Context,
    symptom: Annotated[Symptom | None, typer.Argument(help="what you noticed")] = None,
    severity: Annotated[int, typer.Option(help="1 mild, 2 moderate, 3 severe")] = 1,
    at: At = None,
    zone: ZoneOpt = None,
    note: NoteOpt = None,
) -> None:
    """Log a side effect from the catalogue (see --help for the names)."""
    chosen = ask(
        symptom, "symptom", "Symptom", Symptom, f"one of {', '.join(s.value for s in Symptom)}"
    )
    record(ctx, "side_effect", at, zone, note, symptom=chosen, severity=severity)


@log_app.command()
def workout(
    ctx: typer.Context,
    activity: Annotated[str | None, typer.Argument(help="e.g. run, weights, yoga")] = None,
    minutes: Annotated[int | None, typer.Option(help="duration in minutes")] = None,
    intensity: Annotated[
        Intensity, typer.Option(help="light, moderate or hard")
    ] = Intensity.MODERATE,
    at: At = None,
    zone: ZoneOpt = None,
    note: NoteOpt = None,
) -> None:
    """Log a workout (for muscle soreness and recovery)."""
    what = ask(activity, "activity", "Activity", str, "name the activity")
    length = ask(minutes, "minutes", "Minutes", int, "give --minutes")
    record(ctx, "workout", at, zone, note, activity=what, minutes=length, intensity=intensity)


@log_app.command()
def headache(
    ctx: typer.Context,
    peak: Annotated[int | None, typer.Option(help="worst pain 0-10")] = None,
    end: Annotated[str | None, typer.Option(help="when it ended, if it has")] = None,
    feature: Annotated[
        list[HeadacheFeature] | None, typer.Option("--feature", help="repeat for each")
    ] = None,
    medication: Annotated[
        list[str] | None, typer.Option("--medication", help="acute medication taken")
    ] = None,
    at: At = None,
    zone: ZoneOpt = None,
    note: NoteOpt = None,
) -> None:
    """Log a headache episode; --at is when it started."""
    value = ask(peak, "peak", "Peak pain (0-10)", _score("peak"), "a number from 0 to 10")
    with app_state(ctx).journal() as session:
        zone_name = zone or session.profile.timezone
        start = clock.parse_when(at or "now", now=session.now, zone_name=zone_name)
        finish = (
            None
            if end is None
            else clock.parse_when(end, now=session.now, zone_name=zone_name, field="end")
        )
        entry = validate(
            {
                "kind": "headache",
                "at": start,
                "zone": zone_name,
                "note": note,
                "peak": value,
                "end": finish,
                "features": tuple(feature or ()),
                "acute_medication": tuple(medication or ()),
            }
        )
        if finish is not None:
            clock.check_not_future(finish, session.now, field="end")
        stored = session.store.add_entry(entry, now=session.now)
    console.print(f"Logged headache #{stored.id}: {describe(stored.entry)}")


@log_app.command()
def sleep(
    ctx: typer.Context,
    bed: Annotated[str | None, typer.Option(help="got into bed, e.g. 22:45")] = None,
    tried: Annotated[str | None, typer.Option(help="tried to sleep (default: bed time)")] = None,
    latency: Annotated[int | None, typer.Option(help="minutes it took to fall asleep")] = None,
    awakenings: Annotated[int, typer.Option(help="times woken, not counting the final one")] = 0,
    awake: Annotated[int, typer.Option(help="minutes awake in those awakenings")] = 0,
    woke: Annotated[str | None, typer.Option(help="final awakening, e.g. 06:30")] = None,
    up: Annotated[
        str | None, typer.Option(help="got out of bed (default: final awakening)")
    ] = None,
    quality: Annotated[int | None, typer.Option(help="1 very poor .. 5 very good")] = None,
    night: Annotated[
        str | None, typer.Option(help="the evening's date (default: last night)")
    ] = None,
    naps: Annotated[int, typer.Option(help="naps yesterday")] = 0,
    nap_minutes: Annotated[int, typer.Option(help="total nap minutes")] = 0,
    alcohol: Annotated[int, typer.Option(help="alcoholic drinks yesterday")] = 0,
    caffeine: Annotated[int, typer.Option(help="caffeinated drinks yesterday")] = 0,
    zone: ZoneOpt = None,
    note: NoteOpt = None,
) -> None:
    """Log last night's sleep with the Consensus Sleep Diary items."""
    bed_text = ask(bed, "bed", "Got into bed at (HH:MM)", str, "give --bed HH:MM")
    latency_value = ask(latency, "latency", "Minutes to fall asleep", int, "give --latency MINUTES")
    woke_text = ask(woke, "woke", "Final awakening at (HH:MM)", str, "give --woke HH:MM")
    with app_state(ctx).journal() as session:
        zone_name = zone or session.profile.timezone
        evening = _night(night, session)
        anchor = clock.at_local(evening, time(12, 0), zone_name)
        into_bed = _next_wall(bed_text, anchor, zone_name, "bed")
        tried_at = _next_wall(tried, into_bed, zone_name, "tried") if tried else into_bed
        final = _next_wall(woke_text, tried_at + timedelta(minutes=1), zone_name, "woke")
        out = _next_wall(up, final, zone_name, "up") if up else final
        clock.check_not_future(out, session.now, field="up")
        entry = validate(
            {
                "kind": "sleep",
                "at": into_bed,
                "zone": zone_name,
                "note": note,
                "tried_to_sleep": tried_at,
                "minutes_to_fall_asleep": latency_value,
                "awakenings": awakenings,
                "minutes_awake_in_night": awake,
                "final_awakening": final,
                "out_of_bed": out,
                "quality": quality,
                "naps": naps,
                "nap_minutes": nap_minutes,
                "alcohol_drinks": alcohol,
                "caffeine_drinks": caffeine,
            }
        )
        stored = session.store.add_entry(entry, now=session.now)
    console.print(f"Logged sleep #{stored.id} for the night of {evening}: {describe(stored.entry)}")


def _night(text: str | None, session: Session) -> Any:
    if text is None:
        return clock.journal_day(session.now, session.profile.timezone) - timedelta(days=1)
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError as exc:
        raise InvalidInput(
            "night", text, "must be a date YYYY-MM-DD (the evening the night began)"
        ) from exc


def _next_wall(text: str, after: datetime, zone_name: str, field: str) -> datetime:
    """The first moment at or after ``after`` when the wall clock shows ``text``."""
    wall = clock.parse_wall_time(text, field)
    day = clock.local(after, zone_name).date()
    for offset in range(3):
        candidate = clock.at_local(day + timedelta(days=offset), wall, zone_name)
        if candidate >= after:
            return candidate
    raise InvalidInput(field, text, "could not be placed in the night")


@log_app.command()
def questionnaire(
    ctx: typer.Context,
    instrument: Annotated[
        str | None, typer.Argument(help="sds, sows, fss, peg or another id")
    ] = None,
    items: Annotated[
        str | None, typer.Option(help="answers in order, comma separated, e.g. 1,0,2,1,0")
    ] = None,
    score: Annotated[
        float | None, typer.Option(help="total score, if the instrument is not built in")
    ] = None,
    at: At = None,
    zone: ZoneOpt = None,
    note: NoteOpt = None,
) -> None:
    """Store a completed questionnaire (use 'speciosa questionnaire' to be asked the items)."""
    name = ask(instrument, "instrument", "Instrument id", str, "name the instrument (e.g. sds)")
    answers_text = ask(items, "items", "Answers (comma separated)", str, "give --items 1,0,2,...")
    try:
        answers = tuple(int(part) for part in answers_text.split(","))
    except ValueError as exc:
        raise InvalidInput(
            "items", answers_text, "must be whole numbers separated by commas"
        ) from exc
    instrument_id = name.lower()
    if instrument_id in QUESTIONNAIRES:
        # Built-in instruments are scored by their published rules, never by hand.
        computed = QUESTIONNAIRES[instrument_id].score(answers).score
        if score is not None and abs(score - computed) > 1e-9:
            raise InvalidInput(
                "score",
                score,
                f"{instrument_id} scores these answers as {computed:g}; leave --score out",
            )
        score = computed
    record(
        ctx, "questionnaire", at, zone, note, instrument=instrument_id, items=answers, score=score
    )
