"""One journal, every front end, the same answers.

A simulated person (90 days, with planted alcohol co-use and escalation so that the
safety rules fire, and a wearable's nights) is read through the CLI, the JSON API, the
pages, a share link and the clinician PDF. Each must show what :mod:`speciosa.app`
computes once: the same alerts in the same order and shape, the same insights (including
the device-night answers), the same Today.
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from speciosa.app import Speciosa, unit
from speciosa.cli.app import app as cli
from speciosa.journal import clock
from speciosa.journal.device import SLEEP_ASLEEP, SLEEP_IN_BED, DeviceSample
from speciosa.web import WebSettings, create_app

from ..web.conftest import Browser

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
ZONE = "America/Chicago"
DAYS = 90


def _wearable_nights(first_night: Any, nights: int, seed: int = 3) -> list[DeviceSample]:
    """A watch's in-bed and asleep intervals for each night (times vary like a person's)."""
    rng = random.Random(seed)
    samples = []
    for n in range(nights):
        night = first_night + timedelta(days=n)
        bed = clock.at_local(night, time(22, 30), ZONE) + timedelta(minutes=rng.randint(0, 60))
        asleep = bed + timedelta(minutes=rng.randint(5, 40))
        woke = asleep + timedelta(minutes=rng.randint(330, 480))
        for kind, start, end in ((SLEEP_IN_BED, bed, woke), (SLEEP_ASLEEP, asleep, woke)):
            samples.append(DeviceSample(source="Test Watch", kind=kind, start=start, end=end))
    return samples


@pytest.fixture
def journal_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(unit, "current_time", lambda: NOW)
    path = tmp_path / "journal.sqlite"
    demo = CliRunner().invoke(
        cli,
        [
            "--db",
            str(path),
            "demo",
            "--days",
            str(DAYS),
            "--zone",
            ZONE,
            "--risk",
            "alcohol",
            "--risk",
            "escalation",
        ],
    )
    assert demo.exit_code == 0, demo.output
    speciosa = Speciosa.open(str(path))
    try:
        with speciosa.journal() as journal:
            first = journal.today - timedelta(days=DAYS)
            assert journal.devices.add(_wearable_nights(first, DAYS - 1))
    finally:
        speciosa.close()
    return path


@pytest.fixture
def api(journal_path: Path) -> Iterator[Browser]:
    app = create_app(WebSettings(database_url=str(journal_path)), clock=lambda: NOW)
    browser = Browser(app, "http://127.0.0.1")
    yield browser
    browser.close()
    app.state.speciosa.speciosa.close()  # no lifespan in-process: close the journal here


def _cli_json(journal_path: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["--db", str(journal_path), *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _in_order(text: str, titles: list[str]) -> bool:
    """Every title appears in ``text``, each after the one before it."""
    position = 0
    for title in titles:
        found = text.find(title, position)
        if found < 0:
            return False
        position = found + len(title)
    return True


def test_every_front_end_lists_the_same_alerts_in_the_same_order(
    journal_path: Path, api: Browser
) -> None:
    from_cli = _cli_json(journal_path, "check", "--json")
    titles = [alert["title"] for alert in from_cli]
    assert len(from_cli) >= 2, "the planted risks must raise alerts"
    assert {"at", "analogy", "source_ids", "entry_ids"} <= from_cli[0].keys()

    assert api.get("/api/v1/alerts").json() == from_cli
    assert api.get("/api/v1/today").json()["alerts"] == from_cli
    assert _in_order(api.get("/").text, titles)
    assert _in_order(api.get("/safety").text, titles)

    today = api.get("/api/v1/today").json()["day"]
    created = api.post(
        "/api/v1/shares",
        json={"first_day": (datetime.fromisoformat(today) - timedelta(days=29)).date().isoformat()},
    )
    assert created.status_code == 201, created.text
    token = created.json()["url"].rsplit("/", 1)[-1]
    assert api.get(f"/api/v1/shared/{token}").json()["alerts"] == from_cli
    assert _in_order(api.get(f"/s/{token}").text, titles)

    pdf = api.get("/api/v1/report.pdf")
    assert pdf.status_code == 200
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.content)).pages)
    flat = " ".join(text.split())
    assert _in_order(flat, [" ".join(t.split()) for t in titles])


def test_insights_are_one_answer_with_the_wearable_nights(journal_path: Path, api: Browser) -> None:
    from_cli = _cli_json(journal_path, "insights", "--json")
    from_api = api.get("/api/v1/insights").json()["report"]
    assert from_api == from_cli
    device = [e for e in from_cli["effects"] if e["outcome"].startswith("device_")]
    assert device, "the wearable's nights must reach the insights"
    assert any(e["enough_data"] for e in device)


def test_today_is_one_view(journal_path: Path, api: Browser) -> None:
    assert _cli_json(journal_path, "today", "--json") == api.get("/api/v1/today").json()
