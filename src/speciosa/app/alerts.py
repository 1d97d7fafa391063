"""Open safety alerts: the engine's rules over the journal's recent months.

One look-back (:data:`speciosa.safety.LOOKBACK`), one order (the engine's: most severe,
then most recent) and one shape (:class:`speciosa.safety.Alert`, ``to_dict`` for JSON)
for the CLI, Today, the Safety page, the API, the share view and the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from speciosa.journal import clock
from speciosa.journal.models import EntryBase
from speciosa.safety import LOOKBACK, Alert, JournalWindow, evaluate, pauses_plans
from speciosa.safety.window import Stored

from .unit import Journal
from .window_cache import WINDOWS, window_key

# Alerts are reused while the journal is unchanged, for at most this long: rules that
# count hours since a dose move on with the clock.
CACHE_AGE = timedelta(seconds=60)
# Later than any entry (an entry's time is a timezone-aware instant).
END_OF_TIME = datetime.max.replace(tzinfo=UTC)

__all__ = [
    "Alert",
    "alerts_as_of",
    "current_alerts",
    "kept_entries",
    "open_alerts",
    "plans_paused",
]


def open_alerts(journal: Journal) -> list[Alert]:
    """Every alert the rules raise now, most severe first."""

    return journal.results.get(
        journal.owner,
        "alerts",
        version=journal.version(),
        now=journal.now,
        max_age=CACHE_AGE,
        compute=lambda: current_alerts(journal),
    )


def current_alerts(journal: Journal) -> list[Alert]:
    """The alerts now, over the kept window: what ``alerts_as_of(journal, journal.now)``
    returns, reading only the entries that changed since this person's last evaluation."""
    instant = clock.utc(journal.now)
    entries = kept_entries(journal, until=_bounds(instant)[1])
    window = JournalWindow.in_order(journal.profile, journal.store.products(), entries)
    return evaluate(window, now=instant)


def kept_entries(journal: Journal, *, until: datetime | None = None) -> list[Stored[EntryBase]]:
    """The journal's entries from the rules' look-back before now to ``until`` (None: every
    later one, dated ahead too), by time then id, from the kept window: only the entries
    written since this process last read them are read again (``app.window_cache``)."""
    since = _bounds(clock.utc(journal.now))[0]
    revision = journal.revision()  # before the entries (see window_cache)
    key = window_key(journal.session.get_bind().engine, journal.owner)
    return WINDOWS.entries(
        journal.store, key, since=since, until=until or END_OF_TIME, revision=revision
    )


def alerts_as_of(journal: Journal, as_of: datetime) -> list[Alert]:
    """The alerts as they stood at ``as_of`` (now, or the end of a report or a share)."""
    instant = min(clock.utc(as_of), clock.utc(journal.now))
    since, until = _bounds(instant)
    window = journal.store.entries(since=since, until=until)
    return evaluate(JournalWindow(journal.profile, journal.store.products(), window), now=instant)


def _bounds(instant: datetime) -> tuple[datetime, datetime]:
    """The entries every rule needs at ``instant``: [instant - LOOKBACK, instant], whole."""
    return instant - LOOKBACK, instant + timedelta(seconds=1)


def plans_paused(alerts: Sequence[Alert]) -> bool:
    """True with an urgent alert open: plan prompts pause until it is dealt with."""
    return pauses_plans(alerts)
