"""Old comment anchors (#comment-123, Blogger's #c123) land on the comment they named.

Fragments never reach the server, so static/js/old-anchors.js sends a reader whose
anchor names no comment on the page here, with the page's path and the anchor's id.
"""

from django.http import Http404, HttpResponseRedirect
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_GET

from blog.models import Post

from .models import ImportedComment


@require_GET
def old_comment(request):
    path, anchor = request.GET.get("post", ""), request.GET.get("id", "")
    try:
        match = resolve(path)
    except Resolver404:
        raise Http404("No such post.") from None
    if match.view_name != "blog:post" or not anchor.isdigit():
        raise Http404("No such post.")
    post = Post.objects.published().filter(slug=match.kwargs["slug"]).first()
    if post is None:
        raise Http404("No such post.")
    row = (
        ImportedComment.objects.select_related("comment")
        .filter(imported_post__post=post, source_id=anchor)
        .first()
    )
    if row is None or not row.comment.is_public():
        return HttpResponseRedirect(post.get_absolute_url() + "#comments")
    return HttpResponseRedirect(row.comment.get_absolute_url())
