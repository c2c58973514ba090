"""Keyset pagination of every kind of list: walking a list page by page, forward or backward
and at any page size, visits the same items in the same order as one big page; page sizes and
cursors are checked; and the statement orders are what the schema says."""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncConnection

from claimgraph.api.ids import to_global_id
from claimgraph.db import models as m
from tests.conftest import SEEDED_AT, GraphQL

SIZES = [1, 3, 7, 100]
#: The shipped seed: one source with every statement in it.
STATEMENT_COUNT = 24
SOURCE = to_global_id("Source", "rudaw-2024-09-08-coalition-to-leave-iraq-before-2026")
JIAD = to_global_id("Actor", "sabhan-mullah-jiad")
IRAQ = to_global_id("Actor", "iraq")
WITHDRAWAL = to_global_id("Agreement", "iraq-us-coalition-withdrawal-agreement")
STATEMENTS_TABLE = m.Base.metadata.tables["statements"]

PAGE = """
  totalCount
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  edges { cursor node { ... on Node { id } } }
"""

BOTH_WAYS = "$first: Int, $after: String, $last: Int, $before: String"
BOTH_ARGS = "first: $first, after: $after, last: $last, before: $before"
FORWARD = "$first: Int, $after: String"
FORWARD_ARGS = "first: $first, after: $after"


@dataclass(frozen=True)
class ListSpec:
    """A list to page through: its query, where the connection is in the data, its
    fixed variables, and whether it pages backward too."""

    name: str
    query: str
    path: tuple[str, ...]
    variables: dict[str, Any] = field(default_factory=dict)
    backward: bool = False

    def __str__(self) -> str:
        return self.name


def root_list(
    field_name: str, extra: str = "", extra_vars: str = "", label: str = "", **variables: Any
) -> ListSpec:
    """A top-level list that pages both ways; ``extra`` arguments bound by ``variables``."""
    query = f"query ({BOTH_WAYS}{extra_vars}) {{ {field_name}({BOTH_ARGS}{extra}) {{ {PAGE} }} }}"
    return ListSpec(field_name + label, query, (field_name,), variables, backward=True)


def statements_in(order: str, direction: str) -> ListSpec:
    spec = root_list(
        "statements",
        extra=", orderBy: $orderBy",
        extra_vars=", $orderBy: StatementOrder",
        orderBy={"field": order, "direction": direction},
    )
    return ListSpec(f"statements:{order}:{direction}", spec.query, spec.path, spec.variables, True)


def forward_list(
    field_name: str, extra: str = "", extra_vars: str = "", label: str = "", **variables: Any
) -> ListSpec:
    """A top-level list that pages forward only."""
    query = f"query ({FORWARD}{extra_vars}) {{ {field_name}({FORWARD_ARGS}{extra}) {{ {PAGE} }} }}"
    return ListSpec(field_name + label, query, (field_name,), variables)


def nested_list(type_name: str, field_name: str, parent: str) -> ListSpec:
    query = (
        f"query ($id: ID!, {FORWARD}) {{ node(id: $id) {{ ... on {type_name} {{ "
        f"{field_name}({FORWARD_ARGS}) {{ {PAGE} }} }} }} }}"
    )
    return ListSpec(f"{type_name}.{field_name}", query, ("node", field_name), {"id": parent})


STATEMENTS = root_list("statements")
SEARCH = forward_list(
    "search", extra=", text: $text", extra_vars=", $text: String!", label="(iraq)", text="iraq"
)
LISTS = [
    STATEMENTS,
    statements_in("SAID_ON", "DESC"),
    statements_in("REPORTED_ON", "ASC"),
    statements_in("REPORTED_ON", "DESC"),
    statements_in("RECORDED_AT", "ASC"),
    statements_in("RECORDED_AT", "DESC"),
    root_list(
        "statements",
        extra=", filter: $filter",
        extra_vars=", $filter: StatementFilter",
        label="(mode:PARAPHRASE)",
        filter={"mode": ["PARAPHRASE"]},
    ),
    root_list("actors"),
    root_list("agreements"),
    root_list("deployments"),
    root_list("events"),
    root_list("sources"),
    forward_list("timeline"),
    forward_list(
        "timeline", extra=", actor: $actor", extra_vars=", $actor: ID", label="(actor)", actor=IRAQ
    ),
    SEARCH,
    nested_list("Source", "statements", SOURCE),
    nested_list("Actor", "statements", JIAD),
    nested_list("Actor", "mentionedIn", IRAQ),
    nested_list("Agreement", "statements", WITHDRAWAL),
]
BACKWARD_LISTS = [spec for spec in LISTS if spec.backward]


def dig(data: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    for key in path:
        data = data[key]
    return data


async def fetch(graphql: GraphQL, spec: ListSpec, **arguments: Any) -> dict[str, Any]:
    """One page of ``spec``'s list."""
    return dig(await graphql(spec.query, {**spec.variables, **arguments}), spec.path)


Item = tuple[str, str]  # (node id, cursor)


def items_of(page: dict[str, Any]) -> list[Item]:
    return [(edge["node"]["id"], edge["cursor"]) for edge in page["edges"]]


async def one_big_page(graphql: GraphQL, spec: ListSpec) -> list[Item]:
    page = await fetch(graphql, spec, first=100)
    items = items_of(page)
    assert not page["pageInfo"]["hasNextPage"]
    assert not page["pageInfo"]["hasPreviousPage"]
    assert page["totalCount"] == len(items)
    assert len({item_id for item_id, _ in items}) == len(items), "an item is listed twice"
    return items


def check_page_bounds(page: dict[str, Any]) -> None:
    info, edges = page["pageInfo"], page["edges"]
    assert info["startCursor"] == (edges[0]["cursor"] if edges else None)
    assert info["endCursor"] == (edges[-1]["cursor"] if edges else None)


async def walk_forward(graphql: GraphQL, spec: ListSpec, size: int, total: int) -> list[Item]:
    """Every item, by ``first: size`` pages and ``after: endCursor``, checking each page."""
    walked: list[Item] = []
    after: str | None = None
    for number in range(math.ceil(total / size) + 1):
        page = await fetch(graphql, spec, first=size, after=after)
        info, edges = page["pageInfo"], page["edges"]
        check_page_bounds(page)
        assert page["totalCount"] == total
        assert info["hasPreviousPage"] is (number > 0)
        walked += items_of(page)
        if not info["hasNextPage"]:
            assert len(walked) == total
            assert 0 < len(edges) <= size or total == 0
            return walked
        assert len(edges) == size, "a page before the last is full"
        after = info["endCursor"]
    raise AssertionError(f"no last page after {math.ceil(total / size)} pages of {size}")


async def walk_backward(graphql: GraphQL, spec: ListSpec, size: int, total: int) -> list[Item]:
    """Every item, by ``last: size`` pages and ``before: startCursor`` from the end; the
    pages come last first, each in list order. Returns them back in list order."""
    pages: list[list[Item]] = []
    before: str | None = None
    for number in range(math.ceil(total / size) + 1):
        page = await fetch(graphql, spec, last=size, before=before)
        info, edges = page["pageInfo"], page["edges"]
        check_page_bounds(page)
        assert page["totalCount"] == total
        assert info["hasNextPage"] is (number > 0)
        pages.append(items_of(page))
        if not info["hasPreviousPage"]:
            walked = [item for chunk in reversed(pages) for item in chunk]
            assert len(walked) == total
            return walked
        assert len(edges) == size, "a page after the first is full"
        before = info["startCursor"]
    raise AssertionError(f"no first page after {math.ceil(total / size)} pages of {size}")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("spec", LISTS, ids=str)
async def test_walking_forward_visits_every_item_once_in_the_big_pages_order(
    graphql: GraphQL, spec: ListSpec, size: int
) -> None:
    everything = await one_big_page(graphql, spec)
    assert everything, "the seed has items in every list paged here"
    # Items and cursors alike: a cursor does not depend on the page size it was read from.
    assert await walk_forward(graphql, spec, size, len(everything)) == everything


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("spec", BACKWARD_LISTS, ids=str)
async def test_walking_backward_from_the_end_yields_the_same_pages_in_reverse(
    graphql: GraphQL, spec: ListSpec, size: int
) -> None:
    everything = await one_big_page(graphql, spec)
    assert await walk_backward(graphql, spec, size, len(everything)) == everything


@pytest.mark.parametrize("spec", LISTS, ids=str)
async def test_cursors_are_stable_across_requests(graphql: GraphQL, spec: ListSpec) -> None:
    first, second = await one_big_page(graphql, spec), await one_big_page(graphql, spec)
    assert first == second
    assert len({cursor for _, cursor in first}) == len(first), "two items share a cursor"


@pytest.mark.parametrize("spec", LISTS, ids=str)
async def test_a_page_past_the_end_is_empty(graphql: GraphQL, spec: ListSpec) -> None:
    everything = await one_big_page(graphql, spec)
    page = await fetch(graphql, spec, first=5, after=everything[-1][1])
    assert page["edges"] == []
    assert page["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "startCursor": None,
        "endCursor": None,
    }
    assert page["totalCount"] == len(everything)


@pytest.mark.parametrize("spec", BACKWARD_LISTS, ids=str)
async def test_a_page_before_the_start_is_empty(graphql: GraphQL, spec: ListSpec) -> None:
    everything = await one_big_page(graphql, spec)
    page = await fetch(graphql, spec, last=5, before=everything[0][1])
    assert page["edges"] == []
    assert page["pageInfo"]["hasPreviousPage"] is False
    assert page["pageInfo"]["hasNextPage"] is True


async def test_after_and_before_together_cut_a_window(graphql: GraphQL) -> None:
    everything = await one_big_page(graphql, STATEMENTS)
    after, before = everything[3][1], everything[12][1]
    forward = await fetch(graphql, STATEMENTS, first=100, after=after, before=before)
    assert items_of(forward) == everything[4:12]
    backward = await fetch(graphql, STATEMENTS, last=3, after=after, before=before)
    assert items_of(backward) == everything[9:12]
    assert backward["pageInfo"]["hasPreviousPage"] is True
    assert backward["pageInfo"]["hasNextPage"] is True


async def test_last_without_before_is_the_end_of_the_list(graphql: GraphQL) -> None:
    everything = await one_big_page(graphql, STATEMENTS)
    page = await fetch(graphql, STATEMENTS, last=5)
    assert items_of(page) == everything[-5:]
    assert page["pageInfo"]["hasPreviousPage"] is True
    assert page["pageInfo"]["hasNextPage"] is False


# -- page sizes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec",
    [STATEMENTS, forward_list("timeline"), nested_list("Source", "statements", SOURCE)],
    ids=str,
)
async def test_the_default_page_holds_20_items(graphql: GraphQL, spec: ListSpec) -> None:
    page = await fetch(graphql, spec)
    assert len(page["edges"]) == 20
    assert page["pageInfo"]["hasNextPage"] is True
    assert page["totalCount"] > 20
    rest = await fetch(graphql, spec, after=page["pageInfo"]["endCursor"])
    assert len(rest["edges"]) == page["totalCount"] - 20
    assert rest["pageInfo"]["hasNextPage"] is False


async def test_statements_default_page_is_20_of_24(graphql: GraphQL) -> None:
    page = await fetch(graphql, STATEMENTS)
    assert (len(page["edges"]), page["totalCount"]) == (20, STATEMENT_COUNT)
    assert page["pageInfo"]["hasNextPage"] is True


async def add_actors(connection: AsyncConnection, count: int) -> None:
    """``count`` more actors, only for this test (its transaction is rolled back)."""
    await connection.execute(
        insert(m.Base.metadata.tables["actors"]),
        [
            {
                "slug": f"paging-test-actor-{n:03}",
                "name": f"Paging test actor {n:03}",
                "aliases": [],
                "kind": m.ActorKind.PERSON,
                "recorded_at": SEEDED_AT,
                "updated_at": SEEDED_AT,
            }
            for n in range(count)
        ],
    )


async def test_a_page_holds_at_most_100_items(
    graphql: GraphQL, connection: AsyncConnection
) -> None:
    await add_actors(connection, 130)
    actors = root_list("actors")
    total = 20 + 130
    default = await fetch(graphql, actors)
    assert (len(default["edges"]), default["totalCount"]) == (20, total)
    biggest = await fetch(graphql, actors, first=100)
    assert len(biggest["edges"]) == 100
    assert biggest["pageInfo"]["hasNextPage"] is True
    last = await fetch(graphql, actors, last=100)
    assert len(last["edges"]) == 100
    assert last["pageInfo"]["hasPreviousPage"] is True
    by_hundreds = await walk_forward(graphql, actors, 100, total)
    assert await walk_forward(graphql, actors, 7, total) == by_hundreds
    assert await walk_backward(graphql, actors, 100, total) == by_hundreds
    assert len({item_id for item_id, _ in by_hundreds}) == total


# -- bad arguments ------------------------------------------------------------------------

SIZE_ERROR_LISTS = [
    STATEMENTS,
    root_list("actors"),
    forward_list("timeline"),
    SEARCH,
    nested_list("Source", "statements", SOURCE),
]


def error_of(body: dict[str, Any], spec: ListSpec) -> dict[str, Any]:
    """The one error of a failed list, after checking that no data came back for it."""
    assert body.get("data") is None or dig(body["data"], spec.path[:-1]) is None, body
    [error] = body["errors"]
    assert error["message"] != "Unexpected error."
    return error  # type: ignore[no-any-return]


BAD_SIZES = [("first", 101), ("first", 0), ("first", -1), ("last", 101), ("last", 0)]


@pytest.mark.parametrize(
    ("spec", "argument", "size"),
    [
        pytest.param(spec, argument, size, id=f"{spec}-{argument}:{size}")
        for spec in SIZE_ERROR_LISTS
        for argument, size in BAD_SIZES
        if spec.backward or argument == "first"
    ],
)
async def test_a_page_size_out_of_range_is_a_clear_error(
    graphql_response: GraphQL, spec: ListSpec, argument: str, size: int
) -> None:
    error = error_of(await graphql_response(spec.query, {**spec.variables, argument: size}), spec)
    assert f"{argument}: {size}" in error["message"]
    assert "100" in error["message"], "the message gives the limit"
    assert error["extensions"]["code"] == "PAGE_SIZE"
    assert error["extensions"]["maximum"] == 100


async def test_first_and_last_together_is_a_clear_error(graphql_response: GraphQL) -> None:
    body = await graphql_response(STATEMENTS.query, {"first": 3, "last": 3})
    error = error_of(body, STATEMENTS)
    assert "`first`" in error["message"]
    assert "`last`" in error["message"]


def cursor_of(*payload: Any) -> str:
    """A hand-made cursor in the API's format, for damaged and foreign cursors."""
    text = json.dumps(list(payload), separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "",
        "!!!",
        base64.urlsafe_b64encode(b"not json").decode(),
        cursor_of(),
        cursor_of("statements:SAID_ON:ASC"),
        cursor_of("statements:SAID_ON:ASC", "yesterday", "today", 1),
        cursor_of("statements:SAID_ON:ASC", "2024-09-08", "2024-09-08", True),
        cursor_of("statements:SAID_ON:ASC", "2024-09-08", "2024-09-08", "1"),
        cursor_of("statements:SAID_ON:ASC", "2024-09-08", "2024-09-08", 1, 2),
    ],
)
@pytest.mark.parametrize("argument", ["after", "before"])
async def test_a_garbage_cursor_is_a_clear_error(
    graphql_response: GraphQL, cursor: str, argument: str
) -> None:
    size = "first" if argument == "after" else "last"
    body = await graphql_response(STATEMENTS.query, {argument: cursor, size: 3})
    error = error_of(body, STATEMENTS)
    assert error["message"].startswith(f"{argument}:")
    assert "cursor" in error["message"]
    assert error["extensions"]["code"] == "INVALID_CURSOR"


FOREIGN_CURSORS = [
    # (where the cursor comes from, where it is used)
    (root_list("actors"), STATEMENTS),
    (statements_in("SAID_ON", "DESC"), STATEMENTS),
    (STATEMENTS, statements_in("SAID_ON", "DESC")),
    (STATEMENTS, statements_in("REPORTED_ON", "ASC")),
    (statements_in("RECORDED_AT", "ASC"), statements_in("REPORTED_ON", "ASC")),
    (forward_list("timeline"), SEARCH),
    (root_list("events"), forward_list("timeline")),
    (STATEMENTS, nested_list("Source", "statements", SOURCE)),
    (nested_list("Source", "statements", SOURCE), nested_list("Actor", "statements", JIAD)),
    (nested_list("Actor", "statements", JIAD), STATEMENTS),
]


@pytest.mark.parametrize(
    ("origin", "target"), FOREIGN_CURSORS, ids=[f"{o}-on-{t}" for o, t in FOREIGN_CURSORS]
)
async def test_a_cursor_from_another_list_or_order_is_a_clear_error(
    graphql: GraphQL, graphql_response: GraphQL, origin: ListSpec, target: ListSpec
) -> None:
    cursor = (await fetch(graphql, origin, first=2))["pageInfo"]["endCursor"]
    body = await graphql_response(target.query, {**target.variables, "after": cursor})
    error = error_of(body, target)
    assert error["message"].startswith("after:")
    assert "another list or order" in error["message"]
    assert error["extensions"]["code"] == "INVALID_CURSOR"


# -- orders -------------------------------------------------------------------------------

ORDERED = """
query ($orderBy: StatementOrder, $first: Int = 100) {
  statements(orderBy: $orderBy, first: $first) {
    nodes {
      id
      saidOn { earliest latest }
      reportedOn { earliest latest }
      recordedAt
    }
  }
}
"""


async def ordered(graphql: GraphQL, order: dict[str, str] | None = None) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = (await graphql(ORDERED, {"orderBy": order}))["statements"][
        "nodes"
    ]
    assert len(nodes) == STATEMENT_COUNT
    return nodes


def said(node: dict[str, Any]) -> tuple[str, str]:
    return node["saidOn"]["earliest"], node["saidOn"]["latest"]


def reported(node: dict[str, Any]) -> tuple[str, str]:
    return node["reportedOn"]["earliest"], node["reportedOn"]["latest"]


def ids(nodes: list[dict[str, Any]]) -> list[str]:
    return [node["id"] for node in nodes]


async def test_statements_are_ordered_by_when_said_earliest_then_latest(graphql: GraphQL) -> None:
    default = await ordered(graphql)
    keys = [said(node) for node in default]
    assert keys == sorted(keys)
    # Undated "has said" (on or before the report) first, then the two August dates, whose
    # earliest days differ, then the day of the report.
    assert keys[0] == ("0001-01-01", "2024-09-08")
    assert keys[-1] == ("2024-09-08", "2024-09-08")
    assert ids(await ordered(graphql, {"field": "SAID_ON", "direction": "ASC"})) == ids(default)
    # The same order on every request: ties are broken the same way each time.
    assert ids(await ordered(graphql)) == ids(default)


async def set_dates(connection: AsyncConnection, slug: str, **values: Any) -> None:
    """Change a statement's stored date columns, only for this test (rolled back)."""
    table = STATEMENTS_TABLE
    result = await connection.execute(update(table).where(table.c.slug == slug).values(**values))
    assert result.rowcount == 1


async def test_a_tie_on_the_earliest_day_is_broken_by_the_latest_day(
    graphql: GraphQL, connection: AsyncConnection
) -> None:
    # The headline is the first statement of 8 September 2024 in the seed; say instead that
    # it was said some day from 8 to 30 September: same earliest day, a later latest day.
    headline = to_global_id("Statement", "headline-coalition-to-leave-iraq-before-2026")
    before = await ordered(graphql)
    assert ids(before).index(headline) == 8, "the seed changed: pick another statement"
    await set_dates(
        connection,
        "headline-coalition-to-leave-iraq-before-2026",
        said_edtf="2024-09-08/2024-09-30",
        said_latest=dt.date(2024, 9, 30),
    )
    after = await ordered(graphql)
    assert said(after[-1]) == ("2024-09-08", "2024-09-30")
    assert ids(after) == [i for i in ids(before) if i != headline] + [headline]
    descending = await ordered(graphql, {"field": "SAID_ON", "direction": "DESC"})
    assert descending[0]["id"] == headline
    assert await walk_forward(graphql, STATEMENTS, 5, STATEMENT_COUNT) == await one_big_page(
        graphql, STATEMENTS
    )


@pytest.mark.parametrize("order", ["SAID_ON", "REPORTED_ON", "RECORDED_AT"])
async def test_descending_is_exactly_the_reverse_of_ascending(graphql: GraphQL, order: str) -> None:
    ascending = await ordered(graphql, {"field": order, "direction": "ASC"})
    descending = await ordered(graphql, {"field": order, "direction": "DESC"})
    assert ids(descending) == ids(ascending)[::-1]


async def test_reported_on_orders_by_when_the_source_published(
    graphql: GraphQL, connection: AsyncConnection
) -> None:
    # Every seeded statement is reported on 8 September 2024: move one earlier and one later.
    early, late = (
        "rudaw-isis-remains-security-threat",
        "headline-coalition-to-leave-iraq-before-2026",
    )
    await set_dates(
        connection,
        early,
        reported_edtf="2024-09",
        reported_earliest=dt.date(2024, 9, 1),
        reported_latest=dt.date(2024, 9, 30),
    )
    await set_dates(
        connection,
        late,
        reported_edtf="2024-09-09",
        reported_earliest=dt.date(2024, 9, 9),
        reported_latest=dt.date(2024, 9, 9),
    )
    nodes = await ordered(graphql, {"field": "REPORTED_ON", "direction": "ASC"})
    keys = [reported(node) for node in nodes]
    assert keys == sorted(keys)
    assert nodes[0]["id"] == to_global_id("Statement", early)
    assert nodes[-1]["id"] == to_global_id("Statement", late)
    spec = statements_in("REPORTED_ON", "ASC")
    everything = await one_big_page(graphql, spec)
    assert [item_id for item_id, _ in everything] == ids(nodes)
    assert await walk_forward(graphql, spec, 3, STATEMENT_COUNT) == everything
    assert await walk_backward(graphql, spec, 5, STATEMENT_COUNT) == everything


async def record_out_of_order(connection: AsyncConnection) -> tuple[str, str]:
    """Give two statements their own recorded_at (the seed records all at once): the first
    a day before the rest, the second a second after. Returns their IDs."""
    table = STATEMENTS_TABLE
    early, late = (
        "rudaw-isis-remains-security-threat",
        "headline-coalition-to-leave-iraq-before-2026",
    )
    for slug, when in [
        (early, SEEDED_AT - dt.timedelta(days=1)),
        (late, SEEDED_AT + dt.timedelta(seconds=1)),
    ]:
        await connection.execute(update(table).where(table.c.slug == slug).values(recorded_at=when))
    return to_global_id("Statement", early), to_global_id("Statement", late)


@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_recorded_at_orders_by_when_this_database_recorded_it(
    graphql: GraphQL, connection: AsyncConnection, direction: str
) -> None:
    early, late = await record_out_of_order(connection)
    nodes = await ordered(graphql, {"field": "RECORDED_AT", "direction": direction})
    stamps = [dt.datetime.fromisoformat(node["recordedAt"]) for node in nodes]
    assert stamps == sorted(stamps, reverse=direction == "DESC")
    first, last = (early, late) if direction == "ASC" else (late, early)
    assert (nodes[0]["id"], nodes[-1]["id"]) == (first, last)


@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_recorded_at_pages_across_distinct_timestamps(
    graphql: GraphQL, connection: AsyncConnection, direction: str
) -> None:
    await record_out_of_order(connection)
    nodes = await ordered(graphql, {"field": "RECORDED_AT", "direction": direction})
    spec = statements_in("RECORDED_AT", direction)
    everything = await one_big_page(graphql, spec)
    assert [item_id for item_id, _ in everything] == ids(nodes)
    assert await walk_forward(graphql, spec, 3, STATEMENT_COUNT) == everything
    assert await walk_backward(graphql, spec, 7, STATEMENT_COUNT) == everything


NESTED_VS_ROOT = [
    # (nested list, the root statements filter that must list the same statements in order)
    ("Actor", "statements", JIAD, {"speaker": JIAD}),
    ("Actor", "mentionedIn", IRAQ, {"mentions": IRAQ}),
    ("Agreement", "statements", WITHDRAWAL, {"agreement": WITHDRAWAL}),
]


@pytest.mark.parametrize(
    ("type_name", "field_name", "parent", "criteria"),
    NESTED_VS_ROOT,
    ids=[f"{t}.{f}" for t, f, _, _ in NESTED_VS_ROOT],
)
async def test_nested_statement_lists_match_the_filtered_root_list(
    graphql: GraphQL, type_name: str, field_name: str, parent: str, criteria: dict[str, str]
) -> None:
    nested = [i for i, _ in await one_big_page(graphql, nested_list(type_name, field_name, parent))]
    root = root_list(
        "statements",
        extra=", filter: $filter",
        extra_vars=", $filter: StatementFilter",
        filter=criteria,
    )
    assert nested == [i for i, _ in await one_big_page(graphql, root)]


async def test_a_sources_statements_run_in_the_order_of_its_text(graphql: GraphQL) -> None:
    data = await graphql(
        """
        query ($id: ID!) {
          node(id: $id) {
            ... on Source { statements(first: 100) { nodes { excerpt { start end } } } }
          }
        }
        """,
        {"id": SOURCE},
    )
    spans = [
        (s["excerpt"]["start"], s["excerpt"]["end"]) for s in data["node"]["statements"]["nodes"]
    ]
    assert len(spans) == STATEMENT_COUNT
    assert [start for start, _ in spans] == sorted(start for start, _ in spans)
