"""Pregnancy or breastfeeding, and CYP3A-metabolised medicines, during recent use."""

from __future__ import annotations

from speciosa.journal.models import Medication
from speciosa.knowledge import load_knowledge

from .builders import Journal, profile
from .helpers import alerts_for, only


def test_pregnancy_with_recent_use_is_a_warning() -> None:
    journal = Journal(profile=profile(pregnant_or_breastfeeding=True))
    dose = journal.dose(3)
    alert = only(journal.window(), "pregnancy")
    assert (alert.severity.value, alert.entry_ids) == ("warning", (dose,))
    assert "post-2019" in alert.source_ids


def test_pregnancy_without_recent_use_or_not_pregnant_is_silent() -> None:
    pregnant = Journal(profile=profile(pregnant_or_breastfeeding=True))
    pregnant.dose(31)
    assert alerts_for(pregnant.window(), "pregnancy") == []
    other = Journal()
    other.dose(1)
    assert alerts_for(other.window(), "pregnancy") == []


def test_cyp3a_medicine_in_the_profile_uses_the_catalogue() -> None:
    meds = (Medication(name="Simvastatin"), Medication(name="vitamin d"))
    journal = Journal(profile=profile(medications=meds))
    dose = journal.dose(2)
    alert = only(journal.window(), "cyp3a")
    entry = load_knowledge().interactions["cyp3a_substrate"]
    assert (alert.severity.value, alert.title) == (entry.severity, entry.title)
    assert alert.source_ids == entry.source_ids
    assert "Your profile lists Simvastatin as a regular medicine. It is commonly listed" in (
        alert.explanation
    )
    assert alert.entry_ids == (dose,)


def test_cyp3a_substance_entry_counts_and_other_medicines_do_not() -> None:
    journal = Journal()
    dose = journal.dose(2)
    pill = journal.substance(2, "20:00", "atorvastatin")
    assert only(journal.window(), "cyp3a").entry_ids == (dose, pill)
    plain = Journal(profile=profile(medications=(Medication(name="vitamin d"),)))
    plain.dose(2)
    assert alerts_for(plain.window(), "cyp3a") == []


def test_a_logged_cyp3a_medicine_says_you_logged_not_you_take() -> None:
    journal = Journal()
    journal.dose(2)
    journal.substance(2, "20:00", "alprazolam")
    alert = only(journal.window(), "cyp3a")
    assert "You logged alprazolam in the last 30 days (1 entry)." in alert.explanation
    assert "You take" not in alert.explanation
