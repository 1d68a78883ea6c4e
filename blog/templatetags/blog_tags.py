import json

from django import template
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from blog import conf
from blog.models import Post
from blog.services import MONTH_ARCHIVE_CACHE_KEY, RECENT_POSTS_CACHE_KEY, sidebar_cache_seconds

register = template.Library()

# What json_script escapes: nothing in the data can close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _cached_html(key, template_name, get_context):
    """A widget's HTML from the cache, rendered on a miss. The HTML, not the rows: rendering
    dozens of links and dates on every page cost more than the query did."""
    html = cache.get(key)
    if html is None:
        html = render_to_string(template_name, get_context())
        cache.set(key, html, sidebar_cache_seconds())
    return html


@register.simple_tag
def recent_posts(count=conf.RECENT_POSTS):
    """The latest posts; cached, and cleared by blog.services whenever posts change."""

    def context():
        posts = Post.objects.published().only("title", "slug", "published_at", "created_at")
        return {"posts": posts[:count]}

    return _cached_html(RECENT_POSTS_CACHE_KEY, "blog/_recent_posts.html", context)


@register.simple_tag
def month_archive():
    """Months that have posts, newest first, with how many; cached like recent_posts."""

    def context():
        months = (
            Post.objects.published()
            .order_by()
            .annotate(month=TruncMonth("published_at"))
            .values("month")
            .annotate(count=Count("pk"))
            .order_by("-month")
        )
        return {"months": months}

    return _cached_html(MONTH_ARCHIVE_CACHE_KEY, "blog/_month_archive.html", context)


@register.filter
def json_ld(data):
    """Serialize for a <script type="application/ld+json"> block, escaped like json_script."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(text)  # noqa: S308 # safe: escaped above, no <, > or & survive
