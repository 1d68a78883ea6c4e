"""What happens after a discussion write commits: who hears of it, what the public sees.

The services schedule these with `transaction.on_commit`; the mail itself goes out through
django.tasks (`comments.tasks`), so a slow mail server never slows down posting.
"""

from datetime import UTC, datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from charcot import cache as page_cache
from charcot import ratelimit

from . import conf, tasks
from .models import MailOptOut

DAY = 24 * 3600


def discussion_changed() -> None:
    """The one invalidation call for discussion writes: a public comment appeared, changed
    or went (or a writer's shown name did). Cached pages and widgets go after the commit."""
    page_cache.public_pages_changed()


def comment_created(comment) -> None:
    """Run on commit with the comment just saved (not read back, a query per reply saved):
    mails for public comments, the moderators' digest, address confirmation."""
    if comment.is_public():
        comment_published(comment)
    elif comment.status == comment.Status.PENDING:
        moderators_notify()
    if comment.notify_replies and not comment.user_id and not comment.email_confirmed:
        request_address_confirmation(comment)


def comment_published(comment) -> None:
    """A comment became visible: tell the post's author and the writer it answers.

    The moderation desk calls this when it approves a held comment.
    """
    discussion_changed()
    tasks.mail_post_author.enqueue(comment_id=comment.pk)
    if comment.parent_id:
        tasks.mail_reply_notification.enqueue(comment_id=comment.pk)


def request_address_confirmation(comment) -> bool:
    """Mail a confirmation link unless this address or network had enough today."""
    address = comment.author_email.strip().lower()
    if not address or MailOptOut.objects.filter(email__iexact=address).exists():
        return False
    limits = [ratelimit.Rule(f"address:{address}", conf.CONFIRM_MAILS_PER_ADDRESS, DAY)]
    if comment.ip_hash:
        limits.append(ratelimit.Rule(f"ip:{comment.ip_hash}", conf.CONFIRM_MAILS_PER_IP, DAY))
    if ratelimit.take("confirm-mail", limits) is not None:
        return False
    tasks.mail_address_confirmation.enqueue(comment_id=comment.pk)
    return True


def moderators_notify(*, now: datetime | None = None) -> bool:
    """Schedule the pending digest, at most once per MODERATION_NOTIFY_EVERY_MINUTES.

    While throttled, a queue that can defer work gets one follow-up digest for the end of
    the period, so comments held meanwhile do not wait for the next one to arrive.
    """
    now = now or timezone.now()
    period = conf.MODERATION_NOTIFY_EVERY_MINUTES * 60
    # Under a stream of held comments both are usually scheduled already: one read says so.
    scheduled = cache.get_many([tasks.NOTIFY_CACHE_KEY, tasks.FOLLOW_UP_CACHE_KEY])
    if tasks.NOTIFY_CACHE_KEY not in scheduled and cache.add(
        tasks.NOTIFY_CACHE_KEY, now.timestamp(), timeout=period
    ):
        transaction.on_commit(tasks.pending_digest_send.enqueue)
        return True
    if (
        tasks.FOLLOW_UP_CACHE_KEY not in scheduled
        and tasks.pending_digest_send.get_backend().supports_defer
        and cache.add(tasks.FOLLOW_UP_CACHE_KEY, True, timeout=period)
    ):
        sent_at = (
            scheduled.get(tasks.NOTIFY_CACHE_KEY)
            or cache.get(tasks.NOTIFY_CACHE_KEY)
            or now.timestamp()
        )
        run_after = datetime.fromtimestamp(sent_at + period, tz=UTC)
        follow_up = tasks.pending_digest_send.using(run_after=run_after)
        transaction.on_commit(lambda: follow_up.enqueue(follow_up=True))
    return False
