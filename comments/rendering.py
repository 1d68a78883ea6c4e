"""The discussion's HTML, written in Python rather than a template.

The template engine spent about a millisecond per comment (variable lookups, an include,
reverse(), date filters), half a second for one page of a long discussion; this writes
the same markup with string formatting in a few microseconds per comment. Every value
that comes from a person goes through `escape()`; `body_html` was sanitized by
charcot.markdown when the comment was saved.

The markup contract: each comment is an `<article id="comment-<pk>">` inside an `<li>`,
its replies nested inside it in an `<ol class="replies">`, with schema.org `Comment` data
in RDFa Lite (author, date, text, and `comment` for replies to a shown comment). RDFa
rather than microdata because the vocabulary is named once per list instead of twice per
comment: markup repeats for every comment, and it is what long pages weigh.
"""

from html import escape  # Django's escape() is this plus a str() and a SafeString wrapper

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from . import fragments
from .models import Comment

LIST_OPEN = '<ol class="comment-list" vocab="https://schema.org/">\n'
APPROVED = Comment.Status.APPROVED
PENDING = Comment.Status.PENDING


def render_comment_list(items, *, is_open: bool, moderates: bool = False) -> SafeString:
    """`<ol class="comment-list">` for the flat, tree-ordered items of discussion.build_items;
    `moderates`: the viewer may moderate this post's comments (a "Moderate" link on each)."""
    writer = CommentWriter(is_open=is_open, moderates=moderates)
    parts = [LIST_OPEN]
    for item in items:
        parts.append(writer.article_open(item))
        parts.append(writer.inside(item, item.user))  # a Node's user is a fragments.Writer
        if item.opens:
            parts.append(
                '<ol class="replies replies--flat">\n'
                if item.flattens
                else '<ol class="replies">\n'
            )
        else:
            parts.append("</article></li>\n")
            parts.append("</ol></article></li>\n" * len(item.closes))
    parts.append("</ol>")
    html = "".join(parts)
    return mark_safe(html)  # safe: CommentWriter escapes people's text; bodies are sanitized


def render_comment(item) -> SafeString:
    """One comment on its own, without its links, as `<ol><li><article>` (the reply page
    shows the comment being answered above the form). `item` is a Comment whose `user`
    is a User: its writer becomes a fragments.Writer here."""
    writer = CommentWriter(is_open=False, actions=False)
    person = fragments.Writer.of_user(item.user) if item.user_id else None
    html = (
        f"{LIST_OPEN}{writer.article_open(item)}{writer.inside(item, person)}</article></li>\n</ol>"
    )
    return mark_safe(html)  # safe: CommentWriter escapes people's text; bodies are sanitized


class CommentWriter:
    """Writes comments for one page: each comment's stored fragment (comments.fragments)
    with what differs between readers around it; URLs are worked out once."""

    def __init__(self, *, is_open: bool, actions: bool = True, moderates: bool = False):
        self.is_open = is_open
        self.actions = actions
        self.moderate_url = (
            url_maker("admin:comments_comment_change", "object_id") if moderates else None
        )
        self.reply_url = url_maker("comments:reply")
        self.edit_url = url_maker("comments:edit")
        self.delete_url = url_maker("comments:delete")
        self.report_url = url_maker("comments:report")

    def article_open(self, item) -> str:
        # No class on a plain comment (CSS and JS find them as .comment-list article).
        own = " comment--own" if item.is_own else ""
        if not item.is_visible:
            return f'<li><article id="comment-{item.pk}" class="comment--placeholder{own}">'
        classes = f' class="{own[1:]}"' if own else ""
        parent = item.parent_node
        nested = ' property="comment"' if parent is not None and parent.is_visible else ""
        return f'<li><article id="comment-{item.pk}"{classes} typeof="Comment"{nested}>'

    def inside(self, item, person) -> str:
        if not item.is_visible:
            placeholder = f'<p class="comment__placeholder">{escape(item.placeholder)}</p>\n'
            if self.actions and self.moderate_url is not None:
                # A held comment's placeholder is what most needs a decision.
                placeholder += (
                    f'<p class="comment__actions"><a href="{self.moderate_url(item.pk)}">'
                    "Moderate</a></p>"
                )
            return placeholder
        person, when, rest = fragments.fragment_of(item, person, item.is_post_author).split(
            fragments.SEPARATOR, 2
        )
        notes = ""
        if item.is_deep and item.parent_node is not None:
            parent = item.parent_node
            name = escape(parent.display_name) if parent.is_visible else "a hidden comment"
            notes = (
                f'<p class="comment__context">Replying to <a href="#comment-{parent.pk}">'
                f"{name}</a></p>\n"
            )
        if item.status == PENDING:
            reason = f" {escape(item.public_reason)}" if item.public_reason else ""
            notes += (
                '<p class="comment__held"><strong>Awaiting moderation.</strong>'
                f" Only you can see this comment for now.{reason}</p>\n"
            )
        if notes:
            header, _, body = rest.partition("</header>")
            rest = f"{header}</header>{notes}{body}"
        links = self.action_links(item) if self.actions else ""
        return f'<header>{person} <a href="#comment-{item.pk}">{when}</a>{rest}{links}'

    def action_links(self, item) -> str:
        links = []
        if self.is_open:
            # "Reply" and "Report" take their purpose from the comment around them
            # (WCAG 2.4.4, in context); a hidden "to <name>" on each cost 50 bytes a comment.
            links.append(f'<a href="{self.reply_url(item.pk)}" data-reply>Reply</a>')
        if item.can_edit:
            links.append(f'<a href="{self.edit_url(item.pk)}">Edit</a>')
        if item.can_delete:
            links.append(f'<a href="{self.delete_url(item.pk)}">Delete</a>')
        if item.status == APPROVED and item.deleted_at is None:
            links.append(f'<a href="{self.report_url(item.pk)}">Report</a>')  # robots.txt
        if self.moderate_url is not None:
            links.append(f'<a href="{self.moderate_url(item.pk)}">Moderate</a>')
        return f'<p class="comment__actions">{" ".join(links)}</p>' if links else ""


def url_maker(name: str, argument: str = "pk"):
    """reverse() once, then fill in each comment's value: reverse() per comment took a
    tenth of the page's time."""
    marker = "2147483647"  # matches both <int:pk> and <slug:slug>
    prefix, suffix = reverse(name, kwargs={argument: marker}).split(marker)
    return lambda value: f"{prefix}{value}{suffix}"
