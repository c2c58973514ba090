"""The Rudaw seed as a fact-checker read it (issue 17): every value here was once a gloss, a
word or a link the article does not support, and is pinned as the text gives it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from claimgraph.db.models import Base
from claimgraph.seed.reader import DEFAULT_SEED_DIR
from tests.seed.test_loader import SEED_FILE, read_extraction, relations_from

SEED = read_extraction(DEFAULT_SEED_DIR / SEED_FILE)
TEXT = (DEFAULT_SEED_DIR / SEED["source"]["text_file"]).read_text(encoding="utf-8")


def record(kind: str, slug: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [r for r in SEED[kind] if r["slug"] == slug]
    [one] = found
    return one


def relations(subject: str | None = None, obj: str | None = None) -> set[tuple[str, str, str]]:
    return {
        (r["subject"], r["kind"], r["object"])
        for r in SEED["relations"]
        if subject in (None, r["subject"]) and obj in (None, r["object"])
    }


def test_1_the_us_transition_is_not_said_to_be_no_withdrawal() -> None:
    statement = record("statements", "us-describes-withdrawal-as-security-transition")
    assert statement["claim"] == (
        "The United States has described the coalition forces' leaving Iraq as a security "
        "transition."
    )
    assert "not" not in statement["claim"].split()


def test_2_washington_calls_the_step_a_transition_and_no_more() -> None:
    statement = record("statements", "washington-commission-step-is-a-transition")
    assert statement["claim"] == (
        "Washington has described the Higher Military Commission's step as a transition in "
        "the coalition's role."
    )


def test_3_the_bilateral_agreements_are_jiads_alone() -> None:
    agreement = record("agreements", "iraq-coalition-bilateral-security-agreements")
    assert agreement["summary"] == (
        "Bilateral security agreements that Iraq and the coalition are working on signing, "
        "according to the Iraqi prime minister's political advisor."
    )
    tagged = {
        s["slug"]
        for s in SEED["statements"]
        if "iraq-coalition-bilateral-security-agreements" in s.get("agreements", [])
    }
    assert tagged == {
        "jiad-working-on-bilateral-security-agreements",
        "jiad-relations-getting-stronger",
    }
    patel = record("statements", "patel-discussed-transition-to-security-partnership")
    assert "agreements" not in patel


def test_4_patels_partnership_does_not_support_jiads_agreements() -> None:
    assert relations("patel-discussed-transition-to-security-partnership") == {
        (
            "patel-discussed-transition-to-security-partnership",
            "SUPPORTS",
            "us-describes-withdrawal-as-security-transition",
        )
    }
    assert relations(obj="jiad-working-on-bilateral-security-agreements") == set()
    assert not any("replacing" in (r.get("note") or "") for r in SEED["relations"])


def test_5_framings_are_not_contradictions() -> None:
    framings = {
        "us-describes-withdrawal-as-security-transition",
        "washington-commission-step-is-a-transition",
        "baghdad-commission-aim-to-end-coalition-presence",
    }
    contradictions = {r for r in relations() if r[1] == "CONTRADICTS"}
    assert not any(framings & {subject, obj} for subject, _, obj in contradictions)


async def test_6_the_denial_contradicts_every_report_of_an_agreed_withdrawal(
    connection: AsyncConnection,
) -> None:
    agreed = {
        ("CONTRADICTS", "iraq-foreign-ministry-withdrawal-agreement-reached"),
        ("CONTRADICTS", "jiad-agreement-reached-withdraw-by-end-2025"),
        ("CONTRADICTS", "headline-coalition-to-leave-iraq-before-2026"),
        ("CONTRADICTS", "jiad-coalition-to-leave-iraq-by-end-of-next-year"),
        ("CONTRADICTS", "jiad-withdrawal-begins-this-year-in-phases"),
    }
    assert await relations_from(connection, "state-department-denies-withdrawal-discussed") == (
        agreed
    )
    # Patel's quote is the denial's own words: it contradicts the same, and elaborates it.
    assert await relations_from(connection, "patel-at-no-point-did-we-discuss-withdrawal") == (
        agreed | {("ELABORATES", "state-department-denies-withdrawal-discussed")}
    )


@pytest.mark.parametrize("slug", ["us-forces-in-iraq-2024-09", "us-forces-in-syria-2024-09"])
def test_7_the_coalition_not_the_troops_assisted_the_partner_forces(slug: str) -> None:
    deployment = record("deployments", slug)
    assert deployment["partners"] == []
    assert deployment["mission"] == (
        "Leading, through Operation Inherent Resolve, an international coalition that has "
        "assisted Kurdish, Iraqi and local Syrian forces against ISIS."
    )


def test_8_advise_and_assist_is_december_2021_not_september_2024() -> None:
    assert "advise" not in record("deployments", "us-forces-in-iraq-2024-09")["mission"].lower()
    evidence = {
        s["slug"]
        for s in SEED["statements"]
        if "us-forces-in-iraq-2024-09" in s.get("deployments", [])
    }
    assert evidence == {"rudaw-us-troops-lead-coalition-in-iraq-and-syria"}


def test_9_the_strikes_have_no_place() -> None:
    event = record("events", "us-retaliatory-strikes-on-iraqi-paramilitary-groups")
    assert "location" not in event


def test_10_the_unnamed_sources_words_are_marked_as_quoted() -> None:
    statement = record("statements", "rudaw-hmc-meetings-in-baghdad")
    assert "quotes without naming who said them" in statement["claim"]
    assert statement["quote"] == (
        "discuss the threat of ISIS, the operational environment, and the capabilities of the "
        "Iraqi Security Forces"
    )


def test_10_every_quote_leaves_out_the_punctuation_before_its_closing_mark() -> None:
    quotes = [s["quote"] for s in SEED["statements"] if "quote" in s]
    assert len(quotes) == 6
    for quote in quotes:
        assert quote in TEXT, quote
        assert quote[-1] not in ".,;:", quote
        assert quote[0] not in "“”", quote


async def test_11_the_publication_date_comes_from_the_address(
    connection: AsyncConnection,
) -> None:
    published = SEED["source"]["published"]
    assert published["edtf"] == "2024-09-08"
    assert "phrase" not in published  # "on Sunday" is when the advisor spoke
    assert "08092024" in published["anchor"]
    sources = Base.metadata.tables["sources"]
    row = (
        await connection.execute(
            select(sources.c.published_phrase, sources.c.published_precision).where(
                sources.c.slug == SEED["source"]["slug"]
            )
        )
    ).one()
    assert tuple(row) == (None, "DAY")


async def test_12_the_previous_day_is_stored_as_a_range_not_a_day(
    connection: AsyncConnection,
) -> None:
    statements = Base.metadata.tables["statements"]
    rows = await connection.execute(
        select(statements.c.slug, statements.c.said_precision, statements.c.said_uncertain).where(
            statements.c.said_edtf == "[2024-07-31..2024-08-30]"
        )
    )
    assert sorted(tuple(row) for row in rows) == [
        ("patel-at-no-point-did-we-discuss-withdrawal", "RANGE", True),
        ("patel-discussed-transition-to-security-partnership", "RANGE", True),
        ("state-department-denies-withdrawal-discussed", "RANGE", True),
    ]
    roles = Base.metadata.tables["roles"]
    query = select(roles.c.period_precision).where(roles.c.title == "deputy spokesperson")
    assert (await connection.execute(query)).scalar_one() == "RANGE"
