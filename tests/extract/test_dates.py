"""Dates: each phrase resolved against publication or against another date, never finer
than the text; and the date of saying kept apart from the dates in what was said."""

from __future__ import annotations

import datetime as dt

import pytest

from claimgraph.extract.dates import find_dates, resolve, resolve_relative
from tests.extract.helpers import statements

SUNDAY = dt.date(2024, 9, 8)


@pytest.mark.parametrize(
    ("phrase", "edtf"),
    [
        ("on Sunday", "2024-09-08"),  # publication's own weekday: that day
        ("on Tuesday", "2024-09-03"),
        ("last Sunday", "2024-09-01"),
        ("yesterday", "2024-09-07"),
        ("last week", "[2024-08-26..2024-09-01]"),  # one day of seven, not a day
        ("earlier this month", "[2024-09-01..2024-09-07]"),
        ("In August", "2024-08"),
        ("In October", "2023-10"),  # after publication's month: the year before
        ("until March", "2025-03"),  # pointing forward: the next March
        ("in December 2021", "2021-12"),
        ("on 28 September", "2023-09-28"),
        ("in early 2021", "2021~"),
        ("by the end of next year", "2025"),
        ("before the end of this year", "2024"),
        ("before 2026", "2025"),
        ("in 2019", "2019"),
        ("two days ago", "2024-09-06"),
    ],
)
def test_phrase_against_publication(phrase: str, edtf: str) -> None:
    (found,) = find_dates(phrase)
    resolved = resolve(found, SUNDAY)
    assert resolved is not None
    assert resolved.edtf == edtf


@pytest.mark.parametrize(
    ("anchor", "phrase", "edtf"),
    [
        ("In August", "The previous day", "[2024-07-31..2024-08-30]"),
        ("on Tuesday", "two days later", "2024-09-05"),
        ("on Tuesday", "the day before", "2024-09-02"),
    ],
)
def test_relative_phrase_counts_from_the_other_date(anchor: str, phrase: str, edtf: str) -> None:
    (base,) = find_dates(anchor)
    (relative,) = find_dates(phrase)
    resolved_base = resolve(base, SUNDAY)
    assert resolved_base is not None
    assert resolve(relative, SUNDAY) is None  # not against publication
    result = resolve_relative(relative, resolved_base)
    assert result is not None
    assert result.edtf == edtf


def said_on(text: str, published: dt.date = SUNDAY) -> list[str]:
    return [p.said_on.edtf for p in statements(text, published)]


def test_previous_day_counts_from_the_dated_event_not_publication() -> None:
    text = (
        "In August, the ports ministry said a deal was reached. "
        "The previous day, Hana Rusk denied that a deal had been discussed."
    )
    assert said_on(text) == ["2024-08", "[2024-07-31..2024-08-30]"]


def test_previous_day_counts_from_a_date_in_the_same_sentence() -> None:
    text = "Hana Rusk, who flew to Kolna on Tuesday, said the previous day that talks would resume."
    assert said_on(text) == ["2024-09-02"]


def test_dates_inside_what_was_said_are_not_the_date_of_saying() -> None:
    (proposal,) = statements("Rusk said the dam would be finished by the end of next year.", SUNDAY)
    assert proposal.said_on.edtf == "../2024-09-08"
    assert [d.edtf for d in proposal.dates] == ["2025"]


def test_he_added_carries_the_date_of_the_same_occasion() -> None:
    text = "Rusk told Meridian Wire on Sunday that talks resumed. She added that both sides agreed."
    assert said_on(text) == ["2024-09-08", "2024-09-08"]


def test_a_new_channel_is_a_new_occasion() -> None:
    text = "Rusk said on Tuesday that talks resumed.\nRusk said in a speech that both sides agreed."
    assert said_on(text) == ["2024-09-03", "../2024-09-08"]
