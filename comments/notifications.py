"""Who hears about a new comment, and the signed links in those mails.

Scheduled after the transaction commits; the mail itself goes out through django.tasks
(comments.tasks), so a slow mail server never slows down posting.
"""

import hashlib

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse

from charcot import cache as page_cache
from charcot.redis_cache import counters_increment

from . import conf

RECENT_CACHE_KEY = "comments:recent-html"  # the rendered sidebar widget
TOKEN_SALT = "comments.mail"  # noqa: S105 (a signing namespace, not a password)
CONFIRM_MAX_AGE = 7 * 24 * 3600
DAY = 24 * 3600


def recent_comments_changed() -> None:
    """Forget the sidebar widget and every cached page that shows it; call whenever a
    public comment appears, changes or goes."""
    cache.delete(RECENT_CACHE_KEY)
    page_cache.bump()


def comment_created(comment) -> None:
    """Run on commit with the comment just saved (not read back, a query per reply saved):
    mails for public comments, address confirmation."""
    if comment.is_public():
        comment_published(comment)
    elif comment.status == comment.Status.PENDING:
        from .moderation_services import moderators_notify

        moderators_notify()
    if comment.notify_replies and not comment.user_id and not comment.email_confirmed:
        request_address_confirmation(comment)


def comment_published(comment) -> None:
    """A comment became visible: tell the post's author and the writer it answers.

    The moderation work calls this when it approves a held comment.
    """
    from .tasks import mail_post_author, mail_reply_notification

    recent_comments_changed()
    mail_post_author.enqueue(comment_id=comment.pk)
    if comment.parent_id:
        mail_reply_notification.enqueue(comment_id=comment.pk)


def request_address_confirmation(comment) -> bool:
    """Mail a confirmation link unless this address or network had enough today."""
    from .models import MailOptOut
    from .tasks import mail_address_confirmation

    address = comment.author_email.strip().lower()
    if not address or MailOptOut.objects.filter(email__iexact=address).exists():
        return False
    keys = [
        (_limit_key("address", address), conf.confirm_mails_per_address()),
    ]
    if comment.ip_hash:
        keys.append((_limit_key("ip", comment.ip_hash), conf.confirm_mails_per_ip()))
    for key, limit in keys:
        if (cache.get(key) or 0) >= limit:
            return False
    counters_increment(cache, {key: DAY for key, _limit in keys})
    mail_address_confirmation.enqueue(comment_id=comment.pk)
    return True


def _limit_key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"comments:confirm-limit:{kind}:{digest}"


# Signed tokens: no account or sign-in needed to confirm or to unsubscribe.


def confirm_token(comment) -> str:
    return signing.dumps(
        {"k": "confirm", "c": comment.pk, "e": comment.author_email}, salt=TOKEN_SALT
    )


def unsubscribe_replies_token(comment) -> str:
    return signing.dumps({"k": "replies", "c": comment.pk}, salt=TOKEN_SALT)


def unsubscribe_author_token(user) -> str:
    return signing.dumps({"k": "author", "u": user.pk, "e": user.email}, salt=TOKEN_SALT)


def unsubscribe_address_token(email: str) -> str:
    return signing.dumps({"k": "address", "e": email}, salt=TOKEN_SALT)


def read_token(token: str, *, max_age: int | None = None) -> dict | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) else None


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def confirm_url(comment) -> str:
    return absolute(reverse("comments:confirm", kwargs={"token": confirm_token(comment)}))


def unsubscribe_url(token: str) -> str:
    return absolute(reverse("comments:unsubscribe", kwargs={"token": token}))
