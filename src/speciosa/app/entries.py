"""Logging and correcting entries: log, edit, delete and undo, list, the timeline.

Input is what a person types, from any front end: ``{"kind": "dose", "amount": "2caps",
"product": "Red Bali", "at": "yesterday 23:40"}``. Times are read by
:func:`speciosa.journal.clock.parse_when` in the entry's zone (default: the profile's);
a dose's grams come from its product; built-in questionnaires are scored by their
published rules; a substance's class is looked up by name. The same input is the same
entry whether it came from ``speciosa log``, a form or ``POST /api/v1/entries``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from speciosa.errors import InvalidInput, NotFound, from_validation_error
from speciosa.instruments.questionnaires import QUESTIONNAIRES
from speciosa.journal import clock
from speciosa.journal.catalogues import SubstanceClass, class_of
from speciosa.journal.models import KINDS, Dose, EntryBase, StoredEntry, entry_from_dict
from speciosa.journal.units import parse_amount, unit_named
from speciosa.store.journal_store import MANUAL

from .unit import Journal

# Fields a person may give as "a, b, c".
LIST_FIELDS = frozenset({"sites", "features", "acute_medication", "sleep_aids", "items"})
# Instants besides ``at``; each is read like ``at``.
INSTANT_FIELDS: dict[str, tuple[str, ...]] = {
    "sleep": ("tried_to_sleep", "final_awakening", "out_of_bed"),
    "headache": ("end",),
}
# Fields that belong to every entry and cannot be changed with an edit.
FIXED_FIELDS = frozenset({"kind"})


def kind_named(text: str | None) -> str:
    """``side-effect`` or ``side_effect`` as the journal's kind name."""
    kind = str(text or "").strip().replace("-", "_")
    if kind not in KINDS:
        raise InvalidInput("kind", text, f"must be one of {', '.join(KINDS)}")
    return kind


def build_entry(journal: Journal, data: Mapping[str, Any]) -> EntryBase:
    """A validated entry from typed input (strings allowed wherever a person types)."""
    kind = kind_named(data.get("kind"))
    fields = {k: v for k, v in data.items() if v is not None and v != ""}
    zone_name = str(fields.get("zone") or journal.zone)
    clock.zone(zone_name)
    fields.update(kind=kind, zone=zone_name, at=_when(journal, fields.get("at"), "at", zone_name))
    for name in INSTANT_FIELDS.get(kind, ()):
        if name in fields:
            fields[name] = _when(journal, fields[name], name, zone_name)
    for name in LIST_FIELDS & fields.keys():
        fields[name] = _listed(fields[name], name)
    _complete(kind, fields)
    entry = _validated(fields)
    for name in INSTANT_FIELDS.get(kind, ()):
        if getattr(entry, name, None) is not None:
            clock.check_not_future(getattr(entry, name), journal.now, field=name)
    return entry


# A client's idempotency key: what ``crypto.randomUUID()`` and most clients send.
_KEY = re.compile(r"^[A-Za-z0-9_-]{8,100}$")
_KEY_PREFIX = "key:"  # keeps client keys apart from the uids that fill source_key otherwise


def log(journal: Journal, data: Mapping[str, Any], *, key: str | None = None) -> StoredEntry:
    """Validate and store one entry.

    With ``key`` (a client's idempotency key) the entry is stored once: sending the same
    key again returns the entry first stored with it, so a retried offline sync whose
    answer was lost does not log a dose twice.
    """
    if key is None:
        return journal.store.add_entry(build_entry(journal, data), now=journal.now)
    if not _KEY.match(key):
        raise InvalidInput("Idempotency-Key", key, "must be 8-100 letters, digits, - or _")
    entry = build_entry(journal, data)
    found = journal.store.entry_by_source_key(MANUAL, _KEY_PREFIX + key)
    if found is None:
        try:
            with journal.session.begin_nested():  # a retry racing this one may win
                return journal.store.add_entry(entry, now=journal.now, source_key=_KEY_PREFIX + key)
        except IntegrityError:
            found = journal.store.entry_by_source_key(MANUAL, _KEY_PREFIX + key)
            if found is None:
                raise
    if _what_was_logged(found.entry) != _what_was_logged(entry):
        raise InvalidInput(
            "Idempotency-Key",
            key,
            "was already used for a different entry; send a new key for a new entry",
        )
    return found


def _what_was_logged(entry: EntryBase) -> dict[str, Any]:
    """An entry less its times, which a retry may give again relative to a later now
    ("2 h ago", or none at all): the same key and the same content are the same entry."""
    times = {"at", "grams", *INSTANT_FIELDS.get(entry.kind, ())}
    return entry.model_dump(mode="json", exclude=times)


def get(journal: Journal, entry_id: int) -> StoredEntry:
    return journal.store.entry(entry_id)


def find(journal: Journal, entry_id: int | None) -> StoredEntry | None:
    """The entry, or None when there is no such id (for a page's "logged" notice)."""
    if entry_id is None:
        return None
    try:
        return journal.store.entry(entry_id)
    except NotFound:
        return None


def edit(journal: Journal, entry_id: int, changes: Mapping[str, Any]) -> StoredEntry:
    """Apply ``changes`` and validate the entry again exactly as when it was logged."""
    stored = journal.store.entry(entry_id)
    entry = build_entry(journal, merged(stored, changes))
    return journal.store.update_entry(entry_id, entry, now=journal.now)


def replace(journal: Journal, entry_id: int, data: Mapping[str, Any]) -> StoredEntry:
    """Replace an entry with one built from ``data`` (a form that shows every field, so a
    field left empty is cleared); its kind, and its zone unless given, stay."""
    stored = journal.store.entry(entry_id)
    fields = {"zone": stored.entry.zone, **data, "kind": stored.entry.kind}
    return journal.store.update_entry(entry_id, build_entry(journal, fields), now=journal.now)


# Inputs an edit may give besides the model's fields (read as when logging).
EDIT_ALIASES = {"bowel": frozenset({"laxative"})}


def editable_fields(stored: StoredEntry) -> list[str]:
    """What an edit may change: the entry's fields, less those derived from others."""
    derived = {"grams"} if isinstance(stored.entry, Dose) else set()
    known = set(stored.entry.model_dump()) | EDIT_ALIASES.get(stored.entry.kind, frozenset())
    return sorted(known - FIXED_FIELDS - {"zone"} - derived)


def merged(stored: StoredEntry, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The stored entry with ``changes`` applied, ready to be built again."""
    unknown = sorted(set(changes) - set(editable_fields(stored)) - FIXED_FIELDS - {"zone"})
    if unknown:
        raise InvalidInput(
            unknown[0],
            changes[unknown[0]],
            f"is not a field of a {stored.entry.kind}; one of: "
            + ", ".join(editable_fields(stored)),
        )
    data = stored.entry.model_dump(mode="json")
    data.update(changes)
    if isinstance(stored.entry, Dose):
        data["grams"] = None  # recomputed from the (possibly new) amount and product
        amount = changes.get("amount")
        # "6caps" names its unit; a bare "6" keeps the unit the dose was logged in.
        if "unit" not in changes and isinstance(amount, str) and not _is_number(amount):
            data.pop("unit", None)
    return data


def delete(journal: Journal, entry_id: int) -> StoredEntry:
    """Delete an entry; :func:`undo_delete` brings it back."""
    return journal.store.delete_entry(entry_id, now=journal.now)


def undo_delete(journal: Journal) -> StoredEntry:
    """Bring back the most recently deleted entry."""
    return journal.store.undo_delete()


def listed(
    journal: Journal,
    *,
    kinds: Sequence[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
) -> list[StoredEntry]:
    """Entries in time order (the newest ``limit``), optionally of some kinds and times."""
    chosen = [kind_named(k) for k in kinds or ()]
    found = journal.store.entries(
        kinds=chosen or None,
        since=None if since is None else _when(journal, since, "since", journal.zone),
        until=None if until is None else _when(journal, until, "until", journal.zone),
    )
    if limit is None:
        return found
    return found[-limit:] if limit > 0 else []


@dataclass(frozen=True)
class TimelineDay:
    day: date
    entries: list[StoredEntry]


def timeline(
    journal: Journal, *, until: date | None, days: int, kind: str | None = None
) -> list[TimelineDay]:
    """Entries grouped by journal day, newest day first, for ``days`` days up to ``until``
    (only entries of ``kind`` when given)."""
    last = clock.check_day(until or journal.today, "until")
    first = last - timedelta(days=days - 1)
    kinds = None if kind is None else [kind_named(kind)]
    grouped: dict[date, list[StoredEntry]] = {}
    for stored in in_days(journal, first, last, kinds=kinds):
        grouped.setdefault(clock.journal_day(stored.entry.at, stored.entry.zone), []).append(stored)
    return [
        TimelineDay(day, sorted(grouped[day], key=lambda s: s.entry.at, reverse=True))
        for day in sorted(grouped, reverse=True)
    ]


def in_days(
    journal: Journal, first: date, last: date, *, kinds: Sequence[str] | None = None
) -> list[StoredEntry]:
    """Entries whose journal day, in their own zone, lies in [first, last]."""
    # A margin either side (zones reach 14 hours from UTC), then each entry placed by its
    # own zone, so that travel is exact.
    start = clock.day_bounds(first, journal.zone)[0] - timedelta(hours=14)
    end = clock.day_bounds(last, journal.zone)[1] + timedelta(hours=14)
    return [
        s
        for s in journal.store.entries(since=start, until=end, kinds=kinds)
        if first <= clock.journal_day(s.entry.at, s.entry.zone) <= last
    ]


# --------------------------------------------------------------------------- the sleep diary


def sleep_from_wall_times(
    journal: Journal,
    *,
    night: date | None,
    bed: str,
    tried: str | None,
    woke: str,
    up: str | None,
    zone: str | None,
) -> dict[str, Any]:
    """A night's instants from wall times ("22:45", "06:30"), each the first after the last.

    ``night`` is the evening's date (default: last night).
    """
    zone_name = zone or journal.zone
    evening = night or journal.today - timedelta(days=1)
    anchor = clock.at_local(evening, time(12, 0), zone_name)
    into_bed = _next_wall(bed, anchor, zone_name, "bed")
    tried_at = _next_wall(tried, into_bed, zone_name, "tried") if tried else into_bed
    final = _next_wall(woke, tried_at + timedelta(minutes=1), zone_name, "woke")
    out = _next_wall(up, final, zone_name, "up") if up else final
    clock.check_not_future(out, journal.now, field="up")
    return {
        "at": into_bed,
        "zone": zone_name,
        "tried_to_sleep": tried_at,
        "final_awakening": final,
        "out_of_bed": out,
    }


def _next_wall(text: str, after: datetime, zone_name: str, field: str) -> datetime:
    """The first moment at or after ``after`` when the wall clock shows ``text``."""
    wall = clock.parse_wall_time(text, field)
    day = clock.local(after, zone_name).date()
    for offset in range(3):
        candidate = clock.at_local(day + timedelta(days=offset), wall, zone_name)
        if candidate >= after:
            return candidate
    raise InvalidInput(field, text, "could not be placed in the night")


# --------------------------------------------------------------------------- reading input


def _validated(data: Mapping[str, Any]) -> EntryBase:
    try:
        return entry_from_dict(dict(data))
    except ValidationError as exc:
        raise from_validation_error(exc) from exc


def _when(journal: Journal, value: Any, field: str, zone_name: str) -> datetime:
    if isinstance(value, datetime):
        return clock.utc(value)
    return clock.parse_when(str(value or "now"), now=journal.now, zone_name=zone_name, field=field)


def _listed(value: Any, field: str) -> tuple[Any, ...]:
    if isinstance(value, str):
        parts = [part.strip() for part in value.split(",") if part.strip()]
    elif isinstance(value, list | tuple):
        parts = list(value)
    else:
        raise InvalidInput(field, value, "must be a list, or words separated by commas")
    if field != "items":
        return tuple(parts)
    try:
        return tuple(int(part) for part in parts)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(field, value, "must be whole numbers separated by commas") from exc


def _complete(kind: str, fields: dict[str, Any]) -> None:
    """Derive what follows from what the person gave (never invent what they did not)."""
    if kind == "dose":
        amount = fields.get("amount")
        if isinstance(amount, str) and not _is_number(amount):
            parsed = parse_amount(amount)
            fields["amount"], fields["unit"] = parsed.value, parsed.unit
        elif isinstance(fields.get("unit"), str):
            fields["unit"] = unit_named(fields["unit"])
        fields.pop("grams", None)
    elif kind == "sleep":
        fields.setdefault("tried_to_sleep", fields["at"])
        if "final_awakening" in fields:
            fields.setdefault("out_of_bed", fields["final_awakening"])
    elif kind == "substance" and "name" in fields and "substance_class" not in fields:
        fields["substance_class"] = class_of(str(fields["name"])) or SubstanceClass.OTHER
    elif kind == "bowel" and "laxative" in fields:
        fields["spontaneous"] = not _truthy(fields.pop("laxative"))
    elif kind == "questionnaire":
        _score_questionnaire(fields)


def _score_questionnaire(fields: dict[str, Any]) -> None:
    instrument = str(fields.get("instrument", "")).lower()
    fields["instrument"] = instrument
    if instrument in QUESTIONNAIRES and "items" in fields:
        # Built-in instruments are scored by their published rules, never by hand.
        computed = QUESTIONNAIRES[instrument].score(fields["items"]).score
        given = fields.get("score")
        if given not in (None, "") and not _same_number(given, computed):
            raise InvalidInput(
                "score", given, f"{instrument} scores these answers as {computed:g}; leave it out"
            )
        fields["score"] = computed


def _same_number(given: Any, computed: float) -> bool:
    try:
        return abs(float(given) - computed) <= 1e-9
    except (TypeError, ValueError):
        return False


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in {"on", "true", "1", "yes"}
