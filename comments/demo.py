"""Demo discussions (filled in by the discussion work)."""


def seed(people) -> None:
    return None
