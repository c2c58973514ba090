"""Finding the words that name a speaker around a reporting verb.

Wire copy names speakers in few shapes: "NAME said", "NAME, APPOSITIVE, said",
"ROLE, NAME, said", "TITLE NAME said", "said NAME, APPOSITIVE", "according to NAME". These
functions return the character span of the name (or description, or pronoun) and the role
words the text gives with it; :mod:`claimgraph.extract.speakers` decides who it is.
"""

from __future__ import annotations

import re

from claimgraph.extract.candidates import SpeakerPhrase
from claimgraph.extract.dates import find_dates
from claimgraph.extract.lexicon import ROLE_NOUNS, VERB_PREFIXES

#: Where a subject phrase cannot reach past (going left from its verb).
_LEFT_STOPS = re.compile(r"(?:[;:“”\"(]| [-–—] |\b(?:while|whereas|but|and|that)\s)")
_LEADING_WORDS = re.compile(r"^(?:(?:while|whereas|but|and|so|then|also)\s+)+", re.I)
_RELATIVE = re.compile(r"^(?:which|who|whose|whom|where|led by)\b")
_APPOSITIVE = re.compile(r"^(?:a|an|the|its|his|her|their)\s|^[a-z]")
_WORD = re.compile(r"[\w’'.-]+")


def _skip_back_words(text: str, end: int, floor: int) -> int:
    """Move left over "has", "also" and a date phrase standing between subject and verb."""
    while True:
        head = text[floor:end].rstrip()
        cut = floor + len(head)
        match = re.search(r"([\w’'.-]+)$", head)
        if match and match.group(1).lower() in VERB_PREFIXES:
            end = floor + match.start(1)
            continue
        dates = [d for d in find_dates(text, floor, cut) if d.end == cut]
        if dates:
            start = dates[-1].start
            before = re.search(r"(?:\b(?:on|in|at|by|last)\s+)?$", text[floor:start])
            end = floor + (before.start() if before else start - floor)
            continue
        return cut


def _chunks(text: str, floor: int, end: int) -> list[tuple[int, int]]:
    """Comma-separated pieces of ``text[floor:end]``, nearest the verb first, stripped."""
    pieces: list[tuple[int, int]] = []
    cursor = end
    for match in reversed(list(re.finditer(",", text[floor:end]))):
        comma = floor + match.start()
        pieces.append(_strip(text, comma + 1, cursor))
        cursor = comma
    pieces.append(_strip(text, floor, cursor))
    return pieces


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    start += len(piece) - len(piece.lstrip())
    end = start + len(piece.strip())
    leading = _LEADING_WORDS.match(text[start:end])
    return (start + leading.end(), end) if leading else (start, end)


def _is_role_chunk(chunk: str) -> bool:
    words = [w.lower() for w in _WORD.findall(chunk)]
    return 0 < len(words) <= 8 and any(w.strip("’'s") in ROLE_NOUNS for w in words)


def find_subject(text: str, verb_start: int, floor: int) -> SpeakerPhrase | None:
    """The speaker named before a verb at ``verb_start``, looking no further left than
    ``floor`` (the clause start)."""
    stops = list(_LEFT_STOPS.finditer(text, floor, verb_start))
    if stops:
        floor = stops[-1].end()
    end = _skip_back_words(text, verb_start, floor)
    chunks = _chunks(text, floor, end)
    role: tuple[int, int] | None = None
    for index, (start, stop) in enumerate(chunks):
        piece = text[start:stop]
        if not piece:
            if index == 0:
                continue
            return None
        if _RELATIVE.match(piece):
            continue
        if index > 0 and role is None and _APPOSITIVE.match(piece) and index + 1 < len(chunks):
            role = (start, stop)
            continue
        if role is None and index + 1 < len(chunks):
            before = chunks[index + 1]
            if index > 0 and _is_role_chunk(text[before[0] : before[1]]):
                role = before
        return SpeakerPhrase(
            start,
            stop,
            text[role[0] : role[1]] if role else None,
            role[0] if role else None,
        )
    return None


def find_inverted(text: str, verb_end: int, ceiling: int) -> SpeakerPhrase | None:
    """The speaker named after the verb: '…,” said Dr. Ines Moravec, the agency's chief
    medical officer.'"""
    rest = text[verb_end:ceiling]
    match = re.match(
        r"\s+((?:(?:Dr|Mr|Mrs|Ms|Prof)\.\s+)?[^,.;“”\"]+?)(?:,\s*([^,;“”\"]+?))?\s*(?:[.;,]|$)",
        rest,
    )
    if not match or not match.group(1)[:1].isupper():
        return None
    start = verb_end + match.start(1)
    role = match.group(2)
    role_start = verb_end + match.start(2) if role else None
    return SpeakerPhrase(start, verb_end + match.end(1), role, role_start)


def find_according_to(text: str, after: int, ceiling: int) -> SpeakerPhrase | None:
    """The source named in "according to X" (up to the next comma or full stop)."""
    match = re.match(r"\s+([^,.;“”\"]+?)\s*(?:[.;,]|$)", text[after:ceiling])
    if not match:
        return None
    return SpeakerPhrase(after + match.start(1), after + match.end(1))
