"""The person's reminders as an iCalendar feed (RFC 5545) that calendar apps subscribe to.

    calendar_feed(routine, profile, facts, anchor=day, now=now, uid_base="f1a2...")  # bytes

Daily, weekly and monthly reminders are one event each with a recurrence rule, their start
in the person's zone (``TZID`` with a ``VTIMEZONE``), so a 07:30 reminder stays at 07:30 local
time across DST changes; plan reminders (a taper step's days, experiment nights) are one-off
events. Every event has an alarm at its time. Titles are the neutral defaults ("Speciosa:
morning diary") or the ones the person chose; no other detail is written.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from icalendar import Alarm, Calendar, Event, vDuration, vRecur

from speciosa.journal import clock
from speciosa.journal.models import Profile
from speciosa.journal.routine import (
    REPEATS,
    Occurrence,
    Routine,
    RoutineFacts,
    occurrences,
)

PRODUCT_ID = "-//Speciosa//Reminders//EN"
EVENT_MINUTES = 15
# Plan days are written this far ahead; calendar apps fetch the feed again every few hours.
HORIZON_DAYS = 120
REFRESH = timedelta(hours=6)
_FREQ = {"daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY"}


def calendar_feed(
    routine: Routine,
    profile: Profile,
    facts: RoutineFacts,
    *,
    anchor: date,
    now: datetime,
    uid_base: str,
) -> bytes:
    """The feed: recurring events from ``anchor`` (a stable day: the feed's creation), and
    one-off plan events from yesterday to ``HORIZON_DAYS`` ahead."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Speciosa")
    calendar.add("x-wr-timezone", profile.timezone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))  # the older name
    today = clock.journal_day(now, profile.timezone)
    for key, repeat in REPEATS.items():
        if repeat == "plan days" or not routine.reminder(key).on:
            continue
        first = next(
            occurrences(
                routine, profile, facts, first=anchor, last=anchor + timedelta(days=40), keys=[key]
            ),
            None,
        )
        if first is not None:
            calendar.add_component(_event(first, profile, now, uid_base, rule=_FREQ[repeat]))
    plan_keys = [k for k, r in REPEATS.items() if r == "plan days"]
    for found in occurrences(
        routine,
        profile,
        facts,
        first=today - timedelta(days=1),
        last=today + timedelta(days=HORIZON_DAYS),
        keys=plan_keys,
    ):
        calendar.add_component(_event(found, profile, now, uid_base, rule=None))
    calendar.add_missing_timezones(
        first_date=min(anchor, today) - timedelta(days=366),
        last_date=today + timedelta(days=366 * 5),
    )
    return calendar.to_ical()


def _event(
    found: Occurrence, profile: Profile, now: datetime, uid_base: str, *, rule: str | None
) -> Event:
    event = Event()
    suffix = found.key if rule else f"{found.key}-{found.day.isoformat()}"
    event.add("uid", f"{suffix}@{uid_base}.speciosa")
    event.add("dtstamp", clock.utc(now))
    event.add("dtstart", clock.local(found.at, profile.timezone))
    event.add("duration", timedelta(minutes=EVENT_MINUTES))
    event.add("summary", found.title)
    event.add("transp", "TRANSPARENT")  # a reminder does not make the person busy
    if rule is not None:
        event.add("rrule", vRecur(freq=rule))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", found.title)
    alarm.add("trigger", timedelta(0))
    event.add_component(alarm)
    return event
