"""External identity settings: each knob once, with a sentence, read from CHARCOT_IDENTITIES_*."""

from django.conf import settings

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


def __getattr__(name: str):
    if name not in DEFAULTS:
        raise AttributeError(name)
    return getattr(settings, f"CHARCOT_IDENTITIES_{name}", DEFAULTS[name][0])
