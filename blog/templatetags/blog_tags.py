import json

from django import template
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.safestring import mark_safe

from blog import conf
from blog.models import Post
from blog.services import sidebar_cache_seconds

register = template.Library()

RECENT_POSTS_CACHE_KEY = "blog:recent-posts"
MONTH_ARCHIVE_CACHE_KEY = "blog:month-archive"

# What json_script escapes: nothing in the data can close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _cached(key, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, sidebar_cache_seconds())
    return value


@register.inclusion_tag("blog/_recent_posts.html")
def recent_posts(count=conf.RECENT_POSTS):
    """The latest posts; cached, and cleared by blog.services whenever posts change."""
    posts = _cached(
        RECENT_POSTS_CACHE_KEY,
        lambda: list(
            Post.objects.published().only("title", "slug", "published_at", "created_at")[:count]
        ),
    )
    return {"posts": posts}


@register.inclusion_tag("blog/_month_archive.html")
def month_archive():
    """Months that have posts, newest first, with how many; cached like recent_posts."""
    months = _cached(
        MONTH_ARCHIVE_CACHE_KEY,
        lambda: list(
            Post.objects.published()
            .order_by()
            .annotate(month=TruncMonth("published_at"))
            .values("month")
            .annotate(count=Count("pk"))
            .order_by("-month")
        ),
    )
    return {"months": months}


@register.filter
def json_ld(data):
    """Serialize for a <script type="application/ld+json"> block, escaped like json_script."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(text)  # noqa: S308 # safe: escaped above, no <, > or & survive
