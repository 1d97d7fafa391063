"""PsychonautWiki Journal exports (Android and iOS) -> doses and substance entries.

The app exports one JSON document (``Settings > Export``)::

    {"substanceCompanions": [...], "customSubstances": [{"name", "units", "description"}],
     "experiences": [{"title", "text", "creationDate", "sortDate", "isFavorite",
                      "location": {...} | null, "ratings": [...], "timedNotes": [...],
                      "ingestions": [{"substanceName": "Kratom", "time": 1657792420000,
                                      "creationDate", "administrationRoute": "ORAL",
                                      "dose": 3, "isDoseAnEstimate": false, "units": "g",
                                      "notes": "", "stomachFullness", "consumerName"}]}]}

What is read: every ingestion. ``Kratom`` ingestions in ``g`` or ``mg`` become doses (no
product: the app does not record one); every other substance becomes a substance entry
with its class when Speciosa knows the name (alcohol, benzodiazepines, opioids...).
Ratings, timed notes, locations and companions are not imported.

Variants handled:
- Android leaves out keys that hold their default (``dose`` null, ``notes`` empty, no
  ``ratings``...): a missing key means its default.
- Times are epoch milliseconds. Some iOS exports (up to April 2023) wrote times as seconds
  since 2001-01-01 (Apple's reference date): a number below 10^11 is read that way
  (10^11 ms is 1973, long before the app existed). ISO 8601 strings are accepted too;
  without an offset they are local times in the journal's zone.
- Ingestions logged for another person (``consumerName`` set) are not this person's use and
  are left out, and so are kratom ingestions with no amount or a unit other than g or mg
  (the import says how many).

Each ingestion's key is a hash of its substance, the instant it was taken (to the
millisecond, whichever way the file wrote it), dose, units and route, so re-importing the
same export, or a later export of the same journal (even one that has switched from 2001
seconds to epoch milliseconds), adds nothing new. Ingestions stored under the key of
earlier versions (which hashed the time as written) are recognised too.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from speciosa.errors import InvalidInput
from speciosa.interop.importers.common import (
    ParsedFile,
    Record,
    make_entry,
    parse_iso_time,
    stable_key,
)
from speciosa.journal import clock
from speciosa.journal.catalogues import SubstanceClass, class_of

SOURCE = "psychonautwiki"

# Epoch-millisecond values are above this; Apple reference-date seconds are below it.
MILLISECONDS_FROM = 10**11
APPLE_REFERENCE_DATE = datetime(2001, 1, 1, tzinfo=UTC)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
KRATOM = re.compile(r"^\s*kratom\b", re.IGNORECASE)
KRATOM_UNITS = {"g": "g", "mg": "mg"}

# PsychonautWiki names that ``class_of`` does not know, with the class that matters for
# interaction warnings. Names it does know (Alcohol, Tramadol, Cannabis...) go through it.
PW_CLASSES: dict[str, SubstanceClass] = {
    "mdma": SubstanceClass.STIMULANT,
    "mda": SubstanceClass.STIMULANT,
    "dextroamphetamine": SubstanceClass.STIMULANT,
    "lisdexamfetamine": SubstanceClass.STIMULANT,
    "3-mmc": SubstanceClass.STIMULANT,
    "4-fa": SubstanceClass.STIMULANT,
    "2-fma": SubstanceClass.STIMULANT,
    "ethylphenidate": SubstanceClass.STIMULANT,
    "gbl": SubstanceClass.OTHER_CNS_DEPRESSANT,
    "1,4-butanediol": SubstanceClass.OTHER_CNS_DEPRESSANT,
    "o-desmethyltramadol": SubstanceClass.OPIOID,
    "kratom (7-oh)": SubstanceClass.OPIOID,
    "clonazolam": SubstanceClass.BENZODIAZEPINE,
    "flualprazolam": SubstanceClass.BENZODIAZEPINE,
    "flubromazolam": SubstanceClass.BENZODIAZEPINE,
    "diclazepam": SubstanceClass.BENZODIAZEPINE,
    "bromazolam": SubstanceClass.BENZODIAZEPINE,
}

EXPECTED = (
    'a PsychonautWiki Journal export: a JSON object with an "experiences" list whose '
    'items hold "ingestions" ({"substanceName", "time", "dose", "units", ...})'
)


def looks_like(document: Any) -> bool:
    return isinstance(document, dict) and isinstance(document.get("experiences"), list)


def is_kratom(name: str) -> bool:
    """'Kratom' and custom substances named like 'Kratom (red)', but not 7-OH products."""
    return bool(KRATOM.match(name)) and substance_class(name) is SubstanceClass.OTHER


def substance_class(name: str) -> SubstanceClass:
    """The class of a PsychonautWiki substance name (OTHER when not known)."""
    known = class_of(name)
    if known is not None:
        return known
    return PW_CLASSES.get(name.strip().lower(), SubstanceClass.OTHER)


def parse(text: str, *, zone: str) -> ParsedFile:
    """Read a whole export; InvalidInput names the ingestion and field that is wrong."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            "file", f"line {exc.lineno}", f"is not valid JSON; expected {EXPECTED}"
        ) from exc
    if not looks_like(document):
        raise InvalidInput("experiences", None, f"is missing; expected {EXPECTED}")
    records: list[Record] = []
    others = no_amount = odd_units = 0
    for e_index, experience in enumerate(document["experiences"]):
        where_e = f"experiences[{e_index}]"
        if not isinstance(experience, dict):
            raise InvalidInput(where_e, _short(experience), "must be an object (an experience)")
        ingestions = experience.get("ingestions", [])
        if not isinstance(ingestions, list):
            raise InvalidInput(f"{where_e}.ingestions", _short(ingestions), "must be a list")
        for i_index, ingestion in enumerate(ingestions):
            where = f"{where_e}.ingestions[{i_index}]"
            if not isinstance(ingestion, dict):
                raise InvalidInput(where, _short(ingestion), "must be an object (an ingestion)")
            if ingestion.get("consumerName"):
                others += 1
                continue
            record = _record(ingestion, where, zone)
            if record == "no amount":
                no_amount += 1
            elif record == "odd units":
                odd_units += 1
            elif isinstance(record, Record):
                records.append(record)
    notes = []
    if no_amount:
        notes.append(f"{no_amount} kratom ingestion(s) without an amount were not imported")
    if odd_units:
        notes.append(
            f"{odd_units} kratom ingestion(s) in units other than g or mg were not imported "
            "(log them with a product that says how much a unit weighs)"
        )
    if others:
        notes.append(f"{others} ingestion(s) logged for another person were not imported")
    return ParsedFile(SOURCE, records, notes=notes)


def _record(ingestion: dict[str, Any], where: str, zone: str) -> Record | str:
    name = ingestion.get("substanceName")
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(f"{where}.substanceName", name, "must be the substance's name")
    raw_time = ingestion.get("time")
    at = instant(raw_time, zone=zone, field=f"{where}.time")
    dose = ingestion.get("dose")
    if dose is not None and (isinstance(dose, bool) or not isinstance(dose, int | float)):
        raise InvalidInput(f"{where}.dose", dose, "must be a number or null")
    units = ingestion.get("units") or ""
    if not isinstance(units, str):
        raise InvalidInput(f"{where}.units", units, "must be text such as 'mg' or 'g'")
    route = ingestion.get("administrationRoute") or "ORAL"
    estimate = bool(ingestion.get("isDoseAnEstimate", False))
    notes = ingestion.get("notes") or None
    if notes is not None and not isinstance(notes, str):
        raise InvalidInput(f"{where}.notes", notes, "must be text")
    key = _key(name, at, dose, units, route)
    aliases = _legacy_keys(name, raw_time, at, dose, units, route, key)
    if is_kratom(name):
        if dose is None or dose <= 0:
            return "no amount"
        unit = KRATOM_UNITS.get(units.strip().lower())
        if unit is None:
            return "odd units"
        note = _join(notes, "estimated amount" if estimate else None)
        entry = make_entry(
            {"kind": "dose", "at": at, "zone": zone, "amount": dose, "unit": unit, "note": note},
            where,
        )
        return Record(entry, key, where, aliases)
    amount = None
    if dose is not None:
        amount = f"{'~' if estimate else ''}{dose:g} {units}".strip()
    entry = make_entry(
        {
            "kind": "substance",
            "at": at,
            "zone": zone,
            "name": name.strip()[:200],
            "substance_class": substance_class(name),
            "amount": amount,
            "note": _join(notes, None if route == "ORAL" else f"route: {str(route).lower()}"),
        },
        where,
    )
    return Record(entry, key, where, aliases)


def instant(value: Any, *, zone: str, field: str) -> datetime:
    """A PsychonautWiki time: epoch ms, legacy iOS seconds since 2001, or ISO 8601 text."""
    if isinstance(value, str):
        return parse_iso_time(value, zone=zone, field=field)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise InvalidInput(
            field,
            value,
            "must be epoch milliseconds (e.g. 1657792420000), seconds since 2001-01-01 "
            "(older iOS exports) or an ISO 8601 time",
        )
    try:
        if value >= MILLISECONDS_FROM:
            return datetime.fromtimestamp(value / 1000, tz=UTC)
        return APPLE_REFERENCE_DATE + timedelta(seconds=value)
    except (OverflowError, ValueError, OSError) as exc:
        raise InvalidInput(field, value, "is not a time this app can have written") from exc


def _key(name: str, at: datetime, dose: float | None, units: str, route: Any) -> str:
    """The ingestion's key: the same instant gives the same key in either time format."""
    return stable_key(
        "pw-ingestion",
        name.strip().lower(),
        _epoch_ms(at),
        None if dose is None else float(dose),
        units.strip(),
        str(route).upper(),
    )


def _legacy_keys(
    name: str, raw_time: Any, at: datetime, dose: Any, units: str, route: Any, key: str
) -> tuple[str, ...]:
    """The keys Speciosa gave this ingestion before keys were taken on the instant: the time
    and dose hashed as written, in this file's form or in the other one (2001 seconds for a
    whole second, epoch ms; a whole dose as 2 or 2.0)."""
    times: list[Any] = [raw_time, _epoch_ms(at)]
    since_2001 = clock.utc(at) - APPLE_REFERENCE_DATE
    if not since_2001.microseconds:
        times.append(since_2001.days * 86400 + since_2001.seconds)
    doses: list[Any] = [dose]
    if isinstance(dose, float) and dose.is_integer():
        doses.append(int(dose))
    elif isinstance(dose, int):
        doses.append(float(dose))
    found = []
    for time in times:
        for amount in doses:
            old = stable_key("pw-ingestion", name.strip().lower(), time, amount, units, route)
            if old != key and old not in found:
                found.append(old)
    return tuple(found)


def _epoch_ms(at: datetime) -> int:
    since = clock.utc(at) - EPOCH
    return since.days * 86_400_000 + since.seconds * 1000 + round(since.microseconds / 1000)


def _join(*parts: str | None) -> str | None:
    text = "; ".join(p.strip() for p in parts if p and p.strip())
    return text[:4000] or None


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."
