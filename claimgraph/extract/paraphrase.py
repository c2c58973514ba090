"""Reported speech: 'X said (that) …', '…, X said on Friday', 'according to X, …',
'…, according to X', an undated 'X has said …', and '…, adding that …' (same speaker).
A sentence may hold several ('…, an advisor revealed on Sunday, while the United States has
described it as …'): each reporting verb gets the clause it stands in."""

from __future__ import annotations

import re

from claimgraph.db.models.enums import StatementMode
from claimgraph.extract.candidates import Candidate, SpeakerPhrase
from claimgraph.extract.dates import find_dates
from claimgraph.extract.lexicon import PASSIVE_AUXILIARIES, REPORTING_VERBS
from claimgraph.extract.nlp import Mention, Sentence
from claimgraph.extract.phrases import find_according_to, find_inverted, find_subject
from claimgraph.extract.quotes import QuoteSpan

_VERBS = "|".join(sorted(REPORTING_VERBS, key=len, reverse=True))
_VERB = re.compile(rf"\b(?:{_VERBS})\b")
_ACCORDING = re.compile(r"\b[Aa]ccording to\b")
_PARTICIPLE = re.compile(
    r",\s+(?:adding|saying|noting|warning|insisting)\s+(?:that\s+)?|,?\s+but that\s+"
)
_BOUNDARY = re.compile(
    rf",\s+(?:while|whereas)\s|;\s|,\s+(?:adding|saying|noting|warning|insisting)\b"
    rf"|,?\s+but that\s|\s+and\s+(?=(?:has\s+|have\s+|also\s+)?(?:{_VERBS})\b)"
)
_DATELINE = re.compile(r"[A-Z][A-Z’' .-]{2,}(?:,[^\n]{0,80}?)?\s[-–—]\s")
_DETERMINERS = frozenset(["the", "a", "an", "its", "their", "his", "her", "new", "these", "those"])
#: Words that may follow the verb of an attribution that closes a clause ("…, X said on
#: Friday in a statement"); a finite verb there means the clause after the verb is what was said.
_TAIL_FILLERS = frozenset(["on", "in", "at", "a", "an", "the", "to"])
_FINITE = frozenset(
    [
        "was",
        "were",
        "is",
        "are",
        "would",
        "will",
        "had",
        "has",
        "have",
        "could",
        "should",
        "did",
        "does",
    ]
)
_HEADLINE = re.compile(r"^(?P<claim>.+?):\s*(?P<who>[^:]{2,40})$")


def paraphrase_candidates(
    text: str,
    sentences: list[Sentence],
    quotes: list[QuoteSpan],
    taken: list[Candidate],
    mentions: list[Mention],
) -> list[Candidate]:
    """Reported-speech candidates, skipping verbs inside quotes or in a quote's attribution."""
    masked = [(q.open, q.close + 1) for q in quotes] + [c.zone for c in taken]
    found: list[Candidate] = []
    for sentence in sentences:
        start = _clause_start(text, sentence)
        in_sentence: list[Candidate] = []
        headline = _headline(text, sentence, start)
        if headline is not None:
            in_sentence.append(headline)
        for verb in _VERB.finditer(text, start, sentence.end):
            if _inside(verb.start(), masked) or not _is_reporting(text, verb):
                continue
            made = _from_verb(text, sentence, start, verb, in_sentence, mentions)
            if made is not None:
                in_sentence.append(made)
        for match in _PARTICIPLE.finditer(text, start, sentence.end):
            if in_sentence and not _inside(match.start(), masked):
                in_sentence.append(_participle(text, sentence, start, match, in_sentence[-1]))
        for match in _ACCORDING.finditer(text, start, sentence.end):
            if not _inside(match.start(), masked):
                made = _according(text, sentence, start, match)
                in_sentence.extend([made] if made else [])
        found.extend(in_sentence)
    return found


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= position < b for a, b in spans)


def _clause_start(text: str, sentence: Sentence) -> int:
    dateline = _DATELINE.match(text, sentence.start, sentence.end)
    return dateline.end() if dateline else sentence.start


def _is_reporting(text: str, verb: re.Match[str]) -> bool:
    before = text[: verb.start()].split()[-1:] or [""]
    after = text[verb.end() :].split()[:1] or [""]
    if before[0].lower() in PASSIVE_AUXILIARIES | _DETERMINERS or after[0] == "by":
        return False
    return not (verb.group() in {"rules", "states", "notes", "claims"} and before[0].istitle())


def _clause(text: str, sentence: Sentence, start: int, position: int) -> tuple[int, int]:
    bounds = [start]
    bounds += [m.start() for m in _BOUNDARY.finditer(text, start, sentence.end)]
    bounds.append(sentence.end)
    left = max(b for b in bounds if b <= position)
    right = min(b for b in bounds if b > position)
    if left != start:  # the boundary's words (", while", " and") open this clause
        left += len(text[left:right]) - len(text[left:right].lstrip(",; "))
    return left, right


def _from_verb(
    text: str,
    sentence: Sentence,
    start: int,
    verb: re.Match[str],
    earlier: list[Candidate],
    mentions: list[Mention],
) -> Candidate | None:
    left, right = _clause(text, sentence, start, verb.start())
    speaker = find_subject(text, verb.start(), left)
    if speaker is None and earlier:
        speaker = earlier[-1].speaker  # "… and said it would"
    if speaker is None:
        speaker = _sentence_subject(mentions, sentence.start, start, verb.start())
    inverted = False
    if speaker is None:
        speaker, inverted = find_inverted(text, verb.end(), right), True
    if speaker is None:
        return None
    perfect = bool(re.search(r"\b(?:has|have)\s+(?:\w+\s+)?$", text[speaker.end : verb.start()]))
    after_clause = inverted or _attribution_last(text, speaker, verb, left, right)
    if after_clause:
        comma = text.rfind(",", left, min(speaker.start, verb.start()))
        content = (left, comma if comma > left else speaker.start)
        zone = (min(speaker.start, verb.start()), right)
        rule, confidence = "reported-speech-attribution-after", 0.75
    else:
        content = (_content_start(text, verb, right), right)
        zone = (min(left, speaker.start), content[0])  # a coordinated verb's subject is before
        rule, confidence = "reported-speech", 0.75
    return Candidate(
        mode=StatementMode.PARAPHRASE,
        rule=rule,
        confidence=confidence,
        start=left,
        end=right,
        speaker=speaker,
        verb_start=verb.start(),
        zone=zone,
        content=content,
        paragraph=sentence.paragraph,
        perfect=perfect,
        headline=sentence.paragraph == 0,
    )


def _attribution_last(
    text: str, speaker: SpeakerPhrase, verb: re.Match[str], left: int, right: int
) -> bool:
    """'…, an advisor revealed on Sunday': the verb comes after what was said."""
    before_speaker = text[left : speaker.start].rstrip()
    if not before_speaker.endswith(",") or len(before_speaker.split()) < 3:
        return False
    end = verb.end() + len(text[verb.end() : right].split(",")[0])
    tail = text[verb.end() : end]
    for phrase in reversed(find_dates(text, verb.end(), end)):
        tail = tail[: phrase.start - verb.end()] + tail[phrase.end - verb.end() :]
    words = [w for w in re.findall(r"[\w’'-]+", tail) if w.lower() not in _TAIL_FILLERS]
    return len(words) <= 3 and not _FINITE & {w.lower() for w in words}


def _content_start(text: str, verb: re.Match[str], right: int) -> int:
    that = re.match(r"[^,;“”\"]{0,60}?\bthat\s+", text[verb.end() : right])
    if that:
        return verb.end() + that.end()
    rest = text[verb.end() : right]
    return verb.end() + len(rest) - len(rest.lstrip())


def _sentence_subject(
    mentions: list[Mention], sentence_start: int, start: int, verb_start: int
) -> SpeakerPhrase | None:
    """'The Bank of Norhaven kept its rate … and warned that …': the sentence's first actor."""
    for mention in mentions:
        if start <= mention.start <= start + 4 and mention.end < verb_start:
            return SpeakerPhrase(mention.start, mention.end)
    return None


def _participle(
    text: str, sentence: Sentence, start: int, match: re.Match[str], main: Candidate
) -> Candidate:
    """'…, adding that the relations are getting stronger': the main clause's speaker."""
    left, right = _clause(text, sentence, start, match.end() - 1)
    return Candidate(
        mode=StatementMode.PARAPHRASE,
        rule="reported-speech-participle",
        confidence=0.7,
        start=left,
        end=right,
        speaker=main.speaker,
        verb_start=match.start(),
        zone=(match.start(), match.end()),
        content=(match.end(), right),
        paragraph=sentence.paragraph,
        perfect=main.perfect,
    )


def _according(text: str, sentence: Sentence, start: int, match: re.Match[str]) -> Candidate | None:
    left, right = _clause(text, sentence, start, match.start())
    speaker = find_according_to(text, match.end(), right)
    if speaker is None:
        return None
    if match.start() - left <= 1:  # "According to X, …"
        content = (speaker.end + 1, right)
    else:  # "…, according to X."
        content = (left, text.rfind(",", left, match.start()))
    return Candidate(
        mode=StatementMode.PARAPHRASE,
        rule="according-to",
        confidence=0.75,
        start=left,
        end=right,
        speaker=speaker,
        verb_start=match.start(),
        zone=(match.start(), speaker.end),
        content=content,
        paragraph=sentence.paragraph,
    )


def _headline(text: str, sentence: Sentence, start: int) -> Candidate | None:
    """'US-led coalition forces to leave Iraq before 2026: PM advisor'."""
    if sentence.paragraph != 0 or text[sentence.end - 1] in '.!?”"':
        return None
    match = _HEADLINE.match(text, start, sentence.end)
    if match is None:
        return None
    who = SpeakerPhrase(match.start("who"), match.end("who"))
    return Candidate(
        mode=StatementMode.PARAPHRASE,
        rule="headline-attribution",
        confidence=0.5,
        start=sentence.start,
        end=sentence.end,
        speaker=who,
        verb_start=match.start("who"),
        zone=(match.start("who"), sentence.end),
        content=(match.start("claim"), match.end("claim")),
        paragraph=0,
        headline=True,
    )
