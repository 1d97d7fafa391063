"""One line of plain text that says what an entry records ("2 caps of Red Bali = 1 g").

Every front end shows entries with these words: the CLI's tables and confirmations, the
web pages (a Jinja filter) and anything else that lists a journal.
"""

from __future__ import annotations

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
    Substance,
    Workout,
)


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
            symptom = entry.symptom.value.replace("_", " ")
            return symptom if entry.severity is None else f"{symptom}, severity {entry.severity}/3"
        case Substance():
            amount = f" {entry.amount}" if entry.amount else ""
            return f"{entry.name}{amount} ({entry.substance_class.value.replace('_', ' ')})"
        case Questionnaire():
            score = "" if entry.score is None else f", score {entry.score:g}"
            return f"{entry.instrument.upper()}{score}"
    return entry.kind
