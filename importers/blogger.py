"""Reading a Blogger backup: the classic Atom export (kind#post, kind#comment and
thr:in-reply-to) and the newer one (blogger:type, blogger:status, blogger:parent).

Blogger writes comments apart from their posts, in any order, so the reader keeps the
light records of the whole blog (not its XML) and hands out each post with its
comments at the end; Blogger blogs are far smaller than the WordPress sizes we plan for.
"""

import html
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from django.utils import timezone

from .dates import first_date, parse_iso
from .records import SourceAuthor, SourceComment, SourcePost, SourceTerm
from .xmlstream import iter_events, line_of

ATOM = "{http://www.w3.org/2005/Atom}"
NEW = "{http://schemas.google.com/blogger/2018}"
APP = "{http://purl.org/atom/app#}"
THREAD = "{http://purl.org/syndication/thread/1.0}"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
KIND_PREFIX = "http://schemas.google.com/blogger/2008/kind#"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
NO_ADDRESS = "noreply@blogger.com"

POST_STATUSES = {"LIVE": "published", "DRAFT": "draft", "SCHEDULED": "scheduled"}
COMMENT_STATUSES = {"LIVE": "approved", "PENDING": "pending", "SPAM": "spam",
                    "SPAM_COMMENT": "spam", "DELETED": "removed", "TRASHED": "removed"}  # fmt: skip


def _text(entry, tag: str) -> str:
    found = entry.find(tag)
    return (found.text or "").strip() if found is not None else ""


def _short_id(value: str) -> str:
    """tag:blogger.com,1999:blog-123.post-456 -> 456 (comments are "post-" or "comment-")."""
    value = value.strip()
    match = re.search(r"(?:post|comment)-(\d+)$", value)
    return match.group(1) if match else value.rpartition("/")[2]


class BloggerReader:
    kind = "blogger"

    def __init__(self, stream):
        self.stream = stream
        self.site = ""
        self.notes: list[str] = []

    def records(self) -> Iterator[SourceAuthor | SourceTerm | SourcePost]:
        posts: dict[str, SourcePost] = {}
        authors: dict[str, SourceAuthor] = {}
        author_keys: dict[str, str] = {}  # post id -> its author's (uri or name) key
        comments: list[tuple[str, SourceComment, str]] = []  # (post id, comment, writer key)
        feed = None
        for event, element in iter_events(
            self.stream, roots={f"{ATOM}feed": "<feed> (a Blogger Atom backup)"}
        ):
            if event == "start":
                if feed is None:
                    feed = element
                continue
            is_link = element.tag == f"{ATOM}link" and element.get("rel") == "alternate"
            if is_link and not self.site and element in feed:
                self.site = element.get("href", "")
            if element.tag != f"{ATOM}entry" or element not in feed:
                continue
            self._entry(element, posts, authors, author_keys, comments)
            feed.remove(element)
        yield from authors.values()
        answered = {comment.source_id: ref for ref, comment, _ in comments}
        for ref, comment, writer in comments:
            post_id = self._post_of(ref, comment, posts, answered)
            post = posts.get(post_id)
            if post is None:
                self.notes.append(
                    f"Comment {comment.source_id} belongs to post {ref}, which is not in the file; skipped."
                )
                continue
            if writer and writer == author_keys.get(post_id):
                comment.author_login = post.author_login
            post.comments.append(comment)
        yield from posts.values()

    def _entry(self, entry, posts, authors, author_keys, comments) -> None:
        kind, status = self._kind_and_status(entry)
        source_id = _short_id(_text(entry, f"{ATOM}id"))
        link = next(
            (link.get("href", "") for link in entry.findall(f"{ATOM}link")
             if link.get("rel") == "alternate"), "",
        )  # fmt: skip
        author = entry.find(f"{ATOM}author")
        name = html.unescape(_text(author, f"{ATOM}name")) if author is not None else ""
        uri = _text(author, f"{ATOM}uri") if author is not None else ""
        email = _text(author, f"{ATOM}email") if author is not None else ""
        email = "" if email == NO_ADDRESS else email
        published = first_date(parse_iso(_text(entry, f"{ATOM}published")),
                               parse_iso(_text(entry, f"{NEW}created")))  # fmt: skip
        body = _text(entry, f"{ATOM}content")
        if kind in ("post", "page"):
            filename = _text(entry, f"{NEW}filename") or urlsplit(link).path
            slug = filename.rpartition("/")[2].removesuffix(".html")
            post_status = POST_STATUSES.get(status, "draft")
            if post_status == "published" and published and published > timezone.now():
                post_status = "scheduled"
            login = uri or name
            if login and login not in authors:
                authors[login] = SourceAuthor(login=login, email=email, display_name=name or login)
            post = SourcePost(
                source_id=source_id, kind=kind, title=html.unescape(_text(entry, f"{ATOM}title")),
                slug=slug, status=post_status, published_at=published, body_html=body,
                link=link or (self.site.rstrip("/") + filename if filename else ""),
                guid=_text(entry, f"{ATOM}id"), author_login=login, line=line_of(entry),
            )  # fmt: skip
            post.tags = [
                SourceTerm("tag", label.get("term", ""), label.get("term", ""))
                for label in entry.findall(f"{ATOM}category")
                if label.get("scheme") == LABEL_SCHEME or (kind and not label.get("scheme"))
            ]
            if status in ("DELETED", "SOFT_TRASHED", "TRASHED"):
                post.skip_reason = "deleted"
            elif kind == "page":
                post.skip_reason = "a page (pages are not imported)"
            posts[source_id] = post
            author_keys[source_id] = login
        elif kind == "comment":
            post_id, parent_id = self._comment_place(entry)
            if post_id is None:
                self.notes.append(
                    f"Comment {source_id} (line {line_of(entry)}) names no post; skipped."
                )
                return
            comment = SourceComment(
                source_id=source_id, parent_id=parent_id, created_at=published, body_html=body,
                status=COMMENT_STATUSES.get(status, "pending") if status else "approved",
                author_name=name, author_email=email,
                author_url=uri if uri.startswith(("http://", "https://")) else "",
                source_url=link,
            )  # fmt: skip
            comments.append((post_id, comment, uri or name))

    def _post_of(self, ref: str, comment: SourceComment, posts, answered) -> str:
        """The newer export's blogger:parent names the post, or the comment answered: climb
        from a comment to its post (and keep it as the parent)."""
        if ref in posts or ref not in answered:
            return ref
        if not comment.parent_id:
            comment.parent_id = ref
        seen = {comment.source_id}
        while ref in answered and ref not in seen:
            seen.add(ref)
            ref = answered[ref]
        return ref

    def _kind_and_status(self, entry) -> tuple[str, str]:
        """("post"/"page"/"comment"/other, the new format's status or "" for the classic one)."""
        new_kind = _text(entry, f"{NEW}type")
        if new_kind:
            return new_kind.lower(), _text(entry, f"{NEW}status").upper()
        kind = next(
            (c.get("term", "").removeprefix(KIND_PREFIX) for c in entry.findall(f"{ATOM}category")
             if c.get("scheme") == KIND_SCHEME), "",
        )  # fmt: skip
        draft = entry.find(f"{APP}control/{APP}draft")
        status = "DRAFT" if draft is not None and (draft.text or "").strip() == "yes" else "LIVE"
        return kind, (status if kind != "comment" else "")

    def _comment_place(self, entry) -> tuple[str | None, str]:
        """The comment's post id and its parent comment's id ("" for a thread)."""
        parent = _text(entry, f"{NEW}parent")
        if parent:
            return _short_id(parent), ""  # a post's id or a comment's: see _post_of
        reply = entry.find(f"{THREAD}in-reply-to")
        if reply is None:
            return None, ""
        post_id = _short_id(reply.get("ref", ""))
        related = next(
            (link.get("href", "") for link in entry.findall(f"{ATOM}link") if link.get("rel") == "related"), "",
        )  # fmt: skip
        return post_id, related.rstrip("/").rpartition("/")[2] if related else ""
