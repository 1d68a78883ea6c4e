"""Writes with side effects: asking for, confirming, changing and ending subscriptions,
and the privacy functions (export and erasure by address).

Readers never learn from a page whether an address is subscribed: the subscribe form answers
the same way for every address, and only the mailbox's owner sees the difference.
"""

import hashlib
from collections.abc import Iterable
from datetime import timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from charcot import clientip as ip
from charcot.redis_cache import counters_increment_unless_full

from . import conf, links
from .models import Delivery, Subscriber, Subscription
from .tasks import mail_confirmation

DAY = 24 * 3600


def _subscriber_for(*, email: str, user=None) -> Subscriber:
    email = email.strip().lower()
    subscriber, _created = Subscriber.objects.get_or_create(email=email)
    if (
        user is not None
        and subscriber.user_id is None
        and not Subscriber.objects.filter(user=user).exists()
    ):
        subscriber.user = user
        subscriber.save(update_fields=["user"])
    return subscriber


def _confirmation_allowed(email: str, ip_hash: str) -> bool:
    """At most a few confirmation mails a day per address and per network: the form must
    not become a way to mail strangers."""
    limit = conf.CONFIRM_MAILS_PER_DAY
    digest = hashlib.sha256(email.encode()).hexdigest()[:32]
    counters = [(f"subscriptions:confirm:address:{digest}", limit, DAY)]
    if ip_hash:
        counters.append((f"subscriptions:confirm:ip:{ip_hash}", limit * 4, DAY))
    return counters_increment_unless_full(cache, counters) is None


def _request_confirmation(subscription: Subscription, *, ip_hash: str) -> None:
    if _confirmation_allowed(subscription.subscriber.email, ip_hash):
        transaction.on_commit(lambda: mail_confirmation.enqueue(subscription_id=subscription.pk))


def _confirm(subscription: Subscription, *, via: str, ip_hash: str) -> Subscription:
    subscription.status = Subscription.Status.CONFIRMED
    subscription.confirmed_at = timezone.now()
    subscription.confirmed_via = via
    subscription.confirmed_ip_hash = ip_hash
    subscription.unsubscribed_at = None
    if subscription.kind == Subscription.Kind.DISCUSSION:
        # Only comments from now on: following is not a request for the whole backlog.
        subscription.mailed_until = subscription.confirmed_at
    subscription.save()
    return subscription


@transaction.atomic
def subscription_request(
    *,
    email: str,
    categories: Iterable = (),
    frequency: str = Subscription.Frequency.IMMEDIATE,
    post=None,
    ip_hash: str = "",
) -> Subscription:
    """Ask for new posts (or, with `post`, a discussion) by email: double opt-in.

    Nothing but the confirmation mail reaches the address until its link is followed.
    A confirmed subscription is left as it is (its owner changes it from the manage page),
    but the mail is sent again, so its owner can reach that page.
    """
    subscriber = _subscriber_for(email=email)
    kind = Subscription.Kind.DISCUSSION if post is not None else Subscription.Kind.POSTS
    subscription, created = Subscription.objects.get_or_create(
        subscriber=subscriber,
        kind=kind,
        post=post,
        defaults={"frequency": frequency, "requested_ip_hash": ip_hash},
    )
    if not subscription.is_confirmed():
        subscription.status = Subscription.Status.PENDING
        subscription.frequency = frequency
        subscription.requested_ip_hash = ip_hash
        subscription.save(update_fields=["status", "frequency", "requested_ip_hash"])
        if kind == Subscription.Kind.POSTS:
            subscription.categories.set(list(categories))
    _request_confirmation(subscription, ip_hash=ip_hash)
    return subscription


@transaction.atomic
def subscription_confirm(*, token: str, ip_hash: str = "") -> Subscription | None:
    """Follow a confirmation link; None when it is forged, expired or its address erased."""
    data = links.read_confirm_token(token)
    if data is None:
        return None
    subscription = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("subscriber", "post")
        .filter(pk=data.get("s"))
        .first()
    )
    if subscription is None or not links.names(data, subscription.subscriber.email):
        return None
    if subscription.status != Subscription.Status.CONFIRMED:
        _confirm(subscription, via=Subscription.Via.MAIL_LINK, ip_hash=ip_hash)
    # The link came through, so the address takes mail again (it may have bounced before).
    Subscriber.objects.filter(pk=subscription.subscriber_id).update(
        hard_failures=0, bouncing_since=None
    )
    return subscription


@transaction.atomic
def member_subscribe(
    *,
    user,
    via: str,
    post=None,
    frequency: str = Subscription.Frequency.IMMEDIATE,
    ip_hash: str = "",
) -> Subscription:
    """A signed-in member subscribes with one click: their account's address is their own."""
    subscriber = _subscriber_for(email=user.email, user=user)
    kind = Subscription.Kind.DISCUSSION if post is not None else Subscription.Kind.POSTS
    subscription, _created = Subscription.objects.get_or_create(
        subscriber=subscriber, kind=kind, post=post, defaults={"frequency": frequency}
    )
    if not subscription.is_confirmed():
        subscription.frequency = frequency
        _confirm(subscription, via=via, ip_hash=ip_hash)
    return subscription


def discussion_follow_from_comment(*, request, post, comment, data) -> None:
    """The comment form's "Follow this discussion" box (a CHARCOT_COMMENTS_POSTED_HOOKS hook).

    Members follow at once; anonymous writers get a confirmation mail at the address they
    gave, like any other follow.
    """
    if not data.get("follow"):
        return
    try:
        if request.user.is_authenticated:
            if request.user.email:
                member_subscribe(
                    user=request.user,
                    via=Subscription.Via.COMMENT_FORM,
                    post=post,
                    ip_hash=ip.ip_hash(request),
                )
            return
        email = request.POST.get("email", "").strip()
        if email:
            subscription_request(email=email, post=post, ip_hash=ip.ip_hash(request))
    except IntegrityError:
        return  # the same reader following twice at once: the other request did it


@transaction.atomic
def subscription_change(*, subscription: Subscription, frequency: str, categories) -> None:
    subscription.frequency = frequency
    subscription.save(update_fields=["frequency"])
    subscription.categories.set(list(categories))


@transaction.atomic
def subscription_end(*, subscription: Subscription) -> None:
    """Stop one subscription; the address is deleted after the retention period."""
    Subscription.objects.filter(pk=subscription.pk).update(
        status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now()
    )
    Delivery.objects.filter(subscription=subscription, status=Delivery.Status.PENDING).delete()


@transaction.atomic
def subscriber_end_all(*, subscriber: Subscriber) -> int:
    ended = 0
    for subscription in subscriber.subscriptions.exclude(status=Subscription.Status.UNSUBSCRIBED):
        subscription_end(subscription=subscription)
        ended += 1
    return ended


def unsubscribed_purge(*, now=None) -> int:
    """Delete addresses whose every subscription ended more than the retention period ago."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=conf.RETENTION_DAYS)
    still_wanted = Subscription.objects.exclude(
        status=Subscription.Status.UNSUBSCRIBED
    ) | Subscription.objects.filter(unsubscribed_at__gt=cutoff)
    stale = Subscriber.objects.exclude(pk__in=still_wanted.values("subscriber")).filter(
        subscriptions__isnull=False
    )
    # Pending requests nobody confirmed go too, once their link can no longer work.
    never_confirmed = Subscriber.objects.filter(created_at__lt=cutoff).exclude(
        subscriptions__status__in=[
            Subscription.Status.CONFIRMED,
            Subscription.Status.BOUNCING,
            Subscription.Status.UNSUBSCRIBED,
        ]
    )
    deleted, _ = Subscriber.objects.filter(
        pk__in=[*stale.values_list("pk", flat=True), *never_confirmed.values_list("pk", flat=True)]
    ).delete()
    return deleted


# Privacy: the privacy app's export and erasure call these with the address in question.


def subscriptions_for_email(email: str) -> dict:
    """Everything stored about an address's subscriptions, ready for json.dumps."""
    subscriber = (
        Subscriber.objects.filter(email=(email or "").strip().lower())
        .prefetch_related("subscriptions__categories", "subscriptions__post")
        .first()
    )
    if subscriber is None:
        return {"email": (email or "").strip(), "subscriptions": [], "mails": []}

    def when(moment):
        return moment.isoformat() if moment else None

    return {
        "email": subscriber.email,
        "created_at": when(subscriber.created_at),
        "bouncing_since": when(subscriber.bouncing_since),
        "subscriptions": [
            {
                "kind": subscription.kind,
                "post": subscription.post.title if subscription.post else None,
                "categories": [category.name for category in subscription.categories.all()],
                "frequency": subscription.frequency,
                "status": subscription.status,
                "requested_at": when(subscription.requested_at),
                "requested_ip_hash": subscription.requested_ip_hash,
                "confirmed_at": when(subscription.confirmed_at),
                "confirmed_via": subscription.confirmed_via,
                "confirmed_ip_hash": subscription.confirmed_ip_hash,
                "unsubscribed_at": when(subscription.unsubscribed_at),
            }
            for subscription in subscriber.subscriptions.all()
        ],
        "mails": [
            {"what": key, "status": status, "sent_at": when(sent_at)}
            for key, status, sent_at in subscriber.deliveries.order_by("created_at").values_list(
                "key", "status", "sent_at"
            )
        ],
    }


@transaction.atomic
def subscriptions_erase(email: str) -> int:
    """Delete an address with its subscriptions, consent records and mail records."""
    deleted, _ = Subscriber.objects.filter(email=(email or "").strip().lower()).delete()
    return deleted
