"""Writes to posts that have side effects: publishing, withdrawing, and the caches they clear.

Every path that changes what the public sees (admin saves, admin actions, the demo) calls
`charcot.cache.public_pages_changed`, which also forgets the sidebar widgets registered in
`BlogConfig.ready`.
"""

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from charcot import cache as page_cache

from . import conf
from .models import Post

# Every cached sidebar widget (its rendered HTML) lives under one of these keys.
RECENT_POSTS_CACHE_KEY = "blog:recent-posts-html"
MONTH_ARCHIVE_CACHE_KEY = "blog:month-archive-html"
# Part of the key of every cached "Related posts" list (blog_scholarly.related_posts).
RELATED_GENERATION_KEY = "blog:related-generation"
SIDEBAR_CACHE_KEYS = (RECENT_POSTS_CACHE_KEY, MONTH_ARCHIVE_CACHE_KEY, RELATED_GENERATION_KEY)
PREVIEW_SALT = "blog.post-preview"


def sidebar_cache_seconds() -> int:
    """Cache widgets no longer than until the next scheduled post is due."""
    upcoming = Post.objects.next_publication_at()
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
        page_cache.public_pages_changed()
    return post


def post_withdraw(*, post: Post) -> Post:
    """Take a post back to draft: it disappears from every public page and feed."""
    with transaction.atomic():
        post.status = Post.Status.DRAFT
        post.published_at = None
        post.save()
        page_cache.public_pages_changed()
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
