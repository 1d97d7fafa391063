"""What a safety rule returns: an :class:`Alert` with its severity, texts, sources and entries.

An alert is a finding about *this* journal, never advice about an amount of kratom. Every
alert names the rule that raised it, the sources that justify it and the stored entries
that triggered it, so a person (or their clinician) can check it against the journal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from speciosa.journal import clock


class Severity(StrEnum):
    """How soon to act; ordered ``info < caution < warning < urgent`` (not alphabetically)."""

    INFO = "info"
    CAUTION = "caution"
    WARNING = "warning"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        """0 for info up to 3 for urgent."""
        return _RANKS[self.value]

    def __lt__(self, other: str) -> bool:
        return self.rank < Severity(other).rank

    def __le__(self, other: str) -> bool:
        return self.rank <= Severity(other).rank

    def __gt__(self, other: str) -> bool:
        return self.rank > Severity(other).rank

    def __ge__(self, other: str) -> bool:
        return self.rank >= Severity(other).rank


_RANKS = {"info": 0, "caution": 1, "warning": 2, "urgent": 3}


@dataclass(frozen=True, slots=True)
class Alert:
    """One finding of one rule.

    ``at`` is the instant of the most recent entry that triggered the alert (or the
    evaluation time for findings about the profile alone); ``analogy`` is True when the
    rule applies evidence about something else (opioid medicines, opioid-overuse headache)
    to kratom.
    """

    rule_id: str
    severity: Severity
    title: str
    explanation: str
    what_to_do: str
    source_ids: tuple[str, ...]
    entry_ids: tuple[int, ...]
    at: datetime
    analogy: bool = False

    @property
    def key(self) -> str:
        """Names this finding: the rule and the moment the pattern was last seen. An alert
        the person marked as seen comes back under a new key when the pattern continues."""
        return f"{self.rule_id}@{clock.iso_utc(self.at)}"

    def texts(self) -> tuple[str, str, str]:
        """The sentences a person is shown (for the never-prescribe checker)."""
        return (self.title, self.explanation, self.what_to_do)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (lists, ISO 8601 UTC time) for the CLI, API and reports."""
        return {
            "rule_id": self.rule_id,
            "key": self.key,
            "severity": self.severity.value,
            "title": self.title,
            "explanation": self.explanation,
            "what_to_do": self.what_to_do,
            "source_ids": list(self.source_ids),
            "entry_ids": list(self.entry_ids),
            "at": clock.iso_utc(self.at),
            "analogy": self.analogy,
        }


def sort_key(alert: Alert) -> tuple[int, float, str, tuple[int, ...]]:
    """Most severe first, then the most recent, then rule id and entries (deterministic)."""
    return (-alert.severity.rank, -alert.at.timestamp(), alert.rule_id, alert.entry_ids)
