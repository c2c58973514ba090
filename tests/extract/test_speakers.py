"""Speakers: known actors by name, alias and surname; new actors with their appositive role;
role mentions, pronouns and organisations standing for a speaker."""

from __future__ import annotations

from claimgraph.db.models.enums import ActorKind
from tests.extract.helpers import draft, statements


def speakers(text: str) -> list[str]:
    return [p.speaker for p in statements(text)]


def test_known_actor_by_name_alias_and_surname() -> None:
    text = (
        "Foreign Minister Hana Rusk said the talks would resume. Rusk added that both sides "
        "agreed. The ports ministry said exports would continue."
    )
    assert speakers(text) == ["hana-rusk", "hana-rusk", "ministry-of-ports"]


def test_new_actor_is_proposed_with_the_role_the_text_gives() -> None:
    result = draft("Lena Varga, a spokeswoman for the Ministry of Ports, said the port was open.")
    (actor,) = [a for a in result.actors if a.slug == "lena-varga"]
    assert (actor.name, actor.kind) == ("Lena Varga", ActorKind.PERSON)
    assert actor.role == "a spokeswoman for the Ministry of Ports"
    assert actor.organization == "ministry-of-ports"


def test_role_mention_finds_the_last_actor_introduced_with_that_role() -> None:
    text = (
        "Lena Varga, a spokeswoman for the Ministry of Ports, said the port was open. "
        "Petr Halloran, a union leader, said it was not. The spokeswoman said talks would go on."
    )
    assert speakers(text) == ["lena-varga", "petr-halloran", "lena-varga"]


def test_role_mention_before_the_name_finds_the_actor_named_later() -> None:
    text = (
        "Talks will resume, an advisor to the minister revealed on Sunday.\n"
        "“We agreed,” Omar Sadiq, the minister's advisor, told Meridian Wire."
    )
    assert speakers(text) == ["omar-sadiq", "omar-sadiq"]


def test_pronouns_follow_the_last_speaker_they_can_stand_for() -> None:
    text = (
        "Lena Varga, a spokeswoman for the Ministry of Ports, said the port was open. "
        "Petr Halloran, the union's chairman, said it was not. She said the union had not written."
    )
    assert speakers(text) == ["lena-varga", "petr-halloran", "lena-varga"]


def test_organisation_as_speaker() -> None:
    text = "The ministry said in a statement that a mediator would be appointed."
    (proposal,) = statements(text)
    assert (proposal.speaker, proposal.channel) == ("ministry-of-ports", "statement")


def test_unnamed_spokesman_speaks_for_the_organisation() -> None:
    (proposal,) = statements("A spokesman for the Ministry of Ports said the port was open.")
    assert proposal.speaker == "ministry-of-ports"
    assert proposal.speaker_role == "A spokesman for the Ministry of Ports"


def test_surname_finds_the_full_name_given_earlier() -> None:
    text = (
        'The party, led by Oskar Brandt, won 31 percent.\n"We have evidence," Brandt told a rally.'
    )
    assert speakers(text) == ["oskar-brandt"]


def test_unresolvable_speaker_is_left_to_the_editor_as_background() -> None:
    result = draft("Inspection records seen by Meridian Wire said the plant had failed twice.")
    assert [p.mode.value for p in result.proposals] == ["BACKGROUND"]
