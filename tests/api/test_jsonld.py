"""Statements as schema.org Claims in JSON-LD: `/statements/{id}.jsonld` and `jsonLd`. Every
document expands (with pyld, offline) to schema.org terms only, losing nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
from pyld import jsonld  # type: ignore[import-untyped]  # pyld ships no type hints

from claimgraph.api.graphql.jsonld import EDTF_DATATYPE, date_value, day_interval, is_plain_date
from claimgraph.api.ids import to_global_id
from claimgraph.api.settings import ApiSettings
from claimgraph.db.fuzzy_dates import FuzzyDate
from tests.conftest import GraphQL, SqlLog

SCHEMA = "https://schema.org/"
#: The schema.org terms the documents may use (each checked on schema.org when chosen).
SCHEMA_TYPES = {
    "Claim", "Person", "Organization", "GovernmentOrganization", "NewsMediaOrganization",
    "NewsArticle", "CreativeWork", "Quotation",
}  # fmt: skip
SCHEMA_PROPERTIES = {
    "identifier", "text", "author", "name", "alternateName", "jobTitle", "dateCreated",
    "datePublished", "temporalCoverage", "appearance", "firstAppearance", "headline", "url",
    "publisher", "inLanguage", "dateline", "hasPart", "mentions",
}  # fmt: skip

QUOTED = "jiad-agreement-reached-withdraw-by-end-2025"
PRESS = "state-department-denies-withdrawal-discussed"
BACKGROUND = "rudaw-isis-remains-security-threat"
UNDATED = "us-describes-withdrawal-as-security-transition"


def offline_loader(url: str, options: Any = None) -> Any:
    raise AssertionError(f"expansion tried to fetch {url}: the context must be inline")


def expand(document: dict[str, Any]) -> list[dict[str, Any]]:
    expanded: list[dict[str, Any]] = jsonld.expand(document, {"documentLoader": offline_loader})
    return expanded


def assert_lossless(compact: Any, expanded: Any, path: str = "$") -> None:
    """Every key of ``compact`` is a schema.org property in ``expanded``, with every value."""
    if isinstance(compact, list):
        assert len(compact) == len(expanded), path
        for i, (c, e) in enumerate(zip(compact, expanded, strict=True)):
            assert_lossless(c, e, f"{path}[{i}]")
        return
    if isinstance(compact, str):
        assert expanded == {"@value": compact}, path
        return
    assert isinstance(compact, dict), path
    if "@value" in compact:
        assert expanded == {"@value": compact["@value"], "@type": compact["@type"]}, path
        return
    if "@id" in compact:
        assert expanded["@id"] == compact["@id"], path
    if "@type" in compact:
        assert compact["@type"] in SCHEMA_TYPES, f"{path}: {compact['@type']}"
        assert expanded["@type"] == [SCHEMA + compact["@type"]], path
    keys = [key for key in compact if not key.startswith("@")]
    assert set(keys) <= SCHEMA_PROPERTIES, f"{path}: {set(keys) - SCHEMA_PROPERTIES}"
    assert set(expanded) - {"@id", "@type"} == {SCHEMA + key for key in keys}, path
    for key in keys:
        value = compact[key]
        values = value if isinstance(value, list) else [value]
        assert_lossless(values, expanded[SCHEMA + key], f"{path}.{key}")


async def document(client: httpx.AsyncClient, slug: str) -> dict[str, Any]:
    response = await client.get(f"/statements/{to_global_id('Statement', slug)}.jsonld")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/ld+json"
    body: dict[str, Any] = response.json()
    return body


async def all_documents(graphql: GraphQL) -> list[dict[str, Any]]:
    data = await graphql("{ statements(first: 100) { nodes { id jsonLd } } }")
    return [node["jsonLd"] for node in data["statements"]["nodes"]]


async def test_every_statement_expands_to_schema_org_losing_nothing(graphql: GraphQL) -> None:
    documents = await all_documents(graphql)
    assert len(documents) == 24
    for doc in documents:
        assert doc["@context"] == {"@vocab": SCHEMA}
        (expanded,) = expand(doc)
        assert_lossless({k: v for k, v in doc.items() if k != "@context"}, expanded)


async def test_the_route_serves_what_the_field_gives(
    client: httpx.AsyncClient, graphql: GraphQL
) -> None:
    documents = {doc["identifier"]: doc for doc in await all_documents(graphql)}
    for slug in (QUOTED, PRESS, BACKGROUND, UNDATED):
        served = await document(client, slug)
        assert served == documents[to_global_id("Statement", slug)]
        assert served["@id"].endswith(f"/statements/{served['identifier']}.jsonld")


async def test_a_quoted_claim_names_author_dates_appearance_and_quote(
    client: httpx.AsyncClient,
) -> None:
    doc = await document(client, QUOTED)
    assert doc["@type"] == "Claim"
    assert doc["text"].startswith("Iraq and the US have agreed")
    assert doc["author"]["@type"] == "Person"
    assert doc["author"]["name"] == "Sabhan Mullah Jiad"
    assert doc["author"]["jobTitle"] == "the political advisor to the Iraqi prime minister"
    assert doc["dateCreated"] == "2024-09-08"
    assert doc["datePublished"] == "2024-09-08"
    assert "temporalCoverage" not in doc
    appearance = doc["appearance"]
    assert appearance["@type"] == "NewsArticle"
    assert appearance["url"] == "https://www.rudaw.net/english/middleeast/iraq/080920241"
    assert appearance["@id"] == appearance["url"]
    assert appearance["headline"].startswith("US-led coalition forces to leave Iraq")
    assert appearance["publisher"] == {
        "@type": "NewsMediaOrganization",
        "identifier": to_global_id("Actor", "rudaw"),
        "name": "Rudaw",
        "alternateName": ["Rudaw Media Network"],
    }
    assert appearance["datePublished"] == "2024-09-08"
    quote = doc["hasPart"]
    assert quote["@type"] == "Quotation"
    assert quote["author"] == {"@id": "_:author"}
    assert quote["text"] in appearance["hasPart"]["text"]
    # Said to Rudaw: the article is where the claim first appeared.
    assert doc["firstAppearance"] == {"@id": appearance["@id"]}


async def test_vague_dates_stay_edtf_with_the_days_they_may_mean(
    client: httpx.AsyncClient,
) -> None:
    press = await document(client, PRESS)
    assert press["dateCreated"] == {"@value": "[2024-07-31..2024-08-30]", "@type": EDTF_DATATYPE}
    assert press["temporalCoverage"] == "2024-07-31/2024-08-30"
    assert press["author"]["@type"] == "GovernmentOrganization"
    assert "firstAppearance" not in press, "said at a press conference, not to Rudaw"
    undated = await document(client, UNDATED)
    assert undated["dateCreated"] == {"@value": "../2024-09-08", "@type": EDTF_DATATYPE}
    assert undated["temporalCoverage"] == "../2024-09-08"
    background = await document(client, BACKGROUND)
    assert background["firstAppearance"] == {"@id": background["appearance"]["@id"]}
    assert "hasPart" not in background, "no quote"


@pytest.mark.parametrize(
    ("edtf", "value", "interval"),
    [
        ("2024-09-08", "2024-09-08", "2024-09-08/2024-09-08"),
        ("2024-08", "2024-08", "2024-08-01/2024-08-31"),
        ("2024", "2024", "2024-01-01/2024-12-31"),
        ("2020~", None, "2020-01-01/2020-12-31"),
        ("2024-08-14?", None, "2024-08-14/2024-08-14"),
        ("[2024-07-31..2024-08-30]", None, "2024-07-31/2024-08-30"),
        ("2024-01/2024-09-08", None, "2024-01-01/2024-09-08"),
        ("../2024-09-08", None, "../2024-09-08"),
        ("2024-21", None, "2024-03-01/2024-05-31"),
    ],
)
def test_date_mapping(edtf: str, value: str | None, interval: str) -> None:
    date = FuzzyDate.parse(edtf)
    assert is_plain_date(date) is (value is not None)
    assert date_value(date) == (value or {"@value": edtf, "@type": EDTF_DATATYPE})
    assert day_interval(date) == interval


async def test_unknown_and_malformed_ids_are_a_json_404(client: httpx.AsyncClient) -> None:
    cases = {
        "not-an-id": "INVALID_ID",
        to_global_id("Actor", "rudaw"): "INVALID_ID",
        to_global_id("Statement", "no-such-statement"): "NOT_FOUND",
    }
    for id_, code in cases.items():
        response = await client.get(f"/statements/{id_}.jsonld")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/json"
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == code
        assert error["message"]


@pytest.mark.parametrize(
    "api_settings",
    [ApiSettings(public_url="https://claims.example.org/", response_cache_bytes=0)],
    ids=["public-url"],
)
async def test_ids_use_the_configured_public_url(
    client: httpx.AsyncClient, graphql: GraphQL
) -> None:
    doc = await document(client, QUOTED)
    assert doc["@id"] == f"https://claims.example.org/statements/{doc['identifier']}.jsonld"
    data = await graphql(
        "query ($id: ID!) { node(id: $id) { ... on Statement { jsonLd } } }",
        {"id": to_global_id("Statement", QUOTED)},
    )
    assert data["node"]["jsonLd"]["@id"] == doc["@id"]


async def test_json_ld_of_a_page_costs_the_same_whatever_its_size(
    graphql: GraphQL, sql_log: SqlLog
) -> None:
    counts = []
    for first in (3, 24):
        sql_log.active = True
        await graphql(
            "query ($n: Int) { statements(first: $n) { nodes { jsonLd } } }", {"n": first}
        )
        sql_log.active = False
        counts.append(len(sql_log))
        sql_log.clear()
    assert counts[0] == counts[1], counts


def test_dates_in_documents_never_gain_precision() -> None:
    exact = FuzzyDate.parse("2024-09-08")
    assert exact.earliest == exact.latest == dt.date(2024, 9, 8)
    for edtf in ("2020~", "2024-08-14?", "2024-21"):
        assert date_value(FuzzyDate.parse(edtf)) == {"@value": edtf, "@type": EDTF_DATATYPE}
