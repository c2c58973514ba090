"""What a rule finds before speakers and dates are resolved: a span of the text that reports
someone's words, and the words that name the speaker."""

from __future__ import annotations

from dataclasses import dataclass, field

from claimgraph.db.fuzzy_dates import FuzzyDate
from claimgraph.db.models.enums import StatementMode


@dataclass(frozen=True)
class SpeakerPhrase:
    """The words naming a speaker: ``start``/``end`` bound the noun phrase ("Lena Varga",
    "the spokeswoman", "He"); ``role`` is the title or appositive the text gives with it."""

    start: int
    end: int
    role: str | None = None
    role_start: int | None = None


@dataclass
class Candidate:
    """A statement found by a rule. ``speaker`` is None when the rule takes the speaker of
    the statement before (a quote standing alone after its speaker's sentence)."""

    mode: StatementMode
    rule: str
    confidence: float
    start: int  # excerpt
    end: int
    speaker: SpeakerPhrase | None
    verb_start: int  # where the reporting words are, for dates and channels
    zone: tuple[int, int]  # the attribution: where the date of saying is looked for
    content: tuple[int, int]  # what was said (the quote, or the reported clause)
    paragraph: int
    perfect: bool = False  # "has said": undated unless the text dates it
    headline: bool = False
    quote: tuple[int, int] | None = None
    resolved: str | None = None  # the speaker's slug, once resolved
    speaker_role: str | None = None
    human: bool = False  # the speaker is a person (for pronouns)
    channel: str | None = None
    said_on: FuzzyDate | None = None
    dated_by_text: bool = False  # said_on comes from this statement's own words
    dates: list[FuzzyDate] = field(default_factory=list)
