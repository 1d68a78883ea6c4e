"""A small cache-based limiter for failed sign-ins, per IP address and per account.

(Plus simple per-address quotas for sign-ups and password-reset emails.)

Below the soft limit nothing happens. From the soft limit on, each attempt must wait a
delay that doubles with every failure; at the hard limit sign-in is refused until the
failures age out of the window. Nothing ever sleeps: a refused attempt is answered at
once with a message saying how long to wait, so an attacker cannot tie up workers.
"""

import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from . import conf

KEY_PREFIX = "login-failures"
clock = time.time  # replaced in tests to move time forward


@dataclass(frozen=True)
class Limit:
    scope: str
    soft: int
    hard: int


ACCOUNT = Limit("account", conf.LOGIN_ACCOUNT_SOFT_LIMIT, conf.LOGIN_ACCOUNT_HARD_LIMIT)
IP = Limit("ip", conf.LOGIN_IP_SOFT_LIMIT, conf.LOGIN_IP_HARD_LIMIT)
SIGNUP = Limit("signup", conf.SIGNUPS_PER_IP, conf.SIGNUPS_PER_IP)
RESET = Limit("reset", conf.RESETS_PER_IP, conf.RESETS_PER_IP)


def _key(limit: Limit, value: str) -> str:
    # Hashed so the cache holds neither addresses nor usernames.
    digest = salted_hmac(
        "accounts.throttle", f"{limit.scope}:{value}", algorithm="sha256"
    ).hexdigest()[:32]
    return f"{KEY_PREFIX}:{limit.scope}:{digest}"


def _subjects(*, ip: str, username: str) -> list[tuple[Limit, str]]:
    subjects = []
    if ip:
        subjects.append((IP, ip))
    if username:
        subjects.append((ACCOUNT, username.strip().casefold()))
    return subjects


def wait_seconds(*, ip: str, username: str, now: float | None = None) -> int:
    """Seconds before another sign-in attempt is allowed; 0 means go ahead."""
    now = clock() if now is None else now
    longest = 0.0
    for limit, value in _subjects(ip=ip, username=username):
        key = _key(limit, value)
        records = cache.get_many([key, key + ":last"])
        count, last = records.get(key, 0), records.get(key + ":last", now)
        if count >= limit.hard:
            until = last + conf.LOGIN_WINDOW_SECONDS
        elif count >= limit.soft:
            delay = conf.LOGIN_BASE_DELAY_SECONDS * 2 ** (count - limit.soft)
            until = last + min(delay, conf.LOGIN_WINDOW_SECONDS)
        else:
            continue
        longest = max(longest, until - now)
    return max(0, math.ceil(longest))


def record_failure(*, ip: str, username: str, now: float | None = None) -> None:
    now = clock() if now is None else now
    for limit, value in _subjects(ip=ip, username=username):
        key = _key(limit, value)
        # add + incr count atomically (Redis and local memory), so parallel guesses all count.
        cache.add(key, 0, timeout=conf.LOGIN_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=conf.LOGIN_WINDOW_SECONDS)
        cache.touch(key, timeout=conf.LOGIN_WINDOW_SECONDS)
        cache.set(key + ":last", now, timeout=conf.LOGIN_WINDOW_SECONDS)


def record_success(*, username: str) -> None:
    """Forget the account's failures. The IP's stay: one good password must not reset them."""
    key = _key(ACCOUNT, username.strip().casefold())
    cache.delete_many([key, key + ":last"])


def quota_exhausted(limit: Limit, *, ip: str) -> bool:
    """True when this address already used its share of an action (sign-ups, reset emails)."""
    return bool(ip) and (cache.get(_key(limit, ip)) or 0) >= limit.hard


def quota_record(limit: Limit, *, ip: str, window: int) -> None:
    if ip:
        key = _key(limit, ip)
        cache.add(key, 0, timeout=window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)


def client_ip(request) -> str:
    # REMOTE_ADDR only: forwarded headers can be forged. Behind a proxy, have the proxy or
    # the WSGI server set REMOTE_ADDR to the client's address.
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def describe_wait(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minutes"
