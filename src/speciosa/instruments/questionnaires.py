"""Self-report questionnaires: SDS, SOWS, FSS and PEG, with items, answers and scoring.

The CLI asks ``QUESTIONNAIRES[id].items`` and calls ``.score(answers)``. SDS and SOWS item
texts follow the published instruments (fact sheet B6–B7); PEG items follow the three domains
its paper names. The FSS wording is copyrighted (Krupp; commercial use is charged, see the
``licence`` of ``krupp-1989-fss`` in sources.yaml), so its nine items are Speciosa's own
paraphrase, in the same order and on the same 1–7 scale, and the instructions say so; the
scoring is unchanged. Interpretations show published cut-offs *with their scope*: none of
these scales has a validated cut-off for kratom, and saying so is part of the result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from speciosa.instruments.errors import InstrumentInputError
from speciosa.instruments.pain import percent_change
from speciosa.knowledge.thresholds import (
    FSS_MEAN_CUTOFF,
    FSS_SUM_CUTOFF,
    PEG_MEANINGFUL_PERCENT,
    SDS_CUTOFF_COCAINE,
    SDS_CUTOFF_HEROIN,
    SDS_CUTOFF_OLDER_ADULTS_SEDATIVES_OPIOIDS,
    SOWS_KRATOM_MEAN,
    SOWS_KRATOM_SD,
    Threshold,
)

Basis = Literal["total", "mean"]


@dataclass(frozen=True, slots=True)
class AnswerOption:
    """One answer a person can pick, with the number it scores."""

    value: int
    label: str


@dataclass(frozen=True, slots=True)
class Item:
    """One question; ``options`` run from the lowest to the highest value."""

    number: int
    text: str
    options: tuple[AnswerOption, ...]

    @property
    def low(self) -> int:
        """The smallest allowed answer."""
        return self.options[0].value

    @property
    def high(self) -> int:
        """The largest allowed answer."""
        return self.options[-1].value


@dataclass(frozen=True, slots=True)
class CutoffInfo:
    """A published cut-off shown next to a score, with its scope and source."""

    label: str
    value: float
    basis: Basis
    comparison: str
    reached: bool
    validated_for_kratom: bool
    note: str
    source_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuestionnaireResult:
    """A scored questionnaire; ``score`` is the total or the mean, as ``basis`` says."""

    instrument: str
    answers: tuple[int, ...]
    total: int
    mean: float
    score: float
    basis: Basis
    interpretation: str
    cutoffs: tuple[CutoffInfo, ...]
    source_ids: tuple[str, ...]


Interpreter = Callable[[int, float], tuple[str, tuple[CutoffInfo, ...]]]


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """An instrument: its items, time frame, scoring basis and interpretation."""

    id: str
    name: str
    instructions: str
    items: tuple[Item, ...]
    basis: Basis
    source_ids: tuple[str, ...]
    interpret: Interpreter

    def score(self, answers: Sequence[int]) -> QuestionnaireResult:
        """Validate the answers (one per item, in range) and score them."""
        self._check(answers)
        total = sum(answers)
        mean = total / len(self.items)
        text, cutoffs = self.interpret(total, mean)
        return QuestionnaireResult(
            instrument=self.id,
            answers=tuple(answers),
            total=total,
            mean=mean,
            score=float(total) if self.basis == "total" else mean,
            basis=self.basis,
            interpretation=text,
            cutoffs=cutoffs,
            source_ids=self.source_ids,
        )

    def _check(self, answers: Sequence[int]) -> None:
        if len(answers) != len(self.items):
            raise InstrumentInputError(
                "items", len(answers), f"{self.name} needs exactly {len(self.items)} answers"
            )
        for item, answer in zip(self.items, answers, strict=True):
            if (
                isinstance(answer, bool)
                or not isinstance(answer, int)
                or not (item.low <= answer <= item.high)
            ):
                raise InstrumentInputError(
                    f"item {item.number}",
                    answer,
                    f"must be a whole number from {item.low} to {item.high}",
                )


def score_questionnaire(instrument: str, answers: Sequence[int]) -> QuestionnaireResult:
    """Score answers for an instrument id ("sds", "sows", "fss", "peg")."""
    try:
        questionnaire = QUESTIONNAIRES[instrument]
    except KeyError:
        raise InstrumentInputError(
            "instrument", instrument, f"must be one of {', '.join(QUESTIONNAIRES)}"
        ) from None
    return questionnaire.score(answers)


def _cutoff(
    label: str, threshold: Threshold, observed: float, basis: Basis, *, kratom: bool
) -> CutoffInfo:
    return CutoffInfo(
        label=label,
        value=threshold.value,
        basis=basis,
        comparison=threshold.comparison,
        reached=threshold.reached(observed),
        validated_for_kratom=kratom,
        note=threshold.note,
        source_ids=threshold.source_ids,
    )


def _options(labels: Sequence[str], start: int = 0) -> tuple[AnswerOption, ...]:
    return tuple(AnswerOption(start + i, label) for i, label in enumerate(labels))


# --- Severity of Dependence Scale (Gossop et al. 1995) ------------------------------------

_SDS_FREQUENCY = _options(
    ["Never or almost never", "Sometimes", "Often", "Always or nearly always"]
)
_SDS_DIFFICULTY = _options(["Not difficult", "Quite difficult", "Very difficult", "Impossible"])
_SDS_TEXTS = (
    "Did you think your use of kratom was out of control?",
    "Did the prospect of missing a dose make you anxious or worried?",
    "Did you worry about your use of kratom?",
    "Did you wish you could stop?",
    "How difficult did you find it to stop, or go without kratom?",
)


def _interpret_sds(total: int, mean: float) -> tuple[str, tuple[CutoffInfo, ...]]:
    cutoffs = (
        _cutoff("heroin (Barcelona sample)", SDS_CUTOFF_HEROIN, total, "total", kratom=False),
        _cutoff("cocaine (Barcelona sample)", SDS_CUTOFF_COCAINE, total, "total", kratom=False),
        _cutoff(
            "opioids, benzodiazepines or z-hypnotics in hospitalised older adults",
            SDS_CUTOFF_OLDER_ADULTS_SEDATIVES_OPIOIDS,
            total,
            "total",
            kratom=False,
        ),
    )
    text = (
        f"SDS total {total} of 15; higher means more psychological dependence. There is no "
        "validated cut-off for kratom. For context only, cut-offs published for other drugs are "
        "3 or more (heroin), 4 or more (cocaine) and 6 or more (opioids, benzodiazepines or "
        "z-hypnotics in hospitalised older adults). Popular web bands such as '0–3 negligible' "
        "are not validated. The trend over months says more than one total."
    )
    return text, cutoffs


SDS = Questionnaire(
    id="sds",
    name="Severity of Dependence Scale",
    instructions=(
        "Think about your kratom use over the past year "
        "(some versions ask about the past 3 months)."
    ),
    items=tuple(
        Item(n, text, _SDS_DIFFICULTY if n == 5 else _SDS_FREQUENCY)
        for n, text in enumerate(_SDS_TEXTS, start=1)
    ),
    basis="total",
    source_ids=("gossop-1995-sds", "sds-barcelona-2009", "cheng-2019-sds"),
    interpret=_interpret_sds,
)

# --- Subjective Opiate Withdrawal Scale (Handelsman et al. 1987) --------------------------

_SOWS_OPTIONS = _options(["Not at all", "A little", "Moderately", "Quite a bit", "Extremely"])
_SOWS_TEXTS = (
    "I feel anxious",
    "I feel like yawning",
    "I am perspiring",
    "My eyes are teary",
    "My nose is running",
    "I have goosebumps",
    "I am shaking",
    "I have hot flushes",
    "I have cold flushes",
    "My bones and muscles ache",
    "I feel restless",
    "I feel nauseous",
    "I feel like vomiting",
    "My muscles twitch",
    "I have stomach cramps",
    "I feel like using now",
)


def _interpret_sows(total: int, mean: float) -> tuple[str, tuple[CutoffInfo, ...]]:
    anchor = _cutoff(
        "mean in 395 regular US kratom users (Rogers 2024)",
        SOWS_KRATOM_MEAN,
        total,
        "total",
        kratom=True,
    )
    relation = "above" if total > SOWS_KRATOM_MEAN.value else "at or below"
    text = (
        f"SOWS total {total} of 64; higher means more withdrawal symptoms right now. The sources "
        "give no validated severity bands for this scale. For context, 395 regular US kratom users "
        f"averaged {SOWS_KRATOM_MEAN.value} (SD {SOWS_KRATOM_SD}), described as mild to moderate; "
        f"this total is {relation} that average. This is the 16-item SOWS, not the 10-item Short "
        "Opiate Withdrawal Scale or the clinician-rated COWS."
    )
    return text, (anchor,)


SOWS = Questionnaire(
    id="sows",
    name="Subjective Opiate Withdrawal Scale",
    instructions="Rate each item by how you feel now.",
    items=tuple(Item(n, text, _SOWS_OPTIONS) for n, text in enumerate(_SOWS_TEXTS, start=1)),
    basis="total",
    source_ids=("handelsman-1987-sows", "rogers-2024"),
    interpret=_interpret_sows,
)

# --- Fatigue Severity Scale (Krupp et al. 1989) -------------------------------------------

_FSS_OPTIONS = _options(["Strongly disagree", "2", "3", "4", "5", "6", "Strongly agree"], start=1)
# Speciosa's paraphrase of the nine FSS items (same order and meaning, not the published
# wording, which is copyrighted; see the module docstring).
_FSS_TEXTS = (
    "When I feel fatigued, I have less drive to do things.",
    "Physical exercise leaves me fatigued.",
    "I tire quickly.",
    "Fatigue limits what I can do physically.",
    "Fatigue often causes me problems.",
    "Fatigue stops me keeping up physical activity for long.",
    "Fatigue gets in the way of some of my duties and responsibilities.",
    "Fatigue is one of the three symptoms that limit me most.",
    "Fatigue affects my work, my family life or my social life.",
)
FSS_PARAPHRASE_NOTE = (
    "These statements are Speciosa's paraphrase of the Fatigue Severity Scale items (Krupp et "
    "al. 1989), not the published wording, which is copyrighted; they keep the order, meaning "
    "and scoring of the original."
)


def _interpret_fss(total: int, mean: float) -> tuple[str, tuple[CutoffInfo, ...]]:
    by_mean = _cutoff("mean score (usual scoring)", FSS_MEAN_CUTOFF, mean, "mean", kratom=False)
    by_sum = _cutoff("sum score (Kos 2006)", FSS_SUM_CUTOFF, total, "total", kratom=False)
    verdict = "reaches" if by_mean.reached else "is below"
    text = (
        f"FSS mean {mean:.2f} on a 1–7 scale (sum {total} of 63). Usual scoring: a mean of 4 or "
        f"more indicates clinically relevant fatigue, and this score {verdict} it. Some studies "
        "use the sum instead, with 36 or more as the cut-off (Kos 2006); for 9 items the two "
        "agree. The cut-offs were set in other illnesses, not in kratom users."
    )
    return text, (by_mean, by_sum)


FSS = Questionnaire(
    id="fss",
    name="Fatigue Severity Scale",
    instructions=(
        "For each statement, pick how much you agree, thinking about the past week. "
        + FSS_PARAPHRASE_NOTE
    ),
    items=tuple(Item(n, text, _FSS_OPTIONS) for n, text in enumerate(_FSS_TEXTS, start=1)),
    basis="mean",
    source_ids=("krupp-1989-fss", "pmc3599447-fss", "kos-2006-fss"),
    interpret=_interpret_fss,
)

# --- PEG (Krebs et al. 2009); items follow the three domains the paper names ---------------


def _scale_0_10(low: str, high: str) -> tuple[AnswerOption, ...]:
    return _options([low, *(str(n) for n in range(1, 10)), high])


_PEG_ITEMS = (
    Item(
        1,
        "What number best describes your pain on average in the past week?",
        _scale_0_10("No pain", "Pain as bad as you can imagine"),
    ),
    Item(
        2,
        "What number best describes how, during the past week, pain has interfered with "
        "your enjoyment of life?",
        _scale_0_10("Does not interfere", "Completely interferes"),
    ),
    Item(
        3,
        "What number best describes how, during the past week, pain has interfered with "
        "your general activity?",
        _scale_0_10("Does not interfere", "Completely interferes"),
    ),
)


def _interpret_peg(total: int, mean: float) -> tuple[str, tuple[CutoffInfo, ...]]:
    text = (
        f"PEG score {mean:.1f} of 10: the average of pain, interference with enjoyment of life "
        "and interference with general activity over the past week. Compare it with your "
        "baseline: CDC reads a 30% improvement as clinically meaningful."
    )
    return text, ()


PEG = Questionnaire(
    id="peg",
    name="PEG (Pain, Enjoyment of life, General activity)",
    instructions="Answer each question with a number from 0 to 10, thinking about the past week.",
    items=_PEG_ITEMS,
    basis="mean",
    source_ids=("krebs-2009-peg", "cdc-opioid-pocket-guide"),
    interpret=_interpret_peg,
)

QUESTIONNAIRES: dict[str, Questionnaire] = {q.id: q for q in (SDS, SOWS, FSS, PEG)}


@dataclass(frozen=True, slots=True)
class PegChange:
    """PEG now against a baseline; improvement is positive when the score fell."""

    baseline: float
    current: float
    improvement_percent: float | None
    meaningful: bool | None
    text: str
    source_ids: tuple[str, ...] = PEG_MEANINGFUL_PERCENT.source_ids


def peg_change(baseline: float, current: float) -> PegChange:
    """Read a PEG change against CDC's 30% improvement; undefined from a baseline of 0."""
    for field, value in (("baseline", baseline), ("current", current)):
        if isinstance(value, bool) or not 0 <= value <= 10:
            raise InstrumentInputError(field, value, "must be a PEG score from 0 to 10")
    change = percent_change(baseline, current)
    if change is None:
        return PegChange(
            baseline,
            current,
            None,
            None,
            "Percent improvement is undefined because the baseline PEG score was 0.",
        )
    improvement = -change
    meaningful = PEG_MEANINGFUL_PERCENT.reached(improvement)
    if improvement > 0:
        moved = f"improved by {improvement:.0f}%"
    elif improvement < 0:
        moved = f"got {-improvement:.0f}% worse"
    else:
        moved = "did not change"
    verdict = "reaches" if meaningful else "does not reach"
    text = (
        f"PEG {moved} (from {baseline:.1f} to {current:.1f}); this {verdict} the 30% improvement "
        "CDC reads as clinically meaningful."
    )
    return PegChange(baseline, current, improvement, meaningful, text)
