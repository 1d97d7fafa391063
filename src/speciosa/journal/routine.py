"""The person's routine: which reminders are on, when, and what is due now.

    routine = Routine().turned(MORNING_DIARY, on=True, at="07:30")
    due_now(routine, profile, facts, now=now, dismissed=set())        # Today's "Due now"
    upcoming(routine, profile, facts, now=now, days=7)                 # the next reminders

Every reminder is off until the person turns it on. A reminder asks the person to log, to
answer or to wind down, never to take kratom: every text a reminder can show is in
:data:`TEXTS` and :data:`DEFAULT_TITLES`, which a test runs through the project's amount
checker (``knowledge.language``).

Pure: the facts that come from the journal and the plans (nights with a diary, the day each
questionnaire was last answered, taper step days, experiment days) are passed in as
:class:`RoutineFacts`, and so is ``now``. Times are wall-clock times in the person's zone, so
a 07:30 reminder stays at 07:30 across a DST change.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Final, Literal

from pydantic import Field

from speciosa.errors import InvalidInput
from speciosa.journal import clock
from speciosa.journal.models import Profile, Strict, WallTime

# The reminders, by the name the CLI, the forms and the JSON use.
MORNING_DIARY: Final = "morning_diary"
WIND_DOWN: Final = "wind_down"
PEG: Final = "peg"
SDS: Final = "sds"
SOWS: Final = "sows"
TAPER_STEPS: Final = "taper_steps"
EXPERIMENT_NIGHTS: Final = "experiment_nights"
KEYS: Final = (MORNING_DIARY, WIND_DOWN, PEG, SDS, SOWS, TAPER_STEPS, EXPERIMENT_NIGHTS)
Key = Literal[
    "morning_diary", "wind_down", "peg", "sds", "sows", "taper_steps", "experiment_nights"
]
Repeat = Literal["daily", "weekly", "monthly", "plan days"]

# How each repeats: daily and weekly/monthly reminders recur; plan reminders fall on the days
# a running plan names (a taper step's first days, an experiment's nights).
REPEATS: Final[dict[str, Repeat]] = {
    MORNING_DIARY: "daily",
    WIND_DOWN: "daily",
    PEG: "weekly",
    SDS: "monthly",
    SOWS: "plan days",
    TAPER_STEPS: "plan days",
    EXPERIMENT_NIGHTS: "plan days",
}

# Calendar titles: neutral, so a glance at a shared screen tells nothing about health. The
# person may choose their own title for each reminder instead.
DEFAULT_TITLES: Final[dict[str, str]] = {
    MORNING_DIARY: "Speciosa: morning diary",
    WIND_DOWN: "Speciosa: wind down",
    PEG: "Speciosa: weekly questionnaire",
    SDS: "Speciosa: monthly questionnaire",
    SOWS: "Speciosa: daily questionnaire",
    TAPER_STEPS: "Speciosa: plan step day",
    EXPERIMENT_NIGHTS: "Speciosa: experiment night",
}

# What Today shows when a reminder is due (Today is private; it may name the questionnaire).
TEXTS: Final[dict[str, str]] = {
    MORNING_DIARY: "Morning diary not logged yet",
    WIND_DOWN: "Time to wind down for bed",
    PEG: "PEG due (pain, enjoyment, activity: 3 questions about the past week)",
    SDS: "SDS due (5 questions, this month)",
    SOWS: "SOWS due (withdrawal check, about 2 minutes)",
    TAPER_STEPS: "A new taper step starts today: see your plan",
    EXPERIMENT_NIGHTS: "Experiment night: see tonight's condition in your plan",
}

# Where each due item leads (a web path; the CLI names the command).
LINKS: Final[dict[str, str]] = {
    MORNING_DIARY: "/log/sleep",
    WIND_DOWN: "/",
    PEG: "/log/questionnaire?instrument=peg",
    SDS: "/log/questionnaire?instrument=sds",
    SOWS: "/log/questionnaire?instrument=sows",
    TAPER_STEPS: "/plans",
    EXPERIMENT_NIGHTS: "/plans",
}
COMMANDS: Final[dict[str, str]] = {
    MORNING_DIARY: "speciosa log sleep",
    WIND_DOWN: "",
    PEG: "speciosa questionnaire peg",
    SDS: "speciosa questionnaire sds",
    SOWS: "speciosa questionnaire sows",
    TAPER_STEPS: "speciosa plan list",
    EXPERIMENT_NIGHTS: "speciosa plan list",
}

# Why each schedule is what it is (source ids of knowledge/data/sources.yaml, or ENGINEERING).
ENGINEERING: Final = "speciosa-engineering"
SOURCES: Final[dict[str, tuple[str, ...]]] = {
    # The Consensus Sleep Diary is filled in each morning, about the night just ended.
    MORNING_DIARY: ("carney-2012-csd",),
    # The guides ask for a regular sleep schedule; 30 minutes before the usual bedtime is a
    # design choice (the guides' own "30-60 minutes before bed" window, at its near end).
    WIND_DOWN: ("seed-fibromyalgia-sleep", ENGINEERING),
    # The PEG asks about the past week: weekly answers leave no gaps and no overlaps.
    PEG: ("krebs-2009-peg",),
    # Opioid guidance (by analogy) asks for follow-up at least monthly; the SDS is short.
    SDS: ("cdc-2022-opioids", "gossop-1995-sds"),
    # The plans' own SOWS prompt: daily in a taper step's first week, then weekly.
    SOWS: ("handelsman-1987-sows", ENGINEERING),
    TAPER_STEPS: ("cdc-2022-opioids",),
    EXPERIMENT_NIGHTS: (ENGINEERING,),
}

# Default times when the person gives none. ENGINEERING choices: the diary half an hour
# after the usual wake time (up and about, the night still fresh); wind-down half an hour
# before the usual bedtime; questionnaires in the early evening.
DIARY_AFTER_WAKE: Final = timedelta(minutes=30)
WIND_DOWN_BEFORE_BED: Final = timedelta(minutes=30)
EVENING: Final = time(19, 0)
# A weekly questionnaire answered the day before its day counts for that week. ENGINEERING.
EARLY_ANSWER_DAYS: Final = 1

# Reminders whose default time follows the profile's wake time or bedtime (see time_of).
PROFILE_TIMED: Final = (MORNING_DIARY, WIND_DOWN, TAPER_STEPS, EXPERIMENT_NIGHTS)
WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
Title = Annotated[str, Field(min_length=1, max_length=80)]


class Reminder(Strict):
    """One reminder: off by default; ``at`` None means "from my profile" (see time_of)."""

    on: bool = False
    at: WallTime | None = None
    title: Title | None = None


class WeeklyReminder(Reminder):
    weekday: Annotated[int, Field(ge=0, le=6, description="0 Monday .. 6 Sunday")] = 6


class MonthlyReminder(Reminder):
    # Up to the 28th, so that every month has the day.
    day: Annotated[int, Field(ge=1, le=28, description="day of the month")] = 1


class Routine(Strict):
    """The person's reminders. Every one is off until they turn it on."""

    morning_diary: Reminder = Reminder()
    wind_down: Reminder = Reminder()
    peg: WeeklyReminder = WeeklyReminder()
    sds: MonthlyReminder = MonthlyReminder()
    sows: Reminder = Reminder()
    taper_steps: Reminder = Reminder()
    experiment_nights: Reminder = Reminder()

    def reminder(self, key: str) -> Reminder:
        check_key(key)
        found: Reminder = getattr(self, key)
        return found

    def turned(self, key: str, **changes: object) -> Routine:
        """This routine with reminder ``key`` changed (validated like any input)."""
        current = self.reminder(key)
        merged = current.model_dump() | changes
        changed = type(current).model_validate(merged)
        return self.model_copy(update={key: changed})

    def enabled(self) -> list[str]:
        return [key for key in KEYS if self.reminder(key).on]


def check_key(key: str) -> str:
    if key not in KEYS:
        names = ", ".join(k.replace("_", "-") for k in KEYS)
        raise InvalidInput("reminder", key.replace("_", "-"), f"must be one of {names}")
    return key


def key_named(text: str) -> str:
    """The reminder a person typed ("morning-diary" or "morning_diary")."""
    return check_key(text.strip().lower().replace("-", "_"))


@dataclass(frozen=True)
class RoutineFacts:
    """What the journal and the plans say, as the reminders need it (all journal days)."""

    diary_nights: frozenset[date] = frozenset()
    last_answered: dict[str, date] = field(default_factory=dict)  # instrument -> last day
    sows_due_today: bool = False
    # The days SOWS is asked for: a taper step's first week (and today, whenever the plan's
    # own prompt says it is due).
    sows_days: frozenset[date] = frozenset()
    taper_step_days: frozenset[date] = frozenset()
    experiment_days: frozenset[date] = frozenset()


@dataclass(frozen=True)
class DueItem:
    """A reminder that is due now; ``id`` names this occurrence (for dismissing it)."""

    id: str
    key: str
    text: str
    since: datetime
    link: str
    command: str

    def to_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "reminder": self.key,
            "text": self.text,
            "since": clock.iso_utc(self.since),
            "link": self.link,
            "command": self.command,
        }


@dataclass(frozen=True)
class Occurrence:
    """A reminder's time on one day (the next ones, for ``speciosa reminders``)."""

    key: str
    day: date
    at: datetime
    title: str

    def to_dict(self) -> dict[str, str]:
        return {
            "reminder": self.key,
            "day": self.day.isoformat(),
            "at": clock.iso_utc(self.at),
            "title": self.title,
        }


def time_of(routine: Routine, key: str, profile: Profile) -> time:
    """The wall-clock time of reminder ``key``: the person's, else from their profile."""
    chosen = routine.reminder(key).at
    if chosen is not None:
        return clock.parse_wall_time(chosen, "at")
    wake = clock.parse_wall_time(profile.wake_time, "wake_time")
    bed = clock.parse_wall_time(profile.bedtime, "bedtime")
    if key in (MORNING_DIARY, TAPER_STEPS):
        return _shift(wake, DIARY_AFTER_WAKE)
    if key in (WIND_DOWN, EXPERIMENT_NIGHTS):
        return _shift(bed, -WIND_DOWN_BEFORE_BED)
    return EVENING


def title_of(routine: Routine, key: str) -> str:
    return routine.reminder(key).title or DEFAULT_TITLES[key]


def _shift(wall: time, by: timedelta) -> time:
    return (datetime.combine(date(2000, 1, 1), wall) + by).time()


def instant(day: date, wall: time, zone_name: str) -> datetime:
    """``wall`` on ``day`` in ``zone_name`` as UTC; a time a spring-forward change skips is
    read as the same wall time on the far side of the gap (what a calendar does)."""
    local = datetime.combine(day, wall).replace(tzinfo=clock.zone(zone_name))
    return local.astimezone(UTC)


def falls_on(routine: Routine, key: str, day: date, facts: RoutineFacts) -> bool:
    """Whether reminder ``key`` has an occurrence on journal day ``day``."""
    repeat = REPEATS[key]
    if repeat == "daily":
        return True
    if key == PEG:
        return day.weekday() == routine.peg.weekday
    if key == SDS:
        return day.day == routine.sds.day
    if key == SOWS:
        return day in facts.sows_days
    if key == TAPER_STEPS:
        return day in facts.taper_step_days
    return day in facts.experiment_days


def occurrences(
    routine: Routine,
    profile: Profile,
    facts: RoutineFacts,
    *,
    first: date,
    last: date,
    keys: Iterable[str] | None = None,
) -> Iterator[Occurrence]:
    """Every occurrence of the turned-on reminders on journal days [first, last]."""
    chosen = [k for k in (keys or KEYS) if routine.reminder(k).on]
    day = first
    while day <= last:
        for key in chosen:
            if falls_on(routine, key, day, facts):
                wall = time_of(routine, key, profile)
                calendar_day = day + timedelta(days=1) if wall < clock.DAY_STARTS_AT else day
                yield Occurrence(
                    key, day, instant(calendar_day, wall, profile.timezone), title_of(routine, key)
                )
        day += timedelta(days=1)


def upcoming(
    routine: Routine, profile: Profile, facts: RoutineFacts, *, now: datetime, days: int = 7
) -> list[Occurrence]:
    """The turned-on reminders' occurrences after ``now``, for the next ``days`` days."""
    today = clock.journal_day(now, profile.timezone)
    found = occurrences(routine, profile, facts, first=today, last=today + timedelta(days=days))
    return sorted((o for o in found if o.at > now), key=lambda o: (o.at, KEYS.index(o.key)))


def due_now(
    routine: Routine,
    profile: Profile,
    facts: RoutineFacts,
    *,
    now: datetime,
    dismissed: Iterable[str] = (),
) -> list[DueItem]:
    """The turned-on reminders that are due now and not done (nor dismissed)."""
    hidden = set(dismissed)
    today = clock.journal_day(now, profile.timezone)
    items: list[DueItem] = []
    for key in routine.enabled():
        occurrence = _latest(routine, profile, facts, key, today, now)
        if occurrence is None or not _still_due(key, occurrence.day, facts, today):
            continue
        item_id = f"{key}:{occurrence.day.isoformat()}"
        if item_id not in hidden:
            items.append(
                DueItem(item_id, key, TEXTS[key], occurrence.at, LINKS[key], COMMANDS[key])
            )
    return items


def _latest(
    routine: Routine, profile: Profile, facts: RoutineFacts, key: str, today: date, now: datetime
) -> Occurrence | None:
    """The most recent occurrence of ``key`` at or before ``now`` that can still be due:
    today's for daily and plan reminders, the last 31 days' for weekly and monthly ones."""
    reach = 31 if REPEATS[key] in ("weekly", "monthly") else 0
    found = occurrences(
        routine, profile, facts, first=today - timedelta(days=reach), last=today, keys=[key]
    )
    past = [o for o in found if o.at <= now]
    return past[-1] if past else None


def _still_due(key: str, day: date, facts: RoutineFacts, today: date) -> bool:
    if key == MORNING_DIARY:
        return today - timedelta(days=1) not in facts.diary_nights
    if key in (PEG, SDS):
        last = facts.last_answered.get(key)
        return last is None or last < day - timedelta(days=EARLY_ANSWER_DAYS)
    if key == SOWS:
        return facts.sows_due_today
    # Wind-down and plan days: due for the rest of their journal day (or until dismissed).
    return day == today


def all_texts() -> list[str]:
    """Every text a reminder can show (for the never-prescribe check)."""
    return [*TEXTS.values(), *DEFAULT_TITLES.values()]
