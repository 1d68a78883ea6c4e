"""What a reader of an export yields: the source's posts, comments, people and terms."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class SourceAuthor:
    login: str
    email: str = ""
    display_name: str = ""
    source_id: str = ""


@dataclass
class SourceTerm:
    """A category or tag; `parent` is the parent category's slug (WordPress nests them)."""

    kind: str  # "category" or "tag"
    slug: str
    name: str
    parent: str = ""
    description: str = ""


@dataclass
class SourceComment:
    source_id: str
    parent_id: str  # "" for a top-level comment
    created_at: datetime | None
    body_html: str
    status: str  # a comments.Comment.Status value
    kind: str = "comment"  # "comment", "pingback" or "trackback"
    author_name: str = ""
    author_email: str = ""
    author_url: str = ""
    ip: str = ""
    author_login: str = ""  # the source account that wrote it, if any
    source_url: str = ""


@dataclass
class SourcePost:
    source_id: str
    kind: str  # "post", "page", "attachment" or the source's own type
    title: str
    slug: str
    status: str  # a blog.Post.Status value, or "" when the item is skipped
    published_at: datetime | None
    body_html: str = ""
    excerpt_html: str = ""
    link: str = ""
    guid: str = ""
    author_login: str = ""
    categories: list[SourceTerm] = field(default_factory=list)
    tags: list[SourceTerm] = field(default_factory=list)
    comments: list[SourceComment] = field(default_factory=list)
    comments_open: bool = True
    hidden_reason: str = ""  # why a source status that has no Charcot twin stays unpublished
    skip_reason: str = ""  # why the item is not imported at all
    line: int = 0  # where the item starts in the file, for messages
