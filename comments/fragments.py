"""Each comment's public article, rendered once and stored under the key of what it shows.

What a comment shows every reader (its writer's avatar, name, ORCID mark and badges, its
dates, its text and a redaction note) is rendered when the comment is saved and stored on
its row (`Comment.html`), beside a key of everything that went into it
(`Comment.html_key`): the comment's own fields, its writer's shown profile and roles,
whether the writer wrote the post, and the site-wide inputs (time zone, static and media
URLs, this module's VERSION). A page recomputes each key from the rows it has just read
and uses the stored fragment only when the keys match; otherwise it renders the comment
(and the page stays correct). So no fragment can go stale, whichever path changed its
inputs: the rule of docs/architecture.md, "keyed by what it shows, nothing to purge".
Writes store the new fragment at once, and a change of a writer's shown profile re-renders
their comments in a task (`refresh`), so readers seldom pay for a render.

What differs between readers (the permalink, the "own comment" class, the held notice,
"Replying to …", the links) is added around the fragment by comments.rendering. For that,
the fragment is three parts joined by SEPARATOR: the avatar, name and badges; the date;
and the rest, from the "edited" mark to the end of the article. U+001F is taken out of
the first two parts (forms drop it already; an import or the admin might not), and
`split(SEPARATOR, 2)` leaves any in the body where they are.

Why a column and not a cache entry, and what checking a key costs against rendering, is
measured in docs/benchmarks.md ("Stored comment fragments").
"""

import hashlib
from datetime import UTC
from functools import cache
from html import escape  # Django's escape() is this plus a str() and a SafeString wrapper

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.signals import setting_changed
from django.db.models import StringAgg, Value
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3

from accounts import roles
from accounts.avatars import avatar_markup

VERSION = "1"  # change when the markup below changes: every fragment re-renders
SEPARATOR = "\x1f"
BATCH = 500

# What a comment shows of its writer (accounts.models.User.public_name and the rest).
WRITER_FIELDS = (
    "pk",
    "display_name",
    "first_name",
    "last_name",
    "username",
    "slug",
    "avatar_small",
    "verified_orcid",
    "is_superuser",
)


class Writer:
    """A comment's writer as the page shows them: a plain row, not a User instance (a long
    discussion has a hundred writers, and building User objects cost a third of reading it)."""

    __slots__ = ("pk", "public_name", "slug", "avatar", "orcid", "is_moderator", "key")

    def __init__(self, pk, public_name, slug, avatar, orcid, is_moderator):
        self.pk = pk
        self.public_name = public_name
        self.slug = slug
        self.avatar = avatar  # the stored file's name, "" for none
        self.orcid = orcid
        self.is_moderator = is_moderator
        self.key = f"{public_name}\x1f{slug}\x1f{avatar}\x1f{orcid}\x1f{is_moderator:d}"

    @classmethod
    def of_user(cls, user) -> "Writer":
        return cls(
            user.pk,
            user.public_name,
            user.slug,
            user.avatar_small.name or "",
            user.verified_orcid,
            user.is_moderator,
        )


def writers_of(user_ids) -> dict:
    """The members who wrote these comments, as Writers, with their roles: one query."""
    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return {}
    rows = (
        get_user_model()
        .objects.filter(pk__in=ids)
        .annotate(role_list=StringAgg("groups__name", delimiter=Value("\n")))
        .values_list(*WRITER_FIELDS, "role_list")
    )
    writers = {}
    for pk, display, first, last, username, slug, avatar, orcid, is_superuser, role_list in rows:
        # accounts.models.User.public_name and is_moderator, on the row
        name = display or f"{first} {last}".strip() or username
        is_moderator = is_superuser or roles.MODERATORS in (role_list or "").split("\n")
        writers[pk] = Writer(pk, name, slug, avatar or "", orcid, is_moderator)
    return writers


@cache
def site_inputs() -> str:
    """What every fragment shows of the site itself (forgotten when a test changes it)."""
    return "\x1f".join(
        (
            VERSION,
            settings.TIME_ZONE,
            static("img/orcid.svg"),
            default_storage.url("x"),
            reverse("accounts:profile", kwargs={"slug": "x"}),
        )
    )


@receiver(setting_changed)
def forget_site_inputs(**kwargs):
    site_inputs.cache_clear()
    Chrome.instance = None


def key_of(item, writer, is_post_author: bool) -> str:
    """The key of everything the fragment of `item` shows (a row or a Comment)."""
    shown = "\x1f".join(
        (
            site_inputs(),
            writer.key if writer is not None else f"{item.author_name}\x1f{item.author_url}",
            str(item.created_at.timestamp()),
            str(item.edited_at.timestamp()) if item.edited_at else "",
            str(item.redacted_at.timestamp()) if item.redacted_at else "",
            "p" if item.is_pinned and item.parent_id is None else "",
            "a" if is_post_author else "",
            item.body_html,
        )
    )
    return hashlib.blake2b(shown.encode(), digest_size=8).hexdigest()


def fragment_of(item, writer, is_post_author: bool) -> str:
    """The stored fragment when its key still matches, else a fresh one."""
    if item.html and item.html_key == key_of(item, writer, is_post_author):
        return item.html
    return Chrome.get().render(item, writer, is_post_author)


def store(comment, writer, is_post_author: bool) -> None:
    """Set a Comment's fragment and key (Comment.save calls it before writing the row)."""
    comment.html = Chrome.get().render(comment, writer, is_post_author)
    comment.html_key = key_of(comment, writer, is_post_author)


def refresh(comments) -> int:
    """Re-render the stale fragments of a Comment queryset, in batches; returns how many.

    For what bypasses Comment.save: bulk inserts (the importer, the demo, the bench seed),
    queryset updates, a writer's changed profile or roles, a deploy that changes VERSION.
    """
    model = comments.model
    changed = 0
    last_pk = 0
    base = comments.order_by("pk").select_related("post")
    while True:
        batch = list(base.filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            return changed
        last_pk = batch[-1].pk
        writers = writers_of(comment.user_id for comment in batch)
        stale = []
        for comment in batch:
            writer = writers.get(comment.user_id)
            is_post_author = (
                comment.user_id is not None and comment.user_id == comment.post.author_id
            )
            key = key_of(comment, writer, is_post_author)
            if comment.html and comment.html_key == key:
                continue
            comment.html = Chrome.get().render(comment, writer, is_post_author)
            comment.html_key = key
            stale.append(comment)
        model.objects.bulk_update(stale, ["html", "html_key"])
        changed += len(stale)


class Chrome:
    """Writes fragments: URLs, month names and the time zone are worked out once."""

    instance = None

    @classmethod
    def get(cls) -> "Chrome":
        if cls.instance is None:
            cls.instance = cls()
        return cls.instance

    def __init__(self):
        marker = "2147483647"
        prefix, suffix = reverse("accounts:profile", kwargs={"slug": marker}).split(marker)
        self.profile_url = lambda slug: f"{prefix}{slug}{suffix}"
        self.zone = timezone.get_default_timezone()  # the site's: one fragment for everyone
        self.months = [str(name).title() for name in MONTHS_3.values()]
        self.orcid_mark = escape(static("img/orcid.svg"))

    def render(self, item, writer, is_post_author: bool) -> str:
        badges = ""
        if item.is_pinned and item.parent_id is None:
            badges += ' <span class="badge badge--pinned">Pinned by the author</span>'
        if is_post_author:
            badges += ' <span class="badge badge--author">Author</span>'
        if writer is not None and writer.is_moderator:
            badges += ' <span class="badge badge--moderator">Moderator</span>'
        when = f'<time datetime="{iso(item.created_at)}" property="dateCreated">{self.when(item.created_at)}</time>'
        rest = ""
        if item.edited_at:
            rest = (
                f' <time class="comment__edited" datetime="{iso(item.edited_at)}"'
                f' title="Edited {self.when(item.edited_at)}">edited</time>'
            )
        rest += f'</header><div class="comment__body" property="text">{item.body_html}</div>'
        if item.redacted_at:
            rest += f'<p class="comment__note">{escape(item.moderation_note)}</p>\n'
        person = self.person(item, writer).replace(SEPARATOR, "")
        return f"{person}{badges}{SEPARATOR}{when}{SEPARATOR}{rest}"

    def person(self, item, writer) -> str:
        """The writer's avatar and name, linked to their profile or their own site."""
        person = 'property="author" typeof="Person"'
        if writer is not None:
            name = writer.public_name
            avatar = avatar_markup(
                default_storage.url(writer.avatar) if writer.avatar else "", name
            )
            href, rel = (self.profile_url(writer.slug) if writer.slug else ""), ""
        else:
            name = item.author_name or "Anonymous"
            avatar = avatar_markup("", name)
            href, rel = web_url(item.author_url), ' rel="nofollow ugc noopener"'
        name = escape(name)
        if href and writer is not None and writer.orcid:
            # proven by ORCID sign-in (identities/): the mark, and sameAs in the data
            orcid_url = f"https://orcid.org/{escape(writer.orcid)}"
            return (
                f'{avatar} <a class="comment__author" href="{escape(href)}" {person}>'
                f'<span property="name">{name}</span><link property="sameAs" href="{orcid_url}"></a>'
                f' <a class="orcid-mark" href="{orcid_url}" rel="noopener">'
                f'<img src="{self.orcid_mark}" alt="Verified ORCID iD {escape(writer.orcid)}" width="16" height="16"></a>'
            )
        if href:
            return (
                f'{avatar} <a class="comment__author" href="{escape(href)}"{rel} {person}>'
                f'<span property="name">{name}</span></a>'
            )
        return f'{avatar} <span class="comment__author" {person}><span property="name">{name}</span></span>'

    def when(self, moment) -> str:
        """ "12 Nov 2026, 22:24" in the site's time zone: a date that stays true in a cache."""
        local = moment.astimezone(self.zone)
        return (
            f"{local.day} {self.months[local.month - 1]} {local.year},"
            f" {local.hour:02}:{local.minute:02}"
        )


def web_url(value) -> str:
    """Only http(s) links leave the site from a commenter's name; anything else is dropped."""
    value = str(value or "").strip()
    return value if value.lower().startswith(("http://", "https://")) else ""


def iso(moment) -> str:
    """A machine-readable UTC time to the minute, e.g. 2026-11-12T22:24Z."""
    t = moment.astimezone(UTC)  # strftime() took as long as the rest of the comment
    return f"{t.year}-{t.month:02}-{t.day:02}T{t.hour:02}:{t.minute:02}Z"
