"""External identity settings: each knob once, with a sentence; override with
CHARCOT_IDENTITIES_<NAME>. (The providers themselves are SOCIALACCOUNT_PROVIDERS, set from
the environment in charcot/settings/base.py.)"""

from charcot.conf import settings_reader

DEFAULTS = {
    "DRAFT_MAX_AGE_SECONDS": (
        60 * 60,
        "How long a comment typed before an external sign-in waits for its writer to return.",
    ),
    "DRAFT_MAX_CHARS": (
        20_000,
        "The longest draft kept across a sign-in (the comment form itself says how long a "
        "comment may be).",
    ),
}

__getattr__ = settings_reader("CHARCOT_IDENTITIES_", DEFAULTS)
