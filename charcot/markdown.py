"""Markdown to safe HTML: the one place user- and author-written Markdown becomes markup.

Rendered once when the text is saved and stored (`body_html`), then sanitized with nh3
against an allowlist, so nothing typed can add scripts, event handlers, styles or
dangerous URLs.
"""

from dataclasses import dataclass

import markdown
import nh3

URL_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True)
class Profile:
    tags: frozenset[str]
    attributes: dict[str, set[str]]
    extensions: tuple[str, ...]


POST = Profile(
    tags=frozenset(
        {
            "p",
            "br",
            "hr",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "strong",
            "em",
            "b",
            "i",
            "s",
            "del",
            "ins",
            "sup",
            "sub",
            "mark",
            "abbr",
            "a",
            "ul",
            "ol",
            "li",
            "blockquote",
            "code",
            "pre",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "img",
            "figure",
            "figcaption",
            "dl",
            "dt",
            "dd",
        }
    ),  # fmt: skip
    attributes={
        "a": {"href", "title", "id"},
        "img": {"src", "alt", "title", "width", "height"},
        "abbr": {"title"},
        "th": {"align", "scope"},
        "td": {"align"},
        "ol": {"start"},
        "sup": {"id"},
        "li": {"id"},
        "h2": {"id"},
        "h3": {"id"},
        "h4": {"id"},
    },
    extensions=("markdown.extensions.extra", "markdown.extensions.sane_lists"),
)

COMMENT = Profile(
    tags=frozenset(
        {
            "p",
            "br",
            "strong",
            "em",
            "b",
            "i",
            "s",
            "del",
            "a",
            "ul",
            "ol",
            "li",
            "blockquote",
            "code",
            "pre",
        }
    ),  # fmt: skip
    attributes={"a": {"href", "title"}},
    extensions=("markdown.extensions.sane_lists", "markdown.extensions.fenced_code"),
)

# Profile biographies: a few paragraphs with emphasis, links and lists; no headings or images.
BIO = Profile(
    tags=frozenset({"p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li", "code"}),
    attributes={"a": {"href", "title"}},
    extensions=("markdown.extensions.sane_lists",),
)


def render_markdown(text: str, profile: Profile = POST) -> str:
    """Render Markdown and sanitize the result; raw HTML in the source is escaped first."""
    md = markdown.Markdown(extensions=list(profile.extensions), output_format="html")
    md.stripTopLevelTags = True
    # Escape raw HTML rather than passing it through: authors write Markdown, not markup.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    html = md.convert(text or "")
    return sanitize_html(html, profile)


def sanitize_html(html: str, profile: Profile = POST) -> str:
    return nh3.clean(
        html,
        tags=set(profile.tags),
        attributes=profile.attributes,
        url_schemes=URL_SCHEMES,
        link_rel="noopener nofollow ugc" if profile is COMMENT or profile is BIO else "noopener",
        strip_comments=True,
    )
