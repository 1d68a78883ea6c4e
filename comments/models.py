import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from mptt.models import MPTTModel, TreeForeignKey


class Comment(MPTTModel):
    """One node of a post's discussion tree.

    Siblings are ordered oldest first by plain last-child insertion (no
    order_insertion_by), and hidden comments stay in the tree so replies keep
    their place under a placeholder.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    post = models.ForeignKey("blog.Post", on_delete=models.CASCADE, related_name="comments")
    parent = TreeForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    # Anonymous commenters; the email is never shown to anyone but staff.
    author_name = models.CharField(max_length=80, blank=True)
    author_email = models.EmailField(blank=True)
    author_url = models.URLField(blank=True)

    body = models.TextField()
    body_html = models.TextField(blank=True, editable=False)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    moderation_reason = models.CharField(
        max_length=200, blank=True, help_text="Why the comment has its status, for moderators."
    )
    is_pinned = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the writer deleted it; shown as a placeholder."
    )
    redacted_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    ip_hash = models.CharField(max_length=64, blank=True, help_text="Salted hash, never the IP.")
    user_agent = models.CharField(max_length=300, blank=True)
    submission_key = models.UUIDField(
        null=True, blank=True, unique=True, help_text="One comment per form submission."
    )
    notify_replies = models.BooleanField(default=False)
    email_confirmed = models.BooleanField(default=False)
    token = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)

    class MPTTMeta:
        order_insertion_by = []

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "spam", "removed"]),
                name="comment_status_valid",
            ),
            # At most one pinned comment per post; comment_moderate(action=PIN) swaps it under a lock.
            models.UniqueConstraint(
                fields=["post"], condition=Q(is_pinned=True), name="one_pinned_comment_per_post"
            ),
        ]
        indexes = [
            models.Index(fields=["post", "tree_id", "lft"], name="comment_post_tree_order"),
            models.Index(fields=["status", "created_at"], name="comment_status_created"),
        ]

    def __str__(self):
        return f"Comment {self.pk} on {self.post_id}"

    @property
    def display_name(self) -> str:
        if self.user_id:
            return self.user.public_name
        return self.author_name or "Anonymous"

    def get_absolute_url(self):
        return f"{self.post.get_absolute_url()}#comment-{self.pk}"

    @property
    def moderation_note(self) -> str:
        """The public line under a redacted comment; the reason itself stays private."""
        if self.redacted_at:
            return "Edited by a moderator: personal information removed."
        return ""


class Report(models.Model):
    """A reader's report that a comment breaks the rules."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        ABUSE = "abuse", "Abusive or uncivil"
        OFF_TOPIC = "off_topic", "Off-topic"
        MISINFORMATION = "misinformation", "Medical misinformation"
        PERSONAL_INFO = "personal_info", "Personal information"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    reporter_key = models.CharField(
        max_length=80, help_text="The user id or the hashed IP: one report per person."
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter_key"], name="one_report_each"),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} report on comment {self.comment_id}"


class ModerationLog(models.Model):
    """An append-only record of every moderation decision: who, when, what, why."""

    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="log_entries"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    action = models.CharField(max_length=30)
    reason = models.CharField(max_length=200, blank=True)
    original_body = models.TextField(
        blank=True, help_text="Text before a redaction; purged after the retention period."
    )
    from_status = models.CharField(
        max_length=10, blank=True, help_text="The comment's status before the action."
    )
    to_status = models.CharField(
        max_length=10, blank=True, help_text="The comment's status after the action."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.action} on comment {self.comment_id}"


class Ban(models.Model):
    """A disallowed commenter: by email, hashed IP or account."""

    class Kind(models.TextChoices):
        EMAIL = "email", "Email"
        IP = "ip", "IP hash"
        USER = "user", "Account"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=254)
    reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="ban_unique"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"
