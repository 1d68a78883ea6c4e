"""Demo subscribers: confirmed, weekly, pending and bouncing addresses, a followed
discussion, and the latest post's mail recorded as sent. Idempotent; needs the blog demo
(or any published post) first, and adds only subscribers when there is none."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from blog.models import Category, Post
from subscriptions.models import Delivery, PostMailing, Subscriber, Subscription

ADDRESSES = {
    # address: (frequency, status, category names)
    "nina.patel@example.org": ("immediate", "confirmed", ()),
    "tom.okafor@example.org": ("weekly", "confirmed", ("Clinic Speak",)),
    "ines.moreau@example.org": ("immediate", "confirmed", ("Research Speak", "Journal Club")),
    "waiting@example.org": ("immediate", "pending", ()),
    "old.mailbox@example.org": ("immediate", "bouncing", ()),
}


@transaction.atomic
def seed() -> list[Subscription]:
    now = timezone.now()
    made = []
    for email, (frequency, status, category_names) in ADDRESSES.items():
        subscriber, _ = Subscriber.objects.get_or_create(email=email)
        confirmed = status != "pending"
        subscription, created = Subscription.objects.get_or_create(
            subscriber=subscriber,
            kind=Subscription.Kind.POSTS,
            defaults={
                "frequency": frequency,
                "status": status,
                "confirmed_at": now - timedelta(days=20) if confirmed else None,
                "confirmed_via": Subscription.Via.DEMO if confirmed else "",
            },
        )
        if created and category_names:
            subscription.categories.set(Category.objects.filter(name__in=category_names))
        if status == "bouncing" and subscriber.bouncing_since is None:
            subscriber.hard_failures = 3
            subscriber.bouncing_since = now - timedelta(days=2)
            subscriber.save(update_fields=["hard_failures", "bouncing_since"])
        made.append(subscription)
    latest = Post.objects.published().order_by("-published_at").first()
    if latest is None:
        return made
    nina = Subscriber.objects.get(email="nina.patel@example.org")
    follow, _ = Subscription.objects.get_or_create(
        subscriber=nina,
        kind=Subscription.Kind.DISCUSSION,
        post=latest,
        defaults={
            "status": Subscription.Status.CONFIRMED,
            "confirmed_at": now,
            "confirmed_via": Subscription.Via.DEMO,
            "mailed_until": now,
        },
    )
    made.append(follow)
    # The latest post's mail, as the command would have recorded it.
    mailing, created = PostMailing.objects.get_or_create(post=latest)
    if created:
        recipients = [s for s in made[:3] if s.frequency == Subscription.Frequency.IMMEDIATE]
        Delivery.objects.bulk_create(
            [
                Delivery(
                    subscriber=subscription.subscriber,
                    subscription=subscription,
                    kind=Delivery.Kind.POST,
                    key=f"post:{latest.pk}",
                    post=latest,
                    status=Delivery.Status.SENT,
                    attempts=0,
                    next_attempt_at=latest.published_at,
                    sent_at=latest.published_at + timedelta(minutes=1),
                )
                for subscription in recipients
            ],
            ignore_conflicts=True,
        )
        mailing.recipients = len(recipients)
        mailing.save(update_fields=["recipients"])
    return made
