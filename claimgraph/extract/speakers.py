"""Who a speaker phrase names: a known actor (by name, alias or surname), an actor the article
introduces, the last actor with that role ("the spokeswoman"), an organisation ("the
ministry"), or the last speaker a pronoun can stand for."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from claimgraph.db.models.enums import ActorKind
from claimgraph.extract.candidates import SpeakerPhrase
from claimgraph.extract.lexicon import (
    GROUP_PRONOUNS,
    ORGANISATION_WORDS,
    PERSONAL_PRONOUNS,
    ROLE_GENDER,
    ROLE_NOUNS,
    role_key,
)
from claimgraph.extract.model import KnownActor, ProposedActor
from claimgraph.extract.names import (
    NameIndex,
    guess_kind,
    is_name,
    slugify,
    split_title,
    strip_name,
    words,
)
from claimgraph.extract.nlp import Mention

_PREPOSITIONS = frozenset(["to", "for", "of", "at", "from", "in", "with", "within", "by"])


@dataclass
class _Actor:
    slug: str
    names: tuple[str, ...]
    kind: ActorKind
    roles: list[str] = field(default_factory=list)
    gender: str | None = None

    @property
    def name_words(self) -> set[str]:
        return {w.lower() for name in self.names for w in words(name)}

    @property
    def role_words(self) -> set[str]:
        return {role_key(w) for role in self.roles for w in words(role)}


@dataclass(frozen=True)
class Resolution:
    slug: str
    role: str | None
    human: bool  # a person, or an unnamed person speaking for an organisation
    confidence: float  # how sure the link is, 0..1
    how: str


class Resolver:
    """Resolves speaker phrases in text order, remembering who spoke and who was named."""

    def __init__(self, text: str, mentions: list[Mention], known: tuple[KnownActor, ...]):
        self.text = text
        self.mentions = mentions
        self.actors = {a.slug: _Actor(a.slug, a.names, a.kind, list(a.roles)) for a in known}
        self.names = NameIndex.of(text)
        self.proposed: dict[str, ProposedActor] = {}
        self.introduced: list[tuple[int, str]] = [(m.start, m.slug) for m in mentions]
        self.history: list[tuple[str, bool]] = []

    def introduce(self, phrase: SpeakerPhrase) -> None:
        """First pass: learn the names (and roles) the article gives, so a role mention can
        find an actor named further down ("an advisor … revealed" before "Jiad, the advisor")."""
        found = self._by_name(phrase)
        if found is not None:
            self.introduced.append((phrase.start, found.slug))

    def resolve(self, phrase: SpeakerPhrase) -> Resolution | None:
        words_ = self.text[phrase.start : phrase.end].split()
        if len(words_) == 1 and words_[0].lower() in {*PERSONAL_PRONOUNS, *GROUP_PRONOUNS}:
            found = self._pronoun(words_[0].lower())
        else:
            found = self._by_name(phrase) or self._by_description(phrase)
        if found is not None:
            self.history.append((found.slug, found.human))
        return found

    def remember(self, slug: str, human: bool) -> None:
        """A speaker taken over from the statement before, for later pronouns."""
        self.history.append((slug, human))

    # -- names -------------------------------------------------------------------------

    def _head_mention(self, phrase: SpeakerPhrase) -> Mention | None:
        """A known actor whose name ends the phrase, unless it sits in a prepositional
        phrase ("an advisor to Prime Minister X" is not X)."""
        known = self._known_in(phrase.start, phrase.end)
        if known is None or self.text[known.end : phrase.end].strip(" ’'s"):
            return None
        before = self.text[phrase.start : known.start].lower().split()
        return None if _PREPOSITIONS & set(before) else known

    def _known_in(self, start: int, end: int) -> Mention | None:
        inside = [m for m in self.mentions if start <= m.start and m.end <= end]
        return max(inside, key=lambda m: m.end) if inside else None

    def _by_name(self, phrase: SpeakerPhrase) -> Resolution | None:
        raw = self.text[phrase.start : phrase.end]
        head = self._head_mention(phrase)
        if head is not None:
            return self._found(head.slug, phrase.role, 0.95, "known actor by name")
        if _is_description(raw):
            return None
        title, name = split_title(raw)
        role = phrase.role or title
        name = strip_name(name)
        if not is_name(name):
            return None
        for actor in self.actors.values():
            if name in actor.names or (len(name.split()) == 1 and name in _surnames(actor)):
                return self._found(actor.slug, role, 0.9, "actor named earlier")
        if len(name.split()) == 1:
            name = self.names.full_name(name) or name
        return self._new_actor(name, role, phrase)

    def _new_actor(self, name: str, role: str | None, phrase: SpeakerPhrase) -> Resolution:
        slug = slugify(name)
        kind = guess_kind(name)
        organization = None
        if role and phrase.role_start is not None:
            known = self._known_in(phrase.role_start, phrase.role_start + len(role))
            organization = known.slug if known else None
        self.actors.setdefault(slug, _Actor(slug, (name,), kind))
        self.proposed.setdefault(
            slug,
            ProposedActor(slug, name, kind, role, organization, "new-actor-from-name", 0.7),
        )
        return self._found(slug, role, 0.8, "new actor")

    def _found(self, slug: str, role: str | None, confidence: float, how: str) -> Resolution:
        actor = self.actors[slug]
        if role and role not in actor.roles:
            actor.roles.append(role)
            for word in words(role):
                actor.gender = actor.gender or ROLE_GENDER.get(word.lower())
        return Resolution(slug, role, actor.kind is ActorKind.PERSON, confidence, how)

    # -- descriptions ("the spokeswoman", "the ministry") --------------------------------

    def _by_description(self, phrase: SpeakerPhrase) -> Resolution | None:
        raw = self.text[phrase.start : phrase.end]
        head, rest_start = _head(raw)
        if head is None:
            return None
        indefinite = bool(re.match(r"(?:a|an)\s", raw, re.I))
        organisation = self._organisation_in(phrase.start + rest_start, phrase.end)
        key = role_key(head)
        if key in {role_key(r) for r in ROLE_NOUNS}:
            if indefinite and organisation is not None:
                return Resolution(
                    organisation, raw, True, 0.75, "unnamed person for an organisation"
                )
            match = self._with(lambda a: key in a.role_words, phrase.start)
            if match is not None:
                return self._found(match[0], raw, match[1], f"role '{head}'")
            if organisation is not None:
                return Resolution(
                    organisation, raw, True, 0.6, "unnamed person for an organisation"
                )
            return None
        match = self._with(lambda a: head.lower() in a.name_words, phrase.start)
        if match is not None:
            return Resolution(match[0], None, False, match[1], f"organisation '{head}'")
        return None

    def _with(self, test: Callable[[_Actor], bool], position: int) -> tuple[str, float] | None:
        """The last actor named before ``position`` that passes ``test``; else the first named
        after it; else the only actor that passes."""
        before = [s for p, s in self.introduced if p < position and test(self.actors[s])]
        if before:
            return before[-1], 0.8
        after = [s for p, s in sorted(self.introduced) if p > position and test(self.actors[s])]
        if after:
            return after[0], 0.6
        every = [a.slug for a in self.actors.values() if test(a)]
        return (every[0], 0.5) if len(every) == 1 else None

    def _organisation_in(self, start: int, end: int) -> str | None:
        known = self._known_in(start, end)
        if known is not None and self.actors[known.slug].kind is not ActorKind.PERSON:
            return known.slug
        rest = strip_name(self.text[start:end])
        if is_name(rest) and guess_kind(rest) is not ActorKind.PERSON:
            return self._new_actor(rest, None, SpeakerPhrase(start, end)).slug
        return None

    # -- pronouns ----------------------------------------------------------------------

    def _pronoun(self, pronoun: str) -> Resolution | None:
        gender = PERSONAL_PRONOUNS.get(pronoun)
        for slug, human in reversed(self.history):
            actor = self.actors[slug]
            if gender is not None and human and actor.gender in {None, gender}:
                actor.gender = gender if actor.kind is ActorKind.PERSON else None
                return Resolution(slug, None, True, 0.8, f"pronoun '{pronoun}'")
            if gender is None and not human:
                return Resolution(slug, None, False, 0.7, f"pronoun '{pronoun}'")
        return None


def _surnames(actor: _Actor) -> set[str]:
    if actor.kind is not ActorKind.PERSON:
        return set()
    return {name.split()[-1] for name in actor.names if len(name.split()) > 1}


def _is_description(raw: str) -> bool:
    """'the spokeswoman', 'an advisor to …', "Calvonia's main opposition party"."""
    first = raw.split()[0] if raw.split() else ""
    if split_title(raw)[0] is not None or is_name(strip_name(raw)):
        return False
    if first.lower() in {"a", "an", "the"} and len(raw.split()) > 1:
        return not raw.split()[1][:1].isupper()
    head, _ = _head(raw)
    return head is not None and (
        first[:1].islower()
        or "'s " in raw
        or "’s " in raw
        or head.lower() in ROLE_NOUNS
        or head.lower() in ORGANISATION_WORDS
    )


def _head(raw: str) -> tuple[str | None, int]:
    """The head noun of a description (the last word before a preposition) and where the
    words after that preposition start."""
    head: str | None = None
    for match in re.finditer(r"[\w’'-]+", raw):
        word = match.group()
        if word.lower() in _PREPOSITIONS and head is not None:
            return head, match.end()
        head = re.sub(r"[’']s$", "", word)
    return head, len(raw)
