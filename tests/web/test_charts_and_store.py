"""Chart data is pure and the web draws it as SVG; the web tables migrate up and down;
``speciosa serve`` refuses unsafe settings before starting anything."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
import typer
from sqlalchemy import create_engine
from typer.testing import CliRunner

from speciosa.insights import daily_frame
from speciosa.insights.charts import journal_charts
from speciosa.journal.models import Dose, Limits, Pain, Profile
from speciosa.store.database import downgrade, resolve_url, table_names, upgrade
from speciosa.web.charts import chart_svg, table_rows

WEB_TABLES = {"web_sessions", "share_links", "share_accesses"}


def _entries() -> list[Dose | Pain]:
    start = datetime(2026, 3, 1, 12, tzinfo=UTC)
    found: list[Dose | Pain] = []
    for day in range(20):
        at = start + timedelta(days=day)
        if day % 3:  # some days without a dose stay gaps, not zeros
            found.append(Dose(at=at, zone="UTC", amount=2 + day % 2, grams=2 + day % 2))
        found.append(Pain(at=at + timedelta(hours=1), zone="UTC", score=day % 8))
    return found


def test_chart_data_and_its_svg_agree() -> None:
    profile = Profile(limits=Limits(grams_per_day=3))
    charts = journal_charts(daily_frame(_entries(), profile), profile, last_days=14)
    use = next(c for c in charts if c.id == "use")
    assert len(use.days) == 14
    assert use.days[-1] == date(2026, 3, 20)
    assert use.limit == 3
    grams = use.series[0].values
    assert None not in grams  # logged days with no dose count as 0 g, not missing
    svg = chart_svg(use)
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert svg.count("<rect") == sum(1 for v in grams if v is not None)
    assert 'class="limit"' in svg
    # the table under the chart: newest day first, one value per series
    rows = table_rows(use)
    assert rows[0] == (date(2026, 3, 20), [grams[-1], use.series[1].values[-1]])
    assert len(rows) == 14
    pain = next(c for c in charts if c.id == "symptoms").series[0]
    assert pain.values[-1] == 19 % 8
    assert journal_charts(pd.DataFrame(), profile, last_days=None) == []


def test_web_tables_migrate_up_and_down(database_url: str) -> None:
    engine = create_engine(resolve_url(database_url))
    try:
        upgrade(engine)
        assert table_names(engine) >= WEB_TABLES
        downgrade(engine, "0001")
        assert table_names(engine) & WEB_TABLES == set()
        upgrade(engine)
        assert table_names(engine) >= WEB_TABLES
    finally:
        engine.dispose()


def test_serve_refuses_unsafe_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    from speciosa.cli import serve as serve_module
    from speciosa.cli.context import App

    started: list[dict[str, object]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: started.append(kw))
    command = typer.Typer()
    command.command()(serve_module.serve)

    @command.callback()
    def root(ctx: typer.Context) -> None:
        ctx.obj = App(db=f"{tmp_path}/journal.sqlite")

    runner = CliRunner()
    exposed = runner.invoke(command, ["serve", "--host", "0.0.0.0"])
    assert exposed.exit_code != 0
    assert "host" in str(exposed.exception)
    no_secret = runner.invoke(command, ["serve", "--multi-user"])
    assert "secret_key" in str(no_secret.exception)
    assert started == []
    ok = runner.invoke(command, ["serve", "--port", "8123"])
    assert ok.exit_code == 0, ok.output
    assert started == [
        {
            "host": "127.0.0.1",
            "port": 8123,
            "log_level": "warning",
            "proxy_headers": False,
            "timeout_graceful_shutdown": 3,
            "http": "httptools",
            "loop": "uvloop",
        }
    ]
