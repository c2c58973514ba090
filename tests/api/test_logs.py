"""Structured server logs: one JSON object a line, with the request ID and the stack trace."""

from __future__ import annotations

import json
import logging
import logging.config

import pytest

from claimgraph.api.http.logs import logging_config


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
