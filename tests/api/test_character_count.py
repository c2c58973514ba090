"""`Source.characterCount`: the text's length in code points, the same on every path."""

from __future__ import annotations

from tests.conftest import AppClient

QUERY = (
    "{ sources { nodes { text characterCount"
    " statements(first: 100) { nodes { excerpt { end } } } } } }"
)


async def test_character_count_is_the_texts_length_in_code_points(app_client: AppClient) -> None:
    answers = []
    for compiled in (True, False):
        async with app_client(compiled_queries=compiled) as http:
            body = (await http.post("/graphql", json={"query": QUERY})).json()
        assert "errors" not in body
        answers.append(body["data"])
    assert answers[0] == answers[1]
    for source in answers[0]["sources"]["nodes"]:
        # The seed's article holds curly quotes and dashes: code points, not bytes.
        assert source["characterCount"] == len(source["text"]) < len(source["text"].encode())
        ends = [s["excerpt"]["end"] for s in source["statements"]["nodes"]]
        assert max(ends) <= source["characterCount"]
