"""CSV export: one spreadsheet-ready file per entry kind, plus products and the profile.

Every file has a header row even when empty, so scripts can rely on the columns
(:data:`COLUMNS`, documented in docs/formats.md). Files are UTF-8 with a byte-order mark
(so Excel reads accents correctly), comma-separated, RFC 4180 quoted, CRLF line ends.
Times come twice: ``local_time`` (``YYYY-MM-DD HH:MM:SS`` wall-clock time in ``zone``,
which spreadsheets read as a date-time) and ``utc_time`` (ISO 8601 with ``Z``). Lists are
joined with ``; ``. Booleans are ``true``/``false``. Free text that starts with
``= + - @`` gets a leading ``'`` so that a spreadsheet shows it instead of running it.

Pure: :func:`csv_tables` takes data and returns file names and texts;
:func:`export_csv` writes them to a directory or a ``.zip``.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from speciosa.instruments.errors import InstrumentInputError
from speciosa.instruments.sleep_diary import SleepMetrics, score_record
from speciosa.journal import clock
from speciosa.journal.models import (
    Bowel,
    Dose,
    EntryBase,
    Fatigue,
    Headache,
    Pain,
    Product,
    Profile,
    Questionnaire,
    SideEffect,
    Sleep,
    Soreness,
    StoredEntry,
    Substance,
    Workout,
)

COMMON: tuple[str, ...] = ("local_time", "utc_time", "zone", "journal_day")
TRAILER: tuple[str, ...] = ("note", "source", "uid")

# File name -> (entry kind, the kind's own columns between COMMON and TRAILER).
KIND_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "doses.csv": ("dose", ("amount", "unit", "grams", "product", "batch")),
    "sleep.csv": (
        "sleep",
        (
            "tried_to_sleep",
            "minutes_to_fall_asleep",
            "awakenings",
            "minutes_awake_in_night",
            "final_awakening",
            "out_of_bed",
            "terminal_wake_minutes",
            "quality",
            "rested",
            "naps",
            "nap_minutes",
            "alcohol_drinks",
            "caffeine_drinks",
            "sleep_aids",
            "time_in_bed_min",
            "total_sleep_min",
            "sleep_efficiency_pct",
        ),
    ),
    "pain.csv": ("pain", ("score", "sites", "interference")),
    "headaches.csv": (
        "headache",
        ("end", "duration_min", "peak", "features", "acute_medication"),
    ),
    "fatigue.csv": ("fatigue", ("score", "energy")),
    "soreness.csv": ("soreness", ("score", "sites")),
    "workouts.csv": ("workout", ("activity", "minutes", "intensity")),
    "bowel.csv": (
        "bowel",
        ("bristol", "straining", "incomplete", "blockage", "manual", "spontaneous"),
    ),
    "side_effects.csv": ("side_effect", ("symptom", "severity")),
    "substances.csv": ("substance", ("name", "substance_class", "amount")),
    "questionnaires.csv": ("questionnaire", ("instrument", "score", "items")),
}
PRODUCT_COLUMNS: tuple[str, ...] = (
    "name",
    "vendor",
    "vein",
    "form",
    "grams_per_capsule",
    "grams_per_teaspoon",
    "grams_per_tablespoon",
    "batch",
    "bought_on",
    "lab",
    "tested_on",
    "mitragynine_mg_per_g",
    "hydroxymitragynine_mg_per_g",
    "heavy_metals_pass",
    "microbial_pass",
    "lab_passed",
    "note",
)
PROFILE_COLUMNS: tuple[str, ...] = ("field", "value")

COLUMNS: dict[str, tuple[str, ...]] = {
    **{name: COMMON + own + TRAILER for name, (_, own) in KIND_FILES.items()},
    "products.csv": PRODUCT_COLUMNS,
    "profile.csv": PROFILE_COLUMNS,
}

_FREE_TEXT = frozenset(
    {
        "note",
        "product",
        "batch",
        "sites",
        "acute_medication",
        "sleep_aids",
        "activity",
        "name",
        "amount",
        "vendor",
        "vein",
        "lab",
        "value",
    }
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_tables(
    entries: Iterable[EntryBase | StoredEntry],
    profile: Profile | None,
    products: Sequence[Product],
) -> dict[str, str]:
    """File name -> CSV text for every entry kind, products and the profile."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in KIND_FILES}
    file_of = {kind: name for name, (kind, _) in KIND_FILES.items()}
    ordered = sorted(entries, key=lambda e: _entry(e).at)
    for item in ordered:
        entry = _entry(item)
        row = _common(entry)
        row.update(_ROW_BUILDERS[type(entry)](entry))
        if isinstance(item, StoredEntry):
            row["source"], row["uid"] = item.source, item.uid
        rows[file_of[entry.kind]].append(row)
    tables = {name: _render(COLUMNS[name], rows[name]) for name in KIND_FILES}
    tables["products.csv"] = _render(PRODUCT_COLUMNS, _product_rows(products))
    tables["profile.csv"] = _render(PROFILE_COLUMNS, _profile_rows(profile))
    return tables


def export_csv(
    entries: Iterable[EntryBase | StoredEntry],
    profile: Profile | None,
    products: Sequence[Product],
    out: Path,
) -> list[Path]:
    """Write the tables into directory ``out`` (created if needed), or into ``out`` as a zip.

    Returns the files written (for a zip, the zip itself). Each file is written to a
    temporary name first, so an interrupted export never leaves a half-written file.
    """
    tables = csv_tables(entries, profile, products)
    if out.suffix.lower() == ".zip":
        partial = out.with_name(out.name + ".partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, text in tables.items():
                # A fixed timestamp keeps the archive identical for identical data.
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, text.encode("utf-8-sig"))
        partial.replace(out)
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in tables.items():
        path = out / name
        partial = path.with_name(name + ".partial")
        partial.write_bytes(text.encode("utf-8-sig"))
        partial.replace(path)
        written.append(path)
    return written


# --------------------------------------------------------------------------- rows


def _entry(item: EntryBase | StoredEntry) -> EntryBase:
    return item.entry if isinstance(item, StoredEntry) else item


def _wall(instant: datetime | None, zone: str) -> str:
    if instant is None:
        return ""
    return clock.local(instant, zone).strftime("%Y-%m-%d %H:%M:%S")


def _common(entry: EntryBase) -> dict[str, Any]:
    return {
        "local_time": _wall(entry.at, entry.zone),
        "utc_time": clock.iso_utc(entry.at),
        "zone": entry.zone,
        "journal_day": clock.journal_day(entry.at, entry.zone).isoformat(),
        "note": entry.note,
    }


def _dose(entry: Dose) -> dict[str, Any]:
    return {
        "amount": entry.amount,
        "unit": entry.unit.value,
        "grams": entry.grams,
        "product": entry.product,
        "batch": entry.batch,
    }


def _sleep(entry: Sleep) -> dict[str, Any]:
    row: dict[str, Any] = {
        "tried_to_sleep": _wall(entry.tried_to_sleep, entry.zone),
        "minutes_to_fall_asleep": entry.minutes_to_fall_asleep,
        "awakenings": entry.awakenings,
        "minutes_awake_in_night": entry.minutes_awake_in_night,
        "final_awakening": _wall(entry.final_awakening, entry.zone),
        "out_of_bed": _wall(entry.out_of_bed, entry.zone),
        "terminal_wake_minutes": entry.terminal_wake_minutes,
        "quality": entry.quality,
        "rested": entry.rested,
        "naps": entry.naps,
        "nap_minutes": entry.nap_minutes,
        "alcohol_drinks": entry.alcohol_drinks,
        "caffeine_drinks": entry.caffeine_drinks,
        "sleep_aids": entry.sleep_aids,
    }
    metrics = sleep_metrics(entry)
    if metrics is not None:
        row["time_in_bed_min"] = round(metrics.time_in_bed, 1)
        row["total_sleep_min"] = round(metrics.total_sleep_time, 1)
        row["sleep_efficiency_pct"] = round(metrics.sleep_efficiency, 1)
    return row


def sleep_metrics(entry: Sleep) -> SleepMetrics | None:
    """The Consensus Sleep Diary metrics of a night, or None if it cannot be scored."""
    try:
        return score_record(entry)
    except InstrumentInputError:
        return None


def _pain(entry: Pain) -> dict[str, Any]:
    return {"score": entry.score, "sites": entry.sites, "interference": entry.interference}


def _headache(entry: Headache) -> dict[str, Any]:
    duration = None
    if entry.end is not None:
        duration = round((entry.end - entry.at).total_seconds() / 60)
    return {
        "end": _wall(entry.end, entry.zone),
        "duration_min": duration,
        "peak": entry.peak,
        "features": tuple(f.value for f in entry.features),
        "acute_medication": entry.acute_medication,
    }


def _fatigue(entry: Fatigue) -> dict[str, Any]:
    return {"score": entry.score, "energy": entry.energy}


def _soreness(entry: Soreness) -> dict[str, Any]:
    return {"score": entry.score, "sites": entry.sites}


def _workout(entry: Workout) -> dict[str, Any]:
    return {"activity": entry.activity, "minutes": entry.minutes, "intensity": entry.intensity}


def _bowel(entry: Bowel) -> dict[str, Any]:
    return {
        "bristol": entry.bristol,
        "straining": entry.straining,
        "incomplete": entry.incomplete,
        "blockage": entry.blockage,
        "manual": entry.manual,
        "spontaneous": entry.spontaneous,
    }


def _side_effect(entry: SideEffect) -> dict[str, Any]:
    return {"symptom": entry.symptom, "severity": entry.severity}


def _substance(entry: Substance) -> dict[str, Any]:
    return {"name": entry.name, "substance_class": entry.substance_class, "amount": entry.amount}


def _questionnaire(entry: Questionnaire) -> dict[str, Any]:
    return {"instrument": entry.instrument, "score": entry.score, "items": entry.items}


_ROW_BUILDERS: dict[type[EntryBase], Callable[[Any], dict[str, Any]]] = {
    Dose: _dose,
    Sleep: _sleep,
    Pain: _pain,
    Headache: _headache,
    Fatigue: _fatigue,
    Soreness: _soreness,
    Workout: _workout,
    Bowel: _bowel,
    SideEffect: _side_effect,
    Substance: _substance,
    Questionnaire: _questionnaire,
}


def _product_rows(products: Sequence[Product]) -> list[dict[str, Any]]:
    rows = []
    for product in sorted(products, key=lambda p: p.name):
        base = {
            "name": product.name,
            "vendor": product.vendor,
            "vein": product.vein,
            "form": product.form,
            "grams_per_capsule": product.grams_per_capsule,
            "grams_per_teaspoon": product.grams_per_teaspoon,
            "grams_per_tablespoon": product.grams_per_tablespoon,
            "note": product.note,
        }
        if not product.batches:
            rows.append(base)
        for batch in product.batches:
            lab = batch.lab
            rows.append(
                {
                    **base,
                    "batch": batch.code,
                    "bought_on": batch.bought_on,
                    **(
                        {}
                        if lab is None
                        else {
                            "lab": lab.lab,
                            "tested_on": lab.tested_on,
                            "mitragynine_mg_per_g": lab.mitragynine_mg_per_g,
                            "hydroxymitragynine_mg_per_g": lab.hydroxymitragynine_mg_per_g,
                            "heavy_metals_pass": lab.heavy_metals_pass,
                            "microbial_pass": lab.microbial_pass,
                            "lab_passed": lab.passed,
                        }
                    ),
                }
            )
    return rows


def _profile_rows(profile: Profile | None) -> list[dict[str, Any]]:
    if profile is None:
        return []
    limits = profile.limits
    fields: list[tuple[str, Any]] = [
        ("timezone", profile.timezone),
        ("bedtime", profile.bedtime),
        ("wake_time", profile.wake_time),
        ("conditions", tuple(c.value for c in profile.conditions)),
        ("goals", tuple(g.value for g in profile.goals)),
        ("limit_grams_per_day", limits.grams_per_day),
        ("limit_doses_per_day", limits.doses_per_day),
        ("limit_use_days_per_week", limits.use_days_per_week),
        ("limits_agreed_with_clinician", limits.agreed_with_clinician),
        (
            "medications",
            tuple(f"{m.name} ({m.substance_class.value})" for m in profile.medications),
        ),
        ("pregnant_or_breastfeeding", profile.pregnant_or_breastfeeding),
        ("health_conditions", tuple(h.value for h in profile.health_conditions)),
        ("birth_year", profile.birth_year),
    ]
    return [{"field": name, "value": value} for name, value in fields]


# --------------------------------------------------------------------------- text


def _render(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(column, row.get(column)) for column in columns])
    return buffer.getvalue()


def _cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        text = "; ".join(str(getattr(v, "value", v)) for v in value)
    elif isinstance(value, float):
        text = f"{value:.10g}"
    else:
        text = str(getattr(value, "value", value))
    if column in _FREE_TEXT and text.startswith(_FORMULA_STARTS):
        text = "'" + text
    return text
