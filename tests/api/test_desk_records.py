"""The desk creates and corrects agreements, deployments and events, on both engines."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from claimgraph.api.ids import to_global_id
from claimgraph.db import models as m
from tests.api.test_desk import count, key, post
from tests.api.test_desk_relations import last_changes

IRAQ = to_global_id("Actor", "iraq")
US = to_global_id("Actor", "united-states")
US_FORCES = to_global_id("Actor", "us-forces")
ISF = to_global_id("Actor", "iraqi-security-forces")
MISSING = to_global_id("Actor", "no-such-actor")
HISTORY = "revision history { nodes { number editor reason changes { field before after } } }"


def text(name: str, input_type: str, payload: str, selection: str) -> str:
    return (
        f"mutation ($input: {input_type}!) {{ {name}(input: $input) {{ "
        f"{payload} {{ id {selection} {HISTORY} }} userErrors {{ field code message }} }} }}"
    )


AGREEMENT = "title status summary reportedOn { edtf approximate } parties { id }"
CREATE_AGREEMENT = text("createAgreement", "CreateAgreementInput", "agreement", AGREEMENT)
UPDATE_AGREEMENT = text("updateAgreement", "UpdateAgreementInput", "agreement", AGREEMENT)
DEPLOYMENT = "country personnel asOf { edtf uncertain } force { id } partners { id }"
CREATE_DEPLOYMENT = text("createDeployment", "CreateDeploymentInput", "deployment", DEPLOYMENT)
UPDATE_DEPLOYMENT = text("updateDeployment", "UpdateDeploymentInput", "deployment", DEPLOYMENT)
EVENT = "title kind location occurredOn { edtf precision } participants { id }"
CREATE_EVENT = text("createEvent", "CreateEventInput", "event", EVENT)
UPDATE_EVENT = text("updateEvent", "UpdateEventInput", "event", EVENT)


async def run(client: httpx.AsyncClient, query: str, given: dict[str, Any], token: str) -> Any:
    body = await post(client, query, {"input": given}, token)
    assert "errors" not in body, body
    [payload] = body["data"].values()
    return payload


async def test_an_agreement_is_created_with_a_vague_date_and_corrected(
    client: httpx.AsyncClient, connection: AsyncConnection
) -> None:
    token = await key(connection, m.KeyScope.EDIT, "night-desk")
    given = {
        "title": "Iraq-US basing accord",
        "status": "PROPOSED",
        "parties": [IRAQ, US],
        "reportedOn": {"edtf": "2024-09~"},
        "reason": "new reporting",
    }
    payload = await run(client, CREATE_AGREEMENT, given, token)
    assert payload["userErrors"] == []
    created = payload["agreement"]
    assert created["id"] == to_global_id("Agreement", "iraq-us-basing-accord")
    assert created["reportedOn"] == {"edtf": "2024-09~", "approximate": True}
    assert created["parties"] == [{"id": IRAQ}, {"id": US}]
    [first] = created["history"]["nodes"]
    assert first["editor"] == "night-desk"
    assert {"field": "parties", "before": [], "after": ["iraq", "united-states"]} in first[
        "changes"
    ]
    assert {"field": "status", "before": None, "after": "PROPOSED"} in first["changes"]
    assert await last_changes(connection, 1) == [("Agreement", "iraq-us-basing-accord", "CREATED")]
    update = {
        "id": created["id"],
        "expectedRevision": 1,
        "reason": "the US signed",
        "status": "SIGNED",
        "parties": [US],
    }
    payload = await run(client, UPDATE_AGREEMENT, update, token)
    assert payload["userErrors"] == []
    assert payload["agreement"]["revision"] == 2
    assert payload["agreement"]["parties"] == [{"id": US}]
    assert payload["agreement"]["history"]["nodes"][-1] == {
        "number": 2,
        "editor": "night-desk",
        "reason": "the US signed",
        "changes": [
            {"field": "status", "before": "PROPOSED", "after": "SIGNED"},
            {"field": "parties", "before": ["iraq", "united-states"], "after": ["united-states"]},
        ],
    }
    assert await last_changes(connection, 1) == [("Agreement", "iraq-us-basing-accord", "UPDATED")]
    stale = await run(client, UPDATE_AGREEMENT, update, token)
    assert stale["agreement"] is None
    assert [e["code"] for e in stale["userErrors"]] == ["STALE_REVISION"]
    assert "revision 2, not 1" in stale["userErrors"][0]["message"]


async def test_a_deployment_is_created_in_a_lowercase_country_and_corrected(
    client: httpx.AsyncClient, connection: AsyncConnection
) -> None:
    token = await key(connection, m.KeyScope.EDIT, "night-desk")
    given = {
        "force": US_FORCES,
        "country": "kw",
        "asOf": {"edtf": "2024-09?"},
        "personnel": 300,
        "partners": [ISF],
    }
    payload = await run(client, CREATE_DEPLOYMENT, given, token)
    assert payload["userErrors"] == []
    created = payload["deployment"]
    assert created["id"] == to_global_id("Deployment", "united-states-armed-forces-kw")
    assert created["country"] == "KW"
    assert created["asOf"] == {"edtf": "2024-09?", "uncertain": True}
    assert created["force"] == {"id": US_FORCES}
    assert created["partners"] == [{"id": ISF}]
    seeded = to_global_id("Deployment", "us-forces-in-iraq-2024-09")
    update = {"id": seeded, "expectedRevision": 1, "reason": "new count", "personnel": 2000}
    payload = await run(client, UPDATE_DEPLOYMENT, update, token)
    assert payload["userErrors"] == []
    assert payload["deployment"]["personnel"] == 2000
    assert payload["deployment"]["history"]["nodes"][-1]["changes"] == [
        {"field": "personnel", "before": 2500, "after": 2000}
    ]
    assert await last_changes(connection, 1) == [
        ("Deployment", "us-forces-in-iraq-2024-09", "UPDATED")
    ]


async def test_an_event_is_created_with_a_date_range_and_corrected(
    client: httpx.AsyncClient, connection: AsyncConnection
) -> None:
    token = await key(connection, m.KeyScope.EDIT, "night-desk")
    given = {
        "title": "Talks in Baghdad",
        "occurredOn": {"edtf": "[2024-07-31..2024-08-30]"},
        "participants": [IRAQ],
    }
    payload = await run(client, CREATE_EVENT, given, token)
    assert payload["userErrors"] == []
    assert payload["event"]["occurredOn"]["edtf"] == "[2024-07-31..2024-08-30]"
    assert payload["event"]["participants"] == [{"id": IRAQ}]
    seeded = to_global_id("Event", "first-hmc-meeting")
    update = {
        "id": seeded,
        "expectedRevision": 1,
        "reason": "place",
        "location": "Baghdad",
        "participants": [IRAQ, US],
    }
    payload = await run(client, UPDATE_EVENT, update, token)
    assert payload["userErrors"] == []
    assert payload["event"]["location"] == "Baghdad"
    assert payload["event"]["history"]["nodes"][-1]["changes"] == [
        {"field": "location", "before": None, "after": "Baghdad"},
        {
            "field": "participants",
            "before": ["mohammed-shia-al-sudani", "us-iraq-higher-military-commission"],
            "after": ["iraq", "united-states"],
        },
    ]


AGREE = {"title": "t", "status": "PROPOSED"}
DEPLOY = {"force": US_FORCES, "country": "IQ", "asOf": {"edtf": "2024"}}
EVENT_IN = {"title": "t", "occurredOn": {"edtf": "2024"}}
SEEDED_EVENT = {"id": to_global_id("Event", "first-hmc-meeting"), "expectedRevision": 1}
SEEDED_DEPLOYMENT = {
    "id": to_global_id("Deployment", "us-forces-in-iraq-2024-09"),
    "expectedRevision": 1,
}


@pytest.mark.parametrize(
    ("query", "given", "field", "code"),
    [
        (CREATE_AGREEMENT, {**AGREE, "title": ""}, ["input", "title"], "INVALID"),
        (
            CREATE_AGREEMENT,
            {**AGREE, "parties": [IRAQ, MISSING]},
            ["input", "parties", "1"],
            "NOT_FOUND",
        ),
        (
            CREATE_AGREEMENT,
            {**AGREE, "reportedOn": {"edtf": "soon"}},
            ["input", "reportedOn", "edtf"],
            "INVALID_DATE",
        ),
        (CREATE_DEPLOYMENT, {**DEPLOY, "country": "IRQ"}, ["input", "country"], "INVALID"),
        (CREATE_DEPLOYMENT, {**DEPLOY, "force": MISSING}, ["input", "force"], "NOT_FOUND"),
        (CREATE_DEPLOYMENT, {**DEPLOY, "force": "garbage"}, ["input", "force"], "NOT_FOUND"),
        (CREATE_DEPLOYMENT, {**DEPLOY, "personnel": -1}, ["input", "personnel"], "INVALID"),
        (
            CREATE_EVENT,
            {**EVENT_IN, "occurredOn": {"edtf": "2024-13-45"}},
            ["input", "occurredOn", "edtf"],
            "INVALID_DATE",
        ),
        (
            CREATE_EVENT,
            {**EVENT_IN, "participants": [MISSING]},
            ["input", "participants", "0"],
            "NOT_FOUND",
        ),
        (
            UPDATE_EVENT,
            {**SEEDED_EVENT, "reason": " ", "kind": "x"},
            ["input", "reason"],
            "INVALID",
        ),
        (
            UPDATE_EVENT,
            {**SEEDED_EVENT, "expectedRevision": 3, "reason": "r"},
            ["input", "expectedRevision"],
            "STALE_REVISION",
        ),
        (
            UPDATE_EVENT,
            {**SEEDED_EVENT, "id": MISSING, "reason": "r"},
            ["input", "id"],
            "NOT_FOUND",
        ),
        (
            UPDATE_DEPLOYMENT,
            {**SEEDED_DEPLOYMENT, "reason": "r", "country": "Iraq"},
            ["input", "country"],
            "INVALID",
        ),
        (
            UPDATE_DEPLOYMENT,
            {**SEEDED_DEPLOYMENT, "reason": "r", "force": None},
            ["input", "force"],
            "NOT_FOUND",
        ),
        (
            UPDATE_AGREEMENT,
            {
                "id": to_global_id("Agreement", "iraq-us-coalition-withdrawal-agreement"),
                "expectedRevision": 1,
                "reason": "r",
                "title": None,
            },
            ["input", "title"],
            "INVALID",
        ),
    ],
)
async def test_bad_record_input_is_a_user_error_and_writes_nothing(
    client: httpx.AsyncClient,
    connection: AsyncConnection,
    query: str,
    given: dict[str, Any],
    field: list[str],
    code: str,
) -> None:
    token = await key(connection, m.KeyScope.EDIT)
    changes, revisions = await count(connection, m.Change), await count(connection, m.Revision)
    payload = await run(client, query, given, token)
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(field, code)]
    [record] = [value for name, value in payload.items() if name != "userErrors"]
    assert record is None
    assert await count(connection, m.Change) == changes
    assert await count(connection, m.Revision) == revisions
