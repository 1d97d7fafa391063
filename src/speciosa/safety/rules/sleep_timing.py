"""Doses taken well after the bedtime the person aims for, when their goal is sleep.

Guides tell people to take kratom 30–60 minutes before bed. Blood levels peak about an hour
after a dose (Huestis 2024) and effects last hours (Prozialeck 2012); low amounts can be
stimulating. A dose more than an hour after the aimed bedtime pushes those effects into the
night, and waking to dose can be a sign of dependence. Bedtime-dose nights were linked to
slightly longer, better sleep in one observational study (2025), so the timing is worth
seeing. The aimed bedtime is ``Profile.bedtime`` on the dose's night (``journal.clock``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

from speciosa.errors import InvalidInput
from speciosa.journal import clock
from speciosa.journal.catalogues import Goal
from speciosa.journal.models import Dose
from speciosa.safety.alerts import Alert, Severity
from speciosa.safety.rules.base import Rule, plural
from speciosa.safety.thresholds import LATE_DOSE_MINUTES, SLEEP_TIMING_LOOKBACK_DAYS
from speciosa.safety.window import JournalWindow, Stored, ids, journal_day, latest

SOURCE_IDS: tuple[str, ...] = (
    "huestis-2024",
    "prozialeck-2012",
    "kratom-sleep-ema-2025",
    "singh-2014",
)


def aimed_bedtime(dose: Dose, bedtime: time, zone: str) -> datetime | None:
    """The instant of the aimed bedtime on the dose's night (None if the clocks skip it)."""
    # A night is a journal day (clock.night_of): the window's memo of journal days answers.
    return _aimed_on(journal_day(dose.at, zone), bedtime, zone)


# Pure, and the same for every dose of a night: remembered (bounded) across evaluations.
@lru_cache(maxsize=4096)
def _aimed_on(night: date, bedtime: time, zone: str) -> datetime | None:
    day = night + timedelta(days=1) if bedtime < clock.DAY_STARTS_AT else night
    try:
        return clock.at_local(day, bedtime, zone)
    except InvalidInput:  # a bedtime inside a spring-forward gap: no aimed time that night
        return None


def _minutes_late(dose: Stored[Dose], bedtime: time, zone: str) -> float | None:
    aimed = aimed_bedtime(dose.entry, bedtime, zone)
    return None if aimed is None else (dose.at - aimed).total_seconds() / 60


def check(window: JournalWindow, now: datetime) -> list[Alert]:
    """An info note listing the recent doses taken more than an hour after the aimed bedtime."""
    profile = window.profile
    if Goal.SLEEP not in profile.goals:
        return []
    bedtime = clock.parse_wall_time(profile.bedtime, "bedtime")
    since = now - timedelta(days=SLEEP_TIMING_LOOKBACK_DAYS.value)
    late = []
    for dose in window.doses(now=now, since=since):
        minutes = _minutes_late(dose, bedtime, profile.timezone)
        if minutes is not None and LATE_DOSE_MINUTES.reached(minutes):
            late.append(dose)
    if not late:
        return []
    return [
        Alert(
            rule_id="late_night_dose",
            severity=Severity.INFO,
            title="Doses long after your bedtime",
            explanation=(
                f"{plural(len(late), 'dose')} in the last "
                f"{SLEEP_TIMING_LOOKBACK_DAYS.value:g} days came more than "
                f"{LATE_DOSE_MINUTES.value:g} minutes after the bedtime you aim for "
                f"({profile.bedtime}). Blood levels peak about an hour after a dose and effects "
                "last hours, and smaller amounts can be stimulating, so a late dose carries its "
                "effects into the night. Waking in the night to take kratom can also be a sign "
                "of dependence."
            ),
            what_to_do=(
                "Compare these nights with others in your sleep diary and insights. If you wake "
                "wanting kratom, note it and mention it to a clinician; if your usual bedtime "
                "has changed, update it in your profile."
            ),
            source_ids=SOURCE_IDS,
            entry_ids=ids(late),
            at=latest(late, now),
        )
    ]


RULE = Rule(
    id="late_night_dose",
    concern="a dose far after the aimed bedtime when the goal is sleep",
    check=check,
    source_ids=SOURCE_IDS,
)
