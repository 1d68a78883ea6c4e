"""Back-off for failed sign-ins, per IP address and per account.

Sign-ups and password-reset mail are plain limits (`charcot.ratelimit`); failed sign-ins
need more than a limit: below the soft limit nothing happens. From the soft limit on, each attempt must wait a
delay that doubles with every failure; at the hard limit sign-in is refused until the
failures age out of the window. Nothing ever sleeps: a refused attempt is answered at
once with a message saying how long to wait, so an attacker cannot tie up workers.
"""

import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from charcot.clientip import client_ip  # noqa: F401 (the one rule, used by the sign-in form)

from . import conf

KEY_PREFIX = "login-failures"
clock = time.time  # replaced in tests to move time forward


@dataclass(frozen=True)
class Limit:
    scope: str
    soft: int
    hard: int


def account_limit() -> Limit:
    return Limit("account", conf.LOGIN_ACCOUNT_SOFT_LIMIT, conf.LOGIN_ACCOUNT_HARD_LIMIT)


def ip_limit() -> Limit:
    return Limit("ip", conf.LOGIN_IP_SOFT_LIMIT, conf.LOGIN_IP_HARD_LIMIT)


def _key(limit: Limit, value: str) -> str:
    # Hashed so the cache holds neither addresses nor usernames.
    digest = salted_hmac(
        "accounts.throttle", f"{limit.scope}:{value}", algorithm="sha256"
    ).hexdigest()[:32]
    return f"{KEY_PREFIX}:{limit.scope}:{digest}"


def _subjects(*, ip: str, username: str) -> list[tuple[Limit, str]]:
    subjects = []
    if ip:
        subjects.append((ip_limit(), ip))
    if username:
        subjects.append((account_limit(), username.strip().casefold()))
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
    key = _key(account_limit(), username.strip().casefold())
    cache.delete_many([key, key + ":last"])


def describe_wait(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minutes"
