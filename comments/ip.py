"""Salted IP hashes: rate limits, reports and bans need a stable key, never the address."""

import hashlib
import hmac
import ipaddress

from django.conf import settings

from . import moderation_conf

HASH_LENGTH = 32


def hash_ip(ip: str) -> str:
    """HMAC-SHA256 of the address with SECRET_KEY, so a leaked hash cannot be reversed."""
    if not ip:
        return ""
    digest = hmac.new(settings.SECRET_KEY.encode(), ip.strip().encode(), hashlib.sha256)
    return digest.hexdigest()[:HASH_LENGTH]


def client_ip(request) -> str:
    """The reader's address: REMOTE_ADDR, or the entry our own proxies added to X-Forwarded-For.

    Only entries appended by trusted proxies count: anything further left is what the
    client sent and can be forged.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = moderation_conf.CLIENT_IP_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def ip_hash(request) -> str:
    return hash_ip(client_ip(request))
