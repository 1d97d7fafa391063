"""Speciosa's own JSON format: a complete, lossless copy of one person's journal.

Export -> import into an empty journal -> export gives byte-identical JSON: every
entry keeps its uid, provenance and timestamps, output is sorted and has no
"exported at" stamp. Importing the same file twice adds nothing (uids are kept).

    {"format": "speciosa-journal", "version": 1,
     "profile": {...} | null,
     "products": [{"uid": ..., "name": ..., "batches": [...]}, ...],
     "entries": [{"uid": ..., "source": ..., "source_key": ..., "created_at": ...,
                  "updated_at": ..., "kind": "dose", "at": "2026-01-02T21:30:00Z",
                  "zone": "Europe/London", ...kind fields}, ...]}
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from speciosa.errors import InvalidInput, from_validation_error
from speciosa.interop.sinks import JournalSink
from speciosa.journal import clock
from speciosa.journal.models import ENTRY_ADAPTER, Instant, Product, Profile, StoredEntry

FORMAT = "speciosa-journal"
VERSION = 1


class _ExportedProduct(Product):
    uid: str


class _Envelope(BaseModel):
    model_config = ConfigDict(extra="forbid")
    uid: str
    source: str
    source_key: str
    created_at: Instant
    updated_at: Instant


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: Literal["speciosa-journal"]
    version: Literal[1]
    profile: Profile | None
    products: list[_ExportedProduct]
    entries: list[dict[str, Any]]


@dataclass(frozen=True)
class ImportSummary:
    added: int
    skipped: int
    products_added: int
    profile_set: bool


def export_journal(store: JournalSink) -> str:
    """The whole journal as canonical JSON text (sorted, stable, newline-terminated)."""
    profile = store.profile()
    products = [
        {"uid": store.product_uid(p.name), **p.model_dump(mode="json")} for p in store.products()
    ]
    entries = sorted((_entry_json(e) for e in store.entries()), key=lambda e: (e["at"], e["uid"]))
    document = {
        "format": FORMAT,
        "version": VERSION,
        "profile": None if profile is None else profile.model_dump(mode="json"),
        "products": products,
        "entries": entries,
    }
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _entry_json(stored: StoredEntry) -> dict[str, Any]:
    body = stored.entry.model_dump(mode="json")
    body["at"] = clock.iso_utc(stored.entry.at)
    for name in ("tried_to_sleep", "final_awakening", "out_of_bed", "end"):
        if body.get(name) is not None:
            body[name] = clock.iso_utc(getattr(stored.entry, name))
    return {
        "uid": stored.uid,
        "source": stored.source,
        "source_key": stored.source_key,
        "created_at": clock.iso_utc(stored.created_at),
        "updated_at": clock.iso_utc(stored.updated_at),
        **body,
    }


def parse_document(text: str) -> _Document:
    """Validate a whole file before anything is written; errors name the entry."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput("file", f"line {exc.lineno}", f"is not valid JSON ({exc.msg})") from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise InvalidInput(
            "format",
            raw.get("format") if isinstance(raw, dict) else None,
            f'a Speciosa journal has "format": "{FORMAT}"',
        )
    try:
        document = _Document.model_validate(raw)
    except ValidationError as exc:
        raise from_validation_error(exc) from exc
    for index, item in enumerate(document.entries):
        _split(item, index)
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


def import_journal(
    store: JournalSink,
    text: str,
    *,
    now: datetime,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Add what the file holds that the journal does not have yet (by uid)."""
    document = parse_document(text)
    profile_set = document.profile is not None and store.profile() is None
    known = {p.name for p in store.products()}
    new_products = [p for p in document.products if p.name not in known]
    if not dry_run:
        if profile_set and document.profile is not None:
            store.save_profile(document.profile, now=now)
        for product in new_products:
            store.add_product(
                Product(**product.model_dump(exclude={"uid"})), now=now, uid=product.uid
            )
    added = skipped = 0
    total = len(document.entries)
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
                )
        if progress is not None:
            progress(index + 1, total)
    return ImportSummary(added, skipped, len(new_products), profile_set)
