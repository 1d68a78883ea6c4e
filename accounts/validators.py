"""Profile field validators: ORCID iDs and the few URL kinds a profile links to."""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

ORCID_PATTERN = re.compile(r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$")
ORCID_PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/")

web_url = URLValidator(schemes=["http", "https"], message="Enter a web address (http or https).")


def orcid_check_digit(base_digits: str) -> str:
    """The ISO 7064 MOD 11-2 check character ORCID uses for its first fifteen digits."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalize_orcid(value: str) -> str:
    """Accept the forms people paste (full URL, spaces, lower-case x) and return 0000-0000-0000-000X."""
    value = (value or "").strip()
    for prefix in ORCID_PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
            break
    value = value.replace(" ", "").upper()
    if re.fullmatch(r"[0-9]{15}[0-9X]", value):
        value = "-".join(value[i : i + 4] for i in range(0, 16, 4))
    return value


def validate_orcid(value: str) -> None:
    """Refuse anything that is not a well-formed ORCID iD with a correct checksum."""
    if not ORCID_PATTERN.match(value or ""):
        raise ValidationError("Enter an ORCID iD like 0000-0002-1825-0097.", code="orcid_format")
    digits = value.replace("-", "")
    if orcid_check_digit(digits[:15]) != digits[15]:
        raise ValidationError(
            "That ORCID iD’s last character does not match its checksum; please check it.",
            code="orcid_checksum",
        )


def _validate_host(value: str, hosts: tuple[str, ...], label: str) -> None:
    web_url(value)
    host = (urlsplit(value).hostname or "").lower()
    if not any(host == allowed or host.endswith("." + allowed) for allowed in hosts):
        raise ValidationError(f"Enter a {label} address (on {hosts[0]}).", code="host")


def validate_bluesky_url(value: str) -> None:
    _validate_host(value, ("bsky.app",), "Bluesky")


def validate_linkedin_url(value: str) -> None:
    _validate_host(value, ("linkedin.com",), "LinkedIn")
