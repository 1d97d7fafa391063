"""Validation at the boundary: each rule names the field that broke it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from speciosa.errors import from_validation_error
from speciosa.journal.models import KINDS, entry_from_dict
from tests.factories import every_kind

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def test_every_kind_has_a_valid_example() -> None:
    assert {e.kind for e in every_kind(NOW)} == set(KINDS)  # type: ignore[attr-defined]


def _base(kind: str, **fields: Any) -> dict[str, Any]:
    return {"kind": kind, "at": "2026-06-01T10:00:00Z", "zone": "Europe/London", **fields}


def _sleep(**changes: Any) -> dict[str, Any]:
    night = {
        "tried_to_sleep": "2026-06-01T10:10:00Z",
        "minutes_to_fall_asleep": 15,
        "final_awakening": "2026-06-01T17:00:00Z",
        "out_of_bed": "2026-06-01T17:30:00Z",
    }
    return _base("sleep", **{**night, **changes})


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (_base("bowel", bristol=8), "bristol"),  # Bristol scale is 1-7
        (_base("pain", score=11), "score"),  # NRS is 0-10
        (_base("dose", amount=-3), "amount"),  # negative grams
        (_base("dose", amount=0), "amount"),
        (_sleep(final_awakening="2026-06-01T10:05:00Z"), "final_awakening"),  # wake before bed
        (_sleep(out_of_bed="2026-06-01T16:00:00Z"), "out_of_bed"),
        (_sleep(minutes_to_fall_asleep=400, minutes_awake_in_night=60), "minutes_awake_in_night"),
        (_base("headache", peak=5, end="2026-06-01T09:00:00Z"), "end"),
        (_base("side_effect", symptom="werewolf"), "symptom"),
        (_base("substance", name="x", substance_class="vitamins"), "substance_class"),
        (_base("fatigue", score=3, energy=12), "energy"),
        (_base("pain", score=3, zone="Narnia/Cair_Paravel"), "zone"),
        (_base("pain", score=3, at="2026-06-01T10:00:00"), "at"),  # no offset
        (_base("pain", score=3, colour="blue"), "colour"),  # unknown fields are refused
    ],
)
def test_invalid_values_name_their_field(data: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        entry_from_dict(data)
    problem = from_validation_error(raised.value)
    assert problem.field == field
    assert field in str(problem)


def test_times_are_kept_in_utc() -> None:
    entry = entry_from_dict(_base("pain", score=2, at="2026-06-01T12:00:00+02:00"))
    assert entry.at == datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
    assert entry.at.utcoffset() == timedelta(0)
