"""Writes to discussions: every new comment goes through `comment_create`."""

from dataclasses import dataclass

from django.db import transaction

from charcot.markdown import COMMENT, render_markdown

from .models import Comment
from .moderation import Decision, Submission, moderation_decide
from .moderation_services import moderators_notify


@dataclass(frozen=True)
class CommentResult:
    comment: Comment | None
    decision: Decision


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
) -> CommentResult:
    """Store a new comment with the status the moderation policy decides.

    Pass `decision` to skip the policy (e.g. a moderator's quick reply from admin).
    """
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
    with transaction.atomic():
        comment = Comment(
            post=post,
            parent=parent,
            user=user,
            author_name="" if user else author_name,
            author_email="" if user else author_email,
            author_url="" if user else author_url,
            body=body,
            body_html=render_markdown(body, COMMENT),
            status=decision.status,
            moderation_reason=decision.reason,
            ip_hash=ip_hash,
            user_agent=user_agent[:300],
            submission_key=submission_key,
        )
        comment.save()
        if comment.status == Comment.Status.PENDING:
            moderators_notify()
    return CommentResult(comment=comment, decision=decision)
