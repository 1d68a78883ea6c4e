"""Writes to posts that have side effects: publishing, withdrawing, and the caches they clear.

Every path that changes what the public sees (admin saves, admin actions, the demo) ends in
`post_caches_invalidate_on_commit`, the single place the sidebar caches are cleared.
"""

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from charcot import cache as page_cache

from . import conf
from .models import Post

# Every cached sidebar widget (its rendered HTML) lives under one of these keys.
RECENT_POSTS_CACHE_KEY = "blog:recent-posts-html"
MONTH_ARCHIVE_CACHE_KEY = "blog:month-archive-html"
SIDEBAR_CACHE_KEYS = (RECENT_POSTS_CACHE_KEY, MONTH_ARCHIVE_CACHE_KEY)
# The version of every list's cached post count (blog.pagination); cleared with the sidebars.
LIST_COUNTS_VERSION_KEY = "blog:list-counts-version"
PREVIEW_SALT = "blog.post-preview"


def post_caches_invalidate() -> None:
    cache.delete_many([*SIDEBAR_CACHE_KEYS, LIST_COUNTS_VERSION_KEY])
    # Posts show on every list, feed and sidebar: every cached anonymous page is stale.
    page_cache.bump()


def post_caches_invalidate_on_commit() -> None:
    """Clear after the commit, so no reader refills the cache with the old rows meanwhile."""
    transaction.on_commit(post_caches_invalidate)


def sidebar_cache_seconds() -> int:
    """Cache widgets no longer than until the next scheduled post is due."""
    upcoming = (
        Post.objects.filter(
            status__in=[Post.Status.PUBLISHED, Post.Status.SCHEDULED],
            published_at__gt=timezone.now(),
        )
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    if upcoming is None:
        return conf.SIDEBAR_CACHE_SECONDS
    seconds = int((upcoming - timezone.now()).total_seconds()) + 1
    return max(1, min(conf.SIDEBAR_CACHE_SECONDS, seconds))


def post_publish(*, post: Post, at=None) -> Post:
    """Publish now, or schedule for `at` when that is in the future; a live post stays as is."""
    if post.is_published():
        return post
    now = timezone.now()
    with transaction.atomic():
        post.published_at = at or now
        post.status = Post.Status.SCHEDULED if post.published_at > now else Post.Status.PUBLISHED
        post.save()
        post_caches_invalidate_on_commit()
    return post


def post_withdraw(*, post: Post) -> Post:
    """Take a post back to draft: it disappears from every public page and feed."""
    with transaction.atomic():
        post.status = Post.Status.DRAFT
        post.published_at = None
        post.save()
        post_caches_invalidate_on_commit()
    return post


def post_preview_token(post: Post) -> str:
    """A secret, expiring token that lets anyone holding it read this unpublished post."""
    return signing.dumps({"post": post.pk, "guid": str(post.guid)}, salt=PREVIEW_SALT)


def post_from_preview_token(token: str, queryset=None) -> Post | None:
    """The post a preview token opens, or None when it is forged, expired or the post is gone."""
    queryset = Post.objects.all() if queryset is None else queryset
    try:
        data = signing.loads(token, salt=PREVIEW_SALT, max_age=conf.PREVIEW_MAX_AGE)
        return queryset.get(pk=data["post"], guid=data["guid"])
    except (
        signing.BadSignature,
        Post.DoesNotExist,
        ValidationError,
        KeyError,
        TypeError,
        ValueError,
    ):
        return None
