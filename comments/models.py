import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey
from mptt.querysets import TreeQuerySet

from blog.models import Post
from charcot.markdown import COMMENT, render_markdown

from . import conf, fragments


class CommentQuerySet(TreeQuerySet):
    """Who may see which comment, defined once; each rule has an instance twin on Comment."""

    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def public(self):
        """Shown with their text to everyone: approved and not deleted by their writer."""
        return self.filter(public_q())

    def visible_on(self, post):
        return self.public().filter(post=post)

    def awaiting_moderation(self):
        """Held for a moderator's decision, and not deleted by their writer meanwhile."""
        return self.filter(awaiting_moderation_q())

    def written_by(self, user=None, ids=()):
        """The viewer's own comments: by account, or by the ids an anonymous writer holds."""
        return self.filter(written_by_q(user, ids))

    def visible_to(self, user=None, own_ids=()):
        """Public comments plus the viewer's own comments still awaiting moderation."""
        return self.filter(visible_to_q(user, own_ids))

    def readable(self):
        """What anyone can open and read: public, on a published post. The site-wide stream,
        "Your comments" and the report form use it (any other comment's link is a 404)."""
        return self.public().filter(post__in=Post.objects.published())

    def recent_public(self):
        """The site-wide stream: readable comments, newest first."""
        return self.readable().order_by("-created_at", "-pk")


def public_q() -> Q:
    return Q(status=Comment.Status.APPROVED, deleted_at__isnull=True)


def awaiting_moderation_q() -> Q:
    return Q(status=Comment.Status.PENDING, deleted_at__isnull=True)


# The moderation policy's look-ups of a new comment's writer (comments.moderation), in SQL
# for both databases: built with the ORM they cost 3.5 ms of Python a comment, the
# rest of the reply about 6. Each condition is spelt as its partial index is defined
# (comment_email_created, comment_ip_created, comment_user_created), so SQLite, too, sees
# that the index applies; iexact would be LIKE on SQLite, which no index serves.
BY_ADDRESS = "UPPER(author_email) = UPPER(%s) AND NOT (author_email = '')"
BY_NETWORK = "ip_hash = %s AND NOT (ip_hash = '')"
BY_ACCOUNT = "user_id = %s"


@dataclass(frozen=True)
class WriterRecord:
    """What the database says about a new comment's writer."""

    ban: str | None = None  # the kind of the oldest Ban that matches
    duplicate: bool = False  # the same text from the same person within the window
    returning: bool = False  # an approved comment from the same person before


def writer_record(
    *,
    bans: list[tuple[str, str]],
    same_person: list[tuple[str, object]],
    bodies: list[str],
    since,
    approved_before: tuple[str, object] | None,
) -> WriterRecord:
    """Look the writer up in one query: bans (kind, value), the same text since `since`
    from any of `same_person` (BY_*, value), an approved comment by `approved_before`
    (BY_ACCOUNT, user id) or (BY_ADDRESS, (address, name)).

    Each look-up is its own subquery, so each goes through its own index: ORed in one
    WHERE, the planner would read every comment of the window site-wide instead.
    """
    columns, params = [], []
    if bans:
        either = " OR ".join(["(kind = %s AND value = %s)"] * len(bans))
        columns.append(f"(SELECT kind FROM comments_ban WHERE {either} ORDER BY id LIMIT 1)")  # noqa: S608 (placeholders only)
        params += [value for ban in bans for value in ban]
    recent = (
        f"created_at >= %s AND body IN ({', '.join(['%s'] * len(bodies))}) AND NOT (status = %s)"
    )
    window = [connection.ops.adapt_datetimefield_value(since), *bodies, Comment.Status.REMOVED]
    for condition, value in same_person if bodies else ():
        columns.append(f"EXISTS(SELECT 1 FROM comments_comment WHERE {condition} AND {recent})")  # noqa: S608 (BY_* and placeholders)
        params += [value, *window]
    if approved_before is not None:
        condition, value = approved_before
        extra = []
        if condition == BY_ADDRESS:  # value is (address, name): both must match
            value, name = value
            extra = [name]
            condition += " AND user_id IS NULL AND UPPER(author_name) = UPPER(%s)"
        approved = f"EXISTS(SELECT 1 FROM comments_comment WHERE {condition} AND status = %s)"  # noqa: S608 (BY_*)
        columns.append(approved)
        params += [value, *extra, Comment.Status.APPROVED]
    if not columns:
        return WriterRecord()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}", params)
        row = list(cursor.fetchone())
    ban = row.pop(0) if bans else None
    returning = bool(row.pop()) if approved_before is not None else False
    return WriterRecord(ban=ban, duplicate=any(row), returning=returning)


def written_by_q(user=None, ids=()) -> Q:
    condition = Q(pk__in=list(ids))
    if user is not None and user.is_authenticated:
        condition |= Q(user=user)
    return condition


def visible_to_q(user=None, own_ids=()) -> Q:
    return public_q() | (awaiting_moderation_q() & written_by_q(user, own_ids))


CommentManager = TreeManager.from_queryset(CommentQuerySet)

# The fields a comment's stored fragment shows (comments.fragments.key_of reads them).
SHOWN_FIELDS = frozenset(
    ("body", "body_html", "created_at", "edited_at", "redacted_at", "is_pinned", "parent")
    + ("author_name", "author_url", "user", "user_id", "post", "post_id")
)


class CommentRules:
    """The instance twins of the queryset rules above, and what a comment shows publicly.

    Shared by the Comment model and the discussion's lightweight rows
    (comments.discussion.Node), so each rule is written once. Reads only the fields
    pk, user_id, user, author_name, status, deleted_at, redacted_at and created_at.
    """

    __slots__ = ()

    @property
    def display_name(self) -> str:
        if self.user_id:
            return self.user.public_name
        return self.author_name or "Anonymous"

    @property
    def moderation_note(self) -> str:
        """The public line under a redacted comment; the reason itself stays private."""
        if self.redacted_at:
            return "Edited by a moderator: personal information removed."
        return ""

    def is_approved(self) -> bool:
        return self.status == Comment.Status.APPROVED

    def is_public(self) -> bool:
        return self.is_approved() and self.deleted_at is None

    def is_awaiting_moderation(self) -> bool:
        return self.status == Comment.Status.PENDING and self.deleted_at is None

    def is_written_by(self, user=None, ids=()) -> bool:
        if self.pk is not None and self.pk in ids:
            return True
        return bool(user is not None and user.is_authenticated and self.user_id == user.pk)

    def is_visible_to(self, user=None, own_ids=()) -> bool:
        return self.is_public() or (
            self.is_awaiting_moderation() and self.is_written_by(user, own_ids)
        )

    def is_editable_by(self, user, *, has_replies: bool, now=None) -> bool:
        """Writers may fix a comment shortly after posting, while nobody has answered it."""
        if user is None or not user.is_authenticated or self.user_id != user.pk:
            return False
        if self.deleted_at is not None or has_replies:
            return False
        if self.redacted_at is not None:
            return False  # an edit could put back what a moderator removed
        now = now or timezone.now()
        return (now - self.created_at).total_seconds() < conf.EDIT_WINDOW_SECONDS

    def is_deletable_by(self, user) -> bool:
        return bool(
            user is not None
            and user.is_authenticated
            and self.user_id == user.pk
            and self.deleted_at is None
        )


class Comment(CommentRules, MPTTModel):
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

    # No single-column indexes on post, user or tree_id: the composite indexes below start
    # with each of them, and every index is rewritten for each row mptt shifts.
    post = models.ForeignKey(
        "blog.Post", on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    parent = TreeForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        db_index=False,
    )
    # mptt would add tree_id with its own index; its (tree_id, lft) index serves instead.
    tree_id = models.PositiveIntegerField(editable=False)
    # Anonymous commenters; the email is never shown to anyone but staff.
    author_name = models.CharField(max_length=80, blank=True)
    author_email = models.EmailField(blank=True)
    author_url = models.URLField(blank=True)

    body = models.TextField()
    body_html = models.TextField(blank=True, editable=False)
    # The public article, rendered once and stored under the key of what it shows
    # (comments.fragments); a page checks the key and renders afresh when it differs.
    html = models.TextField(blank=True, editable=False)
    html_key = models.CharField(max_length=16, blank=True, editable=False)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    moderation_reason = models.CharField(
        max_length=200, blank=True, help_text="Why the comment has its status, for moderators."
    )
    public_reason = models.CharField(
        max_length=200,
        blank=True,
        help_text="Why it is held, in plain words for its writer; empty for spam signals.",
    )
    policy_reason = models.CharField(
        max_length=200,
        blank=True,
        help_text="The posting policy's first verdict (e.g. “spam: honeypot”); never overwritten.",
    )
    asks_author = models.BooleanField(
        default=False,
        help_text="The reader ticked “Ask the author”: a question for the post's author, "
        "with or without a question mark.",
    )
    question_state = models.CharField(
        max_length=12,
        blank=True,
        choices=[("answered", "Answered"), ("not_question", "Not a question")],
        help_text="Set by the post's author in the unanswered-questions queue.",
    )
    is_pinned = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the writer deleted it; shown as a placeholder."
    )
    redacted_at = models.DateTimeField(null=True, blank=True)

    # A default rather than auto_now_add: the fragment, which shows it, is made before the insert.
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    ip_hash = models.CharField(max_length=64, blank=True, help_text="Salted hash, never the IP.")
    user_agent = models.CharField(max_length=300, blank=True)
    submission_key = models.UUIDField(
        null=True, blank=True, unique=True, help_text="One comment per form submission."
    )
    notify_replies = models.BooleanField(default=False)
    email_confirmed = models.BooleanField(default=False)
    token = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)

    objects = CommentManager()

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
            # Paging a post's threads without touching the replies: pinned threads come
            # first, and a root's rght gives its thread's size.
            models.Index(
                fields=["post", "tree_id", "is_pinned", "rght"],
                condition=Q(parent__isnull=True),
                name="comment_post_roots",
            ),
            # A post's public comments, read from the index alone: the discussion's count
            # and which threads have something to show.
            models.Index(
                fields=["post", "tree_id"],
                condition=Q(status="approved", deleted_at__isnull=True),
                name="comment_post_public",
            ),
            # The moderation policy looks the writer up on every new comment (a first
            # comment? the same text a moment ago?) by address, hashed IP or account. Each
            # index is partial: only rows that can match pay for it on mptt's lft/rght
            # shifts (members' comments keep no address, hashed IPs are purged in time).
            models.Index(
                Upper("author_email"),
                F("created_at"),
                condition=~Q(author_email=""),
                name="comment_email_created",
            ),
            models.Index(
                fields=["ip_hash", "created_at"],
                condition=~Q(ip_hash=""),
                name="comment_ip_created",
            ),
            models.Index(
                fields=["user", "created_at"],
                condition=Q(user__isnull=False),
                name="comment_user_created",
            ),
        ]

    def __str__(self):
        return f"Comment {self.pk} on {self.post_id}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.body_html = render_markdown(self.body, COMMENT)
            if update_fields is not None:
                update_fields = kwargs["update_fields"] = {*update_fields, "body_html"}
        if update_fields is None or not SHOWN_FIELDS.isdisjoint(update_fields):
            self.store_fragment()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "html", "html_key"}
        super().save(*args, **kwargs)

    def render_shown(self) -> None:
        """Everything a page shows of this comment, made before it is written without
        save() (comments.tree's one-statement reply): its HTML and its stored article."""
        self.body_html = render_markdown(self.body, COMMENT)
        self.store_fragment()

    def store_fragment(self) -> None:
        writer = fragments.Writer.of_user(self.user) if self.user_id else None
        is_post_author = self.user_id is not None and self.user_id == self.post.author_id
        fragments.store(self, writer, is_post_author)

    @property
    def writer_email(self) -> str:
        """Where notifications to this comment's writer go; never shown publicly."""
        return self.user.email if self.user_id else self.author_email

    def get_absolute_url(self):
        """The permalink view, which opens the right page of the discussion at this comment."""
        from django.urls import reverse

        return reverse("comments:permalink", kwargs={"pk": self.pk})


class MailOptOut(models.Model):
    """An address that clicked "unsubscribe" on a new-comment mail: it gets no more."""

    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.email


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
    handled_at = models.DateTimeField(
        null=True, blank=True, help_text="When a moderator dealt with it; open until then."
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(max_length=30, blank=True, help_text="What was done about it.")

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
    policy_reason = models.CharField(
        max_length=200, blank=True, help_text="Why the posting policy first held or spammed it."
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


def with_public_comment_counts(posts) -> list:
    """Set `public_comment_count` on each post from one query over these posts' comments.

    Not an annotation on the list query: there PostgreSQL counts the comments of every post
    in the list (a join) or of every row an OFFSET skips (a subquery), not just the page's.
    """
    posts = list(posts)
    counts = dict(
        Comment.objects.public()
        .filter(post__in=posts)
        .order_by()
        .values_list("post")
        .annotate(count=models.Count("*"))  # COUNT(*): PostgreSQL reads comment_post_public alone
    )
    for post in posts:
        post.public_comment_count = counts.get(post.pk, 0)
    return posts


class SpamFilterToken(models.Model):
    """One feature of the local spam filter (comments.spam_filter): how often it appeared in
    comments moderators called spam and in comments they approved. Nothing leaves the site."""

    token = models.CharField(max_length=80, unique=True)
    spam = models.PositiveIntegerField(default=0)
    ham = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.token
