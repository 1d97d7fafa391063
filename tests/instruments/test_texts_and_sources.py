"""Every text the instruments can produce passes the never-prescribe checker, and every
source id they cite exists in the knowledge registry."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from speciosa.instruments import bowel, headache, pain, sleep_diary
from speciosa.instruments.bowel import BowelMovement, oic_pattern, rome_iv_summary
from speciosa.instruments.headache import PeriodCounts, overuse_watch
from speciosa.instruments.pain import pain_change
from speciosa.instruments.questionnaires import QUESTIONNAIRES, peg_change
from speciosa.knowledge import load_knowledge, recommends_amount

START = datetime(2024, 5, 1, tzinfo=UTC)


def _questionnaire_texts() -> Iterator[str]:
    for q in QUESTIONNAIRES.values():
        yield q.name
        yield q.instructions
        for item in q.items:
            yield item.text
            yield from (option.label for option in item.options)
        for answer in range(q.items[0].low, q.items[-1].high + 1):
            answers = [min(max(answer, item.low), item.high) for item in q.items]
            result = q.score(answers)
            yield result.interpretation
            yield from (c.label for c in result.cutoffs)
            yield from (c.note for c in result.cutoffs)
    for baseline, current in [(0, 3), (6, 4), (4, 6), (5, 5)]:
        yield peg_change(baseline, current).text


def _window(movements: list[BowelMovement], week: int) -> bowel.RomeIVSummary:
    start = START + timedelta(days=7 * week)
    return rome_iv_summary(movements, start=start, end=start + timedelta(days=7))


def _bowel_texts() -> Iterator[str]:
    yield from bowel.BRISTOL_TYPES.values()
    yield from bowel.FEATURE_LABELS.values()
    plain = [BowelMovement(START + timedelta(days=i), 4) for i in range(7)]
    hard = [BowelMovement(START + timedelta(days=7 + i), 1, straining=True) for i in range(2)]
    loose = [BowelMovement(START + timedelta(days=8, hours=1), 7)]
    worse = [BowelMovement(START + timedelta(days=14), 1, straining=True, incomplete=True)]
    no_pattern, pattern, more = _window(plain, 0), _window(hard + loose, 1), _window(worse, 2)
    yield from (summary.text for summary in (no_pattern, pattern, more))
    yield oic_pattern(no_pattern, pattern).text  # new
    yield oic_pattern(pattern, more).text  # worse
    yield oic_pattern(pattern, _window(plain, 3)).text  # neither


def _headache_texts() -> Iterator[str]:
    # four months with 12 use days and 16 headache days each
    months = [PeriodCounts(date(2024, m, 1), date(2024, m + 1, 1), 16, 12) for m in range(1, 5)]
    yield overuse_watch(months).text
    yield overuse_watch(months[:2]).text
    quiet = [PeriodCounts(p.start, p.end, 14, 20) for p in months]
    yield overuse_watch(quiet).text


def all_texts() -> Iterator[str]:
    yield from _questionnaire_texts()
    yield from _bowel_texts()
    yield from _headache_texts()
    for baseline, current in [(6, 4), (7, 5.5), (0, 2), (5, 5), (4, 6)]:
        yield pain_change(baseline, current).text
    yield pain.ZERO_BASELINE_NOTE
    yield from sleep_diary.QUALITY_LABELS.values()


def test_no_instrument_text_recommends_an_amount() -> None:
    texts = list(all_texts())
    assert len(texts) > 100
    assert [(t, hit) for t in texts if (hit := recommends_amount(t))] == []


def test_every_cited_source_exists() -> None:
    known = set(load_knowledge().sources)
    summary = _window([], 0)
    cited = {
        *sleep_diary.SOURCE_IDS, *bowel.SOURCE_IDS, *headache.SOURCE_IDS, *pain.SOURCE_IDS,
        *oic_pattern(summary, _window([], 1)).source_ids, *peg_change(5, 4).source_ids,
    }  # fmt: skip
    for q in QUESTIONNAIRES.values():
        cited |= set(q.source_ids)
        result = q.score([item.low for item in q.items])
        for cutoff in result.cutoffs:
            cited |= set(cutoff.source_ids)
    assert cited <= known, cited - known
