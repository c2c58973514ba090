"""Direct quotes: the words between quotation marks (straight or curly) and who the text says
spoke them: attribution after the quote ('…,” she said'), before it ('Varga said: “…”'),
split around it ('“…,” she said, “…”'), or in the sentence before (a quote standing alone).
Quotes inside a sentence with no attribution ('described the step as a “transition”') are
the source's words, not direct quotes: they are left to the paraphrase rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimgraph.db.models.enums import StatementMode
from claimgraph.extract.candidates import Candidate, SpeakerPhrase
from claimgraph.extract.lexicon import REPORTING_VERBS
from claimgraph.extract.nlp import Sentence
from claimgraph.extract.phrases import find_according_to, find_inverted, find_subject

_PAIRS = {"“": "”", '"': '"'}
_VERB = re.compile(r"\b(?:" + "|".join(sorted(REPORTING_VERBS, key=len, reverse=True)) + r")\b")
_ACCORDING = re.compile(r"\baccording to\b", re.I)


@dataclass(frozen=True)
class QuoteSpan:
    """Quotation marks at ``open`` and ``close`` (``close`` is the paragraph's end when a
    wire-style quote runs on unclosed); ``inner`` bounds the quoted words."""

    open: int
    close: int
    inner: tuple[int, int]


def find_quotes(text: str) -> list[QuoteSpan]:
    """Every quotation in the text, paragraph by paragraph."""
    spans: list[QuoteSpan] = []
    offset = 0
    for paragraph in text.split("\n"):
        opened: tuple[int, str] | None = None
        for index, char in enumerate(paragraph):
            at = offset + index
            if opened is None and char in _PAIRS:
                opened = (at, _PAIRS[char])
            elif opened is not None and char == opened[1]:
                spans.append(_span(text, opened[0], at))
                opened = None
        if opened is not None and offset + len(paragraph) > opened[0] + 1:
            spans.append(_span(text, opened[0], offset + len(paragraph)))
        offset += len(paragraph) + 1
    return [span for span in spans if span.inner[1] > span.inner[0]]


def _span(text: str, open_at: int, close_at: int) -> QuoteSpan:
    words = text[open_at + 1 : close_at]
    start = open_at + 1 + len(words) - len(words.lstrip())
    end = open_at + 1 + len(words.rstrip().rstrip(","))
    return QuoteSpan(open_at, close_at, (start, end))


def _sentence_at(sentences: list[Sentence], position: int) -> Sentence:
    for sentence in sentences:
        if sentence.start <= position < sentence.end:
            return sentence
    return min(sentences, key=lambda s: abs(s.start - position))


def quote_candidates(
    text: str, sentences: list[Sentence], quotes: list[QuoteSpan]
) -> list[Candidate]:
    """A candidate per attributed or free-standing quote, in text order."""
    found: list[Candidate] = []
    for index, quote in enumerate(quotes):
        first = _sentence_at(sentences, quote.open)
        last = _sentence_at(sentences, max(quote.close - 1, quote.open))
        following = quotes[index + 1].open if index + 1 < len(quotes) else len(text)
        previous = found[-1] if found and found[-1].paragraph == first.paragraph else None
        candidate = _after(text, quote, first, last, following) or _before(
            text, quote, first, previous
        )
        if candidate is None and text[first.start : quote.open].strip() == "":
            candidate = _candidate(quote, first, last, None, (quote.open, quote.open), 0.6)
            candidate.rule = "quote-speaker-from-previous-sentence"
        if candidate is not None:
            found.append(candidate)
    return found


def _candidate(
    quote: QuoteSpan,
    first: Sentence,
    last: Sentence,
    speaker: SpeakerPhrase | None,
    zone: tuple[int, int],
    confidence: float,
) -> Candidate:
    return Candidate(
        mode=StatementMode.DIRECT_QUOTE,
        rule="",
        confidence=confidence,
        start=first.start,
        end=max(last.end, zone[1]),
        speaker=speaker,
        verb_start=zone[0],
        zone=zone,
        content=quote.inner,
        paragraph=first.paragraph,
        quote=quote.inner,
    )


def _after(
    text: str, quote: QuoteSpan, first: Sentence, last: Sentence, following: int
) -> Candidate | None:
    """'“…,” Lena Varga, a spokeswoman …, told reporters.' / '…,” said Dr. Ines Moravec.'"""
    if text[quote.inner[1] - 1 : quote.inner[1]] == "." and text[quote.close - 1] != ",":
        return None  # the quote is a whole sentence; what follows is another
    ceiling = min(last.end, following)
    zone_start = quote.close + 1
    verb = _VERB.search(text, zone_start, ceiling) or _ACCORDING.search(text, zone_start, ceiling)
    if verb is None or re.search(r"[.!?]\s", text[zone_start : verb.start()]):
        return None
    if verb.group().lower() == "according to":
        speaker = find_according_to(text, verb.end(), ceiling)
    else:
        speaker = find_subject(text, verb.start(), zone_start) or find_inverted(
            text, verb.end(), ceiling
        )
    if speaker is None:
        return None
    candidate = _candidate(quote, first, last, speaker, (zone_start, ceiling), 0.9)
    candidate.rule = "quote-attribution-after"
    return candidate


def _before(
    text: str, quote: QuoteSpan, first: Sentence, previous: Candidate | None
) -> Candidate | None:
    """'Varga said: “…”' and the second half of a split quote ('…,” she said, “…”')."""
    lead = text[first.start : quote.open]
    if not re.search(r"(?:[,:]|\bthat)\s*$", lead):
        return None
    if previous is not None and previous.quote is not None and previous.zone[1] >= quote.open:
        split = _candidate(quote, first, first, previous.speaker, previous.zone, 0.85)
        split.rule = "quote-split-around-attribution"
        split.start = previous.start
        return split
    verbs = list(_VERB.finditer(text, first.start, quote.open))
    if not verbs:
        return None
    speaker = find_subject(text, verbs[-1].start(), first.start)
    if speaker is None:
        return None
    candidate = _candidate(quote, first, first, speaker, (first.start, quote.open), 0.85)
    candidate.rule = "quote-attribution-before"
    return candidate
