"""The Markdown CPU bound with many more adversarial examples than the test suite runs.

    .venv/bin/python bench/markdown_cpu.py [EXAMPLES]

Prints the slowest inputs found per profile and exits non-zero if any input a form
accepts cost more than the bound (tests/security/markdown_families.CPU_BOUND_SECONDS).
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charcot.settings.test")

import django  # noqa: E402

django.setup()

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from charcot.markdown import BIO, COMMENT, POST, render_markdown  # noqa: E402
from tests.security.markdown_families import (  # noqa: E402
    BIO_LIMIT,
    COMMENT_LIMIT,
    CPU_BOUND_SECONDS,
    ISSUE_REPRODUCTIONS,
    UNITS,
    cpu_seconds,
    hostile_markdown,
    repeated,
)


def slowest(profile, max_length: int, examples: int) -> list[tuple[float, str]]:
    found: list[tuple[float, str]] = [
        (cpu_seconds(render_markdown, repeated(unit, max_length), profile), repeated(unit, 40))
        for unit in UNITS
    ]

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(text=hostile_markdown(max_length))
    def measure(text):
        found.append((cpu_seconds(render_markdown, text, profile), text))

    measure()
    return sorted(found, reverse=True)


def main() -> int:
    examples = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    over = 0
    for name, profile, limit in (("comment", COMMENT, COMMENT_LIMIT), ("bio", BIO, BIO_LIMIT)):
        results = slowest(profile, limit, examples)
        over += sum(seconds >= CPU_BOUND_SECONDS for seconds, _text in results)
        print(f"{name}: {len(results)} inputs up to {limit:,} characters, slowest:")
        for seconds, text in results[:5]:
            print(f"  {seconds * 1000:6.1f} ms  {text[:50]!r}")
    print("post (authors only, no length limit), the issue's reproductions:")
    for label, text in ISSUE_REPRODUCTIONS.items():
        seconds = cpu_seconds(render_markdown, text, POST)
        print(f"  {seconds * 1000:6.1f} ms  {label} ({len(text):,} characters)")
    print(f"{over} inputs over the {CPU_BOUND_SECONDS * 1000:.0f} ms bound")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
