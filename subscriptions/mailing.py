"""Queueing and sending subscription mail, run by the `send_post_mail` command and tasks.

Exactly once: every mail is a Delivery row, unique per address and key (`post:12`,
`digest:2026-11-30`, `discussion:7:…`), created with ON CONFLICT DO NOTHING. A worker
claims due rows under its own claim id (skipping rows another worker has locked), so two
workers never send the same row; a row a dead worker left half-sent is failed, not resent.
"""

import smtplib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.mail import mailers
from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from blog.models import Post
from comments.models import Comment

from . import conf, links, mails
from .models import Delivery, PostMailing, Subscriber, Subscription

INSERT_BATCH = 2000


def _wanted(subscriptions):
    return subscriptions.confirmed().filter(subscriber__bouncing_since__isnull=True)


def _queue(rows: list[Delivery]) -> int:
    """Insert deliveries, skipping any key an address already has."""
    created = Delivery.objects.bulk_create(rows, batch_size=INSERT_BATCH, ignore_conflicts=True)
    return len(created)


def _queue_for(subscriptions, *, now: datetime, **fields) -> int:
    """One delivery per subscription, in one INSERT … SELECT: 10,000 addresses never pass
    through Python (bulk_create took 3.5 s for them, close to the 5 s allowed). A key an
    address already has is skipped (ON CONFLICT DO NOTHING), which keeps it exactly once.

    `fields` are the same for every row and never None (PostgreSQL could not type a bare
    NULL parameter in a SELECT list; omitted columns are NULL anyway).
    """
    recipients = (
        subscriptions.order_by()
        .annotate(queued_subscription=F("pk"), queued_subscriber=F("subscriber_id"))
        .values_list("queued_subscription", "queued_subscriber")
    )
    inner, inner_params = recipients.query.sql_with_params()
    ops = connection.ops
    constants = {
        **fields,
        "status": Delivery.Status.PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "claim": "",
        "last_error": "",
        "created_at": now,
    }
    values = [
        ops.adapt_datetimefield_value(value) if isinstance(value, datetime) else value
        for value in constants.values()
    ]
    columns = ["subscription_id", "subscriber_id", *constants]
    quoted = ", ".join(ops.quote_name(Delivery._meta.get_field(c).column) for c in columns)
    placeholders = ", ".join(["%s"] * len(values))
    # The WHERE keeps SQLite from reading ON CONFLICT as a join's ON.
    sql = (
        f"INSERT INTO {ops.quote_name(Delivery._meta.db_table)} ({quoted}) "  # noqa: S608 (names from the model, values as parameters)
        f"SELECT recipients.queued_subscription, recipients.queued_subscriber, {placeholders} "
        f"FROM ({inner}) recipients WHERE 1 = 1 ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *inner_params])
        return max(cursor.rowcount, 0)


# --- Queueing -----------------------------------------------------------------------------


def post_mail_queue(*, post: Post, now: datetime | None = None) -> int:
    """Queue a post's mail to every confirmed immediate subscriber it concerns, once.

    The PostMailing row is created by exactly one worker; a post saved again, withdrawn and
    republished, or seen by two workers at once is never queued twice.
    """
    now = now or timezone.now()
    with transaction.atomic():
        mailing, created = PostMailing.objects.get_or_create(post=post)
        if not created:
            return 0
        recipients = _wanted(Subscription.objects.for_post(post)).filter(
            frequency=Subscription.Frequency.IMMEDIATE
        )
        queued = _queue_for(
            recipients, now=now, kind=Delivery.Kind.POST, key=f"post:{post.pk}", post_id=post.pk
        )
        mailing.recipients = queued
        mailing.save(update_fields=["recipients"])
    return queued


def new_posts_queue(*, now: datetime | None = None) -> int:
    """Queue the mail of every post that became public recently (published at once or at
    its scheduled time) and has not been mailed."""
    now = now or timezone.now()
    since = now - timedelta(hours=conf.NEW_POST_WINDOW_HOURS)
    posts = Post.objects.published().filter(published_at__gte=since, mailing__isnull=True)
    return sum(post_mail_queue(post=post, now=now) for post in posts.order_by("published_at"))


def week_start(moment: datetime) -> datetime:
    local = timezone.localtime(moment)
    monday = local.date() - timedelta(days=local.weekday())
    return timezone.make_aware(datetime.combine(monday, datetime.min.time()))


def digests_queue(*, now: datetime | None = None) -> int:
    """On the digest day, queue last week's digest for every weekly subscriber, once."""
    now = now or timezone.now()
    if timezone.localtime(now).weekday() != conf.DIGEST_WEEKDAY:
        return 0
    end = week_start(now)
    start = end - timedelta(days=7)
    if not Post.objects.published().filter(published_at__gte=start, published_at__lt=end).exists():
        return 0
    recipients = _wanted(Subscription.objects.to_new_posts()).filter(
        frequency=Subscription.Frequency.WEEKLY
    )
    return _queue_for(
        recipients,
        now=now,
        kind=Delivery.Kind.DIGEST,
        key=f"digest:{start.date().isoformat()}",
        period_start=start,
        period_end=end,
    )


def discussions_queue(*, now: datetime | None = None) -> int:
    """Queue one mail per followed discussion with new public comments, at most one per
    discussion and address per conf.DISCUSSION_EVERY_MINUTES.

    Only approved comments that are still shown are ever mailed; held, spam and removed
    ones never are (the send re-reads them, so one removed meanwhile is left out too).
    """
    now = now or timezone.now()
    quiet_since = now - timedelta(minutes=conf.DISCUSSION_EVERY_MINUTES)
    due = (
        _wanted(Subscription.objects.to_discussions())
        .filter(post__in=Post.objects.published())
        .exclude(last_mailed_at__gt=quiet_since)
        .select_related("subscriber")
    )
    by_post: dict[int, list[Subscription]] = {}
    for subscription in due:
        by_post.setdefault(subscription.post_id, []).append(subscription)
    if not by_post:
        return 0
    oldest = min(s.mailed_until or s.confirmed_at or now for subs in by_post.values() for s in subs)
    # The newest public comment per post since the oldest mark: one query for every post.
    latest = dict(
        Comment.objects.public()
        .filter(post__in=list(by_post), created_at__gt=oldest, created_at__lte=now)
        .order_by()
        .values_list("post")
        .annotate(newest=Max("created_at"))
    )
    rows, mailed = [], []
    for post_id, subscriptions in by_post.items():
        newest = latest.get(post_id)
        for subscription in subscriptions:
            since = subscription.mailed_until or subscription.confirmed_at or now
            if newest is None or newest <= since:
                continue
            rows.append(
                Delivery(
                    subscriber_id=subscription.subscriber_id,
                    subscription_id=subscription.pk,
                    kind=Delivery.Kind.DISCUSSION,
                    key=f"discussion:{post_id}:{newest.isoformat()}",
                    post_id=post_id,
                    period_start=since,
                    period_end=newest,
                    next_attempt_at=now,
                )
            )
            mailed.append((subscription.pk, newest))
    with transaction.atomic():
        queued = _queue(rows)
        for pk, newest in mailed:
            Subscription.objects.filter(pk=pk).update(mailed_until=newest, last_mailed_at=now)
    return queued


# --- Sending ------------------------------------------------------------------------------


@dataclass
class SendResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    bounced: list[str] = field(default_factory=list)


def rate_budget(now: datetime | None = None) -> int:
    """How many more mails this minute allows (conf.RATE_PER_MINUTE)."""
    now = now or timezone.now()
    recent = Delivery.objects.filter(sent_at__gt=now - timedelta(minutes=1)).count()
    return max(0, conf.RATE_PER_MINUTE - recent)


def due_count(now: datetime | None = None) -> int:
    now = now or timezone.now()
    return Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now).count()


def _claim(size: int, now: datetime) -> list[Delivery]:
    """Take up to `size` due deliveries for this worker alone."""
    claim = uuid.uuid4().hex
    with transaction.atomic():
        ids = list(
            Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:size]
        )
        # The status condition makes the claim safe even where rows cannot be locked.
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SENDING, claimed_at=now, claim=claim
        )
    return list(
        Delivery.objects.filter(status=Delivery.Status.SENDING, claim=claim)
        .select_related("subscriber", "subscription", "post", "post__author", "post__category")
        .order_by("pk")
    )


def _is_hard_failure(error: Exception) -> bool:
    """The server refused the address for good (a 5xx), rather than for now."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _content(delivery: Delivery, cache: dict) -> mails.Rendered | None:
    """The shared body of this delivery's mail, rendered once per batch."""
    subscription = delivery.subscription
    if delivery.kind == Delivery.Kind.POST:
        key = ("post", delivery.post_id)
        if key not in cache:
            cache[key] = mails.render(
                "subscriptions/emails/post.md",
                {"post": delivery.post, "url": links.absolute(delivery.post.get_absolute_url())},
            )
        return cache[key]
    if delivery.kind == Delivery.Kind.DIGEST:
        categories = tuple(sorted(subscription.categories.values_list("pk", flat=True)))
        key = ("digest", delivery.period_start, categories)
        if key not in cache:
            posts = Post.objects.published().filter(
                published_at__gte=delivery.period_start, published_at__lt=delivery.period_end
            )
            if categories:
                posts = posts.filter(category__in=categories)
            posts = list(posts.select_related("category").order_by("published_at"))
            cache[key] = (
                mails.render(
                    "subscriptions/emails/digest.md",
                    {
                        "posts": [
                            (post, links.absolute(post.get_absolute_url())) for post in posts
                        ],
                        "start": delivery.period_start,
                    },
                )
                if posts
                else None
            )
        return cache[key]
    key = ("discussion", delivery.post_id, delivery.period_start, delivery.period_end)
    if key not in cache:
        comments = list(
            Comment.objects.visible_on(delivery.post)
            .filter(created_at__gt=delivery.period_start, created_at__lte=delivery.period_end)
            .select_related("user")
            .order_by("created_at", "pk")
        )
        cache[key] = (
            mails.render(
                "subscriptions/emails/discussion.md",
                {
                    "post": delivery.post,
                    "url": links.absolute(delivery.post.get_absolute_url()) + "#comments",
                    "comments": [
                        (
                            comment.display_name,
                            "\n".join(f"> {line}" for line in comment.body.splitlines()),
                            links.absolute(comment.get_absolute_url()),
                        )
                        for comment in comments
                    ],
                },
            )
            if comments
            else None
        )
    return cache[key]


def _still_wanted(delivery: Delivery) -> bool:
    subscription = delivery.subscription
    if delivery.kind == Delivery.Kind.POST and not delivery.post.is_published():
        return False
    return subscription.is_confirmed() and delivery.subscriber.bouncing_since is None


def deliveries_send(*, now: datetime | None = None, size: int | None = None) -> SendResult:
    """Send one batch of due mail over one connection, within the per-minute rate."""
    now = now or timezone.now()
    _fail_stale_claims(now)
    size = min(size or conf.BATCH_SIZE, rate_budget(now))
    result = SendResult()
    if size <= 0:
        return result
    batch = _claim(size, now)
    if not batch:
        return result
    cache: dict = {}
    sent_ids, delivered_to, skipped = [], set(), []
    connection = mailers.default
    connection.open()
    try:
        for delivery in batch:
            delivery.subscription.subscriber = delivery.subscriber  # the same row: no query
            content = _content(delivery, cache) if _still_wanted(delivery) else None
            if content is None:
                skipped.append(delivery.pk)
                continue
            mail = mails.message(
                content,
                to=delivery.subscriber.email,
                unsubscribe=links.unsubscribe_url(delivery.subscription),
                manage=links.manage_url(delivery.subscriber),
            )
            try:
                connection.send_messages([mail])
            except Exception as error:  # noqa: BLE001 - any failure is recorded and retried
                _record_failure(delivery, error, now, result)
            else:
                sent_ids.append(delivery.pk)
                delivered_to.add(delivery.subscriber_id)
    finally:
        connection.close()
    Delivery.objects.filter(pk__in=sent_ids).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    Delivery.objects.filter(pk__in=skipped).update(
        status=Delivery.Status.FAILED, last_error="Not sent: no longer subscribed or published."
    )
    Subscriber.objects.filter(pk__in=delivered_to, hard_failures__gt=0).update(hard_failures=0)
    result.sent = len(sent_ids)
    return result


def _record_failure(delivery: Delivery, error: Exception, now: datetime, result: SendResult):
    attempts = delivery.attempts + 1
    hard = _is_hard_failure(error)
    give_up = attempts >= conf.MAX_ATTEMPTS
    if hard:
        subscriber = delivery.subscriber
        subscriber.hard_failures += 1
        if subscriber.hard_failures >= conf.BOUNCE_AFTER:
            subscriber.bouncing_since = now
            Subscription.objects.filter(
                subscriber=subscriber, status=Subscription.Status.CONFIRMED
            ).update(status=Subscription.Status.BOUNCING)
            result.bounced.append(subscriber.email)
            give_up = True
        subscriber.save(update_fields=["hard_failures", "bouncing_since"])
    Delivery.objects.filter(pk=delivery.pk).update(
        attempts=attempts,
        status=Delivery.Status.FAILED if give_up else Delivery.Status.PENDING,
        next_attempt_at=now + timedelta(seconds=conf.RETRY_BASE_SECONDS * 2 ** (attempts - 1)),
        last_error=f"{'hard' if hard else 'soft'}: {type(error).__name__}: {error}"[:300],
    )
    if give_up:
        result.failed += 1
    else:
        result.retried += 1


def _fail_stale_claims(now: datetime) -> None:
    """A worker that died mid-batch may have sent some of its mails: record them as failed
    rather than risk a second copy."""
    Delivery.objects.filter(
        status=Delivery.Status.SENDING,
        claimed_at__lt=now - timedelta(minutes=conf.STALE_CLAIM_MINUTES),
    ).update(status=Delivery.Status.FAILED, last_error="The sending worker stopped; not resent.")
