"""Server logs: JSON lines (one object per record, the request ID and stack trace as fields)
for production, or plain text for a person at a terminal. Applied by uvicorn in every worker.
The access log is the app's own (:class:`AccessLog`), not uvicorn's: one JSON line a request,
buffered, off the logging stack (uvicorn's cost the cached path ~40 % of its throughput)."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import time
import weakref
from typing import Any, Literal

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LogFormat = Literal["json", "text"]


def logging_config(log_format: LogFormat, level: str = "INFO") -> dict[str, Any]:
    """A `logging.config.dictConfig` for the server, claimgraph's and uvicorn's loggers alike."""
    formatter: dict[str, Any] = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
        if log_format == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": formatter},
        "handlers": {
            "main": {
                "class": "logging.StreamHandler",
                "formatter": "main",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["main"], "level": level},
        "loggers": {
            name: {"handlers": [], "propagate": True}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access")
        },
    }


#: Where the endpoint and the cache-hit path leave a request's RequestState for the log.
ACCESS_STATE_KEY = "claimgraph.access_state"


#: Every buffer still in use, flushed when the process exits.
_BUFFERS: weakref.WeakSet[LineBuffer] = weakref.WeakSet()


@atexit.register
def _flush_all() -> None:
    for buffer in list(_BUFFERS):
        buffer.flush()


class LineBuffer:
    """Lines gathered in memory and written to a file descriptor in one `os.write` when
    ``size`` bytes have gathered or ``interval`` seconds have passed (and at exit): a
    request pays for a list append, not for logging's handlers, locks and formatters."""

    def __init__(self, fd: int = 2, *, size: int = 64 * 1024, interval: float = 1.0) -> None:
        self.fd = fd
        self.size = size
        self.interval = interval
        self._lines: list[bytes] = []
        self._bytes = 0
        self._timer: asyncio.TimerHandle | None = None
        _BUFFERS.add(self)

    def write(self, line: bytes) -> None:
        self._lines.append(line)
        self._bytes += len(line)
        if self._bytes >= self.size:
            self.flush()
        elif self._timer is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no loop (a test calling it directly): write now
                self.flush()
                return
            self._timer = loop.call_later(self.interval, self.flush)

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._lines:
            return
        data = b"".join(self._lines)
        self._lines.clear()
        self._bytes = 0
        with contextlib.suppress(OSError):  # a closed stream must not fail requests
            while data:
                data = data[os.write(self.fd, data) :]


class AccessLog:
    """One compact JSON line per HTTP request: time, method, path, status, milliseconds,
    request ID, client and cost points (those the endpoint or cache-hit path charged)."""

    def __init__(self, app: ASGIApp, sink: LineBuffer) -> None:
        self.app = app
        self.sink = sink
        self._second = -1
        self._stamp = ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        start: Message = {"status": 500, "headers": ()}  # nothing sent: the client saw a failure

        async def sending(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            self.sink.write(self._line(scope, start, time.perf_counter() - started))

    def _line(self, scope: Scope, start: Message, seconds: float) -> bytes:
        state = scope.get(ACCESS_STATE_KEY)
        peer = scope.get("client")
        if state is not None:
            request_id: str | None = state.request_id
        else:  # answered before a state was made (a 406, the IDE page): the header has it
            given = [v for k, v in start["headers"] if k.lower() == b"x-request-id"]
            request_id = given[0].decode("latin-1") if given else None
        record = {
            "time": self._time(),
            "method": scope["method"],
            "path": scope["path"],
            "status": start["status"],
            "ms": round(seconds * 1000, 2),
            "request_id": request_id,
            "client": state.client if state is not None else None,
            "peer": peer[0] if peer else None,
            "cost": state.cost.points if state is not None and state.cost is not None else None,
        }
        return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)

    def _time(self) -> str:
        """UTC time to the millisecond; the date and second are formatted once a second."""
        now = time.time()
        second = int(now)
        if second != self._second:
            self._second = second
            self._stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        return f"{self._stamp}.{int((now - second) * 1000):03d}Z"
