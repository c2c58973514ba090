"""The IDE's example tabs are real questions: each one runs cleanly and finds an answer."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from claimgraph.api.examples import example_tabs
from claimgraph.api.http.writes import is_mutation
from claimgraph.api.ide import ExampleTab
from claimgraph.db.models import KeyScope
from tests.api.test_desk import key, post
from tests.conftest import GraphQL


def test_there_are_examples_with_titles_and_comments() -> None:
    tabs = example_tabs()
    assert len(tabs) >= 5
    for tab in tabs:
        assert tab.title
        assert not tab.title.startswith("#")
        assert tab.query.lstrip().startswith("#"), f"{tab.title}: say what it asks in a comment"


@pytest.mark.parametrize("tab", example_tabs(), ids=lambda tab: tab.title)
async def test_each_example_answers(
    graphql: GraphQL, client: httpx.AsyncClient, connection: AsyncConnection, tab: ExampleTab
) -> None:
    variables = json.loads(tab.variables or "{}")
    if is_mutation(tab.query, None):
        # An edit runs with the EDIT key its comment asks for, and is written.
        body = await post(client, tab.query, variables, await key(connection, KeyScope.EDIT))
        assert "errors" not in body, body
        (payload,) = body["data"].values()
        assert payload["userErrors"] == [], payload
        return
    data = await graphql(tab.query, variables)
    (answer,) = data.values()
    listed = answer.get("nodes", answer) if isinstance(answer, dict) else answer
    assert listed, f"{tab.title} found nothing"


#: The tab titles, as the README lists them (the IDE shows these, not operation names).
README_TITLES = [
    "Who says the coalition leaves by end of 2025?",
    "US troop numbers",
    "The withdrawal agreement",
    "The timeline",
    "Everything one actor said",
    "Who contradicts whom",
    "Correct a statement",
]


def test_the_tabs_are_the_readmes_titles_and_the_readme_lists_them() -> None:
    assert [tab.title for tab in example_tabs()] == README_TITLES
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for number, title in enumerate(README_TITLES, start=1):
        assert f"{number}. **{title}**" in readme, title


def test_comment_lines_fit_the_editor_at_1400_pixels() -> None:
    # At 1400 px the query editor shows 54 characters left of its toolbar (the browser test
    # checks the lines as the IDE draws them).
    for tab in example_tabs():
        for line in tab.query.splitlines():
            if line.startswith("#"):
                assert len(line) <= 54, f"{tab.title}: wrap {line!r}"


async def test_the_first_example_asks_for_contradictions_and_support_only(
    graphql: GraphQL,
) -> None:
    first = example_tabs()[0]
    agreed, phases = (await graphql(first.query))["statements"]["nodes"]
    assert agreed["quote"].startswith("In the talks between Iraq and the US")
    assert [(r["kind"], r["direction"]) for r in agreed["relations"]] == [
        ("CONTRADICTS", "INCOMING"),
        ("CONTRADICTS", "INCOMING"),
        ("SUPPORTS", "INCOMING"),
    ]
    assert phases["quote"].startswith("According to the agreement")
    assert {r["kind"] for r in phases["relations"]} == {"CONTRADICTS"}


async def test_who_contradicts_whom_pairs_each_denial_with_each_agreed_withdrawal(
    graphql: GraphQL,
) -> None:
    tab = example_tabs()[5]
    answer = (await graphql(tab.query))["statements"]
    pairs = {
        (node["speaker"]["name"], r["statement"]["speaker"]["name"], r["statement"]["claim"])
        for node in answer["nodes"]
        for r in node["relations"]
        if r["direction"] == "OUTGOING"
    }
    assert answer["totalCount"] == 7
    assert len(pairs) == 10
    assert {(who, whom) for who, whom, _ in pairs} == {
        (denier, claimant)
        for denier in ("United States Department of State", "Vedant Patel")
        for claimant in ("Sabhan Mullah Jiad", "Ministry of Foreign Affairs of Iraq")
    }
