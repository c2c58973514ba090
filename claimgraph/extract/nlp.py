"""The spaCy side: a blank English pipeline (tokenizer and sentencizer, no model to download)
and an entity ruler built from the known actors, so their names, aliases and surnames are
found as entities whose id is the actor's slug."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc

from claimgraph.db.models.enums import ActorKind
from claimgraph.extract.model import KnownActor


@dataclass(frozen=True)
class Mention:
    """A known actor named in the text."""

    start: int
    end: int
    slug: str


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int


@functools.cache
def blank_pipeline() -> Language:
    """Loaded once per process: this is the spaCy start-up cost the benchmark reports."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _patterns(actors: tuple[KnownActor, ...]) -> list[dict[str, str]]:
    patterns: list[dict[str, str]] = []
    for actor in actors:
        names = set(actor.names)
        if actor.kind is ActorKind.PERSON and len(actor.name.split()) > 1:
            names.add(actor.name.split()[-1])  # "Patel said"
        patterns.extend(
            {"label": actor.kind.value, "pattern": name, "id": actor.slug} for name in names
        )
    return patterns


@functools.lru_cache(maxsize=8)
def _ruler(actors: tuple[KnownActor, ...]) -> EntityRuler:
    ruler = EntityRuler(blank_pipeline(), overwrite_ents=True)
    ruler.add_patterns(_patterns(actors))  # type: ignore[arg-type]
    return ruler


def analyse(text: str, actors: tuple[KnownActor, ...]) -> tuple[list[Sentence], list[Mention]]:
    """The text's sentences (never across a line break) and its known-actor mentions."""
    nlp = blank_pipeline()
    doc: Doc = nlp(text)
    if actors:
        doc = _ruler(actors)(doc)
    mentions = [Mention(ent.start_char, ent.end_char, ent.ent_id_) for ent in doc.ents]
    return _sentences(text, doc), mentions


def _sentences(text: str, doc: Doc) -> list[Sentence]:
    sentences: list[Sentence] = []
    paragraph_starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    for sent in doc.sents:
        cursor = sent.start_char
        for piece in text[sent.start_char : sent.end_char].split("\n"):
            start, end = cursor, cursor + len(piece)
            cursor = end + 1
            stripped = piece.strip()
            if not stripped:
                continue
            start += len(piece) - len(piece.lstrip())
            end = start + len(stripped)
            paragraph = sum(1 for p in paragraph_starts if p <= start) - 1
            sentences.append(Sentence(start, end, paragraph))
    return _move_opening_marks(text, sentences)


def _move_opening_marks(text: str, sentences: list[Sentence]) -> list[Sentence]:
    """The sentencizer leaves a quote's opening mark on the sentence before
    ('discussed. “At no point …'); give it to the sentence it opens."""
    fixed = list(sentences)
    for i in range(len(fixed) - 1):
        current, following = fixed[i], fixed[i + 1]
        mark = current.end - 1
        if text[mark] in '“"' and mark > current.start and text[mark - 1].isspace():
            end = len(text[current.start : mark].rstrip()) + current.start
            fixed[i] = Sentence(current.start, end, current.paragraph)
            fixed[i + 1] = Sentence(mark, following.end, following.paragraph)
    return fixed
