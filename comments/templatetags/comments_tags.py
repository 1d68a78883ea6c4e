from django import template

register = template.Library()


@register.inclusion_tag("comments/_discussion.html", takes_context=True)
def render_discussion(context, post):
    """The discussion under a post: the tree, the form and per-viewer bits."""
    return {"post": post, "request": context.get("request")}
