"""The one line every front end shows for an entry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from speciosa.journal.describe import describe
from speciosa.journal.models import EntryBase, entry_from_dict

AT = datetime(2026, 1, 10, 22, 0, tzinfo=UTC)


def _entry(**fields: object) -> EntryBase:
    return entry_from_dict({"at": AT, "zone": "UTC", **fields})


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"kind": "dose", "amount": 3, "unit": "g", "grams": 3}, "3 g"),
        (
            {"kind": "dose", "amount": 2, "unit": "caps", "product": "Red", "grams": 1},
            "2 caps of Red = 1 g",
        ),
        ({"kind": "pain", "score": 4}, "4/10"),
        ({"kind": "bowel", "bristol": 2, "straining": True}, "Bristol type 2 (straining)"),
        ({"kind": "side_effect", "symptom": "nausea", "severity": 2}, "nausea, severity 2/3"),
        (
            {"kind": "substance", "name": "beer", "substance_class": "alcohol", "amount": "2"},
            "beer 2 (alcohol)",
        ),
        (
            {"kind": "questionnaire", "instrument": "sds", "items": [1, 0], "score": 1},
            "SDS, score 1",
        ),
    ],
)
def test_describe(fields: dict[str, object], text: str) -> None:
    assert describe(_entry(**fields)) == text


def test_a_night_is_described_by_its_sleep() -> None:
    night = _entry(
        kind="sleep",
        tried_to_sleep=AT,
        minutes_to_fall_asleep=30,
        minutes_awake_in_night=30,
        final_awakening=AT + timedelta(hours=8),
        out_of_bed=AT + timedelta(hours=8),
        quality=4,
    )
    assert describe(night) == "slept 7.0 h, 30 min to fall asleep, quality 4/5"
