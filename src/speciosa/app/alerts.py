"""Open safety alerts: the engine's rules over the journal's recent months.

One look-back (:data:`speciosa.safety.LOOKBACK`), one order (the engine's: most severe,
then most recent) and one shape (:class:`speciosa.safety.Alert`, ``to_dict`` for JSON)
for the CLI, Today, the Safety page, the API, the share view and the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from speciosa.journal import clock
from speciosa.safety import LOOKBACK, Alert, JournalWindow, evaluate, pauses_plans

from .unit import Journal

# Alerts are reused while the journal is unchanged, for at most this long: rules that
# count hours since a dose move on with the clock.
CACHE_AGE = timedelta(seconds=60)

__all__ = ["Alert", "alerts_as_of", "open_alerts", "plans_paused"]


def open_alerts(journal: Journal) -> list[Alert]:
    """Every alert the rules raise now, most severe first."""

    return journal.results.get(
        journal.owner,
        "alerts",
        version=journal.version(),
        now=journal.now,
        max_age=CACHE_AGE,
        compute=lambda: alerts_as_of(journal, journal.now),
    )


def alerts_as_of(journal: Journal, as_of: datetime) -> list[Alert]:
    """The alerts as they stood at ``as_of`` (now, or the end of a report or a share)."""
    instant = min(clock.utc(as_of), clock.utc(journal.now))
    window = journal.store.entries(since=instant - LOOKBACK, until=instant + timedelta(seconds=1))
    return evaluate(JournalWindow(journal.profile, journal.store.products(), window), now=instant)


def plans_paused(alerts: Sequence[Alert]) -> bool:
    """True with an urgent alert open: plan prompts pause until it is dealt with."""
    return pauses_plans(alerts)
