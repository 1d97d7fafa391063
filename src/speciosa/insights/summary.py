"""The Insights page's first screen: what the journal can tell, in a few plain lines.

Every answer stays in the report; this only orders and groups them for a person:

1. ``found``: answers whose interval excludes no difference, strongest first, each with its
   interval in words ("probably between 3.1 and 9.0 min lower").
2. ``unclear``: per outcome, the questions answered without a clear difference (one line per
   outcome instead of one card per question).
3. ``waiting``: per outcome, what is not answered yet and how many more days it needs (one line
   per outcome: the same missing days are not repeated for each question).
4. ``held_back``: the questions held back until they pass calibration (more days will not
   bring them back).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from speciosa.insights.results import Effect, InsightReport

# What each question asks, in the words of a line about one outcome.
QUESTION_WORDS = {
    "dose_vs_none": "with a dose or without",
    "dose_band": "by amount",
    "dose_response": "with each extra gram",
    "timing": "by the time of the dose",
    "product": "between products",
    "tolerance": "over the months (tolerance)",
    "side_effect": "with the grams of the week before",
}
# What a found difference is measured against, after "probably between a and b <unit> lower".
FOUND_WORDS = {
    "dose_vs_none": "with a dose than without",
    "dose_band": "at higher amounts",
    "dose_response": "for each extra gram",
    "timing": "for an earlier dose",
    "product": "between your products",
    "tolerance": "as the months pass",
    "side_effect": "with more grams in the week before",
}
# "12 days without a dose, need 14" in an answer's reason (written by insights.analyses).
_COUNT_NEEDED = re.compile(r"(\d+) ([a-z][^,:;.]*?), need (\d+)")


@dataclass(frozen=True, slots=True)
class OutcomeLine:
    outcome: str  # the outcome's label, as the answers name it
    text: str


@dataclass(frozen=True, slots=True)
class Summary:
    found: tuple[tuple[Effect, str], ...]  # (answer, its interval in words)
    unclear: tuple[OutcomeLine, ...]
    waiting: tuple[OutcomeLine, ...]
    held_back: tuple[str, ...]  # outcome labels (as in a sentence) with a held-back question


def summarise(report: InsightReport) -> Summary:
    shown = [e for e in report.effects if not e.withheld]
    found = sorted((e for e in shown if e.claimed), key=_strength, reverse=True)
    answered = [e for e in shown if e.enough_data and not e.claimed]
    waiting = [e for e in shown if not e.enough_data]
    return Summary(
        found=tuple((e, found_sentence(e)) for e in found),
        unclear=tuple(_merged(_unclear_lines(answered))),
        waiting=tuple(_merged(_waiting_lines(waiting))),
        held_back=tuple(dict.fromkeys(e.label or e.outcome for e in report.effects if e.withheld)),
    )


def found_sentence(effect: Effect) -> str:
    """'Time to fall asleep: probably between 1 and 10.2 min lower with a dose than without.'"""
    words = FOUND_WORDS.get(effect.question, "")
    return f"{_label(effect)}: {interval_in_words(effect)} {words}".rstrip() + "."


def interval_in_words(effect: Effect) -> str:
    """The interval as a person reads it: both ends on the same side, or either side."""
    low, high = effect.ci_low, effect.ci_high
    if low is None or high is None:
        return ""
    unit = effect.unit
    if low > 0:
        return f"probably between {_num(low)} and {_num(high)} {unit} higher"
    if high < 0:
        return f"probably between {_num(-high)} and {_num(-low)} {unit} lower"
    return f"anywhere from {_num(-low)} {unit} lower to {_num(high)} {unit} higher"


def _strength(effect: Effect) -> tuple[bool, float]:
    """Clinically important answers first, then by how far the interval is from zero."""
    low, high = effect.ci_low or 0.0, effect.ci_high or 0.0
    width = max(high - low, 1e-9)
    return (effect.clinically_important is True, min(abs(low), abs(high)) / width)


def _unclear_lines(effects: list[Effect]) -> list[OutcomeLine]:
    lines = []
    for label, group in _by_outcome(effects).items():
        asked = ", ".join(_asks(e) for e in group)
        lines.append(OutcomeLine(label, f"no clear difference yet ({asked})"))
    return lines


def _waiting_lines(effects: list[Effect]) -> list[OutcomeLine]:
    lines = []
    for label, group in _by_outcome(effects).items():
        asked: dict[str, list[str]] = {}  # what is missing -> the questions it holds up
        for effect in group:
            asked.setdefault(_needed(effect), []).append(_asks(effect))
        parts = [f"{', '.join(questions)}: {need}" for need, questions in asked.items()]
        lines.append(OutcomeLine(label, "; ".join(parts)))
    return lines


def _asks(effect: Effect) -> str:
    return QUESTION_WORDS.get(effect.question, effect.question)


def _merged(lines: list[OutcomeLine]) -> list[OutcomeLine]:
    """One line for the outcomes that say the same thing ("Pain, fatigue: needs ...")."""
    outcomes: dict[str, list[str]] = {}
    for line in lines:
        outcomes.setdefault(line.text, []).append(line.outcome)
    return [
        OutcomeLine(", ".join([names[0], *(n.lower() for n in names[1:])]), text)
        for text, names in outcomes.items()
    ]


def _needed(effect: Effect) -> str:
    """'2 more days without a dose' from the answer's reason, or the reason itself."""
    reason = (effect.reason or "").removeprefix("not enough data yet: ")
    match = _COUNT_NEEDED.search(reason)
    if match is None:
        return reason or "needs more days"
    have, what, need = int(match.group(1)), match.group(2), int(match.group(3))
    return f"needs {max(need - have, 1)} more {what}"


def _by_outcome(effects: list[Effect]) -> dict[str, list[Effect]]:
    grouped: dict[str, list[Effect]] = {}
    for effect in effects:
        grouped.setdefault(_label(effect), []).append(effect)
    return grouped


def _label(effect: Effect) -> str:
    label = effect.label or effect.outcome
    return label[:1].upper() + label[1:]


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if abs(value) < 100 else f"{value:.0f}"
