"""Dates as exports write them, read as aware UTC datetimes (or None when absent or unset)."""

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def parse_sql_utc(value: str) -> datetime | None:
    """ "2010-05-12 10:00:00" as UTC; WordPress writes "0000-00-00 00:00:00" for "not set"."""
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def parse_rfc822(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None or parsed.tzinfo is None or parsed.year < 1900:
        return None
    return parsed.astimezone(UTC)


def parse_iso(value: str) -> datetime | None:
    """Atom's RFC 3339 dates, e.g. 2010-05-12T10:00:00.000-07:00 or ...Z."""
    value = value.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def first_date(*candidates: datetime | None) -> datetime | None:
    return next((when for when in candidates if when is not None), None)
