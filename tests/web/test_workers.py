"""Stateless workers: two real `speciosa serve --multi-user` processes on one PostgreSQL
database behave as one server (issue 14, point 11). A sign-in limit reached through one is
enforced by the other; an import started on one is followed, with its progress, on the
other; the import cap holds across both; and `serve --workers 2` starts two worker
processes that answer and stop within 10 s of SIGTERM.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from speciosa.errors import Fault
from tests.cli.test_serve_shutdown import DEADLINE_SECONDS, SPECIOSA, _free_port

# A real-shaped Apple Health export whose nights become device samples.
WATCH_EXPORT = Path(__file__).parents[1] / "fixtures" / "wearables" / "apple" / "export_small.xml"
PASSWORD = "a long and unusual passphrase 41"
SECRET = "a shared secret key for every worker, 32+ chars long"


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPECIOSA_")}
    # Plain-HTTP cookies on this test's loopback servers (allowed only with --dev).
    env.update(SPECIOSA_SECRET_KEY=SECRET, SPECIOSA_SECURE_COOKIES="false", **extra)
    return env


@contextmanager
def _server(url: str, *flags: str, **env: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = _free_port()
    command = [*SPECIOSA, "--db", url, "serve", "--multi-user", "--dev", "--allow-signup"]
    command += ["--allowed-host", "127.0.0.1", "--port", str(port), *flags]
    server = subprocess.Popen(
        command, env=_environment(**env), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base, server)
        yield base, server
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=DEADLINE_SECONDS + 20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        for stream in (server.stdout, server.stderr):
            if stream is not None:
                stream.close()


def _wait_until_serving(base: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(900):
        if server.poll() is not None:
            error = server.stderr.read().decode() if server.stderr else ""
            raise AssertionError(f"serve exited early: {error}")
        try:
            if httpx.get(f"{base}/login", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("serve never answered")


def _sign_up(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    created = client.post("/api/v1/accounts", json={"username": username, "password": PASSWORD})
    assert created.status_code == 201, created.text
    return client


def _signed_in(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    answer = client.post("/api/v1/session", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return client


def _upload(client: httpx.Client, name: str, content: bytes) -> httpx.Response:
    page = client.get("/settings").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    return client.post(
        "/settings/import",
        data={"csrf_token": token.group(1)},
        files={"file": (name, content)},
    )


@pytest.fixture
def two_servers(postgres_url: str) -> Iterator[tuple[str, str]]:
    with (
        _server(postgres_url, SPECIOSA_MAX_IMPORTS="1") as (one, _),
        _server(postgres_url, SPECIOSA_MAX_IMPORTS="1") as (other, _),
    ):
        yield one, other


def test_a_sign_in_limit_reached_through_one_server_holds_on_the_other(
    two_servers: tuple[str, str],
) -> None:
    one, other = two_servers
    _sign_up(one, "robin").close()
    with httpx.Client(base_url=one, timeout=30) as guesser:
        wrong = {"username": "robin", "password": "not the passphrase at all"}
        statuses = [guesser.post("/api/v1/session", json=wrong).status_code for _ in range(5)]
    assert statuses == [401] * 5  # the default allows 5 failures per account per window
    with httpx.Client(base_url=other, timeout=30) as owner:
        right = {"username": "robin", "password": PASSWORD}
        refused = owner.post("/api/v1/session", json=right)
    assert refused.status_code == 429, refused.text
    assert int(refused.headers["retry-after"]) > 0


def test_an_import_started_on_one_server_is_followed_and_capped_on_the_other(
    two_servers: tuple[str, str], postgres_url: str
) -> None:
    one, other = two_servers
    with (
        closing(_sign_up(one, "sam")) as starter,
        closing(_signed_in(other, "sam")) as follower,  # the same person, on the other server
        closing(_sign_up(other, "alex")) as other_person,
        _holding_writes_to_device_samples(postgres_url) as release,
    ):
        started = _upload(starter, "export.xml", WATCH_EXPORT.read_bytes())
        assert started.status_code == 303, started.text[:300]
        job_id = started.headers["location"].rsplit("/", 1)[1]

        # The other server sees the job run, with its progress, while its writes wait.
        running = _poll(follower, job_id, until=lambda s: s["state"] == "running" and s["done"])
        assert running["total"] >= running["done"] > 0
        # The cap is 1 import across both servers: another person's upload to the other
        # server is refused while this one runs, with nothing imported.
        refused = _upload(other_person, "export.xml", WATCH_EXPORT.read_bytes())
        assert refused.status_code == 503, refused.text[:300]
        assert "already running 1 import" in refused.text
        release()

        finished = _poll(follower, job_id, until=lambda s: s["state"] in ("done", "error"))
        assert finished["state"] == "done", finished["error"]
        assert finished["summary"]["format"] == "apple-health"
        # Once it ended, the other person may import on the other server.
        assert _upload(other_person, "export.xml", WATCH_EXPORT.read_bytes()).status_code == 303
        # Another person cannot read the job, from either server.
        assert other_person.get(f"/api/v1/imports/{job_id}").status_code == 404
        with httpx.Client(base_url=one, timeout=30, cookies=other_person.cookies) as elsewhere:
            assert elsewhere.get(f"/api/v1/imports/{job_id}").status_code in (403, 404)


@contextmanager
def _holding_writes_to_device_samples(url: str) -> Iterator[Callable[[], None]]:
    """Hold a lock that lets every read through but makes an import's inserts wait,
    until the test calls the function given (so the job is seen running, on any machine)."""
    connection = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1))
    connection.execute("LOCK TABLE device_samples IN EXCLUSIVE MODE")
    try:
        yield connection.rollback
    finally:
        connection.rollback()
        connection.close()


def _poll(client: httpx.Client, job_id: str, until: Callable[[dict[str, Any]], Any]) -> Any:
    for _ in range(600):  # a loaded machine may be slow; the bound only stops a hang
        status = client.get(f"/api/v1/imports/{job_id}")
        assert status.status_code == 200, status.text
        if until(job := status.json()):
            return job
        time.sleep(0.1)
    raise AssertionError(f"import {job_id} never reached the state awaited: {job}")


def _children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{pid}$", text, re.MULTILINE):
            found.append(int(status.parent.name))
    return found


def test_serve_with_two_workers_answers_and_stops_within_10_s_of_sigterm(
    postgres_url: str,
) -> None:
    with (
        _server(postgres_url, "--workers", "2") as (base, server),
        closing(_sign_up(base, "kim")) as client,
    ):
        # Every request on a new connection may reach either worker: each must know the
        # session (in the database) and accept the one shared signing key.
        for minute in range(6):
            with httpx.Client(base_url=base, timeout=30, cookies=client.cookies) as fresh:
                logged = fresh.post(
                    "/api/v1/entries",
                    json={"kind": "pain", "score": 3, "at": f"2026-11-30T08:0{minute}:00Z"},
                )
                assert logged.status_code == 201, logged.text
        listed = client.get("/api/v1/entries").json()
        assert listed["count"] == 6
        workers = [child for child in _children(server.pid) if _is_python(child)]
        assert len(workers) >= 2, workers
        stopped_at = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=DEADLINE_SECONDS + 20)
        assert time.monotonic() - stopped_at < DEADLINE_SECONDS


def _is_python(pid: int) -> bool:
    try:
        return "python" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False


def test_more_than_one_worker_needs_multi_user_on_postgresql(tmp_path: Path) -> None:
    command = [*SPECIOSA, "--db", str(tmp_path / "j.sqlite"), "serve", "--workers", "2"]
    local = subprocess.run(command, env=_environment(), capture_output=True, text=True)
    assert local.returncode == 2
    assert "--workers" in local.stderr
    assert "--multi-user" in local.stderr
    shared = subprocess.run(
        [*command, "--multi-user", "--dev", "--allowed-host", "x.example"],
        env=_environment(),
        capture_output=True,
        text=True,
    )
    assert shared.returncode == 2
    assert "PostgreSQL" in shared.stderr
    assert "Traceback" not in shared.stderr


def test_the_workers_socket_is_made_as_tcp_so_answers_are_not_delayed() -> None:
    # asyncio sets TCP_NODELAY on accepted connections only when the listening socket says
    # it is TCP (proto 6); uvicorn's own socket says 0, and kept-alive answers then waited
    # ~40 ms each (bench/load_bench.py, uvicorn issue #3149).
    from speciosa.cli.serve import _listening_socket

    listener = _listening_socket("127.0.0.1", 0)
    try:
        assert listener.proto == socket.IPPROTO_TCP
        assert listener.get_inheritable()
        taken = listener.getsockname()[1]
        listener.listen()
        with pytest.raises(Fault, match=rf"^port: cannot listen on 127.0.0.1:{taken} "):
            _listening_socket("127.0.0.1", taken)
    finally:
        listener.close()
