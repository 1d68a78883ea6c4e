"""Salted IP hashes: rate limits, reports and bans need a stable key, never the address."""

import hashlib
import hmac

from django.conf import settings

HASH_LENGTH = 32


def hash_ip(ip: str) -> str:
    """HMAC-SHA256 of the address with SECRET_KEY, so a leaked hash cannot be reversed."""
    if not ip:
        return ""
    digest = hmac.new(settings.SECRET_KEY.encode(), ip.strip().encode(), hashlib.sha256)
    return digest.hexdigest()[:HASH_LENGTH]


def ip_hash(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is trivially forged unless a trusted proxy sets it.
    return hash_ip(request.META.get("REMOTE_ADDR", ""))
