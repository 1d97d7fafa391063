"""Bristol Stool Form Scale and a Rome IV-style constipation pattern from a bowel diary.

The Bristol scale (Lewis & Heaton 1997) rates stool form 1–7; Rome IV reads types 1–2 as
hard and 6–7 as loose. The descriptions in ``BRISTOL_TYPES`` are Speciosa's paraphrase: reuse
terms for the published wording could not be confirmed (see the ``licence`` of
``lewis-heaton-1997`` in sources.yaml); the types and their numbers are unchanged.

The Rome IV symptom pattern for constipation is two or more of six features: straining,
hard stools, incomplete evacuation, blockage, or manual manoeuvres in *more than* 25% of
defecations, or fewer than 3 spontaneous bowel movements a week.

What this module reports is a *pattern in a diary*, never a diagnosis: Rome IV also needs
3 months of symptoms (onset 6 months before) and a clinician ruling out other causes.
The opioid-induced constipation (OIC) check is an analogy: Rome IV OIC is defined for
opioid therapy, and kratom is not named in Rome IV.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from speciosa.instruments.errors import InstrumentInputError
from speciosa.knowledge.thresholds import (
    BRISTOL_HARD_MAX,
    BRISTOL_LOOSE_MIN,
    ROME_IV_FEATURE_SHARE,
    ROME_IV_MIN_FEATURES,
    ROME_IV_SBM_PER_WEEK,
)

SOURCE_IDS: tuple[str, ...] = ("lewis-heaton-1997", "rome-iv-2016")
MIN_WINDOW = timedelta(days=7)  # engineering choice: "per week" needs at least a week of diary

BRISTOL_TYPES: dict[int, str] = {
    1: "Small hard lumps, each separate; difficult to pass",
    2: "Lumpy and formed into one long piece",
    3: "One long formed piece with a cracked surface",
    4: "One long piece, smooth and soft",
    5: "Soft separate pieces with sharp edges; easy to pass",
    6: "Mushy, loose pieces with ragged edges",
    7: "Entirely liquid, with no solid pieces",
}

FEATURE_LABELS: dict[str, str] = {
    "straining": "straining",
    "hard_stools": "lumpy or hard stools (Bristol 1–2)",
    "incomplete": "sensation of incomplete evacuation",
    "blockage": "sensation of blockage",
    "manual": "manual manoeuvres to help",
    "few_spontaneous": "fewer than 3 spontaneous bowel movements a week",
}


class BowelMovementLike(Protocol):
    """Anything with the bowel-diary fields (the journal's Bowel entry fits)."""

    @property
    def at(self) -> datetime: ...
    @property
    def bristol(self) -> int: ...
    @property
    def straining(self) -> bool: ...
    @property
    def incomplete(self) -> bool: ...
    @property
    def blockage(self) -> bool: ...
    @property
    def manual(self) -> bool: ...
    @property
    def spontaneous(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class BowelMovement:
    """One bowel movement; ``spontaneous`` is False when a laxative or enema caused it."""

    at: datetime
    bristol: int
    straining: bool = False
    incomplete: bool = False
    blockage: bool = False
    manual: bool = False
    spontaneous: bool = True


@dataclass(frozen=True, slots=True)
class FeatureResult:
    """One of the six Rome IV features: its share of defecations (or weekly rate) and verdict."""

    feature: str
    label: str
    count: int | None  # movements with the feature; None for the weekly-rate feature
    share: float | None  # percent of movements; None with no movements or for the rate feature
    present: bool


@dataclass(frozen=True, slots=True)
class RomeIVSummary:
    """A Rome IV-style summary of one diary window."""

    start: datetime
    end: datetime
    days: float
    movements: int
    spontaneous: int
    spontaneous_per_week: float
    features: tuple[FeatureResult, ...]
    loose_share: float | None
    meets_pattern: bool
    text: str
    source_ids: tuple[str, ...] = SOURCE_IDS

    @property
    def features_present(self) -> tuple[str, ...]:
        """The names of the features present in this window."""
        return tuple(result.feature for result in self.features if result.present)


def bristol_description(bristol: int) -> str:
    """A plain description of a Bristol type (Speciosa's paraphrase of Lewis & Heaton)."""
    _check_bristol(bristol, "bristol")
    return BRISTOL_TYPES[bristol]


def is_hard(bristol: int) -> bool:
    """Bristol 1–2: the hard or lumpy stools Rome IV counts."""
    _check_bristol(bristol, "bristol")
    return BRISTOL_HARD_MAX.reached(bristol)


def is_loose(bristol: int) -> bool:
    """Bristol 6–7: the loose stools Rome IV expects to be rare without laxatives."""
    _check_bristol(bristol, "bristol")
    return BRISTOL_LOOSE_MIN.reached(bristol)


def rome_iv_summary(
    movements: Iterable[BowelMovementLike], *, start: datetime, end: datetime
) -> RomeIVSummary:
    """Summarise the movements in ``[start, end)`` against the six Rome IV features."""
    days = _window_days(start, end)
    inside = [m for m in movements if _in_window(m, start, end)]
    for index, movement in enumerate(inside):
        _check_bristol(movement.bristol, f"movements[{index}].bristol")
    spontaneous = sum(1 for m in inside if m.spontaneous)
    per_week = spontaneous / (days / 7)
    features = (
        *_share_features(inside),
        FeatureResult(
            "few_spontaneous",
            FEATURE_LABELS["few_spontaneous"],
            None,
            None,
            ROME_IV_SBM_PER_WEEK.reached(per_week),
        ),
    )
    meets = ROME_IV_MIN_FEATURES.reached(sum(f.present for f in features))
    loose = _share(sum(is_loose(m.bristol) for m in inside), len(inside))
    return RomeIVSummary(
        start=start,
        end=end,
        days=days,
        movements=len(inside),
        spontaneous=spontaneous,
        spontaneous_per_week=per_week,
        features=features,
        loose_share=loose,
        meets_pattern=meets,
        text=_summary_text(features, meets, per_week, loose),
    )


def _share_features(inside: list[BowelMovementLike]) -> tuple[FeatureResult, ...]:
    flags = {
        "straining": [m.straining for m in inside],
        "hard_stools": [is_hard(m.bristol) for m in inside],
        "incomplete": [m.incomplete for m in inside],
        "blockage": [m.blockage for m in inside],
        "manual": [m.manual for m in inside],
    }
    results = []
    for name, values in flags.items():
        count = sum(values)
        share = _share(count, len(values))
        present = share is not None and ROME_IV_FEATURE_SHARE.reached(share)
        results.append(FeatureResult(name, FEATURE_LABELS[name], count, share, present))
    return tuple(results)


def _share(count: int, total: int) -> float | None:
    return None if total == 0 else count / total * 100


def _summary_text(
    features: tuple[FeatureResult, ...], meets: bool, per_week: float, loose: float | None
) -> str:
    present = [f.label for f in features if f.present]
    listed = "; ".join(present) if present else "none"
    verdict = (
        "This meets the Rome IV symptom pattern for constipation (2 or more features). It is a "
        "pattern in your diary, not a diagnosis: Rome IV also needs symptoms over 3 months and a "
        "clinician to rule out other causes."
        if meets
        else "This does not meet the Rome IV symptom pattern for constipation (2 or more features)."
    )
    text = (
        f"Features present in more than 25% of bowel movements (or fewer than 3 spontaneous a "
        f"week): {listed}. Spontaneous bowel movements: {per_week:.1f} a week. {verdict}"
    )
    if loose:
        text += f" Loose stools (Bristol 6–7) were {loose:.0f}% of movements."
    return text


def _window_days(start: datetime, end: datetime) -> float:
    for field, value in (("start", start), ("end", end)):
        if value.tzinfo is None or value.utcoffset() is None:
            raise InstrumentInputError(field, value.isoformat(), "must include a timezone")
    length = end.astimezone(UTC) - start.astimezone(UTC)
    if length < MIN_WINDOW:
        raise InstrumentInputError(
            "end", end.isoformat(), "the window must span at least 7 days after start"
        )
    return length.total_seconds() / 86400


def _in_window(movement: BowelMovementLike, start: datetime, end: datetime) -> bool:
    if movement.at.tzinfo is None or movement.at.utcoffset() is None:
        raise InstrumentInputError("at", movement.at.isoformat(), "must include a timezone")
    return start.astimezone(UTC) <= movement.at.astimezone(UTC) < end.astimezone(UTC)


def _check_bristol(bristol: int, field: str) -> None:
    if isinstance(bristol, bool) or not isinstance(bristol, int) or not 1 <= bristol <= 7:
        raise InstrumentInputError(field, bristol, "must be a Bristol type from 1 to 7")


# --- opioid-induced constipation, by analogy ------------------------------------------------

OIC_ANALOGY_NOTE = (
    "By analogy only: Rome IV defines opioid-induced constipation for starting, changing or "
    "increasing opioid therapy; kratom is not named in Rome IV."
)


@dataclass(frozen=True, slots=True)
class OICPatternCheck:
    """Whether a constipation pattern is new or worse after a dose increase (an analogy)."""

    baseline: RomeIVSummary
    after: RomeIVSummary
    new_pattern: bool
    worse_pattern: bool
    text: str
    is_analogy: bool = True
    source_ids: tuple[str, ...] = ("rome-iv-2016",)

    @property
    def new_or_worse(self) -> bool:
        """The OIC-style pattern: new, or worse than in the baseline window."""
        return self.new_pattern or self.worse_pattern


def oic_pattern(baseline: RomeIVSummary, after: RomeIVSummary) -> OICPatternCheck:
    """Compare a window after a dose increase with a baseline window before it.

    *New* means the pattern is met after but not before; *worse* means it is met in both and
    more of the six features are present after.
    """
    if after.start.astimezone(UTC) < baseline.end.astimezone(UTC):
        raise InstrumentInputError(
            "after.start",
            after.start.isoformat(),
            "the after window must start when the baseline ends or later",
        )
    new = after.meets_pattern and not baseline.meets_pattern
    worse = (
        after.meets_pattern
        and baseline.meets_pattern
        and len(after.features_present) > len(baseline.features_present)
    )
    return OICPatternCheck(
        baseline=baseline,
        after=after,
        new_pattern=new,
        worse_pattern=worse,
        text=_oic_text(baseline, after, new, worse),
    )


def oic_pattern_around(
    movements: Iterable[BowelMovementLike],
    *,
    change_at: datetime,
    baseline_start: datetime,
    after_end: datetime,
) -> OICPatternCheck:
    """Split one diary at the dose increase ``change_at`` and compare the two windows."""
    listed = list(movements)
    baseline = rome_iv_summary(listed, start=baseline_start, end=change_at)
    after = rome_iv_summary(listed, start=change_at, end=after_end)
    return oic_pattern(baseline, after)


def _oic_text(baseline: RomeIVSummary, after: RomeIVSummary, new: bool, worse: bool) -> str:
    counts = (
        f"{len(baseline.features_present)} of 6 features before, "
        f"{len(after.features_present)} of 6 after"
    )
    if new:
        finding = "A constipation pattern appeared after the dose increase"
    elif worse:
        finding = "The constipation pattern got worse after the dose increase"
    else:
        finding = "No new or worse constipation pattern after the dose increase"
    return f"{finding} ({counts}). {OIC_ANALOGY_NOTE} This is a pattern, not a diagnosis."
