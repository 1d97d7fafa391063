"""Long work of a request (a PDF report) in a daemon thread, so that stopping the server
never waits for it: ``speciosa serve`` exits within seconds of SIGTERM even while a
report is being drawn (the report only reads; there is nothing to finish writing).

    pdf = await in_daemon_thread(lambda: render(...))

Starlette's own worker threads are not daemons: the interpreter would wait for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


async def in_daemon_thread(work: Callable[[], T], *, name: str = "speciosa-report") -> T:
    """``work()``'s result (or its exception), computed in a daemon thread."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if done.cancelled():
            return  # the request was cancelled (the server is stopping): no one waits
        if error is not None:
            done.set_exception(error)
        else:
            done.set_result(result)  # type: ignore[arg-type]

    def run() -> None:
        try:
            result = work()
        except BaseException as exc:  # handed to the awaiting request, raised there
            _call_soon(loop, settle, None, exc)
        else:
            _call_soon(loop, settle, result, None)

    threading.Thread(target=run, name=name, daemon=True).start()
    return await done


def _call_soon(loop: asyncio.AbstractEventLoop, *args: object) -> None:
    callback, *rest = args
    # A closed loop (RuntimeError) means the server has stopped: the answer is not wanted.
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(callback, *rest)  # type: ignore[arg-type]
