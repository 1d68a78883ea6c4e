"""Accounts settings: each knob once, with its default, read from CHARCOT_* settings."""

from django.conf import settings

# Failed sign-ins for one account before each further attempt must wait (doubling each time).
LOGIN_ACCOUNT_SOFT_LIMIT = getattr(settings, "CHARCOT_LOGIN_ACCOUNT_SOFT_LIMIT", 5)
# Failed sign-ins for one account before sign-in is refused until the window ends.
LOGIN_ACCOUNT_HARD_LIMIT = getattr(settings, "CHARCOT_LOGIN_ACCOUNT_HARD_LIMIT", 10)
# Failed sign-ins from one IP address before delays start (higher: offices share addresses).
LOGIN_IP_SOFT_LIMIT = getattr(settings, "CHARCOT_LOGIN_IP_SOFT_LIMIT", 10)
# Failed sign-ins from one IP address before sign-in from it is refused until the window ends.
LOGIN_IP_HARD_LIMIT = getattr(settings, "CHARCOT_LOGIN_IP_HARD_LIMIT", 30)
# Seconds failures are remembered, which is also how long a lockout lasts.
LOGIN_WINDOW_SECONDS = getattr(settings, "CHARCOT_LOGIN_WINDOW_SECONDS", 15 * 60)
# The first delay after the soft limit, in seconds; it doubles with every further failure.
LOGIN_BASE_DELAY_SECONDS = getattr(settings, "CHARCOT_LOGIN_BASE_DELAY_SECONDS", 2)
# Accounts one IP address may create per window (against scripted sign-ups).
SIGNUPS_PER_IP = getattr(settings, "CHARCOT_SIGNUPS_PER_IP", 5)
# Seconds the sign-up and reset-email counts are kept.
SIGNUP_WINDOW_SECONDS = getattr(settings, "CHARCOT_SIGNUP_WINDOW_SECONDS", 60 * 60)
# Password-reset emails one IP address may ask for per window (against mail bombing).
RESETS_PER_IP = getattr(settings, "CHARCOT_RESETS_PER_IP", 5)

# Side, in pixels, of the small and large square avatar renditions.
AVATAR_SMALL_SIZE = getattr(settings, "CHARCOT_AVATAR_SMALL_SIZE", 64)
AVATAR_LARGE_SIZE = getattr(settings, "CHARCOT_AVATAR_LARGE_SIZE", 256)
# Largest avatar upload accepted, in bytes.
AVATAR_MAX_BYTES = getattr(settings, "CHARCOT_AVATAR_MAX_BYTES", 5 * 1024 * 1024)
# Largest avatar upload accepted, in pixels (width × height), against decompression bombs.
AVATAR_MAX_PIXELS = getattr(settings, "CHARCOT_AVATAR_MAX_PIXELS", 24_000_000)

# Comments per page in a reader's history.
HISTORY_COMMENTS_PER_PAGE = getattr(settings, "CHARCOT_HISTORY_COMMENTS_PER_PAGE", 20)

# The name shown on comments whose writer deleted their account.
FORMER_MEMBER_NAME = getattr(settings, "CHARCOT_FORMER_MEMBER_NAME", "former member")
