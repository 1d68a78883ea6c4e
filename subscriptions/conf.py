"""Mail subscription settings: every knob once, with a sentence, read from
CHARCOT_SUBSCRIPTIONS_<NAME> settings at each use (so override_settings works)."""

from charcot.conf import settings_reader

DEFAULTS = {
    "BATCH_SIZE": (200, "Mails one sending task sends over one connection to the mail server."),
    "RATE_PER_MINUTE": (600, "Most subscription mails sent in any minute, all kinds together."),
    "MAX_ATTEMPTS": (5, "Tries per mail before it is recorded as failed."),
    "RETRY_BASE_SECONDS": (
        60,
        "The wait after a first failure; it doubles after each further one.",
    ),
    "BOUNCE_AFTER": (3, "Hard failures in a row after which an address is marked as bouncing."),
    "CONFIRM_MAX_AGE": (3 * 24 * 3600, "Seconds a confirmation link keeps working."),
    "CONFIRM_MAILS_PER_DAY": (3, "Confirmation mails one address, or one network, may get a day."),
    "NEW_POST_WINDOW_HOURS": (48, "Only posts that became public this recently are mailed."),
    "DISCUSSION_EVERY_MINUTES": (60, "At most one mail per followed discussion in this time."),
    "DIGEST_WEEKDAY": (0, "Day the weekly digest of last week's posts goes out (0 is Monday)."),
    "RETENTION_DAYS": (
        30,
        "Days an unsubscribed address is kept (so it is not mailed) before deletion.",
    ),
    "STALE_CLAIM_MINUTES": (
        60,
        "A mail claimed this long ago by a worker that never finished is failed, not resent.",
    ),
    "CONTACT_LINE": (
        "",
        "The sender's postal address, printed at the foot of every mail (the law in many countries).",
    ),
}


__getattr__ = settings_reader("CHARCOT_SUBSCRIPTIONS_", DEFAULTS)
