"""Writes to discussions: every new comment goes through `comment_create`."""

import logging
from dataclasses import dataclass
from functools import partial

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from . import notifications, tree
from .models import Comment, MailOptOut
from .policy import Decision, Submission, moderation_decide, submission_count

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CommentResult:
    comment: Comment | None
    decision: Decision
    duplicate: bool = False


def comment_create(
    *,
    submission: Submission,
    user_agent: str = "",
    submission_key=None,
    decision: Decision | None = None,
    notify_replies: bool | None = None,
    own_comment_ids: frozenset = frozenset(),
) -> CommentResult:
    """Store the submitted comment with the status the moderation policy decides.

    Pass `decision` to skip the policy (e.g. a moderator's quick reply from admin). A repeated
    `submission_key` (double click, resubmit after a network error) returns the comment the
    first submission stored instead of a second one, when it is the same writer's same text
    on the same post (`own_comment_ids`: the anonymous writer's own-comments cookie); any
    other use of a known key is a new submission. Mail goes out after the commit.
    """
    resent = partial(_is_resent, submission=submission, own_comment_ids=own_comment_ids)
    if submission_key is not None:
        existing = _existing_submission(submission_key)
        if existing is not None:
            if resent(existing.comment):
                return existing
            # A cached page hands one key to every reader, and anyone can copy a key:
            # someone else's key, or the writer's own with a new text, is a new comment.
            submission_key = None
    if decision is None:
        now = timezone.now()
        decision = moderation_decide(submission, now=now)
        decision = submission_count(submission, decision, now=now)
    if decision.is_refused:
        return CommentResult(comment=None, decision=decision)
    user = submission.user
    if notify_replies is None:
        notify_replies = bool(user) and user.notify_on_comments
    comment = Comment(
        post=submission.post,
        parent=submission.parent,
        user=user,
        author_name="" if user else submission.author_name,
        author_email="" if user else submission.author_email,
        author_url="" if user else submission.author_url,
        body=submission.body,
        status=decision.status,
        moderation_reason=decision.reason,
        policy_reason=decision.reason[:200],
        public_reason=decision.public_reason[:200],
        ip_hash=submission.ip_hash,
        user_agent=user_agent[:300],
        submission_key=submission_key,
        notify_replies=notify_replies,
        asks_author=submission.asks_author,
        # Members' addresses are their account's; anonymous people confirm theirs by mail.
        email_confirmed=bool(user),
    )
    try:
        with transaction.atomic():
            tree.insert_node(comment)
            transaction.on_commit(partial(notifications.comment_created, comment))
    except IntegrityError:
        # Two identical submissions raced past the check above; the other one won.
        existing = _existing_submission(submission_key) if submission_key else None
        if existing is None or not resent(existing.comment):
            raise
        return existing
    return CommentResult(comment=comment, decision=decision)


def _is_resent(comment: Comment, *, submission: Submission, own_comment_ids) -> bool:
    """Whether `comment` is what this submission would store: same post, place, text, writer."""
    parent = submission.parent
    if (comment.post_id, comment.parent_id, comment.body) != (
        submission.post.pk,
        parent.pk if parent else None,
        submission.body,
    ):
        return False
    user = submission.user
    if user is not None or comment.user_id is not None:
        return user is not None and comment.user_id == user.pk
    # Anonymous: this browser's own comment, or the very same name, address and network.
    return comment.pk in own_comment_ids or (
        submission.author_name,
        submission.author_email,
        submission.ip_hash,
    ) == (comment.author_name, comment.author_email, comment.ip_hash)


def _existing_submission(submission_key) -> CommentResult | None:
    # Nearly every key is new. Through the ORM this look-up that finds nothing cost a
    # fifth of the reply's Python (a full-row query with mptt's ordering); plain, a tenth
    # of that. A key that was used loads its comment as usual.
    key = Comment._meta.get_field("submission_key").get_db_prep_value(submission_key, connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM comments_comment WHERE submission_key = %s", [key])
        row = cursor.fetchone()
    if row is None:
        return None
    comment = Comment.objects.get(pk=row[0])
    decision = Decision(status=comment.status, reason="duplicate submission")
    return CommentResult(comment=comment, decision=decision, duplicate=True)


def comment_edit(*, comment: Comment, user, body: str) -> CommentResult:
    """Replace the text of the writer's own comment within the edit window.

    The policy sees the new text too, so an edit cannot slip links or words past
    moderation; it can hold the comment again but never approve it.
    """
    has_replies = comment.get_descendant_count() > 0
    if not comment.is_editable_by(user, has_replies=has_replies):
        raise PermissionError("This comment can no longer be edited.")
    submission = Submission(
        post=comment.post, body=body, user=user, ip_hash=comment.ip_hash, parent=comment.parent
    )
    now = timezone.now()
    decision = submission_count(submission, moderation_decide(submission, now=now), now=now)
    if decision.is_refused:
        return CommentResult(comment=None, decision=decision)
    comment.body = body
    comment.edited_at = timezone.now()
    fields = ["body", "edited_at"]
    if decision.status != Comment.Status.APPROVED and comment.is_approved():
        comment.status = decision.status
        comment.moderation_reason = decision.reason
        comment.public_reason = decision.public_reason[:200]
        fields += ["status", "moderation_reason", "public_reason"]
    with transaction.atomic():
        comment.save(update_fields=fields)
        notifications.discussion_changed()
    return CommentResult(comment=comment, decision=decision)


def comment_delete(*, comment: Comment, user) -> bool:
    """Delete the writer's own comment; return True when a placeholder stays behind.

    A comment with replies keeps its place as "comment deleted" so the replies stay
    where they were; one without replies leaves the tree.
    """
    if not comment.is_deletable_by(user):
        raise PermissionError("Only the writer can delete this comment.")
    with transaction.atomic():
        tree.lock_thread(comment.tree_id)
        comment.refresh_from_db()
        keeps_place = comment.get_descendant_count() > 0
        if keeps_place:
            comment.deleted_at = timezone.now()
            comment.notify_replies = False
            comment.save(update_fields=["deleted_at", "notify_replies"])
        else:
            comment.delete()
        notifications.discussion_changed()
    return keeps_place


def address_confirm(*, comment: Comment) -> None:
    """The writer proved the address on this comment: reply notices may reach it now."""
    Comment.objects.filter(pk=comment.pk).update(email_confirmed=True)


def mail_unsubscribe(*, token_data: dict) -> None:
    """Stop the mails a signed unsubscribe token names: one comment's reply notices, or
    every discussion mail to an address (and, for a post's author, their account's notices).
    """
    kind = token_data["k"]
    if kind == "replies":
        Comment.objects.filter(pk=token_data.get("c")).update(notify_replies=False)
        return
    if not token_data.get("e"):
        return
    MailOptOut.objects.get_or_create(email=token_data["e"].lower())
    if kind == "author":
        get_user_model().objects.filter(pk=token_data.get("u")).update(notify_on_comments=False)


def comments_withdraw(*, comments) -> None:
    """Take these comments out of their discussions for good (an account deleted with its
    comments): one with replies becomes a removed placeholder so the replies keep their
    place; one without replies leaves the tree."""
    # Newest first, so a reply goes before the comment it answers.
    for comment in comments.order_by("-created_at", "-pk"):
        with transaction.atomic():
            # Deleting closes the gap in the thread's lft/rght: under the thread's lock,
            # with the tree fields read after it, as every tree write (comments.tree).
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
    notifications.discussion_changed()
