"""Downloads of a post's citation, and of its references, for reference managers."""

import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from .citations import bibtex, post_csl, references_csl, ris
from .models import Post

FORMATS = {
    "bib": (bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (ris, "application/x-research-info-systems; charset=utf-8"),
    "json": (
        lambda items: json.dumps(items, ensure_ascii=False, indent=2) + "\n",
        "application/vnd.citationstyles.csl+json; charset=utf-8",
    ),
}


class CiteFormatConverter:
    regex = "bib|ris|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


def _download(request, *, post, items, name, fmt):
    render, content_type = FORMATS[fmt]
    response = HttpResponse(render(items), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    if not post.is_published():
        response["X-Robots-Tag"] = "noindex"
        response["Cache-Control"] = "private, no-store"
    return response


def _post(request, slug):
    # Whoever may read the post may cite it: the public, or its author and editors for a draft.
    return get_object_or_404(
        Post.objects.visible_to(request.user).select_related("author"), slug=slug
    )


def post_cite(request, year, month, slug, fmt):
    post = _post(request, slug)
    url = request.build_absolute_uri(post.get_absolute_url())
    return _download(request, post=post, items=[post_csl(post, url)], name=post.slug, fmt=fmt)


def post_references_cite(request, year, month, slug, fmt):
    post = _post(request, slug)
    items = references_csl(post.references.order_by("order", "pk"))
    name = f"{post.slug}-references"
    return _download(request, post=post, items=items, name=name, fmt=fmt)
