"""Nights from device samples, and device nights beside diary nights. Pure functions.

    device_nights(samples, *, zone) -> list[DeviceNight]
    pair_nights(diary_metrics(sleep_entries), nights) -> list[NightPair]
    device_outcomes(nights) -> {night: {"device_tst": ..., ...}}   (extra outcomes for insights)

The samples are ``journal.device.DeviceSample`` (the wearable readers in ``interop.wearables``
make them; ``store.device_store`` keeps them; ``SLEEP_KINDS`` are the kinds to read back).

Per source (a watch, a ring, an app: devices disagree, so they are never mixed):

1. Overlapping sleep samples are merged on one timeline. Where samples overlap, the more
   specific state wins: awake > deep > REM > core > asleep (stage not given) > in bed. So a
   Fitbit short wake inside a light-sleep segment counts as awake, as Fitbit's totals do, and a
   sample repeated by two overlapping exports counts once.
2. The timeline is cut into sleep episodes where nothing was recorded for ``EPISODE_GAP``.
   Totals-only records (Oura trends, Garmin without sleep levels) are one episode per window;
   an in-bed interval over such a window is that same night, not a second episode.
3. Each episode belongs to the night its vendor dated it to (``DeviceSample.night``: Oura,
   Fitbit and Garmin say which night a sleep was, even one that began after 04:00); without
   one, to the night ``journal.clock.night_of`` gives for its start, in the zone of its first
   sample (its IANA zone, else its UTC offset, else the person's zone).
   The episode with the most sleep is the night's main sleep; the others count as naps, except
   other records of the same sleep (episodes overlapping it, or dated to the same night by
   the vendor), which are alternatives, not naps.
4. A night one source recorded two different ways (two overlapping exports that disagree:
   in-bed intervals that overlap but differ, or totals of one kind for the same night with
   different windows or values) is marked ``conflicting``; the record with the most sleep is
   the one shown (for totals over the very same window, the one imported last).

Per episode, in minutes: time in bed (only when the source recorded being in bed), total
sleep, onset latency (in bed before the first sleep, when an in-bed period precedes it),
wake after sleep onset, awakenings (wake bouts between first and last sleep, as the device
scored them - a diary counts remembered awakenings, so device counts run higher) and minutes
per stage. Totals-only sources (Oura trends, Garmin without sleep levels) give their totals
as they are; no hypnogram is invented.

``pair_nights`` puts each diary night beside the device night of the same ``night_of``: the
diary stays the person's record; the differences are shown, never resolved.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from speciosa.instruments.sleep_diary import SleepMetrics, score_record
from speciosa.journal import clock
from speciosa.journal.device import (
    ASLEEP_KINDS,
    SLEEP_ASLEEP,
    SLEEP_AWAKE,
    SLEEP_CORE,
    SLEEP_DEEP,
    SLEEP_IN_BED,
    SLEEP_LATENCY,
    SLEEP_REM,
    SLEEP_SCORE,
    SLEEP_STATE_KINDS,
    DeviceSample,
)
from speciosa.journal.models import Sleep

# Engineering choices, not clinical thresholds: a break of an hour without any record starts
# a new episode (a night interrupted for 30 minutes stays one night); a score is matched to
# an episode it overlaps or touches within a quarter of an hour.
EPISODE_GAP = timedelta(minutes=60)
SCORE_SLACK = timedelta(minutes=15)

PRECEDENCE = {
    SLEEP_IN_BED: 0,
    SLEEP_ASLEEP: 1,
    SLEEP_CORE: 2,
    SLEEP_REM: 3,
    SLEEP_DEEP: 4,
    SLEEP_AWAKE: 5,
}
STAGES = (SLEEP_ASLEEP, SLEEP_CORE, SLEEP_DEEP, SLEEP_REM, SLEEP_AWAKE)
# Every sample kind the nights are built from: what a caller reads from the device store.
SLEEP_KINDS = (*STAGES, SLEEP_IN_BED, SLEEP_LATENCY, SLEEP_SCORE)


@dataclass(frozen=True)
class DeviceNight:
    """One source's main sleep of one night (minutes; None where the data cannot say)."""

    night: date
    source: str
    zone: str
    start: datetime  # first record of the episode (UTC)
    end: datetime  # last record of the episode (UTC)
    time_in_bed: float | None
    total_sleep: float | None
    onset_latency: float | None
    wake_after_sleep_onset: float | None
    awakenings: int | None
    stage_minutes: Mapping[str, float]
    sleep_onset: datetime | None = None
    final_awakening: datetime | None = None
    score: float | None = None
    naps: int = 0  # other episodes of the same source that night
    totals_only: bool = False  # the source gave totals, not a hypnogram
    conflicting: bool = False  # the source recorded this night twice, with different values

    @property
    def has_stages(self) -> bool:
        return any(self.stage_minutes.get(k) for k in (SLEEP_CORE, SLEEP_DEEP, SLEEP_REM))

    @property
    def sleep_efficiency(self) -> float | None:
        if not self.time_in_bed or self.total_sleep is None:
            return None
        return self.total_sleep / self.time_in_bed * 100


@dataclass
class _Episode:
    source: str
    zone: str
    segments: list[tuple[datetime, datetime, str]] = field(default_factory=list)
    totals: dict[str, float] = field(default_factory=dict)
    window: tuple[datetime, datetime] | None = None
    in_bed_recorded: bool = False  # stages may cover every in-bed minute on the timeline
    night: date | None = None  # the vendor's own night for this sleep, when it gave one

    @property
    def start(self) -> datetime:
        return self.window[0] if self.window else self.segments[0][0]

    @property
    def end(self) -> datetime:
        return self.window[1] if self.window else self.segments[-1][1]


def device_nights(samples: Iterable[DeviceSample], *, zone: str) -> list[DeviceNight]:
    """One main sleep per source and night, sorted by night then source.

    ``zone`` is the person's zone, used for samples that carry neither a zone nor an offset.
    """
    by_source: dict[str, list[DeviceSample]] = defaultdict(list)
    for sample in samples:
        by_source[sample.source].append(sample)
    nights: list[DeviceNight] = []
    for source, own in by_source.items():
        nights.extend(_source_nights(source, own, zone))
    return sorted(nights, key=lambda n: (n.night, n.source))


def _source_nights(source: str, samples: list[DeviceSample], zone: str) -> list[DeviceNight]:
    intervals = [s for s in samples if s.kind in SLEEP_STATE_KINDS and not s.is_total]
    totals = [s for s in samples if s.is_total]
    scores = [s for s in samples if s.kind == SLEEP_SCORE and s.value is not None]
    total_episodes = _total_episodes(source, totals, zone)
    episodes = [
        episode
        for episode in _episodes(source, intervals, zone)
        if not _same_sleep_as_totals(episode, total_episodes)
    ] + total_episodes
    conflicted = {night for _, night in conflicting_nights(samples, zone=zone)}
    candidates: dict[date, list[tuple[_Episode, DeviceNight]]] = defaultdict(list)
    for episode in episodes:
        night = _measure(episode)
        candidates[night.night].append((episode, night))
    chosen: dict[date, tuple[_Episode, DeviceNight]] = {}
    for day, options in candidates.items():
        options.sort(key=lambda o: (o[1].total_sleep or 0, o[1].time_in_bed or 0), reverse=True)
        episode, night = options[0]
        naps = sum(1 for other, _ in options[1:] if not _alternatives(episode, other))
        chosen[day] = (episode, replace(night, naps=naps, conflicting=day in conflicted))
    for score in scores:
        match = score.night if score.night in chosen else None
        if match is None:
            match = next(
                (
                    day
                    for day, (episode, _) in chosen.items()
                    if episode.start - SCORE_SLACK <= score.end
                    and score.start <= episode.end + SCORE_SLACK
                ),
                None,
            )
        if match is not None:
            episode, night = chosen[match]
            chosen[match] = (episode, replace(night, score=score.value))
        else:
            day = score.night or clock.night_of(score.start, score.night_zone(zone))
            if day not in chosen:
                empty = _Episode(
                    source, score.night_zone(zone), window=(score.start, score.end), night=day
                )
                chosen[day] = (empty, replace(_measure(empty), score=score.value))
    return [night for _, night in chosen.values()]


def _overlap(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _same_sleep_as_totals(episode: _Episode, totals: list[_Episode]) -> bool:
    """An in-bed interval without stages over a totals window: the same night (Oura trends and
    Garmin totals give both), not an episode of its own."""
    if any(state in ASLEEP_KINDS for _, _, state in episode.segments):
        return False
    return any(_alternatives(episode, other) for other in totals)


def _alternatives(one: _Episode, other: _Episode) -> bool:
    """Two records of the same sleep: they overlap, or the vendor dated both to one night."""
    if _overlap((one.start, one.end), (other.start, other.end)):
        return True
    return one.night is not None and one.night == other.night


# ------------------------------------------------------------------ conflicting records


def night_records(samples: Iterable[DeviceSample]) -> list[DeviceSample]:
    """The samples that stand for a whole night: in-bed intervals and stage totals."""
    return [s for s in samples if s.is_total or (s.kind == SLEEP_IN_BED and s.end > s.start)]


def conflicting_nights(
    samples: Iterable[DeviceSample],
    *,
    zone: str,
    among: Iterable[DeviceSample] | None = None,
) -> set[tuple[str, date]]:
    """(source, night) where one source recorded one night two different ways.

    Two in-bed intervals of a source conflict when they overlap (or the vendor dated both to
    one night) but start or end differently; two totals of one kind when they are for the
    same night (overlapping windows or one vendor night) with different windows or values.
    ``among``: only conflicts involving one of these samples (an import's new ones) count.
    """
    records = night_records(samples)
    wanted = None if among is None else {id(s) for s in night_records(among)}
    groups: dict[tuple[str, str], list[DeviceSample]] = defaultdict(list)
    for sample in records:
        groups[(sample.source, sample.kind if sample.is_total else SLEEP_IN_BED)].append(sample)
    found: set[tuple[str, date]] = set()
    for (source, _), group in groups.items():
        group.sort(key=lambda s: (s.start, s.end))
        by_night: dict[date, list[DeviceSample]] = defaultdict(list)
        for sample in group:
            if sample.night is not None:
                by_night[sample.night].append(sample)
        for index, first in enumerate(group):
            # Later samples overlapping this one (sorted by start: stop at the first that
            # starts after it ends), then those the vendor dated to the same night.
            rivals = []
            for later in range(index + 1, len(group)):
                second = group[later]
                if second.start >= first.end and not (first.start == first.end == second.start):
                    break
                rivals.append(second)
            if first.night is not None:
                rivals += [s for s in by_night[first.night] if s is not first]
            for second in rivals:
                if wanted is not None and id(first) not in wanted and id(second) not in wanted:
                    continue
                if _differ(first, second):
                    found.add((source, _night(first, zone)))
                    found.add((source, _night(second, zone)))
    return found


def _differ(one: DeviceSample, other: DeviceSample) -> bool:
    if (one.start, one.end) != (other.start, other.end):
        return True
    return one.is_total and one.value != other.value


def _night(sample: DeviceSample, zone: str) -> date:
    return sample.night or clock.night_of(sample.start, sample.night_zone(zone))


def _timeline(samples: list[DeviceSample]) -> list[tuple[datetime, datetime, str]]:
    """Non-overlapping segments: where samples overlap, the highest precedence state wins."""
    events: list[tuple[datetime, int, str]] = []
    for sample in samples:
        if sample.end > sample.start:
            events.append((sample.start, 1, sample.kind))
            events.append((sample.end, -1, sample.kind))
    events.sort(key=lambda e: (e[0], e[1]))
    active = dict.fromkeys(PRECEDENCE, 0)
    segments: list[tuple[datetime, datetime, str]] = []
    previous: datetime | None = None
    for moment, change, kind in events:
        if previous is not None and moment > previous:
            live = [k for k, n in active.items() if n > 0]
            state = max(live, key=lambda k: PRECEDENCE[k]) if live else None
            if state is not None:
                if segments and segments[-1][1] == previous and segments[-1][2] == state:
                    segments[-1] = (segments[-1][0], moment, state)
                else:
                    segments.append((previous, moment, state))
        active[kind] += change
        previous = moment
    return segments


def _episodes(source: str, samples: list[DeviceSample], zone: str) -> list[_Episode]:
    if not samples:
        return []
    first_zone = {s.start: s.night_zone(zone) for s in sorted(samples, key=lambda s: s.start)}
    episodes: list[_Episode] = []
    for start, end, state in _timeline(samples):
        if not episodes or start - episodes[-1].segments[-1][1] > EPISODE_GAP:
            episodes.append(_Episode(source, _zone_at(first_zone, start, zone)))
        episodes[-1].segments.append((start, end, state))
    in_bed = sorted((s.start, s.end) for s in samples if s.kind == SLEEP_IN_BED)
    for episode in episodes:
        episode.in_bed_recorded = any(
            begins < episode.end and ends > episode.start for begins, ends in in_bed
        )
    starts = [episode.start for episode in episodes]
    for sample in sorted(samples, key=lambda s: s.start):
        if sample.night is None or sample.end <= sample.start:
            continue
        episode = episodes[max(bisect_right(starts, sample.start) - 1, 0)]
        if episode.night is None:
            episode.night = sample.night  # the first dated sample of the episode decides
    return episodes


def _zone_at(zones: dict[datetime, str], start: datetime, default: str) -> str:
    if start in zones:
        return zones[start]
    earlier = [moment for moment in zones if moment <= start]
    return zones[max(earlier)] if earlier else default


def _total_episodes(source: str, samples: list[DeviceSample], zone: str) -> list[_Episode]:
    """One episode per totals window. Two values of one kind for the same window come from
    overlapping exports that disagree: the one given last (imported last) is kept."""
    windows: dict[tuple[datetime, datetime], _Episode] = {}
    for sample in samples:
        key = (sample.start, sample.end)
        episode = windows.setdefault(key, _Episode(source, sample.night_zone(zone), window=key))
        episode.night = episode.night or sample.night
        episode.totals[sample.kind] = sample.value or 0.0
    return list(windows.values())


def _measure(episode: _Episode) -> DeviceNight:
    night = episode.night or clock.night_of(episode.start, episode.zone)
    if episode.window is not None:
        return _measure_totals(episode, night)
    minutes: dict[str, float] = defaultdict(float)
    asleep = [seg for seg in episode.segments if seg[2] in ASLEEP_KINDS]
    for start, end, state in episode.segments:
        minutes[state] += (end - start).total_seconds() / 60
    in_bed_recorded = episode.in_bed_recorded
    stage_minutes = {k: round(minutes[k], 1) for k in STAGES if minutes.get(k)}
    if not asleep:
        return DeviceNight(
            night=night,
            source=episode.source,
            zone=episode.zone,
            start=episode.start,
            end=episode.end,
            time_in_bed=_span(episode.start, episode.end) if in_bed_recorded else None,
            total_sleep=None,
            onset_latency=None,
            wake_after_sleep_onset=None,
            awakenings=None,
            stage_minutes=stage_minutes,
        )
    onset, final = asleep[0][0], asleep[-1][1]
    between = [seg for seg in episode.segments if onset <= seg[0] and seg[1] <= final]
    wake_bouts = _wake_bouts(between)
    total = sum((end - start).total_seconds() for start, end, _ in asleep) / 60
    return DeviceNight(
        night=night,
        source=episode.source,
        zone=episode.zone,
        start=episode.start,
        end=episode.end,
        time_in_bed=_span(episode.start, episode.end) if in_bed_recorded else None,
        total_sleep=round(total, 1),
        onset_latency=_span(episode.start, onset) if in_bed_recorded else None,
        wake_after_sleep_onset=round(_span(onset, final) - total, 1),
        awakenings=wake_bouts,
        stage_minutes=stage_minutes,
        sleep_onset=onset,
        final_awakening=final,
    )


def _wake_bouts(segments: list[tuple[datetime, datetime, str]]) -> int:
    """Runs of not-asleep between first and last sleep (a gap in the record counts as awake)."""
    bouts = 0
    in_bout = False
    previous_end: datetime | None = None
    for start, end, state in segments:
        if previous_end is not None and start > previous_end and not in_bout:
            bouts, in_bout = bouts + 1, True
        if state in ASLEEP_KINDS:
            in_bout = False
        elif not in_bout:
            bouts, in_bout = bouts + 1, True
        previous_end = end
    return bouts


def _measure_totals(episode: _Episode, night: date) -> DeviceNight:
    totals = episode.totals
    asleep = [totals[k] for k in ASLEEP_KINDS if k in totals]
    window = _span(episode.start, episode.end)
    return DeviceNight(
        night=night,
        source=episode.source,
        zone=episode.zone,
        start=episode.start,
        end=episode.end,
        time_in_bed=window or None,
        total_sleep=round(sum(asleep), 1) if asleep else None,
        onset_latency=totals.get(SLEEP_LATENCY),
        wake_after_sleep_onset=None,
        awakenings=None,
        stage_minutes={k: round(totals[k], 1) for k in STAGES if k in totals},
        totals_only=True,
    )


def _span(start: datetime, end: datetime) -> float:
    return round((end - start).total_seconds() / 60, 1)


def main_nights(nights: Sequence[DeviceNight]) -> dict[date, DeviceNight]:
    """One device night per night when several sources recorded it: the one with stages and
    the most sleep (a watch's hypnogram before a phone's in-bed estimate)."""
    best: dict[date, DeviceNight] = {}
    for night in nights:
        current = best.get(night.night)
        if current is None or _rank(night) > _rank(current):
            best[night.night] = night
    return dict(sorted(best.items()))


def _rank(night: DeviceNight) -> tuple[bool, bool, float]:
    return (night.total_sleep is not None, night.has_stages, night.total_sleep or 0.0)


def device_outcomes(nights: Sequence[DeviceNight]) -> dict[date, dict[str, float]]:
    """Per night, the device's numbers as extra outcomes for the insights (missing: absent)."""
    outcomes: dict[date, dict[str, float]] = {}
    for day, night in main_nights(nights).items():
        values = {
            "device_tst": night.total_sleep,
            "device_tib": night.time_in_bed,
            "device_sol": night.onset_latency,
            "device_waso": night.wake_after_sleep_onset,
            "device_awakenings": night.awakenings,
            "device_se": night.sleep_efficiency,
            "device_score": night.score,
        }
        outcomes[day] = {k: float(v) for k, v in values.items() if v is not None}
    return outcomes


# ------------------------------------------------------------------ beside the diary

COMPARED = (
    ("time_in_bed", "time_in_bed"),
    ("total_sleep", "total_sleep_time"),
    ("onset_latency", "sleep_onset_latency"),
    ("wake_after_sleep_onset", "wake_after_sleep_onset"),
    ("awakenings", "awakenings"),
)


@dataclass(frozen=True)
class NightPair:
    """A diary night and the device's view of it; ``differences`` are device minus diary."""

    night: date
    diary: SleepMetrics | None
    device: DeviceNight | None
    other_devices: tuple[DeviceNight, ...] = ()
    differences: Mapping[str, float] = field(default_factory=dict)


def diary_metrics(entries: Iterable[Sleep]) -> dict[date, SleepMetrics]:
    """CSD metrics per night for diary entries (the night of getting into bed)."""
    nights: dict[date, SleepMetrics] = {}
    for entry in entries:
        nights[clock.night_of(entry.at, entry.zone)] = score_record(entry)
    return nights


def pair_nights(
    diary: Mapping[date, SleepMetrics], devices: Sequence[DeviceNight]
) -> list[NightPair]:
    """Every night with a diary or a device record, the two side by side."""
    main = main_nights(devices)
    others: dict[date, list[DeviceNight]] = defaultdict(list)
    for night in devices:
        if main.get(night.night) is not night:
            others[night.night].append(night)
    pairs = []
    for day in sorted(set(diary) | set(main)):
        metrics, device = diary.get(day), main.get(day)
        differences: dict[str, float] = {}
        if metrics is not None and device is not None:
            for device_field, diary_field in COMPARED:
                mine, theirs = getattr(device, device_field), getattr(metrics, diary_field)
                if mine is not None and theirs is not None:
                    differences[device_field] = round(float(mine) - float(theirs), 1)
        pairs.append(NightPair(day, metrics, device, tuple(others.get(day, ())), differences))
    return pairs
