"""How many SQL statements a deep query runs: pinned, and the same for any page size."""

from __future__ import annotations

import pytest

from tests.conftest import AppClient, SqlLog

DEEP_STATEMENTS = """
query ($first: Int!) {
  statements(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id claim quote mode
      saidOn { edtf earliest latest }
      speaker { name roles { title organization { name } } }
      source { title publishedOn { edtf } }
      excerpt { start end text }
      relations { kind direction statement { claim speaker { name } } }
      agreements { title status }
    }
  }
}
"""

#: One statement per list and per loader at each depth: the page's keys, totalCount, the
#: statements; their speakers, sources, relations and agreements; the speakers' roles and
#: the related statements; the roles' organizations and the related statements' speakers.
#: Loaders do not cache across depths, so rows read at one depth are read again at another
#: and the count depends on the query's shape alone.
PINNED_STATEMENTS = 11


@pytest.mark.parametrize("first", [5, 50])
@pytest.mark.parametrize(
    ("compiled", "pinned"),
    # Compiled (claimgraph.api.compiled), the whole query is one statement.
    [(False, PINNED_STATEMENTS), (True, 1)],
)
async def test_deep_statements_query_runs_a_fixed_number_of_statements(
    app_client: AppClient, sql_log: SqlLog, first: int, compiled: bool, pinned: int
) -> None:
    async with app_client(compiled_queries=compiled) as http:
        sql_log.active = True
        response = await http.post(
            "/graphql", json={"query": DEEP_STATEMENTS, "variables": {"first": first}}
        )
        sql_log.active = False
    data = response.json()["data"]
    assert len(data["statements"]["nodes"]) == min(first, 24)
    assert len(sql_log) == pinned, "\n\n".join(sql_log.statements)


NESTED_PAGES = """
query ($first: Int!) {
  actors(first: 100) {
    nodes {
      name
      statements(first: $first) { totalCount nodes { claim source { title } } }
      mentionedIn(first: $first) { totalCount nodes { claim } }
    }
  }
}
"""


@pytest.mark.parametrize("first", [1, 50])
@pytest.mark.parametrize(("compiled", "pinned"), [(False, 10), (True, 1)])
async def test_nested_pages_are_batched_across_parents(
    app_client: AppClient, sql_log: SqlLog, first: int, compiled: bool, pinned: int
) -> None:
    async with app_client(compiled_queries=compiled) as http:
        sql_log.active = True
        response = await http.post(
            "/graphql", json={"query": NESTED_PAGES, "variables": {"first": first}}
        )
        sql_log.active = False
    actors = response.json()["data"]["actors"]["nodes"]
    jiad = next(a for a in actors if a["name"] == "Sabhan Mullah Jiad")
    assert len(jiad["statements"]["nodes"]) == min(first, 7)
    assert jiad["statements"]["totalCount"] == 7
    # Resolvers: the actors' keys and rows; one page query per nested list (a window over all
    # parents); the pages' statements and their sources; grouped counts per list (two ticks'
    # worth). Compiled: one statement. None of it grows with the actors or the page size.
    assert len(sql_log) == pinned, "\n\n".join(sql_log.statements)
