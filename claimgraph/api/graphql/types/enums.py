"""The GraphQL enums, with a description for every value (the IDE's docs pane is the manual)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="How fine a fuzzy date is.")
class DatePrecision(Enum):
    DAY = strawberry.enum_value("DAY", description="A single day.")
    MONTH = strawberry.enum_value("MONTH", description='A month: "In August".')
    SEASON = strawberry.enum_value(
        "SEASON", description="A season, quarter or half of a year (EDTF 21–41)."
    )
    YEAR = strawberry.enum_value("YEAR", description='A year: "in 2019".')
    DECADE = strawberry.enum_value("DECADE", description='A decade: "in the 2010s" (201X).')
    RANGE = strawberry.enum_value(
        "RANGE",
        description="One date that the text leaves among several, known only to lie between "
        '`earliest` and `latest` (an EDTF one-of set): "The previous day" of a statement dated '
        "only to August is `[2024-07-31..2024-08-30]`. Show the range, never a single day.",
    )


@strawberry.enum(description="How a source reports a statement.")
class StatementMode(Enum):
    DIRECT_QUOTE = strawberry.enum_value(
        "DIRECT_QUOTE", description="The speaker's own words, in quotation marks in the source."
    )
    PARAPHRASE = strawberry.enum_value(
        "PARAPHRASE", description="The source's report of what the speaker said."
    )
    BACKGROUND = strawberry.enum_value(
        "BACKGROUND",
        description="The publisher's own account; the speaker is the publisher.",
    )


@strawberry.enum(description="How one statement bears on another.")
class RelationKind(Enum):
    CONTRADICTS = strawberry.enum_value(
        "CONTRADICTS", description="The two statements cannot both be true."
    )
    SUPPORTS = strawberry.enum_value("SUPPORTS", description="One statement backs the other.")
    ELABORATES = strawberry.enum_value(
        "ELABORATES", description="One statement adds detail to the other."
    )


@strawberry.enum(description="Which end of a stored relation this statement is at.")
class RelationDirection(Enum):
    OUTGOING = strawberry.enum_value(
        "OUTGOING",
        description='This statement is the subject: "this statement CONTRADICTS `statement`".',
    )
    INCOMING = strawberry.enum_value(
        "INCOMING",
        description='This statement is the object: "`statement` CONTRADICTS this statement".',
    )


@strawberry.enum(description="What kind of actor this is.")
class ActorKind(Enum):
    PERSON = strawberry.enum_value("PERSON", description="A person.")
    GOVERNMENT = strawberry.enum_value(
        "GOVERNMENT", description='A national government ("Baghdad", "Washington").'
    )
    GOVERNMENT_BODY = strawberry.enum_value(
        "GOVERNMENT_BODY", description="A ministry, department, commission or office."
    )
    MILITARY_FORCE = strawberry.enum_value(
        "MILITARY_FORCE", description="An army, a national force or a state-sanctioned force."
    )
    COALITION = strawberry.enum_value("COALITION", description="An alliance of states.")
    ARMED_GROUP = strawberry.enum_value(
        "ARMED_GROUP", description="A non-state armed group or militia."
    )
    NEWS_ORGANIZATION = strawberry.enum_value(
        "NEWS_ORGANIZATION", description="A publisher of news."
    )
    OTHER = strawberry.enum_value("OTHER", description="Anything else.")


@strawberry.enum(description="What kind of document a source is.")
class SourceKind(Enum):
    NEWS_ARTICLE = strawberry.enum_value("NEWS_ARTICLE", description="A news report.")
    PRESS_BRIEFING = strawberry.enum_value(
        "PRESS_BRIEFING", description="A transcript of a press briefing."
    )
    OFFICIAL_STATEMENT = strawberry.enum_value(
        "OFFICIAL_STATEMENT", description="A statement issued by an official body."
    )
    INTERVIEW = strawberry.enum_value("INTERVIEW", description="An interview transcript.")
    OTHER = strawberry.enum_value("OTHER", description="Any other document.")


@strawberry.enum(description="Where an agreement stands, as the sources tell it.")
class AgreementStatus(Enum):
    PROPOSED = strawberry.enum_value("PROPOSED", description="Put forward, not yet negotiated.")
    NEGOTIATING = strawberry.enum_value("NEGOTIATING", description="Under negotiation.")
    REPORTED = strawberry.enum_value(
        "REPORTED", description="Reported as reached by one side, not confirmed by the other."
    )
    DISPUTED = strawberry.enum_value(
        "DISPUTED", description="Reported by one side and denied or contested by another."
    )
    CONFIRMED = strawberry.enum_value("CONFIRMED", description="Confirmed by all parties.")
    SIGNED = strawberry.enum_value("SIGNED", description="Signed by the parties.")
    IN_EFFECT = strawberry.enum_value("IN_EFFECT", description="In force.")
    ENDED = strawberry.enum_value("ENDED", description="No longer in force.")


@strawberry.enum(description="How a fuzzy date must sit in a date range to match it.")
class DateMatch(Enum):
    OVERLAPS = strawberry.enum_value(
        "OVERLAPS",
        description="The date may fall in the range: some day it can denote is in the range. "
        'An undated "on or before" date overlaps every range that starts before its end.',
    )
    WITHIN = strawberry.enum_value(
        "WITHIN",
        description="The date certainly falls in the range: every day it can denote is in it.",
    )


@strawberry.enum(description="What a list of statements is sorted by.")
class StatementOrderField(Enum):
    SAID_ON = strawberry.enum_value(
        "SAID_ON", description="When the claim was made (earliest possible day, then latest)."
    )
    REPORTED_ON = strawberry.enum_value(
        "REPORTED_ON", description="When the source published it (earliest day, then latest)."
    )
    RECORDED_AT = strawberry.enum_value(
        "RECORDED_AT", description="When this database recorded it."
    )


@strawberry.enum(description="Sort direction.")
class OrderDirection(Enum):
    ASC = strawberry.enum_value("ASC", description="Earliest first.")
    DESC = strawberry.enum_value("DESC", description="Latest first.")


@strawberry.enum(description="Where a statement stands.")
class StatementStatus(Enum):
    PUBLISHED = strawberry.enum_value("PUBLISHED", description="Public: in lists and the feed.")
    DRAFT = strawberry.enum_value(
        "DRAFT",
        description="Seen only with an EDIT key; in no list, feed, export or cache until "
        "`publishStatement`.",
    )
    RETRACTED = strawberry.enum_value(
        "RETRACTED",
        description="Withdrawn, with its reason (`retraction`) and history; `node(id:)` "
        "still answers it.",
    )
