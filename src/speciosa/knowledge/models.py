"""Pydantic models for the knowledge files: the shape each YAML entry must have.

Models are strict (unknown keys are refused) and frozen, because the loaded knowledge is
cached and shared by every caller. Cross-file rules (source ids exist, seed ids point at
consumer articles) are checked by the loader, which sees all files at once.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

SourceId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
SourceIds = Annotated[tuple[SourceId, ...], Field(min_length=1)]

SourceKind = Literal[
    "randomized_trial",
    "observational_study",
    "survey",
    "case_series",
    "regulator_statement",
    "clinical_guideline",
    "consumer_article",
    "review",
    "laboratory_study",
    "classification",
]
ConditionId = Literal[
    "fibromyalgia", "chronic_pain", "migraine", "muscle_soreness", "chronic_fatigue"
]
CONDITIONS: tuple[ConditionId, ...] = (
    "fibromyalgia",
    "chronic_pain",
    "migraine",
    "muscle_soreness",
    "chronic_fatigue",
)
Strength = Literal["none", "very_low", "low", "moderate", "high"]
Verdict = Literal["supported", "mixed", "unsupported", "unknown"]
Severity = Literal["info", "caution", "warning", "urgent"]
InstrumentId = Literal[
    "dose_log",
    "pain_nrs",
    "peg",
    "csd_sleep_diary",
    "fss",
    "fatigue_nrs",
    "soreness_nrs",
    "headache_diary",
    "bowel_diary",
    "side_effects",
    "sds",
    "sows",
]
Frequency = Literal["per_event", "daily", "weekly", "monthly"]
SubstanceClassId = Literal[
    "alcohol",
    "benzodiazepine",
    "z_drug",
    "opioid",
    "gabapentinoid",
    "sedating_antihistamine",
    "muscle_relaxant",
    "other_cns_depressant",
    "stimulant",
    "cannabis",
    "serotonergic",
    "other_antidepressant",
    "paracetamol",
    "other",
    "cyp3a_substrate",
    "concentrated_7oh",
    "seizure_threshold",
    "cyp2d6_substrate",
    "cyp3a_modulator",
]
ReferenceTopic = Literal[
    "dose_band",
    "onset",
    "duration",
    "time_to_peak",
    "half_life",
    "steady_state",
    "alkaloid_content",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    """One entry in the source registry.

    ``verified`` is True only when the citation as written (authors, title, journal, year,
    volume, pages) and the figures Speciosa takes from the source were seen in a stored copy
    of the source or of a bibliographic record; ``limits`` says when that copy was secondary.
    The loader refuses an unverified source that anything shown to a person cites.
    ``licence`` records the reuse terms of an instrument's wording (questionnaire items,
    scale descriptions) as far as they could be confirmed.
    """

    id: SourceId
    citation: Text
    kind: SourceKind
    limits: Text
    verified: bool = False
    licence: Text | None = None
    link: Annotated[str, StringConstraints(pattern=r"^https://\S+$")] | None = None


class Cited(_Model):
    """A sentence with the sources that support it."""

    text: Text
    source_ids: SourceIds


class GuideTip(Cited):
    """A suggestion from a seed guide, linked to the claim that carries its verdict.

    Front ends show ``knowledge.claims[tip.claim_id].verdict`` (and its ``explanation``)
    next to ``tip.text``; :meth:`speciosa.knowledge.Knowledge.claim_for` does the lookup.
    """

    claim_id: SourceId


class TrackingItem(_Model):
    """What Speciosa asks the person to record for a condition, and how often."""

    instrument: InstrumentId
    frequency: Frequency
    why: Text
    source_ids: SourceIds


class Evidence(_Model):
    """What the evidence says for a condition, with a strength label."""

    strength: Strength
    summary: Text
    source_ids: SourceIds


class Protocol(_Model):
    """A condition's guide suggestions, tracking plan, evidence and cautions."""

    condition: ConditionId
    title: Text
    seed_source_ids: SourceIds
    guides_suggest: Annotated[tuple[GuideTip, ...], Field(min_length=1)]
    tracking: Annotated[tuple[TrackingItem, ...], Field(min_length=1)]
    evidence: Evidence
    cautions: Annotated[tuple[Cited, ...], Field(min_length=1)]


class Claim(_Model):
    """A claim from a seed article and what the evidence says about it."""

    id: SourceId
    seed_source_ids: SourceIds
    claim: Text
    verdict: Verdict
    explanation: Text
    evidence_source_ids: SourceIds


class SeedClaim(_Model):
    """One claim a seed guide makes, found by reading the guide, and the claim that judges it.

    ``quote`` is a short verbatim phrase from the seed so a reviewer can find the claim in
    the article; it is for tracing, never for display (it may contain the guide's dosing
    advice). ``claim_id`` names the entry in claims.yaml with the verdict; a seed claim
    without one is refused by the loader, so no claim from a guide goes unjudged.
    """

    seed: SourceId
    quote: Text
    claim_id: SourceId | None = None


class ReferenceEntry(_Model):
    """A literature figure (dose band, onset, half-life...), never advice."""

    id: SourceId
    topic: ReferenceTopic
    label: Text
    low: Annotated[float, Field(ge=0)] | None = None
    high: Annotated[float, Field(ge=0)] | None = None
    unit: Text
    statement: Text
    caveat: Text | None = None
    source_ids: SourceIds
    display_note: Text

    @model_validator(mode="after")
    def _low_not_above_high(self) -> Self:
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low}) must not be above high ({self.high})")
        if self.low is None and self.high is None:
            raise ValueError("give at least one of low or high")
        return self


class Interaction(_Model):
    """What Speciosa says when kratom is combined with a substance class."""

    substance_class: SubstanceClassId
    severity: Severity
    title: Text
    explanation: Text
    what_to_do: Text
    by_analogy: bool
    source_ids: SourceIds


class MedicineList(_Model):
    """A short, explicitly non-exhaustive list of medicine names (generic and brand, lower
    case) that share a property a rule checks; ``note`` says where the membership comes from."""

    label: Text
    note: Text
    source_ids: SourceIds
    medicines: Annotated[tuple[Text, ...], Field(min_length=1)]


class Cyp3aExamples(MedicineList):
    """A short, explicitly non-exhaustive list of CYP3A-metabolised medicines."""


class MedicineLists(_Model):
    """The name lists in interactions.yaml beside the CYP3A examples.

    ``serotonergic`` names medicines outside the serotonergic class that are serotonergic
    too (tramadol); ``seizure_threshold`` those commonly listed as lowering the seizure
    threshold (tramadol, bupropion); ``cyp2d6_substrate`` those broken down or activated by
    CYP2D6; ``cyp3a_modulator`` those that block or speed up CYP3A (and so may change how
    much 7-OH forms from mitragynine).
    """

    serotonergic: MedicineList
    seizure_threshold: MedicineList
    cyp2d6_substrate: MedicineList
    cyp3a_modulator: MedicineList


class InteractionsFile(_Model):
    """The top level of interactions.yaml."""

    classes: tuple[Interaction, ...]
    cyp3a_examples: Cyp3aExamples
    medicine_lists: MedicineLists
