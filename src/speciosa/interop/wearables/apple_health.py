"""Apple Health ``export.zip`` / ``export.xml``, streamed in bounded memory.

The file is read in 64 KiB chunks (from disk or straight out of the zip) and fed to expat,
whose handlers keep only the attributes of the records Speciosa imports (no element tree), so
memory stays flat whatever the size. Before parsing, the chunks are repaired for the export's
known defects, never with a parser's recover mode, which on the iOS 16 file silently returns
zero records:

* the internal DTD (``<!DOCTYPE HealthData [ ... ]>``) is cut out: iOS 16 (Export Version 12)
  writes it broken, and it carries nothing the import needs;
* characters XML 1.0 forbids (``\\x0b`` and the other C0 controls but tab/newline/return)
  are deleted, raw or as character references.

Kept: sleep analysis (in bed, asleep, core, deep, REM, awake), workouts, resting heart rate and
heart-rate variability; each with its offset and, when ``HKTimeZone`` metadata names one, its
zone. Records inside a ``Correlation`` are skipped: the export repeats them at top level.

A record's ``sourceName`` is the name the person gave the device ("Sam's Apple Watch") and
changes when they rename it; the ``device`` attribute (``<<HKDevice: 0x..>, name:Apple Watch,
manufacturer:Apple Inc., model:Watch, hardware:Watch6,7, software:10.2>``) names the hardware.
Its manufacturer, model and hardware are kept as the sample's ``device`` identity, which the
dedup key uses instead of the name (so a renamed watch does not store its records twice).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import IO
from xml.parsers import expat

from speciosa.errors import InvalidInput
from speciosa.interop.archive import open_zip
from speciosa.journal.device import (
    HRV,
    MINUTES,
    RESTING_HR,
    SLEEP_ASLEEP,
    SLEEP_AWAKE,
    SLEEP_CORE,
    SLEEP_DEEP,
    SLEEP_IN_BED,
    SLEEP_REM,
    WORKOUT,
    DeviceSample,
    fixed_offset,
    make_sample,
)

CHUNK = 64 * 1024  # measured: 64 KiB feeds parse as fast as iterparse; 1 MiB ones ~20 % slower
SNIFF = 1024
MAX_PROLOGUE = 4 * 1024 * 1024  # the DTD is ~10 KB; give up looking for <HealthData> after this

SLEEP_TYPE = "HKCategoryTypeIdentifierSleepAnalysis"
SLEEP_VALUES = {
    "HKCategoryValueSleepAnalysisInBed": SLEEP_IN_BED,
    "HKCategoryValueSleepAnalysisAsleep": SLEEP_ASLEEP,  # before iOS 16
    "HKCategoryValueSleepAnalysisAsleepUnspecified": SLEEP_ASLEEP,  # iOS 16+, same value 1
    "HKCategoryValueSleepAnalysisAwake": SLEEP_AWAKE,
    "HKCategoryValueSleepAnalysisAsleepCore": SLEEP_CORE,
    "HKCategoryValueSleepAnalysisAsleepDeep": SLEEP_DEEP,
    "HKCategoryValueSleepAnalysisAsleepREM": SLEEP_REM,
    # A few exporters write HealthKit's enum numbers instead of the labels.
    "0": SLEEP_IN_BED,
    "1": SLEEP_ASLEEP,
    "2": SLEEP_AWAKE,
    "3": SLEEP_CORE,
    "4": SLEEP_DEEP,
    "5": SLEEP_REM,
}
QUANTITY_TYPES = {
    "HKQuantityTypeIdentifierRestingHeartRate": (RESTING_HR, None),
    "HKQuantityTypeIdentifierHeartRateVariabilitySDNN": (HRV, "sdnn"),
}
KEPT_TYPES = frozenset({SLEEP_TYPE, *QUANTITY_TYPES})
DURATION_UNITS = {"min": 1.0, "s": 1 / 60, "sec": 1 / 60, "hr": 60.0, "h": 60.0}

# C0 controls XML 1.0 forbids. In UTF-8 these bytes never occur inside a multi-byte character,
# so deleting them byte-wise is safe.
_FORBIDDEN = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_FORBIDDEN_REFERENCE = re.compile(
    rb"&#(?:x0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])|0*(?:[0-8]|1[1-2]|1[4-9]|2[0-9]|3[01]));"
)
_DOCTYPE = re.compile(rb"<!DOCTYPE\s+HealthData")
_DEVICE_FIELD = re.compile(r"(?:^|,\s*)(manufacturer|model|hardware):([^,>]*(?:,[^\s,>][^,>]*)*)")
DEVICE_FIELDS = ("manufacturer", "model", "hardware")
_ROOT = re.compile(rb"<HealthData[\s>/]")
_APPLE_DATE = re.compile(  # 2024-01-01 03:27:53 +0200
    r"([0-9]{4})-([0-9]{2})-([0-9]{2}) "
    r"([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-])([0-9]{2})([0-5][0-9])"
)

Progress = Callable[[int, int], None]


@dataclass
class AppleHealthCounts:
    """What a read found; filled in as the samples are consumed."""

    records: int = 0  # top-level Record and Workout elements read
    samples: int = 0  # of the kinds Speciosa keeps
    invalid: int = 0  # of those kinds, but unusable (bad dates, end before start)
    in_correlations: int = 0  # records inside Correlations, skipped
    problems: list[str] = field(default_factory=list)  # the first few reasons, for the person


def is_export_xml(head: bytes) -> bool:
    """Whether the first bytes of a file look like an Apple Health export."""
    return b"<!DOCTYPE HealthData" in head or b"<HealthData" in head


def find_export_member(archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    """The export XML inside a zip, found by content: names are localised (``exportar.xml``)
    and Mac-recompressed zips add ``__MACOSX/._export.xml`` AppleDouble junk."""
    for info in archive.infolist():
        name = info.filename
        base = name.rsplit("/", 1)[-1]
        if info.is_dir() or name.startswith("__MACOSX/") or base.startswith("._"):
            continue
        if not base.lower().endswith(".xml"):
            continue
        with archive.open(info) as member:
            if is_export_xml(member.read(SNIFF)):
                return info
    raise InvalidInput(
        "file",
        archive.filename,
        "holds no Apple Health export (an .xml file starting with <HealthData>); "
        "choose the export.zip the Health app shared, or the export.xml inside it",
    )


@contextmanager
def open_export(path: Path) -> Iterator[tuple[IO[bytes], int]]:
    """The export XML as a binary stream and its uncompressed size, from a zip or a file."""
    if not path.exists():
        raise InvalidInput("file", str(path), "does not exist")
    if zipfile.is_zipfile(path):
        with open_zip(path) as archive:
            info = find_export_member(archive)
            with archive.open(info) as member:
                yield member, info.file_size
        return
    with path.open("rb") as stream:
        if not is_export_xml(stream.read(SNIFF)):
            raise InvalidInput(
                "file", str(path), "is not an Apple Health export (no <HealthData> element)"
            )
        stream.seek(0)
        yield stream, path.stat().st_size


def clean_chunks(
    stream: IO[bytes], progress: Progress | None, total: int, name: str = "export.xml"
) -> Iterator[bytes]:
    """The stream's bytes, without the internal DTD and without characters XML 1.0 forbids."""
    done = 0
    pending = b""  # the prologue until <HealthData> shows, or a reference split across reads
    in_prologue = True
    while True:
        raw = stream.read(CHUNK)
        if raw:
            done += len(raw)
            if progress is not None:
                progress(done, total)
        data = pending + raw
        pending = b""
        if in_prologue:
            root = _ROOT.search(data)
            if root is None:
                if raw and len(data) < MAX_PROLOGUE:
                    pending = data
                    continue
                raise InvalidInput("file", name, "has no <HealthData> element near its start")
            doctype = _DOCTYPE.search(data, 0, root.start())
            if doctype is not None:
                data = data[: doctype.start()] + data[root.start() :]
            in_prologue = False
        data = data.translate(None, _FORBIDDEN)
        if raw:
            amp = data.rfind(b"&", max(0, len(data) - 12))
            if amp != -1 and b";" not in data[amp:]:
                data, pending = data[:amp], data[amp:]
        # "#" is rare and found with memchr; scanning for "&#" where every record has "&lt;"
        # costs as much as the translate above.
        if b"#" in data and b"&#" in data:
            data = _FORBIDDEN_REFERENCE.sub(b"", data)
        if data:
            yield data
        if not raw:
            return


def read_apple_health(
    path: Path, *, progress: Progress | None = None, counts: AppleHealthCounts | None = None
) -> Iterator[DeviceSample]:
    """Stream the samples Speciosa keeps from an Apple Health export (zip or XML)."""
    counts = counts if counts is not None else AppleHealthCounts()
    with open_export(path) as (stream, total):
        yield from _parse(clean_chunks(stream, progress, total, str(path)), counts, str(path))


def _parse(chunks: Iterator[bytes], counts: AppleHealthCounts, name: str) -> Iterator[DeviceSample]:
    # Expat straight, as ElementTree's parser would set it up (namespaces split the same way,
    # so an unbound prefix is refused alike), but with handlers instead of a tree: a 600k-record
    # export has ~760k elements and building, queueing and clearing an Element for each cost
    # more than the handlers' Python (measured: bench/RESULTS.md, "Apple Health import").
    parser = expat.ParserCreate(None, "}")
    reader = _RecordReader(counts, parser)
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
            yield from reader.take()
        parser.Parse(b"", True)
        yield from reader.take()
    except expat.ExpatError as exc:
        raise InvalidInput(
            "file",
            name,
            f"is not a readable Apple Health export ({exc}; line {exc.lineno}, column "
            f"{exc.offset} counting from the end of the DTD); export it again from the Health app",
        ) from exc


class _RecordReader:
    """Expat's handlers: count the top-level records and keep the attributes (and the
    ``HKTimeZone`` metadata) of those of a kind Speciosa keeps, as samples in ``kept``.

    Two ways to follow the elements, with the same outcome:

    * plain (``markup``), for the exports Apple writes: no element handlers, so expat builds
      no attribute strings; it hands each tag's raw text to the default handler instead,
      and only the few start tags that may matter (kept records, their metadata, anything
      written unusually) have their attributes read, by a second expat parser fed that same
      tag (``_TagAttributes``). For most records a glance at the raw text decides. Building
      the attributes of ~760k elements was a third of the parse (issue 16, third pass);
    * exact (``start``/``end``), expat's attributes for every element, from the moment the
      file holds something that makes a tag's text read differently on its own: a DOCTYPE
      (entities, default attributes; Apple's own is cut out before parsing), a namespace
      declaration, or an encoding other than UTF-8 (expat may then hand a tag over in pieces).
    """

    __slots__ = (
        "counts",
        "current",
        "depth",
        "kept",
        "parser",
        "records",
        "tags",
        "zone",
        "zone_seen",
    )

    def __init__(self, counts: AppleHealthCounts, parser: expat.XMLParserType) -> None:
        self.counts = counts
        self.depth = 0  # the root element is depth 1, the records depth 2
        self.records = counts.records  # top-level records; kept here, cheaper than in counts
        self.current: tuple[str, dict[str, str]] | None = None  # a kept record being read
        self.zone: str | None = None
        self.zone_seen = False
        self.kept: list[DeviceSample] = []
        self.tags = _TagAttributes()
        self.parser = parser
        parser.ordered_attributes = True  # a flat [name, value, ...] list, cheaper than a dict
        parser.DefaultHandlerExpand = self.markup
        # Text between elements is never read: a C function takes it (else it would go to
        # ``markup``, a Python call for each line break).
        parser.CharacterDataHandler = len
        parser.XmlDeclHandler = self.declaration
        parser.StartDoctypeDeclHandler = self.exact
        parser.StartNamespaceDeclHandler = self.exact

    def declaration(self, _version: str, encoding: str | None, _standalone: int) -> None:
        if encoding is not None and encoding.lower().replace("_", "-") not in _UTF8:
            self.exact()

    def exact(self, *_declared: object) -> None:
        """From now on, expat's own attributes for every element (see the class)."""
        parser = self.parser
        parser.DefaultHandlerExpand = None
        parser.CharacterDataHandler = None
        parser.XmlDeclHandler = None
        parser.StartDoctypeDeclHandler = None
        parser.StartNamespaceDeclHandler = None
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end

    def markup(self, text: str) -> None:
        """A tag's raw text (or the prologue's spaces, a comment, a processing instruction,
        a CDATA mark: skipped)."""
        # Most calls: a top-level record, ``type`` first as Apple writes it. The raw value
        # decides most (heart rate, energy, steps); one with a reference in it is read in full.
        if self.depth == 1 and text.startswith(_RECORD_TYPE):
            self.records += 1
            kind = text[_TYPE_AT : text.find('"', _TYPE_AT)]
            if kind in KEPT_TYPES or "&" in kind:
                self.keep_record(self.tags.read(text))
            if text[-2] != "/":
                self.depth = 2
            elif self.current is not None:  # an empty element: it ends here
                self.finish()
            return
        if text[0] != "<" or text[1] in "!?":
            return
        if text[1] == "/":
            self.end(text)
            return
        depth = self.depth + 1
        if depth == 2:
            if _named(text, "Record"):
                self.records += 1
                self.keep_record(self.tags.read(text))
            elif _named(text, "Workout"):
                self.records += 1
                self.current = ("Workout", _as_dict(self.tags.read(text)))
        elif depth == 3:
            if _named(text, "Record"):
                self.counts.in_correlations += 1
            elif self.current is not None and not self.zone_seen and _named(text, "MetadataEntry"):
                self.metadata(self.tags.read(text))
        if text[-2] != "/":
            self.depth = depth
        elif depth == 2 and self.current is not None:  # an empty element: it ends here
            self.finish()

    def start(self, tag: str, attrs: list[str]) -> None:
        depth = self.depth = self.depth + 1
        if depth == 2:
            if tag == "Record":
                self.records += 1
                self.keep_record(attrs)
            elif tag == "Workout":
                self.records += 1
                self.current = (tag, _as_dict(attrs))
        elif depth == 3:
            if tag == "Record":
                self.counts.in_correlations += 1
            elif self.current is not None and not self.zone_seen and tag == "MetadataEntry":
                self.metadata(attrs)

    def end(self, _tag: str) -> None:
        self.depth -= 1
        if self.depth == 1 and self.current is not None:
            self.finish()

    def keep_record(self, attrs: list[str]) -> None:
        if _attribute(attrs, "type") in KEPT_TYPES:
            self.current = ("Record", _as_dict(attrs))

    def metadata(self, attrs: list[str]) -> None:
        if _attribute(attrs, "key") == "HKTimeZone":
            self.zone, self.zone_seen = _attribute(attrs, "value"), True

    def finish(self) -> None:
        """The current kept record as a sample (or a counted problem)."""
        assert self.current is not None  # callers check; not an input check
        tag, attrs = self.current
        sample = _sample(tag, attrs, self.zone, self.counts)
        if sample is not None:
            self.counts.samples += 1
            self.kept.append(sample)
        self.current, self.zone, self.zone_seen = None, None, False

    def take(self) -> list[DeviceSample]:
        """The samples read since the last call (and the records counted so far)."""
        self.counts.records = self.records
        kept, self.kept = self.kept, []
        return kept


_RECORD_TYPE = '<Record type="'
_TYPE_AT = len(_RECORD_TYPE)
_NAME_ENDS = frozenset(" \t\r\n/>")
_UTF8 = frozenset({"utf-8", "utf8"})


def _named(text: str, name: str) -> bool:
    """Whether the raw start tag ``text`` is of an element called ``name``."""
    return text.startswith(name, 1) and text[len(name) + 1] in _NAME_ENDS


class _TagAttributes:
    """The attributes of a start tag, from its raw text, as expat reads them: a parser that
    reads one tag after another inside a root of its own. Without a DOCTYPE or namespace
    declarations (``_RecordReader`` reads every element itself otherwise), a tag's text
    means the same on its own as in the file; the file's parser has already checked it."""

    __slots__ = ("attrs", "parser")

    def __init__(self) -> None:
        self.attrs: list[str] = []
        self.parser = expat.ParserCreate("utf-8", "}")
        self.parser.ordered_attributes = True
        self.parser.StartElementHandler = self._start
        # Each tag must be read before ``read`` returns. Expat 2.6 (Python 3.13) may hold a
        # token back until more input comes ("reparse deferral"); this parser never waits.
        if hasattr(self.parser, "SetReparseDeferralEnabled"):
            self.parser.SetReparseDeferralEnabled(False)
        self.parser.Parse(b"<tags>", False)

    def _start(self, _tag: str, attrs: list[str]) -> None:
        self.attrs = attrs

    def read(self, text: str) -> list[str]:
        """The attributes of the start tag ``text`` (``<Record type="..." ...>``)."""
        closed = text if text.endswith("/>") else text[:-1] + "/>"
        self.attrs = []  # never a previous tag's attributes
        self.parser.Parse(closed.encode("utf-8"), False)
        return self.attrs


def _attribute(attrs: list[str], name: str) -> str | None:
    """The value of attribute ``name`` in expat's ordered [name, value, ...] list."""
    for index in range(0, len(attrs), 2):
        if attrs[index] == name:
            return attrs[index + 1]
    return None


def _as_dict(attrs: list[str]) -> dict[str, str]:
    # XML forbids a repeated attribute (expat refuses one), so no value is lost.
    return dict(zip(attrs[::2], attrs[1::2], strict=True))


def _sample(
    tag: str, attrs: dict[str, str], zone: str | None, counts: AppleHealthCounts
) -> DeviceSample | None:
    """The sample a top-level Record or Workout gives, or None (counted as invalid) when its
    dates, sleep value or number cannot be used. ``zone``: its ``HKTimeZone`` metadata."""
    get = attrs.get
    if tag == "Workout":
        kind, detail = WORKOUT, _workout_activity(get("workoutActivityType"))
    else:
        record_type = get("type")
        if record_type == SLEEP_TYPE:
            kind = SLEEP_VALUES.get(get("value") or "", "")
            detail = None
            if not kind:
                _invalid(counts, f"sleep value {get('value')!r} is not known")
                return None
        elif record_type in QUANTITY_TYPES:
            kind, detail = QUANTITY_TYPES[record_type]
        else:
            return None
    try:
        start = _time(get("startDate"))
        end = _time(get("endDate"))
    except ValueError as exc:
        _invalid(counts, str(exc))
        return None
    if end < start:
        _invalid(counts, f"{kind} ends before it starts ({get('startDate')})")
        return None
    value: float | None = None
    unit: str | None = None
    if kind == WORKOUT:
        duration = _number(get("duration"))
        scale = DURATION_UNITS.get(get("durationUnit") or "min")
        if duration is not None and scale is not None:
            value, unit = duration * scale, MINUTES
    elif kind in (RESTING_HR, HRV):
        value, unit = _number(get("value")), get("unit")
        if value is None:
            _invalid(counts, f"{kind} value {get('value')!r} is not a number")
            return None
    return make_sample(
        get("sourceName") or "Apple Health",
        kind,
        start,
        end,
        zone=zone,
        value=value,
        unit=unit,
        detail=detail,
        device=device_identity(get("device")),
    )


@lru_cache(maxsize=256)  # an export repeats a handful of device strings on every record
def device_identity(text: str | None) -> str | None:
    """``manufacturer/model/hardware`` from a record's ``device`` attribute, None without one.

    The attribute is a printed struct; its ``name`` (often the person's own), the object
    address and the software version are left out: they change without the hardware changing.
    """
    if not text:
        return None
    found = dict(_DEVICE_FIELD.findall(text))
    parts = [found.get(name, "").strip() for name in DEVICE_FIELDS]
    if not any(parts):
        return None
    return "/".join(parts)


def _invalid(counts: AppleHealthCounts, reason: str) -> None:
    counts.invalid += 1
    if len(counts.problems) < 5:
        counts.problems.append(reason)


def _time(text: str | None) -> datetime:
    # "2024-01-01 03:27:53 +0200": the phone's wall clock and its offset at that moment.
    if not text:
        raise ValueError("a record has no start or end date")
    # Apple always writes this exact shape: read it without strptime (a fifth of the time spent
    # per kept record). Anything else goes to strptime, which alone decides what it accepts;
    # tests/interop/wearables/test_apple_health_fast_path.py checks both agree.
    match = _APPLE_DATE.fullmatch(text)
    if match is None:
        return _strptime(text)
    year, month, day, hour, minute, second, sign, off_hours, off_minutes = match.groups()
    offset = int(off_hours) * 60 + int(off_minutes)
    try:
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            tzinfo=fixed_offset(-offset if sign == "-" else offset),
        )
    except ValueError:  # 30 February, 25 o'clock, an offset of a day or more
        raise ValueError(f"date {text!r} is not 'YYYY-MM-DD HH:MM:SS +HHMM'") from None


def _strptime(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        raise ValueError(f"date {text!r} is not 'YYYY-MM-DD HH:MM:SS +HHMM'") from None


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _workout_activity(text: str | None) -> str:
    return (text or "Other").removeprefix("HKWorkoutActivityType")
