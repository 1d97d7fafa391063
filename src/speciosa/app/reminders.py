"""Reminders and routine: the person's reminder settings, what is due now and next, dismissing
a due item, and the private calendar feed (create, revoke, open; every fetch recorded).

    reminders.set_reminder(journal, "morning_diary", on=True, at="07:30")
    reminders.due(journal)              # Today's "Due now" (also in today --json and the API)
    reminders.upcoming(journal)         # the next week's reminders
    token = reminders.create_feed(journal)          # /calendar/{token}.ics; only its hash kept
    reminders.open_feed(speciosa, token, user_agent=...)   # the .ics bytes (NotFound: 404)

The schedule is :mod:`speciosa.journal.routine`'s (pure); this module reads the facts it
needs from the journal and the running plans. A reminder asks to log, to answer or to wind
down; never to take kratom.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pydantic import ValidationError

from speciosa.errors import InvalidInput, from_validation_error
from speciosa.journal import clock
from speciosa.journal.models import Sleep
from speciosa.journal.routine import (
    EXPERIMENT_NIGHTS,
    KEYS,
    PEG,
    SDS,
    SOWS,
    TAPER_STEPS,
    WEEKDAYS,
    DueItem,
    Occurrence,
    Routine,
    RoutineFacts,
    check_key,
    due_now,
)
from speciosa.journal.routine import upcoming as upcoming_occurrences
from speciosa.plans.constants import SOWS_DAILY_DAYS_AFTER_STEP
from speciosa.plans.daily import taper_today
from speciosa.plans.experiment import Experiment, assignment_on
from speciosa.plans.taper import TaperPlan, planned_on
from speciosa.store.routine_store import (
    Feed,
    FeedAccess,
    RoutineStore,
    record_feed_access,
    resolve_feed,
)

from . import credentials
from .unit import Journal, Speciosa

# Questionnaire answers are looked back this far (a monthly SDS, with room to spare).
ANSWER_LOOKBACK_DAYS = 40
UPCOMING_DAYS = 7
# Dismissed items older than this are forgotten (they can no longer be due).
KEEP_DISMISSED_DAYS = 35

__all__ = ["KEYS", "DueItem", "Feed", "FeedAccess", "Occurrence", "Routine"]


def _store(journal: Journal) -> RoutineStore:
    return RoutineStore(journal.session, journal.owner)


# --------------------------------------------------------------------------- settings


def routine(journal: Journal) -> Routine:
    """The person's routine; every reminder is off until they turn it on."""
    return _store(journal).routine() or Routine()


def save_routine(journal: Journal, changed: Routine) -> Routine:
    _store(journal).save_routine(changed, now=journal.now)
    return changed


def set_reminder(
    journal: Journal,
    key: str,
    *,
    on: bool | None = None,
    at: str | None = None,
    follow_profile: bool = False,
    title: str | None = None,
    weekday: str | int | None = None,
    day: int | None = None,
) -> Routine:
    """Turn one reminder on or off, or change its time, title, weekday or day of the month.

    ``follow_profile``: forget the chosen time (the time then follows the profile's wake
    time or bedtime). Bad values raise InvalidInput naming the field.
    """
    check_key(key)
    changes: dict[str, Any] = {}
    if on is not None:
        changes["on"] = on
    if at is not None:
        changes["at"] = clock.parse_wall_time(at, "at").strftime("%H:%M")
    if follow_profile:
        changes["at"] = None
    if title is not None:
        changes["title"] = title.strip() or None
    if weekday is not None:
        changes["weekday"] = _weekday(key, weekday)
    if day is not None:
        if key != SDS:
            raise InvalidInput("day", day, "only the monthly reminder (sds) has a day of the month")
        changes["day"] = day
    try:
        changed = routine(journal).turned(key, **changes)
    except ValidationError as exc:
        raise from_validation_error(exc) from exc
    return save_routine(journal, changed)


def replace_routine(journal: Journal, given: dict[str, dict[str, Any]]) -> Routine:
    """Save a whole routine from typed values (the settings form): ``{key: {"on": True,
    "at": "07:30" | None, "title": ..., "weekday": "sunday", "day": 15}}``; keys left out
    keep what they have. InvalidInput names the field ("morning_diary.at")."""
    changed = routine(journal)
    for key, values in given.items():
        check_key(key)
        fields = dict(values)
        if fields.get("at") is not None:
            fields["at"] = clock.parse_wall_time(str(fields["at"]), f"{key}.at").strftime("%H:%M")
        if fields.get("weekday") is not None:
            fields["weekday"] = _weekday(key, fields["weekday"])
        try:
            changed = changed.turned(key, **fields)
        except ValidationError as exc:
            raise from_validation_error(exc, prefix=key) from exc
    return save_routine(journal, changed)


def _weekday(key: str, value: str | int) -> int:
    if key != PEG:
        raise InvalidInput("weekday", value, "only the weekly reminder (peg) has a weekday")
    if isinstance(value, int):
        number = value
    else:
        text = value.strip().lower()
        matches = [i for i, name in enumerate(WEEKDAYS) if len(text) >= 3 and name.startswith(text)]
        number = matches[0] if matches else -1
    if not 0 <= number <= 6:
        raise InvalidInput("weekday", value, "must be a day of the week such as 'sunday'")
    return number


# --------------------------------------------------------------------------- due and next


def facts(journal: Journal, routine_now: Routine, *, through: date) -> RoutineFacts:
    """What the turned-on reminders need to know, from today to ``through``."""
    today = journal.today
    nights: frozenset[date] = frozenset()
    if routine_now.morning_diary.on:
        # Last night's diary is all the reminder asks about (a day more for other zones).
        since = clock.at_local(today - timedelta(days=2), clock.DAY_STARTS_AT, journal.zone)
        sleeps = journal.store.entries(kinds=["sleep"], since=since)
        nights = frozenset(
            clock.night_of(s.entry.at, s.entry.zone) for s in sleeps if isinstance(s.entry, Sleep)
        )
    asks = routine_now.peg.on or routine_now.sds.on
    answers = (
        journal.store.questionnaires_from(
            today - timedelta(days=ANSWER_LOOKBACK_DAYS), journal.zone
        )
        if asks
        else []
    )
    last: dict[str, date] = {}
    for answer in answers:
        answered = clock.journal_day(answer.at, answer.zone)
        if answer.instrument in (PEG, SDS) and answered > last.get(answer.instrument, date.min):
            last[answer.instrument] = answered
    plan_facts = _plan_facts(journal, routine_now, through) if _needs_plans(routine_now) else {}
    return RoutineFacts(diary_nights=nights, last_answered=last, **plan_facts)


def _needs_plans(chosen: Routine) -> bool:
    return any(chosen.reminder(k).on for k in (SOWS, TAPER_STEPS, EXPERIMENT_NIGHTS))


def _plan_facts(journal: Journal, chosen: Routine, through: date) -> dict[str, Any]:
    today = journal.today
    running = [s.plan for s in journal.plans.running(today)]
    steps: set[date] = set()
    sows: set[date] = set()
    nights: set[date] = set()
    sows_due = False
    days = [today + timedelta(days=n) for n in range(-1, (through - today).days + 1)]
    for plan in running:
        if isinstance(plan, TaperPlan):
            plan_steps, plan_sows = _taper_days(plan, days)
            steps |= plan_steps
            sows |= plan_sows
            if chosen.sows.on and not sows_due:
                sows_due = _sows_due_today(journal, plan)
        elif isinstance(plan, Experiment):
            nights |= {d for d in days if assignment_on(plan, d).status == "running"}
    if sows_due:
        sows.add(today)
    return {
        "sows_due_today": sows_due,
        "sows_days": frozenset(sows),
        "taper_step_days": frozenset(steps),
        "experiment_days": frozenset(nights),
    }


def _taper_days(plan: TaperPlan, days: Sequence[date]) -> tuple[set[date], set[date]]:
    """The days a step starts, and the days of each step's first week (daily SOWS)."""
    steps: set[date] = set()
    first_week: set[date] = set()
    for day in days:
        planned = planned_on(plan, day)
        if planned.status not in ("active", "at target") or planned.step_started is None:
            continue
        if planned.step_started == day:
            steps.add(day)
        if (day - planned.step_started).days < SOWS_DAILY_DAYS_AFTER_STEP:
            first_week.add(day)
    return steps, first_week


def _sows_due_today(journal: Journal, plan: TaperPlan) -> bool:
    from .alerts import open_alerts, plans_paused

    since = journal.today - timedelta(days=ANSWER_LOOKBACK_DAYS)
    return taper_today(
        plan,
        day=journal.today,
        doses=journal.store.doses_from(since, journal.zone),
        questionnaires=journal.store.questionnaires_from(since, journal.zone),
        safety_paused=plans_paused(open_alerts(journal)),
    ).sows_due


def due(journal: Journal) -> list[DueItem]:
    """The reminders due now that are not done or dismissed (Today's "Due now")."""
    chosen = routine(journal)
    if not chosen.enabled():
        return []
    return due_now(
        chosen,
        journal.profile,
        facts(journal, chosen, through=journal.today),
        now=journal.now,
        dismissed=_store(journal).dismissed(),
    )


def upcoming(journal: Journal, days: int = UPCOMING_DAYS) -> list[Occurrence]:
    """The turned-on reminders' times in the next ``days`` days."""
    chosen = routine(journal)
    if not chosen.enabled():
        return []
    through = journal.today + timedelta(days=days)
    return upcoming_occurrences(
        chosen,
        journal.profile,
        facts(journal, chosen, through=through),
        now=journal.now,
        days=days,
    )


def dismiss(journal: Journal, item_id: str) -> None:
    """Hide one due item (this occurrence only: tomorrow's comes back)."""
    key, _, day = item_id.partition(":")
    try:
        check_key(key)
        date.fromisoformat(day)
    except (InvalidInput, ValueError):
        raise InvalidInput(
            "item", item_id, "must be a due item's id such as 'morning_diary:2026-12-01'"
        ) from None
    keep_from = journal.today - timedelta(days=KEEP_DISMISSED_DAYS)
    _store(journal).dismiss(item_id, now=journal.now, keep_from=keep_from)


# --------------------------------------------------------------------------- calendar feed


@dataclass(frozen=True)
class FeedStatus:
    feed: Feed | None
    accesses: list[FeedAccess]


def create_feed(journal: Journal) -> str:
    """A new private feed URL's token (shown once; only its hash is kept). An earlier URL
    stops working."""
    token = credentials.new_token()
    _store(journal).create_feed(token_hash=credentials.token_hash(token), now=journal.now)
    return token


def revoke_feed(journal: Journal) -> int:
    """End the feed URL at once; how many were open (0 or 1)."""
    return _store(journal).revoke_feeds(now=journal.now)


def feed_status(journal: Journal) -> FeedStatus:
    store = _store(journal)
    return FeedStatus(store.active_feed(), store.feed_accesses())


def open_feed(speciosa: Speciosa, token: str, *, user_agent: str | None) -> bytes:
    """The feed behind a token, recording the fetch; NotFound when unknown or revoked."""
    # icalendar loads here, on the first fetch: Today and the CLI never need it.
    from speciosa.interop.calendar_feed import HORIZON_DAYS, calendar_feed

    now = speciosa.clock()
    with speciosa.transaction() as session:
        feed = resolve_feed(session=session, token_hash=credentials.token_hash(token))
    with speciosa.journal(feed.owner_id) as journal:
        chosen = routine(journal)
        through = journal.today + timedelta(days=HORIZON_DAYS)
        body = calendar_feed(
            chosen,
            journal.profile,
            facts(journal, chosen, through=through),
            anchor=clock.journal_day(feed.created_at, journal.zone),
            now=journal.now,
            uid_base=f"feed-{feed.token_hash[:12]}",
        )
    with speciosa.transaction() as session:
        record_feed_access(session=session, feed=feed, user_agent=user_agent, now=now)
    return body
