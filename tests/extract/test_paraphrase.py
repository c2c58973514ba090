"""Reported speech: 'said that', attribution after the clause, 'according to', 'has said',
'adding that'; and its excerpt offsets."""

from __future__ import annotations

from claimgraph.db.models.enums import StatementMode
from tests.extract.helpers import statements


def test_said_that_gives_the_clause_and_exact_offsets() -> None:
    text = "MAREN, Veloria (Meridian Wire) - Hana Rusk said on Wednesday that exports would go on."
    (proposal,) = statements(text)
    assert proposal.mode is StatementMode.PARAPHRASE
    assert proposal.excerpt == "Hana Rusk said on Wednesday that exports would go on."
    assert text[proposal.start : proposal.end] == proposal.excerpt
    assert proposal.claim == "exports would go on"


def test_attribution_after_the_clause() -> None:
    text = "Exports will go on, the ports ministry said on Friday."
    (proposal,) = statements(text)
    assert (proposal.speaker, proposal.claim) == ("ministry-of-ports", "Exports will go on")


def test_according_to_before_and_after() -> None:
    first, second = statements(
        "According to Rusk, both sides agreed. The dam is late, according to the ports ministry."
    )
    assert (first.speaker, first.claim) == ("hana-rusk", "both sides agreed")
    assert (second.speaker, second.claim) == ("ministry-of-ports", "The dam is late")


def test_has_said_is_undated() -> None:
    (proposal,) = statements("Rusk has said for years that the dam is safe.")
    assert proposal.said_on.edtf == "../2024-03-14"


def test_two_speakers_in_one_sentence_each_get_their_clause() -> None:
    first, second = statements(
        "Rusk said the talks failed, while the ports ministry has described them as a success."
    )
    assert (first.speaker, second.speaker) == ("hana-rusk", "ministry-of-ports")
    assert second.excerpt.startswith("while the ports ministry")


def test_adding_that_is_a_second_statement_of_the_same_speaker() -> None:
    first, second = statements("Rusk noted that talks resumed, adding that both sides agreed.")
    assert second.speaker == first.speaker == "hana-rusk"
    assert second.claim == "both sides agreed"


def test_passive_and_nouns_are_not_reporting_verbs() -> None:
    assert statements("The port was announced by the king. The states signed the treaty.") == []
