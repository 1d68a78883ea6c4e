"""The one rule for "the client's IP", and the one place it is hashed.

Sign-in, sign-up and reset throttles, comments, reports and address confirmation all read
the address through `client_ip`, so behind the documented proxy (CHARCOT_CLIENT_IP_PROXY_COUNT)
every visitor is told apart. Rate limits, reports, bans and the stored `Comment.ip_hash` use
`hash_ip`, so an IP typed into a ban matches the comments it was seen on.
"""

import hashlib
import hmac
import ipaddress

from django.conf import settings

from . import conf

HASH_LENGTH = 32


def hash_ip(ip: str) -> str:
    """A keyed hash of the address's network (/32 for IPv4, /64 for IPv6), never the address.

    IPv6 clients rotate addresses inside their /64, so hashing the network keeps bans and
    rate limits meaningful; HMAC with SECRET_KEY makes the hash useless outside this site.
    """
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return ""
    prefix = 32 if address.version == 4 else 64
    network = ipaddress.ip_network(f"{address}/{prefix}", strict=False)
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"comments.ip:{network}".encode(), hashlib.sha256
    )
    return digest.hexdigest()[:HASH_LENGTH]


def client_ip(request) -> str:
    """The reader's address: REMOTE_ADDR, or the entry our own proxies added to X-Forwarded-For.

    Only entries appended by trusted proxies count: anything further left is what the
    client sent and can be forged.
    """
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = conf.CLIENT_IP_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",")]
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


def user_agent(request) -> str:
    return request.headers.get("user-agent", "")[:300]
