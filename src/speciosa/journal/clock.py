"""Which day and which night an instant belongs to, and how people write times.

Every "which night is this?" question in Speciosa is answered here and nowhere else.

A *journal day* runs from ``DAY_STARTS_AT`` local time to the same time the next
morning, in the zone the entry was recorded in. The night of journal day D is the
night at its end, so a dose at 23:30 and one at 00:30 both belong to the night that
follows them, while a dose after 04:00 starts a new day. A sleep diary belongs to the
night of the moment its person got into bed. Local wall-clock arithmetic is done on
the entry's own zone, so DST changes and travel need no special cases; durations are
always measured between real instants (UTC).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from speciosa.errors import InvalidInput

# 04:00 rather than midnight: a dose taken during a sleepless 03:00 belongs to the
# night it interrupts, while hardly anyone doses for the coming night before 04:00.
DAY_STARTS_AT = time(4, 0)

# Entries dated in the future are refused, with a little slack for clocks that differ.
FUTURE_TOLERANCE = timedelta(minutes=5)


def zone(name: str) -> ZoneInfo:
    """The IANA zone called ``name``, or InvalidInput naming the zone."""
    try:
        if name not in _packaged_zone_names() and name not in _zone_names():
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(
            "zone", name, "must be an IANA time zone such as 'Europe/London'"
        ) from exc


def _zone_names() -> set[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = available_timezones() | {"UTC"}
    return _ZONES


_ZONES: set[str] | None = None


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name, sorted (the web's searchable zone picker lists them)."""
    return tuple(sorted(_zone_names()))


@cache
def _packaged_zone_names() -> frozenset[str]:
    """The zones the tzdata package lists, read from its one ``zones`` file.

    Each is also in ``available_timezones()``, which opens every file under the system's
    zoneinfo directories (a tenth of the CPU time of ``speciosa log``): asked only for a
    name this list does not have.
    """
    try:
        text = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    except (ImportError, FileNotFoundError):
        return frozenset()
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def utc(instant: datetime) -> datetime:
    """``instant`` as an aware UTC datetime; naive datetimes are refused."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise InvalidInput("time", instant.isoformat(), "must carry a UTC offset or zone")
    return instant.astimezone(UTC)


def local(instant: datetime, zone_name: str) -> datetime:
    """The wall-clock time of ``instant`` in ``zone_name``."""
    return utc(instant).astimezone(zone(zone_name))


def journal_day(instant: datetime, zone_name: str, starts_at: time = DAY_STARTS_AT) -> date:
    """The journal day (and so the night) that ``instant`` belongs to."""
    wall = local(instant, zone_name).replace(tzinfo=None)
    shift = timedelta(hours=starts_at.hour, minutes=starts_at.minute)
    return (wall - shift).date()


def night_of(instant: datetime, zone_name: str) -> date:
    """The night an exposure at ``instant`` precedes, keyed by the evening's date."""
    return journal_day(instant, zone_name)


def day_bounds(
    day: date, zone_name: str, starts_at: time = DAY_STARTS_AT
) -> tuple[datetime, datetime]:
    """The UTC instants at which journal day ``day`` starts and ends in ``zone_name``."""
    start = at_local(day, starts_at, zone_name)
    end = at_local(day + timedelta(days=1), starts_at, zone_name)
    return start, end


def at_local(day: date, wall: time, zone_name: str) -> datetime:
    """The UTC instant of wall-clock ``wall`` on ``day`` in ``zone_name``.

    A wall time skipped by a spring-forward change is refused; an ambiguous one in a
    fall-back hour is read as its first occurrence (the earlier instant).
    """
    tz = zone(zone_name)
    naive = datetime.combine(day, wall)
    candidate = naive.replace(tzinfo=tz, fold=0)
    round_trip = candidate.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if round_trip != naive:
        raise InvalidInput(
            "time",
            f"{day.isoformat()} {wall.strftime('%H:%M')}",
            f"does not exist in {zone_name} (the clocks moved forward); "
            "give a time after the change",
        )
    return candidate.astimezone(UTC)


def check_not_future(instant: datetime, now: datetime, field: str = "at") -> None:
    """Refuse an entry dated more than a few minutes after ``now``."""
    if utc(instant) > utc(now) + FUTURE_TOLERANCE:
        raise InvalidInput(
            field,
            utc(instant).isoformat(timespec="minutes"),
            "must not be in the future (entries record what has happened)",
        )


_CLOCK = r"(?P<h>\d{1,2})[:.h](?P<m>\d{2})"
_RELATIVE = re.compile(r"^(?P<n>\d+)\s*(?P<u>m|min|mins|minutes?|h|hr|hrs|hours?)\s+ago$")
_DAY_WORD = re.compile(rf"^(?P<word>today|yesterday)\s+{_CLOCK}$")
_CLOCK_ONLY = re.compile(rf"^{_CLOCK}$")
_DATE_CLOCK = re.compile(rf"^(?P<d>\d{{4}}-\d{{2}}-\d{{2}})[ T]{_CLOCK}(?::(?P<s>\d{{2}}))?$")

WHEN_HELP = (
    "use 'now', '22:15', 'yesterday 23:40', '90 min ago', '2026-03-08 22:15' "
    "or ISO 8601 with an offset"
)


def parse_when(text: str, *, now: datetime, zone_name: str, field: str = "at") -> datetime:
    """Read a human time the way a person writes it in a journal.

    ``22:15`` means the most recent 22:15 (so typed just after midnight it is
    yesterday's); times without an offset are wall-clock times in ``zone_name``.
    """
    cleaned = text.strip().lower()
    now_local = local(now, zone_name)
    if cleaned in {"", "now"}:
        return utc(now)
    if match := _RELATIVE.match(cleaned):
        amount = int(match["n"])
        unit_minutes = 1 if match["u"].startswith("m") else 60
        return utc(now) - timedelta(minutes=amount * unit_minutes)
    if match := _CLOCK_ONLY.match(cleaned):
        wall = _wall(match, text, field)
        instant = at_local(now_local.date(), wall, zone_name)
        if instant > utc(now) + FUTURE_TOLERANCE:
            instant = at_local(now_local.date() - timedelta(days=1), wall, zone_name)
        return instant
    if match := _DAY_WORD.match(cleaned):
        offset = 0 if match["word"] == "today" else 1
        return at_local(
            now_local.date() - timedelta(days=offset), _wall(match, text, field), zone_name
        )
    if match := _DATE_CLOCK.match(cleaned):
        day = _date(match["d"], text, field)
        wall = _wall(match, text, field).replace(second=int(match["s"] or 0))
        return at_local(day, wall, zone_name)
    return _iso(text, zone_name, field)


def _wall(match: re.Match[str], text: str, field: str) -> time:
    hour, minute = int(match["h"]), int(match["m"])
    if hour > 23 or minute > 59:
        raise InvalidInput(field, text, "hours must be 0-23 and minutes 0-59")
    return time(hour, minute)


def _date(value: str, text: str, field: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(
            field, text, "the date must be a real calendar date (YYYY-MM-DD)"
        ) from exc
    return check_day(day, field, text)


def _iso(text: str, zone_name: str, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidInput(field, text, WHEN_HELP) from exc
    check_day(parsed.date(), field, text)
    if parsed.tzinfo is None:
        return at_local(parsed.date(), parsed.time(), zone_name)
    return utc(parsed)


# How people type a bedtime: "22:30", "10:30pm", "10 pm", "2230" (a phone's time picker
# sends "22:30"; the others come from typing).
_TWELVE_HOUR = re.compile(r"^(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<half>am|pm|a\.m\.|p\.m\.)$")
_FOUR_DIGITS = re.compile(r"^(?P<h>\d{2})(?P<m>\d{2})$")


def parse_wall_time(text: str, field: str) -> time:
    """A wall-clock time of day such as '22:30', '10:30pm' or '2230' (bedtimes, wake times)."""
    cleaned = text.strip().lower()
    if match := _TWELVE_HOUR.match(cleaned):
        hour, minute = int(match["h"]), int(match["m"] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise InvalidInput(field, text, "hours must be 1-12 with am/pm and minutes 0-59")
        return time(hour % 12 + (12 if match["half"].startswith("p") else 0), minute)
    match = _CLOCK_ONLY.match(cleaned) or _FOUR_DIGITS.match(cleaned)
    if not match:
        raise InvalidInput(
            field, text, "must be a time of day such as '22:30', '10:30pm' or '2230'"
        )
    return _wall(match, text, field)


def parse_day(text: str | None, field: str) -> date | None:
    """A journal day written YYYY-MM-DD; empty means "not given" (None)."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    try:
        day = date.fromisoformat(cleaned)
    except ValueError as exc:
        raise InvalidInput(field, text, "must be a date written YYYY-MM-DD") from exc
    return check_day(day, field, text)


# Days a journal can be about: 0001-01-01 or 9999-12-31 would overflow the arithmetic
# of day bounds and zones (OverflowError) and are never a real journal's days.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2199, 12, 31)


def check_day(day: date, field: str, text: object = None) -> date:
    """``day`` if it lies from :data:`EARLIEST_DAY` to :data:`LATEST_DAY`, else InvalidInput."""
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise InvalidInput(
            field,
            day.isoformat() if text is None else text,
            f"must be a date from {EARLIEST_DAY.isoformat()} to {LATEST_DAY.isoformat()}",
        )
    return day


def iso_utc(instant: datetime) -> str:
    """The canonical text form of an instant: UTC, seconds, 'Z'."""
    return utc(instant).strftime("%Y-%m-%dT%H:%M:%SZ")
