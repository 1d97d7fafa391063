"""Findings from the profile during recent kratom use: pregnancy or breastfeeding, and
regular medicines broken down by CYP3A.

Poison centres recorded neonatal kratom exposures, most with withdrawal (Post 2019), and
kratom is not shown safe for any use (FDA 2018). Kratom inhibits intestinal CYP3A: one cup
of tea raised midazolam exposure 1.39-fold (Tanna 2023). The CYP3A list is the knowledge
catalogue's short, non-exhaustive one; substance entries with those names count too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from speciosa.journal.models import Substance
from speciosa.knowledge import load_knowledge
from speciosa.safety.alerts import Alert, Severity
from speciosa.safety.rules.base import Rule, from_interaction, interaction_sources, plural
from speciosa.safety.thresholds import RECENT_USE_DAYS
from speciosa.safety.window import Identified, JournalWindow, ids, latest

PREGNANCY_SOURCES: tuple[str, ...] = ("post-2019", "fda-2018-statement")


def check_pregnancy(window: JournalWindow, now: datetime) -> list[Alert]:
    """A warning when the profile says pregnant or breastfeeding and kratom was used recently."""
    if not window.profile.pregnant_or_breastfeeding:
        return []
    doses = window.doses(now=now, since=now - timedelta(days=RECENT_USE_DAYS.value))
    if not doses:
        return []
    return [
        Alert(
            rule_id="pregnancy_or_breastfeeding",
            severity=Severity.WARNING,
            title="Kratom during pregnancy or breastfeeding",
            explanation=(
                "Your profile says you are pregnant or breastfeeding, and you used kratom in "
                f"the last {RECENT_USE_DAYS.value:g} days. US poison centres recorded newborns "
                "exposed to kratom, most of them with withdrawal symptoms, and kratom has not "
                "been shown safe for any use."
            ),
            what_to_do=(
                "Tell your midwife, obstetrician or the baby's doctor about your kratom use, "
                "including how often. Do not stop suddenly without medical advice if you use "
                "it daily: plan any change with them."
            ),
            source_ids=PREGNANCY_SOURCES,
            entry_ids=ids(doses),
            at=latest(doses, now),
        )
    ]


def check_cyp3a(window: JournalWindow, now: datetime) -> list[Alert]:
    """A caution (from the catalogue) for CYP3A-metabolised medicines during recent use."""
    since = now - timedelta(days=RECENT_USE_DAYS.value)
    doses = window.doses(now=now, since=since)
    if not doses:
        return []
    knowledge = load_knowledge()
    regular = sorted(
        {m.name for m in window.profile.medications if knowledge.is_cyp3a_example(m.name)}
    )
    taken = [
        s
        for s in window.of_kind(Substance, now=now, since=since)
        if knowledge.is_cyp3a_example(s.entry.name)
    ]
    logged = sorted({s.entry.name.strip().lower() for s in taken} - {r.lower() for r in regular})
    names = [*regular, *logged]
    if not names:
        return []
    parts = []
    if regular:
        parts.append(
            f"Your profile lists {', '.join(regular)} as "
            f"{'a regular medicine' if len(regular) == 1 else 'regular medicines'}."
        )
    if logged:
        entries = sum(s.entry.name.strip().lower() in logged for s in taken)
        parts.append(
            f"You logged {', '.join(logged)} in the last {RECENT_USE_DAYS.value:g} days "
            f"({plural(entries, 'entry', 'entries')})."
        )
    finding = (
        f"{' '.join(parts)} {'It is' if len(names) == 1 else 'These are'} commonly listed as "
        f"broken down by CYP3A, and you used kratom in the last {RECENT_USE_DAYS.value:g} days. "
        f"Speciosa's CYP3A list: {knowledge.cyp3a_examples.label}"
    )
    triggers: list[Identified] = [*taken, *doses]
    return [from_interaction("cyp3a_medicine", "cyp3a_substrate", finding, triggers, now=now)]


PREGNANCY_RULE = Rule(
    id="pregnancy_or_breastfeeding",
    concern="kratom use while pregnant or breastfeeding",
    check=check_pregnancy,
    source_ids=PREGNANCY_SOURCES,
)
CYP3A_RULE = Rule(
    id="cyp3a_medicine",
    concern="regular medicines broken down by CYP3A",
    check=check_cyp3a,
    source_ids=interaction_sources("cyp3a_substrate"),
)
