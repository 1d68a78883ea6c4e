"""Spam waves: when bots are caught in numbers site-wide, new anonymous comments are held
for a while, moderators are told once, and the discussion says comments are being held.

The count of caught submissions (honeypot, timer, banned, disallowed) is one site-wide
rate-limit window; the wave itself is one cache key holding the moment it ends.
"""

from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from charcot import ratelimit

from . import conf, notifications, tasks

WAVE_KEY = "comments:spam-wave-until"
TOLD_KEY = "comments:spam-wave-told"
HOUR = 60 * 60


def ends_at(now=None) -> datetime | None:
    """When the current wave ends, or None when there is none."""
    until = cache.get(WAVE_KEY)
    now = now or timezone.now()
    if until is None or until <= now.timestamp():
        return None
    return datetime.fromtimestamp(until, tz=UTC)


def is_active(now=None) -> bool:
    return ends_at(now) is not None


def caught(*, now=None) -> bool:
    """Count one caught submission; more than SPAM_WAVE_PER_HOUR in the hour starts a wave.
    Returns True when this one started it."""
    now = now or timezone.now()
    rule = ratelimit.Rule("site", conf.SPAM_WAVE_PER_HOUR, HOUR)
    if ratelimit.take("spam-caught", [rule], now=now) is None or is_active(now):
        return False
    return wave_start(now=now)


def wave_start(*, minutes: int | None = None, now=None) -> bool:
    """Hold new anonymous comments for `minutes` (SPAM_WAVE_HOLD_MINUTES); moderators get
    one mail per wave. Returns True when no wave was running."""
    now = now or timezone.now()
    minutes = conf.SPAM_WAVE_HOLD_MINUTES if minutes is None else minutes
    was_active = is_active(now)
    until = now + timedelta(minutes=minutes)
    cache.set(WAVE_KEY, until.timestamp(), timeout=minutes * 60)
    if cache.add(TOLD_KEY, True, timeout=minutes * 60):
        transaction.on_commit(lambda: tasks.spam_wave_notice.enqueue(minutes=minutes))
    notifications.discussion_changed()  # the discussion now says comments are held
    return not was_active


def wave_stop() -> None:
    cache.delete_many([WAVE_KEY, TOLD_KEY])
    notifications.discussion_changed()
