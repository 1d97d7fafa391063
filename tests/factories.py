"""One valid entry of every kind, placed just before ``now``."""

from __future__ import annotations

from datetime import datetime, timedelta

from speciosa.journal.models import (
    Batch,
    Bowel,
    Dose,
    EntryBase,
    Fatigue,
    Headache,
    LabResult,
    Pain,
    Product,
    Questionnaire,
    SideEffect,
    Sleep,
    Soreness,
    Substance,
    Workout,
)

ZONE = "Europe/London"

RED = Product(
    name="Red Bali",
    vendor="Acme",
    vein="red",
    form="capsule",
    grams_per_capsule=0.5,
    batches=(
        Batch(
            code="B-17",
            bought_on="2026-01-02",
            lab=LabResult(
                lab="Lab One",
                tested_on="2026-01-01",
                mitragynine_mg_per_g=14.2,
                hydroxymitragynine_mg_per_g=0.2,
                heavy_metals_pass=True,
                microbial_pass=True,
                passed=True,
            ),
        ),
    ),
)


def every_kind(now: datetime, zone: str = ZONE) -> list[EntryBase]:
    t = now - timedelta(days=1)
    bed = now - timedelta(hours=10)
    return [
        Dose(
            at=t,
            zone=zone,
            amount=4,
            unit="caps",
            product="Red Bali",
            batch="B-17",
            note="with food",
        ),
        Dose(at=t + timedelta(hours=1), zone=zone, amount=2.5),
        Sleep(
            at=bed,
            zone=zone,
            tried_to_sleep=bed + timedelta(minutes=15),
            minutes_to_fall_asleep=20,
            awakenings=2,
            minutes_awake_in_night=25,
            final_awakening=bed + timedelta(hours=8),
            out_of_bed=bed + timedelta(hours=8, minutes=20),
            quality=3,
            alcohol_drinks=1,
            sleep_aids=("melatonin",),
        ),
        Pain(at=t, zone=zone, score=6, sites=("back",), interference=4),
        Headache(
            at=t,
            zone=zone,
            end=t + timedelta(hours=3),
            peak=7,
            features=("aura", "nausea"),
            acute_medication=("ibuprofen",),
        ),
        Fatigue(at=t, zone=zone, score=5, energy=4),
        Soreness(at=t, zone=zone, score=3, sites=("legs",)),
        Workout(at=t, zone=zone, activity="run", minutes=40, intensity="hard"),
        Bowel(at=t, zone=zone, bristol=2, straining=True, incomplete=True),
        SideEffect(at=t, zone=zone, symptom="nausea", severity=2),
        Substance(at=t, zone=zone, name="beer", substance_class="alcohol", amount="2 pints"),
        Questionnaire(at=t, zone=zone, instrument="sds", items=(1, 0, 2, 1, 0), score=4),
    ]
