"""Hand-made journals for the safety tests: entries placed by local day and wall time.

j = Journal()
j.dose(day=0, at="09:00", grams=3)          # today (the journal day of NOW), 09:00 local
j.substance(day=0, at="12:00", name="xanax")
alerts = evaluate(j.window(), now=NOW)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from speciosa.journal import clock
from speciosa.journal.catalogues import SubstanceClass, Symptom, class_of
from speciosa.journal.models import (
    Bowel,
    Dose,
    EntryBase,
    Headache,
    Product,
    Profile,
    Questionnaire,
    SideEffect,
    Sleep,
    StoredEntry,
    Substance,
)
from speciosa.safety import JournalWindow

ZONE = "America/New_York"
# 20:00 in New York on Friday 20 March 2026 (EDT, after the 8 March DST change)
NOW = datetime(2026, 3, 21, 0, 0, tzinfo=UTC)
TODAY = clock.journal_day(NOW, ZONE)  # 2026-03-20


def at(day: int, wall: str) -> datetime:
    """The instant of ``wall`` (HH:MM, local) on journal day TODAY - ``day``.

    Times before 04:00 belong to the previous journal day's night, so they fall on the
    next calendar date (as ``journal.clock`` reads them).
    """
    clock_time = time.fromisoformat(wall)
    calendar = TODAY - timedelta(days=day)
    if clock_time < clock.DAY_STARTS_AT:
        calendar += timedelta(days=1)
    return clock.at_local(calendar, clock_time, ZONE)


def profile(**changes: object) -> Profile:
    """A New York profile with bedtime 23:00; override any field."""
    base = {"timezone": ZONE, "bedtime": "23:00", "wake_time": "07:00"}
    return Profile.model_validate({**base, **changes})


@dataclass
class Journal:
    """A growing list of stored entries with ids 1, 2, 3... in the order they are added."""

    profile: Profile = field(default_factory=profile)
    products: list[Product] = field(default_factory=list)
    stored: list[StoredEntry] = field(default_factory=list)

    def add(self, entry: EntryBase) -> int:
        """Store ``entry`` with the next id and return that id."""
        entry_id = len(self.stored) + 1
        self.stored.append(
            StoredEntry.model_validate(
                {
                    "id": entry_id,
                    "uid": f"uid-{entry_id}",
                    "source": "test",
                    "source_key": str(entry_id),
                    "created_at": entry.at,
                    "updated_at": entry.at,
                    "entry": entry.model_dump(),
                }
            )
        )
        return entry_id

    def window(self) -> JournalWindow:
        return JournalWindow(self.profile, tuple(self.products), tuple(self.stored))

    def dose(
        self,
        day: int,
        wall: str = "09:00",
        grams: float = 3.0,
        product: str | None = None,
        batch: str | None = None,
    ) -> int:
        return self.add(
            Dose(
                at=at(day, wall),
                zone=ZONE,
                amount=grams,
                grams=grams,
                product=product,
                batch=batch,
            )
        )

    def daily(
        self, days: range, walls: tuple[str, ...] = ("09:00",), grams: float = 3.0
    ) -> list[int]:
        """Doses at ``walls`` on each journal day TODAY - d for d in ``days``."""
        return [self.dose(d, w, grams) for d in days for w in walls]

    def substance(self, day: int, wall: str, name: str, cls: SubstanceClass | None = None) -> int:
        found = cls or class_of(name) or SubstanceClass.OTHER
        return self.add(Substance(at=at(day, wall), zone=ZONE, name=name, substance_class=found))

    def side_effect(self, day: int, wall: str, symptom: Symptom, severity: int = 1) -> int:
        return self.add(SideEffect(at=at(day, wall), zone=ZONE, symptom=symptom, severity=severity))

    def bowel(self, day: int, wall: str = "08:00", bristol: int = 4, **flags: bool) -> int:
        return self.add(Bowel(at=at(day, wall), zone=ZONE, bristol=bristol, **flags))

    def sows(self, day: int, wall: str, items: tuple[int, ...]) -> int:
        return self.add(
            Questionnaire(
                at=at(day, wall), zone=ZONE, instrument="sows", items=items, score=sum(items)
            )
        )

    def headache(self, day: int, wall: str = "10:00", hours: float = 6) -> int:
        start = at(day, wall)
        return self.add(Headache(at=start, zone=ZONE, end=start + timedelta(hours=hours), peak=6))

    def sleep(
        self,
        day: int,
        bed: str = "23:00",
        alcohol_drinks: int = 0,
        sleep_aids: tuple[str, ...] = (),
    ) -> int:
        """A diary for the night of journal day TODAY - ``day``, into bed at ``bed``."""
        into_bed = at(day, bed)
        return self.add(
            Sleep(
                at=into_bed,
                zone=ZONE,
                tried_to_sleep=into_bed + timedelta(minutes=10),
                minutes_to_fall_asleep=20,
                final_awakening=into_bed + timedelta(hours=8),
                out_of_bed=into_bed + timedelta(hours=8, minutes=15),
                alcohol_drinks=alcohol_drinks,
                sleep_aids=sleep_aids,
            )
        )


def day_of(instant: datetime) -> date:
    return clock.journal_day(instant, ZONE)
