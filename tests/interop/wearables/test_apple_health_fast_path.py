"""The fast Apple Health reader (expat handlers, dates without strptime, keys without strftime)
accepts and refuses exactly what the previous reader (ElementTree events, strptime) did.

``_reference_read`` below is the previous reader, frozen: each record of the table is read by
both, and the samples, counts and problems must be the same, good records and bad alike.
"""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import cast

import pytest

from speciosa.errors import InvalidInput
from speciosa.interop.wearables import apple_health as ah
from speciosa.journal.device import (
    HRV,
    MINUTES,
    RESTING_HR,
    WORKOUT,
    DeviceSample,
    make_sample,
    measurement_key,
)

FIXTURES = Path(__file__).parents[2] / "fixtures" / "wearables" / "apple"
SHARED = Path(__file__).parents[4] / "shared" / "samples" / "apple-health"
HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_NL">\n'
TAIL = b"</HealthData>\n"
WATCH = (
    "&lt;&lt;HKDevice: 0x283a1c4b0&gt;, name:Apple Watch, manufacturer:Apple Inc., "
    "model:Watch, hardware:Watch6,7, software:10.2&gt;"
)
SLEEP = "HKCategoryTypeIdentifierSleepAnalysis"
RHR = "HKQuantityTypeIdentifierRestingHeartRate"
SDNN = "HKQuantityTypeIdentifierHeartRateVariabilitySDNN"
START = "2024-01-01 23:10:00 +0100"
END = "2024-01-02 07:00:00 +0100"


def record(
    record_type: str,
    value: str | None = None,
    *,
    unit: str | None = None,
    start: str | None = START,
    end: str | None = END,
    children: str = "",
    device: str | None = WATCH,
) -> str:
    attrs = {
        "type": record_type,
        "sourceName": "Sam’s Apple Watch",
        "unit": unit,
        "value": value,
        "device": device,
        "startDate": start,
        "endDate": end,
    }
    text = " ".join(f'{k}="{v}"' for k, v in attrs.items() if v is not None)
    return f"<Record {text}>{children}</Record>" if children else f"<Record {text}/>"


def workout(duration: str | None = "41.5", unit: str | None = "min", children: str = "") -> str:
    attrs = {
        "workoutActivityType": "HKWorkoutActivityTypeRunning",
        "duration": duration,
        "durationUnit": unit,
        "sourceName": "Sam’s Apple Watch",
        "device": WATCH,
        "startDate": "2024-01-03 17:31:00 +0100",
        "endDate": "2024-01-03 18:12:30 +0100",
    }
    text = " ".join(f'{k}="{v}"' for k, v in attrs.items() if v is not None)
    return f"<Workout {text}>{children}</Workout>"


def zone(name: str) -> str:
    return f'<MetadataEntry key="HKTimeZone" value="{name}"/>'


# Each case: one or more top-level elements, read on their own by both readers.
RECORDS = {
    # good records of every kept kind
    "sleep core": record(SLEEP, "HKCategoryValueSleepAnalysisAsleepCore"),
    "sleep as HealthKit's number": record(SLEEP, "4"),
    "sleep in bed, zone": record(
        SLEEP, "HKCategoryValueSleepAnalysisInBed", children=zone("Europe/Amsterdam")
    ),
    "resting heart rate": record(RHR, "57", unit="count/min"),
    "hrv with beats": record(
        SDNN,
        "42.5",
        unit="ms",
        children="<HeartRateVariabilityMetadataList>"
        '<InstantaneousBeatsPerMinute bpm="61" time="11:02:03.12 PM"/>'
        "</HeartRateVariabilityMetadataList>",
    ),
    "workout in seconds": workout("2490", "s"),
    "workout with route metadata": workout(
        children='<WorkoutRoute><MetadataEntry key="HKTimeZone" value="Asia/Tokyo"/></WorkoutRoute>'
        + zone("America/New_York")
    ),
    "no device": record(RHR, "60", unit="count/min", device=None),
    "device without hardware fields": record(
        RHR, "61", unit="count/min", device="&lt;&lt;HKDevice&gt;&gt;"
    ),
    # wrong or odd units: neither reader checks them; both keep the unit as written
    "resting heart rate in ms": record(RHR, "57", unit="ms"),
    "hrv in count/min": record(SDNN, "40", unit="count/min"),
    "hrv without unit": record(SDNN, "40"),
    "workout in fortnights": workout("2", "fortnight"),
    "workout without duration": workout(None, None),
    "workout with a word for duration": workout("long"),
    # values
    "negative resting heart rate": record(RHR, "-5", unit="count/min"),
    "negative hrv": record(SDNN, "-0.5", unit="ms"),
    "resting heart rate nan": record(RHR, "nan", unit="count/min"),
    "resting heart rate inf": record(RHR, "inf", unit="count/min"),
    "resting heart rate with spaces": record(RHR, " 58 ", unit="count/min"),
    "resting heart rate word": record(RHR, "fifty", unit="count/min"),
    "resting heart rate empty": record(RHR, "", unit="count/min"),
    "resting heart rate missing": record(RHR, None, unit="count/min"),
    # types and sleep values
    "unknown sleep value": record(SLEEP, "HKCategoryValueSleepAnalysisDreaming"),
    "sleep value missing": record(SLEEP, None),
    "sleep number out of range": record(SLEEP, "9"),
    "unknown type": record("HKQuantityTypeIdentifierStepCount", "1200", unit="count"),
    "heart rate (not kept)": record(
        "HKQuantityTypeIdentifierHeartRate", "abc", unit="count/min", start="junk"
    ),
    "kept types inside a correlation": (
        '<Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="x" '
        f'startDate="{START}" endDate="{END}">'
        + record(RHR, "57", unit="count/min")
        + record(SLEEP, "HKCategoryValueSleepAnalysisAsleepREM")
        + "</Correlation>"
    ),
    # nesting: only records at depth 2 are read; a record one level down is counted as in a
    # correlation whatever holds it, deeper ones are not counted (the previous reader's rules)
    "a record inside a kept record": record(
        SLEEP,
        "HKCategoryValueSleepAnalysisAsleepCore",
        children=record(RHR, "57", unit="count/min"),
    ),
    "a record two levels down": record(
        RHR,
        "58",
        unit="count/min",
        children="<HeartRateVariabilityMetadataList>"
        + record(SDNN, "40", unit="ms")
        + "</HeartRateVariabilityMetadataList>",
    ),
    "a kept record inside another top-level element": (
        "<ActivitySummary>" + record(RHR, "59", unit="count/min") + "</ActivitySummary>"
    ),
    "a workout inside a correlation": (
        '<Correlation type="HKCorrelationTypeIdentifierFood">' + workout() + "</Correlation>"
    ),
    "a kept record right after a correlation": (
        '<Correlation type="HKCorrelationTypeIdentifierBloodPressure">'
        + record(RHR, "56", unit="count/min")
        + "</Correlation>"
        + record(SLEEP, "HKCategoryValueSleepAnalysisAsleepDeep", children=zone("Asia/Tokyo"))
    ),
    "a zone one level too deep": record(
        SLEEP,
        "HKCategoryValueSleepAnalysisAsleepREM",
        children="<HeartRateVariabilityMetadataList>"
        + zone("Asia/Tokyo")
        + "</HeartRateVariabilityMetadataList>"
        + zone("Europe/Paris"),
    ),
    "kept records back to back": record(SLEEP, "HKCategoryValueSleepAnalysisInBed")
    + record(SLEEP, "HKCategoryValueSleepAnalysisAwake", children=zone("Europe/Paris"))
    + record(RHR, "55", unit="count/min"),
    # zones
    "junk zone": record(
        SLEEP, "HKCategoryValueSleepAnalysisAsleepDeep", children=zone("Mars/Olympus_Mons")
    ),
    "two zones, the first counts": record(
        SLEEP,
        "HKCategoryValueSleepAnalysisAsleepREM",
        children=zone("America/New_York") + zone("Europe/Amsterdam"),
    ),
    "zone entry without value": record(
        SLEEP,
        "HKCategoryValueSleepAnalysisAwake",
        children='<MetadataEntry key="HKTimeZone"/>' + zone("Europe/Amsterdam"),
    ),
    "other metadata first": record(
        SLEEP,
        "HKCategoryValueSleepAnalysisAwake",
        children='<MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="1"/>'
        + zone("Europe/Paris"),
    ),
    # attribute order (the reader checks ``type`` first, then looks it up anywhere)
    "type not the first attribute": (
        f'<Record sourceName="x" type="{RHR}" unit="count/min" value="57" '
        f'startDate="{START}" endDate="{END}"/>'
    ),
    "no type attribute": f'<Record sourceName="x" value="57" startDate="{START}" endDate="{END}"/>',
    "zone value before key": record(
        SLEEP,
        "HKCategoryValueSleepAnalysisAwake",
        children='<MetadataEntry value="Asia/Tokyo" key="HKTimeZone"/>',
    ),
    # dates
    "end before start": record(RHR, "57", unit="count/min", start=END, end=START),
    "same start and end": record(RHR, "57", unit="count/min", start=START, end=START),
    "start missing": record(RHR, "57", unit="count/min", start=None),
    "end empty": record(RHR, "57", unit="count/min", end=""),
    "ISO date": record(RHR, "57", unit="count/min", start="2024-01-01T23:10:00+01:00"),
    "30 February": record(RHR, "57", unit="count/min", start="2024-02-30 23:10:00 +0100"),
    "29 February, leap year": record(
        RHR, "57", unit="count/min", start="2024-02-29 23:10:00 +0100"
    ),
    "29 February, other year": record(
        RHR, "57", unit="count/min", start="2023-02-29 23:10:00 +0100"
    ),
    "month 13": record(RHR, "57", unit="count/min", start="2024-13-01 23:10:00 +0100"),
    "month 00": record(RHR, "57", unit="count/min", start="2024-00-01 23:10:00 +0100"),
    "hour 24": record(RHR, "57", unit="count/min", start="2024-01-01 24:00:00 +0100"),
    "second 60": record(RHR, "57", unit="count/min", start="2024-01-01 23:59:60 +0100"),
    "offset of a day": record(RHR, "57", unit="count/min", start="2024-01-01 23:10:00 +2400"),
    "offset minutes 60": record(RHR, "57", unit="count/min", start="2024-01-01 23:10:00 +0160"),
    "offset with colon": record(RHR, "57", unit="count/min", start="2024-01-01 23:10:00 +01:00"),
    "offset Z": record(RHR, "57", unit="count/min", start="2024-01-01 22:10:00 Z"),
    "offset -0000": record(RHR, "57", unit="count/min", start="2024-01-01 22:10:00 -0000"),
    "offset +1345 (Chatham)": record(
        RHR, "57", unit="count/min", start="2024-01-01 12:10:00 +1345"
    ),
    "no offset": record(RHR, "57", unit="count/min", start="2024-01-01 23:10:00"),
    "two spaces": record(RHR, "57", unit="count/min", start="2024-01-01  23:10:00 +0100"),
    "digits not padded": record(RHR, "57", unit="count/min", start="2024-1-1 9:05:07 +0100"),
    "Arabic-Indic digits": record(RHR, "57", unit="count/min", start="٢٠٢٤-٠١-٠١ 23:10:00 +0100"),
    "year 0999": record(
        RHR,
        "57",
        unit="count/min",
        start="0999-01-01 23:10:00 +0100",
        end="0999-01-01 23:11:00 +0100",
    ),
    "trailing text": record(RHR, "57", unit="count/min", start="2024-01-01 23:10:00 +0100 CET"),
}


@pytest.mark.parametrize("case", RECORDS, ids=list(RECORDS))
def test_each_record_is_accepted_or_refused_as_before(tmp_path: Path, case: str) -> None:
    path = tmp_path / "export.xml"
    path.write_bytes(HEAD + RECORDS[case].encode() + b"\n" + TAIL)
    assert _read(path) == _reference_read(path)


def test_all_records_in_one_file_read_as_before(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    body = "\n".join(RECORDS.values())
    path.write_bytes(HEAD + body.encode() + b"\n" + TAIL)
    samples, counts = _read(path)
    assert (samples, counts) == _reference_read(path)
    assert len(samples) >= 25  # the table holds good records ...
    assert cast(int, counts["invalid"]) >= 20  # ... and bad ones


# The reader follows most elements by their raw text and reads a tag's attributes with a
# second parser; these files hold what makes a tag read differently on its own (a DOCTYPE with
# entities and default attributes, namespaces, another encoding) or what the raw text must not
# fool it with (references, line breaks and tabs in values, comments, CDATA, instructions).
AMSTERDAM_SLEEP = record(SLEEP, "HKCategoryValueSleepAnalysisAsleepCore")
ODD_FILES = {
    "entities and default attributes from a DOCTYPE": (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE Other [\n'
        b'<!ENTITY sleep "HKCategoryTypeIdentifierSleepAnalysis">\n'
        b'<!ATTLIST Record value CDATA "HKCategoryValueSleepAnalysisAwake">\n]>\n'
        b'<HealthData locale="en">\n'
        + f'<Record type="&sleep;" sourceName="x" startDate="{START}" endDate="{END}"/>'.encode()
        + b"\n"
        + TAIL
    ),
    "a default namespace": HEAD.replace(b"<HealthData", b'<HealthData xmlns="urn:x"')
    + AMSTERDAM_SLEEP.encode()
    + TAIL,
    "a prefix declared on a record": HEAD
    + AMSTERDAM_SLEEP.replace("<Record ", '<Record xmlns:a="urn:a" a:type="x" ').encode()
    + TAIL,
    "Latin-1": (
        b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<HealthData locale="en">\n'
        + AMSTERDAM_SLEEP.replace("Sam’s", "S\xe9an's").encode("latin-1")
        # expat converts Latin-1 in pieces of ~1 KB: a tag longer than that comes in pieces
        + record(RHR, "57", unit="count/min").replace("Sam’s", "S\xe9an" * 900).encode("latin-1")
        + TAIL
    ),
    "references, tabs and line breaks in values": HEAD
    + (
        f'<Record type="HKCategoryType&#73;dentifierSleepAnalysis" sourceName="a\tb\r\nc&amp;d" '
        'value="HKCategoryValueSleepAnalysis&#x41;sleepREM" '
        f'startDate="{START}" endDate="{END}">'
        '<MetadataEntry key="HK&#84;imeZone" value="Europe/\nParis"/></Record>\n'
        f"<Record\ttype='{SLEEP}'\n value='HKCategoryValueSleepAnalysisAwake' sourceName='q\"'"
        f" startDate='{START}' endDate='{END}' />"
    ).encode()
    + TAIL,
    "a > and /> in values": HEAD
    + (
        f'<Record type="{RHR}" sourceName="a/>b>" unit="count/min" value="57" '
        f'startDate="{START}" endDate="{END}"><MetadataEntry key="x" value="/>"/></Record>'
        f'<Record type="{RHR}" sourceName="c" unit="&gt;/>" value="58" '
        f'startDate="{START}" endDate="{END}"/>'
    ).encode()
    + TAIL,
    "comments, CDATA and instructions between records": HEAD
    + b"<!-- <Record type='x'/> -->"
    + AMSTERDAM_SLEEP.encode()
    + b"<?pi <Record/> ?>"
    + record(RHR, "57", unit="count/min", children="<![CDATA[<Record/>]]>").encode()
    + b"text &amp; more"
    + TAIL,
    "a type that only starts like a kept one": HEAD
    + record(SLEEP + "X", "HKCategoryValueSleepAnalysisAwake").encode()
    + record("HKQuantityTypeIdentifierRestingHeartRateX", "57").encode()
    + b"<Records/><RecordX type='x'/><Workouts/>"
    + TAIL,
}


@pytest.mark.parametrize("case", ODD_FILES, ids=list(ODD_FILES))
def test_unusual_files_read_as_before(tmp_path: Path, case: str) -> None:
    path = tmp_path / "export.xml"
    path.write_bytes(ODD_FILES[case])
    assert _read(path) == _reference_read(path)


def test_the_unusual_files_keep_and_count_something(tmp_path: Path) -> None:
    # Not vacuous: the files above hold kept records (counted by hand from the table).
    kept = {}
    for number, (case, text) in enumerate(ODD_FILES.items()):
        path = tmp_path / f"export-{number}.xml"
        path.write_bytes(text)
        kept[case] = _read(path)[1]["samples"]
    assert kept["entities and default attributes from a DOCTYPE"] == 1
    assert kept["references, tabs and line breaks in values"] == 2
    assert kept["Latin-1"] == 2
    assert kept["a > and /> in values"] == 2
    assert kept["a default namespace"] == 0  # its records are {urn:x}Record, as before


# Chunk sizes that split tags, attributes, references and records at every kind of place:
# the reader settles the ends expat noted after each chunk, so where a chunk ends must not
# change what is read (issue 16, third pass).
CHUNK_SIZES = [1, 2, 7, 64, 333, 4096]
REAL_EXPORTS = sorted(
    [*FIXTURES.glob("*.xml"), *FIXTURES.glob("dogsheep/*.xml"), *SHARED.glob("*.xml")]
)


@pytest.mark.parametrize("size", CHUNK_SIZES)
def test_the_table_in_any_chunk_size_reads_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    path = tmp_path / "export.xml"
    path.write_bytes(HEAD + "\n".join(RECORDS.values()).encode() + b"\n" + TAIL)
    whole = _reference_read(path)  # read in the usual 64 KiB: the file is one chunk
    monkeypatch.setattr(ah, "CHUNK", size)
    assert _read(path) == whole
    assert cast(int, whole[1]["in_correlations"]) >= 5  # the nesting cases above are in it


@pytest.mark.parametrize("size", [3, 100, 4096])
@pytest.mark.parametrize("export", REAL_EXPORTS, ids=lambda p: p.name)
def test_real_exports_in_any_chunk_size_read_as_before(
    monkeypatch: pytest.MonkeyPatch, export: Path, size: int
) -> None:
    monkeypatch.setattr(ah, "CHUNK", size)
    assert _read(export) == _reference_read(export)


def test_the_real_exports_are_there() -> None:
    # tests/fixtures/wearables/apple and the shared samples: small, broken-DTD and device
    # exports and dogsheep's; the test above must not pass by having nothing to read.
    assert len(REAL_EXPORTS) >= 4


@pytest.mark.parametrize("size", [5, 64, 65536])
def test_a_kept_record_last_in_the_file_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    path = tmp_path / "export.xml"
    last = record(SLEEP, "HKCategoryValueSleepAnalysisAsleepCore", children=zone("Asia/Tokyo"))
    path.write_bytes(HEAD + record(RHR, "57", unit="count/min").encode() + last.encode() + TAIL)
    monkeypatch.setattr(ah, "CHUNK", size)
    samples, counts = _read(path)
    assert counts["records"] == 2
    assert counts["samples"] == 2
    assert "sleep_core" in samples[-1]
    assert "Asia/Tokyo" in samples[-1]


@pytest.mark.parametrize("size", [1, 7, 65536])
@pytest.mark.parametrize(
    ("mark", "keep"), [("</Record>", 9), ("</Record>", 4), ("</HealthData>", 0), ("</Health", 5)]
)
def test_a_file_cut_after_a_kept_record_is_refused_by_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int, mark: str, keep: int
) -> None:
    # Cut just after or inside the last record's end, or before or inside the root's end:
    # the records before are whole, but the document is not, so nothing may be imported.
    path = tmp_path / "export.xml"
    text = (HEAD + "\n".join(RECORDS.values()).encode() + b"\n" + TAIL).decode()
    path.write_text(text[: text.rindex(mark) + keep], encoding="utf-8")
    monkeypatch.setattr(ah, "CHUNK", size)
    with pytest.raises(InvalidInput, match="not a readable Apple Health export") as new:
        _read(path)
    with pytest.raises(InvalidInput, match="not a readable Apple Health export") as old:
        _reference_read(path)
    assert str(new.value) == str(old.value)


@pytest.mark.parametrize("cut", [60, 200, -40, -8])
def test_a_damaged_file_is_refused_by_both(tmp_path: Path, cut: int) -> None:
    path = tmp_path / "export.xml"
    text = HEAD + "\n".join(RECORDS.values()).encode() + b"\n" + TAIL
    path.write_bytes(
        text[:cut] if cut < 0 else text[: len(HEAD) + cut] + b"<<" + text[len(HEAD) + cut :]
    )
    with pytest.raises(InvalidInput, match="not a readable Apple Health export") as new:
        _read(path)
    with pytest.raises(InvalidInput, match="not a readable Apple Health export") as old:
        _reference_read(path)
    assert str(new.value) == str(old.value)  # the same expat message, line and column


@pytest.mark.parametrize(
    "text", [*(re.findall(r'(?:start|end)Date="([^"]*)"', "".join(RECORDS.values()))), "", None]
)
def test_dates_read_without_strptime_equal_strptime(text: str | None) -> None:
    assert _outcome(ah._time, text) == _outcome(_reference_time, text)


def test_random_dates_read_without_strptime_equal_strptime() -> None:
    draw = random.Random(16)
    for _ in range(3000):
        parts = [
            draw.choice(["2024", "1999", "0001", "9999", "0000"]),
            *(f"{draw.randint(0, 99):02d}" for _ in range(5)),
        ]
        offset = f"{draw.choice('+-')}{draw.randint(0, 2599):04d}"
        text = f"{parts[0]}-{parts[1]}-{parts[2]} {parts[3]}:{parts[4]}:{parts[5]} {offset}"
        assert _outcome(ah._time, text) == _outcome(_reference_time, text), text


def test_dedup_keys_are_the_ones_migration_0005_froze() -> None:
    # The key's text once came from strftime; it must not change (stored rows carry it).
    draw = random.Random(5)
    for _ in range(2000):
        start = datetime(
            draw.choice([1, 999, 1000, 1970, 2024, 9999]),
            draw.randint(1, 12),
            draw.randint(1, 28),
            draw.randint(0, 23),
            draw.randint(0, 59),
            draw.randint(0, 59),
            draw.choice([0, draw.randint(0, 999_999)]),
            tzinfo=UTC,
        )
        end = start + timedelta(minutes=draw.randint(0, 600))
        value = draw.choice([None, 57.0, 42.5, -1.0])
        device = draw.choice([None, "Apple Inc./Watch/Watch6,7"])
        assert measurement_key("hrv", start, end, value, "sdnn", device) == _frozen_key(
            "hrv", start, end, value, "sdnn", device
        )


# --- the previous reader, frozen --------------------------------------------------------------


def _read(path: Path) -> tuple[list[str], dict[str, object]]:
    """The samples (as repr: a NaN value equals itself there) and the counts."""
    counts = ah.AppleHealthCounts()
    return [repr(s) for s in ah.read_apple_health(path, counts=counts)], asdict(counts)


def _reference_read(path: Path) -> tuple[list[str], dict[str, object]]:
    counts = ah.AppleHealthCounts()
    with ah.open_export(path) as (stream, total):
        chunks = ah.clean_chunks(stream, None, total, str(path))
        samples = [repr(s) for s in _reference_parse(chunks, counts, str(path))]
    return samples, asdict(counts)


def _reference_parse(
    chunks: Iterator[bytes], counts: ah.AppleHealthCounts, name: str
) -> Iterator[DeviceSample]:
    parser: ET.XMLPullParser = ET.XMLPullParser(("start", "end"))
    state = _ReferenceState()
    try:
        for chunk in chunks:
            parser.feed(chunk)
            yield from _reference_events(parser, state, counts)
        parser.close()
        # Expat 2.6 (Python 3.13) may hold the last tags back until the end of the input
        # ("reparse deferral"), so the events that close() releases are read too.
        yield from _reference_events(parser, state, counts)
    except ET.ParseError as exc:
        line, column = exc.position
        raise InvalidInput(
            "file",
            name,
            f"is not a readable Apple Health export ({exc}; line {line}, column {column} "
            "counting from the end of the DTD); export it again from the Health app",
        ) from exc


@dataclass
class _ReferenceState:
    depth: int = 0
    root: ET.Element | None = None


def _reference_events(
    parser: ET.XMLPullParser, state: _ReferenceState, counts: ah.AppleHealthCounts
) -> Iterator[DeviceSample]:
    for event, element in cast(Iterator[tuple[str, ET.Element]], parser.read_events()):
        if event == "start":
            state.depth += 1
            if state.root is None:
                state.root = element
            continue
        state.depth -= 1
        if state.depth != 1:
            if state.depth == 2 and element.tag == "Record":
                counts.in_correlations += 1
            continue
        if element.tag == "Record" or element.tag == "Workout":
            counts.records += 1
            if element.tag == "Workout" or element.get("type") in ah.KEPT_TYPES:
                sample = _reference_sample(element, counts)
                if sample is not None:
                    counts.samples += 1
                    yield sample
        if state.root is not None:
            state.root.clear()


def _reference_sample(element: ET.Element, counts: ah.AppleHealthCounts) -> DeviceSample | None:
    get = element.get
    if element.tag == "Workout":
        kind, detail = WORKOUT, ah._workout_activity(get("workoutActivityType"))
    else:
        record_type = get("type")
        if record_type == ah.SLEEP_TYPE:
            kind = ah.SLEEP_VALUES.get(get("value") or "", "")
            detail = None
            if not kind:
                ah._invalid(counts, f"sleep value {get('value')!r} is not known")
                return None
        elif record_type in ah.QUANTITY_TYPES:
            kind, detail = ah.QUANTITY_TYPES[record_type]
        else:
            return None
    try:
        start = _reference_time(get("startDate"))
        end = _reference_time(get("endDate"))
    except ValueError as exc:
        ah._invalid(counts, str(exc))
        return None
    if end < start:
        ah._invalid(counts, f"{kind} ends before it starts ({get('startDate')})")
        return None
    value: float | None = None
    unit: str | None = None
    if kind == WORKOUT:
        duration = ah._number(get("duration"))
        scale = ah.DURATION_UNITS.get(get("durationUnit") or "min")
        if duration is not None and scale is not None:
            value, unit = duration * scale, MINUTES
    elif kind in (RESTING_HR, HRV):
        value, unit = ah._number(get("value")), get("unit")
        if value is None:
            ah._invalid(counts, f"{kind} value {get('value')!r} is not a number")
            return None
    zone_name = None
    for child in element:
        if child.tag == "MetadataEntry" and child.get("key") == "HKTimeZone":
            zone_name = child.get("value")
            break
    return make_sample(
        get("sourceName") or "Apple Health",
        kind,
        start,
        end,
        zone=zone_name,
        value=value,
        unit=unit,
        detail=detail,
        device=ah.device_identity(get("device")),
    )


def _reference_time(text: str | None) -> datetime:
    if not text:
        raise ValueError("a record has no start or end date")
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        raise ValueError(f"date {text!r} is not 'YYYY-MM-DD HH:MM:SS +HHMM'") from None


def _outcome(read: object, text: str | None) -> tuple[str, object, object]:
    try:
        instant = read(text)  # type: ignore[operator]
    except ValueError as exc:
        return ("refused", str(exc), None)
    offset = cast(timezone, instant.tzinfo).utcoffset(instant)
    return ("read", instant, offset)


def _frozen_key(
    kind: str, start: datetime, end: datetime, value: float | None, detail: str, device: str | None
) -> int:
    import hashlib

    text = "\x1f".join(
        (
            "m1",
            kind,
            start.strftime("%Y-%m-%dT%H:%M:%S.%f"),
            end.strftime("%Y-%m-%dT%H:%M:%S.%f"),
            "" if value is None else repr(float(value)),
            detail,
            device or "",
        )
    )
    return int.from_bytes(
        hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True
    )
