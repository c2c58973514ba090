"""The seeded story as a journalist asks about it, with the answers the article gives."""

from __future__ import annotations

from typing import Any

from claimgraph.api.ids import to_global_id
from tests.conftest import GraphQL

JIAD = to_global_id("Actor", "sabhan-mullah-jiad")


async def test_who_says_the_coalition_leaves_by_end_of_2025_and_who_contradicts_it(
    graphql: GraphQL,
) -> None:
    data = await graphql(
        """
        query ($text: String!) {
          statements(filter: { text: $text, mode: [DIRECT_QUOTE] }) {
            nodes {
              speaker { name }
              speakerRole
              quote
              channel
              saidOn { edtf precision phrase }
              source { title url publisher { name } publishedOn { edtf } }
              excerpt { start end text source { text } }
              relations {
                kind direction
                statement { speaker { name } saidOn { edtf earliest latest anchor } }
              }
            }
          }
        }
        """,
        {"text": "withdraw from Iraq by the end of 2025"},
    )
    [statement] = data["statements"]["nodes"]
    assert statement["speaker"]["name"] == "Sabhan Mullah Jiad"
    assert statement["speakerRole"] == "the political advisor to the Iraqi prime minister"
    assert statement["channel"] == "interview with Rudaw"
    assert statement["saidOn"] == {"edtf": "2024-09-08", "precision": "DAY", "phrase": "on Sunday"}
    assert statement["source"]["publisher"]["name"] == "Rudaw"
    assert statement["source"]["publishedOn"]["edtf"] == "2024-09-08"
    assert statement["source"]["url"] == "https://www.rudaw.net/english/middleeast/iraq/080920241"
    excerpt = statement["excerpt"]
    assert excerpt["source"]["text"][excerpt["start"] : excerpt["end"]] == excerpt["text"]
    assert statement["quote"] in excerpt["text"]
    assert excerpt["text"].endswith("told Rudaw.")

    contradicted_by = {
        r["statement"]["speaker"]["name"]: r["statement"]["saidOn"]
        for r in statement["relations"]
        if r["kind"] == "CONTRADICTS" and r["direction"] == "INCOMING"
    }
    assert set(contradicted_by) == {"United States Department of State", "Vedant Patel"}
    # "The previous day" is the day before the foreign ministry's August statement: a day
    # from 31 July to 30 August 2024, not the day before the report.
    patel = contradicted_by["Vedant Patel"]
    assert (patel["edtf"], patel["earliest"], patel["latest"]) == (
        "[2024-07-31..2024-08-30]",
        "2024-07-31",
        "2024-08-30",
    )
    assert "foreign ministry" in patel["anchor"]


async def test_us_troop_numbers_with_their_source(graphql: GraphQL) -> None:
    data = await graphql(
        """
        {
          deployments {
            nodes {
              force { name country }
              country personnel personnelApproximate operation mission
              asOf { edtf phrase }
              partners { name }
              evidence { mode source { title } excerpt { text } }
            }
          }
        }
        """
    )
    by_country = {d["country"]: d for d in data["deployments"]["nodes"]}
    assert set(by_country) == {"IQ", "SY"}
    iraq, syria = by_country["IQ"], by_country["SY"]
    assert (iraq["personnel"], iraq["personnelApproximate"]) == (2500, True)
    assert (syria["personnel"], syria["personnelApproximate"]) == (900, True)
    for deployment in (iraq, syria):
        assert deployment["force"] == {"name": "United States Armed Forces", "country": "US"}
        assert deployment["operation"] == "Operation Inherent Resolve"
        assert deployment["asOf"]["edtf"] == "2024-09-08"
        assert any("2,500 US troops" in e["excerpt"]["text"] for e in deployment["evidence"])
    # The text says the coalition, not these troops, assisted the partner forces, and gives
    # "advise and assist" only for December 2021.
    for deployment in (iraq, syria):
        assert deployment["partners"] == []
        assert "advise" not in deployment["mission"].lower()
        assert "has assisted Kurdish, Iraqi and local Syrian forces" in deployment["mission"]


async def test_the_withdrawal_agreement_terms_due_dates_and_who_disputes_it(
    graphql: GraphQL,
) -> None:
    data = await graphql(
        """
        {
          agreements {
            nodes {
              title status parties { name }
              reportedOn { edtf }
              terms { description due { edtf precision phrase } evidence { speaker { name } } }
              statements(first: 50) {
                totalCount
                nodes { speaker { name } relations { kind direction } }
              }
            }
          }
        }
        """
    )
    withdrawal = next(a for a in data["agreements"]["nodes"] if "withdrawal" in a["title"])
    assert withdrawal["status"] == "DISPUTED"
    assert {p["name"] for p in withdrawal["parties"]} == {
        "Government of Iraq",
        "Government of the United States",
    }
    assert withdrawal["reportedOn"]["edtf"] == "2024-08"
    dues = [(t["due"] or {}).get("edtf") for t in withdrawal["terms"]]
    assert dues == ["2024", None, "2025"]  # begins before end of 2024; all out by end of 2025
    assert withdrawal["terms"][2]["due"]["phrase"] == "by the end of 2025"
    assert withdrawal["terms"][2]["due"]["precision"] == "YEAR"
    disputers = {
        s["speaker"]["name"]
        for s in withdrawal["statements"]["nodes"]
        if any(r["kind"] == "CONTRADICTS" and r["direction"] == "OUTGOING" for r in s["relations"])
    }
    assert {"United States Department of State", "Vedant Patel"} <= disputers


async def test_what_happened_when(graphql: GraphQL) -> None:
    data = await graphql(
        """
        {
          timeline(first: 100) {
            totalCount
            nodes {
              __typename
              ... on Event { title occurredOn { edtf earliest latest approximate } }
              ... on Statement { claim saidOn { edtf earliest latest } }
            }
          }
        }
        """
    )
    entries = data["timeline"]["nodes"]
    assert data["timeline"]["totalCount"] == len(entries) == 24 + 6
    days = [(e.get("occurredOn") or e.get("saidOn"))["earliest"] for e in entries]
    assert days == sorted(days)
    events = {e["title"]: e["occurredOn"] for e in entries if e["__typename"] == "Event"}
    assert events["ISIS declared territorially defeated"]["edtf"] == "2019"
    assassination = events["Assassination of Qasem Soleimani and Abu Mahdi al-Muhandis in Baghdad"]
    assert assassination == {
        "edtf": "2020~",
        "earliest": "2020-01-01",
        "latest": "2020-12-31",
        "approximate": True,
    }
    first_meeting = events["First meeting of the US-Iraq Higher Military Commission"]
    assert (first_meeting["earliest"], first_meeting["latest"]) == ("2024-01-01", "2024-01-31")
    dated = [
        e["title"]
        for e in entries
        if e["__typename"] == "Event" and e["occurredOn"]["earliest"] > "0001-01-01"
    ]
    assert dated[:3] == [
        "ISIS declared territorially defeated",
        "Assassination of Qasem Soleimani and Abu Mahdi al-Muhandis in Baghdad",
        "US security relationship with Iraq fully transitions to an advise and assist role",
    ]


async def test_everything_one_actor_said(graphql: GraphQL) -> None:
    data = await graphql(
        """
        query ($id: ID!) {
          node(id: $id) {
            ... on Actor {
              name aliases kind country
              roles { title organization { name } period { edtf } evidence { id } }
              statements { totalCount nodes { mode claim } }
            }
          }
        }
        """,
        {"id": JIAD},
    )
    actor: dict[str, Any] = data["node"]
    assert actor["name"] == "Sabhan Mullah Jiad"
    assert actor["country"] == "IQ"
    assert actor["roles"][0]["title"] == "political advisor to the Iraqi prime minister"
    assert actor["roles"][0]["organization"]["name"] == "Government of Iraq"
    assert actor["statements"]["totalCount"] == 7
    modes = sorted(s["mode"] for s in actor["statements"]["nodes"])
    assert modes == ["DIRECT_QUOTE"] * 2 + ["PARAPHRASE"] * 5
