"""What every rule shares: the :class:`Rule` record and small text and alert helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from speciosa.journal import clock
from speciosa.knowledge import Interaction, load_knowledge
from speciosa.safety.alerts import Alert, Severity
from speciosa.safety.window import Identified, JournalWindow, ids, latest

Check = Callable[[JournalWindow, datetime], list[Alert]]


@dataclass(frozen=True)
class Rule:
    """A named safety rule: ``check(window, now)`` returns its alerts (often none).

    ``source_ids`` lists every source the rule can cite, so a test can check them all
    without having to trigger every branch.
    """

    id: str
    concern: str
    check: Check
    source_ids: tuple[str, ...]


def interaction(substance_class: str) -> Interaction:
    """The interaction catalogue entry for a substance class (knowledge/interactions.yaml)."""
    return load_knowledge().interactions[substance_class]


def interaction_sources(*classes: str) -> tuple[str, ...]:
    """Every source id the catalogue cites for these classes, de-duplicated in order."""
    seen: dict[str, None] = {}
    for name in classes:
        seen.update(dict.fromkeys(interaction(name).source_ids))
    return tuple(seen)


def from_interaction(
    rule_id: str,
    substance_class: str,
    finding: str,
    triggers: Iterable[Identified],
    *,
    now: datetime,
    extra_sources: tuple[str, ...] = (),
) -> Alert:
    """An alert whose severity, title, advice and sources come from the catalogue."""
    entry = interaction(substance_class)
    listed = list(triggers)
    return Alert(
        rule_id=rule_id,
        severity=Severity(entry.severity),
        title=entry.title,
        explanation=f"{finding} {entry.explanation}",
        what_to_do=entry.what_to_do,
        source_ids=tuple(dict.fromkeys((*entry.source_ids, *extra_sources))),
        entry_ids=ids(listed),
        at=latest(listed, now),
        analogy=entry.by_analogy,
    )


def local_date(instant: datetime, zone: str) -> str:
    """The calendar date of ``instant`` where it was recorded (YYYY-MM-DD)."""
    return clock.local(instant, zone).date().isoformat()


def plural(count: int, noun: str, many: str | None = None) -> str:
    """'1 dose', '3 doses'."""
    return f"{count} {noun if count == 1 else (many or noun + 's')}"
