"""The exceptions Speciosa raises at its boundaries.

SpeciosaError        base class: callers catch this
├── InvalidInput     bad input: names the field, the value and what is allowed (exit 2, HTTP 422)
├── NotFound         an id or name this person does not have (exit 2, HTTP 404)
└── Conflict         the request clashes with what is stored (exit 2, HTTP 409)
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError


class SpeciosaError(Exception):
    """Base class for every error Speciosa reports to a person."""


class InvalidInput(SpeciosaError):
    """A value that cannot be accepted, with the field it was given for."""

    def __init__(self, field: str, value: Any, allowed: str) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field}: {_show(value)} is not allowed; {allowed}")


class NotFound(SpeciosaError):
    """Something referred to by id or name that this person does not have."""

    def __init__(self, what: str, key: Any, hint: str = "") -> None:
        self.field = what
        self.value = key
        message = f"{what}: {_show(key)} not found"
        super().__init__(f"{message}; {hint}" if hint else message)


class Conflict(SpeciosaError):
    """An operation that would break what is already stored."""


def _show(value: Any) -> str:
    if value is None:
        return "(missing)"
    return repr(value) if isinstance(value, str) else str(value)


class FieldProblem(ValueError):
    """Raised inside model validators so a cross-field rule still names its field."""

    def __init__(self, field: str, value: Any, allowed: str) -> None:
        self.field = field
        self.value = value
        super().__init__(allowed)


def from_validation_error(exc: ValidationError, *, prefix: str = "") -> InvalidInput:
    """Turn pydantic's first error into one InvalidInput naming field, value and rule."""
    first = exc.errors(include_url=False)[0]
    problem = first.get("ctx", {}).get("error")
    if isinstance(problem, FieldProblem):
        field = f"{prefix}.{problem.field}" if prefix else problem.field
        return InvalidInput(field, problem.value, str(problem))
    location = ".".join(str(part) for part in first["loc"] if not _is_union_tag(part))
    field = f"{prefix}.{location}" if prefix and location else (prefix or location or "input")
    message = str(first["msg"])
    message = message.removeprefix("Value error, ")
    message = message[:1].lower() + message[1:]
    return InvalidInput(field, first.get("input"), message)


def _is_union_tag(part: Any) -> bool:
    # pydantic puts the discriminator value ("dose", "pain"...) in the location of
    # tagged-union errors; the person never typed it, so it only adds noise.
    return isinstance(part, str) and part in _ENTRY_KIND_TAGS


_ENTRY_KIND_TAGS = {
    "dose",
    "sleep",
    "pain",
    "headache",
    "fatigue",
    "soreness",
    "workout",
    "bowel",
    "side_effect",
    "substance",
    "questionnaire",
}
