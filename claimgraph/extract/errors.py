"""Bad input for the extractor: one error type, each message naming what is wrong and where."""

from __future__ import annotations

import datetime as dt

#: The longest text the extractor accepts, in characters (Unicode code points). A long-read
#: feature runs to about 60,000; a bigger file is almost always the wrong file (a whole
#: archive, a PDF dump), and extraction time grows with it.
MAX_TEXT_CHARS = 200_000


class ExtractError(ValueError):
    """Input the extractor refuses; nothing has been written when this is raised."""


def decode_text(data: bytes, where: str) -> str:
    """The UTF-8 text of ``data``; ``where`` names the file in the error."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ExtractError(
            f"{where}: is not UTF-8 text (byte {error.start} is {data[error.start]:#04x}); "
            "save the article as UTF-8 and try again"
        ) from error


def check_text(text: str, where: str = "text") -> None:
    """Refuse an empty text or one over :data:`MAX_TEXT_CHARS`."""
    if not text.strip():
        raise ExtractError(f"{where}: is empty; there is nothing to extract")
    if len(text) > MAX_TEXT_CHARS:
        raise ExtractError(
            f"{where}: has {len(text):,} characters, over the limit of {MAX_TEXT_CHARS:,} "
            "(claimgraph.extract.errors.MAX_TEXT_CHARS); split it into articles"
        )


def parse_published(value: str, where: str = "--published") -> dt.date:
    """A publication date given as YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as error:
        raise ExtractError(
            f"{where}: {value!r} is not a date; give the publication day as YYYY-MM-DD"
        ) from error
