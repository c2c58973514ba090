"""What a load did, for the command's output and the tests."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class LoadReport:
    """What a load did: records inserted, updated and deleted per table, and for how many
    owners a list of linked rows (roles, terms, mentions, relations, …) was rewritten."""

    inserted: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)
    relinked: Counter[str] = field(default_factory=Counter)
    statements_by_mode: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(+self.inserted or +self.updated or +self.deleted or +self.relinked)

    def summary(self) -> str:
        modes = ", ".join(f"{k} {v}" for k, v in sorted(self.statements_by_mode.items()))
        lines = [f"seed statements by mode: {modes}"]
        if not self.changed:
            return "\n".join([*lines, "nothing changed: the database already holds this seed"])
        for label, counter in (
            ("inserted", self.inserted),
            ("updated", self.updated),
            ("deleted", self.deleted),
            ("links rewritten", self.relinked),
        ):
            if +counter:
                counts = ", ".join(f"{name} {n}" for name, n in sorted(counter.items()))
                lines.append(f"{label}: {counts}")
        return "\n".join(lines)
