"""What the API and the pages share: turning input into validated entries, Today, the
timeline. Conversions are the command line's own (``parse_when``, ``parse_amount``,
``class_of``, the questionnaires' scoring), so the same input means the same entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from speciosa.errors import InvalidInput, from_validation_error
from speciosa.instruments.questionnaires import QUESTIONNAIRES
from speciosa.journal import clock
from speciosa.journal.catalogues import SubstanceClass, class_of
from speciosa.journal.models import KINDS, Dose, EntryBase, Profile, StoredEntry, entry_from_dict
from speciosa.journal.today import TodaySummary, summarise_today
from speciosa.journal.units import parse_amount, unit_named
from speciosa.store import accounts
from speciosa.store.journal_store import JournalStore
from speciosa.web import alerts as alert_rules

# Fields a person may give as "a, b, c" in a form.
LIST_FIELDS = frozenset({"sites", "features", "acute_medication", "sleep_aids", "items"})
# Instants besides ``at``; each is read like ``--at``.
INSTANT_FIELDS: dict[str, tuple[str, ...]] = {
    "sleep": ("tried_to_sleep", "final_awakening", "out_of_bed"),
    "headache": ("end",),
}


def validate(data: Mapping[str, Any]) -> EntryBase:
    try:
        return entry_from_dict({k: v for k, v in data.items() if v is not None})
    except ValidationError as exc:
        raise from_validation_error(exc) from exc


def build_entry(data: Mapping[str, Any], *, profile: Profile, now: datetime) -> EntryBase:
    """A validated entry from API or form input (strings allowed where a person types)."""
    kind = str(data.get("kind") or "").replace("-", "_")
    if kind not in KINDS:
        raise InvalidInput("kind", data.get("kind"), f"must be one of {', '.join(KINDS)}")
    fields = {k: v for k, v in data.items() if v is not None and v != ""}
    zone_name = str(fields.get("zone") or profile.timezone)
    clock.zone(zone_name)
    fields.update(kind=kind, zone=zone_name, at=_when(fields.get("at"), "at", now, zone_name))
    for name in INSTANT_FIELDS.get(kind, ()):
        if name in fields:
            fields[name] = _when(fields[name], name, now, zone_name)
    for name in LIST_FIELDS & fields.keys():
        fields[name] = _listed(fields[name], name)
    _complete(kind, fields)
    entry = validate(fields)
    for name in INSTANT_FIELDS.get(kind, ()):
        if getattr(entry, name, None) is not None:
            clock.check_not_future(getattr(entry, name), now, field=name)
    return entry


def merged(stored: StoredEntry, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The stored entry with ``changes`` applied, ready for :func:`build_entry` again."""
    unknown = set(changes) - set(stored.entry.model_dump()) - {"kind"}
    if unknown:
        raise InvalidInput(
            sorted(unknown)[0],
            changes[sorted(unknown)[0]],
            f"is not a field of a {stored.entry.kind}",
        )
    data = stored.entry.model_dump(mode="json")
    data.update(changes)
    if isinstance(stored.entry, Dose):
        data["grams"] = None  # recomputed from the (possibly new) amount and product
        if "amount" in changes and "unit" not in changes and isinstance(changes["amount"], str):
            data.pop("unit", None)
    return data


def _when(value: Any, field: str, now: datetime, zone_name: str) -> datetime:
    if isinstance(value, datetime):
        return clock.utc(value)
    return clock.parse_when(str(value or "now"), now=now, zone_name=zone_name, field=field)


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
    """Fill what a person may leave out, exactly as ``speciosa log KIND`` does."""
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
        if given not in (None, "") and abs(float(given) - computed) > 1e-9:
            raise InvalidInput(
                "score", given, f"{instrument} scores these answers as {computed:g}; leave it out"
            )
        fields["score"] = computed


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in {"on", "true", "1", "yes"}


# --------------------------------------------------------------------------- Today


@dataclass(frozen=True)
class TodayView:
    summary: TodaySummary
    last_product: str | None
    last_amount: str
    alerts: list[alert_rules.AlertView]
    products: list[str]


def today(
    store: JournalStore, *, profile: Profile, now: datetime, cache: alert_rules.AlertCache
) -> TodayView:
    """Today's numbers, the last dose to repeat in one tap, and open alerts."""
    # summarise_today needs the last 7 days; two more cover zones and the 04:00 day start.
    recent = store.entries(kinds=["dose"], since=now - timedelta(days=9))
    doses = [s.entry for s in recent if isinstance(s.entry, Dose)]
    last = max(doses, key=lambda d: d.at, default=None)
    return TodayView(
        summary=summarise_today(doses, profile, now=now),
        last_product=None if last is None else last.product,
        last_amount="" if last is None else f"{last.amount:g} {last.unit.value}",
        alerts=open_alerts(store, profile=profile, now=now, cache=cache),
        products=[p.name for p in store.products()],
    )


def open_alerts(
    store: JournalStore, *, profile: Profile, now: datetime, cache: alert_rules.AlertCache
) -> list[alert_rules.AlertView]:
    """The safety alerts over the rules' window, recomputed only when the journal changed."""

    def compute() -> list[alert_rules.AlertView]:
        window = store.entries(since=now - alert_rules.WINDOW)
        return alert_rules.evaluate(
            profile=profile, products=store.products(), entries=window, now=now
        )

    version = accounts.journal_version(session=store.session, owner_id=store.owner)
    return cache.get(store.owner, version, now, compute)


# --------------------------------------------------------------------------- timeline


@dataclass(frozen=True)
class TimelineDay:
    day: date
    entries: list[StoredEntry]


def timeline(
    store: JournalStore, *, profile: Profile, now: datetime, until: date | None, days: int
) -> list[TimelineDay]:
    """Entries grouped by journal day, newest day first, for ``days`` days up to ``until``."""
    last = until or clock.journal_day(now, profile.timezone)
    first = last - timedelta(days=days - 1)
    start = clock.day_bounds(first, profile.timezone)[0] - timedelta(hours=14)
    end = clock.day_bounds(last, profile.timezone)[1] + timedelta(hours=14)
    grouped: dict[date, list[StoredEntry]] = {}
    # A margin either side, then each entry placed by its own zone, so travel is exact.
    for stored in store.entries(since=start, until=end):
        day = clock.journal_day(stored.entry.at, stored.entry.zone)
        if first <= day <= last:
            grouped.setdefault(day, []).append(stored)
    return [
        TimelineDay(day, sorted(grouped[day], key=lambda s: s.entry.at, reverse=True))
        for day in sorted(grouped, reverse=True)
    ]
