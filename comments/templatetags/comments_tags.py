import re

from django import template
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.html import strip_tags
from django.utils.text import Truncator

from comments import conf, discussion, models, rendering, spam_wave
from comments.forms import comment_form_for
from comments.models import Comment
from comments.moderation.services import comments_for_desk, may_use_desk

register = template.Library()

RECENT_CACHE_KEY = "comments:recent-html"  # the rendered sidebar widget


@register.inclusion_tag("comments/_discussion.html", takes_context=True)
def render_discussion(context, post):
    """The discussion under a post: the tree, the form and per-viewer bits."""
    request = context.get("request")
    viewer = discussion.Viewer.from_request(request)
    query = request.GET if request is not None else {}
    sort = discussion.parse_sort(query.get("sort"))
    data = discussion.load_page(post, viewer, sort=sort, page_number=query.get("page") or 1)
    form = context.get("comment_form")
    if form is None and request is not None:
        form = comment_form_for(request)
    is_open = post.is_open_for_comments()
    # Moderators, and the post's author, get a link to each comment in the desk.
    moderates = may_use_desk(viewer.user) and (
        viewer.user.is_moderator or viewer.user.pk == post.author_id
    )
    return {
        "post": post,
        "request": request,
        "user": context.get("user"),
        "csrf_token": context.get("csrf_token"),
        "items": data.items,
        "comment_list": rendering.render_comment_list(
            data.items, is_open=is_open, moderates=moderates
        ),
        "page_obj": data.page,
        "sort": data.sort,
        "public_count": data.public_count,
        "form": form,
        "is_open": is_open,
        "max_length": conf.BODY_MAX_LENGTH,
        "spam_wave": spam_wave.is_active(),
    }


QUOTES = re.compile(r"<blockquote\b.*?</blockquote>", re.DOTALL | re.IGNORECASE)


def own_words(body_html: str) -> str:
    """A comment without the words it quotes; all of it if it is nothing but a quote."""
    own = QUOTES.sub(" ", body_html)
    return own if strip_tags(own).strip() else body_html


@register.simple_tag
def recent_comments():
    """Sidebar widget: the latest public comments site-wide, cached as HTML until one changes."""
    html = cache.get(RECENT_CACHE_KEY)
    if html is None:
        latest = Comment.objects.recent_public().select_related("user", "post")[: conf.RECENT_COUNT]
        items = [
            {
                "pk": comment.pk,
                "name": comment.display_name,
                "post_title": comment.post.title,
                "url": comment.get_absolute_url(),
                "excerpt": Truncator(strip_tags(own_words(comment.body_html))).chars(90),
                "created_at": comment.created_at,
            }
            for comment in latest
        ]
        html = get_template("comments/_recent_comments.html").render({"items": items})
        cache.set(RECENT_CACHE_KEY, html, conf.RECENT_CACHE_SECONDS)
    return html


@register.simple_tag
def comment_alone(comment):
    """One comment shown above the reply form, annotated by discussion.annotate_one."""
    return rendering.render_comment(comment)


PENDING_COUNT_ATTR = "_charcot_pending_comment_count"


@register.simple_tag
def pending_comment_count(user) -> int | None:
    """Comments waiting for this moderator or author; None off the desk. One COUNT query a
    request: the admin's header and its index both show it, and the request's user is
    loaded once per request, so the count is kept on it."""
    if not may_use_desk(user):
        return None
    count = getattr(user, PENDING_COUNT_ATTR, None)
    if count is None:
        count = comments_for_desk(user).filter(status=Comment.Status.PENDING).count()
        setattr(user, PENDING_COUNT_ATTR, count)
    return count


@register.simple_tag
def with_public_comment_counts(posts) -> list:
    """A list's posts, each with `public_comment_count`, from one query over their comments
    (blog lists show counts; blog itself knows nothing of comments)."""
    return models.with_public_comment_counts(posts)
