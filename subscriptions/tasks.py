"""Subscription mail through django.tasks: nothing is sent inside a reader's request.

`send_post_mail` (a management command run every minute) queues what is due and enqueues
`deliveries_send` once per batch the rate allows; database workers (`db_worker`) then send.
"""

from django.tasks import task

from blog.models import Post

from . import links, mailing, mails
from .models import Subscription


@task
def mail_confirmation(subscription_id: int) -> None:
    """The double opt-in mail; also resent to a confirmed address, which gets its manage link."""
    subscription = (
        Subscription.objects.select_related("subscriber", "post").filter(pk=subscription_id).first()
    )
    if subscription is None or subscription.status == Subscription.Status.BOUNCING:
        return
    mails.confirmation_message(subscription).send()


@task
def deliveries_send() -> int:
    """Send one batch of due subscription mail; returns how many went out."""
    return mailing.deliveries_send().sent


@task
def mail_test(post_id: int, email: str) -> None:
    """ "Send a test to me" in admin: the post's mail, marked as a test, to an editor."""
    post = Post.objects.select_related("author", "category").filter(pk=post_id).first()
    if post is None:
        return
    rendered = mails.render(
        "subscriptions/emails/post.md",
        {"post": post, "url": links.absolute(post.get_absolute_url())},
    )
    test = mails.Rendered(
        subject=f"[Test] {rendered.subject}", text=rendered.text, html=rendered.html
    )
    placeholder = links.absolute("/subscribe/")
    mails.message(test, to=email, unsubscribe=placeholder, manage=placeholder).send()
