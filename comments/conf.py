"""Discussion settings: every knob once, with a sentence, read from CHARCOT_COMMENTS_* settings."""

from django.conf import settings


def _get(name: str, default):
    return getattr(settings, f"CHARCOT_COMMENTS_{name}", default)


def threads_per_page() -> int:
    """Top-level threads per page of a discussion; their replies always come along."""
    return _get("THREADS_PER_PAGE", 50)


def comments_per_page() -> int:
    """Comments a page of the discussion may hold before it ends early (whole threads)."""
    return _get("COMMENTS_PER_PAGE", 300)


def max_visual_depth() -> int:
    """Indentation stops growing past this depth; deeper replies say whom they answer."""
    return _get("MAX_VISUAL_DEPTH", 6)


def body_max_length() -> int:
    """A generous limit on a comment's length, in characters, shown with a counter."""
    return _get("BODY_MAX_LENGTH", 10_000)


def edit_window_seconds() -> int:
    """How long signed-in writers may edit their comment, unless it already has replies."""
    return _get("EDIT_WINDOW_SECONDS", 15 * 60)


def recent_count() -> int:
    """How many comments the sidebar's "Recent comments" widget lists."""
    return _get("RECENT_COUNT", 5)


def recent_cache_seconds() -> int:
    """Upper bound on how stale the sidebar widget may be; writes invalidate it sooner."""
    return _get("RECENT_CACHE_SECONDS", 600)


def remember_cookie_days() -> int:
    """Lifetime of the opt-in "remember me in this browser" cookie."""
    return _get("REMEMBER_COOKIE_DAYS", 365)


def own_comments_cookie_days() -> int:
    """How long an anonymous writer keeps seeing their own comments held for moderation."""
    return _get("OWN_COMMENTS_COOKIE_DAYS", 30)


def form_max_age_seconds() -> int:
    """A signed form timestamp older than this counts as missing (the page sat open for days)."""
    return _get("FORM_MAX_AGE_SECONDS", 7 * 24 * 3600)


def confirm_mails_per_address() -> int:
    """Confirmation mails one address may receive per day, so the form cannot mail strangers."""
    return _get("CONFIRM_MAILS_PER_ADDRESS", 3)


def confirm_mails_per_ip() -> int:
    """Confirmation mails one network address may trigger per day."""
    return _get("CONFIRM_MAILS_PER_IP", 10)
