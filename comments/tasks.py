"""Work done after the response, through django.tasks: every discussion mail, so posting
never waits for a mail server (notices to writers and authors, address confirmation, the
moderators' digest), and re-rendering a writer's stored comment fragments."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import EmailMessage, send_mail
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from accounts import roles
from charcot.absolute import absolute_url

from . import conf, fragments, mail_links
from .models import Comment, MailOptOut

NOTIFY_CACHE_KEY = "moderation:pending-digest-sent"
FOLLOW_UP_CACHE_KEY = "moderation:pending-digest-follow-up"
DIGEST_LIMIT = 50


def _send(*, template: str, to: str, context: dict, unsubscribe_token: str) -> None:
    """One mail from a template; its one-click unsubscribe link is `{{ unsubscribe }}` too."""
    unsubscribe = mail_links.unsubscribe_url(unsubscribe_token)
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
    if not author.notify_on_comments or _opted_out(author.email):
        return
    _send(
        template="comments/emails/new_comment.txt",
        to=author.email,
        context={
            "comment": comment,
            "post": comment.post,
            "url": absolute_url(comment.get_absolute_url()),
        },
        unsubscribe_token=mail_links.unsubscribe_author_token(author),
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
            "url": absolute_url(reply.get_absolute_url()),
        },
        unsubscribe_token=mail_links.unsubscribe_replies_token(parent),
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
            "confirm": mail_links.confirm_url(comment),
        },
        unsubscribe_token=mail_links.unsubscribe_address_token(comment.author_email),
    )


def moderator_emails() -> list[str]:
    users = get_user_model().objects.filter(
        Q(groups__name=roles.MODERATORS) | Q(is_superuser=True), is_active=True
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


@task
def pending_digest_send(follow_up: bool = False) -> int:
    """Email every moderator the comments waiting, with a link to the pending list."""
    if follow_up:
        cache.delete(FOLLOW_UP_CACHE_KEY)
        period = conf.MODERATION_NOTIFY_EVERY_MINUTES * 60
        if not cache.add(NOTIFY_CACHE_KEY, timezone.now().timestamp(), timeout=period):
            return 0  # a digest went out since this one was scheduled
    pending = list(
        Comment.objects.awaiting_moderation()
        .select_related("post", "user")
        .order_by("created_at", "pk")[: DIGEST_LIMIT + 1]
    )
    recipients = moderator_emails()
    if not pending or not recipients:
        return 0
    link = absolute_url(reverse("admin:comments_comment_changelist") + "?status__exact=pending")
    more = len(pending) > DIGEST_LIMIT
    lines = [
        f"- {c.display_name} on “{c.post.title}” ({c.moderation_reason or 'held'}): "
        f"{Truncator(' '.join(c.body.split())).chars(120)}"
        for c in pending[:DIGEST_LIMIT]
    ]
    body = "\n".join(
        [
            "These comments are waiting for moderation:",
            "",
            *lines,
            *(["- …and more."] if more else []),
            "",
            f"Review them: {link}",
        ]
    )
    count = f"{DIGEST_LIMIT}+" if more else str(len(pending))
    subject = f"[{settings.SITE_NAME}] {count} comment{'s' if count != '1' else ''} waiting"
    for address in recipients:
        send_mail(subject, body, None, [address])
    return len(recipients)


@task
def spam_wave_notice(minutes: int) -> int:
    """Tell every moderator, once per wave, that anonymous comments are being held."""
    recipients = moderator_emails()
    link = absolute_url(reverse("admin:comments_comment_changelist") + "?status__exact=pending")
    subject = f"[{settings.SITE_NAME}] Spam wave: new anonymous comments are held"
    body = (
        "Many submissions were caught as spam in the last hour, so new anonymous comments "
        f"are held for review for the next {minutes} minutes.\n\nThe queue: {link}"
    )
    for address in recipients:
        send_mail(subject, body, None, [address])
    return len(recipients)


@task
def fragments_refresh(user_id: int) -> int:
    """Re-render the stored fragments of one writer's comments after their shown profile
    or roles changed. Until it has run, pages render those comments afresh (their keys no
    longer match), so nothing stale is ever shown; this only brings the speed back."""
    return fragments.refresh(Comment.objects.filter(user_id=user_id))
