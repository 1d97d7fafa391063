"""``speciosa log KIND ...``: record one entry, asking for what is missing in a terminal.

Each command gathers what the person typed into one dict and hands it to
:func:`speciosa.app.entries.log`, which reads times, amounts and lists, scores built-in
questionnaires and looks up substance classes, exactly as the web forms and the API do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer

from speciosa.errors import InvalidInput
from speciosa.journal import clock
from speciosa.journal.catalogues import (
    HeadacheFeature,
    Intensity,
    SubstanceClass,
    Symptom,
    class_of,
    symptom_of,
)

from .context import app_state, ask, console

if TYPE_CHECKING:
    from speciosa.journal.models import StoredEntry

log_app = typer.Typer(help="Record an entry (dose, sleep, pain, bowel, ...).", no_args_is_help=True)

At = Annotated[
    str | None, typer.Option("--at", help="when: now, 22:15, 'yesterday 23:40', ISO 8601")
]
NoteOpt = Annotated[str | None, typer.Option("--note", help="free text")]
ZoneOpt = Annotated[str | None, typer.Option("--zone", help="IANA zone you are in, if travelling")]
SCORE = "a whole number from 0 to 10"
SYMPTOMS = ", ".join(s.value.replace("_", " ") for s in Symptom)


def whole(field: str, low: int, high: int | None = None) -> Callable[[str], int]:
    """A prompt's reader for a whole number from ``low`` (to ``high``)."""
    rule = f"must be a whole number from {low}" + ("" if high is None else f" to {high}")

    def read(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise InvalidInput(field, text, rule) from None
        if number < low or (high is not None and number > high):
            raise InvalidInput(field, text, rule)
        return number

    return read


def known_symptom(text: str) -> Symptom:
    """A prompt's reader for a symptom in the catalogue's or the person's words."""
    found = symptom_of(text)
    if found is None:
        raise InvalidInput("symptom", text, f"must be one of {SYMPTOMS} (or 'other' with --note)")
    return found


def wall_time(field: str) -> Callable[[str], object]:
    return lambda text: clock.parse_wall_time(text, field)


def bristol_types() -> str:
    """'1 small hard lumps, ...; 2 ...': the seven types, as the bowel instrument words them."""
    from speciosa.instruments.bowel import BRISTOL_TYPES

    return "; ".join(f"{number} {text.lower()}" for number, text in BRISTOL_TYPES.items())


def amount_read(text: str) -> object:
    from speciosa.journal.units import parse_amount

    return parse_amount(text)


def record(
    ctx: typer.Context, kind: str, at: str | None, zone: str | None, note: str | None, **fields: Any
) -> None:
    """Store one entry in one transaction, then confirm it."""
    from speciosa.app import entries

    with app_state(ctx).journal() as journal:
        stored = entries.log(
            journal, {"kind": kind, "at": at, "zone": zone, "note": note, **fields}
        )
    confirm(stored)


def confirm(stored: StoredEntry, detail: str = "") -> None:
    # Plain text, as typed (no markup to escape): logging does not import rich for one line.
    from speciosa.journal.describe import describe

    typer.echo(f"Logged {stored.entry.kind} #{stored.id}{detail}: {describe(stored.entry)}")


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
    text = ask(amount, "amount", "Amount", "e.g. 3g, 500mg, 2caps or 1tsp", amount_read)
    record(ctx, "dose", at, zone, note, amount=text, product=product, batch=batch)


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
    value = ask(score, "score", "Pain", SCORE, whole("score", 0, 10))
    record(ctx, "pain", at, zone, note, score=value, sites=site, interference=interference)


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
    value = ask(score, "score", "Fatigue", SCORE, whole("score", 0, 10))
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
    value = ask(score, "score", "Muscle soreness", SCORE, whole("score", 0, 10))
    record(ctx, "soreness", at, zone, note, score=value, sites=site)


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
    types = "" if bristol is not None else bristol_types()  # imported only to ask
    value = ask(bristol, "bristol", "Bristol type", types, whole("bristol", 1, 7))
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
        laxative=laxative,
    )


@log_app.command()
def substance(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="e.g. beer, gabapentin, coffee")] = None,
    substance_class: Annotated[
        SubstanceClass | None,
        typer.Option("--class", help="looked up for known names", parser=SubstanceClass),
    ] = None,
    amount: Annotated[str | None, typer.Option(help="free text, e.g. '2 drinks', '300 mg'")] = None,
    at: At = None,
    zone: ZoneOpt = None,
    note: NoteOpt = None,
) -> None:
    """Log another substance or medication (alcohol, sleeping pills, coffee, ...)."""
    chosen = ask(name, "name", "Substance or medication", "name what you took")
    if substance_class is None and class_of(chosen) is None:
        from rich.markup import escape

        console.print(
            f"[yellow]{escape(repr(chosen))} is not a name Speciosa knows; set --class so "
            "interaction warnings can use it.[/]"
        )
    record(
        ctx,
        "substance",
        at,
        zone,
        note,
        name=chosen,
        substance_class=substance_class,
        amount=amount,
    )


@log_app.command("side-effect")
def side_effect(
    ctx: typer.Context,
    symptom: Annotated[
        str | None,
        typer.Argument(
            help="what you noticed, in a catalogue name or your own words "
            f"('dark urine', 'yellow eyes'): {SYMPTOMS}"
        ),
    ] = None,
    severity: Annotated[
        int | None, typer.Option(help="1 mild, 2 moderate, 3 severe (left out: not given)")
    ] = None,
    at: At = None,
    zone: ZoneOpt = None,
    note: NoteOpt = None,
) -> None:
    """Log a side effect (a catalogue name or everyday words; see --help for the names)."""
    chosen = ask(symptom, "symptom", "Symptom", f"your words or one of {SYMPTOMS}", known_symptom)
    record(ctx, "side_effect", at, zone, note, symptom=chosen, severity=severity)


@log_app.command()
def workout(
    ctx: typer.Context,
    activity: Annotated[str | None, typer.Argument(help="e.g. run, weights, yoga")] = None,
    minutes: Annotated[int | None, typer.Option(help="duration in minutes")] = None,
    intensity: Annotated[
        Intensity, typer.Option(help="light, moderate or hard", parser=Intensity)
    ] = Intensity.MODERATE,
    at: At = None,
    zone: ZoneOpt = None,
    note: NoteOpt = None,
) -> None:
    """Log a workout (for muscle soreness and recovery)."""
    what = ask(activity, "activity", "Activity", "name the activity")
    length = ask(minutes, "minutes", "Minutes", "a whole number of minutes", whole("minutes", 1))
    record(ctx, "workout", at, zone, note, activity=what, minutes=length, intensity=intensity)


@log_app.command()
def headache(
    ctx: typer.Context,
    peak: Annotated[int | None, typer.Option(help="worst pain 0-10")] = None,
    end: Annotated[str | None, typer.Option(help="when it ended, if it has")] = None,
    feature: Annotated[
        list[HeadacheFeature] | None,
        typer.Option("--feature", help="repeat for each", parser=HeadacheFeature),
    ] = None,
    medication: Annotated[
        list[str] | None, typer.Option("--medication", help="acute medication taken")
    ] = None,
    at: At = None,
    zone: ZoneOpt = None,
    note: NoteOpt = None,
) -> None:
    """Log a headache episode; --at is when it started."""
    value = ask(peak, "peak", "Peak pain", SCORE, whole("peak", 0, 10))
    record(
        ctx,
        "headache",
        at,
        zone,
        note,
        peak=value,
        end=end,
        features=feature,
        acute_medication=medication,
    )


@log_app.command()
def sleep(
    ctx: typer.Context,
    bed: Annotated[str | None, typer.Option(help="got into bed, e.g. 22:45")] = None,
    tried: Annotated[str | None, typer.Option(help="tried to sleep (default: bed time)")] = None,
    latency: Annotated[int | None, typer.Option(help="minutes it took to fall asleep")] = None,
    awakenings: Annotated[
        int | None, typer.Option(help="times woken, not counting the final one")
    ] = None,
    awake: Annotated[int, typer.Option(help="minutes awake in those awakenings")] = 0,
    woke: Annotated[str | None, typer.Option(help="final awakening, e.g. 06:30")] = None,
    up: Annotated[
        str | None, typer.Option(help="got out of bed (default: final awakening)")
    ] = None,
    quality: Annotated[int | None, typer.Option(help="1 very poor .. 5 very good")] = None,
    rested: Annotated[
        int | None, typer.Option(help="how rested you feel, 1 not at all .. 5 very well")
    ] = None,
    early_wake: Annotated[
        int | None,
        typer.Option(help="minutes awake in bed after the final awakening, before getting up"),
    ] = None,
    sleep_aid: Annotated[
        list[str] | None, typer.Option("--sleep-aid", help="a sleep aid taken (repeat)")
    ] = None,
    night: Annotated[
        str | None, typer.Option(help="the evening's date (default: last night)")
    ] = None,
    naps: Annotated[int | None, typer.Option(help="naps yesterday")] = None,
    nap_minutes: Annotated[int | None, typer.Option(help="total nap minutes")] = None,
    alcohol: Annotated[int | None, typer.Option(help="alcoholic drinks yesterday")] = None,
    caffeine: Annotated[int | None, typer.Option(help="caffeinated drinks yesterday")] = None,
    zone: ZoneOpt = None,
    note: NoteOpt = None,
) -> None:
    """Log last night's sleep with the Consensus Sleep Diary items."""
    from speciosa.app import entries

    bed_text = ask(bed, "bed", "Got into bed at", "a time such as 22:45", wall_time("bed"))
    latency_value = ask(
        latency, "latency", "Minutes to fall asleep", "a whole number", whole("latency", 0)
    )
    woke_text = ask(woke, "woke", "Final awakening at", "a time such as 06:30", wall_time("woke"))
    evening = clock.parse_day(night, "night")
    with app_state(ctx).journal() as journal:
        evening = evening or journal.today - timedelta(days=1)
        instants = entries.sleep_from_wall_times(
            journal, night=evening, bed=bed_text, tried=tried, woke=woke_text, up=up, zone=zone
        )
        stored = entries.log(
            journal,
            {
                "kind": "sleep",
                **instants,
                "note": note,
                "minutes_to_fall_asleep": latency_value,
                "awakenings": awakenings,
                "minutes_awake_in_night": awake,
                "quality": quality,
                "rested": rested,
                "terminal_wake_minutes": early_wake,
                "sleep_aids": sleep_aid,
                "naps": naps,
                "nap_minutes": nap_minutes,
                "alcohol_drinks": alcohol,
                "caffeine_drinks": caffeine,
            },
        )
    confirm(stored, f" for the night of {evening}")
    typer.echo(f"  sleep efficiency {_efficiency(stored)}")


def _efficiency(stored: StoredEntry) -> str:
    """Time asleep as a share of time in bed (the Consensus Sleep Diary's sleep efficiency)."""
    from speciosa.instruments.sleep_diary import score_record
    from speciosa.journal.models import Sleep

    assert isinstance(stored.entry, Sleep)  # logged just above as a sleep entry
    metrics = score_record(stored.entry)
    asleep, in_bed = metrics.total_sleep_time, metrics.time_in_bed
    hours = f"{asleep / 60:.1f} h asleep of {in_bed / 60:.1f} h in bed"
    return f"{metrics.sleep_efficiency:.0f}% ({hours})"


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
    name = ask(instrument, "instrument", "Instrument id", "name the instrument (e.g. sds)")
    answers = ask(items, "items", "Answers (comma separated)", "give --items 1,0,2,...")
    record(ctx, "questionnaire", at, zone, note, instrument=name, items=answers, score=score)
