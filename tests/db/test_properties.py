"""Properties of fuzzy dates, over EDTF strings of levels 0 to 2 built here with the bounds,
precision and flags each one must have: days, months, years, decades, seasons 21–24,
approximate/uncertain qualifiers on the whole date (level 1) or on its parts (level 2),
intervals with open ends, and one-of/all-of sets with ranges in them.

For every such string, ``FuzzyDate.parse`` keeps the string as given, its earliest day is
never after its latest, its precision is the coarsest of its parts, and it overlaps its own
range. Any other string is an ``InvalidFuzzyDate`` or a date with the same invariants, never
another exception.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claimgraph.db.fuzzy_dates import DatePrecision, FuzzyDate, InvalidFuzzyDate
from tests.support.generated import examples

#: Deterministic runs (the edtf library's parser takes milliseconds a string, so examples
#: are counted): the main properties get 200 strings each, the side ones 40 (in CI; see
#: tests/support/generated.py).
PROPERTIES = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=examples(200),
    suppress_health_check=[HealthCheck.too_slow],
)
SIDE = settings(PROPERTIES, max_examples=examples(40))

D = dt.date
ORDER = list(DatePrecision)  # finest first (RANGE, not a unit, comes only from one-of sets)


@dataclass(frozen=True)
class Expected:
    """An EDTF string and what parsing it must give."""

    edtf: str
    earliest: dt.date
    latest: dt.date
    precision: DatePrecision
    approximate: bool = False
    uncertain: bool = False


def coarsest(*precisions: DatePrecision) -> DatePrecision:
    return max(precisions, key=ORDER.index)


def last_day(year: int, month: int) -> dt.date:
    following = D(year + 1, 1, 1) if month == 12 else D(year, month + 1, 1)
    return following - dt.timedelta(days=1)


# -- the parts: plain dates, each with its bounds ---------------------------------------------

#: Years a date may name. 9999 is left out so that winter (9999-24, into 10000) stays
#: representable; that one is pinned in ``test_a_date_past_the_calendar_is_invalid``.
YEARS = st.integers(min_value=1, max_value=9998)


@st.composite
def days(draw: st.DrawFn) -> Expected:
    day = draw(st.dates(min_value=D(1, 1, 1), max_value=D(9998, 12, 31)))
    return Expected(f"{day.year:04d}-{day.month:02d}-{day.day:02d}", day, day, DatePrecision.DAY)


@st.composite
def months(draw: st.DrawFn) -> Expected:
    year, month = draw(YEARS), draw(st.integers(min_value=1, max_value=12))
    return Expected(
        f"{year:04d}-{month:02d}", D(year, month, 1), last_day(year, month), DatePrecision.MONTH
    )


@st.composite
def years(draw: st.DrawFn) -> Expected:
    year = draw(YEARS)
    return Expected(f"{year:04d}", D(year, 1, 1), D(year, 12, 31), DatePrecision.YEAR)


@st.composite
def decades(draw: st.DrawFn) -> Expected:
    """Level 1 unspecified digit: ``202X`` is 2020–2029 (the decade 000X would hold year 0)."""
    decade = draw(st.integers(min_value=1, max_value=999))
    return Expected(
        f"{decade:03d}X", D(decade * 10, 1, 1), D(decade * 10 + 9, 12, 31), DatePrecision.DECADE
    )


#: The seasons' months: spring, summer, autumn, and winter, which runs into February.
SEASON_MONTHS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 14)}


@st.composite
def seasons(draw: st.DrawFn) -> Expected:
    year, season = draw(YEARS), draw(st.sampled_from(sorted(SEASON_MONTHS)))
    first, last = SEASON_MONTHS[season]
    end = last_day(year + 1, last - 12) if last > 12 else last_day(year, last)
    return Expected(f"{year:04d}-{season}", D(year, first, 1), end, DatePrecision.SEASON)


PLAIN = st.one_of(days(), months(), years(), decades())
QUALIFIERS = st.sampled_from(["?", "~", "%"])


def flagged(date: Expected, marks: str) -> Expected:
    """``date`` with the approximate/uncertain flags its qualifier ``marks`` set."""
    return Expected(
        date.edtf,
        date.earliest,
        date.latest,
        date.precision,
        approximate=any(mark in marks for mark in "~%"),
        uncertain=any(mark in marks for mark in "?%"),
    )


@st.composite
def qualified(draw: st.DrawFn) -> Expected:
    """A day, month or year qualified as a whole (level 1: ``2024-08~``) or part by part
    (level 2: ``?2024-~08``); seasons and decades stay unqualified (EDTF has no such form)."""
    date = draw(st.one_of(days(), months(), years()))
    style = draw(st.sampled_from(["whole", "parts"]))
    if style == "whole":
        mark = draw(QUALIFIERS)
        return flagged(Expected(date.edtf + mark, date.earliest, date.latest, date.precision), mark)
    parts = date.edtf.split("-")
    marks = [draw(st.sampled_from(["", "?", "~", "%"])) for _ in parts]
    text = "-".join(mark + part for mark, part in zip(marks, parts, strict=True))
    return flagged(Expected(text, date.earliest, date.latest, date.precision), "".join(marks))


SINGLE = st.one_of(PLAIN, seasons(), qualified())


#: What a closed interval may start or end with: no decade (``0001?/001X`` and the like
#: are beyond the edtf library, which says InvalidFuzzyDate).
CLOSED_ENDS = st.one_of(days(), months(), years(), seasons(), qualified())


@st.composite
def level1(draw: st.DrawFn) -> Expected:
    """A day, month, year or season, maybe qualified as a whole: what an open interval may
    end with (the edtf library parses no level 2 part there, so ``../?2024-09`` and
    ``../201X`` are InvalidFuzzyDate: a limit of the library, not a bug of ours)."""
    date = draw(st.one_of(days(), months(), years(), seasons()))
    if date.precision is DatePrecision.SEASON or draw(st.booleans()):
        return date
    mark = draw(QUALIFIERS)
    return flagged(Expected(date.edtf + mark, date.earliest, date.latest, date.precision), mark)


@st.composite
def intervals(draw: st.DrawFn) -> Expected:
    """``start/end``, the earlier first, or with ``..`` for one open end."""
    opening = draw(st.sampled_from(["closed", "open start", "open end"]))
    if opening == "open start":
        end = draw(level1())
        text, ends, earliest, latest = f"../{end.edtf}", [end], dt.date.min, end.latest
    elif opening == "open end":
        start = draw(level1())
        text, ends, earliest, latest = f"{start.edtf}/..", [start], start.earliest, dt.date.max
    else:
        start, end = sorted(
            [draw(CLOSED_ENDS), draw(CLOSED_ENDS)], key=lambda d: (d.earliest, d.latest)
        )
        text, ends = f"{start.edtf}/{end.edtf}", [start, end]
        earliest, latest = start.earliest, end.latest
    return Expected(
        text,
        earliest,
        latest,
        coarsest(*(date.precision for date in ends)),
        approximate=any(date.approximate for date in ends),
        uncertain=any(date.uncertain for date in ends),
    )


@st.composite
def set_members(draw: st.DrawFn) -> tuple[str, list[Expected]]:
    """A member of a set: a plain date, or a range of two of one kind (``2024-01..2024-03``;
    the edtf library parses no range from a month to a day)."""
    if draw(st.booleans()):
        date = draw(PLAIN)
        return date.edtf, [date]
    kind = draw(st.sampled_from([days(), months(), years()]))
    low, high = sorted([draw(kind), draw(kind)], key=lambda date: (date.earliest, date.latest))
    return f"{low.edtf}..{high.edtf}", [low, high]


@st.composite
def sets(draw: st.DrawFn) -> Expected:
    """Level 2 sets: ``[a, b]`` is one of them, ``{a, b}`` all of them; either way the exact
    day is unknown, so the date is uncertain."""
    # One member is no set to the edtf library ("[2024]" is InvalidFuzzyDate).
    members = draw(st.lists(set_members(), min_size=2, max_size=4))
    brackets = draw(st.sampled_from(["[]", "{}"]))
    text = brackets[0] + ", ".join(text for text, _ in members) + brackets[1]
    dates = [date for _, group in members for date in group]
    return Expected(
        text,
        min(date.earliest for date in dates),
        max(date.latest for date in dates),
        # One of a set is a RANGE (no unit would be true); all of a set, its coarsest member.
        DatePrecision.RANGE if brackets == "[]" else coarsest(*(d.precision for d in dates)),
        uncertain=True,
    )


EDTF = st.one_of(SINGLE, intervals(), sets())


# -- valid strings -----------------------------------------------------------------------------


@PROPERTIES
@given(EDTF)
@example(Expected("2024-24", D(2024, 12, 1), D(2025, 2, 28), DatePrecision.SEASON))
@example(Expected("2023-24", D(2023, 12, 1), D(2024, 2, 29), DatePrecision.SEASON))
@example(Expected("../2024-09-08", dt.date.min, D(2024, 9, 8), DatePrecision.DAY))
@example(
    Expected(
        "[2024-01..2024-03]", D(2024, 1, 1), D(2024, 3, 31), DatePrecision.RANGE, uncertain=True
    )
)
def test_a_valid_edtf_string_parses_to_its_bounds_precision_and_flags(
    expected: Expected,
) -> None:
    date = FuzzyDate.parse(expected.edtf)
    assert date.edtf == expected.edtf  # kept as given
    assert date.earliest <= date.latest
    assert (date.earliest, date.latest) == (expected.earliest, expected.latest)
    assert date.precision is expected.precision  # the coarsest of its parts
    assert (date.approximate, date.uncertain) == (expected.approximate, expected.uncertain)


@PROPERTIES
@given(EDTF, st.data())
def test_a_date_overlaps_its_own_range_and_nothing_outside_it(
    expected: Expected, data: st.DataObject
) -> None:
    date = FuzzyDate.parse(expected.edtf)
    assert date.overlaps(date.earliest, date.latest)
    assert date.overlaps(None, None)
    day = data.draw(st.dates(min_value=date.earliest, max_value=date.latest), label="a day in it")
    assert date.overlaps(day, day)
    assert date.overlaps(None, day)
    assert date.overlaps(day, None)
    if date.earliest > dt.date.min:
        assert not date.overlaps(None, date.earliest - dt.timedelta(days=1))
    if date.latest < dt.date.max:
        assert not date.overlaps(date.latest + dt.timedelta(days=1), None)


@SIDE
@given(EDTF, st.text(alphabet=" \t\n", max_size=3), st.text(alphabet=" \t\n", max_size=3))
def test_surrounding_whitespace_is_dropped(expected: Expected, before: str, after: str) -> None:
    date = FuzzyDate.parse(before + expected.edtf + after)
    assert date.edtf == expected.edtf
    assert (date.earliest, date.latest) == (expected.earliest, expected.latest)


@SIDE
@given(EDTF, st.text(max_size=20), st.text(max_size=20))
def test_the_phrase_and_anchor_are_kept_as_given(
    expected: Expected, phrase: str, anchor: str
) -> None:
    date = FuzzyDate.parse(expected.edtf, phrase=phrase, anchor=anchor)
    assert (date.phrase, date.anchor) == (phrase, anchor)


# -- any other string --------------------------------------------------------------------------


def _check_any(text: str) -> None:
    """``text`` parses to a sound date, or is refused with InvalidFuzzyDate and a reason."""
    try:
        date = FuzzyDate.parse(text)
    except InvalidFuzzyDate:
        return
    assert date.edtf == text.strip()
    assert date.earliest <= date.latest
    assert date.precision in DatePrecision
    assert date.overlaps(date.earliest, date.latest)


#: Characters EDTF is made of, so that mutations stay near the grammar.
EDTF_ALPHABET = "0123456789-/.?~%[]{},X Y "


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A valid EDTF string with a few characters inserted, deleted or replaced."""
    text = list(draw(EDTF).edtf)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        where = draw(st.integers(min_value=0, max_value=len(text)))
        how = draw(st.sampled_from(["insert", "delete", "replace"]))
        character = draw(st.sampled_from(EDTF_ALPHABET))
        if how == "insert" or where == len(text):
            text.insert(where, character)
        elif how == "delete":
            del text[where]
        else:
            text[where] = character
    return "".join(text)


@settings(PROPERTIES, max_examples=examples(500))
@given(st.one_of(st.text(max_size=40), st.text(alphabet=EDTF_ALPHABET, max_size=30), mutated()))
def test_any_other_string_is_invalid_or_a_sound_date(text: str) -> None:
    _check_any(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "..",
        "../..",
        "2024-13",
        "2024-00",
        "2024-01-32",
        "2023-02-29",
        "1900-02-29",
        "0000",
        "000X",
        "2024-20",
        "2024/2023",
        "2024-09-08/2024-09-07",
        "[2024-02..2024-01]",
        "2024-21~",
        "20XX",
        "Y170000",
        "yesterday",
        "2024-09-08T10:00:00",
    ],
)
def test_a_string_that_is_no_date_is_invalid(text: str) -> None:
    with pytest.raises(InvalidFuzzyDate):
        FuzzyDate.parse(text)


def test_a_date_past_the_calendar_is_invalid() -> None:
    with pytest.raises(InvalidFuzzyDate):
        FuzzyDate.parse("9999-24")


@pytest.mark.parametrize("text", ["20X4", "X024", "1XX9", "[20X4, 2024]"])
def test_a_year_with_an_inner_unspecified_digit_is_a_date_or_invalid(text: str) -> None:
    _check_any(text)


@pytest.mark.parametrize("text", ["[..2024-09-08]", "[2024-09-08..]", "{..2024}"])
def test_a_set_with_an_open_end_is_a_date_or_invalid(text: str) -> None:
    _check_any(text)
