"""What a mutation says when its input is wrong: user errors, each with the path of the input
field at fault and a code, in the payload (never an exception, and nothing written)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

import strawberry
from pydantic import ValidationError


@strawberry.enum(description="What is wrong with a mutation's input.")
class UserErrorCode(Enum):
    INVALID = strawberry.enum_value("INVALID", description="A value is malformed or missing.")
    NOT_FOUND = strawberry.enum_value(
        "NOT_FOUND", description="An ID names nothing (or a record of another type)."
    )
    STALE_REVISION = strawberry.enum_value(
        "STALE_REVISION",
        description="The record has changed since `expectedRevision`: read it again (its "
        "current revision is in the message) and redo the edit.",
    )
    EXCERPT_NOT_FOUND = strawberry.enum_value(
        "EXCERPT_NOT_FOUND", description="The excerpt is not in the source's text verbatim."
    )
    EXCERPT_AMBIGUOUS = strawberry.enum_value(
        "EXCERPT_AMBIGUOUS",
        description="The excerpt occurs more than once in the source; lengthen it.",
    )
    QUOTE_OUTSIDE_EXCERPT = strawberry.enum_value(
        "QUOTE_OUTSIDE_EXCERPT", description="The quote does not lie inside the excerpt."
    )
    INVALID_DATE = strawberry.enum_value(
        "INVALID_DATE",
        description="A date is not EDTF (vague dates are welcome: `2024-08`, `2020~`, "
        "`2024-08-14?`).",
    )
    IDEMPOTENCY_KEY_REUSED = strawberry.enum_value(
        "IDEMPOTENCY_KEY_REUSED",
        description="The `Idempotency-Key` was used before for another request.",
    )


@strawberry.type(description="Something wrong with a mutation's input; nothing was written.")
class UserError:
    field: list[str] | None = strawberry.field(
        description='The path of the input field at fault (`["input", "saidOn", "edtf"]`); '
        "null when the input as a whole is."
    )
    code: UserErrorCode = strawberry.field(description="What kind of problem it is.")
    message: str = strawberry.field(description="What is wrong, in words.")


class Refused(Exception):
    """A mutation's input is wrong: its user errors; the mutation writes nothing."""

    def __init__(self, errors: list[UserError]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors


def user_error(code: UserErrorCode, message: str, *path: str | int) -> UserError:
    return UserError(field=["input", *(str(part) for part in path)], code=code, message=message)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)


#: The seed format's fields that hold dates (their errors are INVALID_DATE).
DATE_FIELDS = frozenset(
    {"said_on", "reported_on", "published", "occurred_on", "as_of", "period", "due"}
)


def spec_errors(error: ValidationError, renamed: Mapping[str, str]) -> list[UserError]:
    """A seed record's validation errors (claimgraph.seed.schema) as user errors at the input
    fields they come from: ``renamed`` maps the record's field names to the input's where
    they differ; the rest are the input's in camelCase."""
    found = []
    for detail in error.errors():
        location: list[Any] = list(detail["loc"])
        message = str(detail["msg"]).removeprefix("Value error, ")
        code = UserErrorCode.INVALID
        if location and location[0] in DATE_FIELDS:
            code = UserErrorCode.INVALID_DATE
        if not location and "quote" in message:
            location = ["quote"]
            if "inside the excerpt" in message:
                code = UserErrorCode.QUOTE_OUTSIDE_EXCERPT
        path = [
            renamed.get(part, _camel(part)) if isinstance(part, str) else part for part in location
        ]
        where = ".".join(str(part) for part in path)
        found.append(user_error(code, f"{where}: {message}" if where else message, *path))
    return found
