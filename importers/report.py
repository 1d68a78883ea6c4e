"""What an import did, counted, with every skipped or changed thing and its reason."""

from collections import Counter
from dataclasses import dataclass, field

# The order the report lists its counts in; anything else counted follows alphabetically.
ORDER = [
    "posts imported", "posts already imported", "posts failed", "pages skipped",
    "posts not public (private)", "posts not public (password-protected)",
    "comments approved", "comments pending", "comments spam", "comments removed",
    "comments already imported", "comments added to posts imported before", "pingbacks skipped", "trackbacks skipped",
    "authors created", "authors matched", "categories created", "tags created",
    "references structured", "images imported", "remote images left as links",
    "elements kept as text", "redirects",
]  # fmt: skip


@dataclass
class Report:
    dry_run: bool = False
    counts: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    fatal: str = ""

    def count(self, what: str, number: int = 1) -> None:
        self.counts[what] += number

    def note(self, message: str) -> None:
        self.notes.append(message)

    def lines(self) -> list[str]:
        head = (
            "Dry run: nothing was saved. The import would give:"
            if self.dry_run
            else "Import report:"
        )
        lines = [head]
        names = [name for name in ORDER if self.counts[name]]
        names += sorted(name for name in self.counts if name not in ORDER and self.counts[name])
        lines += [f"  {self.counts[name]:>8,}  {name}" for name in names]
        if not names:
            lines.append("  nothing to import")
        if self.failures:
            lines.append("Failed (nothing of these was saved):")
            lines += [f"  - {message}" for message in self.failures]
        if self.notes:
            lines.append("Notes:")
            lines += [f"  - {message}" for message in self.notes]
        if self.fatal:
            lines.append(f"Stopped: {self.fatal}")
        return lines

    def text(self) -> str:
        return "\n".join(self.lines())
