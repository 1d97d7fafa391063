"""Zip archives from other apps, opened with limits: every importer that reads a zip (the
CLI's ``speciosa import`` and the web's uploads alike) opens it with :func:`open_zip`.

    with open_zip(path) as archive:      # InvalidInput for a zip bomb, before any inflating
        for info in archive.infolist(): ...

A zip bomb (a few MB that inflate to GBs) is refused from its central directory, before
a byte is inflated: each member may unpack to at most :data:`MAX_MEMBER_BYTES`, the whole
archive to at most :data:`MAX_TOTAL_BYTES`, and no member larger than
:data:`RATIO_FLOOR_BYTES` may be compressed more than :data:`MAX_RATIO` times. The sizes
in the directory cannot be used to sneak more through: :mod:`zipfile` stops inflating a
member at its stated size and then checks its CRC (a mismatch is a damaged file).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from speciosa.errors import InvalidInput

MIB = 1024 * 1024
# The largest Apple Health export.xml seen from heavy users of many years is a few GB;
# 4 GiB keeps them while bounding the work a single upload can ask for.
MAX_MEMBER_BYTES = 4 * 1024 * MIB
MAX_TOTAL_BYTES = 4 * 1024 * MIB
# Health exports (XML, JSON, CSV) deflate 5-30x; a bomb is hundreds or thousands of
# times. 200x leaves room for very repetitive exports and still refuses every bomb.
MAX_RATIO = 200
# Tiny members (a few KB of zeros) may compress very well without costing anything.
RATIO_FLOOR_BYTES = 1 * MIB


def check_archive(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse an archive whose members would inflate beyond the limits (a zip bomb)."""
    total = 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES:
            raise _bomb(name, info, f"members up to {_size(MAX_MEMBER_BYTES)}")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
            raise _bomb(name, info, f"at most {MAX_RATIO}x compression")
        if total > MAX_TOTAL_BYTES:
            raise _bomb(name, info, f"archives that unpack to at most {_size(MAX_TOTAL_BYTES)}")


@contextmanager
def open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    """The zip at ``path``, checked by :func:`check_archive` before it is handed out."""
    with zipfile.ZipFile(path) as archive:
        check_archive(archive, str(path))
        yield archive


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limit: int) -> bytes:
    """A member read whole into memory (small JSON or CSV files), refused above ``limit``."""
    if info.file_size > limit:
        raise _bomb(str(archive.filename), info, f"files read whole up to {_size(limit)}")
    return archive.read(info)


def _bomb(name: str, info: zipfile.ZipInfo, allowed: str) -> InvalidInput:
    ratio = info.file_size / max(info.compress_size, 1)
    return InvalidInput(
        "file",
        name,
        f"its member {info.filename!r} would unpack to {_size(info.file_size)} from "
        f"{_size(info.compress_size)} ({ratio:.0f}x compression); Speciosa reads {allowed} "
        "(a zip bomb could exhaust the server's memory); nothing was imported",
    )


def _size(count: int) -> str:
    if count >= 1024 * MIB:
        return f"{count / (1024 * MIB):.1f} GiB"
    if count >= MIB:
        return f"{count / MIB:.1f} MiB"
    return f"{count / 1024:.1f} KiB"
