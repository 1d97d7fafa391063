"""Wearable exports: Apple Health, Fitbit (Google Takeout), Oura and Garmin Connect.

    detect_wearable_format(path) -> "apple-health" | "fitbit" | "oura" | "garmin" | None
    import_wearable(session, owner, path, *, fmt, now, default_zone, dry_run, progress)
        -> DeviceImportSummary                       (writes through store.device_store)
    device_nights(samples, *, zone) -> list[DeviceNight]      (pure; see nights.py)
    pair_nights(diary_metrics(sleep_entries), nights) -> list[NightPair]
    device_outcomes(nights) -> {night: {"device_tst": ..., ...}}  (extra outcomes for insights)

Every reader turns its vendor's quirks into ``DeviceSample`` (samples.py): UTC instants with
the offset and, when known, the IANA zone of the original timestamp.
"""

from .detect import FORMATS, detect_wearable_format
from .importer import DeviceImportSummary, import_wearable
from .nights import (
    DeviceNight,
    NightPair,
    device_nights,
    device_outcomes,
    diary_metrics,
    main_nights,
    pair_nights,
)
from .samples import KINDS, DeviceSample

__all__ = [
    "FORMATS",
    "KINDS",
    "DeviceImportSummary",
    "DeviceNight",
    "DeviceSample",
    "NightPair",
    "detect_wearable_format",
    "device_nights",
    "device_outcomes",
    "diary_metrics",
    "import_wearable",
    "main_nights",
    "pair_nights",
]
