"""Filters of every list, alone and together, against the shipped seed: each answer is
checked against the whole list filtered here in Python (the oracle), and the edges of the
date semantics against the seed's own dates."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from claimgraph.api.ids import to_global_id
from tests.conftest import GraphQL

Node = dict[str, Any]


def statement(slug: str) -> str:
    return to_global_id("Statement", slug)


def actor(slug: str) -> str:
    return to_global_id("Actor", slug)


JIAD = actor("sabhan-mullah-jiad")
PATEL = actor("vedant-patel")
IRAQ = actor("iraq")
US_FORCES = actor("us-forces")
SOURCE = to_global_id("Source", "rudaw-2024-09-08-coalition-to-leave-iraq-before-2026")
WITHDRAWAL = to_global_id("Agreement", "iraq-us-coalition-withdrawal-agreement")
IN_IRAQ = to_global_id("Deployment", "us-forces-in-iraq-2024-09")
IN_SYRIA = to_global_id("Deployment", "us-forces-in-syria-2024-09")
A_STATEMENT = statement("jiad-agreement-reached-withdraw-by-end-2025")

# The seed's statements by when they were said.
#: "In August": 2024-08, any day of August 2024.
MINISTRY = {
    statement("iraq-foreign-ministry-withdrawal-agreement-reached"),
    statement("iraq-foreign-ministry-announcement-delayed"),
}
#: "The previous day": [2024-07-31..2024-08-30], one day from 31 July to 30 August.
STATE_DEPARTMENT = {
    statement("state-department-denies-withdrawal-discussed"),
    statement("patel-at-no-point-did-we-discuss-withdrawal"),
    statement("patel-discussed-transition-to-security-partnership"),
}
#: "has said", undated: ../2024-09-08, on or before the report (earliest 0001-01-01).
UNDATED = {
    statement("us-describes-withdrawal-as-security-transition"),
    statement("baghdad-commission-aim-to-end-coalition-presence"),
    statement("washington-commission-step-is-a-transition"),
}

EVERY_STATEMENT = """
{
  statements(first: 100) {
    nodes {
      id mode claim quote
      saidOn { earliest latest }
      speaker { id } source { id }
      agreements { id } deployments { id } events { id } mentions { id }
    }
  }
}
"""

FILTERED = """
query ($filter: StatementFilter) {
  statements(filter: $filter, first: 100) { totalCount nodes { id } }
}
"""


async def every_statement(graphql: GraphQL) -> list[Node]:
    nodes: list[Node] = (await graphql(EVERY_STATEMENT))["statements"]["nodes"]
    assert len(nodes) == 24
    return nodes


async def report_day(graphql: GraphQL) -> set[str]:
    """The statements said on the day of the report (2024-09-08): all not dated otherwise."""
    everything = {s["id"] for s in await every_statement(graphql)}
    report = everything - MINISTRY - STATE_DEPARTMENT - UNDATED
    assert len(report) == 16
    return report


async def filtered(graphql: GraphQL, **criteria: Any) -> list[str]:
    """The IDs of the statements ``criteria`` selects, in list order."""
    connection = (await graphql(FILTERED, {"filter": criteria}))["statements"]
    ids = [node["id"] for node in connection["nodes"]]
    assert connection["totalCount"] == len(ids)
    return ids


def oracle(everything: list[Node], keep: Callable[[Node], bool]) -> list[str]:
    """What a filter must return: the matching statements, in the unfiltered list's order."""
    return [node["id"] for node in everything if keep(node)]


def linked(node: Node, field: str, wanted: str) -> bool:
    return any(other["id"] == wanted for other in node[field])


def contains(node: Node, text: str) -> bool:
    return any(text.lower() in (node[field] or "").lower() for field in ("claim", "quote"))


def overlaps(date: Node, start: str | None, end: str | None) -> bool:
    return (start is None or date["latest"] >= start) and (end is None or date["earliest"] <= end)


async def first_error(graphql_response: GraphQL, query: str, variables: dict[str, Any]) -> Node:
    """The one error of a request that must fail as a whole, with no data."""
    body = await graphql_response(query, variables)
    assert body.get("data") is None, body
    [error] = body["errors"]
    assert error["message"] != "Unexpected error."
    return error  # type: ignore[no-any-return]


# -- StatementFilter: each field alone --------------------------------------------------


async def every_id(graphql: GraphQL, list_name: str) -> list[str]:
    data = await graphql(f"{{ {list_name}(first: 100) {{ nodes {{ id }} }} }}")
    return [node["id"] for node in data[list_name]["nodes"]]


async def test_speaker(graphql: GraphQL) -> None:
    everything = await every_statement(graphql)
    for speaker in await every_id(graphql, "actors"):
        expected = oracle(everything, lambda s: holds(s, "speaker", speaker))  # noqa: B023
        assert await filtered(graphql, speaker=speaker) == expected, speaker
    assert len(await filtered(graphql, speaker=JIAD)) == 7


@pytest.mark.parametrize(
    "modes",
    [
        ["DIRECT_QUOTE"],
        ["PARAPHRASE"],
        ["BACKGROUND"],
        ["DIRECT_QUOTE", "BACKGROUND"],
        ["DIRECT_QUOTE", "PARAPHRASE", "BACKGROUND"],
    ],
)
async def test_mode(graphql: GraphQL, modes: list[str]) -> None:
    everything = await every_statement(graphql)
    found = await filtered(graphql, mode=modes)
    assert found == oracle(everything, lambda s: s["mode"] in modes)
    assert found, "the seed has statements of every mode"


async def test_modes_add_up_and_an_empty_mode_list_selects_nothing(graphql: GraphQL) -> None:
    counts = [
        len(await filtered(graphql, mode=[m])) for m in ("DIRECT_QUOTE", "PARAPHRASE", "BACKGROUND")
    ]
    assert counts == [4, 11, 9]
    assert await filtered(graphql, mode=[]) == []


@pytest.mark.parametrize(
    ("field", "list_name"),
    [
        ("agreement", "agreements"),
        ("deployment", "deployments"),
        ("event", "events"),
        ("mentions", "actors"),
    ],
)
async def test_links(graphql: GraphQL, field: str, list_name: str) -> None:
    everything = await every_statement(graphql)
    nonempty = 0
    for target in await every_id(graphql, list_name):
        expected = oracle(everything, lambda s: holds(s, field, target))  # noqa: B023
        assert await filtered(graphql, **{field: target}) == expected, target
        nonempty += bool(expected)
    assert nonempty >= 2, "the seed links statements to several of these"


async def test_deployment_evidence(graphql: GraphQL) -> None:
    # Only the troop sentence: the December 2021 "advise and assist" one is no evidence of 2024.
    assert await filtered(graphql, deployment=IN_IRAQ) == [
        statement("rudaw-us-troops-lead-coalition-in-iraq-and-syria")
    ]
    assert await filtered(graphql, deployment=IN_SYRIA) == [
        statement("rudaw-us-troops-lead-coalition-in-iraq-and-syria")
    ]


async def test_mentions_is_not_the_speaker(graphql: GraphQL) -> None:
    # Jiad speaks seven times but no statement names him.
    assert await filtered(graphql, mentions=JIAD) == []
    assert statement("iraq-foreign-ministry-withdrawal-agreement-reached") in await filtered(
        graphql, mentions=actor("united-states")
    )


async def test_source(graphql: GraphQL) -> None:
    everything = await every_statement(graphql)
    assert await filtered(graphql, source=SOURCE) == [s["id"] for s in everything]


# -- saidBetween: overlap at the edges of the seed's dates -------------------------------

RANGES = [
    # (range, which groups it selects; REPORT is the 16 statements of 2024-09-08)
    ({"from": "2024-08-31"}, {"MINISTRY", "UNDATED", "REPORT"}),
    ({"to": "2024-07-31"}, {"STATE_DEPARTMENT", "UNDATED"}),
    ({"from": "2024-09-01", "to": "2024-09-30"}, {"UNDATED", "REPORT"}),
    ({"from": "2024-08-31", "to": "2024-08-31"}, {"MINISTRY", "UNDATED"}),
    ({"from": "2024-08-30", "to": "2024-08-30"}, {"MINISTRY", "STATE_DEPARTMENT", "UNDATED"}),
    ({"from": "2024-08-01", "to": "2024-08-01"}, {"MINISTRY", "STATE_DEPARTMENT", "UNDATED"}),
    ({"from": "2024-07-31", "to": "2024-07-31"}, {"STATE_DEPARTMENT", "UNDATED"}),
    ({"from": "2024-07-30", "to": "2024-07-30"}, {"UNDATED"}),
    ({"to": "2024-07-30"}, {"UNDATED"}),
    ({"from": "0001-01-01", "to": "0001-01-01"}, {"UNDATED"}),
    ({"to": "1900-01-01"}, {"UNDATED"}),
    ({"from": "2024-09-08", "to": "2024-09-08"}, {"UNDATED", "REPORT"}),
    ({"from": "2024-09-08"}, {"UNDATED", "REPORT"}),
    ({"from": "2024-09-09"}, set()),
    ({"from": "2024-09-09", "to": "9999-12-31"}, set()),
    ({}, {"MINISTRY", "STATE_DEPARTMENT", "UNDATED", "REPORT"}),
    ({"from": None, "to": None}, {"MINISTRY", "STATE_DEPARTMENT", "UNDATED", "REPORT"}),
]


@pytest.mark.parametrize(("between", "groups"), RANGES, ids=[str(r) for r, _ in RANGES])
async def test_said_between_selects_the_statements_that_may_have_been_said_in_the_range(
    graphql: GraphQL, between: dict[str, str | None], groups: set[str]
) -> None:
    everything = await every_statement(graphql)
    by_group = {
        "MINISTRY": MINISTRY,
        "STATE_DEPARTMENT": STATE_DEPARTMENT,
        "UNDATED": UNDATED,
        "REPORT": await report_day(graphql),
    }
    found = await filtered(graphql, saidBetween=between)
    assert set(found) == set().union(*(by_group[g] for g in groups))
    start, end = between.get("from"), between.get("to")
    assert found == oracle(everything, lambda s: overlaps(s["saidOn"], start, end))


async def test_said_between_from_after_to_is_a_clear_error(graphql_response: GraphQL) -> None:
    error = await first_error(
        graphql_response,
        FILTERED,
        {"filter": {"saidBetween": {"from": "2024-09-02", "to": "2024-09-01"}}},
    )
    assert error["message"].startswith("filter.saidBetween:")
    assert "2024-09-02" in error["message"]
    assert "2024-09-01" in error["message"]


# -- text -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["withdraw", "WITHDRAW", "wItHdRaW", "withdr", "ISIS", "isis", "Operation Inherent"]
)
async def test_text_matches_claim_or_quote_in_any_case(graphql: GraphQL, text: str) -> None:
    everything = await every_statement(graphql)
    found = await filtered(graphql, text=text)
    assert found == oracle(everything, lambda s: contains(s, text))
    assert found


async def test_text_matches_the_quote_alone(graphql: GraphQL) -> None:
    # "At no point" is in Patel's quote, not in the curator's claim.
    assert await filtered(graphql, text="AT NO POINT did we") == [
        statement("patel-at-no-point-did-we-discuss-withdrawal")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2,500", [statement("rudaw-us-troops-lead-coalition-in-iraq-and-syria")]),
        ("2%500", []),  # % is not "anything"
        ("2_500", []),  # _ is not "any one character"
        ("%", []),
        ("_", []),
        ("\\", []),
        ("US-led%Iraq", []),
    ],
)
async def test_text_wildcards_are_literal(graphql: GraphQL, text: str, expected: list[str]) -> None:
    assert await filtered(graphql, text=text) == expected


# -- combined ---------------------------------------------------------------------------

COMBINED = [
    {"speaker": JIAD, "mode": ["DIRECT_QUOTE"]},
    {"speaker": PATEL, "mode": ["BACKGROUND"]},
    {"agreement": WITHDRAWAL, "saidBetween": {"to": "2024-08-31"}},
    {"mentions": IRAQ, "text": "transition", "mode": ["PARAPHRASE", "BACKGROUND"]},
    {"source": SOURCE, "speaker": JIAD, "saidBetween": {"from": "2024-09-08"}, "text": "coalition"},
    {
        "event": to_global_id("Event", "first-hmc-meeting"),
        "mentions": actor("mohammed-shia-al-sudani"),
    },
    {
        "deployment": IN_IRAQ,
        "event": to_global_id("Event", "us-iraq-security-relationship-advise-and-assist"),
    },
]


LINK_FIELDS = {
    "agreement": "agreements",
    "deployment": "deployments",
    "event": "events",
    "mentions": "mentions",
}


def holds(node: Node, field: str, value: Any) -> bool:
    """Whether one filter field holds for a statement, by the oracle."""
    if field in ("speaker", "source"):
        return bool(node[field]["id"] == value)
    if field == "mode":
        return bool(node["mode"] in value)
    if field == "text":
        return contains(node, value)
    if field == "saidBetween":
        return overlaps(node["saidOn"], value.get("from"), value.get("to"))
    return linked(node, LINK_FIELDS[field], value)


@pytest.mark.parametrize("criteria", COMBINED, ids=lambda c: "+".join(c))
async def test_fields_combine_with_and(graphql: GraphQL, criteria: dict[str, Any]) -> None:
    everything = await every_statement(graphql)
    expected = oracle(everything, lambda s: all(holds(s, f, v) for f, v in criteria.items()))
    assert await filtered(graphql, **criteria) == expected


async def test_combined_examples(graphql: GraphQL) -> None:
    assert set(await filtered(graphql, speaker=JIAD, mode=["DIRECT_QUOTE"])) == {
        statement("jiad-agreement-reached-withdraw-by-end-2025"),
        statement("jiad-withdrawal-begins-this-year-in-phases"),
    }
    assert await filtered(graphql, speaker=PATEL, mode=["BACKGROUND"]) == []
    # Who said something about the withdrawal agreement before the end of August?
    assert set(
        await filtered(graphql, agreement=WITHDRAWAL, saidBetween={"to": "2024-08-31"})
    ) == MINISTRY | {
        statement("state-department-denies-withdrawal-discussed"),
        statement("patel-at-no-point-did-we-discuss-withdrawal"),
        statement("us-describes-withdrawal-as-security-transition"),
    }


# -- ID arguments -----------------------------------------------------------------------

ID_FIELDS = [
    ("speaker", "Actor"),
    ("mentions", "Actor"),
    ("agreement", "Agreement"),
    ("deployment", "Deployment"),
    ("event", "Event"),
    ("source", "Source"),
]


@pytest.mark.parametrize(("field", "type_name"), ID_FIELDS)
async def test_an_id_of_the_wrong_type_is_a_clear_error(
    graphql_response: GraphQL, field: str, type_name: str
) -> None:
    wrong = A_STATEMENT if type_name != "Statement" else JIAD
    error = await first_error(graphql_response, FILTERED, {"filter": {field: wrong}})
    assert error["message"].startswith(f"filter.{field}:")
    assert "Statement" in error["message"]
    assert f"{type_name} ID is expected" in error["message"]
    assert error["extensions"]["code"] == "INVALID_ID"


@pytest.mark.parametrize("value", ["nope", "", "Actor:iraq", to_global_id("Bogus", "iraq")])
@pytest.mark.parametrize(("field", "type_name"), ID_FIELDS)
async def test_a_malformed_id_is_a_clear_error(
    graphql_response: GraphQL, field: str, type_name: str, value: str
) -> None:
    error = await first_error(graphql_response, FILTERED, {"filter": {field: value}})
    assert error["message"].startswith(f"filter.{field}:")
    assert "is not a claimgraph ID" in error["message"]
    assert error["extensions"]["code"] == "INVALID_ID"


@pytest.mark.parametrize(("field", "type_name"), ID_FIELDS)
async def test_an_id_of_nothing_selects_nothing(
    graphql: GraphQL, field: str, type_name: str
) -> None:
    assert await filtered(graphql, **{field: to_global_id(type_name, "no-such-thing")}) == []


# -- actors -----------------------------------------------------------------------------

ACTORS = """
query ($filter: ActorFilter) {
  actors(filter: $filter, first: 100) { totalCount nodes { id name aliases kind country } }
}
"""


async def actors(graphql: GraphQL, **criteria: Any) -> list[Node]:
    connection = (await graphql(ACTORS, {"filter": criteria}))["actors"]
    nodes: list[Node] = connection["nodes"]
    assert connection["totalCount"] == len(nodes)
    return nodes


def named(nodes: list[Node]) -> list[str]:
    return [node["name"] for node in nodes]


ACTOR_FILTERS = [
    {"kind": ["PERSON"]},
    {"kind": ["GOVERNMENT", "GOVERNMENT_BODY"]},
    {"kind": ["MILITARY_FORCE", "ARMED_GROUP"]},
    {"country": "IQ"},
    {"country": "US"},
    {"name": "baghdad"},
    {"name": "Patel"},
    {"name": "state department"},
    {"name": "forces"},
    {"kind": ["PERSON"], "country": "IQ"},
    {"kind": ["MILITARY_FORCE"], "country": "US", "name": "troops"},
]


def actor_matches(node: Node, criteria: dict[str, Any]) -> bool:
    names = [node["name"], *node["aliases"]]
    return (
        ("kind" not in criteria or node["kind"] in criteria["kind"])
        and ("country" not in criteria or node["country"] == criteria["country"])
        and ("name" not in criteria or any(criteria["name"].lower() in n.lower() for n in names))
    )


@pytest.mark.parametrize("criteria", ACTOR_FILTERS, ids=str)
async def test_actor_filter(graphql: GraphQL, criteria: dict[str, Any]) -> None:
    everything = await actors(graphql)
    assert len(everything) == 20
    found = await actors(graphql, **criteria)
    assert found == [node for node in everything if actor_matches(node, criteria)]
    assert found


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Baghdad", ["Government of Iraq"]),  # an alias only
        ("WASHINGTON", ["Government of the United States"]),
        ("hashd", ["Popular Mobilization Forces"]),
        ("Sudani", ["Mohammed Shia’ al-Sudani"]),
        ("no such name", []),
    ],
)
async def test_actor_name_matches_aliases(graphql: GraphQL, name: str, expected: list[str]) -> None:
    assert named(await actors(graphql, name=name)) == expected


async def test_an_empty_kind_list_selects_no_actor(graphql: GraphQL) -> None:
    assert await actors(graphql, kind=[]) == []


@pytest.mark.parametrize("name", ["[", '"', "]"])
async def test_actor_name_does_not_match_the_aliases_json_syntax(
    graphql: GraphQL, name: str
) -> None:
    assert await actors(graphql, name=name) == []


@pytest.mark.parametrize(
    "country",
    [
        "IRQ",
        "I",
        "I1",
        "",
        pytest.param(
            "ÍQ",
        ),
    ],
)
async def test_a_bad_country_code_is_a_clear_error(graphql_response: GraphQL, country: str) -> None:
    error = await first_error(graphql_response, ACTORS, {"filter": {"country": country}})
    assert error["message"].startswith("filter.country:")
    assert "ISO 3166-1 alpha-2" in error["message"]


# -- deployments ------------------------------------------------------------------------

DEPLOYMENTS = """
query ($filter: DeploymentFilter) {
  deployments(filter: $filter, first: 100) { totalCount nodes { id } }
}
"""


async def deployments(graphql: GraphQL, **criteria: Any) -> set[str]:
    connection = (await graphql(DEPLOYMENTS, {"filter": criteria}))["deployments"]
    ids = {node["id"] for node in connection["nodes"]}
    assert connection["totalCount"] == len(ids)
    return ids


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({}, {IN_IRAQ, IN_SYRIA}),
        ({"force": US_FORCES}, {IN_IRAQ, IN_SYRIA}),
        ({"force": actor("kurdish-forces")}, set()),  # a partner, not the force
        ({"force": actor("no-such-force")}, set()),
        ({"country": "SY"}, {IN_SYRIA}),
        ({"country": "IQ"}, {IN_IRAQ}),
        ({"country": "US"}, set()),  # the force's country is not where it is deployed
        ({"operation": "inherent resolve"}, {IN_IRAQ, IN_SYRIA}),
        ({"operation": "Desert Storm"}, set()),
        ({"asOfBetween": {"from": "2024-09-08", "to": "2024-09-08"}}, {IN_IRAQ, IN_SYRIA}),
        ({"asOfBetween": {"to": "2024-09-07"}}, set()),
        ({"asOfBetween": {"from": "2024-09-09"}}, set()),
        ({"force": US_FORCES, "country": "SY", "operation": "Inherent"}, {IN_SYRIA}),
    ],
    ids=str,
)
async def test_deployment_filter(
    graphql: GraphQL, criteria: dict[str, Any], expected: set[str]
) -> None:
    assert await deployments(graphql, **criteria) == expected


@pytest.mark.parametrize(
    ("criteria", "argument"),
    [
        ({"force": A_STATEMENT}, "filter.force"),
        ({"force": "nope"}, "filter.force"),
        ({"country": "syr"}, "filter.country"),
        ({"asOfBetween": {"from": "2024-09-09", "to": "2024-09-08"}}, "filter.asOfBetween"),
    ],
    ids=str,
)
async def test_bad_deployment_filters_are_clear_errors(
    graphql_response: GraphQL, criteria: dict[str, Any], argument: str
) -> None:
    error = await first_error(graphql_response, DEPLOYMENTS, {"filter": criteria})
    assert error["message"].startswith(f"{argument}:")


# -- events -----------------------------------------------------------------------------

EVENTS = """
query ($filter: EventFilter) {
  events(filter: $filter, first: 100) { totalCount nodes { id } }
}
"""


def event(slug: str) -> str:
    return to_global_id("Event", slug)


ASSASSINATION = event("soleimani-and-muhandis-assassinated")
TRANSITION = event("us-iraq-security-relationship-advise-and-assist")
DEFEAT = event("isis-declared-territorially-defeated")
FIRST_HMC = event("first-hmc-meeting")
HMC_MEETINGS = event("hmc-meetings-in-baghdad")  # 2024-01/2024-09-08
STRIKES = event("us-retaliatory-strikes-on-iraqi-paramilitary-groups")  # ../2024-09-08


async def events(graphql: GraphQL, **criteria: Any) -> set[str]:
    connection = (await graphql(EVENTS, {"filter": criteria}))["events"]
    ids = {node["id"] for node in connection["nodes"]}
    assert connection["totalCount"] == len(ids)
    return ids


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"kind": "meeting"}, {FIRST_HMC}),  # exact: not "meeting series"
        ({"kind": "meeting series"}, {HMC_MEETINGS}),
        ({"kind": "meet"}, set()),
        ({"participant": actor("united-states")}, {ASSASSINATION, TRANSITION, STRIKES}),
        ({"participant": actor("isis")}, {DEFEAT}),
        ({"participant": JIAD}, set()),
        ({"participant": actor("nobody-at-all")}, set()),
        ({"occurredBetween": {"from": "2020-06-01", "to": "2020-06-30"}}, {ASSASSINATION, STRIKES}),
        ({"occurredBetween": {"to": "2019-12-31"}}, {DEFEAT, STRIKES}),
        ({"occurredBetween": {"to": "2018-12-31"}}, {STRIKES}),
        ({"occurredBetween": {"from": "2024-02-01", "to": "2024-02-29"}}, {HMC_MEETINGS, STRIKES}),
        (
            {"occurredBetween": {"from": "2024-01-31", "to": "2024-01-31"}},
            {FIRST_HMC, HMC_MEETINGS, STRIKES},
        ),
        (
            {"occurredBetween": {"from": "2021-12-31"}},
            {TRANSITION, FIRST_HMC, HMC_MEETINGS, STRIKES},
        ),
        ({"occurredBetween": {"from": "2024-09-09"}}, set()),
        ({"kind": "meeting", "participant": actor("mohammed-shia-al-sudani")}, {FIRST_HMC}),
        (
            {"participant": actor("united-states"), "occurredBetween": {"from": "2021-01-01"}},
            {TRANSITION, STRIKES},
        ),
    ],
    ids=str,
)
async def test_event_filter(graphql: GraphQL, criteria: dict[str, Any], expected: set[str]) -> None:
    assert await events(graphql, **criteria) == expected


@pytest.mark.parametrize(
    ("criteria", "argument"),
    [
        ({"participant": A_STATEMENT}, "filter.participant"),
        ({"participant": ""}, "filter.participant"),
        ({"occurredBetween": {"from": "2020-01-02", "to": "2020-01-01"}}, "filter.occurredBetween"),
    ],
    ids=str,
)
async def test_bad_event_filters_are_clear_errors(
    graphql_response: GraphQL, criteria: dict[str, Any], argument: str
) -> None:
    error = await first_error(graphql_response, EVENTS, {"filter": criteria})
    assert error["message"].startswith(f"{argument}:")


# -- timeline ---------------------------------------------------------------------------

TIMELINE = """
query ($between: DateRange, $actor: ID) {
  timeline(between: $between, actor: $actor, first: 100) {
    totalCount
    nodes {
      __typename
      ... on Statement { id date: saidOn { earliest latest } speaker { id } mentions { id } }
      ... on Event { id date: occurredOn { earliest latest } participants { id } }
    }
  }
}
"""


async def timeline(graphql: GraphQL, **arguments: Any) -> list[Node]:
    connection = (await graphql(TIMELINE, arguments))["timeline"]
    nodes: list[Node] = connection["nodes"]
    assert connection["totalCount"] == len(nodes)
    return nodes


def involves(entry: Node, who: str) -> bool:
    if entry["__typename"] == "Event":
        return any(p["id"] == who for p in entry["participants"])
    return entry["speaker"]["id"] == who or any(a["id"] == who for a in entry["mentions"])


@pytest.mark.parametrize(
    "between",
    [
        {"from": "2024-08-31", "to": "2024-08-31"},
        {"to": "2024-07-31"},
        {"from": "2024-09-01", "to": "2024-09-30"},
        {"from": "2020-06-01", "to": "2020-06-30"},
        {"from": "2024-09-09"},
        {},
    ],
    ids=str,
)
async def test_timeline_between(graphql: GraphQL, between: dict[str, str]) -> None:
    everything = await timeline(graphql)
    assert len(everything) == 30
    found = await timeline(graphql, between=between)
    start, end = between.get("from"), between.get("to")
    assert found == [e for e in everything if overlaps(e["date"], start, end)]


async def test_timeline_on_the_last_day_of_august(graphql: GraphQL) -> None:
    found = await timeline(graphql, between={"from": "2024-08-31", "to": "2024-08-31"})
    assert {e["id"] for e in found} == MINISTRY | UNDATED | {STRIKES, HMC_MEETINGS}


@pytest.mark.parametrize(
    "who",
    [
        JIAD,
        IRAQ,
        actor("united-states"),
        actor("isis"),
        actor("rudaw"),
        actor("mohammed-shia-al-sudani"),
    ],
)
async def test_timeline_of_an_actor(graphql: GraphQL, who: str) -> None:
    everything = await timeline(graphql)
    found = await timeline(graphql, actor=who)
    assert found == [e for e in everything if involves(e, who)]
    assert found


async def test_timeline_of_an_actor_in_a_range(graphql: GraphQL) -> None:
    found = await timeline(
        graphql, actor=actor("united-states"), between={"from": "2021-01-01", "to": "2023-12-31"}
    )
    assert {e["id"] for e in found} == {
        TRANSITION,
        STRIKES,
        statement("us-describes-withdrawal-as-security-transition"),
        statement("washington-commission-step-is-a-transition"),
    }
    assert await timeline(graphql, actor=JIAD) == [
        e
        for e in await timeline(graphql)
        if e["__typename"] == "Statement" and e["speaker"]["id"] == JIAD
    ]


async def test_timeline_of_an_unknown_actor_is_empty(graphql: GraphQL) -> None:
    assert await timeline(graphql, actor=actor("nobody-at-all")) == []


@pytest.mark.parametrize(
    ("arguments", "argument"),
    [
        ({"actor": A_STATEMENT}, "actor"),
        ({"actor": "nope"}, "actor"),
        ({"between": {"from": "2024-09-09", "to": "2024-09-08"}}, "between"),
    ],
    ids=str,
)
async def test_bad_timeline_arguments_are_clear_errors(
    graphql_response: GraphQL, arguments: dict[str, Any], argument: str
) -> None:
    error = await first_error(graphql_response, TIMELINE, arguments)
    assert error["message"].startswith(f"{argument}:")


# -- search -----------------------------------------------------------------------------

SEARCH = """
query ($text: String!, $match: SearchMatch! = SUBSTRING) {
  search(text: $text, first: 100, match: $match) {
    totalCount
    nodes {
      __typename
      ... on Node { id }
      ... on Actor { name aliases }
      ... on Statement { claim quote }
      ... on Event { title }
      ... on Source { title }
    }
  }
}
"""
KIND_ORDER = ["Statement", "Event", "Actor", "Agreement", "Deployment", "Source"]


async def search(graphql: GraphQL, text: str) -> list[Node]:
    connection = (await graphql(SEARCH, {"text": text}))["search"]
    nodes: list[Node] = connection["nodes"]
    assert connection["totalCount"] == len(nodes)
    kinds = [KIND_ORDER.index(node["__typename"]) for node in nodes]
    assert kinds == sorted(kinds), "statements first, then events, actors, agreements, ..."
    return nodes


async def ranked(graphql: GraphQL, text: str) -> list[dict[str, Any]]:
    query = (
        "query ($text: String!) { search(text: $text, first: 100) { totalCount "
        "edges { highlight node { __typename ... on Node { id } } } } }"
    )
    connection = (await graphql(query, {"text": text}))["search"]
    assert connection["totalCount"] == len(connection["edges"])
    edges: list[dict[str, Any]] = connection["edges"]
    return edges


async def test_word_search_finds_words_in_any_form_best_first_with_highlights(
    graphql: GraphQL,
) -> None:
    edges = await ranked(graphql, "withdrawals discussed")
    ids = [edge["node"]["id"] for edge in edges]
    assert statement("patel-at-no-point-did-we-discuss-withdrawal") in ids
    assert all("«" in edge["highlight"] and "»" in edge["highlight"] for edge in edges)
    assert all(
        re.search(r"«(withdraw|discuss)\w*»", edge["highlight"], re.IGNORECASE) for edge in edges
    )
    # Best first: the statement that has both words outranks ones with one word only.
    alone = await ranked(graphql, "withdrawal")
    assert len(alone) > len(edges)
    assert await ranked(graphql, '"at no point did we discuss"') != []
    assert await ranked(graphql, "withdrawal -withdrawal") == []
    assert await ranked(graphql, "zzzunknownword") == []


async def test_search_and_filter_text_is_capped_with_a_clear_error(
    graphql_response: GraphQL,
) -> None:
    error = await first_error(graphql_response, SEARCH, {"text": "a" * 201})
    assert error["extensions"]["code"] == "TEXT_TOO_LONG"
    assert error["extensions"]["maximum"] == 200
    assert "200 characters" in error["message"]
    assert await search(graphql_response_data(graphql_response), "a" * 200) == []


def graphql_response_data(graphql_response: GraphQL) -> GraphQL:
    async def post(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        data: dict[str, Any] = (await graphql_response(query, variables))["data"]
        return data

    return post


async def test_search_finds_an_actor_by_alias(graphql: GraphQL) -> None:
    found = await search(graphql, "baghdad")
    actors_found = [n["name"] for n in found if n["__typename"] == "Actor"]
    assert actors_found == ["Government of Iraq"]
    events_found = {n["id"] for n in found if n["__typename"] == "Event"}
    assert events_found == {ASSASSINATION, HMC_MEETINGS}
    statements_found = [n for n in found if n["__typename"] == "Statement"]
    assert statements_found
    assert all(contains(n, "baghdad") for n in statements_found)
    assert await search(graphql, "BAGHDAD") == found


async def test_search_finds_a_statement_by_the_words_of_its_quote(graphql: GraphQL) -> None:
    found = await search(graphql, "at NO point DID we")
    assert [n["id"] for n in found] == [statement("patel-at-no-point-did-we-discuss-withdrawal")]


async def test_search_finds_the_other_kinds(graphql: GraphQL) -> None:
    inherent = await search(graphql, "inherent resolve")
    assert {n["id"] for n in inherent if n["__typename"] == "Deployment"} == {IN_IRAQ, IN_SYRIA}
    assert [
        n["title"] for n in await search(graphql, "PM ADVISOR") if n["__typename"] == "Source"
    ] == ["US-led coalition forces to leave Iraq before 2026: PM advisor"]
    agreements = await search(graphql, "bilateral security agreements")
    assert [n["__typename"] for n in agreements].count("Agreement") == 1


@pytest.mark.parametrize("text", ["%", "_", "2%500", "\\"])
async def test_search_wildcards_are_literal(graphql: GraphQL, text: str) -> None:
    assert await search(graphql, text) == []


async def test_search_does_not_match_the_aliases_json_syntax(graphql: GraphQL) -> None:
    assert await search(graphql, "[]") == []


@pytest.mark.parametrize("text", ["", " ", "\t\n"])
async def test_search_for_blank_text_is_a_clear_error(graphql_response: GraphQL, text: str) -> None:
    error = await first_error(graphql_response, SEARCH, {"text": text})
    assert error["message"].startswith("text:")


@pytest.mark.parametrize("text", ["\x00", "iraq\x00"])
async def test_search_for_a_nul_character_finds_nothing_or_says_why(
    graphql_response: GraphQL, text: str
) -> None:
    body = await graphql_response(SEARCH, {"text": text})
    if "errors" in body:
        [error] = body["errors"]
        assert error["message"] != "Unexpected error."
        assert error["message"].startswith("text:")
    else:
        assert body["data"]["search"]["nodes"] == []


async def test_a_country_code_in_either_case_is_the_code(graphql: GraphQL) -> None:
    assert await actors(graphql, country="iq") == await actors(graphql, country="IQ") != []
    found = await graphql(DEPLOYMENTS, {"filter": {"country": "sy"}})
    assert [n["id"] for n in found["deployments"]["nodes"]] == [IN_SYRIA]


# -- who said it: by name, and the people who speak for an organization --------------------

STATE_DEPARTMENT_ACTOR = actor("us-state-department")


@pytest.mark.parametrize("name", ["State Department", "state department", "US STATE DEP"])
async def test_speaker_name_matches_a_name_or_an_alias_in_any_case(
    graphql: GraphQL, name: str
) -> None:
    assert await filtered(graphql, speakerName=name) == [
        statement("state-department-denies-withdrawal-discussed")
    ]


async def test_what_did_the_state_department_say_its_spokesperson_included(
    graphql: GraphQL,
) -> None:
    # Vedant Patel is its deputy spokesperson (a role whose organization it is).
    expected = sorted(STATE_DEPARTMENT)
    by_name = await filtered(graphql, speakerName="State Department", includeMembers=True)
    by_id = await filtered(graphql, speaker=STATE_DEPARTMENT_ACTOR, includeMembers=True)
    assert sorted(by_name) == sorted(by_id) == expected
    # Without includeMembers, the department alone; a person's members are no one else.
    assert await filtered(graphql, speaker=STATE_DEPARTMENT_ACTOR) == [
        statement("state-department-denies-withdrawal-discussed")
    ]
    patel = await filtered(graphql, speaker=PATEL)
    assert await filtered(graphql, speaker=PATEL, includeMembers=True) == patel


async def test_speaker_and_speaker_name_must_both_hold(graphql: GraphQL) -> None:
    assert await filtered(graphql, speaker=JIAD, speakerName="patel") == []
    assert len(await filtered(graphql, speaker=JIAD, speakerName="jiad")) == 7


async def test_include_members_alone_is_a_clear_error(graphql_response: GraphQL) -> None:
    error = await first_error(graphql_response, FILTERED, {"filter": {"includeMembers": True}})
    assert error["message"].startswith("filter.includeMembers:")
    assert "speakerName" in error["message"]


# -- who contradicts whom ------------------------------------------------------------------

CONTRADICTIONS = """
query ($filter: StatementFilter, $kind: [RelationKind!]) {
  statements(filter: $filter, first: 100) {
    nodes { id relations(kind: $kind) { kind direction statement { id } } }
  }
}
"""

#: Every report of an agreed withdrawal, and the two denials that contradict each of them.
AGREED = {
    statement("headline-coalition-to-leave-iraq-before-2026"),
    statement("jiad-coalition-to-leave-iraq-by-end-of-next-year"),
    statement("jiad-agreement-reached-withdraw-by-end-2025"),
    statement("jiad-withdrawal-begins-this-year-in-phases"),
    statement("iraq-foreign-ministry-withdrawal-agreement-reached"),
}
DENIALS = {
    statement("state-department-denies-withdrawal-discussed"),
    statement("patel-at-no-point-did-we-discuss-withdrawal"),
}


async def test_which_statements_contradict_each_other(graphql: GraphQL) -> None:
    data = await graphql(
        CONTRADICTIONS, {"filter": {"relationKind": ["CONTRADICTS"]}, "kind": ["CONTRADICTS"]}
    )
    pairs = {
        (node["id"], r["statement"]["id"])
        for node in data["statements"]["nodes"]
        for r in node["relations"]
        if r["direction"] == "OUTGOING"
    }
    assert pairs == {(denial, claim) for denial in DENIALS for claim in AGREED}
    assert {node["id"] for node in data["statements"]["nodes"]} == AGREED | DENIALS
    assert all(
        r["kind"] == "CONTRADICTS"
        for node in data["statements"]["nodes"]
        for r in node["relations"]
    )


async def test_relation_kinds_filter_against_the_relations_themselves(graphql: GraphQL) -> None:
    everything = (await graphql(CONTRADICTIONS, {"filter": None, "kind": None}))["statements"]
    for kinds in (["SUPPORTS"], ["ELABORATES", "SUPPORTS"], []):
        expected = [
            node["id"]
            for node in everything["nodes"]
            if any(r["kind"] in kinds for r in node["relations"])
        ]
        assert await filtered(graphql, relationKind=kinds) == expected, kinds
        only = (await graphql(CONTRADICTIONS, {"filter": None, "kind": kinds}))["statements"]
        for node, full in zip(only["nodes"], everything["nodes"], strict=True):
            assert node["relations"] == [r for r in full["relations"] if r["kind"] in kinds]


# -- partial dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("between", "full"),
    [
        ({"from": "2024-08"}, {"from": "2024-08-01"}),
        ({"to": "2024-08"}, {"to": "2024-08-31"}),
        ({"from": "2024-08", "to": "2024-08"}, {"from": "2024-08-01", "to": "2024-08-31"}),
        ({"from": "2024", "to": "2024"}, {"from": "2024-01-01", "to": "2024-12-31"}),
        ({"to": "2024-02"}, {"to": "2024-02-29"}),
        ({"from": "2024-12", "match": "WITHIN"}, {"from": "2024-12-01", "match": "WITHIN"}),
    ],
    ids=str,
)
async def test_a_month_or_a_year_stands_for_its_first_or_last_day(
    graphql: GraphQL, between: dict[str, str], full: dict[str, str]
) -> None:
    assert await filtered(graphql, saidBetween=between) == await filtered(graphql, saidBetween=full)


async def test_august_holds_the_ministry_and_the_state_department(graphql: GraphQL) -> None:
    august = {"from": "2024-08", "to": "2024-08", "match": "WITHIN"}
    assert set(await filtered(graphql, saidBetween=august)) == MINISTRY
    overlapping = set(await filtered(graphql, saidBetween={"from": "2024-08", "to": "2024-08"}))
    assert overlapping == MINISTRY | STATE_DEPARTMENT | UNDATED


async def test_a_partial_date_in_a_literal(graphql: GraphQL) -> None:
    data = await graphql(
        '{ statements(filter: {saidBetween: {from: "2024-08", to: "2024-08"}}) { totalCount } '
        'events(filter: {occurredBetween: {from: "2019", to: "2021", match: WITHIN}}) '
        "{ totalCount } }"
    )
    assert data == {"statements": {"totalCount": 8}, "events": {"totalCount": 3}}


@pytest.mark.parametrize("bad", ["2024-8", "2024-13", "2024-02-30", "24", "August 2024", ""])
async def test_a_bad_date_is_refused_before_running_naming_its_argument_or_variable(
    graphql_response: GraphQL, bad: str
) -> None:
    reason = f"{bad!r} is not a date; give a day (2024-08-14), a month (2024-08) or a year (2024)."
    body = await graphql_response(
        "{ statements(filter: {saidBetween: {to: " + json.dumps(bad) + "}}) { totalCount } }"
    )
    assert "data" not in body
    [error] = body["errors"]
    assert error["message"] == f"filter.saidBetween.to: {reason}"
    assert error["locations"] == [{"line": 1, "column": 41}]  # the value itself
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"

    body = await graphql_response(FILTERED, {"filter": {"saidBetween": {"to": bad}}})
    [error] = body["errors"]
    assert error["message"] == f"Variable '$filter' has invalid value at .saidBetween.to: {reason}"
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
