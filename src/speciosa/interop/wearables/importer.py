"""``import_wearable``: one export file into the person's device samples.

Samples are written in batches as they are read (an Apple export is never held in memory)
into the ``DeviceSink`` the caller passes (``store.device_store.DeviceStore``, inside the
caller's transaction: a failed import leaves nothing behind). Re-importing adds nothing; an
export overlapping an earlier one adds only what is new (``dedup_key``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path

from speciosa.errors import InvalidInput
from speciosa.interop.sinks import DeviceSink
from speciosa.journal import clock
from speciosa.journal.device import DeviceSample

from . import detect
from .apple_health import AppleHealthCounts, read_apple_health
from .fitbit import read_fitbit
from .garmin import read_garmin
from .oura import read_oura

BATCH = 2000
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DeviceImportSummary:
    """What an import found and did. ``read``: records in the file (all types for Apple
    Health); ``skipped``: samples already stored (or repeated in the file); ``invalid``:
    samples of a kept kind that could not be used, with the first few ``problems``."""

    format: str
    read: int
    added: int
    skipped: int
    by_kind: dict[str, int] = field(default_factory=dict)  # added (or would add) per kind
    invalid: int = 0
    problems: tuple[str, ...] = ()
    dry_run: bool = False


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
    samples = _read(chosen, path, default_zone, progress, counts)
    limit = clock.utc(now) + clock.FUTURE_TOLERANCE
    added: Counter[str] = Counter()
    seen: set[int] = set()  # dry run only: keys met earlier in this file
    usable = future = 0
    for batch in _batches(samples, BATCH):
        current = [s for s in batch if s.start <= limit]
        future += len(batch) - len(current)
        usable += len(current)
        if dry_run:
            fresh = samples_store.new_keys(current)
            added.update(s.kind for k, s in fresh.items() if k not in seen)
            seen.update(fresh)
        else:
            added.update(samples_store.add(current))
    if chosen != detect.APPLE_HEALTH:
        counts.records = counts.samples = usable + future
        if progress is not None:
            size = path.stat().st_size
            progress(size, size)
    problems = list(counts.problems)
    if future:
        problems.append(f"{future} samples dated in the future were left out")
    total_added = sum(added.values())
    return DeviceImportSummary(
        format=chosen,
        read=counts.records,
        added=total_added,
        skipped=usable - total_added,
        by_kind=dict(sorted(added.items())),
        invalid=counts.invalid + future,
        problems=tuple(problems),
        dry_run=dry_run,
    )


def _read(
    fmt: str, path: Path, zone: str, progress: Progress | None, counts: AppleHealthCounts
) -> Iterable[DeviceSample]:
    if fmt == detect.APPLE_HEALTH:
        return read_apple_health(path, progress=progress, counts=counts)
    if fmt == detect.FITBIT:
        return read_fitbit(path, default_zone=zone)
    if fmt == detect.OURA:
        return read_oura(path, default_zone=zone)
    return read_garmin(path)


def _batches(samples: Iterable[DeviceSample], size: int) -> Iterator[list[DeviceSample]]:
    iterator = iter(samples)
    while batch := list(islice(iterator, size)):
        yield batch
