"""Wearable exports: Apple Health, Fitbit (Google Takeout), Oura and Garmin Connect.

    detect_wearable_format(path) -> "apple-health" | "fitbit" | "oura" | "garmin" | None
    import_wearable(samples_store, path, *, fmt, now, default_zone, dry_run, progress)
        -> DeviceImportSummary                 (writes through a ``sinks.DeviceSink``)

Every reader turns its vendor's quirks into ``journal.device.DeviceSample``: UTC instants with
the offset and, when known, the IANA zone of the original timestamp; the vendor's own night
for a sleep when it dates one; a stable device identity when the export names the hardware.
The nights built from those samples are sleep science and live in
``instruments.device_nights``. The formats are documented in docs/formats.md.
"""

from .detect import FORMATS, detect_wearable_format
from .importer import DeviceImportSummary, import_wearable

__all__ = [
    "FORMATS",
    "DeviceImportSummary",
    "detect_wearable_format",
    "import_wearable",
]
