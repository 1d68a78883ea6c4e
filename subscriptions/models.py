"""Who asked for which mail, their consent, and a record of every mail sent.

An address (Subscriber) holds its subscriptions; each subscription is confirmed on its own
(double opt-in), so nobody can add a follow to someone else's confirmed address. Every mail
is a Delivery row whose `key` is unique per address: a post, a week's digest or a batch of
comments is mailed at most once to each address, whatever runs twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Subscriber(models.Model):
    """One email address; a member's own address when `user` is set."""

    email = models.EmailField(unique=True, help_text="Stored in lower case; never shown publicly.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subscriber",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    hard_failures = models.PositiveIntegerField(
        default=0, help_text="Hard delivery failures in a row; reset by a delivered mail."
    )
    bouncing_since = models.DateTimeField(
        null=True, blank=True, help_text="Set after repeated hard failures: no more mail is sent."
    )

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Subscription.Status.CONFIRMED)

    def to_new_posts(self):
        return self.filter(kind=Subscription.Kind.POSTS)

    def to_discussions(self):
        return self.filter(kind=Subscription.Kind.DISCUSSION)

    def for_post(self, post):
        """New-post subscriptions that want this post: every category, or the post's."""
        matching = Q(categories__isnull=True)
        if post.category_id:
            matching |= Q(categories=post.category_id)
        return self.to_new_posts().filter(matching).distinct()


class Subscription(models.Model):
    class Kind(models.TextChoices):
        POSTS = "posts", "New posts"
        DISCUSSION = "discussion", "A discussion"

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "One mail per post"
        WEEKLY = "weekly", "A weekly digest"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        BOUNCING = "bouncing", "Bouncing"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    class Via(models.TextChoices):
        MAIL_LINK = "mail-link", "Confirmation link in a mail"
        PROFILE = "profile", "Signed-in member, from their profile"
        MEMBER_FOLLOW = "member-follow", "Signed-in member, on a post"
        COMMENT_FORM = "comment-form", "Signed-in member, with their comment"
        DEMO = "demo", "Demo data"

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    post = models.ForeignKey(
        "blog.Post",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followers",
        help_text="The discussion followed (only for discussions).",
    )
    categories = models.ManyToManyField(
        "blog.Category",
        blank=True,
        related_name="subscriptions",
        help_text="Only posts in these categories; none means every post.",
    )
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    # Consent: when it was asked for and confirmed, how, and from which (hashed) network.
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_ip_hash = models.CharField(max_length=64, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_via = models.CharField(max_length=16, choices=Via.choices, blank=True)
    confirmed_ip_hash = models.CharField(
        max_length=64, blank=True, help_text="Keyed hash of the network, never the IP."
    )
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Discussions: comments created after this were not mailed yet.
    mailed_until = models.DateTimeField(null=True, blank=True)
    last_mailed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["subscriber", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["posts", "discussion"]), name="subscription_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "confirmed", "bouncing", "unsubscribed"]),
                name="subscription_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=["immediate", "weekly"]),
                name="subscription_frequency_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind="posts", post__isnull=True)
                | Q(kind="discussion", post__isnull=False),
                name="subscription_discussion_has_post",
            ),
            models.UniqueConstraint(
                fields=["subscriber"], condition=Q(kind="posts"), name="one_posts_subscription"
            ),
            models.UniqueConstraint(
                fields=["subscriber", "post"],
                condition=Q(kind="discussion"),
                name="one_follow_per_discussion",
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.DISCUSSION:
            return f"{self.subscriber} follows post {self.post_id}"
        return f"{self.subscriber}: new posts ({self.get_frequency_display().lower()})"

    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED


class PostMailing(models.Model):
    """A post's mail: created once, when the post is first found public, by one worker."""

    post = models.OneToOneField("blog.Post", on_delete=models.CASCADE, related_name="mailing")
    queued_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-queued_at"]

    def __str__(self):
        return f"Mail of post {self.post_id}"


class Delivery(models.Model):
    """One mail to one address; the unique key makes every send idempotent."""

    class Kind(models.TextChoices):
        POST = "post", "New post"
        DIGEST = "digest", "Weekly digest"
        DISCUSSION = "discussion", "Discussion"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(
        max_length=100, help_text="What is mailed, e.g. post:12; unique per address."
    )
    post = models.ForeignKey(
        "blog.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(
        max_length=32, blank=True, help_text="The sending worker that took this mail."
    )
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "key"], name="one_delivery_per_key"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed"]),
                name="delivery_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self):
        return f"{self.key} to {self.subscriber_id}"
