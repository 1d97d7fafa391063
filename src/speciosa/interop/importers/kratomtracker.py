"""Kratom Tracker / Herbal Tracker+ (BareTread/KratomTracker) backups and CSV exports.

There is no published specification; the shapes below are read from the app's open
source (MIT, github.com/BareTread/KratomTracker: ``KratomProvider.exportData``,
``models/dosage.dart``, ``models/strain.dart``, ``export/csv_export.dart``) and documented
in docs/formats.md. Anything else is refused with a message saying what was expected.

JSON backup (version 1)::

    {"version": 1, "timestamp": "2025-01-31T20:15:02.123456",
     "strains": [{"id": "uuid", "name": "Red Bali", "code": "RB", "color": 4294198070,
                  "icon": "leaf"}],
     "dosages": [{"id": "uuid", "strainId": "uuid", "amount": 3.5,
                  "timestamp": "2025-01-31T08:30:00.000", "notes": "with food" | null}],
     "effects": [...], "settings": {...}}

(a bare JSON list of dosages is accepted too, as the app does). CSV export::

    date,time,iso_timestamp,strain_code,strain_name,amount_g,notes

with a UTF-8 BOM, and free text that starts with = + - @ prefixed by ``'`` against formula
injection (removed on import).

``amount`` is grams (the app's only unit). Timestamps are Dart ``toIso8601String()``:
without a zone they are the phone's local time, read in the journal's zone; with ``Z``
they are UTC. Each strain used becomes a product (an existing product of the same name is
reused). Per-dose effect ratings (mood, energy, pain relief 1-5) have no Speciosa
equivalent and are not imported; the import says how many were left out. A dose's key is
a hash of its time (to the second), grams and strain name, so a backup and a CSV export
of the same doses do not import twice.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from speciosa.errors import InvalidInput
from speciosa.interop.importers.common import (
    ParsedFile,
    Record,
    make_entry,
    parse_iso_time,
    stable_key,
)
from speciosa.interop.importers.generic_csv import read_table
from speciosa.journal import clock
from speciosa.journal.models import Product

SOURCE = "kratomtracker"
SUPPORTED_VERSION = 1
CSV_HEADER: tuple[str, ...] = (
    "date",
    "time",
    "iso_timestamp",
    "strain_code",
    "strain_name",
    "amount_g",
    "notes",
)
UNKNOWN_STRAIN = ("???", "Unknown strain")  # what the app writes for a dose without a strain
DOSAGE_KEYS = frozenset({"id", "strainId", "amount", "timestamp", "notes"})
EXPECTED_JSON = (
    'a Herbal Tracker+ backup: a JSON object with "version" 1, "strains" and "dosages" '
    '[{"id", "strainId", "amount", "timestamp", "notes"}], or a JSON list of such dosages'
)
EXPECTED_CSV = "a Herbal Tracker+ CSV export with the header " + ",".join(CSV_HEADER)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def looks_like_json(document: Any) -> bool:
    if isinstance(document, dict):
        return isinstance(document.get("dosages"), list) and "experiences" not in document
    return (
        isinstance(document, list)
        and bool(document)
        and all(isinstance(d, dict) and {"strainId", "timestamp"} <= d.keys() for d in document)
    )


def looks_like_csv(header: list[str]) -> bool:
    return tuple(header) == CSV_HEADER


def parse_json(text: str, *, zone: str) -> ParsedFile:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            "file", f"line {exc.lineno}", f"is not valid JSON; expected {EXPECTED_JSON}"
        ) from exc
    if isinstance(document, list):
        document = {"dosages": document}
    if not isinstance(document, dict) or not isinstance(document.get("dosages"), list):
        raise InvalidInput("dosages", None, f"is missing; expected {EXPECTED_JSON}")
    version = document.get("version", SUPPORTED_VERSION)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidInput("version", version, "must be a whole number (1)")
    if version > SUPPORTED_VERSION:
        raise InvalidInput(
            "version", version, f"is newer than this importer reads ({SUPPORTED_VERSION})"
        )
    strains = _strains(document.get("strains"))
    records: list[Record] = []
    products: dict[str, Product] = {}
    orphans = 0
    for index, dosage in enumerate(document["dosages"]):
        where = f"dosages[{index}]"
        if not isinstance(dosage, dict):
            raise InvalidInput(where, str(dosage)[:60], "must be an object (a dose)")
        unknown = set(dosage) - DOSAGE_KEYS
        if unknown:
            raise InvalidInput(
                f"{where}.{sorted(unknown)[0]}",
                dosage[sorted(unknown)[0]],
                f"is not a dosage field; expected only {', '.join(sorted(DOSAGE_KEYS))}",
            )
        for key in ("id", "strainId"):
            if not isinstance(dosage.get(key), str) or not dosage[key]:
                raise InvalidInput(f"{where}.{key}", dosage.get(key), "must be a non-empty id")
        strain = strains.get(dosage["strainId"])
        if strain is None and strains:
            orphans += 1
        name = None if strain is None else strain[0]
        if strain is not None:
            products.setdefault(name or "", _product(*strain))
        timestamp = dosage.get("timestamp")
        if not isinstance(timestamp, str):
            raise InvalidInput(f"{where}.timestamp", timestamp, "must be an ISO 8601 time")
        notes = dosage.get("notes")
        if notes is not None and not isinstance(notes, str):
            raise InvalidInput(f"{where}.notes", notes, "must be text or null")
        records.append(_dose(where, timestamp, dosage.get("amount"), name, notes, zone))
    notes_out = []
    if orphans:
        notes_out.append(
            f"{orphans} dose(s) referred to a strain missing from the backup and were "
            "imported without a product"
        )
    effects = document.get("effects")
    if isinstance(effects, list) and effects:
        notes_out.append(
            f"{len(effects)} effect rating(s) (mood, energy, pain relief 1-5 per dose) have "
            "no Speciosa equivalent and were not imported"
        )
    return ParsedFile(SOURCE, records, list(products.values()), notes_out)


def parse_csv(text: str, *, zone: str) -> ParsedFile:
    header, rows = read_table(text)
    if not looks_like_csv(header):
        raise InvalidInput("header", ",".join(header), f"is not {EXPECTED_CSV}")
    records: list[Record] = []
    products: dict[str, Product] = {}
    for line, row in rows:
        where = f"row {line}"
        code, name = _unformula(row["strain_code"]), _unformula(row["strain_name"])
        product_name = None if (code, name) in {UNKNOWN_STRAIN} or not name else name
        if product_name is not None:
            products.setdefault(product_name, _product(product_name, code))
        amount_text = row["amount_g"]
        try:
            amount: Any = float(amount_text)
        except ValueError:
            amount = amount_text
        timestamp = row["iso_timestamp"]
        records.append(
            _dose(where, timestamp, amount, product_name, _unformula(row["notes"]), zone)
        )
    return ParsedFile(SOURCE, records, list(products.values()))


def _strains(raw: Any) -> dict[str, tuple[str, str]]:
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise InvalidInput("strains", str(raw)[:60], "must be a list of strains")
    strains: dict[str, tuple[str, str]] = {}
    for index, strain in enumerate(raw):
        where = f"strains[{index}]"
        if not isinstance(strain, dict):
            raise InvalidInput(where, str(strain)[:60], "must be an object (a strain)")
        for key in ("id", "name", "code"):
            if not isinstance(strain.get(key), str) or not strain[key].strip():
                raise InvalidInput(f"{where}.{key}", strain.get(key), "must be non-empty text")
        strains[strain["id"]] = (strain["name"].strip()[:200], strain["code"].strip())
    return strains


def _product(name: str, code: str) -> Product:
    return Product(name=name, note=f"imported from Herbal Tracker+ (strain code {code})")


def _dose(
    where: str, timestamp: str, amount: Any, product: str | None, notes: str | None, zone: str
) -> Record:
    at: datetime = parse_iso_time(timestamp, zone=zone, field=f"{where}.timestamp")
    if isinstance(amount, bool) or not isinstance(amount, int | float) or amount <= 0:
        raise InvalidInput(f"{where}.amount", amount, "must be grams, a number above zero")
    entry = make_entry(
        {
            "kind": "dose",
            "at": at,
            "zone": zone,
            "amount": amount,
            "unit": "g",
            "product": product,
            "note": notes or None,
        },
        where,
    )
    key = stable_key("ht-dose", clock.iso_utc(at), f"{float(amount):.2f}", product)
    return Record(entry, key, where)


def _unformula(text: str) -> str:
    """Undo the app's formula-injection guard: a leading ' before = + - @."""
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_STARTS:
        return text[1:]
    return text
