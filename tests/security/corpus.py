"""The hostile-input corpus (tests/data/hostile_inputs.json), expanded for the tests.

Large inputs are stored as a `generate` spec and built here, so the repository keeps a
48 kB file instead of megabytes.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

CORPUS_FILE = Path(__file__).resolve().parents[1] / "data" / "hostile_inputs.json"


@dataclass(frozen=True)
class HostileInput:
    id: str
    category: str
    value: str
    note: str = ""

    @property
    def is_large(self) -> bool:
        return len(self.value) > 5_000


def _generate(spec: dict) -> str:
    if "nested_list" in spec:
        marker = spec.get("marker", "-")
        return "\n".join(
            f"{'    ' * depth}{marker} item {depth}" for depth in range(spec["nested_list"])
        )
    return spec["repeat"] * spec["times"] + spec.get("suffix", "")


@cache
def load() -> tuple[HostileInput, ...]:
    """Every entry of the corpus, generated ones expanded."""
    raw = json.loads(CORPUS_FILE.read_text(encoding="utf-8"))["inputs"]
    return tuple(
        HostileInput(
            id=entry["id"],
            category=entry["category"],
            value=entry["value"] if "value" in entry else _generate(entry["generate"]),
            note=entry.get("note", ""),
        )
        for entry in raw
    )


def params(*, categories: set[str] | None = None, large: bool = True) -> list:
    """The corpus as pytest parameters, one test per input, named by the entry's id."""
    return [
        pytest.param(item, id=item.id)
        for item in load()
        if (categories is None or item.category in categories) and (large or not item.is_large)
    ]


def of(category: str, *, max_length: int | None = None) -> list[HostileInput]:
    """The inputs of one category, optionally only those short enough for a URL."""
    return [
        item
        for item in load()
        if item.category == category and (max_length is None or len(item.value) <= max_length)
    ]
