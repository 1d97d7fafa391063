"""Asking "did you mean ...?" before saving an amount that looks like a typing slip.

A dose of 300 g is far more likely "3 g" with a slipped decimal point, or "300 mg" typed as
grams, than a dose. :func:`check_dose` says when a front end should ask before saving, and
what the person probably meant; it never changes or refuses the amount: a confirmed amount
is stored exactly as given. The rule (``knowledge/thresholds.py``, with its sources):

- more than ``LARGEST_REPORTED_DOSE_GRAMS`` (25 g, the top of the highest single-dose band
  reported), or
- ``SLIP_FACTOR_OF_OWN_LIMIT`` (10) times the person's own grams-per-day limit or more, the
  factor a slipped decimal point makes.

    check = plausibility.check_dose(journal, entries.build_entry(journal, data))
    if check: ask(check.question)   # "300 g in one dose is ... Did you mean 3 g or 0.3 g?"
"""

from __future__ import annotations

from dataclasses import dataclass

from speciosa.errors import SpeciosaError
from speciosa.journal.models import Dose, EntryBase
from speciosa.journal.units import Amount, Unit, to_grams
from speciosa.knowledge.thresholds import LARGEST_REPORTED_DOSE_GRAMS, SLIP_FACTOR_OF_OWN_LIMIT

from .unit import Journal

# Slips that shift an amount by a power of ten: a lost decimal point, mg typed as g.
_SLIPS = (10, 100, 1000)
SMALLEST_SUGGESTION_GRAMS = 0.1  # below a tenth of a gram a guess is no help
MAX_SUGGESTIONS = 2


@dataclass(frozen=True)
class AmountCheck:
    """An amount to confirm: what was typed, its grams, why we ask, and likely meanings."""

    amount: str
    grams: float
    reason: str
    suggestions: tuple[str, ...]
    source_ids: tuple[str, ...]

    @property
    def question(self) -> str:
        """One sentence for the person ("... Did you mean 3 g or 0.3 g?")."""
        if not self.suggestions:
            return f"{self.reason} Is {self.amount} right?"
        return f"{self.reason} Did you mean {' or '.join(self.suggestions)}?"


def check_dose(journal: Journal, entry: EntryBase) -> AmountCheck | None:
    """An :class:`AmountCheck` when ``entry`` is a dose to confirm before saving, else None."""
    if not isinstance(entry, Dose):
        return None
    try:
        product = journal.store.product(entry.product) if entry.product else None
        grams = to_grams(Amount(entry.amount, entry.unit), product)
    except SpeciosaError:
        return None  # saving reports the unknown product or the missing measure itself
    ceiling = _ceiling(journal.profile.limits.grams_per_day)
    if grams <= ceiling:
        return None
    return AmountCheck(
        amount=_shown(entry.amount, entry.unit),
        grams=grams,
        reason=_reason(grams, journal.profile.limits.grams_per_day),
        suggestions=_suggestions(entry.amount, entry.unit, grams, ceiling),
        source_ids=LARGEST_REPORTED_DOSE_GRAMS.source_ids,
    )


def _ceiling(limit: float | None) -> float:
    """The most grams a dose may have without a question (just under the slip factor)."""
    largest = LARGEST_REPORTED_DOSE_GRAMS.value
    if limit is None:
        return largest
    # ">=" the slip factor asks, so the ceiling sits a hair below it
    return min(largest, SLIP_FACTOR_OF_OWN_LIMIT.value * limit - 1e-9)


def _reason(grams: float, limit: float | None) -> str:
    if limit is not None and SLIP_FACTOR_OF_OWN_LIMIT.reached(grams / limit):
        return f"{grams:g} g in one dose is ten times or more your own limit of {limit:g} g a day."
    return (
        f"{grams:g} g in one dose is more than {LARGEST_REPORTED_DOSE_GRAMS.value:g} g, "
        "the largest single dose described in the studies."
    )


def _suggestions(amount: float, unit: Unit, grams: float, ceiling: float) -> tuple[str, ...]:
    found = [
        _shown(amount / slip, unit)
        for slip in _SLIPS
        if SMALLEST_SUGGESTION_GRAMS <= grams / slip <= ceiling
        # nobody takes a part of a capsule
        and (unit is not Unit.CAPSULE or (amount / slip).is_integer())
    ]
    return tuple(found[:MAX_SUGGESTIONS])


def _shown(amount: float, unit: Unit) -> str:
    return f"{round(amount, 4):g} {unit.value}"
