"""Abuse handling without keeping addresses: the one place a client IP is read and hashed."""

import hashlib
import hmac
import ipaddress

from django.conf import settings

from . import conf


def client_ip(request) -> str:
    if conf.trust_x_forwarded_for():
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def ip_hash(request) -> str:
    """A keyed hash of the client's network (/32 for IPv4, /64 for IPv6), never the address.

    IPv6 clients rotate addresses inside their /64, so hashing the network keeps bans and
    rate limits meaningful; HMAC with SECRET_KEY makes the hash useless outside this site.
    """
    raw = client_ip(request)
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return ""
    prefix = 32 if address.version == 4 else 64
    network = ipaddress.ip_network(f"{address}/{prefix}", strict=False)
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"comments.ip:{network}".encode(), hashlib.sha256
    )
    return digest.hexdigest()[:32]


def user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]
