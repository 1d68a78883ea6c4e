"""Bulk discussions for tests that need hundreds of comments quickly."""

import random

from demo.comments import build_discussion
from tests.factories import UserFactory


def bulk_discussion(post, *, threads: int, seed: str = "tests") -> int:
    """Several threads of realistic shape (depth up to 8); returns how many comments."""
    people = {
        "reader": UserFactory(username="bulk-reader"),
        "moderator": UserFactory(username="bulk-moderator"),
    }
    return build_discussion(post, people, threads=threads, rng=random.Random(seed))  # noqa: S311
