"""Prompts in a real terminal (a pseudo-terminal): they list what is allowed, take words as
well as numbers, and ask again after a wrong answer (issue 12, point 11).

Each test runs ``speciosa`` in a fresh process whose stdin and stdout are a pty, types the
answers and reads the screen, as a person at a terminal would.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Cli

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


def in_terminal(db: Path, args: list[str], answers: list[str]) -> tuple[int, str]:
    """Run ``speciosa --db DB ARGS`` on a pty, type ``answers`` (one line each); the exit
    code and everything the terminal showed."""
    main, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "SPECIOSA_DATABASE_URL"}
    env.update(COLUMNS="400", TERM="dumb", NO_COLOR="1")
    process = subprocess.Popen(
        [sys.executable, "-c", "from speciosa.cli.app import main; main()", "--db", str(db), *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
    )
    os.close(follower)
    os.write(main, "".join(f"{answer}\n" for answer in answers).encode())
    shown = bytearray()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the process ended and closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    code = process.wait(timeout=30)
    return code, shown.decode(errors="replace").replace("\r\n", "\n")


def stored(cli: Cli) -> list[dict[str, object]]:
    entries = json.loads(cli("list", "--json").stdout)
    assert isinstance(entries, list)
    return entries


def test_a_wrong_score_is_explained_and_asked_again(cli: Cli, cli_db: Path) -> None:
    code, screen = in_terminal(cli_db, ["log", "pain"], ["6.5", "eleven", "6"])
    assert code == 0, screen
    assert "a whole number from 0 to 10" in screen  # the question lists what is allowed
    assert "'6.5' is not allowed" in screen
    assert screen.count("try again") == 2
    assert "Logged pain" in screen
    assert "Traceback" not in screen
    assert [e["score"] for e in stored(cli)] == [6]


def test_an_unknown_symptom_is_asked_again_and_words_are_understood(cli: Cli, cli_db: Path) -> None:
    code, screen = in_terminal(cli_db, ["log", "side-effect"], ["purple", "Yellow eyes"])
    assert code == 0, screen
    assert "dark urine" in screen  # the catalogue is listed in the question
    assert "'purple' is not allowed" in screen
    assert "try again" in screen
    assert "Traceback" not in screen
    assert [e["symptom"] for e in stored(cli)] == ["jaundice"]


def test_sleep_prompts_re_ask_a_wrong_time(cli: Cli, cli_db: Path) -> None:
    code, screen = in_terminal(
        cli_db, ["log", "sleep", "--night", "2026-01-10"], ["late", "23:00", "20", "07:00"]
    )
    assert code == 0, screen
    assert "'late' is not allowed" in screen
    assert "sleep efficiency" in screen


def test_questionnaire_answers_take_words_and_re_ask(cli: Cli, cli_db: Path) -> None:
    answers = ["often", "a lot", "Sometimes", "never", "3", "impossible"]
    code, screen = in_terminal(cli_db, ["questionnaire", "sds"], answers)
    assert code == 0, screen
    assert "'a lot' is not allowed" in screen
    assert "try again" in screen
    [entry] = stored(cli)
    # often=2, sometimes=1, never=0, 3, impossible=3 (Gossop 1995 scoring: the sum)
    assert entry["items"] == [2, 1, 0, 3, 3]
    assert entry["score"] == 9


def test_questionnaire_answers_option_takes_words(cli: Cli) -> None:
    result = cli("questionnaire", "sds", "--answers", "often,sometimes,Never,always,impossible")
    assert result.exit_code == 0, result.stderr
    assert "total 9" in result.stdout  # 2+1+0+3+3
    wrong = cli("questionnaire", "sds", "--answers", "often,sometimes,never,a lot,impossible")
    assert wrong.exit_code == 2
    assert wrong.stderr.startswith("error: --answers: 'a lot' is not allowed; item 4 takes")
    assert len(wrong.stderr.splitlines()) == 1


def test_questionnaire_help_says_what_each_number_means(cli: Cli) -> None:
    shown = " ".join(cli("questionnaire", "--help").stdout.split())
    assert "0 never or almost never, 1 sometimes, 2 often, 3 always or nearly always" in shown
    assert "0 not at all, 1 a little" in shown  # SOWS
    assert "1 strongly disagree .. 7 strongly agree" in shown  # FSS


def test_init_asks_again_and_reads_conditions_in_words(cli: Cli, cli_db: Path) -> None:
    answers = ["Mars/Base", "Europe/London", "10pm-ish", "22:30", "07:00", "flu", "Chronic pain"]
    code, screen = in_terminal(cli_db, ["init"], [*answers, "", "1970"])
    assert code == 0, screen
    assert "'Mars/Base' is not allowed" in screen
    assert "'10pm-ish' is not allowed" in screen
    assert "'flu' is not allowed" in screen
    said = " ".join(screen.split())
    assert "Profile saved: Europe/London, bedtime 22:30, wake 07:00" in said
    assert "conditions: chronic_pain;" in said
