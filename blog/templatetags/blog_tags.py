import hashlib
import json

from django import template
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from blog import conf
from blog.models import Post, load_page_details
from blog.services import MONTH_ARCHIVE_CACHE_KEY, RECENT_POSTS_CACHE_KEY, sidebar_cache_seconds

register = template.Library()

SUMMARY_TEMPLATE = "blog/_post_summary.html"

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
def recent_posts():
    """The latest conf.RECENT_POSTS posts; cached, and cleared by blog.services whenever posts
    change. No count argument: the cache key would have to carry it."""

    def context():
        posts = Post.objects.published().only("title", "slug", "published_at", "created_at")
        return {"posts": posts[: conf.RECENT_POSTS]}

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


def _summary_key(post, prefix: str) -> str:
    """Made of everything the summary shows, so that an edit, a new comment, an author's new
    name or a renamed category each make a new key: no change has to clear anything."""
    author, category = post.author, post.category
    shown = (
        post.title, post.slug, post.published_at, post.standfirst, post.reading_minutes,
        post.public_comment_count, author.slug, author.public_name,
        category and (category.slug, category.name),
    )  # fmt: skip
    return prefix + hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()


@register.simple_tag
def post_summaries(posts):
    """The list's post summaries, each rendered once and then kept under a key of what it
    shows: ten summaries cost more to render than the rest of the page."""
    template = get_template(SUMMARY_TEMPLATE)
    prefix = f"blog:summary:{_template_version(template)}:"
    keys = [_summary_key(post, prefix) for post in posts]
    html = cache.get_many(keys)
    missing = {
        key: template.render({"post": post})
        for key, post in zip(keys, posts, strict=True)
        if key not in html
    }
    if missing:
        cache.set_many(missing, conf.SUMMARY_CACHE_SECONDS)
        html |= missing
    pieces = (html[key] for key in keys)
    return SafeString("".join(pieces))  # safe: rendered templates, their variables escaped


def _template_version(template) -> str:
    """A template's text, the language and the time zone its dates are shown in."""
    source = hashlib.blake2b(template.template.source.encode(), digest_size=4).hexdigest()
    return f"{source}:{get_language()}:{timezone.get_current_timezone_name()}"


@register.simple_tag(takes_context=True)
def post_part(context, template_name):
    """A part of a post's page that is the same for every reader (the post, its head tags,
    its author box), rendered once per version of what it shows (Post.shown_version): the
    post's text, references and head tags cost more than a hundred comments. The cache
    holds no reader's data, so it serves signed-in readers too. Previews render live."""
    post = context["post"]
    template = get_template(template_name)
    if not post.is_published():
        load_page_details(post)
        return template.template.render(context)
    key = f"blog:part:{template_name}:{_template_version(template)}:{post.shown_version()}"
    html = cache.get(key)
    if html is None:
        load_page_details(post)
        html = template.template.render(context)
        cache.set(key, html, conf.SUMMARY_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 # safe: a rendered template, its variables escaped


@register.filter
def json_ld(data):
    """Serialize for a <script type="application/ld+json"> block, escaped like json_script."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(text)  # noqa: S308 # safe: escaped above, no <, > or & survive


@register.filter
def citing(post, number) -> list[str]:
    """The ids of the places in the post's text that cite reference `number` (back-links)."""
    return post.outline.citations.get(number, [])
