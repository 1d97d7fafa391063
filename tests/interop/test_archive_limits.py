"""Zip bombs are refused before they inflate, by the CLI and by the web's upload alike,
and an import of one stays within a small memory ceiling (measured in this process)."""

from __future__ import annotations

import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from speciosa.errors import InvalidInput
from speciosa.interop.archive import MAX_RATIO, check_archive
from speciosa.web import WebSettings, create_app
from tests.conftest import Cli
from tests.web.conftest import Browser, upload, wait_for_import

MIB = 1024 * 1024
# The bomb inflates to 512 MiB; reading it would take far more than this ceiling.
MEMORY_CEILING = 40 * MIB


def _bomb(path: Path, *, inflated: int = 512 * MIB, name: str = "export.xml") -> Path:
    """An Apple Health export whose XML is mostly blank: ~0.5 MB that inflates to ``inflated``."""
    head = b'<?xml version="1.0"?>\n<HealthData locale="en_US">\n'
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open(name, "w", force_zip64=True) as member,
    ):
        member.write(head)
        blank = b" " * MIB
        for _ in range(inflated // MIB):
            member.write(blank)
        member.write(b"</HealthData>\n")
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _bomb(tmp_path_factory.mktemp("bomb") / "export.zip")


def _peak(action: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_bomb_is_a_bomb(bomb: Path) -> None:
    with zipfile.ZipFile(bomb) as archive:
        info = archive.infolist()[0]
    assert info.file_size > 500 * MIB
    assert info.file_size / info.compress_size > MAX_RATIO
    assert bomb.stat().st_size < 4 * MIB


def test_cli_import_refuses_a_bomb_within_a_memory_ceiling(cli: Cli, bomb: Path) -> None:
    outcome: dict[str, object] = {}
    peak = _peak(lambda: outcome.update(result=cli("import", str(bomb))))
    result = outcome["result"]
    assert result.exit_code == 2  # type: ignore[attr-defined]
    message = result.stderr.strip()  # type: ignore[attr-defined]
    for part in ("export.xml", "512.0 MiB", "compression", "nothing was imported"):
        assert part in message
    assert len(message.splitlines()) == 1
    assert peak < MEMORY_CEILING, f"peak {peak / MIB:.0f} MiB"


def test_web_import_refuses_a_bomb_within_a_memory_ceiling(sqlite_url: str, bomb: Path) -> None:
    app = create_app(WebSettings(database_url=sqlite_url))
    client = Browser(app, base_url="http://127.0.0.1")
    try:
        job: dict[str, object] = {}

        def run() -> None:
            job_id = upload(client, "export.zip", bomb.read_bytes())
            job.update(wait_for_import(client, job_id))

        peak = _peak(run)
        assert job["state"] == "error"
        error = job["error"]
        assert isinstance(error, dict)
        assert error["field"] == "file"
        assert "compression" in error["full"]
        # the upload itself (~0.5 MB, copied in 1 MiB pieces) is well inside the ceiling
        assert peak < MEMORY_CEILING, f"peak {peak / MIB:.0f} MiB"
    finally:
        client.close()
        app.state.speciosa.speciosa.close()


def test_limits_in_the_directory(tmp_path: Path) -> None:
    # A large member compressed a little is fine; the same size compressed 1000x is not.
    ordinary = tmp_path / "ordinary.zip"
    with zipfile.ZipFile(ordinary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("small.json", b"\x00" * 100_000)  # under the 1 MiB floor: any ratio
    with zipfile.ZipFile(ordinary) as archive:
        check_archive(archive, "ordinary.zip")
    bomb = _bomb(tmp_path / "b.zip", inflated=8 * MIB, name="sleep-2024.json")
    with zipfile.ZipFile(bomb) as archive, pytest.raises(InvalidInput) as refused:
        check_archive(archive, "b.zip")
    assert refused.value.field == "file"
    assert "sleep-2024.json" in str(refused.value)
