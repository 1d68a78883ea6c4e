"""People's data across the apps: members export or delete their account; staff export or
erase what an anonymous commenter's email address left; old IP hashes are forgotten.

Threads keep their shape: comments are anonymised, or withdrawn through the comments
services (which hold the thread locks), never cut out here.
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

from accounts import conf as accounts_conf
from accounts import roles
from accounts.services import stored_files_delete
from comments import fragments, notifications
from comments.models import Comment, ModerationLog, Report
from comments.services import comments_withdraw
from identities.services import identities_export
from subscriptions.services import subscriptions_erase, subscriptions_for_email

from . import conf

ANONYMOUS_NAME = "Anonymous"
PURGED_REPORTER_PREFIX = "purged:"


def ip_retention_days() -> int:
    return int(conf.IP_RETENTION_DAYS)


def privacy_contact() -> str:
    """Where people send export and erasure requests."""
    return conf.CONTACT or f"privacy@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"


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
                "asked_the_author": comment.asks_author,
                "email_confirmed": comment.email_confirmed,
                "ip_hash": comment.ip_hash,
                "user_agent": comment.user_agent,
            }
            for comment in comments
        ],
        "mail_subscriptions": subscriptions_for_email(email),
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
        fragments.refresh(Comment.objects.filter(pk__in=ids))  # their stored articles too
        notifications.discussion_changed()  # the erased name leaves every cached page
        subscriptions_erase(email)
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


# --- Members: their own data -------------------------------------------------------


class AccountDeleteRefused(Exception):
    pass


def account_export(*, user) -> dict:
    """Everything we hold about a person, as JSON-ready data."""
    comments = Comment.objects.filter(user=user).select_related("post").order_by("created_at", "pk")
    reports = Report.objects.filter(user=user).order_by("created_at", "pk")
    posts = user.posts.order_by("created_at", "pk")
    return {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "display_name": user.display_name,
            "pronouns": user.pronouns,
            "title": user.title,
            "affiliation": user.affiliation,
            "bio": user.bio,
            "competing_interests": user.competing_interests,
            "website": user.website,
            "orcid": user.orcid,
            "verified_orcid": user.verified_orcid,
            "mastodon_url": user.mastodon_url,
            "bluesky_url": user.bluesky_url,
            "linkedin_url": user.linkedin_url,
            "avatar_small": user.avatar_small.url if user.avatar_small else None,
            "avatar_large": user.avatar_large.url if user.avatar_large else None,
            "notify_on_comments": user.notify_on_comments,
            "roles": sorted(user.role_names & set(roles.ALL)),
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "comments": [
            {
                "id": comment.pk,
                "post": comment.post.title,
                "url": comment.get_absolute_url(),
                "in_reply_to": comment.parent_id,
                "body": comment.body,
                "status": comment.status,
                "created_at": comment.created_at.isoformat(),
                "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
                "notify_replies": comment.notify_replies,
                "asked_the_author": comment.asks_author,
                "ip_hash": comment.ip_hash,
                "user_agent": comment.user_agent,
            }
            for comment in comments
        ],
        "posts": [
            {
                "title": post.title,
                "status": post.status,
                "published_at": post.published_at.isoformat() if post.published_at else None,
                "url": post.get_absolute_url() if post.is_published() else None,
            }
            for post in posts
        ],
        "mail_subscriptions": subscriptions_for_email(user.email) if user.email else None,
        # Sign-ins with ORCID, Google or OpenID Connect; deleting the account deletes them.
        "linked_identities": identities_export(user=user),
        "reports": [
            {
                "comment": report.comment_id,
                "reason": report.reason,
                "note": report.note,
                "created_at": report.created_at.isoformat(),
            }
            for report in reports
        ],
    }


@transaction.atomic
def account_delete(*, user, remove_comments: bool) -> None:
    """Delete a person's account and personal data, keeping every discussion's shape.

    Their comments stay, signed "former member", unless `remove_comments`: then a comment
    that has replies becomes a removed placeholder (so the replies keep their place) and
    one without replies is deleted.
    """
    if user.posts.exists():
        raise AccountDeleteRefused(
            "Your account signs posts. Ask an editor to reassign them before deleting it."
        )
    if remove_comments:
        theirs = Comment.objects.filter(user=user)
        # Text kept from before a redaction is theirs too.
        ModerationLog.objects.filter(comment__in=theirs).update(original_body="")
        comments_withdraw(comments=theirs)
    # Personal data on the comments that remain; the link to the account goes with it.
    Comment.objects.filter(user=user).update(
        user=None,
        author_name=accounts_conf.FORMER_MEMBER_NAME,
        author_email="",
        author_url="",
        ip_hash="",
        user_agent="",
        notify_replies=False,
    )
    if user.email:
        subscriptions_erase(user.email)
    avatar_names = [(f.storage, f.name) for f in (user.avatar_small, user.avatar_large) if f]
    user.delete()
    transaction.on_commit(lambda: stored_files_delete(avatar_names))
    notifications.discussion_changed()  # their name leaves every cached page
