"""The mutations' inputs. Each names the seed format's fields (claimgraph.seed.schema) in the
API's camelCase, and is checked by the same rules; records are named by their global IDs."""

from __future__ import annotations

from typing import Any

import strawberry

from claimgraph.api.graphql.types.enums import ActorKind, SourceKind, StatementMode

ID = strawberry.ID


@strawberry.input(description="A date as EDTF, with the source's own words for it.")
class FuzzyDateInput:
    edtf: str = strawberry.field(
        description="EDTF (ISO 8601-2): `2024-08-14`, `2024-08`, `2020~`, `2024-08-14?`, "
        "`[2024-07-31..2024-08-30]`. Vague is fine; malformed is INVALID_DATE."
    )
    phrase: str | None = strawberry.field(
        default=None, description='The source\'s own words ("The previous day").'
    )
    anchor: str | None = strawberry.field(
        default=None, description="What a relative phrase was resolved against, and how."
    )

    def spec(self) -> dict[str, Any]:
        return {"edtf": self.edtf, "phrase": self.phrase, "anchor": self.anchor}


@strawberry.input(
    description="Where a statement stands in its source: its exact `text` (which must occur "
    "once in the source; the server finds the offsets), or `start` and `end`."
)
class ExcerptInput:
    text: str | None = strawberry.field(default=None, description="The excerpt, verbatim.")
    start: int | None = strawberry.field(
        default=None, description="Its first character (code points from 0)."
    )
    end: int | None = strawberry.field(
        default=None, description="Just past its last character (exclusive)."
    )


@strawberry.input(description="A new source: its verbatim text and where it was published.")
class AddSourceInput:
    title: str = strawberry.field(description="The headline or title.")
    text: str = strawberry.field(
        description="The full text, verbatim (its SHA-256 is computed by the server)."
    )
    published_on: FuzzyDateInput = strawberry.field(description="When it was published.")
    language: str = strawberry.field(
        default="en", description="BCP 47 language tag (`en`, `ar`, `ku`)."
    )
    kind: SourceKind = strawberry.field(
        default=SourceKind.NEWS_ARTICLE, description="What kind of document it is."
    )
    url: str | None = strawberry.field(default=None, description="Where it is published.")
    publisher: ID | None = strawberry.field(default=None, description="The publisher (Actor).")
    contributors: list[ID] = strawberry.field(
        default_factory=list, description="Authors and reporters (Actors), in order."
    )
    dateline: str | None = strawberry.field(default=None, description='"BAGHDAD".')
    reason: str | None = strawberry.field(default=None, description="The edit summary.")


@strawberry.input(description="A new statement, traced to the exact words of its source.")
class CreateStatementInput:
    source: ID = strawberry.field(description="The source that reports it.")
    speaker: ID = strawberry.field(description="Who made the claim (Actor).")
    mode: StatementMode = strawberry.field(description="How the source reports it.")
    claim: str = strawberry.field(description="The claim in one neutral sentence.")
    excerpt: ExcerptInput = strawberry.field(description="The passage it comes from.")
    said_on: FuzzyDateInput = strawberry.field(description="When the speaker made the claim.")
    quote: str | None = strawberry.field(
        default=None, description="The quoted words, verbatim; must lie inside the excerpt."
    )
    speaker_role: str | None = strawberry.field(
        default=None, description="The speaker's role as the source gives it."
    )
    channel: str | None = strawberry.field(
        default=None, description='How it was made ("interview with Rudaw").'
    )
    reported_on: FuzzyDateInput | None = strawberry.field(
        default=None, description="When the source published it (default: the source's date)."
    )
    mentions: list[ID] = strawberry.field(
        default_factory=list, description="Actors it names, other than its speaker."
    )
    agreements: list[ID] = strawberry.field(default_factory=list, description="Agreements.")
    deployments: list[ID] = strawberry.field(default_factory=list, description="Deployments.")
    events: list[ID] = strawberry.field(default_factory=list, description="Events.")
    reason: str | None = strawberry.field(default=None, description="The edit summary.")
    draft: bool | None = strawberry.field(
        default=False,
        description="Keep it a DRAFT: seen only with an EDIT key, and in no list, change "
        "feed, export or cache for anyone else until `publishStatement` publishes it.",
    )


@strawberry.input(
    description="A correction: only the fields given change. Name the revision you edited "
    "(`expectedRevision`); if the statement has changed since, nothing is written and "
    "STALE_REVISION says its current revision."
)
class UpdateStatementInput:
    id: ID = strawberry.field(description="The statement.")
    expected_revision: int = strawberry.field(description="The `revision` you read and edited.")
    reason: str = strawberry.field(description="Why: the edit summary, kept in its history.")
    speaker: ID | None = strawberry.field(default=strawberry.UNSET, description="Who said it.")
    mode: StatementMode | None = strawberry.field(default=strawberry.UNSET, description="Mode.")
    claim: str | None = strawberry.field(default=strawberry.UNSET, description="The claim.")
    quote: str | None = strawberry.field(
        default=strawberry.UNSET, description="The quote (null removes it)."
    )
    excerpt: ExcerptInput | None = strawberry.field(
        default=strawberry.UNSET, description="The passage it comes from."
    )
    speaker_role: str | None = strawberry.field(
        default=strawberry.UNSET, description="The speaker's role."
    )
    channel: str | None = strawberry.field(default=strawberry.UNSET, description="The channel.")
    said_on: FuzzyDateInput | None = strawberry.field(
        default=strawberry.UNSET, description="When it was said."
    )
    reported_on: FuzzyDateInput | None = strawberry.field(
        default=strawberry.UNSET, description="When it was reported."
    )
    mentions: list[ID] | None = strawberry.field(
        default=strawberry.UNSET, description="The actors it names (the whole list)."
    )


@strawberry.input(description="Retract a statement: it stays, with its history and reason.")
class RetractStatementInput:
    id: ID = strawberry.field(description="The statement.")
    reason: str = strawberry.field(description="Why it is retracted (shown with it).")
    expected_revision: int | None = strawberry.field(
        default=None, description="The revision you read; checked when given."
    )


@strawberry.input(description="Publish a draft statement: lists, the feed and export see it.")
class PublishStatementInput:
    id: ID = strawberry.field(description="The draft statement.")
    reason: str | None = strawberry.field(default=None, description="The edit summary.")


@strawberry.input(description="A new actor.")
class CreateActorInput:
    name: str = strawberry.field(description="The usual full name.")
    kind: ActorKind = strawberry.field(description="What kind of actor.")
    aliases: list[str] = strawberry.field(default_factory=list, description="Other names.")
    description: str | None = strawberry.field(default=None, description="Who it is.")
    country: str | None = strawberry.field(
        default=None, description="ISO 3166-1 alpha-2 code (`IQ`)."
    )
    reason: str | None = strawberry.field(default=None, description="The edit summary.")


@strawberry.input(description="A correction to an actor: only the fields given change.")
class UpdateActorInput:
    id: ID = strawberry.field(description="The actor.")
    expected_revision: int = strawberry.field(description="The `revision` you read and edited.")
    reason: str = strawberry.field(description="Why: the edit summary.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="The name.")
    kind: ActorKind | None = strawberry.field(default=strawberry.UNSET, description="The kind.")
    aliases: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="The aliases (the whole list)."
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="The description."
    )
    country: str | None = strawberry.field(default=strawberry.UNSET, description="The country.")


@strawberry.input(description="A source to draft statements from, with the extractor.")
class ProposeStatementsInput:
    source: ID = strawberry.field(
        description="The source (added with `addSource`, with its publisher) to read."
    )
