"""Write a realistic Apple Health export (export.xml or export.zip) of any size.

    .venv/bin/python bench/apple_health_generate.py OUT.xml --mb 100 [--seed 1]
    .venv/bin/python bench/apple_health_generate.py OUT.zip --mb 1000   # zipped, like the phone
    options: --broken-dtd (iOS 16 / Export Version 12), --vertical-tabs, --start 2021-01-01

Records are shaped like those of a real Export Version 14 file (see
../shared/reference/data-formats.md §1.2): an internal DTD, ``ExportDate`` and ``Me``, then per
day a watch wearer's heart rate (with motion-context metadata), active and basal energy, steps and
distance, sleep stages with ``HKTimeZone`` from the watch plus an iPhone "in bed" record, resting
heart rate, heart-rate variability with beat-to-beat children, a workout every other day (events,
statistics, metadata), a weekly blood-pressure ``Correlation`` whose records are repeated at top
level, and an ``ActivitySummary``. Times carry the phone's offset: the person lives in
Europe/Amsterdam (DST changes) and spends two weeks a year in America/New_York.

The mix per day is about 1,900 elements (the census of a 3.1 GB real export has ActiveEnergy >
HeartRate ~ BasalEnergy as the largest types), ~420 bytes per record; 1 GB is about 1,300 days.
"""

# ruff: noqa: E501  (the DTD keeps the line lengths Apple writes)
from __future__ import annotations

import argparse
import io
import random
import sys
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

HOME = ZoneInfo("Europe/Amsterdam")
AWAY = ZoneInfo("America/New_York")

# Lines as long as Apple writes them.
DTD_V14 = """<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ATTLIST Me
  HKCharacteristicTypeIdentifierDateOfBirth                   CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBiologicalSex                 CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBloodType                     CDATA #REQUIRED
  HKCharacteristicTypeIdentifierFitzpatrickSkinType           CDATA #REQUIRED
  HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse   CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!-- Note: Any Records that appear as children of a correlation also appear as top-level records in this document. -->
<!ELEMENT Correlation ((MetadataEntry|Record)*)>
<!ATTLIST Correlation
  type          CDATA #REQUIRED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics)*)>
<!ATTLIST Workout
  workoutActivityType   CDATA #REQUIRED
  duration              CDATA #IMPLIED
  durationUnit          CDATA #IMPLIED
  sourceName            CDATA #REQUIRED
  sourceVersion         CDATA #IMPLIED
  device                CDATA #IMPLIED
  creationDate          CDATA #IMPLIED
  startDate             CDATA #REQUIRED
  endDate               CDATA #REQUIRED
>
<!ELEMENT WorkoutEvent ((MetadataEntry)*)>
<!ATTLIST WorkoutEvent
  type         CDATA #REQUIRED
  date         CDATA #REQUIRED
  duration     CDATA #IMPLIED
  durationUnit CDATA #IMPLIED
>
<!ELEMENT WorkoutStatistics EMPTY>
<!ATTLIST WorkoutStatistics
  type      CDATA #REQUIRED
  startDate CDATA #REQUIRED
  endDate   CDATA #REQUIRED
  average   CDATA #IMPLIED
  minimum   CDATA #IMPLIED
  maximum   CDATA #IMPLIED
  sum       CDATA #IMPLIED
  unit      CDATA #IMPLIED
>
<!ELEMENT MetadataEntry EMPTY>
<!ATTLIST MetadataEntry
  key   CDATA #REQUIRED
  value CDATA #REQUIRED
>
<!ELEMENT HeartRateVariabilityMetadataList (InstantaneousBeatsPerMinute*)>
<!ELEMENT InstantaneousBeatsPerMinute EMPTY>
<!ATTLIST InstantaneousBeatsPerMinute
  bpm  CDATA #REQUIRED
  time CDATA #REQUIRED
>
<!ELEMENT ActivitySummary EMPTY>
<!ATTLIST ActivitySummary
  dateComponents           CDATA #IMPLIED
  activeEnergyBurned       CDATA #IMPLIED
  activeEnergyBurnedGoal   CDATA #IMPLIED
  activeEnergyBurnedUnit   CDATA #IMPLIED
  appleMoveTime            CDATA #IMPLIED
  appleMoveTimeGoal        CDATA #IMPLIED
  appleExerciseTime        CDATA #IMPLIED
  appleExerciseTimeGoal    CDATA #IMPLIED
  appleStandHours          CDATA #IMPLIED
  appleStandHoursGoal      CDATA #IMPLIED
>
]>
"""

# iOS 16 (Export Version 12): VisionPrescription's ATTLIST is never closed and a stray '>'
# precedes ']>' - expat stops with "syntax error", lxml with "ATTLIST: no name for Attribute".
DTD_BROKEN_V12 = DTD_V14.replace("Export Version: 14", "Export Version: 12").replace(
    "]>\n",
    """<!ELEMENT VisionPrescription ((RightEye|LeftEye|Attachment|MetadataEntry)*)>
<!ATTLIST VisionPrescription
  type             CDATA #REQUIRED
  dateIssued       CDATA #REQUIRED
  expirationDate   CDATA #IMPLIED
  brand            CDATA #IMPLIED
<!ELEMENT RightEye EMPTY>
<!ATTLIST RightEye
  sphere           CDATA #IMPLIED
>
>
]>
""",
)

WATCH = "Alex’s Apple\u00a0Watch"
PHONE = "Alex’s iPhone"
WATCH_DEVICE = (
    "&lt;&lt;HKDevice: 0x3012772a0&gt;, name:Apple Watch, manufacturer:Apple Inc., "
    "model:Watch, hardware:Watch6,7, software:10.2&gt;"
)
PHONE_DEVICE = (
    "&lt;&lt;HKDevice: 0x30127e030&gt;, name:iPhone, manufacturer:Apple Inc., "
    "model:iPhone, hardware:iPhone15,3, software:17.2.1&gt;"
)
SLEEP_STAGES = ("AsleepCore", "AsleepDeep", "AsleepCore", "AsleepREM", "Awake")


class Clock:
    """UTC epoch seconds -> the phone's 'YYYY-MM-DD HH:MM:SS +HHMM', offset cached per hour."""

    def __init__(self, zone_for_day: Callable[[date], ZoneInfo]) -> None:
        self.zone_for_day = zone_for_day
        self._offsets: dict[int, tuple[int, str, str]] = {}

    def zone(self, epoch: int) -> ZoneInfo:
        return self.zone_for_day(datetime.fromtimestamp(epoch, UTC).date())

    def __call__(self, epoch: int) -> str:
        hour = epoch // 3600
        cached = self._offsets.get(hour)
        if cached is None:
            instant = datetime.fromtimestamp(hour * 3600, UTC)
            zone = self.zone_for_day(instant.date())
            offset = int(instant.astimezone(zone).utcoffset().total_seconds())  # type: ignore[union-attr]
            sign = "+" if offset >= 0 else "-"
            text = f"{sign}{abs(offset) // 3600:02d}{abs(offset) % 3600 // 60:02d}"
            cached = (offset, text, zone.key)
            self._offsets[hour] = cached
        offset, text, _ = cached
        wall = datetime.fromtimestamp(epoch + offset, UTC)
        return f"{wall:%Y-%m-%d %H:%M:%S} {text}"

    def zone_name(self, epoch: int) -> str:
        self(epoch)
        return self._offsets[epoch // 3600][2]


def _record(
    kind: str,
    source: str,
    device: str | None,
    unit: str | None,
    value: str,
    start: str,
    end: str,
    created: str,
    body: str = "",
) -> str:
    device_attr = f' device="{device}"' if device else ""
    unit_attr = f' unit="{unit}"' if unit else ""
    head = (
        f' <Record type="{kind}" sourceName="{source}" sourceVersion="10.2"{device_attr}'
        f'{unit_attr} creationDate="{created}" startDate="{start}" endDate="{end}" value="{value}"'
    )
    return f"{head}>\n{body} </Record>\n" if body else f"{head}/>\n"


def _meta(key: str, value: str) -> str:
    return f'  <MetadataEntry key="{key}" value="{value}"/>\n'


class Generator:
    def __init__(self, seed: int, start: date, vertical_tabs: bool) -> None:
        self.rng = random.Random(seed)
        self.day = start
        self.vertical_tabs = vertical_tabs
        self.clock = Clock(self._zone_for_day)
        self.records = 0

    def _zone_for_day(self, day: date) -> ZoneInfo:
        # Two weeks in New York every year, from the 10th of June.
        trip = date(day.year, 6, 10)
        return AWAY if trip <= day < trip + timedelta(days=14) else HOME

    def _epoch(self, day: date, hour: float) -> int:
        zone = self._zone_for_day(day)
        wall = datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(hours=hour)
        return int(wall.timestamp())

    def next_day(self) -> str:
        """Everything one day adds to the export, as text."""
        rng, clock, day = self.rng, self.clock, self.day
        out: list[str] = []
        add = out.append
        wake = self._epoch(day, 7 + rng.random())
        bed = self._epoch(day, 23 + rng.random())
        # Heart rate: every ~5 min awake, ~10 min asleep.
        t = self._epoch(day, 0)
        end_of_day = self._epoch(day + timedelta(days=1), 0)
        while t < end_of_day:
            stamp = clock(t)
            asleep = t < wake or t > bed
            bpm = rng.randint(48, 62) if asleep else rng.randint(60, 110)
            add(
                _record(
                    "HKQuantityTypeIdentifierHeartRate",
                    WATCH,
                    WATCH_DEVICE,
                    "count/min",
                    str(bpm),
                    stamp,
                    stamp,
                    clock(t + 600),
                    _meta("HKMetadataKeyHeartRateMotionContext", str(rng.randint(0, 1))),
                )
            )
            t += rng.randint(420, 720) if asleep else rng.randint(200, 400)
        # Energy, steps, distance while awake: one-minute samples, energy most often.
        t = wake
        while t < bed:
            stamp, stamp_end = clock(t), clock(t + 60)
            created = clock(t + 900)
            add(
                _record(
                    "HKQuantityTypeIdentifierActiveEnergyBurned",
                    WATCH,
                    WATCH_DEVICE,
                    "kcal",
                    f"{rng.random() * 2:.3f}",
                    stamp,
                    stamp_end,
                    created,
                )
            )
            if rng.random() < 0.5:
                add(
                    _record(
                        "HKQuantityTypeIdentifierBasalEnergyBurned",
                        WATCH,
                        WATCH_DEVICE,
                        "kcal",
                        f"{0.9 + rng.random() * 0.3:.3f}",
                        stamp,
                        stamp_end,
                        created,
                    )
                )
            if rng.random() < 0.2:
                steps = rng.randint(5, 120)
                add(
                    _record(
                        "HKQuantityTypeIdentifierStepCount",
                        PHONE,
                        PHONE_DEVICE,
                        "count",
                        str(steps),
                        stamp,
                        stamp_end,
                        created,
                    )
                )
                add(
                    _record(
                        "HKQuantityTypeIdentifierDistanceWalkingRunning",
                        PHONE,
                        PHONE_DEVICE,
                        "km",
                        f"{steps * 0.00072:.5f}",
                        stamp,
                        stamp_end,
                        created,
                    )
                )
            t += rng.randint(50, 90)
        self._night(add, bed)
        self._heart_summaries(add, wake)
        if day.toordinal() % 2 == 0:
            self._workout(add, self._epoch(day, 17.5 + rng.random()))
        if day.toordinal() % 7 == 0:
            self._blood_pressure(add, wake + 1800)
        add(
            f' <ActivitySummary dateComponents="{day.isoformat()}" activeEnergyBurned='
            f'"{rng.uniform(300, 900):.3f}" activeEnergyBurnedGoal="630" '
            f'activeEnergyBurnedUnit="kcal" appleMoveTime="0" appleMoveTimeGoal="0" '
            f'appleExerciseTime="{rng.randint(5, 90)}" appleExerciseTimeGoal="30" '
            f'appleStandHours="{rng.randint(6, 15)}" appleStandHoursGoal="12"/>\n'
        )
        self.day = day + timedelta(days=1)
        return "".join(out)

    def _night(self, add: Callable[[str], object], bed: int) -> None:
        rng, clock = self.rng, self.clock
        zone = clock.zone_name(bed)
        tz = _meta("HKTimeZone", zone)
        onset = bed + rng.randint(300, 1800)
        t = onset
        out_of_bed = onset + rng.randint(6 * 3600, 8 * 3600)
        add(
            _record(
                "HKCategoryTypeIdentifierSleepAnalysis",
                PHONE,
                None,
                None,
                "HKCategoryValueSleepAnalysisInBed",
                clock(bed),
                clock(out_of_bed + 300),
                clock(out_of_bed + 400),
                tz,
            )
        )
        while t < out_of_bed:
            stage = rng.choice(SLEEP_STAGES)
            length = rng.randint(60, 300) if stage == "Awake" else rng.randint(600, 2400)
            end = min(t + length, out_of_bed)
            add(
                _record(
                    "HKCategoryTypeIdentifierSleepAnalysis",
                    WATCH,
                    WATCH_DEVICE,
                    None,
                    f"HKCategoryValueSleepAnalysis{stage}",
                    clock(t),
                    clock(end),
                    clock(out_of_bed + 600),
                    tz,
                )
            )
            t = end

    def _heart_summaries(self, add: Callable[[str], object], wake: int) -> None:
        rng, clock = self.rng, self.clock
        stamp = clock(wake + 3600)
        add(
            _record(
                "HKQuantityTypeIdentifierRestingHeartRate",
                WATCH,
                WATCH_DEVICE,
                "count/min",
                str(rng.randint(50, 64)),
                stamp,
                clock(wake + 40000),
                clock(wake + 40000),
            )
        )
        for n in range(4):
            start = wake + n * 14000 + rng.randint(0, 600)
            beats = []
            for b in range(rng.randint(50, 70)):
                beats.append(
                    f'    <InstantaneousBeatsPerMinute bpm="{rng.randint(55, 80)}" '
                    f'time="{b // 60:02d}:{b % 60:02d}.{rng.randint(0, 99):02d}"/>\n'
                )
            body = "  <HeartRateVariabilityMetadataList>\n" + "".join(beats)
            body += "  </HeartRateVariabilityMetadataList>\n"
            if self.vertical_tabs and n == 0 and rng.random() < 0.05:
                body = _meta("HKAlgorithmVersion", "2\x0b") + body
            add(
                _record(
                    "HKQuantityTypeIdentifierHeartRateVariabilitySDNN",
                    WATCH,
                    WATCH_DEVICE,
                    "ms",
                    f"{rng.uniform(20, 90):.4f}",
                    clock(start),
                    clock(start + 60),
                    clock(start + 120),
                    body,
                )
            )

    def _workout(self, add: Callable[[str], object], start: int) -> None:
        rng, clock = self.rng, self.clock
        minutes = rng.uniform(20, 75)
        end = start + int(minutes * 60)
        kind = rng.choice(("Walking", "Running", "Cycling", "Yoga", "TraditionalStrengthTraining"))
        body = (
            _meta("HKTimeZone", clock.zone_name(start))
            + _meta("HKIndoorWorkout", "0")
            + _meta("HKAverageMETs", f"{rng.uniform(3, 9):.4f} kcal/hr·kg")
            + f'  <WorkoutEvent type="HKWorkoutEventTypeSegment" date="{clock(start)}" '
            f'duration="{minutes:.4f}" durationUnit="min"/>\n'
            + f'  <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" '
            f'startDate="{clock(start)}" endDate="{clock(end)}" sum="{minutes * 8:.4f}" '
            'unit="kcal"/>\n' + f'  <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" '
            f'startDate="{clock(start)}" endDate="{clock(end)}" average="128" minimum="95" '
            'maximum="162" unit="count/min"/>\n'
        )
        add(
            f' <Workout workoutActivityType="HKWorkoutActivityType{kind}" '
            f'duration="{minutes:.10f}" durationUnit="min" sourceName="{WATCH}" '
            f'sourceVersion="10.2" device="{WATCH_DEVICE}" creationDate="{clock(end + 60)}" '
            f'startDate="{clock(start)}" endDate="{clock(end)}">\n{body} </Workout>\n'
        )

    def _blood_pressure(self, add: Callable[[str], object], at: int) -> None:
        rng, clock = self.rng, self.clock
        stamp = clock(at)
        children = "".join(
            _record(
                f"HKQuantityTypeIdentifierBloodPressure{name}",
                "Health Mate",
                None,
                "mmHg",
                str(value),
                stamp,
                stamp,
                stamp,
            )
            for name, value in (("Systolic", rng.randint(110, 135)), ("Diastolic", 70))
        )
        # The DTD says: records inside a Correlation also appear at top level.
        add(children)
        add(
            f' <Correlation type="HKCorrelationTypeIdentifierBloodPressure" '
            f'sourceName="Health Mate" sourceVersion="6.3" creationDate="{stamp}" '
            f'startDate="{stamp}" endDate="{stamp}">\n'
            + _meta("HKWasUserEntered", "0")
            + children
            + " </Correlation>\n"
        )


def write_export(
    out: TextIO, *, target_bytes: int, seed: int, start: date, broken_dtd: bool, vt: bool
) -> int:
    """Write a whole export of about ``target_bytes``; returns the number of days written."""
    generator = Generator(seed, start, vt)
    header = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + (DTD_BROKEN_V12 if broken_dtd else DTD_V14)
        + '<HealthData locale="en_US">\n'
        + ' <ExportDate value="2026-11-20 08:10:05 +0100"/>\n'
        + ' <Me HKCharacteristicTypeIdentifierDateOfBirth="1984-05-02" '
        'HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale" '
        'HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet" '
        'HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet" '
        'HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse="None"/>\n'
    )
    written = out.write(header)
    days = 0
    while written < target_bytes:
        written += out.write(generator.next_day())
        days += 1
    out.write("</HealthData>\n")
    return days


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="export.xml, or a .zip to write the phone's zip")
    parser.add_argument("--mb", type=float, default=100, help="approximate XML size in MB")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2021, 1, 1))
    parser.add_argument("--broken-dtd", action="store_true", help="the iOS 16 broken DTD")
    parser.add_argument("--vertical-tabs", action="store_true", help="a few \\x0b characters")
    args = parser.parse_args(argv)
    target = int(args.mb * 1_000_000)
    options = {
        "target_bytes": target,
        "seed": args.seed,
        "start": args.start,
        "broken_dtd": args.broken_dtd,
        "vt": args.vertical_tabs,
    }
    if args.out.suffix == ".zip":
        with (
            zipfile.ZipFile(args.out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z,
            z.open("apple_health_export/export.xml", "w", force_zip64=True) as member,
            io.TextIOWrapper(member, encoding="utf-8", write_through=False) as text,
        ):
            days = write_export(text, **options)
    else:
        with args.out.open("w", encoding="utf-8", buffering=1 << 20) as text:
            days = write_export(text, **options)
    sys.stderr.write(f"wrote {args.out} ({days} days)\n")


if __name__ == "__main__":
    main()
