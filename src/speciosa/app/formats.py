"""The names of the formats ``import`` and ``export`` accept.

Kept apart from :mod:`speciosa.app.data` (which imports every reader and writer) so that
a front end can show them in its help without importing those.
"""

from __future__ import annotations

IMPORT_FORMATS = (
    "auto",
    "json",
    "psychonautwiki",
    "kratomtracker",
    "csv",
    "apple-health",
    "fitbit",
    "oura",
    "garmin",
)
EXPORT_FORMATS = ("json", "csv", "fhir")
