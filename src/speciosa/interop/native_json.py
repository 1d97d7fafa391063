"""Speciosa's own JSON format: a complete, lossless copy of one person's journal.

Export -> import into an empty journal -> export gives byte-identical JSON: every entry
(deleted ones too: undo can still bring them back) keeps its uid, provenance and
timestamps, every wearable sample every field, every plan its whole history; output is
sorted and has no "exported at" stamp. Importing the same file twice adds nothing (entry
and plan uids are kept, device samples are deduplicated).

    {"format": "speciosa-journal", "version": 2,
     "excluded": ["accounts", "share links", ...],      # server data, never in the file
     "profile": {...} | null,
     "products": [{"uid": ..., "name": ..., "batches": [{"code": ..., "lab": {...}}]}, ...],
     "entries": [{"uid": ..., "source": ..., "source_key": ..., "created_at": ...,
                  "updated_at": ..., "deleted_at": null | "...Z",
                  "kind": "dose", "at": "2026-01-02T21:30:00Z",
                  "zone": "Europe/London", ...kind fields}, ...],
     "device_samples": [{"source": ..., "kind": "sleep_deep", "start": ..., "end": ...,
                         "utc_offset_minutes": 60, "zone": ..., "value": 81.0,
                         "unit": "min", "detail": null, ...every DeviceSample field}, ...],
     "plans": [{"uid": ..., "kind": "taper", "status": "running", "created_at": ...,
                "updated_at": ..., "plan": {...the plan now...},
                "versions": [{"sequence": 1, "action": "created", "created_at": ...,
                              "plan": {...the plan then...}}, ...]}, ...],
     "routine": {"morning_diary": {"on": true, "at": "07:30", "title": null}, ...} | null}

Questionnaire responses are entries (kind "questionnaire"). Instants are UTC with a "Z",
to the second, or to the microsecond when they have a fraction (a wearable's or another
app's timestamp). Version 1 files (no deleted entries, device samples or plans) are still
read, and so are version 2 files written before the routine (reminders) was exported.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from speciosa.errors import InvalidInput, UnreadableFile, from_validation_error
from speciosa.interop.damage import json_damage
from speciosa.interop.sinks import DeviceSink, JournalSink, PlanSink, RoutineSink
from speciosa.journal import clock
from speciosa.journal.device import DeviceSample
from speciosa.journal.models import ENTRY_ADAPTER, Instant, Product, Profile, StoredEntry
from speciosa.journal.routine import Routine
from speciosa.plans.kinds import Plan, PlanVersion, StoredPlan

FORMAT = "speciosa-journal"
VERSION = 2
# What a journal's database holds that is not the person's journal: never exported.
EXCLUDED = (
    "accounts",
    "share links",
    "share link access log",
    "sign-in sessions",
    "calendar feeds",
    "calendar feed access log",
)
# Device samples written per call (one multi-row INSERT each).
SAMPLES_PER_BATCH = 5000

_SAMPLE_FIELDS = tuple(f.name for f in dataclasses.fields(DeviceSample))
_SAMPLE_ADAPTER: TypeAdapter[DeviceSample] = TypeAdapter(DeviceSample)


class _ExportedProduct(Product):
    uid: str


class _Envelope(BaseModel):
    model_config = ConfigDict(extra="forbid")
    uid: str
    source: str
    source_key: str
    created_at: Instant
    updated_at: Instant
    deleted_at: Instant | None = None


class _ExportedVersion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sequence: int = Field(ge=1)
    action: str
    created_at: Instant
    plan: Annotated[Plan, Field(discriminator="kind")]


class _ExportedPlan(BaseModel):
    model_config = ConfigDict(extra="forbid")
    uid: str
    kind: str
    status: Literal["running", "ended"]
    created_at: Instant
    updated_at: Instant
    plan: Annotated[Plan, Field(discriminator="kind")]
    versions: list[_ExportedVersion]


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: Literal["speciosa-journal"]
    version: Literal[1, 2]
    excluded: list[str] = []
    profile: Profile | None
    products: list[_ExportedProduct]
    entries: list[dict[str, Any]]
    device_samples: list[dict[str, Any]] = []
    plans: list[_ExportedPlan] = []
    routine: Routine | None = None


@dataclass(frozen=True)
class ImportSummary:
    added: int
    skipped: int
    products_added: int
    profile_set: bool
    samples_added: int = 0
    plans_added: int = 0
    routine_set: bool = False


# --------------------------------------------------------------------------- export


def export_journal(
    store: JournalSink, devices: DeviceSink, plans: PlanSink, routine: RoutineSink | None = None
) -> str:
    """The whole journal as canonical JSON text (sorted, stable, newline-terminated)."""
    profile = store.profile()
    reminders = None if routine is None else routine.routine()
    products = [
        {"uid": store.product_uid(p.name), **p.model_dump(mode="json")} for p in store.products()
    ]
    entries = sorted(
        (_entry_json(e) for e in store.entries(include_deleted=True)),
        key=lambda e: (e["at"], e["uid"]),
    )
    samples = sorted((_sample_json(s) for s in devices.samples()), key=_sample_order)
    stored_plans = sorted(plans.all(), key=lambda p: (clock.utc(p.created_at), p.uid))
    document = {
        "format": FORMAT,
        "version": VERSION,
        "excluded": list(EXCLUDED),
        "profile": None if profile is None else profile.model_dump(mode="json"),
        "products": products,
        "entries": entries,
        "device_samples": samples,
        "plans": [_plan_json(p, plans.versions(p.id)) for p in stored_plans],
        "routine": None if reminders is None else reminders.model_dump(mode="json"),
    }
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def instant_text(instant: datetime) -> str:
    """An instant as the file writes it: UTC, 'Z', seconds (microseconds only when set)."""
    utc = clock.utc(instant)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if utc.microsecond else "%Y-%m-%dT%H:%M:%SZ")


def _entry_json(stored: StoredEntry) -> dict[str, Any]:
    body = stored.entry.model_dump(mode="json")
    body["at"] = instant_text(stored.entry.at)
    for name in ("tried_to_sleep", "final_awakening", "out_of_bed", "end"):
        if body.get(name) is not None:
            body[name] = instant_text(getattr(stored.entry, name))
    return {
        "uid": stored.uid,
        "source": stored.source,
        "source_key": stored.source_key,
        "created_at": instant_text(stored.created_at),
        "updated_at": instant_text(stored.updated_at),
        "deleted_at": None if stored.deleted_at is None else instant_text(stored.deleted_at),
        **body,
    }


def _sample_json(sample: DeviceSample) -> dict[str, Any]:
    # Every field of the dataclass, so a field added to DeviceSample is exported too.
    body: dict[str, Any] = {}
    for name in _SAMPLE_FIELDS:
        value = getattr(sample, name)
        if isinstance(value, datetime):
            value = instant_text(value)
        elif isinstance(value, date):
            value = value.isoformat()
        body[name] = value
    return body


def _sample_order(body: dict[str, Any]) -> tuple[str, ...]:
    whole = json.dumps(body, sort_keys=True)
    return (body["start"], body["end"], body["kind"], body["source"], whole)


def _plan_json(stored: StoredPlan, versions: Sequence[PlanVersion]) -> dict[str, Any]:
    return {
        "uid": stored.uid,
        "kind": stored.kind,
        "status": stored.status,
        "created_at": instant_text(stored.created_at),
        "updated_at": instant_text(stored.updated_at),
        "plan": stored.plan.model_dump(mode="json"),
        "versions": [
            {
                "sequence": v.sequence,
                "action": v.action,
                "created_at": instant_text(v.created_at),
                "plan": v.plan.model_dump(mode="json"),
            }
            for v in versions
        ],
    }


# --------------------------------------------------------------------------- import


def parse_document(text: str) -> _Document:
    """Validate a whole file before anything is written; errors name the entry."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(None, f"the JSON {json_damage(exc)}") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise InvalidInput(
            "format",
            raw.get("format") if isinstance(raw, dict) else None,
            f'a Speciosa journal has "format": "{FORMAT}"',
        )
    if raw.get("version") not in (1, 2):
        raise InvalidInput(
            "version",
            raw.get("version"),
            f"this Speciosa reads versions 1 and {VERSION}; a newer file needs a newer Speciosa",
        )
    try:
        document = _Document.model_validate(raw)
    except ValidationError as exc:
        raise from_validation_error(exc) from exc
    for index, item in enumerate(document.entries):
        _split(item, index)
    for index, item in enumerate(document.device_samples):
        _sample(item, index)
    return document


def _split(item: dict[str, Any], index: int) -> tuple[_Envelope, Any]:
    envelope_keys = set(_Envelope.model_fields)
    try:
        envelope = _Envelope.model_validate({k: item.get(k) for k in envelope_keys})
        entry = ENTRY_ADAPTER.validate_python(
            {k: v for k, v in item.items() if k not in envelope_keys}
        )
    except ValidationError as exc:
        raise from_validation_error(exc, prefix=f"entries[{index}]") from exc
    return envelope, entry


def _sample(item: dict[str, Any], index: int) -> DeviceSample:
    where = f"device_samples[{index}]"
    unknown = sorted(set(item) - set(_SAMPLE_FIELDS))
    if unknown:
        raise InvalidInput(f"{where}.{unknown[0]}", item[unknown[0]], "is not a sample field")
    try:
        sample = _SAMPLE_ADAPTER.validate_python(item)
    except ValidationError as exc:
        raise from_validation_error(exc, prefix=where) from exc
    instants: dict[str, Any] = {}
    for name in _SAMPLE_FIELDS:
        value = getattr(sample, name)
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise InvalidInput(f"{where}.{name}", item[name], "must be a UTC instant ('...Z')")
            instants[name] = clock.utc(value)
    return dataclasses.replace(sample, **instants)


def import_journal(
    store: JournalSink,
    text: str,
    *,
    now: datetime,
    devices: DeviceSink | None = None,
    plans: PlanSink | None = None,
    routine: RoutineSink | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Add what the file holds that the journal does not have yet (entries and plans by uid,
    device samples by their dedup key; the profile and the routine when it has none)."""
    document = parse_document(text)
    if document.device_samples and devices is None:
        raise InvalidInput("device_samples", len(document.device_samples), "cannot be read here")
    if document.plans and plans is None:
        raise InvalidInput("plans", len(document.plans), "cannot be read here")
    profile_set = document.profile is not None and store.profile() is None
    routine_set = document.routine is not None and routine is not None and routine.routine() is None
    known = {p.name for p in store.products()}
    new_products = [p for p in document.products if p.name not in known]
    if not dry_run:
        if profile_set and document.profile is not None:
            store.save_profile(document.profile, now=now)
        if routine_set and routine is not None and document.routine is not None:
            routine.save_routine(document.routine, now=now)
        for product in new_products:
            store.add_product(
                Product(**product.model_dump(exclude={"uid"})), now=now, uid=product.uid
            )
    total = len(document.entries) + len(document.device_samples) + len(document.plans)
    done = 0

    def step(count: int = 1) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    added = skipped = 0
    for index, item in enumerate(document.entries):
        envelope, entry = _split(item, index)
        if store.has_uid(envelope.uid):
            skipped += 1
        else:
            added += 1
            if not dry_run:
                store.add_entry(
                    entry,
                    now=now,
                    source=envelope.source,
                    source_key=envelope.source_key,
                    uid=envelope.uid,
                    created_at=envelope.created_at,
                    updated_at=envelope.updated_at,
                    keep_grams=True,
                    deleted_at=envelope.deleted_at,
                )
        step()
    samples_added = 0
    if devices is not None:
        samples = [_sample(item, index) for index, item in enumerate(document.device_samples)]
        for first in range(0, len(samples), SAMPLES_PER_BATCH):
            batch = samples[first : first + SAMPLES_PER_BATCH]
            if dry_run:
                samples_added += len(devices.new_keys(batch))
            else:
                samples_added += sum(devices.add(batch).values())
            step(len(batch))
    plans_added = 0
    if plans is not None:
        for exported in document.plans:
            if not plans.has_uid(exported.uid):
                plans_added += 1
                if not dry_run:
                    plans.import_plan(
                        uid=exported.uid,
                        status=exported.status,
                        plan=exported.plan,
                        created_at=exported.created_at,
                        updated_at=exported.updated_at,
                        versions=[
                            PlanVersion(v.sequence, v.action, v.plan, v.created_at)
                            for v in exported.versions
                        ],
                    )
            step()
    return ImportSummary(
        added, skipped, len(new_products), profile_set, samples_added, plans_added, routine_set
    )
