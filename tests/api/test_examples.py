"""The IDE's example tabs are real questions: each one runs cleanly and finds an answer."""

from __future__ import annotations

import json

import pytest

from claimgraph.api.examples import example_tabs
from claimgraph.api.ide import ExampleTab
from tests.conftest import GraphQL


def test_there_are_examples_with_titles_and_comments() -> None:
    tabs = example_tabs()
    assert len(tabs) >= 5
    for tab in tabs:
        assert tab.title
        assert not tab.title.startswith("#")
        assert tab.query.lstrip().startswith("#"), f"{tab.title}: say what it asks in a comment"


@pytest.mark.parametrize("tab", example_tabs(), ids=lambda tab: tab.title)
async def test_each_example_answers(graphql: GraphQL, tab: ExampleTab) -> None:
    data = await graphql(tab.query, json.loads(tab.variables or "{}"))
    (answer,) = data.values()
    listed = answer.get("nodes", answer) if isinstance(answer, dict) else answer
    assert listed, f"{tab.title} found nothing"
