"""docs/desk.md's GraphQL examples run as they stand: in the guide's order, against the seed
data, with an EDIT key, each without an error or a user error. On both engines."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncConnection

from claimgraph.db import models as m
from tests.api.test_desk import key, post

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "desk.md"


def guide_examples() -> list[str]:
    """The guide's ```graphql blocks, in order."""
    return re.findall(r"```graphql\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)


def user_errors(data: Any) -> list[Any]:
    """Every `userErrors` entry anywhere in an answer."""
    if isinstance(data, dict):
        found = list(data.get("userErrors") or [])
        return found + [e for v in data.values() for e in user_errors(v)]
    if isinstance(data, list):
        return [e for v in data for e in user_errors(v)]
    return []


async def test_the_guide_has_an_example_of_each_desk_task() -> None:
    text = "\n".join(guide_examples())
    for name in (
        "addSource",
        "createStatement",
        "updateStatement",
        "expectedRevision",
        "reason",
        "history",
        "draft: true",
        "publishStatement",
        "retractStatement",
        "status: [RETRACTED]",
    ):
        assert name in text, name


async def test_every_example_in_the_guide_runs_with_an_edit_key(
    client: httpx.AsyncClient, connection: AsyncConnection
) -> None:
    token = await key(connection, m.KeyScope.EDIT)
    answers = []
    for example in guide_examples():
        body = await post(client, example, {}, token)
        assert "errors" not in body, (example, body)
        assert user_errors(body["data"]) == [], (example, body)
        answers.append(body["data"])
    by_name = {next(iter(a)): a for a in answers if len(a) == 1}
    created = by_name["createStatement"]["createStatement"]["statement"]
    assert created["status"] == "DRAFT"  # the last createStatement: the draft
    history = by_name["node"]["node"]["history"]["nodes"]
    assert [h["number"] for h in history] == [1, 2]
    assert history[1]["reason"] == "He spoke at the briefing, not in an interview"
    [retracted] = by_name["statements"]["statements"]["nodes"][-1:]
    assert retracted["claim"] == "Patel says no date for the last troops was agreed."
