"""Structured server logs: one JSON object a line, with the request ID and the stack trace."""

from __future__ import annotations

import json
import logging
import logging.config
import os
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from claimgraph.api.app import Api
from claimgraph.api.http.logs import LineBuffer, logging_config
from tests.api.test_response_cache import serving


def test_an_unexpected_error_is_one_json_line_with_its_request_id_and_trace(
    capsys: pytest.CaptureFixture[str],
) -> None:
    logging.config.dictConfig(logging_config("json"))
    try:
        try:
            raise RuntimeError("the database said no")
        except RuntimeError as error:
            logging.getLogger("claimgraph.api").error(
                "unexpected error in request %s: %s",
                "abc123",
                error,
                exc_info=error,
                extra={"request_id": "abc123"},
            )
        [line] = capsys.readouterr().err.strip().splitlines()
    finally:
        logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})
    record = json.loads(line)
    assert record["level"] == "ERROR"
    assert record["logger"] == "claimgraph.api"
    assert record["request_id"] == "abc123"
    assert "RuntimeError: the database said no" in record["exc_info"]


def access_lines(app: Api) -> list[dict[str, Any]]:
    """What the app's access log has written so far, read back from its file."""
    assert app.access_log is not None
    app.access_log.sink.flush()
    os.lseek(app.access_log.sink.fd, 0, os.SEEK_SET)
    with os.fdopen(os.dup(app.access_log.sink.fd), "rb") as file:
        return [json.loads(line) for line in file.read().splitlines()]


async def test_every_request_is_one_access_line_from_the_full_and_cache_hit_paths(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    query = {"query": "{ statements(first: 2) { nodes { claim } } }"}
    async with serving(engine, data_version_poll=3600) as (app, http):
        assert app.access_log is not None
        fd = os.open(tmp_path / "access.log", os.O_RDWR | os.O_CREAT)
        app.access_log.sink = LineBuffer(fd)
        headers = {"X-Request-ID": "caller-request-0001"}
        first = await http.post("/graphql", json=query, headers=headers)
        again = await http.post("/graphql", json=query)
        refused = await http.post("/graphql", json=query, headers={"Accept": "image/png"})
        await http.get("/healthz")
        lines = access_lines(app)
        os.close(fd)
    assert app.front is not None
    assert first.status_code == again.status_code == 200
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [
        ("POST", "/graphql", 200),
        ("POST", "/graphql", 200),
        ("POST", "/graphql", 406),
        ("GET", "/healthz", 200),
    ]
    full, hit, problem, health = lines
    assert full["request_id"] == "caller-request-0001"
    assert hit["request_id"] == again.headers["x-request-id"]  # the cache-hit path's own
    assert problem["request_id"] == refused.headers["x-request-id"]
    assert full["client"] == hit["client"] == "ip:203.0.113.7"
    assert full["peer"] == "203.0.113.7"
    assert full["cost"] == hit["cost"] == 1  # a hit is charged what the query cost
    assert problem["cost"] is None
    assert health["request_id"] is None
    assert all(line["ms"] >= 0 and line["time"].endswith("Z") for line in lines)


def test_lines_are_gathered_then_written_in_one_go(tmp_path: Path) -> None:
    fd = os.open(tmp_path / "access.log", os.O_RDWR | os.O_CREAT)
    sink = LineBuffer(fd, size=10)
    sink._timer = cast(Any, FakeTimer())  # as if a flush were already due
    sink.write(b"12345\n")
    assert os.fstat(fd).st_size == 0  # gathered
    sink.write(b"67890\n")  # past the size: written
    assert os.fstat(fd).st_size == 12
    os.close(fd)


class FakeTimer:
    def cancel(self) -> None:
        pass
