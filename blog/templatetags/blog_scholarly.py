"""Template tags for a post's scholarly apparatus: "Cite this post" and related posts."""

import hashlib
import time

from django import template
from django.core.cache import cache
from django.template.loader import get_template
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from blog import conf
from blog.citations import post_citations as citations_in_every_style
from blog.related import posts_related_to
from blog.services import RELATED_GENERATION_KEY

register = template.Library()

RELATED_TEMPLATE = "blog/_related_posts.html"
DOWNLOADS = (("BibTeX", "bib"), ("RIS", "ris"), ("CSL-JSON", "json"))


@register.simple_tag
def post_citations(post, url):
    """The post in every citation style, and where to download it and its references."""
    kwargs = resolve(post.get_absolute_url()).kwargs

    def links(view):
        return [(label, reverse(view, kwargs={**kwargs, "fmt": fmt})) for label, fmt in DOWNLOADS]

    return {
        "styles": citations_in_every_style(post, url),
        "post_downloads": links("blog:post-cite"),
        "reference_downloads": links("blog:post-references-cite"),
    }


@register.simple_tag
def related_posts(post):
    """ "Related posts" under a post, rendered once per version of the post and of the set of
    posts (post_caches_invalidate forgets the generation whenever any post changes)."""
    template = get_template(RELATED_TEMPLATE)
    if not post.is_published():
        return template.render({"related": posts_related_to(post)})
    generation = cache.get_or_set(RELATED_GENERATION_KEY, time.time_ns, timeout=None)
    key = f"blog:related:{_template_version(template)}:{generation}:{post.shown_version()}"
    html = cache.get(key)
    if html is None:
        html = template.render({"related": posts_related_to(post)})
        # A scheduled post going live changes no generation: kept no longer than a sidebar.
        cache.set(key, html, conf.SIDEBAR_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 # safe: a rendered template, its variables escaped


def _template_version(template) -> str:
    """A template's text, the language and the time zone its dates are shown in."""
    source = hashlib.blake2b(template.template.source.encode(), digest_size=4).hexdigest()
    return f"{source}:{get_language()}:{timezone.get_current_timezone_name()}"
