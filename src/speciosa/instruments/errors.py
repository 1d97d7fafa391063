"""The one error instruments raise for impossible input.

    SpeciosaError
    └── InvalidInput                  (speciosa.errors: names field, value and what is allowed)
        └── InstrumentInputError      also a ValueError, so plain callers can catch that

Subclassing ``InvalidInput`` means the CLI and web layers already turn it into exit code 2
or HTTP 422 with the field named.
"""

from __future__ import annotations

from typing import Any

from speciosa.errors import InvalidInput


class InstrumentInputError(InvalidInput, ValueError):
    """Input an instrument cannot score; ``field``, ``value`` and ``allowed`` say why."""

    def __init__(self, field: str, value: Any, allowed: str) -> None:
        super().__init__(field, value, allowed)
