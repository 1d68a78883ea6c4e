"""Where an old WordPress or Blogger link now lives, if it was imported and is public."""

import re
from datetime import UTC, datetime
from urllib.parse import unquote

from comments.models import Comment

from .models import ImportedComment, ImportedPost, Source

# /2010/05/slug/, /2010/05/12/slug/, Blogger's /2010/05/slug.html, WordPress's paged
# comments /2010/05/slug/comment-page-2/ and feeds /2010/05/slug/feed/.
DATED = re.compile(
    r"^/(?P<year>\d{4})/(?P<month>\d{2})/(?:\d{2}/)?(?P<slug>[^/]+?)(?:\.html)?/?"
    r"(?:comment-page-\d+/?|feed/?|amp/?)?$"
)


def for_query(query) -> str | None:
    """WordPress's plain links: /?p=123 (and /?p=123&replytocom=456)."""
    source_id = query.get("p", "")
    if not source_id.isdigit():
        return None
    imported = _imported(ImportedPost.objects.filter(source=Source.WORDPRESS, source_id=source_id))
    if imported is None:
        return None
    reply = query.get("replytocom", "")
    return _comment_url(imported, source_id=reply) if reply.isdigit() else _post_url(imported)


def for_path(path: str, query) -> str | None:
    """An old permalink that has no page here (a 404)."""
    path = unquote(path).lower()
    candidates = ImportedPost.objects.filter(source_path__in={path, path.rstrip("/") + "/"})
    imported = _imported(candidates)
    if imported is None:
        match = DATED.match(path)
        if match is None:
            return None
        imported = _imported(
            ImportedPost.objects.filter(source_slug=match["slug"]),
            year=int(match["year"]),
            month=int(match["month"]),
        )
    if imported is None:
        return None
    shown = query.get("showComment", "")
    if shown.isdigit():
        return _comment_url(imported, shown_at=int(shown))
    return _post_url(imported)


def _imported(queryset, *, year=None, month=None) -> ImportedPost | None:
    """The public post among these imports (the one of that month first, when several)."""
    found = [
        imported
        for imported in queryset.select_related("post")[:20]
        if imported.post.is_published()
    ]
    if year is not None:
        found.sort(
            key=lambda item: (
                (item.post.published_at.year, item.post.published_at.month) != (year, month)
            )
        )
    return found[0] if found else None


def _post_url(imported: ImportedPost) -> str:
    return imported.post.get_absolute_url()


def _comment_url(imported: ImportedPost, *, source_id: str = "", shown_at: int = 0) -> str:
    """A public comment's permalink, or the post when the comment is not public (or gone)."""
    comment = None
    if source_id:
        row = ImportedComment.objects.filter(imported_post=imported, source_id=source_id).first()
        comment = row.comment if row else None
    elif shown_at:
        # Blogger's ?showComment= is the comment's publication time in milliseconds.
        moment = datetime.fromtimestamp(shown_at / 1000, tz=UTC)
        comment = Comment.objects.filter(post_id=imported.post_id, created_at=moment).first()
    if comment is None or not comment.is_public():
        return _post_url(imported)
    return comment.get_absolute_url()
