"""Direct quotes: marks, attribution before and after, split, multi-sentence, stand-alone."""

from __future__ import annotations

from claimgraph.db.models.enums import StatementMode
from tests.extract.helpers import statements


def quotes(text: str) -> list[tuple[str, str | None]]:
    return [(p.speaker, p.quote) for p in statements(text) if p.mode is StatementMode.DIRECT_QUOTE]


def test_curly_quote_with_attribution_after() -> None:
    text = "“The port is open,” Lena Varga, a spokeswoman for the Ministry of Ports, said."
    assert quotes(text) == [("lena-varga", "The port is open")]


def test_straight_quote_with_inverted_attribution() -> None:
    text = '"The risk is small," said Dr. Ines Moravec, the agency\'s chief medical officer.'
    assert quotes(text) == [("ines-moravec", "The risk is small")]


def test_attribution_before_the_quote() -> None:
    text = 'Hana Rusk told reporters: "We will meet in Kolna."'
    assert quotes(text) == [("hana-rusk", "We will meet in Kolna.")]


def test_quote_split_around_its_attribution_is_two_quotes_of_one_speaker() -> None:
    text = "Rusk said talks would resume. “We are ready,” she said, “but not today.”"
    assert quotes(text) == [("hana-rusk", "We are ready"), ("hana-rusk", "but not today.")]


def test_multi_sentence_quote_is_one_quote_and_its_excerpt_covers_it() -> None:
    text = '"They have our letters. They have had them for weeks," Petr Halloran said.'
    (proposal,) = statements(text)
    assert proposal.quote == "They have our letters. They have had them for weeks"
    assert text[proposal.start : proposal.end] == proposal.excerpt == text


def test_quote_standing_alone_takes_the_speaker_of_the_sentence_before() -> None:
    text = "“We are ready,” Rusk said.\n“The talks start on Monday.”"
    assert quotes(text) == [
        ("hana-rusk", "We are ready"),
        ("hana-rusk", "The talks start on Monday."),
    ]


def test_quote_inside_a_sentence_without_attribution_is_not_a_direct_quote() -> None:
    text = "Washington has described the step as a “transition” in the mission."
    assert quotes(text) == []
