"""Discussion mail, sent through django.tasks so posting never waits for a mail server."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string

from . import notifications
from .models import Comment, MailOptOut


def _send(*, template: str, to: str, context: dict, unsubscribe_token: str) -> None:
    """One mail from a template; its one-click unsubscribe link is `{{ unsubscribe }}` too."""
    unsubscribe = notifications.unsubscribe_url(unsubscribe_token)
    context = {**context, "unsubscribe": unsubscribe}
    subject, _, body = render_to_string(template, context).strip().partition("\n")
    # Every mail carries one-click unsubscribe (RFC 8058): mail clients POST to this URL.
    headers = {
        "Auto-Submitted": "auto-generated",
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    EmailMessage(
        subject=subject.strip(),
        body=body.strip() + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    ).send()


def _load(comment_id: int) -> Comment | None:
    return (
        Comment.objects.select_related("post", "post__author", "user", "parent", "parent__user")
        .filter(pk=comment_id)
        .first()
    )


def _opted_out(address: str) -> bool:
    return MailOptOut.objects.filter(email__iexact=address).exists()


@task
def mail_post_author(comment_id: int) -> None:
    """Tell a post's author about a new public comment on it (unless they turned it off)."""
    comment = _load(comment_id)
    if comment is None or not comment.is_public():
        return
    author = comment.post.author
    if comment.user_id == author.pk or not author.email:
        return
    if not getattr(author, "notify_on_comments", True) or _opted_out(author.email):
        return
    _send(
        template="comments/emails/new_comment.txt",
        to=author.email,
        context={
            "comment": comment,
            "post": comment.post,
            "url": notifications.absolute(comment.get_absolute_url()),
        },
        unsubscribe_token=notifications.unsubscribe_author_token(author),
    )


@task
def mail_reply_notification(comment_id: int) -> None:
    """Tell the writer of the parent comment that someone answered, if they asked to know."""
    reply = _load(comment_id)
    if reply is None or not reply.is_public() or reply.parent is None:
        return
    parent = reply.parent
    address = parent.writer_email
    if not (parent.notify_replies and parent.email_confirmed and address):
        return
    if parent.deleted_at is not None or _opted_out(address):
        return
    if reply.writer_email and reply.writer_email.lower() == address.lower():
        return  # answering oneself
    _send(
        template="comments/emails/reply.txt",
        to=address,
        context={
            "reply": reply,
            "parent": parent,
            "post": reply.post,
            "url": notifications.absolute(reply.get_absolute_url()),
        },
        unsubscribe_token=notifications.unsubscribe_replies_token(parent),
    )


@task
def mail_address_confirmation(comment_id: int) -> None:
    """Ask an anonymous writer to confirm their address before any reply mail reaches it."""
    comment = _load(comment_id)
    if comment is None or comment.email_confirmed or not comment.author_email:
        return
    _send(
        template="comments/emails/confirm.txt",
        to=comment.author_email,
        context={
            "comment": comment,
            "post": comment.post,
            "confirm": notifications.confirm_url(comment),
        },
        unsubscribe_token=notifications.unsubscribe_address_token(comment.author_email),
    )
