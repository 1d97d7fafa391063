"""Findings from the profile during recent kratom use: pregnancy or breastfeeding; the
health conditions a clinician asks about (epilepsy, breathing risk, liver disease); and
regular medicines broken down by CYP3A or CYP2D6, or that change CYP3A activity.

Poison centres recorded neonatal kratom exposures, most with withdrawal (Post 2019), and
kratom is not shown safe for any use (FDA 2018). Kratom inhibits intestinal CYP3A: one cup
of tea raised midazolam exposure 1.39-fold (Tanna 2023). Mitragynine inhibits CYP2D6 in
vitro (Tanna 2021) but one cup of tea did not change dextromethorphan (Tanna 2023). CYP3A
turns mitragynine into 7-OH (Kruegel 2019); in mice ketoconazole weakened its effect on
breathing (Hill 2022). Seizures were recorded in kratom poisonings (Trakulsrichai 2013; Post
2019). The FDA's gabapentinoid warning (2019) names lung disease such as COPD, older age and
CNS depressants as breathing risk factors. Kratom has been linked to liver injury (Schimmel &
Dart 2020). The medicine lists are the knowledge catalogue's short, non-exhaustive ones;
substance entries with those names count too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from speciosa.journal import clock
from speciosa.journal.catalogues import HealthCondition, SubstanceClass, class_of
from speciosa.journal.models import Dose, Profile, Sleep, Substance
from speciosa.knowledge import load_knowledge
from speciosa.safety.alerts import Alert, Severity
from speciosa.safety.rules.base import Rule, from_interaction, interaction_sources, plural
from speciosa.safety.rules.co_use import DEPRESSANTS, describe, near_doses
from speciosa.safety.thresholds import (
    CO_USE_LOOKBACK_DAYS,
    CO_USE_WINDOW_HOURS,
    OLDER_AGE_YEARS,
    RECENT_USE_DAYS,
)
from speciosa.safety.window import Identified, JournalWindow, Stored, ids, latest

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
    return _listed_medicines(
        window, now, "cyp3a_medicine", "cyp3a_substrate", "broken down by CYP3A", "CYP3A"
    )


def check_cyp2d6(window: JournalWindow, now: datetime) -> list[Alert]:
    """A note (from the catalogue) for medicines broken down or activated by CYP2D6: an
    in-vitro signal that one cup of tea did not bear out."""
    return _listed_medicines(
        window,
        now,
        "cyp2d6_medicine",
        "cyp2d6_substrate",
        "broken down or activated by CYP2D6",
        "CYP2D6",
    )


def check_seven_oh_formation(window: JournalWindow, now: datetime) -> list[Alert]:
    """A note (from the catalogue) for medicines that block or speed up CYP3A, which may
    change how much 7-OH forms from mitragynine."""
    return _listed_medicines(
        window,
        now,
        "seven_oh_formation",
        "cyp3a_modulator",
        "blocking or speeding up CYP3A",
        "CYP3A blocker and inducer",
    )


def _listed_medicines(
    window: JournalWindow, now: datetime, rule_id: str, key: str, listed_as: str, list_name: str
) -> list[Alert]:
    """Regular medicines and logged substances on the catalogue list ``key`` during recent
    use, as one alert from the catalogue entry ``key``."""
    since = now - timedelta(days=RECENT_USE_DAYS.value)
    doses = window.doses(now=now, since=since)
    if not doses:
        return []
    knowledge = load_knowledge()
    regular = sorted({m.name for m in window.profile.medications if knowledge.on_list(key, m.name)})
    taken = [
        s
        for s in window.of_kind(Substance, now=now, since=since)
        if knowledge.on_list(key, s.entry.name)
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
        f"{listed_as}, and you used kratom in the last {RECENT_USE_DAYS.value:g} days. "
        f"Speciosa's {list_name} list: {knowledge.medicine_list(key).label}"
    )
    triggers: list[Identified] = [*taken, *doses]
    return [from_interaction(rule_id, key, finding, triggers, now=now)]


# --------------------------------------------------------------------------- health conditions

SEIZURE_SOURCES: tuple[str, ...] = ("trakulsrichai-2013", "post-2019")
BREATHING_SOURCES: tuple[str, ...] = (
    "fda-2019-gabapentinoids",
    "hill-2022-bjp",
    "fda-2016-opioid-benzo",
)
LIVER_SOURCES: tuple[str, ...] = ("schimmel-dart-2020", "livertox-kratom")
PARACETAMOL_LABEL_SOURCES: tuple[str, ...] = ("fda-2015-acetaminophen-liver",)


def _recent_doses(window: JournalWindow, now: datetime) -> list[Stored[Dose]]:
    return window.doses(now=now, since=now - timedelta(days=RECENT_USE_DAYS.value))


def check_epilepsy(window: JournalWindow, now: datetime) -> list[Alert]:
    """A warning when the profile records epilepsy and kratom was used recently."""
    if HealthCondition.EPILEPSY not in window.profile.health_conditions:
        return []
    doses = _recent_doses(window, now)
    if not doses:
        return []
    knowledge = load_knowledge()
    lowering = sorted(
        {
            " ".join(m.name.lower().split())
            for m in window.profile.medications
            if knowledge.on_list("seizure_threshold", m.name)
        }
    )
    also = (
        f" Your profile also lists {', '.join(lowering)}, commonly listed as lowering the "
        "seizure threshold (see its own alert)."
        if lowering
        else ""
    )
    return [
        Alert(
            rule_id="epilepsy",
            severity=Severity.WARNING,
            title="Kratom with epilepsy or another seizure disorder",
            explanation=(
                "Your profile records epilepsy or another seizure disorder, and you used kratom "
                f"in the last {RECENT_USE_DAYS.value:g} days. Seizures were recorded in kratom "
                "poisonings: in 17.5% of poisonings at a Thai poison centre, and among the "
                "effects in US poison-centre data. How kratom affects seizure control has not "
                f"been studied.{also}"
            ),
            what_to_do=(
                "Tell your neurologist or epilepsy team about your kratom use, including how "
                "often, and about any change in your seizures since you started. Log any "
                "seizure as a side effect. Call emergency services for a seizure that does not "
                "stop, or for one seizure after another."
            ),
            source_ids=SEIZURE_SOURCES,
            entry_ids=ids(doses),
            at=latest(doses, now),
        )
    ]


def age_this_year(profile: Profile, now: datetime) -> int | None:
    """The age reached this year (in the profile's zone), from the birth year; None unknown."""
    if profile.birth_year is None:
        return None
    return clock.local(now, profile.timezone).year - profile.birth_year


def breathing_risk_factors(profile: Profile, now: datetime) -> list[str]:
    """The breathing risk factors the profile records, in words."""
    factors = []
    if HealthCondition.COPD in profile.health_conditions:
        factors.append("COPD or another lung disease")
    if HealthCondition.SLEEP_APNOEA in profile.health_conditions:
        factors.append("sleep apnoea")
    age = age_this_year(profile, now)
    if age is not None and age >= OLDER_AGE_YEARS.value:
        factors.append(f"an age of {age} this year")
    return factors


def check_breathing(window: JournalWindow, now: datetime) -> list[Alert]:
    """A caution for breathing risk factors during recent use; a warning when the journal
    also shows a CNS depressant (near a dose, or as a regular medicine)."""
    factors = breathing_risk_factors(window.profile, now)
    if not factors:
        return []
    doses = _recent_doses(window, now)
    if not doses:
        return []
    reach = timedelta(hours=CO_USE_WINDOW_HOURS.value)
    lookback = window.doses(now=now, since=now - timedelta(days=CO_USE_LOOKBACK_DAYS.value) - reach)
    events, _ = near_doses(window, lookback, now)
    near = {cls: found for cls, found in events.items() if cls in DEPRESSANTS and found}
    regular = sorted(
        {m.name for m in window.profile.medications if m.substance_class in DEPRESSANTS}
    )
    shown: list[str] = [describe(cls, found) + " near a dose" for cls, found in near.items()]
    if regular:
        kind = "a regular medicine" if len(regular) == 1 else "regular medicines"
        shown.append(f"{', '.join(regular)} as {kind}")
    apnoea = (
        " The FDA's list does not name sleep apnoea; Speciosa counts it because it also "
        "affects breathing during sleep."
        if HealthCondition.SLEEP_APNOEA in window.profile.health_conditions
        else ""
    )
    depressants = (
        f" Your journal also shows {'; '.join(shown)}: the same warnings are about combining these."
        if shown
        else ""
    )
    events_seen: list[Identified] = [e for found in near.values() for e in found]
    return [
        Alert(
            rule_id="breathing_risk",
            severity=Severity.WARNING if shown else Severity.CAUTION,
            title="Breathing risk factors with kratom",
            explanation=(
                f"Your profile records {_and(factors)}, and you used kratom in the last "
                f"{RECENT_USE_DAYS.value:g} days. The FDA warned that gabapentin and pregabalin "
                "can cause serious breathing problems in people with respiratory risk factors: "
                "lung conditions such as COPD, older age, and use of opioids or other CNS "
                "depressants. Kratom is not named, but it acts on opioid receptors, and in mice "
                "its metabolite 7-OH suppressed breathing in a dose-dependent way."
                f"{apnoea}{depressants}"
            ),
            what_to_do=(
                "Tell the clinician who looks after your breathing, or your GP, about your "
                "kratom use. Avoid combining kratom with alcohol, sleeping pills, gabapentin or "
                "pregabalin, or opioids, especially at night. Call emergency services for "
                "slowed, shallow or difficult breathing, blue lips or fingertips, or if someone "
                "cannot be woken."
            ),
            source_ids=BREATHING_SOURCES,
            entry_ids=ids([*events_seen, *doses]),
            at=latest([*events_seen, *doses], now),
            analogy=True,
        )
    ]


def _is_paracetamol(name: str, cls: SubstanceClass) -> bool:
    return SubstanceClass.PARACETAMOL in (cls, class_of(name))


def _is_alcohol(name: str, cls: SubstanceClass) -> bool:
    return SubstanceClass.ALCOHOL in (cls, class_of(name))


def check_liver_disease(window: JournalWindow, now: datetime) -> list[Alert]:
    """A warning when the profile records liver disease and kratom was used recently; it
    names paracetamol (acetaminophen) and alcohol from the last 30 days too."""
    if HealthCondition.LIVER_DISEASE not in window.profile.health_conditions:
        return []
    since = now - timedelta(days=RECENT_USE_DAYS.value)
    doses = _recent_doses(window, now)
    if not doses:
        return []
    regular = sorted(
        {m.name for m in window.profile.medications if _is_paracetamol(m.name, m.substance_class)}
    )
    substances = window.of_kind(Substance, now=now, since=since)
    paracetamol = [s for s in substances if _is_paracetamol(s.entry.name, s.entry.substance_class)]
    drinks = [s for s in substances if _is_alcohol(s.entry.name, s.entry.substance_class)]
    diaries = [d for d in window.of_kind(Sleep, now=now, since=since) if d.entry.alcohol_drinks]
    found = []
    if regular:
        named = ", ".join(
            r if r.lower() == "paracetamol" else f"{r} (paracetamol)" for r in regular
        )
        found.append(
            f"{named} as {'a regular medicine' if len(regular) == 1 else 'regular medicines'}"
        )
    if paracetamol:
        found.append(f"paracetamol logged {plural(len(paracetamol), 'time')}")
    alcohol_days = {clock.journal_day(e.at, e.entry.zone) for e in drinks} | {
        clock.journal_day(e.at, e.entry.zone) for e in diaries
    }
    if alcohol_days:
        found.append(f"alcohol on {plural(len(alcohol_days), 'day')}")
    extra = (
        f" Your journal also shows {_and(found)} in the last {RECENT_USE_DAYS.value:g} days. "
        "The liver warning on US over-the-counter paracetamol (acetaminophen) labels says "
        "severe liver damage may occur when it is taken with other medicines that contain it, "
        "or by people who have 3 or more alcoholic drinks every day."
        if found
        else ""
    )
    triggers: list[Identified] = [*paracetamol, *drinks, *diaries, *doses]
    return [
        Alert(
            rule_id="liver_disease",
            severity=Severity.WARNING,
            title="Kratom with liver disease",
            explanation=(
                "Your profile records liver disease, and you used kratom in the last "
                f"{RECENT_USE_DAYS.value:g} days. Kratom has been linked to liver injury: a "
                "review of case reports and database cases found symptoms starting a median "
                "of 20.6 days after starting kratom (range 2-49 days), mostly with a "
                "cholestatic pattern. How kratom affects existing liver disease has not been "
                f"studied.{extra}"
            ),
            what_to_do=(
                "Tell your liver specialist or GP about your kratom use, including how often, "
                "and ask whether your liver tests should be checked"
                + (" and what paracetamol and alcohol mean for your liver" if found else "")
                + ". Seek medical help at once for yellow eyes or skin, dark urine, pale "
                "stools, itching, or pain in the upper right belly, and log them as side effects."
            ),
            source_ids=LIVER_SOURCES + (PARACETAMOL_LABEL_SOURCES if found else ()),
            entry_ids=ids(triggers),
            at=latest(triggers, now),
        )
    ]


def _and(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


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
CYP2D6_RULE = Rule(
    id="cyp2d6_medicine",
    concern="medicines broken down or activated by CYP2D6 (an in-vitro signal only)",
    check=check_cyp2d6,
    source_ids=interaction_sources("cyp2d6_substrate"),
)
SEVEN_OH_FORMATION_RULE = Rule(
    id="seven_oh_formation",
    concern="medicines that block or speed up CYP3A, which may change how much 7-OH forms",
    check=check_seven_oh_formation,
    source_ids=interaction_sources("cyp3a_modulator"),
)
EPILEPSY_RULE = Rule(
    id="epilepsy",
    concern="kratom use with epilepsy or another seizure disorder",
    check=check_epilepsy,
    source_ids=SEIZURE_SOURCES,
)
BREATHING_RULE = Rule(
    id="breathing_risk",
    concern="kratom use with COPD, sleep apnoea or older age (breathing risk factors)",
    check=check_breathing,
    source_ids=tuple(dict.fromkeys((*BREATHING_SOURCES, *OLDER_AGE_YEARS.source_ids))),
)
LIVER_DISEASE_RULE = Rule(
    id="liver_disease",
    concern="kratom use with liver disease, and paracetamol or alcohol alongside",
    check=check_liver_disease,
    source_ids=(*LIVER_SOURCES, *PARACETAMOL_LABEL_SOURCES),
)
