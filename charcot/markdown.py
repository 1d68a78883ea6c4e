"""Markdown to safe HTML: the one place user- and author-written Markdown becomes markup.

Rendered once when the text is saved and stored (`body_html`), then sanitized with nh3
against an allowlist, so nothing typed can add scripts, event handlers, styles or
dangerous URLs.
"""

import re
from dataclasses import dataclass

import markdown
import nh3
from django.utils.html import escape

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


def render_markdown(text: str, profile: Profile = POST) -> str:
    """Render Markdown and sanitize the result; raw HTML in the source is escaped first."""
    text = _bound_nesting(_CONTROL_CHARS.sub("", text or ""))
    if _inline_cost(text) > INLINE_BUDGET:
        return sanitize_html(_plain_paragraphs(text), profile)
    md = markdown.Markdown(extensions=list(profile.extensions), output_format="html")
    md.stripTopLevelTags = True
    # Escape raw HTML rather than passing it through: authors write Markdown, not markup.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    html = md.convert(text)
    # Entities such as &#14; come back from the sanitizer as the raw control character.
    return _CONTROL_CHARS.sub("", sanitize_html(html, profile))


def sanitize_html(html: str, profile: Profile = POST) -> str:
    return nh3.clean(
        html,
        tags=set(profile.tags),
        attributes=profile.attributes,
        url_schemes=URL_SCHEMES,
        link_rel="noopener nofollow ugc" if profile is COMMENT else "noopener",
        strip_comments=True,
    )


# Bounds on hostile input. Python-Markdown recurses once per nesting level (a line of 2,000
# "- " markers overflows the stack) and its inline pass is quadratic in the number of
# inline constructs per paragraph (10,000 "[" take half a minute), so anything a stranger
# can type is capped here before it reaches the parser.
MAX_NESTING = 8  # quote and list levels kept; deeper markers are dropped, the text kept
MAX_INDENT = 4 * MAX_NESTING  # columns of leading whitespace kept on a line
INLINE_BUDGET = 250_000_000  # about a second of inline parsing; beyond it, plain text
_BRACKET_WEIGHT = 100  # an unmatched "[" makes the parser rescan the rest of the paragraph
_INLINE_SYNTAX = "&*_`[]<!\\"
# C0 controls (except tab, newline, carriage return) and DEL: invalid in XML feeds, never text.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LEADING_SPACE = re.compile(r"[ \t]*")
_CONTAINER_MARKER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _bound_nesting(text: str) -> str:
    """Cap each line's quote/list markers and indentation at MAX_NESTING levels."""
    return "\n".join(_bound_line(line) for line in text.split("\n"))


def _bound_line(line: str) -> str:
    indent = _LEADING_SPACE.match(line).group()
    if len(indent.expandtabs(4)) > MAX_INDENT:
        line = " " * MAX_INDENT + line[len(indent) :]
    pos, markers, kept_end = 0, 0, 0
    while (marker := _CONTAINER_MARKER.match(line, pos)) is not None:
        markers += 1
        pos = marker.end()
        if markers == MAX_NESTING:
            kept_end = pos
    if markers <= MAX_NESTING:
        return line
    return line[:kept_end] + " " + line[pos:].lstrip(" \t")


def _inline_cost(text: str) -> int:
    """Estimate the inline parser's work: syntax characters times paragraph length, plus
    the characters rescanned after each "[" until its matching "]"."""
    cost = 0
    for block in _BLANK_LINE.split(text):
        cost += len(block) * sum(block.count(char) for char in _INLINE_SYNTAX)
        cost += _BRACKET_WEIGHT * _bracket_scan(block)
    return cost


def _bracket_scan(block: str) -> int:
    open_at: list[int] = []
    scanned = 0
    for match in re.finditer(r"[\[\]]", block):
        if match.group() == "[":
            open_at.append(match.start())
        elif open_at:
            scanned += match.start() - open_at.pop()
    return scanned + sum(len(block) - start for start in open_at)


def _plain_paragraphs(text: str) -> str:
    """Pathological Markdown is shown as the plain text it is, paragraph by paragraph."""
    return "".join(
        "<p>" + escape(block).replace("\n", "<br>") + "</p>"
        for block in _BLANK_LINE.split(text.replace("\r\n", "\n").replace("\r", "\n"))
        if block.strip()
    )
