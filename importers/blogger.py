"""Reading a Blogger backup: the classic Atom export (kind#post, kind#comment and
thr:in-reply-to) and the newer one (blogger:type, blogger:status and blogger:parent).

Blogger writes comments apart from their posts, in any order (the classic export lists
every post, then every comment), so no post can be handed out before the whole file is
read. The reader streams the file once, clearing each entry, and spills the records to a
temporary SQLite file; it then hands out each post with its comments, one post at a time.
Memory holds one entry and one post's discussion, whatever the size of the blog.
"""

import dataclasses
import html
import json
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import datetime
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
        with tempfile.TemporaryDirectory(prefix="charcot-blogger-") as folder:
            spill = _Spill(f"{folder}/records.sqlite3")
            try:
                yield from self._records(spill)
            finally:
                spill.close()

    def _records(self, spill: "_Spill") -> Iterator[SourceAuthor | SourceTerm | SourcePost]:
        authors: dict[str, SourceAuthor] = {}
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
            self._entry(element, spill, authors)
            feed.remove(element)
        yield from authors.values()
        spill.find_posts_of_comments()
        for comment_id, ref in spill.comments_without_post():
            self.notes.append(
                f"Comment {comment_id} belongs to post {ref}, which is not in the file; skipped."
            )
        yield from spill.posts()

    def _entry(self, entry, spill: "_Spill", authors: dict[str, SourceAuthor]) -> None:
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
            spill.add_post(post)
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
            spill.add_comment(comment, ref=post_id, writer=uri or name)

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


class _Spill:
    """The blog's records, out of memory until their turn: posts in file order, comments by
    the post they belong to."""

    def __init__(self, path: str):
        self.db = sqlite3.connect(path)
        self.db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE post (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, data TEXT);
            CREATE TABLE comment (
                seq INTEGER PRIMARY KEY, id TEXT, ref TEXT, writer TEXT, post TEXT, data TEXT
            );
            """
        )

    def close(self) -> None:
        self.db.close()

    def add_post(self, post: SourcePost) -> None:
        # A post id seen twice keeps its first place and its last content.
        self.db.execute(
            "INSERT INTO post (id, data) VALUES (?, ?) "
            "ON CONFLICT (id) DO UPDATE SET data = excluded.data",
            [post.source_id, _dump(post)],
        )

    def add_comment(self, comment: SourceComment, *, ref: str, writer: str) -> None:
        """`ref` names the post, or (newer export) the comment this one answers."""
        self.db.execute(
            "INSERT INTO comment (id, ref, writer, data) VALUES (?, ?, ?, ?)",
            [comment.source_id, ref, writer, _dump(comment)],
        )

    def find_posts_of_comments(self) -> None:
        """Each comment's post: its ref when that is a post; else, when the ref is another
        comment (the newer export's blogger:parent), that comment's post, found by
        climbing one level per pass, and the ref becomes the comment's parent."""
        db = self.db
        db.execute("CREATE INDEX comment_id ON comment (id)")
        db.execute("UPDATE comment SET post = ref WHERE ref IN (SELECT id FROM post)")
        db.execute(
            "UPDATE comment SET data = json_set(data, '$.parent_id', ref) "
            "WHERE post IS NULL AND json_extract(data, '$.parent_id') = '' "
            "AND ref IN (SELECT id FROM comment)"
        )
        while True:
            climbed = db.execute(
                """
                UPDATE comment SET post = (
                    SELECT answered.post FROM comment AS answered
                    WHERE answered.id = comment.ref AND answered.post IS NOT NULL
                    ORDER BY answered.seq DESC LIMIT 1
                )
                WHERE post IS NULL AND EXISTS (
                    SELECT 1 FROM comment AS answered
                    WHERE answered.id = comment.ref AND answered.post IS NOT NULL
                )
                """
            ).rowcount
            if not climbed:
                break
        db.execute("CREATE INDEX comment_post ON comment (post, seq)")

    def comments_without_post(self) -> Iterator[tuple[str, str]]:
        yield from self.db.execute("SELECT id, ref FROM comment WHERE post IS NULL ORDER BY seq")

    def posts(self) -> Iterator[SourcePost]:
        for post_id, data in self.db.execute("SELECT id, data FROM post ORDER BY seq"):
            post = _load_post(data)
            for writer, comment_data in self.db.execute(
                "SELECT writer, data FROM comment WHERE post = ? ORDER BY seq", [post_id]
            ):
                comment = _load_comment(comment_data)
                # A comment by the post's own author (same profile or name) is theirs.
                if writer and writer == post.author_login:
                    comment.author_login = post.author_login
                post.comments.append(comment)
            yield post


def _dump(record) -> str:
    return json.dumps(dataclasses.asdict(record), default=_datetime_text)


def _datetime_text(value) -> str:
    return value.isoformat()


def _date(value: str | None):
    return datetime.fromisoformat(value) if value else None


def _load_comment(data: str) -> SourceComment:
    values = json.loads(data)
    values["created_at"] = _date(values["created_at"])
    return SourceComment(**values)


def _load_post(data: str) -> SourcePost:
    values = json.loads(data)
    values["published_at"] = _date(values["published_at"])
    values["tags"] = [SourceTerm(**term) for term in values["tags"]]
    values["categories"] = [SourceTerm(**term) for term in values["categories"]]
    values["comments"] = []
    return SourcePost(**values)
