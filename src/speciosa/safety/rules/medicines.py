"""Medicines with a risk of their own beside kratom, whatever their class: those commonly
listed as lowering the seizure threshold (tramadol, bupropion), and serotonergic medicines
(SSRIs, SNRIs, MAOIs, triptans, St John's wort, and tramadol, the key case).

Seizures were recorded in kratom poisonings (Trakulsrichai 2013; Post 2019). The FDA warned
that opioid medicines with serotonergic medicines can cause serotonin syndrome, naming
tramadol among the opioids that already carried the warning (FDA 2016); kratom acts on the
same receptor, so the warning applies by analogy. A logged medicine counts when it was taken
near a dose (the co-use window, Speciosa's convention); a regular medicine in the profile
counts during recent use. Names come from the knowledge catalogue's lists, and entries
logged before Speciosa knew a name's class are looked up again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from speciosa.journal.catalogues import SubstanceClass, class_of
from speciosa.journal.models import Substance
from speciosa.knowledge import load_knowledge
from speciosa.safety.alerts import Alert
from speciosa.safety.rules.base import (
    Rule,
    from_interaction,
    interaction_sources,
    local_date,
    plural,
)
from speciosa.safety.rules.co_use import WINDOW_NOTE
from speciosa.safety.thresholds import (
    CO_USE_LOOKBACK_DAYS,
    CO_USE_WINDOW_HOURS,
    RECENT_USE_DAYS,
)
from speciosa.safety.window import Identified, JournalWindow, Stored

Test = Callable[[str, SubstanceClass], bool]


def lowers_seizure_threshold(name: str, substance_class: SubstanceClass) -> bool:
    """Whether a medicine is on the catalogue's seizure-threshold list (tramadol, bupropion)."""
    return load_knowledge().on_list("seizure_threshold", name)


def is_serotonergic(name: str, substance_class: SubstanceClass) -> bool:
    """Serotonergic by class (as recorded, or as Speciosa now knows the name), or by the
    catalogue's list of serotonergic medicines of other classes (tramadol)."""
    return SubstanceClass.SEROTONERGIC in (
        substance_class,
        class_of(name),
    ) or load_knowledge().on_list("serotonergic", name)


def _normal(name: str) -> str:
    return " ".join(name.lower().split())


def _check(rule_id: str, key: str, test: Test) -> Callable[[JournalWindow, datetime], list[Alert]]:
    """A check raising one alert from catalogue entry ``key`` when a medicine passing
    ``test`` was logged near a dose, or is a regular medicine during recent use."""

    def check(window: JournalWindow, now: datetime) -> list[Alert]:
        since = now - timedelta(days=CO_USE_LOOKBACK_DAYS.value)
        reach = timedelta(hours=CO_USE_WINDOW_HOURS.value)
        doses = window.doses(now=now, since=since - reach)
        logged: list[Stored[Substance]] = []
        partners: dict[int, Identified] = {}
        for substance in window.of_kind(Substance, now=now, since=since):
            if not test(substance.entry.name, substance.entry.substance_class):
                continue
            near = [d for d in doses if abs(d.at - substance.at) <= reach]
            if near:
                logged.append(substance)
                partners.update((d.id, d) for d in near)
        logged_names = {_normal(e.entry.name) for e in logged}
        recent = window.doses(now=now, since=now - timedelta(days=RECENT_USE_DAYS.value))
        regular = (
            sorted(
                {
                    m.name
                    for m in window.profile.medications
                    if test(m.name, m.substance_class) and _normal(m.name) not in logged_names
                }
            )
            if recent
            else []
        )
        parts = []
        if logged:
            last = max(logged, key=lambda e: e.at)
            parts.append(
                f"Your journal shows {', '.join(sorted(logged_names))} near a kratom dose "
                f"(within {CO_USE_WINDOW_HOURS.value:g} hours) on "
                f"{plural(len(logged), 'occasion')} in the last "
                f"{CO_USE_LOOKBACK_DAYS.value:g} days, most recently on "
                f"{local_date(last.at, window.profile.timezone)}. {WINDOW_NOTE}"
            )
        if regular:
            parts.append(
                f"Your profile lists {', '.join(regular)} as "
                f"{'a regular medicine' if len(regular) == 1 else 'regular medicines'}, and you "
                f"used kratom in the last {RECENT_USE_DAYS.value:g} days."
            )
        if not parts:
            return []
        triggers: list[Identified] = [*logged, *partners.values()] if logged else [*recent]
        return [
            from_interaction(
                rule_id,
                key,
                " ".join(parts),
                triggers,
                now=now,
                extra_sources=CO_USE_WINDOW_HOURS.source_ids if logged else (),
            )
        ]

    return check


def _sources(key: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*interaction_sources(key), *CO_USE_WINDOW_HOURS.source_ids)))


SEIZURE_MEDICINE_RULE = Rule(
    id="seizure_medicine",
    concern="kratom with medicines that lower the seizure threshold (tramadol, bupropion)",
    check=_check("seizure_medicine", "seizure_threshold", lowers_seizure_threshold),
    source_ids=_sources("seizure_threshold"),
)
SEROTONERGIC_RULE = Rule(
    id="serotonergic_medicine",
    concern="kratom with serotonergic medicines (SSRIs, SNRIs, MAOIs, triptans, tramadol)",
    check=_check("serotonergic_medicine", "serotonergic", is_serotonergic),
    source_ids=_sources("serotonergic"),
)
