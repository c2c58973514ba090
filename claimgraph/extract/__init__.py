"""Assisted extraction: a new article becomes draft statements for an editor to review.

``extract(text, published=…, publisher=…, known_actors=…)`` returns a
:class:`~claimgraph.extract.model.Draft`; ``claimgraph ingest`` writes it as a seed-format
extraction file. Rules over spaCy's blank English pipeline; no model is downloaded.
docs/extraction.md says what it finds and what it misses."""

from claimgraph.extract.errors import MAX_TEXT_CHARS, ExtractError
from claimgraph.extract.extractor import extract
from claimgraph.extract.model import Draft, KnownActor, Proposal, ProposedActor

__all__ = [
    "MAX_TEXT_CHARS",
    "Draft",
    "ExtractError",
    "KnownActor",
    "Proposal",
    "ProposedActor",
    "extract",
]
