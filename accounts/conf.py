"""Accounts settings: each knob once, with a sentence; override with CHARCOT_ACCOUNTS_<NAME>."""

from charcot.conf import settings_reader

DEFAULTS = {
    "LOGIN_ACCOUNT_SOFT_LIMIT": (
        5,
        "Failed sign-ins for one account before each further attempt must wait (doubling each time).",
    ),
    "LOGIN_ACCOUNT_HARD_LIMIT": (
        10,
        "Failed sign-ins for one account before sign-in is refused until the window ends.",
    ),
    "LOGIN_IP_SOFT_LIMIT": (
        10,
        "Failed sign-ins from one IP address before delays start (higher: offices share addresses).",
    ),
    "LOGIN_IP_HARD_LIMIT": (
        30,
        "Failed sign-ins from one IP address before sign-in from it is refused until the window ends.",
    ),
    "LOGIN_WINDOW_SECONDS": (
        15 * 60,
        "Seconds failures are remembered, which is also how long a lockout lasts.",
    ),
    "LOGIN_BASE_DELAY_SECONDS": (
        2,
        "The first delay after the soft limit, in seconds; it doubles with every further failure.",
    ),
    "SIGNUPS_PER_IP": (
        5,
        "Accounts one IP address may create per window (against scripted sign-ups).",
    ),
    "SIGNUP_WINDOW_SECONDS": (60 * 60, "Seconds the sign-up and reset-email counts are kept."),
    "RESETS_PER_IP": (
        5,
        "Password-reset emails one IP address may ask for per window (against mail bombing).",
    ),
    "AVATAR_SMALL_SIZE": (64, "Side, in pixels, of the small square avatar rendition."),
    "AVATAR_LARGE_SIZE": (256, "Side, in pixels, of the large square avatar rendition."),
    "AVATAR_MAX_BYTES": (5 * 1024 * 1024, "Largest avatar upload accepted, in bytes."),
    "AVATAR_MAX_PIXELS": (
        24_000_000,
        "Largest avatar upload accepted, in pixels (width × height), against decompression bombs.",
    ),
    "FORMER_MEMBER_NAME": (
        "former member",
        "The name shown on comments whose writer deleted their account.",
    ),
}

__getattr__ = settings_reader("CHARCOT_ACCOUNTS_", DEFAULTS)
