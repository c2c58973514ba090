"""The extraction file format: what a curator writes for each source (validated with pydantic).

Records name each other by slug. Dates are EDTF strings, optionally with the source's own
words (``phrase``) and what a relative phrase was resolved against (``anchor``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from claimgraph.db.fuzzy_dates import FuzzyDate, InvalidFuzzyDate
from claimgraph.db.models.enums import (
    ActorKind,
    AgreementStatus,
    RelationKind,
    SourceKind,
    StatementMode,
)

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=200)]
Text = Annotated[str, StringConstraints(min_length=1)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class DateSpec(Record):
    """An EDTF date with the words it came from; a bare string is shorthand for ``edtf``."""

    edtf: Text
    phrase: str | None = None
    anchor: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"edtf": value} if isinstance(value, str) else value

    @field_validator("edtf")
    @classmethod
    def _parses(cls, value: str) -> str:
        try:
            FuzzyDate.parse(value)
        except InvalidFuzzyDate as error:
            raise ValueError(str(error)) from error
        return value

    def to_fuzzy_date(self) -> FuzzyDate:
        return FuzzyDate.parse(self.edtf, phrase=self.phrase, anchor=self.anchor)


class DraftMark(Record):
    """How ``claimgraph ingest`` found a proposal: the rule and how sure it is (0 to 1), and
    for a statement the dates its words mention. Curated files leave it out; the loader
    ignores it (an editor reviews drafts before they are published)."""

    rule: Text
    confidence: Annotated[float, Field(ge=0, le=1)]
    dates: list[DateSpec] = Field(default_factory=list)


class RoleSpec(Record):
    title: Text
    organization: Slug | None = None
    period: DateSpec | None = None
    evidence: list[Slug] = Field(default_factory=list)


class ActorSpec(Record):
    slug: Slug
    name: Text
    aliases: list[Text] = Field(default_factory=list)
    kind: ActorKind
    description: str | None = None
    country: CountryCode | None = None
    roles: list[RoleSpec] = Field(default_factory=list)
    draft: DraftMark | None = None


class SourceSpec(Record):
    slug: Slug
    kind: SourceKind
    title: Text
    text_file: Text
    content_sha256: str
    url: str | None = None
    publisher: Slug | None = None
    contributors: list[Slug] = Field(default_factory=list)
    published: DateSpec
    dateline: str | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")]

    @field_validator("content_sha256")
    @classmethod
    def _is_hex_digest(cls, value: str) -> str:
        if not _SHA256.match(value):
            raise ValueError("must be the 64 lowercase hex digits of the text's SHA-256")
        return value


class StatementSpec(Record):
    slug: Slug
    speaker: Slug
    speaker_role: str | None = None
    mode: StatementMode
    claim: Text
    quote: str | None = None
    excerpt: Text
    channel: str | None = None
    said_on: DateSpec
    reported_on: DateSpec | None = None  # default: the source's publication date
    agreements: list[Slug] = Field(default_factory=list)
    deployments: list[Slug] = Field(default_factory=list)
    events: list[Slug] = Field(default_factory=list)
    mentions: list[Slug] = Field(default_factory=list)
    draft: DraftMark | None = None

    @model_validator(mode="after")
    def _quote_inside_excerpt(self) -> StatementSpec:
        if self.mode is StatementMode.DIRECT_QUOTE and not self.quote:
            raise ValueError("a DIRECT_QUOTE statement needs its quote")
        if self.quote is not None and self.quote not in self.excerpt:
            raise ValueError(f"quote {self.quote!r} does not lie inside the excerpt")
        return self


class RelationSpec(Record):
    subject: Slug
    kind: RelationKind
    object: Slug
    note: str | None = None

    @model_validator(mode="after")
    def _not_self(self) -> RelationSpec:
        if self.subject == self.object:
            raise ValueError(f"statement {self.subject!r} cannot relate to itself")
        return self


class TermSpec(Record):
    description: Text
    due: DateSpec | None = None
    evidence: list[Slug] = Field(default_factory=list)


class AgreementSpec(Record):
    slug: Slug
    title: Text
    summary: str | None = None
    status: AgreementStatus
    parties: list[Slug] = Field(default_factory=list)
    reported_on: DateSpec | None = None
    terms: list[TermSpec] = Field(default_factory=list)


class DeploymentSpec(Record):
    slug: Slug
    force: Slug
    country: CountryCode
    location: str | None = None
    personnel: Annotated[int, Field(ge=0)] | None = None
    personnel_approximate: bool = False
    as_of: DateSpec
    operation: str | None = None
    mission: str | None = None
    partners: list[Slug] = Field(default_factory=list)


class EventSpec(Record):
    slug: Slug
    title: Text
    kind: str | None = None
    occurred_on: DateSpec
    location: str | None = None
    participants: list[Slug] = Field(default_factory=list)


class ExtractionFile(Record):
    """One source and everything curated from it."""

    source: SourceSpec
    actors: list[ActorSpec] = Field(default_factory=list)
    agreements: list[AgreementSpec] = Field(default_factory=list)
    deployments: list[DeploymentSpec] = Field(default_factory=list)
    events: list[EventSpec] = Field(default_factory=list)
    statements: list[StatementSpec] = Field(default_factory=list)
    relations: list[RelationSpec] = Field(default_factory=list)
