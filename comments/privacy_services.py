"""Commenters' privacy: export and erase what an email address left, and forget old IPs.

Anonymous commenters have no account to delete, so staff act for them by email address;
threads keep their shape because comments are anonymised, never deleted.
"""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat, Upper
from django.db.models.lookups import Exact
from django.utils import timezone

from .models import Comment, ModerationLog, Report

# Settings, read through the functions below:
# CHARCOT_IP_RETENTION_DAYS: days a comment's hashed IP and user agent are kept against abuse.
# CHARCOT_PRIVACY_CONTACT: the address the privacy page gives for data requests.
DEFAULT_IP_RETENTION_DAYS = 90
ANONYMOUS_NAME = "Anonymous"
PURGED_REPORTER_PREFIX = "purged:"


def ip_retention_days() -> int:
    """The retention period, from CHARCOT_IP_RETENTION_DAYS (default 90 days)."""
    return int(getattr(settings, "CHARCOT_IP_RETENTION_DAYS", DEFAULT_IP_RETENTION_DAYS))


def privacy_contact() -> str:
    """Where people send export and erasure requests, from CHARCOT_PRIVACY_CONTACT."""
    default = f"privacy@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"
    return getattr(settings, "CHARCOT_PRIVACY_CONTACT", default)


def _comments_of(email: str):
    email = (email or "").strip()
    if not email:
        return Comment.objects.none()
    # Written as comment_email_created's expression, with its condition (a non-empty
    # address), so that both databases use that index: `__iexact` read every comment.
    same_address = Exact(Upper("author_email"), Upper(Value(email)))
    return Comment.objects.filter(same_address).exclude(author_email="")


def commenter_export(*, email: str) -> dict:
    """Everything stored under an anonymous commenter's email, ready for json.dumps."""
    comments = _comments_of(email).select_related("post").order_by("created_at", "pk")
    return {
        "email": email.strip(),
        "exported_at": timezone.now().isoformat(),
        "comments": [
            {
                "id": comment.pk,
                "post": comment.post.title,
                "post_url": comment.post.get_absolute_url(),
                "in_reply_to": comment.parent_id,
                "name": comment.author_name,
                "email": comment.author_email,
                "website": comment.author_url,
                "body": comment.body,
                "status": comment.status,
                "created_at": comment.created_at.isoformat(),
                "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
                "reply_notifications": comment.notify_replies,
                "email_confirmed": comment.email_confirmed,
                "ip_hash": comment.ip_hash,
                "user_agent": comment.user_agent,
            }
            for comment in comments
        ],
    }


@dataclass(frozen=True)
class ErasureResult:
    comments: int


def commenter_erase(*, email: str, by=None) -> ErasureResult:
    """Anonymise every comment left under this email; replies keep their place in the tree."""
    with transaction.atomic():
        ids = list(_comments_of(email).select_for_update().values_list("pk", flat=True))
        Comment.objects.filter(pk__in=ids).update(
            author_name=ANONYMOUS_NAME,
            author_email="",
            author_url="",
            ip_hash="",
            user_agent="",
            notify_replies=False,
            email_confirmed=False,
        )
        # The audit trail names the action, never the address.
        ModerationLog.objects.bulk_create(
            ModerationLog(comment_id=pk, moderator=by, action="anonymise", reason="erasure request")
            for pk in ids
        )
    return ErasureResult(comments=len(ids))


@dataclass(frozen=True)
class PurgeResult:
    comments: int
    reports: int


def ip_data_purge(*, older_than_days: int | None = None) -> PurgeResult:
    """Clear hashed IPs and user agents older than the retention period."""
    days = ip_retention_days() if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    with transaction.atomic():
        comments = (
            Comment.objects.filter(created_at__lt=cutoff)
            .exclude(ip_hash="", user_agent="")
            .update(ip_hash="", user_agent="")
        )
        # Anonymous reporters are keyed by their hashed IP; keep the one-report-per-person
        # constraint satisfiable with a key that identifies no one.
        reports = (
            Report.objects.filter(user__isnull=True, created_at__lt=cutoff)
            .filter(~Q(reporter_key__startswith=PURGED_REPORTER_PREFIX))
            .update(
                reporter_key=Concat(
                    Value(PURGED_REPORTER_PREFIX), Cast("pk", output_field=CharField())
                )
            )
        )
    return PurgeResult(comments=comments, reports=reports)
