"""Discussion and moderation settings: each knob once, with a sentence.

Override any of them with a CHARCOT_COMMENTS_<NAME> setting.
"""

from charcot.conf import settings_reader

DAY = 24 * 60 * 60

DEFAULTS = {
    # --- The discussion
    "THREADS_PER_PAGE": (
        50,
        "Top-level threads per page of a discussion; their replies always come along.",
    ),
    "COMMENTS_PER_PAGE": (
        300,
        "Comments a page of the discussion may hold before it ends early (whole threads).",
    ),
    "MAX_VISUAL_DEPTH": (
        6,
        "Indentation stops growing past this depth; deeper replies say whom they answer.",
    ),
    "BODY_MAX_LENGTH": (
        10_000,
        "A generous limit on a comment's length, in characters, shown with a counter.",
    ),
    "EDIT_WINDOW_SECONDS": (
        15 * 60,
        "How long signed-in writers may edit their comment, unless it already has replies.",
    ),
    "HISTORY_COMMENTS_PER_PAGE": (20, "Comments per page in a member's own comment history."),
    "RECENT_COUNT": (5, 'How many comments the sidebar\'s "Recent comments" widget lists.'),
    "RECENT_CACHE_SECONDS": (
        600,
        "Upper bound on how stale the sidebar widget may be; writes invalidate it sooner.",
    ),
    "REMEMBER_COOKIE_DAYS": (365, 'Lifetime of the opt-in "remember me in this browser" cookie.'),
    "OWN_COMMENTS_COOKIE_DAYS": (
        30,
        "How long an anonymous writer keeps seeing their own comments held for moderation.",
    ),
    "FORM_MAX_AGE_SECONDS": (
        7 * DAY,
        "A signed form timestamp older than this counts as missing (the page sat open for days).",
    ),
    "CONFIRM_MAILS_PER_ADDRESS": (
        3,
        "Confirmation mails one address may receive per day, so the form cannot mail strangers.",
    ),
    "CONFIRM_MAILS_PER_IP": (10, "Confirmation mails one network address may trigger per day."),
    # --- The posting policy
    "MODERATION_HOLD": (
        "first-comment",
        'Which comments wait for a moderator: "all", "first-comment" (people without a '
        'previously approved comment) or "none". Authors, editors and moderators are never held.',
    ),
    "MODERATION_MAX_LINKS": (2, "A comment with more links than this is held for a moderator."),
    "MODERATION_WORDS": (
        [],
        "Words or phrases that hold a comment for a moderator (case-insensitive, whole words).",
    ),
    "DISALLOWED_WORDS": (
        [],
        "Words or phrases that are never allowed (case-insensitive, whole words).",
    ),
    "DISALLOWED_EMAILS": ([], 'Email addresses (or "@domain.example") that may not comment.'),
    "DISALLOWED_IPS": (
        [],
        "IP addresses that may not comment (compared through the salted hash, never stored).",
    ),
    "DISALLOWED_ACCOUNTS": ([], "Usernames of accounts that may not comment."),
    "DISALLOWED_ACTION": (
        "spam",
        'What happens to a disallowed word, email, IP or account: "spam" (stored, never '
        'shown) or "refuse" (not stored; the writer sees a message).',
    ),
    "MODERATION_MIN_SECONDS": (
        3,
        "A form submitted sooner than this many seconds after it was shown is a bot's.",
    ),
    "MODERATION_TOO_FAST_ACTION": (
        "spam",
        'What happens to a too-fast submission: "spam", "hold" or "refuse".',
    ),
    "COMMENT_RATE_LIMITS": (
        [(5, 60), (50, DAY)],
        "Per-person comment limits as (count, seconds) pairs, for each IP hash and each account.",
    ),
    "PREVIEW_RATE_LIMITS": (
        [(30, 60), (600, DAY)],
        "Markdown previews of a comment per IP hash, as (count, seconds) pairs.",
    ),
    "DUPLICATE_WINDOW_SECONDS": (
        10 * 60,
        "The same text from the same person within this many seconds is refused as a duplicate.",
    ),
    # --- The moderation desk
    "REPORT_THRESHOLD": (
        3,
        "Reports from this many different people send an approved comment back to pending.",
    ),
    "REPORT_RATE_LIMITS": (
        [(10, 60 * 60)],
        "Report limits for each reporter (account or IP hash), as (count, seconds) pairs.",
    ),
    "REDACTION_RETENTION_DAYS": (
        30,
        "Days the original text of a redacted comment is kept in the moderation log.",
    ),
    "MODERATION_NOTIFY_EVERY_MINUTES": (
        30,
        'At most one "comments are waiting" email to moderators per this many minutes.',
    ),
}

__getattr__ = settings_reader("CHARCOT_COMMENTS_", DEFAULTS)
