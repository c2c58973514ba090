"""FuzzyDate: a date as the text gives it, with the range of days it can mean."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from claimgraph.api.graphql.declare import column
from claimgraph.api.graphql.types.enums import DatePrecision


@strawberry.type(
    description='A date as a source gives it: exact ("8 September 2024"), coarse ("In '
    'August"), approximate ("early 2020") or relative ("The previous day"). Filters match '
    "when [earliest, latest] overlaps the range asked for."
)
class FuzzyDate:
    edtf: str = column(
        "edtf",
        description="The date in EDTF (ISO 8601-2): `2024-09-08`, `2024-08`, `2020~` "
        "(approximate), `2024-08-14?` (uncertain), `[2024-07-31..2024-08-30]` (one day of "
        "those), `2024-01/2024-09-08` (an interval), `../2024-09-08` (on or before).",
    )
    earliest: dt.date = column(
        "earliest",
        description="The earliest day the date can denote (0001-01-01 when open before).",
    )
    latest: dt.date = column(
        "latest", description="The latest day the date can denote (9999-12-31 when open after)."
    )
    precision: DatePrecision = column(
        "precision", description="The coarsest unit the date is given in."
    )
    approximate: bool = column(
        "approximate", description='The date is approximate (EDTF `~`), e.g. "early 2020".'
    )
    uncertain: bool = column(
        "uncertain",
        description="The date is uncertain (EDTF `?`), or is one of several possible days.",
    )
    phrase: str | None = column(
        "phrase", description='The source\'s own words for the date ("The previous day").'
    )
    anchor: str | None = column(
        "anchor", description="What a relative or vague phrase was resolved against, and how."
    )

    row: strawberry.Private[Any]
