"""Writes to discussions: every new comment goes through `comment_create`."""

import logging
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from . import notifications, tree
from .models import Comment
from .moderation import Decision, Submission, moderation_decide

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CommentResult:
    comment: Comment | None
    decision: Decision
    duplicate: bool = False


def comment_create(
    *,
    post,
    body: str,
    user=None,
    parent: Comment | None = None,
    author_name: str = "",
    author_email: str = "",
    author_url: str = "",
    ip_hash: str = "",
    user_agent: str = "",
    submission_key=None,
    honeypot_filled: bool = False,
    seconds_to_submit: float | None = None,
    decision: Decision | None = None,
    notify_replies: bool | None = None,
    own_comment_ids: frozenset = frozenset(),
) -> CommentResult:
    """Store a new comment with the status the moderation policy decides.

    Pass `decision` to skip the policy (e.g. a moderator's quick reply from admin). A repeated
    `submission_key` (double click, resubmit after a network error) returns the comment the
    first submission stored instead of a second one, when it is the same writer's same text
    on the same post (`own_comment_ids`: the anonymous writer's own-comments cookie); any
    other use of a known key is a new submission. Mail goes out after the commit.
    """
    resent = partial(
        _is_resent,
        post=post,
        user=user,
        parent=parent,
        body=body,
        writer=(author_name, author_email, ip_hash),
        own_comment_ids=own_comment_ids,
    )
    if submission_key is not None:
        existing = _existing_submission(submission_key)
        if existing is not None:
            if resent(existing.comment):
                return existing
            # A cached page hands one key to every reader, and anyone can copy a key:
            # someone else's key, or the writer's own with a new text, is a new comment.
            submission_key = None
    if decision is None:
        decision = moderation_decide(
            Submission(
                post=post,
                user=user,
                author_name=author_name,
                author_email=author_email,
                author_url=author_url,
                body=body,
                ip_hash=ip_hash,
                parent=parent,
                honeypot_filled=honeypot_filled,
                seconds_to_submit=seconds_to_submit,
            )
        )
    if decision.is_refused:
        return CommentResult(comment=None, decision=decision)
    if notify_replies is None:
        notify_replies = bool(user) and getattr(user, "notify_on_replies", True)
    comment = Comment(
        post=post,
        parent=parent,
        user=user,
        author_name="" if user else author_name,
        author_email="" if user else author_email,
        author_url="" if user else author_url,
        body=body,
        status=decision.status,
        moderation_reason=decision.reason,
        public_reason=decision.public_reason[:200],
        ip_hash=ip_hash,
        user_agent=user_agent[:300],
        submission_key=submission_key,
        notify_replies=notify_replies,
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


def _is_resent(comment: Comment, *, post, user, parent, body, writer, own_comment_ids) -> bool:
    """Whether `comment` is what this submission would store: same post, place, text, writer."""
    if (comment.post_id, comment.parent_id, comment.body) != (
        post.pk,
        parent.pk if parent else None,
        body,
    ):
        return False
    if user is not None or comment.user_id is not None:
        return user is not None and comment.user_id == user.pk
    # Anonymous: this browser's own comment, or the very same name, address and network.
    return comment.pk in own_comment_ids or writer == (
        comment.author_name,
        comment.author_email,
        comment.ip_hash,
    )


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
    decision = moderation_decide(
        Submission(
            post=comment.post,
            user=user,
            author_name="",
            author_email="",
            author_url="",
            body=body,
            ip_hash=comment.ip_hash,
            parent=comment.parent,
        )
    )
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
        transaction.on_commit(notifications.recent_comments_changed)
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
        transaction.on_commit(notifications.recent_comments_changed)
    return keeps_place
