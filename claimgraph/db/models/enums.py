"""The closed vocabularies of the domain, shared by the database, the API and the seed files."""

from enum import StrEnum


class ActorKind(StrEnum):
    PERSON = "PERSON"
    GOVERNMENT = "GOVERNMENT"
    GOVERNMENT_BODY = "GOVERNMENT_BODY"
    MILITARY_FORCE = "MILITARY_FORCE"
    COALITION = "COALITION"
    ARMED_GROUP = "ARMED_GROUP"
    NEWS_ORGANIZATION = "NEWS_ORGANIZATION"
    OTHER = "OTHER"


class SourceKind(StrEnum):
    NEWS_ARTICLE = "NEWS_ARTICLE"
    PRESS_BRIEFING = "PRESS_BRIEFING"
    OFFICIAL_STATEMENT = "OFFICIAL_STATEMENT"
    INTERVIEW = "INTERVIEW"
    OTHER = "OTHER"


class StatementMode(StrEnum):
    DIRECT_QUOTE = "DIRECT_QUOTE"
    PARAPHRASE = "PARAPHRASE"
    BACKGROUND = "BACKGROUND"


class RelationKind(StrEnum):
    CONTRADICTS = "CONTRADICTS"
    SUPPORTS = "SUPPORTS"
    ELABORATES = "ELABORATES"


class AgreementStatus(StrEnum):
    PROPOSED = "PROPOSED"
    NEGOTIATING = "NEGOTIATING"
    REPORTED = "REPORTED"
    DISPUTED = "DISPUTED"
    CONFIRMED = "CONFIRMED"
    SIGNED = "SIGNED"
    IN_EFFECT = "IN_EFFECT"
    ENDED = "ENDED"


class KeyScope(StrEnum):
    """What an API key may do: read (partners), edit (the desk), administer."""

    READ = "READ"
    EDIT = "EDIT"
    ADMIN = "ADMIN"


class StatementStatus(StrEnum):
    """Where a statement stands: published, a draft only editors see, or retracted."""

    PUBLISHED = "PUBLISHED"
    DRAFT = "DRAFT"
    RETRACTED = "RETRACTED"
