"""``extract()``: an article in, a :class:`~claimgraph.extract.model.Draft` out.

The rules find candidates (quotes, reported speech); the resolver names their speakers in
text order; the dater dates them; every sentence left over becomes a BACKGROUND proposal in
the publisher's voice, so the editor sees every claim of the article."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from claimgraph.db.models.enums import ActorKind, StatementMode
from claimgraph.extract.candidates import Candidate
from claimgraph.extract.dates import fuzzy
from claimgraph.extract.dating import Dater
from claimgraph.extract.errors import ExtractError, check_text
from claimgraph.extract.lexicon import CHANNELS
from claimgraph.extract.model import Draft, KnownActor, Proposal, ProposedActor
from claimgraph.extract.names import slugify
from claimgraph.extract.nlp import Sentence, analyse
from claimgraph.extract.paraphrase import paraphrase_candidates
from claimgraph.extract.quotes import find_quotes, quote_candidates
from claimgraph.extract.speakers import Resolver

_CONTRIBUTOR_LINE = re.compile(
    r"contributed to this report|^\s*\(?(?:reporting|writing|editing) by", re.I
)


def extract(
    text: str,
    *,
    published: dt.date,
    publisher: str,
    known_actors: tuple[KnownActor, ...] = (),
    title: str | None = None,
) -> Draft:
    """Draft statements from ``text``, published on ``published`` by ``publisher`` (a known
    actor's name or alias, or a new news organisation). Raises :class:`ExtractError`."""
    check_text(text)
    if not isinstance(published, dt.date):
        raise ExtractError(f"published: {published!r} is not a date")
    publisher_slug, publisher_actor = _publisher(publisher, known_actors)
    sentences, mentions = analyse(text, known_actors)
    quotes = find_quotes(text)
    found = quote_candidates(text, sentences, quotes)
    found += paraphrase_candidates(text, sentences, quotes, found, mentions)
    found.sort(key=lambda c: (c.start, c.verb_start))
    resolver = Resolver(text, mentions, known_actors)
    kept = _resolve(found, resolver)
    for candidate in kept:
        candidate.channel = _channel(text, candidate)
    Dater(text, sentences, published, publisher).date_all(kept, [(q.open, q.close) for q in quotes])
    proposals = _proposals(text, kept)
    proposals += _background(text, sentences, kept, publisher_slug, published)
    proposals.sort(key=lambda p: (p.start, p.end))
    actors = tuple(resolver.proposed.values()) + ((publisher_actor,) if publisher_actor else ())
    return Draft(
        text=text,
        published=published,
        publisher=publisher_slug,
        title=title or text.strip().split("\n")[0][:300],
        actors=actors,
        proposals=tuple(_unique_slugs(proposals)),
    )


def _publisher(name: str, known: tuple[KnownActor, ...]) -> tuple[str, ProposedActor | None]:
    if not name.strip():
        raise ExtractError("publisher: is empty; give the publisher's name")
    for actor in known:
        if name.strip().lower() in {n.lower() for n in actor.names} or name == actor.slug:
            return actor.slug, None
    slug = slugify(name)
    kind = ActorKind.NEWS_ORGANIZATION
    return slug, ProposedActor(slug, name.strip(), kind, None, None, "publisher", 1.0)


def _resolve(found: list[Candidate], resolver: Resolver) -> list[Candidate]:
    """Name every candidate's speaker; drop those whose speaker cannot be told."""
    for candidate in found:
        if candidate.speaker is not None:
            resolver.introduce(candidate.speaker)
    kept: list[Candidate] = []
    for candidate in found:
        if candidate.speaker is None:
            if not kept or kept[-1].paragraph < candidate.paragraph - 1:
                continue
            previous = kept[-1]
            candidate.resolved, candidate.human = previous.resolved, previous.human
            candidate.speaker_role = previous.speaker_role
            resolver.remember(previous.resolved or "", previous.human)
        else:
            resolution = resolver.resolve(candidate.speaker)
            if resolution is None:
                continue
            candidate.resolved, candidate.human = resolution.slug, resolution.human
            candidate.speaker_role = resolution.role
            candidate.confidence = round(candidate.confidence * resolution.confidence, 2)
            candidate.rule += f"; speaker: {resolution.how}"
        kept.append(candidate)
    return kept


def _channel(text: str, candidate: Candidate) -> str | None:
    zone = text[candidate.zone[0] : candidate.zone[1]]
    for pattern, label in CHANNELS:
        match = pattern.search(zone)
        if match:
            return label.format(*match.groups())
    return None


def _proposals(text: str, kept: list[Candidate]) -> list[Proposal]:
    proposals = []
    for candidate in kept:
        assert candidate.resolved is not None  # _resolve dropped the others
        assert candidate.said_on is not None  # the dater dates every one
        quote = text[candidate.quote[0] : candidate.quote[1]] if candidate.quote else None
        claim = text[candidate.content[0] : candidate.content[1]].strip(' ,.“”"') or (quote or "")
        proposals.append(
            Proposal(
                slug=f"{candidate.resolved}-{_MODE_WORD[candidate.mode]}",
                speaker=candidate.resolved,
                speaker_role=candidate.speaker_role,
                mode=candidate.mode,
                claim=claim or text[candidate.start : candidate.end],
                quote=quote,
                excerpt=text[candidate.start : candidate.end],
                start=candidate.start,
                end=candidate.end,
                channel=candidate.channel,
                said_on=candidate.said_on,
                rule=candidate.rule,
                confidence=candidate.confidence,
                dates=tuple(candidate.dates),
            )
        )
    return proposals


_MODE_WORD = {
    StatementMode.DIRECT_QUOTE: "quote",
    StatementMode.PARAPHRASE: "paraphrase",
    StatementMode.BACKGROUND: "background",
}


def _background(
    text: str,
    sentences: list[Sentence],
    kept: list[Candidate],
    publisher: str,
    published: dt.date,
) -> list[Proposal]:
    """Every sentence no rule took, in the publisher's voice, as of publication."""
    as_published = fuzzy(
        published.isoformat(), anchor="The publisher's own account, as of publication."
    )
    proposals = []
    for sentence in sentences:
        if any(c.start < sentence.end and sentence.start < c.end for c in kept):
            continue
        excerpt = text[sentence.start : sentence.end]
        if _CONTRIBUTOR_LINE.search(excerpt) or len(excerpt.split()) < 4:
            continue
        proposals.append(
            Proposal(
                slug=f"{publisher}-background",
                speaker=publisher,
                speaker_role=None,
                mode=StatementMode.BACKGROUND,
                claim=excerpt,
                quote=None,
                excerpt=excerpt,
                start=sentence.start,
                end=sentence.end,
                channel=None,
                said_on=as_published,
                rule="background-sentence",
                confidence=0.3,
            )
        )
    return proposals


def _unique_slugs(proposals: list[Proposal]) -> list[Proposal]:
    """Number slugs in text order: 'lena-varga-quote-1', 'lena-varga-quote-2'."""
    seen: Counter[str] = Counter()
    numbered = []
    for proposal in proposals:
        seen[proposal.slug] += 1
        numbered.append(_with_slug(proposal, f"{proposal.slug}-{seen[proposal.slug]}"))
    return numbered


def _with_slug(proposal: Proposal, slug: str) -> Proposal:
    from dataclasses import replace

    return replace(proposal, slug=slug)
