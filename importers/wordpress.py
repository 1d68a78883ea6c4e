"""Reading a WordPress export (WXR 1.0-1.2) as a stream of records, one item at a time."""

import functools
import html
from collections.abc import Iterator
from urllib.parse import urlsplit

from django.utils import timezone

from .dates import first_date, parse_rfc822, parse_sql_utc
from .records import SourceAuthor, SourceComment, SourcePost, SourceTerm
from .xmlstream import ImportFileError, iter_events, line_of

# WXR's namespaces; the wp: one carries the version (1.0, 1.1, 1.2), so it is matched by prefix.
NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
WP_PREFIX = "http://wordpress.org/export/"

COMMENT_STATUSES = {"1": "approved", "approve": "approved", "0": "pending", "hold": "pending",
                    "spam": "spam", "trash": "removed", "post-trashed": "removed"}  # fmt: skip
POST_STATUSES = {"publish": "published", "future": "scheduled", "draft": "draft",
                 "pending": "draft", "auto-draft": "draft", "private": "draft"}  # fmt: skip


@functools.lru_cache(maxsize=512)  # a file uses a few dozen tags, a million times over
def short(tag: str) -> str:
    """ "{http://wordpress.org/export/1.2/}post_id" -> "wp:post_id"; plain RSS stays plain."""
    if not tag.startswith("{"):
        return tag
    namespace, _, name = tag[1:].partition("}")
    if namespace.startswith(WP_PREFIX):
        return f"excerpt:{name}" if namespace.rstrip("/").endswith("excerpt") else f"wp:{name}"
    return f"{NAMESPACES.get(namespace, namespace)}:{name}"


def fields(element) -> dict[str, str]:
    """The first text of each child, by short name (items have no repeated scalar fields)."""
    values = {}
    for child in element:
        values.setdefault(short(child.tag), (child.text or "").strip())
    return values


class WordPressReader:
    kind = "wordpress"

    def __init__(self, stream):
        self.stream = stream
        self.site = ""
        self.authors_by_id: dict[str, str] = {}

    def records(self) -> Iterator[SourceAuthor | SourceTerm | SourcePost]:
        channel = None
        seen_channel = False
        for event, element in iter_events(
            self.stream, roots={"rss": "<rss> (a WordPress WXR export)"}
        ):
            name = short(element.tag)
            if event == "start":
                if name == "channel":
                    channel, seen_channel = element, True
                continue
            if channel is None or element not in channel:
                continue
            record = self._record(name, element)
            if name == "link" and not self.site:
                self.site = (element.text or "").strip()
            elif name == "wp:base_blog_url":
                self.site = (element.text or "").strip() or self.site
            channel.remove(element)
            if record is not None:
                yield record
        if not seen_channel:
            raise ImportFileError(
                "The file has no <channel>: it is RSS but not a WordPress export."
            )

    def _record(self, name: str, element):
        if name == "wp:author":
            values = fields(element)
            login = values.get("wp:author_login", "")
            if values.get("wp:author_id"):
                self.authors_by_id[values["wp:author_id"]] = login
            return SourceAuthor(
                login=login,
                email=values.get("wp:author_email", ""),
                display_name=values.get("wp:author_display_name", ""),
                source_id=values.get("wp:author_id", ""),
            )
        if name == "wp:category":
            values = fields(element)
            return SourceTerm("category", values.get("wp:category_nicename", ""),
                              html.unescape(values.get("wp:cat_name", "")), values.get("wp:category_parent", ""),
                              values.get("wp:category_description", ""))  # fmt: skip
        if name == "wp:tag":
            values = fields(element)
            name = html.unescape(values.get("wp:tag_name", ""))
            return SourceTerm("tag", values.get("wp:tag_slug", ""), name)
        if name == "item":
            return self._post(element)
        return None

    def _post(self, item) -> SourcePost:
        values = fields(item)
        kind = values.get("wp:post_type", "post") or "post"
        source_status = values.get("wp:status", "")
        published_at = first_date(
            parse_sql_utc(values.get("wp:post_date_gmt", "")),
            parse_rfc822(values.get("pubDate", "")),
            parse_sql_utc(values.get("wp:post_date", "")),
        )
        status = POST_STATUSES.get(source_status, "draft")
        if status == "published" and published_at and published_at > timezone.now():
            status = "scheduled"
        post = SourcePost(
            source_id=values.get("wp:post_id", ""),
            kind=kind,
            title=html.unescape(values.get("title", "")),
            slug=values.get("wp:post_name", ""),
            status=status,
            published_at=published_at,
            body_html=values.get("content:encoded", ""),
            excerpt_html=values.get("excerpt:encoded", ""),
            link=values.get("link", ""),
            guid=values.get("guid", ""),
            author_login=values.get("dc:creator", ""),
            comments_open=values.get("wp:comment_status", "open") == "open",
            line=line_of(item),
        )
        if source_status == "private":
            post.hidden_reason = "private"
        elif values.get("wp:post_password"):
            post.status, post.hidden_reason = "draft", "password-protected"
        if source_status == "trash":
            post.skip_reason = "in the trash"
        elif kind == "page":
            post.skip_reason = "a page (pages are not imported)"
        elif kind == "attachment":
            post.skip_reason = "an attachment (files come in with --uploads)"
        elif kind != "post":
            post.skip_reason = f"of type “{kind}”"
        elif not post.source_id:
            post.skip_reason = "without a wp:post_id"
        for child in item:
            name = short(child.tag)
            if name == "category":
                term = SourceTerm(
                    "tag" if child.get("domain") == "post_tag" else "category",
                    child.get("nicename", ""),
                    html.unescape((child.text or "").strip()),
                )
                if child.get("domain") in ("category", "post_tag"):
                    (post.tags if term.kind == "tag" else post.categories).append(term)
            elif name == "wp:comment":
                post.comments.append(self._comment(child, post))
        return post

    def _comment(self, element, post: SourcePost) -> SourceComment:
        values = fields(element)
        kind = values.get("wp:comment_type", "") or "comment"
        source_id = values.get("wp:comment_id", "")
        parent = values.get("wp:comment_parent", "0")
        return SourceComment(
            source_id=source_id,
            parent_id="" if parent in ("", "0") else parent,
            created_at=first_date(
                parse_sql_utc(values.get("wp:comment_date_gmt", "")),
                parse_sql_utc(values.get("wp:comment_date", "")),
            ),
            body_html=values.get("wp:comment_content", ""),
            status=COMMENT_STATUSES.get(values.get("wp:comment_approved", ""), "pending"),
            kind=kind,
            author_name=html.unescape(values.get("wp:comment_author", "")),
            author_email=values.get("wp:comment_author_email", ""),
            author_url=values.get("wp:comment_author_url", ""),
            ip=values.get("wp:comment_author_IP", ""),
            author_login=self.authors_by_id.get(values.get("wp:comment_user_id", "0"), ""),
            source_url=f"{post.link}#comment-{source_id}" if post.link else "",
        )


def path_of(url: str) -> str:
    return urlsplit(url).path or "/"
