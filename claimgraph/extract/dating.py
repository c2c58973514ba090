"""When each statement was made (``said_on``), from its own words or, failing that, from the
statement it continues; never from the dates inside what was said.

In order: a date phrase in the attribution ("said on Monday", "In August, the ministry
said", "said the previous day" counted from another date in the sentence); an undated "has
said" (on or before publication); the same speaker's statement before it on the same
occasion (no new channel: "he added", or the publisher's own interview); for a quote, the
statement before it in the paragraph whose words it gives; a headline, the statement it
heads. Anything else is undated: on or before publication."""

from __future__ import annotations

import datetime as dt

from claimgraph.db.fuzzy_dates import FuzzyDate
from claimgraph.db.models.enums import StatementMode
from claimgraph.extract.candidates import Candidate
from claimgraph.extract.dates import DatePhrase, find_dates, resolve, resolve_relative, undated
from claimgraph.extract.nlp import Sentence


class Dater:
    def __init__(self, text: str, sentences: list[Sentence], published: dt.date, publisher: str):
        self.text = text
        self.sentences = sentences
        self.published = published
        self.own_interview = f"interview with {publisher}".lower()

    def date_all(self, candidates: list[Candidate], quotes: list[tuple[int, int]]) -> None:
        """Set ``said_on`` and ``dates`` on every candidate (in text order)."""
        for index, candidate in enumerate(candidates):
            own = self._own(candidate, quotes)
            if own is not None:
                candidate.said_on, candidate.dated_by_text = own, True
            elif candidate.perfect:
                candidate.said_on = undated(self.published, self._verb_words(candidate))
            else:
                candidate.said_on = self._carried(candidate, candidates[:index])
            candidate.dates = self._content_dates(candidate)
        for candidate in candidates:
            if candidate.headline and not candidate.dated_by_text:
                self._date_headline(candidate, candidates)

    def _verb_words(self, candidate: Candidate) -> str:
        return self.text[candidate.verb_start :].split(" that")[0].split(",")[0][:60]

    def _own(self, candidate: Candidate, quotes: list[tuple[int, int]]) -> FuzzyDate | None:
        start, end = candidate.zone
        phrases = [
            p
            for p in find_dates(self.text, start, end)
            if not any(a <= p.start < b for a, b in quotes)
        ]
        speaker = candidate.speaker
        speaker_start, speaker_end = (speaker.start, speaker.end) if speaker else (start, start)
        after_verb = [p for p in phrases if p.start >= candidate.verb_start]
        between = [
            p
            for p in phrases
            if speaker_start <= p.start < candidate.verb_start
            and "," not in self.text[speaker_end : p.start]
        ]
        leading = [p for p in phrases if p.start < speaker_start and self._leads(p, start)]
        for phrase in [*after_verb[:1], *between[:1], *leading[-1:]]:
            resolved = self._resolve(phrase)
            if resolved is not None:
                return resolved
        return None

    def _leads(self, phrase: DatePhrase, clause_start: int) -> bool:
        """'In August, the ministry said': a date opening the clause, not one in a relative
        clause about someone else ('who visited … on Tuesday')."""
        return not self.text[clause_start : phrase.start].strip(" ,").split()[1:]

    def _resolve(self, phrase: DatePhrase) -> FuzzyDate | None:
        if not phrase.relative:
            return resolve(phrase, self.published)
        anchor = self._anchor(phrase)
        return resolve_relative(phrase, anchor) if anchor is not None else None

    def _anchor(self, phrase: DatePhrase) -> FuzzyDate | None:
        """The dated event a relative phrase counts from: in its sentence (nearest first),
        else the last in the sentence before. Never publication."""
        index = next(
            (i for i, s in enumerate(self.sentences) if s.start <= phrase.start < s.end), None
        )
        if index is None:
            return None
        sentence = self.sentences[index]
        here = [p for p in find_dates(self.text, sentence.start, sentence.end) if not p.relative]
        here.sort(key=lambda p: abs(p.start - phrase.start))
        before = []
        if index > 0:
            previous = self.sentences[index - 1]
            before = find_dates(self.text, previous.start, previous.end)
            before = [p for p in before if not p.relative][-1:]
        for candidate in [*here, *before]:
            resolved = resolve(candidate, self.published)
            if resolved is not None:
                return resolved
        return None

    def _carried(self, candidate: Candidate, earlier: list[Candidate]) -> FuzzyDate:
        for other in reversed(earlier):
            if other.resolved == candidate.resolved and self._same_occasion(candidate, other):
                assert other.said_on is not None
                return other.said_on
        if candidate.mode is StatementMode.DIRECT_QUOTE:
            for other in reversed(earlier):
                if other.paragraph == candidate.paragraph and other.said_on is not None:
                    return other.said_on
        return undated(self.published)

    def _same_occasion(self, later: Candidate, earlier: Candidate) -> bool:
        if later.channel is None or later.channel == earlier.channel:
            return True
        return later.channel.lower() == self.own_interview and earlier.channel is None

    def _date_headline(self, headline: Candidate, candidates: list[Candidate]) -> None:
        for other in candidates:
            if (
                other is not headline
                and other.resolved == headline.resolved
                and other.dated_by_text
            ):
                headline.said_on = other.said_on
                return

    def _content_dates(self, candidate: Candidate) -> list[FuzzyDate]:
        """Dates the statement's words mention ("by the end of next year"), for the editor."""
        start, end = candidate.content
        found = [self._resolve(p) for p in find_dates(self.text, start, end)]
        return [d for d in found if d is not None]
