"""What the clinician report says, computed from the journal: pure, no drawing.

Every day here is a *journal day* (``journal.clock``: 04:00 to 04:00 in the entry's
zone), so a dose at 00:30 counts for the evening before. Usage numbers describe what was
logged; days with no entry at all are "not logged", never "no use".
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from speciosa.instruments.questionnaires import QUESTIONNAIRES
from speciosa.instruments.sleep_diary import SOURCE_IDS as SLEEP_DIARY_SOURCES
from speciosa.interop.csv_export import sleep_metrics
from speciosa.journal import clock
from speciosa.journal.catalogues import Condition, ProductForm
from speciosa.journal.models import (
    Bowel,
    Dose,
    EntryBase,
    Fatigue,
    Headache,
    Pain,
    Product,
    Profile,
    Questionnaire,
    Sleep,
    Soreness,
    StoredEntry,
    Substance,
)

BRISTOL_SOURCES: tuple[str, ...] = ("lewis-heaton-1997",)
PAIN_SOURCES: tuple[str, ...] = ("farrar-2001",)


def unwrap(items: Iterable[EntryBase | StoredEntry]) -> list[EntryBase]:
    return [i.entry if isinstance(i, StoredEntry) else i for i in items]


def day_of(entry: EntryBase) -> date:
    return clock.journal_day(entry.at, entry.zone)


def in_period(
    items: Iterable[EntryBase | StoredEntry], start: date, end: date
) -> list[EntryBase | StoredEntry]:
    """The entries whose journal day lies in [start, end]."""
    chosen = []
    for item in items:
        entry = item.entry if isinstance(item, StoredEntry) else item
        if start <= day_of(entry) <= end:
            chosen.append(item)
    return chosen


# --------------------------------------------------------------------------- use


@dataclass(frozen=True)
class UseSummary:
    """Days used, grams and doses per use day, and how the two halves of the period compare."""

    days: int
    logged_days: int
    use_days: int
    doses: int
    grams_total: float
    grams_per_use_day_mean: float | None
    grams_per_use_day_median: float | None
    grams_per_use_day_max: float | None
    doses_per_use_day_mean: float | None
    doses_per_use_day_max: int | None
    first_half_grams: float | None
    second_half_grams: float | None
    first_half_doses: float | None
    second_half_doses: float | None
    longest_streak: int
    days_over_gram_limit: int | None
    days_over_dose_limit: int | None
    doses_without_grams: int
    grams_by_day: dict[date, float] = field(default_factory=dict)
    doses_by_day: dict[date, int] = field(default_factory=dict)
    logged: frozenset[date] = frozenset()


def use_summary(
    entries: Sequence[EntryBase], profile: Profile, start: date, end: date
) -> UseSummary:
    days = (end - start).days + 1
    logged = frozenset(day_of(e) for e in entries)
    grams: dict[date, float] = defaultdict(float)
    doses: dict[date, int] = defaultdict(int)
    missing = 0
    for entry in entries:
        if isinstance(entry, Dose):
            day = day_of(entry)
            doses[day] += 1
            if entry.grams is None:
                missing += 1
            else:
                grams[day] += entry.grams
    use_days = sorted(doses)
    gram_values = [grams[d] for d in use_days]
    dose_values = [doses[d] for d in use_days]
    middle = start + timedelta(days=days // 2)
    first = [d for d in use_days if d < middle]
    second = [d for d in use_days if d >= middle]
    limits = profile.limits
    return UseSummary(
        days=days,
        logged_days=len(logged),
        use_days=len(use_days),
        doses=sum(dose_values),
        grams_total=sum(gram_values),
        grams_per_use_day_mean=_mean(gram_values),
        grams_per_use_day_median=statistics.median(gram_values) if gram_values else None,
        grams_per_use_day_max=max(gram_values) if gram_values else None,
        doses_per_use_day_mean=_mean([float(v) for v in dose_values]),
        doses_per_use_day_max=max(dose_values) if dose_values else None,
        first_half_grams=_mean([grams[d] for d in first]),
        second_half_grams=_mean([grams[d] for d in second]),
        first_half_doses=_mean([float(doses[d]) for d in first]),
        second_half_doses=_mean([float(doses[d]) for d in second]),
        longest_streak=_longest_streak(use_days),
        days_over_gram_limit=(
            None
            if limits.grams_per_day is None
            else sum(1 for d in use_days if grams[d] > limits.grams_per_day + 1e-9)
        ),
        days_over_dose_limit=(
            None
            if limits.doses_per_day is None
            else sum(1 for d in use_days if doses[d] > limits.doses_per_day)
        ),
        doses_without_grams=missing,
        grams_by_day=dict(grams),
        doses_by_day=dict(doses),
        logged=logged,
    )


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _longest_streak(days: Sequence[date]) -> int:
    best = run = 0
    previous: date | None = None
    for day in days:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    return best


# --------------------------------------------------------------------------- products


@dataclass(frozen=True)
class ProductRow:
    name: str
    description: str
    grams: float
    share: float | None
    lab_status: str
    concentrate: bool


def product_rows(entries: Sequence[EntryBase], products: Sequence[Product]) -> list[ProductRow]:
    """Products used in the period (most grams first), with their lab (COA) status."""
    grams: dict[str, float] = defaultdict(float)
    for entry in entries:
        if isinstance(entry, Dose):
            grams[entry.product or "(no product recorded)"] += entry.grams or 0.0
    total = sum(grams.values())
    known = {p.name: p for p in products}
    rows = []
    for name, used in sorted(grams.items(), key=lambda item: (-item[1], item[0])):
        product = known.get(name)
        if product is None:
            rows.append(ProductRow(name, "", used, used / total if total else None, "—", False))
            continue
        details = [product.form.value.replace("_", " "), product.vein, product.vendor]
        rows.append(
            ProductRow(
                name=name,
                description=", ".join(d for d in details if d),
                grams=used,
                share=used / total if total else None,
                lab_status=lab_status(product),
                concentrate=product.form is ProductForm.CONCENTRATE_7OH,
            )
        )
    return rows


def lab_status(product: Product) -> str:
    """One line per batch: pass/fail, alkaloids per gram, lab and date; or 'no lab result'."""
    if not product.batches:
        return "no batch or lab result recorded"
    lines = []
    for batch in product.batches:
        lab = batch.lab
        if lab is None:
            lines.append(f"{batch.code}: no lab result")
            continue
        verdict = {True: "passed", False: "FAILED", None: "result not stated"}[lab.passed]
        parts = [f"{batch.code}: {verdict}"]
        if lab.mitragynine_mg_per_g is not None:
            parts.append(f"mitragynine {lab.mitragynine_mg_per_g:g} mg/g")
        if lab.hydroxymitragynine_mg_per_g is not None:
            parts.append(f"7-OH {lab.hydroxymitragynine_mg_per_g:g} mg/g")
        if lab.heavy_metals_pass is False:
            parts.append("heavy metals failed")
        if lab.microbial_pass is False:
            parts.append("microbial failed")
        if lab.lab or lab.tested_on:
            parts.append(" ".join(p for p in (lab.lab, lab.tested_on) if p))
        lines.append(", ".join(parts))
    return "; ".join(lines)


def other_substances(entries: Sequence[EntryBase]) -> list[tuple[str, int, int]]:
    """(class, times, days) for other substances taken in the period, most days first."""
    times: Counter[str] = Counter()
    days: dict[str, set[date]] = defaultdict(set)
    for entry in entries:
        if isinstance(entry, Substance):
            name = entry.substance_class.value.replace("_", " ")
            times[name] += 1
            days[name].add(day_of(entry))
    return sorted(
        ((name, times[name], len(days[name])) for name in times), key=lambda r: (-r[2], r[0])
    )


# --------------------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class Series:
    """Daily values of one outcome (mean per journal day), with its wording."""

    key: str
    title: str
    unit: str
    values: dict[date, float]
    lower_is_better: bool
    source_ids: tuple[str, ...]


# Which outcome charts each condition makes relevant (sleep and stools: everyone).
CHARTS_FOR: dict[Condition, tuple[str, ...]] = {
    Condition.FIBROMYALGIA: ("pain", "fatigue"),
    Condition.CHRONIC_PAIN: ("pain",),
    Condition.MIGRAINE: ("headache",),
    Condition.MUSCLE_SORENESS: ("soreness", "pain"),
    Condition.CHRONIC_FATIGUE: ("fatigue",),
}
ALWAYS = ("sol", "se", "bristol")


def outcome_series(entries: Sequence[EntryBase], profile: Profile) -> list[Series]:
    """The outcome series to chart: sleep, the conditions' outcomes, stools; data only."""
    wanted: list[str] = ["sol", "se"]
    for condition in profile.conditions:
        wanted.extend(CHARTS_FOR.get(condition, ()))
    if not profile.conditions:
        wanted.extend(("pain", "fatigue", "soreness", "headache"))
    wanted.append("bristol")
    daily: dict[str, dict[date, list[float]]] = defaultdict(lambda: defaultdict(list))
    headache_days: set[date] = set()
    for entry in entries:
        day = day_of(entry)
        if isinstance(entry, Sleep):
            metrics = sleep_metrics(entry)
            if metrics is not None:
                daily["sol"][day].append(metrics.sleep_onset_latency)
                daily["se"][day].append(metrics.sleep_efficiency)
        elif isinstance(entry, Pain):
            daily["pain"][day].append(entry.score)
        elif isinstance(entry, Fatigue):
            daily["fatigue"][day].append(entry.score)
        elif isinstance(entry, Soreness):
            daily["soreness"][day].append(entry.score)
        elif isinstance(entry, Headache):
            headache_days.add(day)
            daily["headache"][day].append(entry.peak)
        elif isinstance(entry, Bowel):
            daily["bristol"][day].append(entry.bristol)
    meta = {
        "sol": ("Sleep onset latency", "min", True, SLEEP_DIARY_SOURCES),
        "se": ("Sleep efficiency", "%", False, SLEEP_DIARY_SOURCES),
        "pain": ("Pain (0-10)", "score", True, PAIN_SOURCES),
        "fatigue": ("Fatigue (0-10)", "score", True, ()),
        "soreness": ("Muscle soreness (0-10)", "score", True, ()),
        "headache": ("Headache peak (0-10) on headache days", "score", True, ()),
        "bristol": ("Bristol stool form (1-7)", "type", False, BRISTOL_SOURCES),
    }
    series = []
    for key in dict.fromkeys(wanted):
        values = daily.get(key)
        if not values:
            continue
        title, unit, lower, sources = meta[key]
        series.append(
            Series(
                key=key,
                title=title,
                unit=unit,
                values={d: sum(v) / len(v) for d, v in sorted(values.items())},
                lower_is_better=lower,
                source_ids=sources,
            )
        )
    return series


def bristol_counts(entries: Sequence[EntryBase]) -> dict[int, int]:
    counts = Counter(e.bristol for e in entries if isinstance(e, Bowel))
    return {t: counts.get(t, 0) for t in range(1, 8)}


def headache_days(entries: Sequence[EntryBase]) -> set[date]:
    return {day_of(e) for e in entries if isinstance(e, Headache)}


# --------------------------------------------------------------------------- questionnaires


@dataclass(frozen=True)
class QuestionnaireRow:
    day: date
    instrument: str
    name: str
    score: str
    reading: str
    source_ids: tuple[str, ...]


def questionnaire_rows(entries: Sequence[EntryBase]) -> list[QuestionnaireRow]:
    """Each questionnaire with its score, and which published cut-offs it reached."""
    rows = []
    for entry in entries:
        if not isinstance(entry, Questionnaire):
            continue
        instrument = QUESTIONNAIRES.get(entry.instrument)
        if instrument is None:
            score = "—" if entry.score is None else f"{entry.score:g}"
            rows.append(
                QuestionnaireRow(day_of(entry), entry.instrument, entry.instrument, score, "", ())
            )
            continue
        try:
            result = instrument.score(list(entry.items))
        except ValueError:
            continue
        if result.basis == "total":
            score = f"total {result.total} of {_max_total(entry.instrument)}"
        else:
            score = f"mean {result.mean:.1f}"
        reached = [c for c in result.cutoffs if c.reached]
        if reached:
            reading = "reaches the published cut-off for " + "; ".join(
                f"{c.label}{'' if c.validated_for_kratom else ' (not validated for kratom)'}"
                for c in reached
            )
        elif result.cutoffs:
            reading = "below the published cut-offs shown in the app"
        else:
            reading = "no published cut-off; compare with earlier scores"
        rows.append(
            QuestionnaireRow(
                day_of(entry),
                entry.instrument,
                instrument.name,
                score,
                reading,
                tuple(result.source_ids),
            )
        )
    return rows


def _max_total(instrument: str) -> int:
    questionnaire = QUESTIONNAIRES[instrument]
    return sum(item.high for item in questionnaire.items)
