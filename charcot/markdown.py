"""Markdown to safe HTML: the one place user- and author-written Markdown becomes markup.

Rendered once when the text is saved and stored (`body_html`), then sanitized with nh3
against an allowlist, so nothing typed can add scripts, event handlers, styles or
dangerous URLs.
"""

import posixpath
import re
import threading
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import markdown
import nh3
from django.conf import settings
from django.utils.html import escape
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

URL_SCHEMES = {"http", "https", "mailto"}

# `[@2]`, `[@2, @5]` or `[@2; 3]`: inline citations of a post's numbered references.
CITATION_PATTERN = r"\[@(\d{1,3}(?:\s*[,;]\s*@?\d{1,3})*)\]"


class CitationProcessor(InlineProcessor):
    """Turns `[@2]` into a superscript link to reference 2 (`#ref-2`) under the article."""

    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        numbers = [part.strip().lstrip("@") for part in split_citations(m.group(1))]
        sup = etree.Element("sup")
        for index, number in enumerate(numbers):
            link = etree.SubElement(
                sup, "a", {"href": f"#ref-{int(number)}", "title": f"Reference {int(number)}"}
            )
            link.text = f"[{int(number)}]"
            if index < len(numbers) - 1:
                link.tail = " "
        return sup, m.start(0), m.end(0)


def split_citations(text: str) -> list[str]:
    return [part for part in text.replace(";", ",").split(",") if part.strip()]


class FigureProcessor(Treeprocessor):
    """An image alone in its paragraph, with a title, becomes a figure with a caption."""

    def run(self, root):
        for paragraph in root.iter("p"):
            children = list(paragraph)
            if (
                len(children) == 1
                and children[0].tag == "img"
                and not (paragraph.text or "").strip()
                and not (children[0].tail or "").strip()
                and children[0].get("title")
            ):
                image = children[0]
                image.tail = None
                paragraph.tag = "figure"
                caption = etree.SubElement(paragraph, "figcaption")
                caption.text = image.attrib.pop("title")


class ScholarlyExtension(Extension):
    """Posts only: inline citations and captioned figures."""

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        # Above "reference" (170) so `[@2]` is never read as a reference-style link.
        md.inlinePatterns.register(CitationProcessor(CITATION_PATTERN, md), "citation", 175)
        md.treeprocessors.register(FigureProcessor(md), "figure", 5)


def media_prefix() -> str:
    """The path our uploaded media is served from, e.g. `/media/`."""
    url = settings.MEDIA_URL
    return url if url.startswith(("/", "http://", "https://")) else "/" + url


def only_our_media_images(tag: str, attribute: str, value: str) -> str | None:
    """Keep an image source only when it points into our own media, never elsewhere."""
    if tag == "img" and attribute == "src":
        prefix = media_prefix()
        path = unquote(urlsplit(value).path)
        if not value.startswith(prefix) or ".." in path or "\\" in path:
            return None
        if posixpath.normpath(path) != path.rstrip("/"):
            return None
    return value


@dataclass(frozen=True)
class Profile:
    tags: frozenset[str]
    attributes: dict[str, set[str]]
    extensions: tuple[str | Extension, ...]
    images_from_media_only: bool = False
    # Authors' links are ours to vouch for; readers' links are user-generated content.
    link_rel: str = "noopener"


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
    extensions=(
        "markdown.extensions.extra",
        "markdown.extensions.sane_lists",
        ScholarlyExtension(),
    ),
    images_from_media_only=True,
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
    link_rel="noopener nofollow ugc",
)

# Profile biographies: a few paragraphs with emphasis, links and lists; no headings or images.
BIO = Profile(
    tags=frozenset({"p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li", "code"}),
    attributes={"a": {"href", "title"}},
    extensions=("markdown.extensions.sane_lists",),
    link_rel="noopener nofollow ugc",
)


def render_markdown(text: str, profile: Profile = POST) -> str:
    """Render Markdown and sanitize the result; raw HTML in the source is escaped first."""
    text = _bound_nesting(_CONTROL_CHARS.sub("", text or ""))
    if _inline_cost(text) > INLINE_BUDGET:
        return sanitize_html(_plain_paragraphs(text), profile)
    html = _parser(profile).convert(text)
    # Entities such as &#14; come back from the sanitizer as the raw control character.
    return _CONTROL_CHARS.sub("", sanitize_html(html, profile))


_parsers = threading.local()


def _parser(profile: Profile) -> markdown.Markdown:
    """This thread's parser for the profile, reset: building one (extensions, patterns)
    took as long as converting a comment with it."""
    cached = getattr(_parsers, "by_profile", None)
    if cached is None:
        cached = _parsers.by_profile = {}
    known, md = cached.get(id(profile), (None, None))
    if known is not profile:
        md = markdown.Markdown(extensions=list(profile.extensions), output_format="html")
        md.stripTopLevelTags = True
        # Escape raw HTML rather than passing it through: authors write Markdown, not markup.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        cached[id(profile)] = (profile, md)
    return md.reset()


def sanitize_html(html: str, profile: Profile = POST) -> str:
    return nh3.clean(
        html,
        tags=set(profile.tags),
        attributes=profile.attributes,
        url_schemes=URL_SCHEMES,
        link_rel=profile.link_rel,
        attribute_filter=only_our_media_images if profile.images_from_media_only else None,
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
