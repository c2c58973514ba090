"""Fuzzy dates as the Rudaw story writes them: "on Sunday", "In August", "early 2020",
"The previous day" (one day we cannot name), "has said" (on or before publication)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from claimgraph.db.fuzzy_dates import DatePrecision, FuzzyDate, InvalidFuzzyDate
from tests.support.generated import examples

D = dt.date


@pytest.mark.parametrize(
    ("edtf", "earliest", "latest", "precision"),
    [
        pytest.param("2024-09-08", D(2024, 9, 8), D(2024, 9, 8), DatePrecision.DAY, id="day"),
        pytest.param("2024-08", D(2024, 8, 1), D(2024, 8, 31), DatePrecision.MONTH, id="month"),
        pytest.param("2024-02", D(2024, 2, 1), D(2024, 2, 29), DatePrecision.MONTH, id="leap"),
        pytest.param("2023-02", D(2023, 2, 1), D(2023, 2, 28), DatePrecision.MONTH, id="feb"),
        pytest.param("2025", D(2025, 1, 1), D(2025, 12, 31), DatePrecision.YEAR, id="year"),
        pytest.param("2024-22", D(2024, 6, 1), D(2024, 8, 31), DatePrecision.SEASON, id="summer"),
        pytest.param("202X", D(2020, 1, 1), D(2029, 12, 31), DatePrecision.DECADE, id="decade"),
    ],
)
def test_a_plain_date_spans_every_day_it_names(
    edtf: str, earliest: dt.date, latest: dt.date, precision: DatePrecision
) -> None:
    date = FuzzyDate.parse(edtf)
    assert (date.edtf, date.earliest, date.latest, date.precision) == (
        edtf,
        earliest,
        latest,
        precision,
    )
    assert (date.approximate, date.uncertain) == (False, False)


def test_early_2020_is_approximately_the_year_2020() -> None:
    date = FuzzyDate.parse("2020~", phrase="early 2020", anchor="as the text gives it")
    # The bounds are those of the year as written; "~" is a flag on top, not a wider range.
    assert (date.earliest, date.latest, date.precision) == (
        D(2020, 1, 1),
        D(2020, 12, 31),
        DatePrecision.YEAR,
    )
    assert (date.approximate, date.uncertain) == (True, False)
    assert (date.phrase, date.anchor) == ("early 2020", "as the text gives it")


def test_a_day_the_source_is_unsure_of_is_uncertain_not_approximate() -> None:
    date = FuzzyDate.parse("2024-08-14?")
    assert (date.earliest, date.latest, date.precision) == (
        D(2024, 8, 14),
        D(2024, 8, 14),
        DatePrecision.DAY,
    )
    assert (date.approximate, date.uncertain) == (False, True)


def test_percent_is_both_approximate_and_uncertain() -> None:
    date = FuzzyDate.parse("2024%")
    assert (date.approximate, date.uncertain) == (True, True)


def test_the_previous_day_is_one_day_of_a_set_so_an_uncertain_range() -> None:
    # "The previous day": the day before the foreign ministry's August statement. DAY would
    # pass for a known day and MONTH for August (it may be 31 July): only the range is known.
    date = FuzzyDate.parse("[2024-07-31..2024-08-30]")
    assert (date.earliest, date.latest) == (D(2024, 7, 31), D(2024, 8, 30))
    assert date.precision is DatePrecision.RANGE
    assert (date.approximate, date.uncertain) == (False, True)


def test_all_of_a_set_keeps_the_unit_of_its_members() -> None:
    date = FuzzyDate.parse("{2024-01, 2024-03}")
    assert (date.earliest, date.latest) == (D(2024, 1, 1), D(2024, 3, 31))
    assert date.precision is DatePrecision.MONTH


def test_an_interval_takes_the_coarser_precision_of_its_ends() -> None:
    # The commission's meetings: from January 2024 up to the report of 8 September 2024.
    date = FuzzyDate.parse("2024-01/2024-09-08")
    assert (date.earliest, date.latest) == (D(2024, 1, 1), D(2024, 9, 8))
    assert date.precision is DatePrecision.MONTH
    assert (date.approximate, date.uncertain) == (False, False)


def test_on_or_before_publication_is_open_at_the_start() -> None:
    # "has said", undated: on or before the report.
    date = FuzzyDate.parse("../2024-09-08")
    assert (date.earliest, date.latest) == (dt.date.min, D(2024, 9, 8))
    assert date.precision is DatePrecision.DAY
    assert date.overlaps(D(1990, 1, 1), D(1990, 1, 1))  # any time before counts


def test_on_or_after_is_open_at_the_end() -> None:
    date = FuzzyDate.parse("2024-09-08/..")
    assert (date.earliest, date.latest) == (D(2024, 9, 8), dt.date.max)


def test_surrounding_spaces_are_not_part_of_the_date() -> None:
    assert FuzzyDate.parse("  2024-09-08\n").edtf == "2024-09-08"


@pytest.mark.parametrize(
    ("edtf", "reason"),
    [
        pytest.param("garbage", "is not a valid EDTF date", id="garbage"),
        pytest.param("", "is not a valid EDTF date", id="empty"),
        pytest.param("2024-13", "is not a valid EDTF date", id="thirteenth-month"),
        pytest.param("2024-13-45", "is not a valid EDTF date", id="thirteenth-month-day-45"),
        pytest.param("2024-02-30", "is not a valid EDTF date", id="thirtieth-of-february"),
        pytest.param("8 September 2024", "is not a valid EDTF date", id="prose"),
        pytest.param(
            "2024-09-08/2024-01-01",
            "'2024-09-08/2024-01-01' ends before it starts (2024-09-08 > 2024-01-01)",
            id="reversed-interval",
        ),
    ],
)
def test_what_is_not_a_date_is_refused_with_its_reason(edtf: str, reason: str) -> None:
    with pytest.raises(InvalidFuzzyDate) as raised:
        FuzzyDate.parse(edtf)
    assert reason in str(raised.value)
    assert repr(edtf) in str(raised.value)
    assert isinstance(raised.value, ValueError)  # pydantic turns it into a field error


def test_winter_spans_three_months_like_every_other_season() -> None:
    spans = {
        season: (date.latest - date.earliest).days + 1
        for season in ("21", "22", "23", "24")
        for date in [FuzzyDate.parse(f"2024-{season}")]
    }
    assert spans["21"] == spans["22"] == 92
    assert spans["23"] == 91
    assert spans["24"] >= 90, spans


AUGUST = FuzzyDate.parse("2024-08")  # "In August"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(D(2024, 8, 31), None, True, id="from-its-last-day"),
        pytest.param(None, D(2024, 8, 1), True, id="up-to-its-first-day"),
        pytest.param(D(2024, 9, 1), None, False, id="from-the-day-after"),
        pytest.param(None, D(2024, 7, 31), False, id="up-to-the-day-before"),
        pytest.param(D(2024, 8, 10), D(2024, 8, 12), True, id="days-inside"),
        pytest.param(D(2024, 7, 1), D(2024, 9, 30), True, id="a-range-around-it"),
        pytest.param(D(2024, 9, 1), D(2024, 9, 30), False, id="the-next-month"),
        pytest.param(None, None, True, id="open-both-ways"),
    ],
)
def test_a_month_overlaps_a_range_that_touches_any_of_its_days(
    start: dt.date | None, end: dt.date | None, expected: bool
) -> None:
    assert AUGUST.overlaps(start, end) is expected


def test_every_day_month_year_and_interval_bounds_the_days_it_names() -> None:
    """A property over any day from year 1 to 9999 (runs when hypothesis is installed)."""
    hypothesis: Any = pytest.importorskip("hypothesis")
    strategies: Any = pytest.importorskip("hypothesis.strategies")

    def check(day: dt.date, other: dt.date) -> None:
        exact = FuzzyDate.parse(day.isoformat())
        assert (exact.earliest, exact.latest, exact.precision) == (day, day, DatePrecision.DAY)

        month = FuzzyDate.parse(f"{day.year:04d}-{day.month:02d}")
        assert month.precision is DatePrecision.MONTH
        assert month.earliest == day.replace(day=1)
        assert month.latest.month == day.month
        assert month.latest.year == day.year
        assert month.latest == dt.date.max or (month.latest + dt.timedelta(days=1)).day == 1
        assert month.overlaps(day, day)

        year = FuzzyDate.parse(f"{day.year:04d}")
        assert (year.earliest, year.latest) == (D(day.year, 1, 1), D(day.year, 12, 31))

        low, high = sorted((day, other))
        interval = FuzzyDate.parse(f"{low.isoformat()}/{high.isoformat()}")
        assert (interval.earliest, interval.latest) == (low, high)
        assert interval.overlaps(day, day)
        assert interval.overlaps(other, other)
        if low != high:
            with pytest.raises(InvalidFuzzyDate, match="ends before it starts"):
                FuzzyDate.parse(f"{high.isoformat()}/{low.isoformat()}")

    dates = strategies.dates(min_value=D(1, 1, 1), max_value=D(9999, 12, 31))
    run = hypothesis.settings(max_examples=examples(50), deadline=None, derandomize=True)(
        hypothesis.given(dates, dates)(check)
    )
    run()
