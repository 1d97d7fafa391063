"""Constipation patterns from the bowel diary: a Rome IV-style pattern, and the
opioid-induced-constipation (OIC) pattern after a dose increase, labelled as an analogy.

Constipation is one of kratom's commonly reported side effects, mostly at larger and more
frequent doses (Grundmann 2017). The instruments module does the Rome IV reading; this rule
decides the windows, requires a kept diary and recent kratom use, and words the alert.
When the OIC-style check fires it replaces the plain pattern alert (same diary, one alert).

A window is read over the days the diary actually covers: from the start of the journal day
of the first bowel movement ever logged (when that is more than ``BOWEL_DIARY_GRACE_HOURS``
inside the window) to the window's end, so a two-week-old diary is not read as four weeks
with few movements. The journal's first day is not used: a journal kept for doses alone does
not show the bowel diary was kept. Below a week of diary there is no answer
(``instruments.bowel.MIN_WINDOW``), and every alert says how many days it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from speciosa.instruments.bowel import (
    MIN_WINDOW,
    OICPatternCheck,
    RomeIVSummary,
    is_hard,
    oic_pattern,
    rome_iv_summary,
)
from speciosa.journal import clock
from speciosa.journal.models import Bowel, Dose
from speciosa.safety.alerts import Alert, Severity
from speciosa.safety.rules.base import Rule, local_date, plural
from speciosa.safety.thresholds import (
    BOWEL_DIARY_GRACE_HOURS,
    BOWEL_MIN_ENTRIES,
    BOWEL_WINDOW_DAYS,
    DOSE_INCREASE_PERCENT,
)
from speciosa.safety.window import Identified, JournalWindow, Stored, ids, latest

FC_SOURCES: tuple[str, ...] = (
    "rome-iv-2016",
    "lewis-heaton-1997",
    "grundmann-2017",
    "jsu-2019-constipation-fatigue",
)
OIC_SOURCES: tuple[str, ...] = ("rome-iv-2016", "grundmann-2017")

_WHAT_TO_DO = (
    "Keep logging bowel movements so the pattern is clear, and mention it to a clinician or "
    "pharmacist, who can rule out other causes and suggest fibre, fluids or a laxative. Seek "
    "care promptly for blood in the stool, severe belly pain, vomiting or no bowel movement "
    "with a swollen belly."
)


@dataclass(frozen=True)
class BowelWindow:
    """One diary window: where it starts (the diary may be younger than the window), its
    movements (with ids), the Rome IV summary and grams per day over the days covered."""

    start: datetime
    movements: list[Stored[Bowel]]
    summary: RomeIVSummary
    grams_per_day: float
    doses: list[Stored[Dose]]

    def rests_on(self, zone: str) -> str:
        """'This rests on 14 days of bowel diary (since 2026-03-07), 8 bowel movements.'"""
        return (
            f"This rests on {self.summary.days:.0f} days of bowel diary (since "
            f"{local_date(self.start, zone)}), {plural(len(self.movements), 'bowel movement')}."
        )


def _diary_start(window: JournalWindow, end: datetime) -> datetime | None:
    """The start of the journal day of the first bowel movement logged before ``end``."""
    first = next(iter(window.of_kind(Bowel, now=end)), None)
    if first is None:
        return None
    return clock.day_bounds(first.day, first.entry.zone)[0]


def _window(window: JournalWindow, start: datetime, end: datetime) -> BowelWindow | None:
    diary = _diary_start(window, end)
    if diary is None:
        return None
    if diary - start > timedelta(hours=BOWEL_DIARY_GRACE_HOURS.value):
        start = diary  # a younger diary: only the days it covers
    if end - start < MIN_WINDOW:
        return None
    movements = [m for m in window.of_kind(Bowel, now=end, since=start) if m.at < end]
    if not BOWEL_MIN_ENTRIES.reached(len(movements)):
        return None
    doses = [d for d in window.doses(now=end, since=start) if d.at < end]
    summary = rome_iv_summary([m.entry for m in movements], start=start, end=end)
    grams = sum(d.entry.grams or 0.0 for d in doses) / summary.days
    return BowelWindow(start, movements, summary, grams, doses)


def _recent(window: JournalWindow, now: datetime) -> tuple[BowelWindow | None, BowelWindow | None]:
    """(the last four weeks, the four weeks before them), each cut to the diary's days."""
    span = timedelta(days=BOWEL_WINDOW_DAYS.value)
    # Both constipation rules ask this of the same window: summarised once.
    return window.remembered(
        ("constipation.recent", now),
        lambda: (_window(window, now - span, now), _window(window, now - 2 * span, now - span)),
    )


def _increased(after: BowelWindow, baseline: BowelWindow) -> bool:
    if baseline.grams_per_day == 0:
        return after.grams_per_day > 0  # starting counts, as in Rome IV OIC
    change = (after.grams_per_day - baseline.grams_per_day) * 100 / baseline.grams_per_day
    return DOSE_INCREASE_PERCENT.reached(change)


def _oic(
    window: JournalWindow, now: datetime
) -> tuple[OICPatternCheck, BowelWindow, BowelWindow] | None:
    after, baseline = _recent(window, now)
    if after is None or baseline is None or not after.doses or not _increased(after, baseline):
        return None
    found = oic_pattern(baseline.summary, after.summary)
    return (found, after, baseline) if found.new_or_worse else None


def _triggering(found: BowelWindow) -> list[Stored[Bowel]]:
    """Movements showing a feature that is present (all of them for the weekly-rate one)."""
    present = set(found.summary.features_present)
    if "few_spontaneous" in present:
        return found.movements
    flags = {
        "straining": lambda m: m.straining,
        "hard_stools": lambda m: is_hard(m.bristol),
        "incomplete": lambda m: m.incomplete,
        "blockage": lambda m: m.blockage,
        "manual": lambda m: m.manual,
    }
    return [m for m in found.movements if any(flags[f](m.entry) for f in present)]


def check_pattern(window: JournalWindow, now: datetime) -> list[Alert]:
    """A caution when the last four weeks meet the Rome IV symptom pattern during kratom use."""
    if _oic(window, now) is not None:
        return []
    after, _ = _recent(window, now)
    if after is None or not after.doses or not after.summary.meets_pattern:
        return []
    triggers = _triggering(after)
    return [
        Alert(
            rule_id="constipation_pattern",
            severity=Severity.CAUTION,
            title="Your bowel diary shows a constipation pattern",
            explanation=(
                f"{after.rests_on(window.profile.timezone)} {after.summary.text} "
                "Constipation is one of kratom's commonly reported side effects, mostly with "
                "larger and more frequent doses."
            ),
            what_to_do=_WHAT_TO_DO,
            source_ids=FC_SOURCES,
            entry_ids=ids(triggers),
            at=latest(triggers, now),
        )
    ]


def check_after_increase(window: JournalWindow, now: datetime) -> list[Alert]:
    """A caution (analogy) when a pattern is new or worse after grams/day went up."""
    found = _oic(window, now)
    if found is None:
        return []
    result, after, baseline = found
    triggers: list[Identified] = [*_triggering(after), *after.doses]
    return [
        Alert(
            rule_id="constipation_after_increase",
            severity=Severity.CAUTION,
            title="Constipation came with more kratom",
            explanation=(
                f"Your grams per day in the last {after.summary.days:.0f} days were at "
                f"least {DOSE_INCREASE_PERCENT.value:g}% above the {baseline.summary.days:.0f} "
                f"days before. {result.text} {after.summary.text} "
                f"{after.rests_on(window.profile.timezone)}"
            ),
            what_to_do=_WHAT_TO_DO,
            source_ids=OIC_SOURCES,
            entry_ids=ids(triggers),
            at=latest(triggers, now),
            analogy=True,
        )
    ]


PATTERN_RULE = Rule(
    id="constipation_pattern",
    concern="a Rome IV-style constipation pattern in the bowel diary",
    check=check_pattern,
    source_ids=FC_SOURCES,
)
AFTER_INCREASE_RULE = Rule(
    id="constipation_after_increase",
    concern="a new or worse constipation pattern after a dose increase (OIC analogy)",
    check=check_after_increase,
    source_ids=OIC_SOURCES,
)
