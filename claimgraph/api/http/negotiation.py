"""Reading HTTP list headers with quality values (`Accept`, `Accept-Encoding`)."""

from __future__ import annotations


def qualities(header: str | None) -> list[tuple[str, float]]:
    """The items of a header like ``text/html;q=0.9, */*;q=0.1``, lower-cased, each with its
    quality (1 when not given, 0 when unreadable), in the order given; empty items dropped."""
    items: list[tuple[str, float]] = []
    for part in (header or "").split(","):
        name, *parameters = (piece.strip().lower() for piece in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if name:
            items.append((name, quality))
    return items
