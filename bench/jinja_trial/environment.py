"""The Jinja2 environment of the trial: what the ported templates need of Django and Charcot.

Each global stands for a Django tag the templates used: {% static %}, {% url %}, the
project's simple and inclusion tags. The Django tags are called as they are, so the HTML
they give is the same; only the templates around them change engine.
"""

from django.template import Context
from django.template.defaultfilters import date, floatformat, pluralize, urlencode
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, Environment, pass_context
from markupsafe import Markup

from blog.templatetags import blog_scholarly, blog_tags
from comments.templatetags import comments_tags
from identities.templatetags.identities_tags import external_providers


def url(name, *args, **kwargs):
    return reverse(name, args=args or None, kwargs=kwargs or None)


@pass_context
def post_part(context, template_name):
    # On a miss the part renders in Django, which wants a Django Context.
    return blog_tags.post_part(Context(context.get_all()), template_name)


@pass_context
def render_discussion(context, post):
    data = comments_tags.render_discussion(context, post)
    data["csrf_input"] = context.get("csrf_input")
    template = context.environment.get_template("comments/_discussion.html")
    return Markup(template.render(data))  # noqa: S704 # safe: a rendered template, autoescaped


def environment(**options):
    # Missing variables and their attributes render as nothing, as in Django's templates.
    options["undefined"] = ChainableUndefined
    env = Environment(keep_trailing_newline=True, **options)  # noqa: S701 (autoescape from Django)
    env.globals.update(
        static=static,
        url=url,
        post_part=post_part,
        render_discussion=render_discussion,
        related_posts=blog_scholarly.related_posts,
        recent_posts=blog_tags.recent_posts,
        month_archive=blog_tags.month_archive,
        post_summaries=blog_tags.post_summaries,
        recent_comments=comments_tags.recent_comments,
        pending_comment_count=comments_tags.pending_comment_count,
        with_public_comment_counts=comments_tags.with_public_comment_counts,
        external_providers=external_providers,
    )
    env.filters.update(date=date, floatformat=floatformat, pluralize=pluralize, urlencode=urlencode)
    return env
