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

from datetime import UTC
from html import escape  # Django's escape() is this plus a str() and a SafeString wrapper

from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe

from accounts.avatars import avatar_html

from .models import Comment

LIST_OPEN = '<ol class="comment-list" vocab="https://schema.org/">\n'
APPROVED = Comment.Status.APPROVED
PENDING = Comment.Status.PENDING


def render_comment_list(items, *, is_open: bool) -> SafeString:
    """`<ol class="comment-list">` for the flat, tree-ordered items of discussion.build_items."""
    writer = CommentWriter(is_open=is_open)
    parts = [LIST_OPEN]
    for item in items:
        parts.append(writer.article_open(item))
        parts.append(writer.inside(item))
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
    shows the comment being answered above the form)."""
    writer = CommentWriter(is_open=False, actions=False)
    html = f"{LIST_OPEN}{writer.article_open(item)}{writer.inside(item)}</article></li>\n</ol>"
    return mark_safe(html)  # safe: CommentWriter escapes people's text; bodies are sanitized


class CommentWriter:
    """Writes comments for one page: URLs, month names and people are worked out once."""

    def __init__(self, *, is_open: bool, actions: bool = True):
        self.is_open = is_open
        self.actions = actions
        self.reply_url = url_maker("comments:reply")
        self.edit_url = url_maker("comments:edit")
        self.delete_url = url_maker("comments:delete")
        self.report_url = url_maker("comments:report")
        self.profile_url = url_maker("accounts:profile", "slug")  # User.get_absolute_url
        self.zone = timezone.get_current_timezone()
        self.months = [str(name).title() for name in MONTHS_3.values()]
        self.people = {}
        self.orcid_mark = escape(static("img/orcid.svg"))

    def article_open(self, item) -> str:
        # No class on a plain comment (CSS and JS find them as .comment-list article).
        own = " comment--own" if item.is_own else ""
        if not item.is_visible:
            return f'<li><article id="comment-{item.pk}" class="comment--placeholder{own}">'
        classes = f' class="{own[1:]}"' if own else ""
        parent = item.parent_node
        nested = ' property="comment"' if parent is not None and parent.is_visible else ""
        return f'<li><article id="comment-{item.pk}"{classes} typeof="Comment"{nested}>'

    def inside(self, item) -> str:
        if not item.is_visible:
            return f'<p class="comment__placeholder">{escape(item.placeholder)}</p>\n'
        parts = [
            "<header>",
            self.person(item),
            self.badges(item),
            f' <a href="#comment-{item.pk}">'
            f'<time datetime="{iso(item.created_at)}" property="dateCreated">'
            f"{self.when(item.created_at)}</time></a>",
        ]
        if item.edited_at:
            parts.append(
                f' <time class="comment__edited" datetime="{iso(item.edited_at)}"'
                f' title="Edited {self.when(item.edited_at)}">edited</time>'
            )
        parts.append("</header>")
        if item.is_deep and item.parent_node is not None:
            parent = item.parent_node
            name = escape(parent.display_name) if parent.is_visible else "a hidden comment"
            parts.append(
                f'<p class="comment__context">Replying to <a href="#comment-{parent.pk}">'
                f"{name}</a></p>\n"
            )
        if item.status == PENDING:
            reason = f" {escape(item.public_reason)}" if item.public_reason else ""
            parts.append(
                '<p class="comment__held"><strong>Awaiting moderation.</strong>'
                f" Only you can see this comment for now.{reason}</p>\n"
            )
        parts.append(f'<div class="comment__body" property="text">{item.body_html}</div>')
        if item.redacted_at:
            parts.append(f'<p class="comment__note">{escape(item.moderation_note)}</p>\n')
        if self.actions:
            parts.append(self.action_links(item))
        return "".join(parts)

    def person(self, item) -> str:
        """Avatar and name, the same for every comment by one person: made once per page."""
        key = item.user_id or (item.author_name, item.author_url)
        html = self.people.get(key)
        if html is None:
            html = self.people[key] = self.person_html(item)
        return html

    def person_html(self, item) -> str:
        """The writer's avatar and name, linked to their profile or their own site."""
        user = item.user if item.user_id else None
        name = escape(item.display_name)
        avatar = avatar_html(user, item.display_name)
        person = 'property="author" typeof="Person"'
        if user is not None:
            href, rel = (self.profile_url(user.slug) if user.slug else ""), ""
        else:
            href, rel = web_url(item.author_url), ' rel="nofollow ugc noopener"'
        if href:
            orcid = user.verified_orcid if user is not None else ""
            if orcid:  # proven by ORCID sign-in (identities/): the mark, and sameAs in the data
                orcid_url = f"https://orcid.org/{escape(orcid)}"
                return (
                    f'{avatar} <a class="comment__author" href="{escape(href)}" {person}>'
                    f'<span property="name">{name}</span><link property="sameAs" href="{orcid_url}"></a>'
                    f' <a class="orcid-mark" href="{orcid_url}" rel="noopener">'
                    f'<img src="{self.orcid_mark}" alt="Verified ORCID iD {escape(orcid)}" width="16" height="16"></a>'
                )
            return (
                f'{avatar} <a class="comment__author" href="{escape(href)}"{rel} {person}>'
                f'<span property="name">{name}</span></a>'
            )
        return f'{avatar} <span class="comment__author" {person}><span property="name">{name}</span></span>'

    def badges(self, item) -> str:
        badges = ""
        if getattr(item, "is_pinned", False) and item.parent_id is None:
            badges += ' <span class="badge badge--pinned">Pinned by the author</span>'

        if item.is_post_author:
            badges += ' <span class="badge badge--author">Author</span>'
        if item.is_moderator_badge:
            badges += ' <span class="badge badge--moderator">Moderator</span>'
        return badges

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
        return f'<p class="comment__actions">{" ".join(links)}</p>' if links else ""

    def when(self, moment) -> str:
        """ "12 Nov 2026, 22:24" in the site's time zone: a date that stays true in a cache."""
        local = moment.astimezone(self.zone)
        return (
            f"{local.day} {self.months[local.month - 1]} {local.year},"
            f" {local.hour:02}:{local.minute:02}"
        )


def web_url(value) -> str:
    """Only http(s) links leave the site from a commenter's name; anything else is dropped."""
    value = str(value or "").strip()
    return value if value.lower().startswith(("http://", "https://")) else ""


def iso(moment) -> str:
    """A machine-readable UTC time to the minute, e.g. 2026-11-12T22:24Z."""
    t = moment.astimezone(UTC)  # strftime() took as long as the rest of the comment
    return f"{t.year}-{t.month:02}-{t.day:02}T{t.hour:02}:{t.minute:02}Z"


def url_maker(name: str, argument: str = "pk"):
    """reverse() once, then fill in each comment's value: reverse() per comment took a
    tenth of the page's time."""
    marker = "2147483647"  # matches both <int:pk> and <slug:slug>
    prefix, suffix = reverse(name, kwargs={argument: marker}).split(marker)
    return lambda value: f"{prefix}{value}{suffix}"
