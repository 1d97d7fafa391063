"""The clinician report as a PDF: ``build_report`` lays out what ``summary`` computed.

Two to four A4 pages a clinician can read in two minutes: who and which conditions, the
period; use (days, grams and doses per day with the trend, products and their lab status);
safety alerts; outcome charts for the person's conditions; the personal analyses with
their intervals; questionnaire scores; and the sources. Built with reportlab (platypus) and
matplotlib only, with the DejaVu fonts that ship inside matplotlib, so nothing beyond the
package registries is needed.

Every sentence passes :func:`speciosa.knowledge.recommends_amount`: text that reads like a
dosing instruction is withheld, never printed (design rule 3).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from matplotlib import get_data_path
from PIL import Image as PILImage
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from speciosa.errors import NotFound
from speciosa.insights.constants import INTERVAL_LEVEL
from speciosa.insights.results import level_percent
from speciosa.journal import clock
from speciosa.journal.models import EntryBase, Product, Profile, StoredEntry
from speciosa.knowledge import load_knowledge, recommends_amount
from speciosa.report import charts
from speciosa.report.summary import (
    QuestionnaireRow,
    Series,
    UseSummary,
    bristol_counts,
    headache_days,
    in_period,
    other_substances,
    outcome_series,
    product_rows,
    questionnaire_rows,
    unwrap,
    use_summary,
)

# Streams are compressed but not also ASCII85-armoured: without reportlab's optional C
# accelerator its ASCII85 encoder is pure Python, a tenth of a report's CPU time in the
# pictures and page streams (issue 16). PDF readers take binary streams; the file is smaller.
rl_config.useA85 = 0

TITLE = "Speciosa clinician report"
SECTIONS: tuple[str, ...] = (
    "Person and period",
    "Kratom use",
    "Products and lab status",
    "Safety alerts",
    "Outcomes",
    f"Personal analyses ({level_percent()} intervals)",
    "Questionnaires",
    "Sources",
)
# Shown only when the person has a taper or a personal experiment.
PLANS_HEADING = "Plans: taper and personal experiments"
WITHHELD = "[text withheld: it read like a dosing instruction]"
MAX_ALERTS = 8
MAX_EFFECTS = 10
MAX_QUESTIONNAIRES = 12
FRAME_WIDTH = A4[0] - 30 * mm
FONT = "SpeciosaSans"
BOLD = "SpeciosaSans-Bold"

QUESTION_WORDS: dict[str, str] = {
    "dose_vs_none": "with vs without a dose",
    "dose_band": "dose band",
    "dose_response": "per extra gram",
    "timing": "per 30 min between last dose and bed",
    "product": "product comparison",
    "tolerance": "change in the with/without gap per month",
    "side_effect": "per 10 g/week",
}


# --------------------------------------------------------------------------- entry point


def build_report(
    *,
    profile: Profile | None,
    products: Sequence[Product],
    entries: Sequence[EntryBase | StoredEntry],
    alerts: Sequence[Any] | None,
    insights: Any | None,
    period_start: date,
    period_end: date,
    now: datetime,
    plans: Sequence[Sequence[str]] = (),
) -> bytes:
    """The report as PDF bytes. ``alerts``/``insights`` None: shown as "not available".

    ``plans`` holds each plan's progress lines (``speciosa.plans.daily.progress_lines``).

    ``alerts`` are :class:`speciosa.safety.Alert` objects and ``insights`` an
    :class:`speciosa.insights.InsightReport`; entries outside the period are ignored.
    """
    if period_end < period_start:
        raise ValueError("period_end must not be before period_start")
    person = profile or Profile()
    chosen = unwrap(in_period(entries, period_start, period_end))
    use = use_summary(chosen, person, period_start, period_end)
    series = outcome_series(chosen, person)
    questionnaires = questionnaire_rows(chosen)
    cited: list[str] = []
    story: list[Flowable] = []
    story += _title(person, period_start, period_end, now)
    story += _person(person, use, chosen)
    story += _use(use, person, chosen, period_start, period_end)
    story += _products(chosen, products)
    story += _alerts(alerts, cited)
    story += _plans(plans)
    story += _outcomes(series, chosen, use, period_start, period_end, cited)
    story += _insights(insights, cited)
    story += _questionnaires(questionnaires, cited)
    story += _sources(cited)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=13 * mm,
        bottomMargin=15 * mm,
        title=TITLE,
        author="Speciosa",
        subject=f"Journal summary {period_start.isoformat()} to {period_end.isoformat()}",
        invariant=1,
    )
    document.build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


def write_pdf(data: bytes, path: Path) -> Path:
    """Write PDF bytes without ever leaving a half-written file behind."""
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    partial.replace(path)
    return path


# --------------------------------------------------------------------------- sections


def _title(profile: Profile, start: date, end: date, now: datetime) -> list[Flowable]:
    days = (end - start).days + 1
    generated = clock.local(now, profile.timezone).strftime("%d %b %Y %H:%M")
    return [
        Paragraph(TITLE, _style("title")),
        _p(
            f"Period {_d(start)} to {_d(end)} ({days} days) · generated {generated} "
            f"({profile.timezone}) · patient-reported journal, pseudonymous. "
            "Observational self-tracking, not a diagnosis.",
            "small",
        ),
        Spacer(1, 2 * mm),
    ]


def _person(profile: Profile, use: UseSummary, entries: Sequence[EntryBase]) -> list[Flowable]:
    limits = profile.limits
    limit_parts = []
    if limits.grams_per_day is not None:
        limit_parts.append(f"{limits.grams_per_day:g} g per day")
    if limits.doses_per_day is not None:
        limit_parts.append(f"{limits.doses_per_day} doses per day")
    if limits.use_days_per_week is not None:
        limit_parts.append(f"{limits.use_days_per_week} use days per week")
    if limit_parts:
        who = "agreed with a clinician" if limits.agreed_with_clinician else "set by the person"
        limit_text = f"{', '.join(limit_parts)} ({who})"
    else:
        limit_text = "none set"
    medications = ", ".join(
        f"{m.name} ({m.substance_class.value.replace('_', ' ')})" for m in profile.medications
    )
    kinds: dict[str, int] = {}
    for entry in entries:
        kinds[entry.kind] = kinds.get(entry.kind, 0) + 1
    rows = [
        ("Conditions", _words(c.value for c in profile.conditions) or "none recorded"),
        ("Goals", _words(g.value for g in profile.goals) or "none recorded"),
        (
            "Usual sleep",
            f"bed {profile.bedtime}, wake {profile.wake_time} ({profile.timezone})",
        ),
        ("Personal limits", limit_text),
        ("Regular medications", medications or "none recorded"),
        ("Pregnant or breastfeeding", "YES" if profile.pregnant_or_breastfeeding else "no"),
        (
            "Health conditions",
            _words(h.value for h in profile.health_conditions) or "none recorded",
        ),
        ("Year of birth", str(profile.birth_year) if profile.birth_year else "not recorded"),
        (
            "Journal coverage",
            f"entries on {use.logged_days} of {use.days} days; "
            + (
                ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(kinds.items()))
                or "no entries"
            ),
        ),
    ]
    return [_h(SECTIONS[0]), _key_values(rows)]


def _use(
    use: UseSummary, profile: Profile, entries: Sequence[EntryBase], start: date, end: date
) -> list[Flowable]:
    flow: list[Flowable] = [_h(SECTIONS[1])]
    if use.doses == 0:
        flow.append(_p("No kratom doses were logged in this period."))
        return flow
    share = f"{use.use_days / use.logged_days:.0%}" if use.logged_days else "—"
    rows = [
        ("Use days", f"{use.use_days} of {use.logged_days} logged days ({share})"),
        ("Longest run of consecutive use days", str(use.longest_streak)),
        (
            "Doses",
            f"{use.doses}; per use day mean {_n(use.doses_per_use_day_mean)}, "
            f"max {use.doses_per_use_day_max}",
        ),
        (
            "Grams per use day",
            f"mean {_n(use.grams_per_use_day_mean)} g, median "
            f"{_n(use.grams_per_use_day_median)} g, max {_n(use.grams_per_use_day_max)} g "
            f"(total {use.grams_total:.0f} g)",
        ),
        (
            "Trend (first vs second half)",
            f"grams per use day {_n(use.first_half_grams)} → {_n(use.second_half_grams)}; "
            f"doses per use day {_n(use.first_half_doses)} → {_n(use.second_half_doses)}",
        ),
    ]
    over = []
    if use.days_over_gram_limit is not None:
        over.append(f"{use.days_over_gram_limit} days above the gram limit")
    if use.days_over_dose_limit is not None:
        over.append(f"{use.days_over_dose_limit} days above the dose limit")
    if over:
        rows.append(("Against the person's own limits", "; ".join(over)))
    if use.doses_without_grams:
        rows.append(
            ("Doses without a gram weight", f"{use.doses_without_grams} (not in the gram totals)")
        )
    others = other_substances(entries)
    if others:
        rows.append(
            (
                "Other substances",
                "; ".join(f"{name}: {times}× on {days} days" for name, times, days in others),
            )
        )
    flow.append(_key_values(rows))
    flow.append(Spacer(1, 1.5 * mm))
    figure = charts.usage_figure(use, profile.limits, start, end)
    flow.append(_image(charts.pixels(figure), FRAME_WIDTH))
    return flow


def _products(entries: Sequence[EntryBase], products: Sequence[Product]) -> list[Flowable]:
    rows = product_rows(entries, products)
    flow: list[Flowable] = [_h(SECTIONS[2])]
    if not rows:
        flow.append(_p("No products were used in this period."))
        return flow
    table: list[list[Any]] = [
        [
            _p("Product", "th"),
            _p("Form, vein, vendor", "th"),
            _p("Grams (share)", "th"),
            _p("Lab result (COA)", "th"),
        ]
    ]
    for row in rows:
        name = row.name + (" — concentrated 7-OH product" if row.concentrate else "")
        share = "" if row.share is None else f" ({row.share:.0%})"
        table.append(
            [
                _p(name, "cell"),
                _p(row.description, "cell"),
                _p(f"{row.grams:.0f} g{share}", "cell"),
                _p(row.lab_status, "cell"),
            ]
        )
    flow.append(_table(table, [0.24, 0.24, 0.14, 0.38]))
    return flow


def _alerts(alerts: Sequence[Any] | None, cited: list[str]) -> list[Flowable]:
    flow: list[Flowable] = [_h(SECTIONS[3])]
    if alerts is None:
        flow.append(_p("Safety checks were not available for this report."))
        return flow
    if not alerts:
        flow.append(_p("No safety alerts for this period."))
        return flow
    table: list[list[Any]] = [[_p("Severity", "th"), _p("Alert", "th"), _p("Why (sources)", "th")]]
    for alert in alerts[:MAX_ALERTS]:
        severity = str(getattr(alert, "severity", "")).upper()
        sources = tuple(getattr(alert, "source_ids", ()))
        cited.extend(sources)
        analogy = " Applied by analogy." if getattr(alert, "analogy", False) else ""
        table.append(
            [
                _p(severity, "cell_bold"),
                _p(str(getattr(alert, "title", "")), "cell_bold"),
                _p(
                    f"{getattr(alert, 'explanation', '')}{analogy} {_refs(sources, cited)}",
                    "cell",
                ),
            ]
        )
    flow.append(_table(table, [0.11, 0.3, 0.59]))
    if len(alerts) > MAX_ALERTS:
        flow.append(
            _p(f"{len(alerts) - MAX_ALERTS} further alerts are listed in the app.", "small")
        )
    return flow


def _outcomes(
    series: Sequence[Series],
    entries: Sequence[EntryBase],
    use: UseSummary,
    start: date,
    end: date,
    cited: list[str],
) -> list[Flowable]:
    flow: list[Flowable] = [_h(SECTIONS[4])]
    figure = charts.outcomes_figure(
        series, bristol_counts(entries), headache_days(entries), use.logged, start, end
    )
    if figure is None:
        flow.append(_p("No sleep diary, symptom or bowel entries in this period."))
        return flow
    lines = []
    middle = start + (end - start) / 2
    for item in series:
        cited.extend(item.source_ids)
        if item.key == "bristol":
            continue
        values = list(item.values.items())
        first = [v for d, v in values if d < middle]
        second = [v for d, v in values if d >= middle]
        mean = sum(v for _, v in values) / len(values)
        trend = ""
        if first and second:
            trend = (
                f"; first half {sum(first) / len(first):.1f}, "
                f"second half {sum(second) / len(second):.1f}"
            )
        lines.append(
            f"<b>{escape(item.title)}</b>: mean {mean:.1f} {escape(item.unit)} over "
            f"{len(values)} days{trend}"
        )
    flow.append(_image(charts.pixels(figure), FRAME_WIDTH))
    if lines:
        flow.append(_p(" · ".join(lines), "small", markup=True))
    return flow


def _insights(insights: Any | None, cited: list[str]) -> list[Flowable]:
    flow: list[Flowable] = [_h(SECTIONS[5])]
    if insights is None:
        flow.append(_p("Personal analyses were not available for this report."))
        return flow
    effects = list(getattr(insights, "effects", ()))
    answered = [e for e in effects if e.enough_data and e.estimate is not None]
    held_back = [e for e in effects if getattr(e, "withheld", False)]
    waiting = [e for e in effects if not e.enough_data and e not in held_back]
    outcome_order = {o: i for i, o in enumerate(getattr(insights, "outcomes", ()))}
    answered.sort(key=lambda e: (not e.claimed, outcome_order.get(e.outcome, 99), e.question))
    if not answered:
        flow.append(_p("Not enough data yet for any estimate."))
    else:
        table: list[list[Any]] = [
            [
                _p("Outcome", "th"),
                _p("Comparison", "th"),
                _p(f"Estimate ({level_percent()} CI)", "th"),
                _p("Days", "th"),
                _p("Reading", "th"),
            ]
        ]
        for effect in answered[:MAX_EFFECTS]:
            cited.extend(effect.source_ids)
            comparison = QUESTION_WORDS.get(effect.question, effect.question)
            if effect.question in ("product", "dose_band"):
                comparison = effect.exposure
            if effect.claimed:
                reading = "interval excludes no difference"
            else:
                reading = "cannot tell yet (interval includes no difference)"
            if effect.clinically_important:
                reading += "; clinically important"
            level = level_percent(getattr(effect, "ci_level", INTERVAL_LEVEL))
            table.append(
                [
                    _p(effect.label or effect.outcome, "cell"),
                    _p(comparison, "cell"),
                    _p(
                        f"{_signed(effect.estimate)} {effect.unit} "
                        f"({level} CI {_signed(effect.ci_low)} to {_signed(effect.ci_high)})",
                        "cell",
                    ),
                    _p(_counts(effect.n_exposed, effect.n_unexposed), "cell"),
                    _p(reading, "cell_bold" if effect.claimed else "cell"),
                ]
            )
        flow.append(_table(table, [0.18, 0.25, 0.27, 0.09, 0.21]))
    notes = list(getattr(insights, "notes", ()))
    extra = []
    if len(answered) > MAX_EFFECTS:
        extra.append(f"{len(answered) - MAX_EFFECTS} further estimates are in the app.")
    if waiting:
        outcomes = _words(dict.fromkeys(e.label or e.outcome for e in waiting))
        extra.append(f"{len(waiting)} questions have not enough data yet ({outcomes}).")
    if held_back:
        outcomes = _words(dict.fromkeys(e.label or e.outcome for e in held_back))
        extra.append(
            f"{len(held_back)} questions are held back until Speciosa's calibration shows "
            f"they do not over-claim; more days will not change that ({outcomes})."
        )
    flow.append(
        _p(
            "Days: with / without the exposure (one number: days with it). "
            + " ".join(extra + notes),
            "small",
        )
    )
    return flow


def _plans(plans: Sequence[Sequence[str]]) -> list[Flowable]:
    if not plans:
        return []
    flow: list[Flowable] = [_h(PLANS_HEADING)]
    for lines in plans:
        flow.extend(_p(line) for line in lines)
    flow.append(
        _p(
            "Amounts in a taper come from the person's own logged use and chosen target; "
            "the pace follows opioid-tapering guidance by analogy.",
            "small",
        )
    )
    return flow


def _questionnaires(rows: Sequence[QuestionnaireRow], cited: list[str]) -> list[Flowable]:
    flow: list[Flowable] = [_h(SECTIONS[6])]
    if not rows:
        flow.append(_p("No questionnaires were completed in this period."))
        return flow
    shown = list(rows)[-MAX_QUESTIONNAIRES:]
    table: list[list[Any]] = [
        [_p("Date", "th"), _p("Questionnaire", "th"), _p("Score", "th"), _p("Reading", "th")]
    ]
    for row in shown:
        cited.extend(row.source_ids)
        table.append(
            [
                _p(_d(row.day), "cell"),
                _p(row.name, "cell"),
                _p(row.score, "cell"),
                _p(row.reading, "cell"),
            ]
        )
    flow.append(_table(table, [0.14, 0.34, 0.16, 0.36]))
    flow.append(
        _p(
            "None of these scales has a validated cut-off for kratom; the trend over months "
            "says more than one score.",
            "small",
        )
    )
    return flow


def _sources(cited: Sequence[str]) -> list[Flowable]:
    flow: list[Flowable] = [_h(SECTIONS[7])]
    knowledge = load_knowledge()
    lines = []
    for number, source_id in enumerate(dict.fromkeys(cited), start=1):
        try:
            source = knowledge.source(source_id)
        except NotFound:
            lines.append(f"[{number}] {source_id} (not in the source registry)")
            continue
        link = f" {source.link}" if source.link else ""
        lines.append(f"[{number}] {source.citation}{link}")
    if not lines:
        flow.append(_p("No sources were cited."))
    for line in lines:
        flow.append(_p(line, "source"))
    flow.append(Spacer(1, 2 * mm))
    flow.append(
        _p(
            "Speciosa records what the person logged and shows published evidence as "
            "evidence; it never recommends an amount of kratom. Personal limits are the "
            "person's own.",
            "small",
        )
    )
    return flow


# --------------------------------------------------------------------------- helpers


def _refs(source_ids: Sequence[str], cited: Sequence[str]) -> str:
    order = list(dict.fromkeys(cited))
    numbers = [str(order.index(s) + 1) for s in source_ids if s in order]
    return f"[{', '.join(numbers)}]" if numbers else ""


def _safe(text: str) -> str:
    """The text, or a notice when it reads like a dosing instruction (never printed)."""
    return WITHHELD if recommends_amount(text) else text


def _p(text: str, style: str = "body", *, markup: bool = False) -> Paragraph:
    shown = _safe(text)
    return Paragraph(shown if markup else escape(shown), _style(style))


def _h(text: str) -> Paragraph:
    return Paragraph(escape(text), _style("h2"))


def _key_values(rows: Sequence[tuple[str, str]]) -> Table:
    data = [[_p(key, "cell_bold"), _p(value, "cell")] for key, value in rows]
    table = Table(data, colWidths=[0.27 * FRAME_WIDTH, 0.73 * FRAME_WIDTH], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
                ("TOPPADDING", (0, 0), (-1, -1), 1.2),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.Color(0.85, 0.85, 0.85)),
            ]
        )
    )
    return table


def _table(data: list[list[Any]], widths: Sequence[float]) -> Table:
    table = Table(data, colWidths=[w * FRAME_WIDTH for w in widths], repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.93, 0.96)),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.Color(0.8, 0.8, 0.8)),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _image(picture: PILImage.Image, width: float) -> Flowable:
    return KeepTogether([_Picture(picture, width)])


class _Picture(Flowable):
    """A drawn figure scaled to ``width``, embedded from its pixels (no PNG round trip)."""

    def __init__(self, picture: PILImage.Image, width: float) -> None:
        super().__init__()
        self._reader = ImageReader(picture)
        self.drawWidth = width
        self.drawHeight = picture.height * width / picture.width

    def wrap(self, _available_width: float, _available_height: float) -> tuple[float, float]:
        return self.drawWidth, self.drawHeight

    def draw(self) -> None:
        self.canv.drawImage(self._reader, 0, 0, self.drawWidth, self.drawHeight)


def _counts(exposed: int, unexposed: int) -> str:
    return str(exposed) if unexposed == 0 else f"{exposed} / {unexposed}"


def _d(day: date) -> str:
    return day.strftime("%d %b %Y")


def _n(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _signed(value: float | None) -> str:
    if value is None:
        return "—"
    digits = 2 if abs(value) < 1 else 1
    return f"{value:+.{digits}f}"


def _words(values: Any) -> str:
    return ", ".join(str(v).replace("_", " ") for v in values)


@cache
def _fonts() -> None:
    directory = Path(get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(directory / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(directory / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


@cache
def _style(name: str) -> ParagraphStyle:
    _fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=8.2, leading=10.2, alignment=TA_LEFT)
    styles = {
        "body": base,
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=15, leading=19),
        "h2": ParagraphStyle(
            "h2",
            base,
            fontName=BOLD,
            fontSize=10.5,
            leading=13,
            spaceBefore=5,
            spaceAfter=2,
            textColor=colors.Color(0.1, 0.3, 0.45),
        ),
        "small": ParagraphStyle("small", base, fontSize=7, leading=8.6, textColor=colors.grey),
        "cell": ParagraphStyle("cell", base, fontSize=7.4, leading=9),
        "cell_bold": ParagraphStyle("cell_bold", base, fontName=BOLD, fontSize=7.4, leading=9),
        "th": ParagraphStyle("th", base, fontName=BOLD, fontSize=7.4, leading=9),
        "source": ParagraphStyle(
            "source", base, fontSize=6.8, leading=8.2, leftIndent=8, firstLineIndent=-8
        ),
    }
    return styles[name]


class _NumberedCanvas(canvas.Canvas):
    """Draws 'page X of Y' and the footer once the page count is known."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._footer(total)
            super().showPage()
        super().save()

    def _footer(self, total: int) -> None:
        _fonts()
        self.setFont(FONT, 6.8)
        self.setFillColor(colors.grey)
        self.drawString(
            15 * mm,
            8 * mm,
            "Speciosa · patient-reported journal data; observational, not a diagnosis",
        )
        self.drawRightString(A4[0] - 15 * mm, 8 * mm, f"page {self._pageNumber} of {total}")
