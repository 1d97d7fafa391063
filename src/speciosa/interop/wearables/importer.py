"""``import_wearable``: one export file into the person's device samples.

Samples are written in batches as they are read (an Apple export is never held in memory)
into the ``DeviceSink`` the caller passes (``store.device_store.DeviceStore``, inside the
caller's transaction: a failed import leaves nothing behind). Re-importing adds nothing; an
export overlapping an earlier one adds only what is new (``dedup_key``). A night the file
records differently from what is stored for the same source (two exports that disagree) is
counted in ``conflicts`` and said in ``notes``; both records are kept.
"""

from __future__ import annotations

import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from speciosa.errors import InvalidInput
from speciosa.instruments.device_nights import conflicting_nights, night_records
from speciosa.journal import clock
from speciosa.journal.device import DeviceSample, has_usable_value

from . import detect
from .apple_health import AppleHealthCounts, read_apple_health

if TYPE_CHECKING:  # sinks imports the plan and routine models, which an import never uses
    from speciosa.interop.sinks import DeviceSink

BATCH = 2000
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DeviceImportSummary:
    """What an import found and did. ``read``: what the file held, counted in its own units
    (``read_units``: Apple Health records of all types, Fitbit sleep logs, Oura rows...);
    ``samples``: the device samples made from them; ``skipped``: samples already stored (or
    repeated in the file); ``invalid``: samples of a kept kind that could not be used, with
    the first few ``problems``; ``conflicts``: nights (per source) the file records
    differently from what was stored, said in ``notes``."""

    format: str
    read: int
    added: int
    skipped: int
    by_kind: dict[str, int] = field(default_factory=dict)  # added (or would add) per kind
    invalid: int = 0
    problems: tuple[str, ...] = ()
    dry_run: bool = False
    read_units: dict[str, int] = field(default_factory=dict)
    samples: int = 0
    conflicts: int = 0
    notes: tuple[str, ...] = ()

    @property
    def read_as(self) -> str:
        """What the file held, in its units: "26 sleep logs", "13 records"."""
        parts = [
            f"{n} {unit[:-1] if n == 1 and unit.endswith('s') else unit}"
            for unit, n in self.read_units.items()
        ]
        return ", ".join(parts) or "nothing readable"


def import_wearable(
    samples_store: DeviceSink,
    path: Path,
    *,
    fmt: str = "auto",
    now: datetime,
    default_zone: str,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> DeviceImportSummary:
    """Import a wearable export (Apple Health zip/XML, Fitbit, Oura, Garmin) into
    ``samples_store``.

    ``default_zone`` (the person's zone) reads vendor times that carry no offset; ``now``
    refuses samples dated in the future; ``progress(done, total)`` gets bytes read.
    """
    clock.zone(default_zone)
    path = Path(path)
    if not path.is_file():
        raise InvalidInput("file", str(path), "does not exist")
    chosen = detect.detect_wearable_format(path) if fmt == "auto" else fmt
    if chosen not in detect.FORMATS:
        raise InvalidInput(
            "format",
            fmt if fmt != "auto" else path.name,
            "must be one of " + ", ".join(detect.FORMATS) + " (auto could not tell from the file)",
        )
    counts = AppleHealthCounts()
    units: Counter[str] = Counter()
    samples = _readable(lambda: _read(chosen, path, default_zone, progress, counts, units), path)
    limit = clock.utc(now) + clock.FUTURE_TOLERANCE
    added: Counter[str] = Counter()
    seen: set[int] = set()  # dry run only: keys met earlier in this file
    conflicts: set[tuple[str, date]] = set()
    usable = future = unusable = 0
    for batch in _batches(samples, BATCH):
        measured = [s for s in batch if has_usable_value(s)]
        unusable += len(batch) - len(measured)
        current = [s for s in measured if s.start <= limit]
        future += len(measured) - len(current)
        usable += len(current)
        conflicts |= _conflicts(samples_store, current, default_zone)
        if dry_run:
            fresh = samples_store.new_keys(current)
            added.update(s.kind for k, s in fresh.items() if k not in seen)
            seen.update(fresh)
        else:
            added.update(samples_store.add(current))
    if chosen == detect.APPLE_HEALTH:
        units["records"] = counts.records
    elif progress is not None:
        size = path.stat().st_size
        progress(size, size)
    problems = list(counts.problems)
    if future:
        problems.append(f"{future} samples dated in the future were left out")
    if unusable:
        problems.append(
            f"{unusable} values that cannot be measurements (a heart rate or HRV that is not a "
            "positive number, a negative duration) were left out"
        )
    total_added = sum(added.values())
    return DeviceImportSummary(
        format=chosen,
        read=sum(units.values()),
        added=total_added,
        skipped=usable - total_added,
        by_kind=dict(sorted(added.items())),
        invalid=counts.invalid + future + unusable,
        problems=tuple(problems),
        dry_run=dry_run,
        read_units=dict(units),
        samples=usable + future + unusable,
        conflicts=len(conflicts),
        notes=_conflict_notes(conflicts, dry_run),
    )


def _conflicts(
    samples_store: DeviceSink, batch: list[DeviceSample], zone: str
) -> set[tuple[str, date]]:
    """(source, night) of the nights this batch records differently from what is stored."""
    records = night_records(batch)
    if not records:
        return set()
    margin = timedelta(days=1)
    stored = samples_store.night_records(
        {s.source for s in records},
        since=min(s.start for s in records) - margin,
        until=max(s.end for s in records) + margin,
    )
    return conflicting_nights([*stored, *records], zone=zone, among=records)


def _conflict_notes(conflicts: set[tuple[str, date]], dry_run: bool) -> tuple[str, ...]:
    if not conflicts:
        return ()
    nights = sorted(conflicts, key=lambda c: (c[1], c[0]))
    shown = ", ".join(f"{night.isoformat()} ({source})" for source, night in nights[:5])
    more = f" and {len(nights) - 5} more" if len(nights) > 5 else ""
    count = "1 night" if len(nights) == 1 else f"{len(nights)} nights"
    verb = "differs" if len(nights) == 1 else "differ"
    kept = "would be" if dry_run else "are"
    return (
        f"{count} in this file {verb} from what was imported before from the same source: "
        f"{shown}{more}. Both records {kept} kept; `speciosa nights` marks those nights and "
        "shows the record with the most sleep.",
    )


def _read(
    fmt: str,
    path: Path,
    zone: str,
    progress: Progress | None,
    counts: AppleHealthCounts,
    units: Counter[str],
) -> Iterable[DeviceSample]:
    if fmt == detect.APPLE_HEALTH:
        return read_apple_health(path, progress=progress, counts=counts)
    # The other vendors' readers are imported when their format is read (start-up time).
    if fmt == detect.FITBIT:
        from .fitbit import read_fitbit

        return read_fitbit(path, default_zone=zone, counts=units)
    if fmt == detect.OURA:
        from .oura import read_oura

        return read_oura(path, default_zone=zone, counts=units)
    from .garmin import read_garmin

    return read_garmin(path, counts=units)


def _readable(read: Callable[[], Iterable[DeviceSample]], path: Path) -> Iterator[DeviceSample]:
    """The samples ``read()`` gives; a damaged zip or a file that is not UTF-8 is said in
    one line naming the file (the caller's transaction then writes nothing)."""
    try:
        yield from read()
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise detect.damaged_zip(path) from exc
    except UnicodeDecodeError:
        raise InvalidInput(
            "file", str(path), "is not UTF-8 text; re-save it as UTF-8 or export it again"
        ) from None


def _batches(samples: Iterable[DeviceSample], size: int) -> Iterator[list[DeviceSample]]:
    iterator = iter(samples)
    while batch := list(islice(iterator, size)):
        yield batch
