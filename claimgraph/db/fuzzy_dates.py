"""Fuzzy dates: an EDTF string (ISO 8601-2) with the day range it can denote.

Parsing is the ``edtf`` library's; this module only turns its objects into the columns we
store and query: earliest and latest day, precision, and the approximate/uncertain flags.
"""

import datetime as dt
import functools
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from edtf import parse_edtf
from edtf.parser import parser_classes as edtf_classes


class DatePrecision(StrEnum):
    """How fine the date is: the units finest first, then RANGE."""

    DAY = "DAY"
    MONTH = "MONTH"
    SEASON = "SEASON"
    YEAR = "YEAR"
    DECADE = "DECADE"
    #: Not a unit: one date the text leaves among several (an EDTF one-of set, "[a..b]"),
    #: known only to lie between earliest and latest. A unit here would pass for a known day.
    RANGE = "RANGE"


_PRECISION_ORDER = list(DatePrecision)
_LIBRARY_PRECISION = {
    "day": DatePrecision.DAY,
    "month": DatePrecision.MONTH,
    "season": DatePrecision.SEASON,
    "year": DatePrecision.YEAR,
    "decade": DatePrecision.DECADE,
}


# An EDTF set ("one of" / "all of") leaves the exact day unknown: we flag it uncertain.
_SETS = (edtf_classes.OneOfASet, edtf_classes.MultipleDates)


#: The library's parser (pyparsing) takes ~30 ms a string; a seed file or a draft repeats a
#: few dozen strings, so parse each once per process. Callers only read the parsed objects.
_parse_edtf = functools.lru_cache(maxsize=4096)(parse_edtf)


class InvalidFuzzyDate(ValueError):
    """An EDTF string that the library cannot parse or that denotes no day range."""


@dataclass(frozen=True)
class FuzzyDate:
    """A date as a text gives it. ``earliest``/``latest`` bound every day it can denote.

    An open end (EDTF ``..``, "on or before") is ``date.min`` or ``date.max``. The bounds are
    those of the date as written; ``~`` (approximate) and ``?`` (uncertain) are flags on top.
    """

    edtf: str
    earliest: dt.date
    latest: dt.date
    precision: DatePrecision
    approximate: bool
    uncertain: bool
    phrase: str | None = None
    anchor: str | None = None

    @classmethod
    def parse(
        cls, edtf: str, *, phrase: str | None = None, anchor: str | None = None
    ) -> "FuzzyDate":
        """Parse an EDTF string; raises :class:`InvalidFuzzyDate` with the reason."""
        text = edtf.strip()
        try:
            parsed = _parse_edtf(text)
        except Exception as error:  # the library raises its own EDTFParseException and others
            raise InvalidFuzzyDate(f"{edtf!r} is not a valid EDTF date ({error})") from error
        try:
            earliest, latest = _bounds(parsed)
            precision = _precision(parsed)
        except InvalidFuzzyDate:
            raise
        except Exception as error:  # the library fails on some valid-looking forms its own way
            raise InvalidFuzzyDate(f"{edtf!r} cannot be resolved to days ({error})") from error
        if earliest > latest:
            raise InvalidFuzzyDate(f"{edtf!r} ends before it starts ({earliest} > {latest})")
        return cls(
            edtf=text,
            earliest=earliest,
            latest=latest,
            precision=precision,
            approximate=any(mark in text for mark in "~%"),
            uncertain=any(mark in text for mark in "?%") or isinstance(parsed, _SETS),
            phrase=phrase,
            anchor=anchor,
        )

    def overlaps(self, start: dt.date | None, end: dt.date | None) -> bool:
        """Whether any day this date can denote lies in [start, end] (open where None)."""
        return (start is None or self.latest >= start) and (end is None or self.earliest <= end)


def _day(value: time.struct_time | float) -> dt.date:
    if isinstance(value, float):  # the library's ±infinity for an open end ("[..2024]")
        return dt.date.min if value < 0 else dt.date.max
    return dt.date(value.tm_year, value.tm_mon, value.tm_mday)


def _is_open(section: Any) -> bool:
    return isinstance(section, edtf_classes.UnspecifiedIntervalSection)


#: Seasons that run from December into the next year (winter, northern winter, southern
#: summer). The edtf library stops them at 31 December; we follow them into February.
_YEAR_CROSSING_SEASONS = {"24", "28", "30"}


def _bounds(parsed: Any) -> tuple[dt.date, dt.date]:
    if isinstance(parsed, edtf_classes.UncertainOrApproximate) and parsed.date is not None:
        return _bounds(parsed.date)  # the qualifier is a flag; the bounds are the date's
    if isinstance(parsed, edtf_classes.Season) and str(parsed.season) in _YEAR_CROSSING_SEASONS:
        year = parsed.lower_strict().tm_year
        march = dt.date(year + 1, 3, 1)
        return dt.date(year, 12, 1), march - dt.timedelta(days=1)
    if isinstance(parsed, edtf_classes.Interval):
        earliest = dt.date.min if _is_open(parsed.lower) else _bounds(parsed.lower)[0]
        latest = dt.date.max if _is_open(parsed.upper) else _bounds(parsed.upper)[1]
        return earliest, latest
    try:
        return _day(parsed.lower_strict()), _day(parsed.upper_strict())
    except (TypeError, ValueError, OverflowError) as error:
        raise InvalidFuzzyDate(f"{parsed} denotes no range of days ({error})") from error


def _precision(parsed: Any) -> DatePrecision:
    """The coarsest precision among the dates that make up ``parsed``."""
    if isinstance(parsed, edtf_classes.Season):
        return DatePrecision.SEASON
    if isinstance(parsed, edtf_classes.UncertainOrApproximate):
        return _precision(parsed.date)
    if isinstance(parsed, edtf_classes.Interval):
        ends = [end for end in (parsed.lower, parsed.upper) if not _is_open(end)]
        return _coarsest(_precision(end) for end in ends)
    if isinstance(parsed, edtf_classes.Consecutives):
        return _coarsest(_precision(end) for end in (parsed.lower, parsed.upper))
    if isinstance(parsed, edtf_classes.OneOfASet):
        return DatePrecision.RANGE
    if isinstance(parsed, edtf_classes.MultipleDates):
        return _coarsest(_precision(member) for member in parsed.objects)
    name = getattr(parsed, "precision", None)
    if name in _LIBRARY_PRECISION:
        return _LIBRARY_PRECISION[name]
    raise InvalidFuzzyDate(f"cannot tell the precision of {parsed}")


def _coarsest(precisions: Any) -> DatePrecision:
    found = list(precisions)
    if not found:
        raise InvalidFuzzyDate("a date with no bounded end has no precision")
    coarsest: DatePrecision = max(found, key=_PRECISION_ORDER.index)
    return coarsest
