"""Date phrases in a text, resolved to EDTF against the publication date or another date.

A phrase never gets more precision than it has: "last week" is one day of seven
(``[2024-09-09..2024-09-15]``), "In August" a month, "early 2021" an approximate year
(``2021~``, as the seed writes "early 2020"). The ``edtf`` library, through
:class:`~claimgraph.db.fuzzy_dates.FuzzyDate`, checks every string and gives its day bounds.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from claimgraph.db.fuzzy_dates import FuzzyDate

MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}
WEEKDAYS = {name: number for number, name in enumerate(calendar.day_name)}
NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_MONTH = "(?P<month>" + "|".join(MONTHS) + ")"
_WEEKDAY = "(?P<weekday>" + "|".join(WEEKDAYS) + ")"
_COUNT = r"(?P<count>\d{1,2}|a|one|two|three|four|five|six|seven)"
#: Words before a phrase that point it forward ("until March", "by Friday").
_FUTURE_CUES = re.compile(r"\b(?:until|by|from|before|starting|next|will \w+(?: \w+)?)\s+$", re.I)


@dataclass(frozen=True)
class DatePhrase:
    """A date phrase found in the text: where, which rule, and the match's groups."""

    start: int
    end: int
    text: str
    rule: str
    groups: dict[str, str]
    future: bool

    @property
    def relative(self) -> bool:
        """Whether it needs another dated event to resolve ("two days later")."""
        return self.rule in _RELATIVE


@functools.lru_cache(maxsize=1024)
def _parsed(edtf: str) -> FuzzyDate:
    return FuzzyDate.parse(edtf)


def fuzzy(edtf: str, *, phrase: str | None = None, anchor: str | None = None) -> FuzzyDate:
    """``FuzzyDate.parse``, cached: the edtf library's parser takes ~30 ms a string, and an
    article repeats a handful of strings."""
    return dataclasses.replace(_parsed(edtf), phrase=phrase, anchor=anchor)


def undated(published: dt.date, phrase: str | None = None) -> FuzzyDate:
    """On or before publication: what an undated "has said" gets."""
    anchor = f"Undated in the text; on or before publication ({published.isoformat()})."
    return fuzzy(f"../{published.isoformat()}", phrase=phrase, anchor=anchor)


def _one_of(first: dt.date, last: dt.date) -> str:
    return first.isoformat() if first == last else f"[{first.isoformat()}..{last.isoformat()}]"


def _month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _shift_month(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _month_year(month: int, published: dt.date, future: bool) -> int:
    """The year of a bare month name: the latest one on or before publication, or the next
    one on or after it when the phrase points forward."""
    if future:
        return published.year if month >= published.month else published.year + 1
    return published.year if month <= published.month else published.year - 1


def _week(day: dt.date, weeks: int) -> str:
    monday = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=weeks)
    return _one_of(monday, monday + dt.timedelta(days=6))


Absolute = Callable[[dict[str, str], dt.date, bool], str | None]


def _weekday(g: dict[str, str], p: dt.date, future: bool) -> str:
    back = (p.weekday() - WEEKDAYS[g["weekday"]]) % 7
    if g.get("last"):
        back = back or 7
    if future and not g.get("last"):
        return (p + dt.timedelta(days=(WEEKDAYS[g["weekday"]] - p.weekday()) % 7)).isoformat()
    return (p - dt.timedelta(days=back)).isoformat()


def _day_month(g: dict[str, str], p: dt.date, future: bool) -> str | None:
    month = MONTHS[g["month"]]
    year = int(g["year"]) if g.get("year") else _month_year(month, p, future)
    try:
        day = dt.date(year, month, int(g["day"]))
    except ValueError:
        return None  # "31 February": not a day, so no date rather than a wrong one
    if not g.get("year") and not future and day > p:
        day = day.replace(year=year - 1)  # "on 28 September" in a story of 8 September
    return day.isoformat()


def _month_name(g: dict[str, str], p: dt.date, future: bool) -> str:
    month = MONTHS[g["month"]]
    year = int(g["year"]) if g.get("year") else _month_year(month, p, future)
    return _month(year, month)


def _rough_year(g: dict[str, str], p: dt.date, future: bool) -> str:
    return f"{g['year']}~"


def _year(g: dict[str, str], p: dt.date, future: bool) -> str:
    year = int(g["year"])
    return str(year - 1 if g.get("before") else year)


_OFFSETS = {"last": -1, "previous": -1, "this": 0, "next": 1}


def _relative_unit(g: dict[str, str], p: dt.date, future: bool) -> str:
    offset, unit = _OFFSETS[g["which"].lower()], g["unit"].lower()
    if unit == "year":
        return str(p.year + offset)
    if unit == "month":
        return _month(*_shift_month(p, offset))
    return _week(p, offset)


def _earlier_this(g: dict[str, str], p: dt.date, future: bool) -> str:
    unit = g["unit"].lower()
    if unit == "week":
        first = p - dt.timedelta(days=p.weekday())
    elif unit == "month":
        first = p.replace(day=1)
    else:
        first = p.replace(month=1, day=1)
    return _one_of(first, max(first, p - dt.timedelta(days=1)))


def _deictic(g: dict[str, str], p: dt.date, future: bool) -> str:
    shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[g["word"].lower()]
    return (p + dt.timedelta(days=shift)).isoformat()


def _days_ago(g: dict[str, str], p: dt.date, future: bool) -> str:
    count = NUMBERS.get(g["count"].lower()) or int(g["count"])
    return (p - dt.timedelta(days=count)).isoformat()


_ABSOLUTE: tuple[tuple[str, str, Absolute], ...] = (
    ("end-of-year", r"\bthe end of (?P<which>next|this|last) (?P<unit>year)\b", _relative_unit),
    ("rough-year", r"\b(?:early|late|mid-?)\s?(?P<year>(?:19|20)\d\d)\b", _rough_year),
    ("day-month", rf"\b(?P<day>\d{{1,2}}) {_MONTH}(?:,? (?P<year>(?:19|20)\d\d))?\b", _day_month),
    ("month-day", rf"\b{_MONTH} (?P<day>\d{{1,2}})(?:, (?P<year>(?:19|20)\d\d))?\b", _day_month),
    ("month", rf"\b{_MONTH}(?: (?P<year>(?:19|20)\d\d))?\b", _month_name),
    ("earlier-this", r"\b[Ee]arlier this (?P<unit>week|month|year)\b", _earlier_this),
    (
        "relative-unit",
        r"\b(?P<which>[Ll]ast|[Tt]his|[Nn]ext) (?P<unit>week|month|year)\b",
        _relative_unit,
    ),
    ("deictic", r"\b(?P<word>[Yy]esterday|[Tt]oday|[Tt]omorrow)\b", _deictic),
    ("days-ago", rf"\b{_COUNT} days ago\b", _days_ago),
    ("weekday", rf"\b(?P<last>[Ll]ast )?{_WEEKDAY}\b", _weekday),
    (
        "year",
        r"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Oo]f|[Uu]ntil|(?P<before>[Bb]efore))"
        r" (?P<year>(?:19|20)\d\d)\b",
        _year,
    ),
)

_RELATIVE = {
    "previous-day": r"\b[Tt]he (?P<dir>previous|following|next) day\b",
    "day-before": r"\b[Tt]he day (?P<dir>before|after)\b",
    "count-later": rf"\b{_COUNT} (?P<unit>days?|weeks?) (?P<dir>later|earlier)\b",
}
_PATTERNS = [(rule, re.compile(pattern)) for rule, pattern, _ in _ABSOLUTE] + [
    (rule, re.compile(pattern, re.I if rule == "count-later" else 0))
    for rule, pattern in _RELATIVE.items()
]
_HANDLERS = {rule: handler for rule, _, handler in _ABSOLUTE}


@functools.lru_cache(maxsize=4096)  # the rules ask about the same clause several times
def _find_dates(text: str, start: int, end: int) -> tuple[DatePhrase, ...]:
    return tuple(_scan(text, start, end))


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DatePhrase]:
    """Every date phrase in ``text[start:end]``, in order, the longest where two overlap."""
    return list(_find_dates(text, start, len(text) if end is None else end))


def _scan(text: str, start: int, end: int) -> list[DatePhrase]:
    found: list[DatePhrase] = []
    taken: list[tuple[int, int]] = []
    for rule, pattern in _PATTERNS:
        for match in pattern.finditer(text, start, end):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            taken.append(match.span())
            groups = {k: v for k, v in match.groupdict().items() if v}
            future = bool(_FUTURE_CUES.search(text[max(0, match.start() - 30) : match.start()]))
            found.append(DatePhrase(*match.span(), match.group(), rule, groups, future))
    return sorted(found, key=lambda phrase: phrase.start)


def resolve(phrase: DatePhrase, published: dt.date) -> FuzzyDate | None:
    """An absolute phrase against publication; None for a relative one or an impossible day."""
    if phrase.relative:
        return None
    edtf = _HANDLERS[phrase.rule](phrase.groups, published, phrase.future)
    if edtf is None:
        return None
    anchor = f"Resolved against publication ({published.isoformat()})."
    if phrase.rule in {"day-month", "month-day", "month", "year", "rough-year"} and (
        "year" in phrase.groups
    ):
        anchor = "The text gives the year."
    return fuzzy(edtf, phrase=phrase.text, anchor=anchor)


def resolve_relative(phrase: DatePhrase, anchor: FuzzyDate) -> FuzzyDate | None:
    """A relative phrase ("the previous day") against another dated event; None when that
    event has an open end (nothing to count from)."""
    if anchor.earliest == dt.date.min or anchor.latest == dt.date.max:
        return None
    groups = phrase.groups
    sign = -1 if groups.get("dir", "").lower() in {"previous", "before", "earlier"} else 1
    count = 1
    if "count" in groups:
        count = NUMBERS.get(groups["count"].lower()) or int(groups["count"])
        if groups["unit"].lower().startswith("week"):
            count *= 7
    shift = dt.timedelta(days=sign * count)
    edtf = _one_of(anchor.earliest + shift, anchor.latest + shift)
    note = f"Counted from {anchor.phrase or anchor.edtf} ({anchor.edtf}), not from publication."
    return fuzzy(edtf, phrase=phrase.text, anchor=note)
