from django import template
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.html import strip_tags
from django.utils.text import Truncator

from comments import conf, discussion, notifications, rendering
from comments.models import Comment

register = template.Library()


@register.inclusion_tag("comments/_discussion.html", takes_context=True)
def render_discussion(context, post):
    """The discussion under a post: the tree, the form and per-viewer bits."""
    from comments.views import comment_form_for

    request = context.get("request")
    viewer = discussion.Viewer.from_request(request)
    query = request.GET if request is not None else {}
    sort = discussion.parse_sort(query.get("sort"))
    data = discussion.load_page(post, viewer, sort=sort, page_number=query.get("page") or 1)
    form = context.get("comment_form")
    if form is None and request is not None:
        form = comment_form_for(request)
    is_open = post.is_open_for_comments()
    return {
        "post": post,
        "request": request,
        "user": context.get("user"),
        "csrf_token": context.get("csrf_token"),
        "items": data.items,
        "comment_list": rendering.render_comment_list(data.items, is_open=is_open),
        "page_obj": data.page,
        "sort": data.sort,
        "public_count": data.public_count,
        "form": form,
        "is_open": is_open,
        "max_length": conf.body_max_length(),
    }


@register.simple_tag
def recent_comments():
    """Sidebar widget: the latest public comments site-wide, cached as HTML until one changes."""
    html = cache.get(notifications.RECENT_CACHE_KEY)
    if html is None:
        latest = Comment.objects.recent_public().select_related("user", "post")[
            : conf.recent_count()
        ]
        items = [
            {
                "pk": comment.pk,
                "name": comment.display_name,
                "post_title": comment.post.title,
                "url": comment.get_absolute_url(),
                "excerpt": Truncator(strip_tags(comment.body_html)).chars(90),
                "created_at": comment.created_at,
            }
            for comment in latest
        ]
        html = get_template("comments/_recent_comments.html").render({"items": items})
        cache.set(notifications.RECENT_CACHE_KEY, html, conf.recent_cache_seconds())
    return html


@register.simple_tag
def comment_alone(comment):
    """One comment shown above the reply form, annotated by discussion.annotate_one."""
    return rendering.render_comment(comment)
