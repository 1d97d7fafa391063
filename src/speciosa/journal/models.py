"""What a person records, as validated models.

One schema per direction: ``*Create``-style input is the entry models themselves
(they validate everything a person can get wrong); stored entries come back wrapped
in :class:`StoredEntry` with the id, uid and provenance the store adds.

Every entry carries ``at`` (an aware instant, kept in UTC) and ``zone`` (the IANA zone
it was recorded in), so that ``journal.clock`` can place it on the right day and night.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    model_validator,
)

from speciosa.errors import FieldProblem, InvalidInput
from speciosa.journal import clock
from speciosa.journal.catalogues import (
    Condition,
    Goal,
    HeadacheFeature,
    HealthCondition,
    Intensity,
    ProductForm,
    SubstanceClass,
    Symptom,
)
from speciosa.journal.units import Unit, parse_amount


def _valid_zone(name: str) -> str:
    try:
        clock.zone(name)
    except InvalidInput as exc:  # pydantic reports ValueErrors against the field
        raise ValueError(exc.allowed) from exc
    return name


def _as_utc(instant: datetime) -> datetime:
    return clock.utc(instant)


def _valid_wall_time(text: str) -> str:
    try:
        return clock.parse_wall_time(text, "time").strftime("%H:%M")
    except InvalidInput as exc:
        raise ValueError(exc.allowed) from exc


ZoneName = Annotated[str, AfterValidator(_valid_zone)]
Instant = Annotated[AwareDatetime, AfterValidator(_as_utc)]
WallTime = Annotated[str, AfterValidator(_valid_wall_time)]
Score10 = Annotated[int, Field(ge=0, le=10, description="0-10")]
Grams = Annotated[float, Field(gt=0, le=1000)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]
Note = Annotated[str | None, Field(default=None, max_length=4000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --------------------------------------------------------------------------- profile


class Medication(Strict):
    """A regular medicine the person takes; its class drives interaction warnings."""

    name: ShortText
    substance_class: SubstanceClass = SubstanceClass.OTHER


class Limits(Strict):
    """The person's own limits (optionally agreed with a clinician); never a recommendation."""

    grams_per_day: Grams | None = None
    doses_per_day: Annotated[int, Field(ge=1, le=50)] | None = None
    use_days_per_week: Annotated[int, Field(ge=0, le=7)] | None = None
    agreed_with_clinician: bool = False


def _valid_amount(text: str) -> str:
    try:
        return str(parse_amount(text))
    except InvalidInput as exc:
        raise ValueError(exc.allowed) from exc


class UsualDose(Strict):
    """The dose the person saved to log in one tap (Today, the home-screen shortcut).

    Their own choice, kept as they typed it ("2 caps"); never suggested by Speciosa."""

    amount: Annotated[str, AfterValidator(_valid_amount)]
    product: ShortText | None = None


class Profile(Strict):
    timezone: ZoneName = "UTC"
    bedtime: WallTime = "23:00"
    wake_time: WallTime = "07:00"
    conditions: tuple[Condition, ...] = ()
    goals: tuple[Goal, ...] = ()
    limits: Limits = Limits()
    medications: tuple[Medication, ...] = ()
    pregnant_or_breastfeeding: bool = False
    # What a clinician asks about (seizure, breathing and liver risk). Profiles saved before
    # these fields existed load with the defaults: the profile is one JSON document.
    health_conditions: tuple[HealthCondition, ...] = ()
    birth_year: Annotated[int, Field(ge=1900, le=2100)] | None = Field(
        default=None, description="for age-related risk (older age); the year only"
    )
    usual_dose: UsualDose | None = None


# --------------------------------------------------------------------------- products


class LabResult(Strict):
    """A certificate of analysis (COA) for one batch."""

    lab: ShortText | None = None
    tested_on: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None
    mitragynine_mg_per_g: Annotated[float, Field(ge=0, le=1000)] | None = None
    hydroxymitragynine_mg_per_g: Annotated[float, Field(ge=0, le=1000)] | None = None
    heavy_metals_pass: bool | None = None
    microbial_pass: bool | None = None
    passed: bool | None = None


class Batch(Strict):
    code: ShortText
    bought_on: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None
    lab: LabResult | None = None


class Product(Strict):
    name: ShortText
    vendor: ShortText | None = None
    vein: ShortText | None = Field(
        default=None, description="vein colour or label, e.g. red, green, white"
    )
    form: ProductForm = ProductForm.POWDER
    grams_per_capsule: Annotated[float, Field(gt=0, le=5)] | None = None
    grams_per_teaspoon: Annotated[float, Field(gt=0, le=20)] | None = None
    grams_per_tablespoon: Annotated[float, Field(gt=0, le=60)] | None = None
    batches: tuple[Batch, ...] = ()
    note: Note = None


# --------------------------------------------------------------------------- entries


class EntryBase(Strict):
    kind: str
    at: Instant
    zone: ZoneName
    note: Note = None


class Dose(EntryBase):
    kind: Literal["dose"] = "dose"
    amount: Annotated[float, Field(gt=0, le=10000)]
    unit: Unit = Unit.GRAM
    product: ShortText | None = None
    batch: ShortText | None = None
    grams: Grams | None = Field(
        default=None, description="filled from amount and product when stored"
    )

    @model_validator(mode="after")
    def _grams_match_unit(self) -> Self:
        if (
            self.unit is Unit.GRAM
            and self.grams is not None
            and abs(self.grams - self.amount) > 1e-9
        ):
            raise FieldProblem("grams", self.grams, f"must equal the amount ({self.amount} g)")
        return self


class Sleep(EntryBase):
    """One night of the Consensus Sleep Diary (core items, plus evening items).

    ``at`` is the moment the person got into bed; it decides the night.
    """

    kind: Literal["sleep"] = "sleep"
    tried_to_sleep: Instant
    minutes_to_fall_asleep: Annotated[int, Field(ge=0, le=24 * 60)]
    # Counts the person left empty stay empty (None), never a recorded 0.
    awakenings: Annotated[int, Field(ge=0, le=100)] | None = None
    minutes_awake_in_night: Annotated[int, Field(ge=0, le=24 * 60)] = 0
    final_awakening: Instant
    out_of_bed: Instant
    terminal_wake_minutes: Annotated[int, Field(ge=0, le=24 * 60)] | None = None
    quality: Annotated[int, Field(ge=1, le=5, description="1 very poor .. 5 very good")] | None = (
        None
    )
    rested: (
        Annotated[int, Field(ge=1, le=5, description="1 not at all .. 5 very well-rested")] | None
    ) = None
    naps: Annotated[int, Field(ge=0, le=20)] | None = None
    nap_minutes: Annotated[int, Field(ge=0, le=24 * 60)] | None = None
    alcohol_drinks: Annotated[int, Field(ge=0, le=50)] | None = None
    caffeine_drinks: Annotated[int, Field(ge=0, le=50)] | None = None
    sleep_aids: tuple[ShortText, ...] = ()

    @model_validator(mode="after")
    def _night_in_order(self) -> Self:
        if self.tried_to_sleep < self.at:
            raise FieldProblem(
                "tried_to_sleep",
                clock.iso_utc(self.tried_to_sleep),
                "must not be before getting into bed",
            )
        if self.final_awakening <= self.tried_to_sleep:
            raise FieldProblem(
                "final_awakening",
                clock.iso_utc(self.final_awakening),
                "must come after the time you tried to sleep (wake before bed)",
            )
        if self.out_of_bed < self.final_awakening:
            raise FieldProblem(
                "out_of_bed",
                clock.iso_utc(self.out_of_bed),
                "must not be before the final awakening",
            )
        if self.out_of_bed - self.at > timedelta(hours=24):
            raise FieldProblem(
                "out_of_bed",
                clock.iso_utc(self.out_of_bed),
                "must be within 24 hours of getting into bed",
            )
        window = (self.final_awakening - self.tried_to_sleep).total_seconds() / 60
        if self.minutes_to_fall_asleep > window:
            # Blame what the person typed: the latency alone is already too long.
            raise FieldProblem(
                "minutes_to_fall_asleep",
                self.minutes_to_fall_asleep,
                f"must fit between trying to sleep and the final awakening ({window:.0f} min)",
            )
        if self.minutes_to_fall_asleep + self.minutes_awake_in_night > window:
            raise FieldProblem(
                "minutes_awake_in_night",
                self.minutes_awake_in_night,
                "minutes to fall asleep plus minutes awake must fit between trying to sleep "
                f"and the final awakening ({window:.0f} min)",
            )
        return self


class Pain(EntryBase):
    kind: Literal["pain"] = "pain"
    score: Score10
    sites: tuple[ShortText, ...] = ()
    interference: Score10 | None = None


class Headache(EntryBase):
    """A headache episode; ``at`` is its start."""

    kind: Literal["headache"] = "headache"
    end: Instant | None = None
    peak: Score10
    features: tuple[HeadacheFeature, ...] = ()
    acute_medication: tuple[ShortText, ...] = ()

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.end is not None and self.end < self.at:
            raise FieldProblem(
                "end", clock.iso_utc(self.end), "must not be before the headache started"
            )
        return self


class Fatigue(EntryBase):
    kind: Literal["fatigue"] = "fatigue"
    score: Score10
    energy: Score10 | None = None


class Soreness(EntryBase):
    kind: Literal["soreness"] = "soreness"
    score: Score10
    sites: tuple[ShortText, ...] = ()


class Workout(EntryBase):
    kind: Literal["workout"] = "workout"
    activity: ShortText
    minutes: Annotated[int, Field(gt=0, le=24 * 60)]
    intensity: Intensity = Intensity.MODERATE


class Bowel(EntryBase):
    """A bowel movement on the Bristol Stool Form Scale with the Rome IV features."""

    kind: Literal["bowel"] = "bowel"
    bristol: Annotated[int, Field(ge=1, le=7, description="Bristol type 1-7")]
    straining: bool = False
    incomplete: bool = False
    blockage: bool = False
    manual: bool = False
    spontaneous: bool = Field(default=True, description="false when a laxative or enema caused it")


class SideEffect(EntryBase):
    kind: Literal["side_effect"] = "side_effect"
    symptom: Symptom
    # None when the person did not say: a default severity would invent data.
    severity: (
        Annotated[int, Field(ge=1, le=3, description="1 mild, 2 moderate, 3 severe")] | None
    ) = None


class Substance(EntryBase):
    """Another substance or medication taken (alcohol, a sleeping pill, coffee...)."""

    kind: Literal["substance"] = "substance"
    name: ShortText
    substance_class: SubstanceClass = SubstanceClass.OTHER
    amount: Annotated[str, Field(max_length=100)] | None = None


class Questionnaire(EntryBase):
    """A completed questionnaire: its item answers and the total it scored."""

    kind: Literal["questionnaire"] = "questionnaire"
    instrument: Annotated[str, Field(pattern=r"^[a-z0-9_-]{2,40}$")]
    items: tuple[Annotated[int, Field(ge=0, le=100)], ...]
    score: float | None = None


Entry = Annotated[
    Dose
    | Sleep
    | Pain
    | Headache
    | Fatigue
    | Soreness
    | Workout
    | Bowel
    | SideEffect
    | Substance
    | Questionnaire,
    Field(discriminator="kind"),
]

ENTRY_TYPES: dict[str, type[EntryBase]] = {
    model.model_fields["kind"].default: model
    for model in (
        Dose,
        Sleep,
        Pain,
        Headache,
        Fatigue,
        Soreness,
        Workout,
        Bowel,
        SideEffect,
        Substance,
        Questionnaire,
    )
}
KINDS: tuple[str, ...] = tuple(ENTRY_TYPES)


class StoredEntry(Strict):
    """An entry as the store keeps it: with its id, stable uid and provenance."""

    id: int
    uid: str
    source: str
    source_key: str
    created_at: Instant
    updated_at: Instant
    entry: Entry
    deleted_at: Instant | None = None  # set while deleted (undo can bring it back)


# Built once: constructing a TypeAdapter compiles a validator, far too slow per entry.
ENTRY_ADAPTER: TypeAdapter[EntryBase] = TypeAdapter(Entry)


def entry_from_dict(data: dict[str, Any]) -> EntryBase:
    """Validate a plain dict (from JSON, a form, a CLI edit) as the entry of its kind."""
    return ENTRY_ADAPTER.validate_python(data)
