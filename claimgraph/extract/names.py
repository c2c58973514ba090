"""Names in the text: slugs for new actors, what kind a name looks like, and an index of the
full names the article gives, so "Brandt" finds the "Oskar Brandt" introduced earlier."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from claimgraph.db.models.enums import ActorKind
from claimgraph.extract.lexicon import NAME_PARTICLES, ORGANISATION_WORDS, TITLE_WORDS

_CAPITALISED = r"[A-Z][\w’'-]*"
_CONNECTOR = r"(?:of|for|and|the|de|al|von|van|der|bin)"
#: A run of capitalised words, possibly joined by "of", "for", particles ("Ministry of Ports").
NAME_RUN = re.compile(rf"{_CAPITALISED}(?:\s+(?:{_CONNECTOR}\s+)*{_CAPITALISED})*")


def slugify(name: str) -> str:
    """'Dockworkers' Federation of Veloria' -> 'dockworkers-federation-of-veloria'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    plain = re.sub(r"['’]", "", plain.lower())
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:200] or "actor"


def words(name: str) -> list[str]:
    return re.findall(r"[\w’'-]+", name)


def strip_name(name: str) -> str:
    """A name without a leading article or possessive country ('The Dockworkers' …')."""
    name = re.sub(r"^(?:the|The)\s+", "", name.strip())
    name = re.sub(r"^[A-Z][\w-]*[’']s\s+(?=[A-Z])", "", name)  # "Veloria's Ministry of Ports"
    return name.rstrip(".,")


def guess_kind(name: str) -> ActorKind:
    lowered = [w.lower() for w in words(name)]
    if any(w in ORGANISATION_WORDS for w in lowered):
        return (
            ActorKind.GOVERNMENT_BODY
            if {"ministry", "department"} & set(lowered)
            else ActorKind.OTHER
        )
    if 2 <= len(lowered) <= 4 and all(w[:1].isupper() or w in NAME_PARTICLES for w in words(name)):
        return ActorKind.PERSON
    return ActorKind.OTHER


def split_title(phrase: str) -> tuple[str | None, str]:
    """'deputy spokesperson Vedant Patel' -> ('deputy spokesperson', 'Vedant Patel')."""
    tokens = phrase.split()
    index = 0
    while index < len(tokens) - 1 and tokens[index].lower().rstrip(".") in {
        t.rstrip(".") for t in TITLE_WORDS
    }:
        index += 1
    if index == 0 or not tokens[index][:1].isupper():
        return None, phrase
    return " ".join(tokens[:index]), " ".join(tokens[index:])


def is_name(phrase: str) -> bool:
    """Whether the phrase is all capitalised words (with 'of', particles, apostrophes)."""
    match = NAME_RUN.fullmatch(strip_name(phrase))
    return match is not None


@dataclass(frozen=True)
class NameIndex:
    """Full names of people the article gives, by surname."""

    by_surname: dict[str, str]

    @classmethod
    def of(cls, text: str) -> NameIndex:
        by_surname: dict[str, str] = {}
        for match in NAME_RUN.finditer(text):
            _, name = split_title(match.group())
            if guess_kind(name) is ActorKind.PERSON:
                by_surname.setdefault(words(name)[-1], name)
        return cls(by_surname)

    def full_name(self, surname: str) -> str | None:
        return self.by_surname.get(surname)
