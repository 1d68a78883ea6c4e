"""Markdown to safe HTML: the one place user- and author-written Markdown becomes markup.

Parsed by markdown-it-py (CommonMark: linear time by design, no backtracking) and
sanitized with nh3 against an allowlist, so nothing typed can add scripts, event handlers,
styles or dangerous URLs. Rendered once when the text is saved and stored (`body_html`).

Public API:
- `render_markdown(text, profile, *, preview=False) -> str`: the sanitized HTML.
- `render(text, profile, *, preview=False) -> Rendered`: the HTML with the headings and the
  citations found while rendering it.
- `post_headings(text) -> list[Heading]`: a post's headings (level, id, text) for a table of
  contents, with the same ids as the rendered body.
- `cited_numbers(text) -> set[int]` and `citation_anchors(text) -> dict[int, list[str]]`:
  the reference numbers a post cites, and the ids of the places citing each one.
"""

import posixpath
import re
import threading
from dataclasses import dataclass, field
from functools import partial
from types import MethodType, SimpleNamespace
from urllib.parse import unquote, urlsplit

import nh3
from django.conf import settings
from django.utils.html import escape
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it import helpers as mdit_helpers
from markdown_it.common.utils import unescapeAll
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.footnote.index import footnote_ref
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

URL_SCHEMES = {"http", "https", "mailto"}

# `[@2]`, `[@2, @5]`, `[@2; 3]`, `[@1-3]` or `[@1-3, 7]`: inline citations of a post's
# numbered references. A range cites every number in it.
_CITED = r"@?\d{1,3}(?:\s*[-–]\s*@?\d{1,3})?"
CITATION_PATTERN = rf"\[@(\d{{1,3}}(?:\s*[-–]\s*@?\d{{1,3}})?(?:\s*[,;]\s*{_CITED}){{0,30}})\]"
CITATION_RE = re.compile(CITATION_PATTERN)
MAX_RANGE = 50  # `[@1-50]` at most: a longer "range" is a typo, left as the text it is

# Preview only: why an image is missing from the page.
IMAGE_REFUSED_NOTE = (
    "Image not shown: {src} is not on this site. Images must be uploaded through the "
    "editor’s image button, so that they are served from this site."
)


@dataclass(frozen=True)
class Profile:
    tags: frozenset[str]
    attributes: dict[str, set[str]]
    # Optional syntax on top of CommonMark: "table", "strikethrough", "footnote",
    # "deflist", "subsup", "scholarly" (citations, figures, heading ids and self-links).
    features: frozenset[str] = frozenset()
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
        "a": {"href", "title", "id", "class", "aria-label"},
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
        "h5": {"id"},
        "h6": {"id"},
        "mark": {"class"},
    },
    features=frozenset({"table", "strikethrough", "footnote", "deflist", "subsup", "scholarly"}),
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
    link_rel="noopener nofollow ugc",
)

# Profile biographies: a few paragraphs with emphasis, links and lists; no headings or images.
BIO = Profile(
    tags=frozenset({"p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li", "code"}),
    attributes={"a": {"href", "title"}},
    link_rel="noopener nofollow ugc",
)


@dataclass(frozen=True)
class Heading:
    level: int  # as rendered: 2 for `#` in a post that uses `#`
    id: str
    text: str


@dataclass(frozen=True)
class Rendered:
    html: str
    headings: tuple[Heading, ...] = ()
    # Reference number -> the ids of the citation links pointing at it, in reading order.
    citations: dict[int, list[str]] = field(default_factory=dict)


def render(text: str, profile: Profile = POST, *, preview: bool = False) -> Rendered:
    """Render Markdown and sanitize the result; raw HTML in the source is shown as text."""
    env = {"preview": preview, "headings": [], "citations": {}}
    html = _plain_paragraphs(text)
    if html is None:
        html = _parser(profile).render(_prepare(text), env)
    # Entities such as &#14; could come back from the sanitizer as a raw control character.
    html = _CONTROL_CHARS.sub("", sanitize_html(html, profile)).rstrip("\n")
    return Rendered(html=html, headings=tuple(env["headings"]), citations=env["citations"])


# Text with no Markdown in it: paragraphs of words, each line starting with a letter (no list,
# heading, quote, fence, table or definition can start there) and holding no character any
# rule of any profile starts from, no control character and no whitespace but single
# spaces. A line may end with two spaces (a hard break) when another line follows.
_PLAIN_WORDS = r"[^\W\d_](?:[^<>&*_\[\]\\`~^|\s\x00-\x1f\x7f]| (?! ))*(?<! )"
_PLAIN_TEXT = re.compile(rf"{_PLAIN_WORDS}(?:(?:  )?\n{_PLAIN_WORDS}|\n\n+{_PLAIN_WORDS})*")
_PLAIN_BREAK = re.compile(r"(\n\n+|  \n|\n)")
_PLAIN_MARKUP = {"\n": "\n", "  \n": "<br />\n"}  # a soft and a hard break


def _plain_paragraphs(text: str) -> str | None:
    """What markdown-it makes of plain text (most comments), without parsing it; None when
    the text may hold any syntax at all. tests/charcot/test_markdown.py holds the two equal."""
    if not text or _PLAIN_TEXT.fullmatch(text) is None:
        return None
    pieces = _PLAIN_BREAK.split(text.replace('"', "&quot;"))
    for index in range(1, len(pieces), 2):
        pieces[index] = _PLAIN_MARKUP.get(pieces[index], "</p>\n<p>")
    return "<p>" + "".join(pieces) + "</p>\n"


def render_markdown(text: str, profile: Profile = POST, *, preview: bool = False) -> str:
    return render(text, profile, preview=preview).html


def post_headings(text: str) -> list[Heading]:
    """The headings of a post body, with the ids its rendered HTML gives them."""
    return list(render(text, POST).headings)


def citation_anchors(text: str) -> dict[int, list[str]]:
    """Each cited reference number with the ids of the links citing it, for back-links."""
    return render(text, POST).citations


def cited_numbers(text: str) -> set[int]:
    """Every reference number a post body cites (ranges expanded), outside code."""
    return set(citation_anchors(text))


def sanitize_html(html: str, profile: Profile = POST) -> str:
    return nh3.clean(
        html,
        tags=set(profile.tags),
        attributes=profile.attributes,
        url_schemes=URL_SCHEMES,
        link_rel=profile.link_rel,
        attribute_filter=only_our_images if profile.images_from_media_only else None,
        strip_comments=True,
    )


# --- Images -------------------------------------------------------------------------------


def _site_prefixes() -> tuple[str, ...]:
    """The paths our own files are served from: uploaded media and static files."""
    prefixes = []
    for url in (settings.MEDIA_URL, settings.STATIC_URL):
        if url:
            prefixes.append(url if url.startswith(("/", "http://", "https://")) else "/" + url)
    return tuple(prefixes)


def is_our_image(src: str) -> bool:
    """Images come from our own media or static files, never from elsewhere (no trackers)."""
    path = unquote(urlsplit(src).path)
    if not src.startswith(_site_prefixes()) or ".." in path or "\\" in path:
        return False
    return posixpath.normpath(path) == path.rstrip("/")


def only_our_images(tag: str, attribute: str, value: str) -> str | None:
    """The sanitizer's second line behind the renderer: drop any other image source."""
    if tag == "img" and attribute == "src" and not is_our_image(value):
        return None
    return value


# --- Bounds on hostile input ----------------------------------------------------------------
# CommonMark parsing is linear, but markdown-it's constant per character grows with its
# nesting limit (a link label is rescanned once per level) and with the 32 parenthesis
# levels a link destination may hold. These caps keep every input a form accepts (10,000
# characters) far below 100 ms of CPU; tests/security/test_markdown_cpu.py holds it.
MAX_NESTING = 8  # quote and list levels kept; deeper markers are dropped, the text kept
MAX_INDENT = 4 * MAX_NESTING  # columns of leading whitespace kept on a line
BLOCK_MAX_NESTING = 2 * MAX_NESTING + 4  # a list level is two tokens (list and item)
INLINE_MAX_NESTING = 4  # links in images in links: real text never nests deeper
MAX_FOOTNOTE_LABEL = 100
# Parentheses nested in a link's address: CommonMark asks for at least three, markdown-it
# allows 32 and rescans up to 32 of them for each `[a](` typed.
MAX_DESTINATION_PARENS = 4
# C0 controls (except tab, newline, carriage return) and DEL: invalid in XML feeds, never text.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The same written as character references (`&#14;`, `&#x7f;`), which would become U+FFFD.
_CONTROL_REFERENCES = re.compile(
    r"&#(?:0*(?:[0-8]|1[124-9]|2\d|3[01]|127)|[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF]));"
)
_LEADING_SPACE = re.compile(r"[ \t]*")
_CONTAINER_MARKER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))")


def _prepare(text: str) -> str:
    text = _CONTROL_REFERENCES.sub("", _CONTROL_CHARS.sub("", text or ""))
    return "\n".join(_bound_line(line) for line in text.split("\n"))


def _bound_line(line: str) -> str:
    """Cap a line's quote/list markers and indentation at MAX_NESTING levels."""
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


def _skip_token(self, state: StateInline) -> None:
    """markdown-it's skipToken with its own, lower, nesting limit for link labels."""
    pos = state.pos
    cache = state.cache
    if pos in cache:
        state.pos = cache[pos]
        return
    ok = False
    if state.level < INLINE_MAX_NESTING:
        for rule in self.ruler.getRules(""):
            state.level += 1
            ok = rule(state, True)
            state.level -= 1
            if ok:
                break
    else:
        state.pos = state.posMax
    if not ok:
        state.pos += 1
    cache[pos] = state.pos


def _parse_link_label(state: StateInline, start: int, disableNested: bool = False) -> int:  # noqa: N803 (markdown-it's API)
    """No `]` left in the paragraph: no label, without rescanning it token by token."""
    closers = state.__dict__.setdefault("charcot_last_bracket", {})
    last = closers.get(state.posMax)
    if last is None:
        last = closers[state.posMax] = state.src.rfind("]", 0, state.posMax)
    if last <= start:
        return -1
    return mdit_helpers.parseLinkLabel(state, start, disableNested)


_DESTINATION_RUN = re.compile(r"[^\x00-\x20\x7f\\()]+")


def _parse_link_destination(string: str, pos: int, maximum: int):
    """markdown-it's parseLinkDestination with fewer nested parentheses, skipping ordinary
    characters with one regex."""
    if pos < maximum and string[pos] == "<":
        return mdit_helpers.parseLinkDestination(string, pos, maximum)
    result = SimpleNamespace(ok=False, pos=0, str="")
    start, level = pos, 0
    while pos < maximum:
        run = _DESTINATION_RUN.match(string, pos, maximum)
        if run:
            pos = run.end()
            continue
        char = string[pos]
        if char == "\\" and pos + 1 < maximum:
            if string[pos + 1] == " ":
                break
            pos += 2
            continue
        if char == "(":
            level += 1
            if level > MAX_DESTINATION_PARENS:
                return result
        elif char == ")":
            if level == 0:
                break
            level -= 1
        elif char <= " " or char == "\x7f":
            break
        pos += 1
    if start == pos or level != 0:
        return result
    result.str = unescapeAll(string[start:pos])
    result.pos, result.ok = pos, True
    return result


_FOOTNOTE_LABEL = re.compile(rf"\[\^[^ \n\]]{{1,{MAX_FOOTNOTE_LABEL}}}\]")


def _bounded_footnote_ref(state: StateInline, silent: bool) -> bool:
    """`[^label]` with a label of bounded length: the plugin scans to the paragraph's end."""
    if not _FOOTNOTE_LABEL.match(state.src, state.pos, state.posMax):
        return False
    return footnote_ref(state, silent)


# --- Scholarly syntax: citations, figures, headings ------------------------------------------


def _citation_numbers(inside: str) -> list[int] | None:
    numbers = []
    for part in re.split(r"[,;]", inside):
        bounds = [int(number.strip().lstrip("@")) for number in re.split(r"[-–]", part)]
        first, last = bounds[0], bounds[-1]
        if first < 1 or last < first or last - first >= MAX_RANGE:
            return None
        numbers.extend(range(first, last + 1))
    return numbers


def _citation(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[@", state.pos):
        return False
    match = CITATION_RE.match(state.src, state.pos, state.posMax)
    numbers = match and _citation_numbers(match.group(1))
    if not numbers:
        return False
    if not silent:
        state.push("citation", "sup", 0).meta = {"numbers": numbers}
    state.pos = match.end()
    return True


def _render_citation(self, tokens, idx, options, env) -> str:
    links = []
    for number in tokens[idx].meta["numbers"]:
        anchors = env["citations"].setdefault(number, [])
        anchor = f"cite-{number}-{len(anchors) + 1}"
        anchors.append(anchor)
        links.append(
            f'<a href="#ref-{number}" id="{anchor}" title="Reference {number}">[{number}]</a>'
        )
    return "<sup>" + " ".join(links) + "</sup>"


def _images(state: StateCore, *, figures: bool) -> None:
    """Keep only our own images; a titled image alone in its paragraph becomes a figure."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "inline" or not token.children:
            continue
        for position, child in enumerate(token.children):
            if child.type == "image" and not is_our_image(child.attrGet("src") or ""):
                token.children[position] = _refused_image(child, state.env)
        children = token.children
        if (
            figures
            and len(children) == 1
            and children[0].type == "image"
            and children[0].attrGet("title")
            and tokens[index - 1].type == "paragraph_open"
        ):
            tokens[index - 1].tag = tokens[index + 1].tag = "figure"
            children[0].meta["caption"] = children[0].attrGet("title")
            del children[0].attrs["title"]


def _refused_image(image: Token, env: dict) -> Token:
    """On the page, the image's description; in the preview, the reason it is missing."""
    if env.get("preview"):
        note = IMAGE_REFUSED_NOTE.format(src=image.attrGet("src") or "its address")
        token = Token("html_inline", "", 0)
        token.content = f'<mark class="markdown-note">{escape(note)}</mark>'
        return token
    token = Token("text", "", 0)
    token.content = "".join(child.content for child in image.children or ())
    return token


def _render_image(self, tokens, idx, options, env) -> str:
    html = self.image(tokens, idx, options, env)
    caption = tokens[idx].meta.get("caption")
    return html + f"<figcaption>{escape(caption)}</figcaption>" if caption else html


def _headings(state: StateCore) -> None:
    """`#` in a post is a section (h2: the page's h1 is the title); ids and self-links."""
    tokens = state.tokens
    shift = 1 if any(t.type == "heading_open" and t.tag == "h1" for t in tokens) else 0
    used: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type not in ("heading_open", "heading_close"):
            continue
        token.tag = f"h{min(int(token.tag[1]) + shift, 6)}"
        if token.type == "heading_close":
            continue
        inline = tokens[index + 1]
        text = "".join(
            child.content for child in inline.children or () if child.type != "citation"
        ).strip()
        anchor = base = "sec-" + (slugify(text)[:60].strip("-") or "section")
        number = 2
        while anchor in used:
            anchor, number = f"{base}-{number}", number + 1
        used.add(anchor)
        token.attrSet("id", anchor)
        state.env["headings"].append(Heading(level=int(token.tag[1]), id=anchor, text=text))
        link = Token("link_open", "a", 1)
        link.attrs = {
            "href": f"#{anchor}",
            "class": "heading-link",
            "aria-label": f"Link to this section: {text}",
        }
        sign = Token("text", "", 0)
        sign.content = "¶"
        space = Token("text", "", 0)
        space.content = " "
        inline.children = [
            *(inline.children or ()),
            space,
            link,
            sign,
            Token("link_close", "a", -1),
        ]


# --- Parsers ----------------------------------------------------------------------------


def _build(profile: Profile) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": BLOCK_MAX_NESTING})
    md.inline.skipToken = MethodType(_skip_token, md.inline)
    md.helpers = SimpleNamespace(
        parseLinkLabel=_parse_link_label,
        parseLinkDestination=_parse_link_destination,
        parseLinkTitle=mdit_helpers.parseLinkTitle,
    )
    # Raw HTML is shown as text: its rules need not even look (one call less per character).
    # Syntax whose markup the profile would strip stays the text it was typed as, which
    # also spares three block rules per line.
    md.disable(["html_inline", "html_block"])
    if "h2" not in profile.tags:
        md.disable(["heading", "lheading"])
    if "hr" not in profile.tags:
        md.disable(["hr"])
    features = profile.features
    md.enable([name for name in ("table", "strikethrough") if name in features])
    if "footnote" in features:
        footnote_plugin(md, inline=False)
        md.inline.ruler.at("footnote_ref", _bounded_footnote_ref)
    if "deflist" in features:
        md.use(deflist_plugin)
    if "subsup" in features:
        md.use(sub_plugin).use(superscript_plugin)
    if "scholarly" in features:
        # Before links, so `[@2]` is never read as a link or a reference.
        md.inline.ruler.before("link", "citation", _citation)
        md.add_render_rule("citation", _render_citation)
        md.core.ruler.push("headings", _headings)
    md.core.ruler.push("images", partial(_images, figures="scholarly" in features))
    md.add_render_rule("image", _render_image)
    return md


_parsers = threading.local()


def _parser(profile: Profile) -> MarkdownIt:
    """This thread's parser for the profile: a render keeps all its state in its own env."""
    cached = getattr(_parsers, "by_profile", None)
    if cached is None:
        cached = _parsers.by_profile = {}
    known, md = cached.get(id(profile), (None, None))
    if known is not profile:
        md = _build(profile)
        cached[id(profile)] = (profile, md)
    return md
