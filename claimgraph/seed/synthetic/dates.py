"""Fuzzy dates for the synthetic corpus: EDTF strings to the values of their eight columns."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

from claimgraph.db.fuzzy_dates import DatePrecision, FuzzyDate

_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})$")
_DAY_SET = re.compile(r"^\[(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})\]$")
_OPEN_START = re.compile(r"^\.\./(\d{4}-\d{2}-\d{2})$")
_MONTH_TO_DAY = re.compile(r"^(\d{4})-(\d{2})/(\d{4}-\d{2}-\d{2})$")

DateColumns = tuple[str, dt.date, dt.date, str, bool, bool]
DATE_FIELDS = ("edtf", "earliest", "latest", "precision", "approximate", "uncertain")


class Dates:
    """EDTF strings to the six stored values of a :class:`FuzzyDate`, memoised.

    ``FuzzyDate.parse`` (the edtf library) costs milliseconds per string, and a million
    statements over twenty years name tens of thousands of distinct day-precision strings.
    The four high-cardinality shapes we generate (a day, a set of consecutive days, an open
    start up to a day, a month up to a day) are computed directly; a deterministic sample of
    them (every one while fewer than ``verify_all`` have been seen, then every
    ``verify_every``-th) is checked against ``FuzzyDate.parse``. Every other shape goes
    through ``FuzzyDate.parse``, whose answers are kept for the process (every corpus, and
    every test, names many of the same strings).
    """

    def __init__(self, *, verify_all: int = 400, verify_every: int = 97) -> None:
        self._memo: dict[str, DateColumns] = {}
        self._fast = 0
        self.verify_all = verify_all
        self.verify_every = verify_every
        self.parsed = 0
        self.verified = 0

    def __call__(self, edtf: str) -> DateColumns:
        found = self._memo.get(edtf)
        if found is None:
            fast = _fast_fuzzy(edtf)
            if fast is None:
                found = _parsed(edtf)
                self.parsed += 1
            else:
                self._fast += 1
                if self._fast <= self.verify_all or self._fast % self.verify_every == 0:
                    parsed = _parsed(edtf)
                    self.verified += 1
                    if parsed != fast:
                        raise AssertionError(f"fast path for {edtf!r}: {fast} != {parsed}")
                found = fast
            self._memo[edtf] = found
        return found


@cache
def date_columns(prefix: str) -> tuple[str, ...]:
    """The eight column names of a fuzzy date."""
    return tuple(f"{prefix}_{name}" for name in (*DATE_FIELDS, "phrase", "anchor"))


def date_values(
    prefix: str, value: DateColumns | None, phrase: str | None = None, anchor: str | None = None
) -> dict[str, Any]:
    """The eight column values of a fuzzy date, by column name (all None for no date)."""
    if value is None:
        return dict.fromkeys(date_columns(prefix))
    return dict(zip(date_columns(prefix), (*value, phrase, anchor), strict=True))


@cache
def _parsed(edtf: str) -> DateColumns:
    return _columns(FuzzyDate.parse(edtf))


def _columns(value: FuzzyDate) -> DateColumns:
    return (
        value.edtf,
        value.earliest,
        value.latest,
        value.precision.value,
        value.approximate,
        value.uncertain,
    )


def _fast_fuzzy(edtf: str) -> DateColumns | None:
    day = DatePrecision.DAY.value
    if found := _DAY.match(edtf):
        d = dt.date.fromisoformat(found[1])
        return (edtf, d, d, day, False, False)
    if found := _DAY_SET.match(edtf):
        lo, hi = dt.date.fromisoformat(found[1]), dt.date.fromisoformat(found[2])
        return (edtf, lo, hi, DatePrecision.RANGE.value, False, True) if lo < hi else None
    if found := _OPEN_START.match(edtf):
        return (edtf, dt.date.min, dt.date.fromisoformat(found[1]), day, False, False)
    if found := _MONTH_TO_DAY.match(edtf):
        lo = dt.date(int(found[1]), int(found[2]), 1)
        hi = dt.date.fromisoformat(found[3])
        return (edtf, lo, hi, DatePrecision.MONTH.value, False, False) if lo <= hi else None
    return None
