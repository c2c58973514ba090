"""What the loader says when a seed file is wrong: which file, which record, what is wrong."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    record: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.record}: {self.message}"


class SeedError(Exception):
    """A seed that cannot be loaded; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the seed; nothing was loaded:\n{lines}"
        )
