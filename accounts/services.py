"""Writes about people: roles, avatars, and an account's export and deletion."""

from collections.abc import Iterable

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from PIL.Image import Image

from charcot.images import reencode_image

from . import conf, roles

User = get_user_model()


class AccountDeleteRefused(Exception):
    """The account cannot be deleted as it is (e.g. it still signs published posts)."""


def user_sync_staff(*, user) -> None:
    """Make is_staff follow the roles: the admin is for superusers and role holders only."""
    user.__dict__.pop("role_names", None)
    should_be_staff = user.is_superuser or bool(user.role_names & set(roles.ALL))
    if user.is_staff != should_be_staff:
        user.is_staff = should_be_staff
        user.save(update_fields=["is_staff"])


@transaction.atomic
def user_set_roles(*, user, role_names: Iterable[str]) -> None:
    """Give a person exactly these roles (and keep other, non-role groups they have)."""
    role_names = set(role_names)
    unknown = role_names - set(roles.ALL)
    if unknown:
        raise ValueError(f"Unknown roles: {', '.join(sorted(unknown))}")
    missing = role_names - set(
        Group.objects.filter(name__in=role_names).values_list("name", flat=True)
    )
    if missing:
        roles.sync_role_groups()
    user.groups.remove(*Group.objects.filter(name__in=set(roles.ALL) - role_names))
    user.groups.add(*Group.objects.filter(name__in=role_names))
    user_sync_staff(user=user)


@transaction.atomic
def user_change_email(*, user, email: str) -> None:
    """Change a person's email and tell the old address, in case it was not them."""
    old = user.email
    user.email = email
    user.save(update_fields=["email"])
    if old and old.casefold() != email.casefold():
        context = {"user": user, "site_name": settings.SITE_NAME}
        transaction.on_commit(
            lambda: send_mail(
                f"Your {settings.SITE_NAME} email address was changed",
                render_to_string("accounts/email_changed.txt", context),
                None,
                [old],
            )
        )


def avatar_set(*, user, image: Image | None) -> None:
    """Store small and large square renditions of a verified image (None removes the avatar).

    The previous files are deleted once the change is committed; the upload itself is
    never stored.
    """
    old_files = [f for f in (user.avatar_small, user.avatar_large) if f]
    old_names = [(f.storage, f.name) for f in old_files]
    if image is None:
        user.avatar_small = ""
        user.avatar_large = ""
    else:
        small = reencode_image(image, square=conf.AVATAR_SMALL_SIZE)
        large = reencode_image(image, square=conf.AVATAR_LARGE_SIZE)
        user.avatar_small.save(small.name, small, save=False)
        user.avatar_large.save(large.name, large, save=False)
    user.save(update_fields=["avatar_small", "avatar_large"])
    transaction.on_commit(lambda: _delete_files(old_names))


def _delete_files(names) -> None:
    for storage, name in names:
        storage.delete(name)


def account_export(*, user) -> dict:
    """Everything we hold about a person, as JSON-ready data."""
    from comments.models import Comment, Report

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
        # Sign-ins with ORCID, Google or OpenID Connect (no tokens: none are kept). Deleting
        # the account deletes these links with it.
        "linked_identities": [
            {
                "provider": account.provider,
                "uid": account.uid,
                "connected_at": account.date_joined.isoformat(),
                "last_sign_in": account.last_login.isoformat() if account.last_login else None,
                "profile": account.extra_data,
            }
            for account in SocialAccount.objects.filter(user=user).order_by("date_joined", "pk")
        ],
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
@transaction.atomic
def account_delete(*, user, remove_comments: bool) -> None:
    """Delete a person's account and personal data, keeping every discussion's shape.

    Their comments stay, signed "former member", unless `remove_comments`: then a comment
    that has replies becomes a removed placeholder (so the replies keep their place) and
    one without replies is deleted.
    """
    from comments import tree
    from comments.models import Comment, ModerationLog

    if user.posts.exists():
        raise AccountDeleteRefused(
            "Your account signs posts. Ask an editor to reassign them before deleting it."
        )
    theirs = Comment.objects.filter(user=user)
    if remove_comments:
        # Text kept from before a redaction is theirs too.
        ModerationLog.objects.filter(comment__in=theirs).update(original_body="")
        # Newest first, so a reply of theirs goes before the comment it answers.
        for comment in theirs.order_by("-created_at", "-pk"):
            # Deleting closes the gap in the thread's lft/rght: under the thread's lock, with
            # the tree fields read after it, as every tree write (comments.tree).
            tree.lock_thread(comment.tree_id)
            comment.refresh_from_db()
            if Comment.objects.filter(parent_id=comment.pk).exists():
                Comment.objects.filter(pk=comment.pk).update(
                    status=Comment.Status.REMOVED,
                    body="",
                    body_html="",
                    deleted_at=timezone.now(),
                )
            else:
                comment.delete()
    # Personal data on the comments that remain; the link to the account goes with it.
    Comment.objects.filter(user=user).update(
        user=None,
        author_name=conf.FORMER_MEMBER_NAME,
        author_email="",
        author_url="",
        ip_hash="",
        user_agent="",
        notify_replies=False,
    )
    avatar_names = [(f.storage, f.name) for f in (user.avatar_small, user.avatar_large) if f]
    user.delete()
    transaction.on_commit(lambda: _delete_files(avatar_names))
