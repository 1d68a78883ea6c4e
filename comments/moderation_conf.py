"""Moderation knobs, each listed once with its default; override any with a CHARCOT_* setting.

Read them as attributes (`moderation_conf.MAX_LINKS`): every read goes through Django's
settings, so `override_settings` in tests and per-environment settings both work.
"""

from django.conf import settings

from charcot.env import env_int

DEFAULTS = {
    # Which comments wait for a moderator: "all", "first-comment" (people without a
    # previously approved comment) or "none". Signed-in authors, editors and moderators
    # are never held.
    "MODERATION_HOLD": "first-comment",
    # A comment with more links than this is held for a moderator.
    "MODERATION_MAX_LINKS": 2,
    # Words or phrases that hold a comment for a moderator (case-insensitive, whole words).
    "MODERATION_WORDS": [],
    # Words or phrases that are never allowed (case-insensitive, whole words).
    "DISALLOWED_WORDS": [],
    # Email addresses (or "@domain.example") that may not comment.
    "DISALLOWED_EMAILS": [],
    # IP addresses that may not comment (compared through the salted hash, never stored).
    "DISALLOWED_IPS": [],
    # Usernames of accounts that may not comment.
    "DISALLOWED_ACCOUNTS": [],
    # What happens to a disallowed word, email, IP or account: "spam" (stored, never shown)
    # or "refuse" (not stored; the writer sees a message).
    "DISALLOWED_ACTION": "spam",
    # A form submitted sooner than this many seconds after it was shown is a bot's.
    "MODERATION_MIN_SECONDS": 3,
    # What happens to a too-fast submission: "spam", "hold" or "refuse".
    "MODERATION_TOO_FAST_ACTION": "spam",
    # Per-person comment limits as (count, seconds) pairs, for each IP hash and each account.
    "COMMENT_RATE_LIMITS": [(5, 60), (50, 24 * 60 * 60)],
    # Markdown previews of a comment per IP hash, as (count, seconds) pairs.
    "PREVIEW_RATE_LIMITS": [(30, 60), (600, 24 * 60 * 60)],
    # The same text from the same person within this many seconds is refused as a duplicate.
    "DUPLICATE_WINDOW_SECONDS": 10 * 60,
    # Reports from this many different people send an approved comment back to pending.
    "REPORT_THRESHOLD": 3,
    # Report limits for each reporter (account or IP hash), as (count, seconds) pairs.
    "REPORT_RATE_LIMITS": [(10, 60 * 60)],
    # Days the original text of a redacted comment is kept in the moderation log.
    "REDACTION_RETENTION_DAYS": 30,
    # At most one "comments are waiting" email to moderators per this many minutes.
    "MODERATION_NOTIFY_EVERY_MINUTES": 30,
    # How many trusted proxies append to X-Forwarded-For in front of the app (0: use
    # REMOTE_ADDR). Behind one reverse proxy set 1, or every reader shares one IP hash.
    # Deployments can set it in the environment, like the other infrastructure settings.
    "CLIENT_IP_PROXY_COUNT": env_int("CHARCOT_CLIENT_IP_PROXY_COUNT", 0),
}


def __getattr__(name: str):
    try:
        default = DEFAULTS[name]
    except KeyError:
        raise AttributeError(name) from None
    return getattr(settings, f"CHARCOT_{name}", default)
