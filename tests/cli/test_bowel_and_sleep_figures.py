"""The figures people look for (issue 12, point 13): sleep efficiency in ``log sleep`` and
``nights``, and ``speciosa bowel``, the Rome IV features and their shares."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.conftest import Cli


@pytest.fixture
def journal(cli: Cli) -> Cli:
    assert cli("init", "--timezone", "Europe/London").exit_code == 0
    return cli


def test_log_sleep_and_nights_show_sleep_efficiency(journal: Cli) -> None:
    night = (date.today() - timedelta(days=3)).isoformat()
    result = journal(
        "log", "sleep", "--night", night, "--bed", "23:00", "--latency", "30",
        "--awake", "30", "--woke", "07:00", "--up", "07:30",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    # CSD: time in bed 23:00-07:30 = 510 min; asleep 480 - 30 - 30 = 420 min; 420/510 = 82%
    assert "sleep efficiency 82% (7.0 h asleep of 8.5 h in bed)" in result.stdout
    table = journal("nights", "--days", "14")
    assert "efficiency" in table.stdout
    assert "82 / –" in table.stdout
    [pair] = json.loads(journal("nights", "--json").stdout)
    assert pair["diary"]["sleep_efficiency"] == pytest.approx(420 / 510 * 100)


def _bowel(cli: Cli, days_ago: float, *flags: str, bristol: int = 4) -> None:
    at = (datetime.now(UTC) - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")
    result = cli("log", "bowel", "--bristol", str(bristol), "--at", at, *flags)
    assert result.exit_code == 0, result.stderr


def test_bowel_summary_shows_each_feature_with_its_share(journal: Cli) -> None:
    # 8 movements over 9 days: 3 with straining (37.5%, more than 25%: present), 2 hard
    # (exactly 25%: Rome IV says "more than", so absent), 1 after a laxative.
    for day in range(8, 0, -1):
        flags = ["--straining"] if day in (8, 6, 4) else []
        if day == 2:
            flags.append("--laxative")
        _bowel(journal, day + 0.5, *flags, bristol=2 if day in (7, 5) else 4)
    shown = journal("bowel")
    assert shown.exit_code == 0, shown.stderr
    assert "3 of 8, 38%" in shown.stdout
    assert "2 of 8, 25%" in shown.stdout
    assert "Sources: lewis-heaton-1997, rome-iv-2016" in shown.stdout
    data = json.loads(journal("bowel", "--json").stdout)
    features = {f["feature"]: f for f in data["summary"]["features"]}
    assert features["straining"]["share"] == pytest.approx(37.5)
    assert features["straining"]["present"] is True
    assert features["hard_stools"]["present"] is False
    # 7 spontaneous over the window cut to the diary: from the start of the first movement's
    # journal day (8.5 days ago, so 8.5 to 9.5 days) to now
    assert 7 / (9.5 / 7) <= data["summary"]["spontaneous_per_week"] <= 7 / (8.5 / 7)
    assert features["few_spontaneous"]["present"] is False
    assert data["summary"]["meets_pattern"] is False  # one feature of the two needed


def test_bowel_with_too_few_days_says_how_many_more(journal: Cli) -> None:
    _bowel(journal, 2.5)
    _bowel(journal, 1.5)
    shown = journal("bowel")
    assert shown.exit_code == 0, shown.stderr
    assert "Not enough data yet" in shown.stdout
    data = json.loads(journal("bowel", "--json").stdout)
    assert data["summary"] is None
    assert 3 <= data["days_needed"] <= 5


def test_bowel_days_are_checked(journal: Cli) -> None:
    result = journal("bowel", "--days", "3")
    assert result.exit_code == 2
    assert result.stderr == "error: --days: 3 is not allowed; must be from 7 to 3660\n"
