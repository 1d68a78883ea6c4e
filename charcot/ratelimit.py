"""The one rate limiter: fixed windows of counters in the shared cache.

Comments, reports, address-confirmation mail, sign-ups and password-reset mail all count
here. A rule is (identity, limit, seconds): "at most `limit` per `seconds` for this
identity". `take` checks and counts in one step (with Redis: one round trip, atomic, so two
requests cannot both take a window's last place). Identities are hashed into the keys, so
the cache holds neither addresses nor names. Failed sign-ins use `accounts.throttle`, a
back-off built on the same counters.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache as default_cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .redis_cache import counters_increment, counters_increment_unless_full

PER_PERIOD = {60: "a minute", 60 * 60: "an hour", 24 * 60 * 60: "a day"}
PERIODS = {60: "minute", 60 * 60: "hour", 24 * 60 * 60: "day"}


@dataclass(frozen=True)
class Rule:
    identity: str  # e.g. "ip:<hash>", "user:12", "address:someone@example.org"
    limit: int
    seconds: int

    def describe(self) -> str:
        return f"{self.limit} per {PERIODS.get(self.seconds, f'{self.seconds} s')}"


def rules_for(identities, limits) -> list[Rule]:
    """Every (count, seconds) limit for every non-empty identity."""
    return [
        Rule(identity, count, seconds)
        for identity in identities
        if identity
        for count, seconds in limits
    ]


def _key(scope: str, rule: Rule, now: datetime) -> str:
    digest = salted_hmac("charcot.ratelimit", rule.identity, algorithm="sha256").hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}:{rule.seconds}:{int(now.timestamp() // rule.seconds)}"


def take(scope: str, rules: list[Rule], *, count: bool = True, now=None, cache=None):
    """The first rule already at its limit, or None; then, if `count`, this action is
    counted in every rule's window."""
    if not rules:
        return None
    now = now or timezone.now()
    windows = [(_key(scope, rule, now), rule.limit, rule.seconds) for rule in rules]
    full = counters_increment_unless_full(cache or default_cache, windows, count=count)
    return None if full is None else rules[full]


def exceeded(scope: str, rules: list[Rule], *, now=None, cache=None):
    """The first rule already at its limit, or None; counts nothing."""
    return take(scope, rules, count=False, now=now, cache=cache)


def record(scope: str, rules: list[Rule], *, now=None, cache=None) -> None:
    """Count one action in every rule's window, whatever the limits say."""
    if rules:
        now = now or timezone.now()
        counters_increment(
            cache or default_cache, {_key(scope, rule, now): rule.seconds for rule in rules}
        )


def message(rule: Rule, what: str = "comments") -> str:
    period = PER_PERIOD.get(rule.seconds, f"every {rule.seconds} seconds")
    return (
        f"You can send up to {rule.limit} {what} {period}. Please wait a little and send "
        "it again; your text is still here."
    )
