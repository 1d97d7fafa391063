"""``speciosa serve`` stops within 10 s of SIGTERM, even while a long report is being drawn
(a real server process on a free port, a real journal)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

# the installed console script, as a person runs it
SPECIOSA = [str(Path(sys.executable).with_name("speciosa"))]
DEADLINE_SECONDS = 10


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_serving(base: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if server.poll() is not None:
            raise AssertionError(
                f"serve exited early: {server.stderr.read() if server.stderr else ''}"
            )
        try:
            if httpx.get(f"{base}/offline", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("serve never answered")


def test_serve_exits_within_10_s_of_sigterm_during_a_slow_report(tmp_path: Path) -> None:
    db = tmp_path / "journal.sqlite"
    env = dict(os.environ)
    subprocess.run(
        [*SPECIOSA, "--db", str(db), "demo", "--days", "366"],
        check=True,
        env=env,
        capture_output=True,
    )
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*SPECIOSA, "--db", str(db), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_until_serving(base, server)
        first = (date.today() - timedelta(days=365)).isoformat()
        answer: dict[str, object] = {}

        def ask() -> None:
            try:
                answer["status"] = httpx.get(
                    f"{base}/api/v1/report.pdf?from={first}", timeout=60
                ).status_code
            except httpx.TransportError as exc:
                answer["error"] = exc

        asking = threading.Thread(target=ask, daemon=True)
        asking.start()
        time.sleep(0.5)
        assert asking.is_alive(), f"the report finished too soon to test a stop: {answer}"
        stopped_at = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=DEADLINE_SECONDS + 20)
        took = time.monotonic() - stopped_at
        assert took < DEADLINE_SECONDS, f"serve took {took:.1f} s to stop"
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        for stream in (server.stdout, server.stderr):
            if stream is not None:
                stream.close()
