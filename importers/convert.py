"""HTML from WordPress or Blogger to the Markdown Charcot stores, losing nothing silently.

markdownify does the conversion. Around it: WordPress's paragraphs-by-blank-lines
(wpautop), its [caption] shortcode and block-editor footnotes, captioned figures
(Charcot writes them as ![alt](src "Caption") alone in a paragraph), elements Markdown
cannot express kept as visible code text, and a trailing reference list turned into
structured references when every entry parses.
"""

import re
import warnings
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, Tag
from markdownify import MarkdownConverter

from blog.models import DOI_RE

# Elements with no Markdown form: shown as their source, in code, never run and never lost.
KEPT_AS_TEXT = {"iframe", "script", "style", "object", "embed", "audio", "video", "form",
                "input", "button", "select", "textarea", "svg", "math", "canvas"}  # fmt: skip
BLOCK_START = re.compile(
    r"^\s*<(?:p|div|h[1-6]|ul|ol|li|table|thead|tbody|tr|td|th|blockquote|pre|figure|hr|dl|"
    r"section|article|aside|header|footer|address|!--|/)",
    re.IGNORECASE,
)
CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.IGNORECASE | re.DOTALL)
CAPTION_ATTRIBUTE = re.compile(r'caption="([^"]*)"', re.IGNORECASE)
EMBED = re.compile(r"\[embed[^\]]*\]\s*(\S+?)\s*\[/embed\]", re.IGNORECASE)
BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
SHORTCODE = re.compile(r"\[/?[a-z][\w-]*(?:\s[^\]]*)?\](?!\()")  # not a [link](…)
REFERENCE_HEADINGS = re.compile(
    r"^\s*(references|bibliography|sources|literature cited)\s*:?\s*$", re.I
)

DOI_IN_TEXT = re.compile(r"(?:doi:\s*|https?://(?:dx\.)?doi\.org/)(10\.\d{4,9}/[^\s\"<>]+)", re.I)
PMID_IN_TEXT = re.compile(r"\bPMID:?\s*([1-9]\d{0,8})\b")
# Vancouver style as PubMed prints it: Authors. Title. Journal. Year;Volume(Issue):Pages.
VANCOUVER = re.compile(
    r"^(?P<authors>[^.]{2,500}?)\.\s+(?P<title>[^\n]{3,500}?[.?!])\s+"
    r"(?P<journal>[A-Z][^.;\d]{1,250}?)\.\s+(?P<year>(?:1[89]|20)\d\d)[^;.]{0,20};\s*"
    r"(?P<volume>[\w-]{1,40})?(?:\([^)]{1,20}\))?:\s*(?P<pages>[A-Za-z]?\d+(?:[-–][A-Za-z]?\d+)?)"
)


@dataclass
class Converted:
    markdown: str
    references: list[dict] = field(default_factory=list)
    kept_as_text: int = 0
    images: list[str] = field(default_factory=list)


class _Converter(MarkdownConverter):
    def convert_a(self, el, text, parent_tags):
        # Charcot's own citation links ([@2] rendered), back to [@2] when a file comes home.
        match = re.fullmatch(r"#ref-(\d{1,3})", el.get("href") or "")
        if match:
            return f"[@{match.group(1)}]"
        return super().convert_a(el, text, parent_tags)

    def convert_figure(self, el, text, parent_tags):
        image = el.find("img")
        caption = el.find("figcaption")
        if image is None:
            return text
        caption_text = caption.get_text(" ", strip=True) if caption else ""
        alt = (image.get("alt") or "").replace("]", "\\]")
        title = caption_text or image.get("title") or ""
        title_part = ' "{}"'.format(title.replace('"', '\\"')) if title else ""
        return f"\n\n![{alt}]({image.get('src') or ''}{title_part})\n\n"


def autop(html: str) -> str:
    """WordPress stores classic posts with paragraphs as blank lines (its wpautop adds <p>)."""
    if "\n" not in html:
        return html
    blocks = []
    for chunk in re.split(r"\n\s*\n", html.replace("\r\n", "\n")):
        if not chunk.strip():
            continue
        if BLOCK_START.match(chunk):
            blocks.append(chunk)
        else:
            blocks.append("<p>" + chunk.strip().replace("\n", "<br>\n") + "</p>")
    return "\n".join(blocks)


def _caption(match) -> str:
    attributes, inner = match.group(1), match.group(2)
    soup = BeautifulSoup(inner, "html.parser")
    image = soup.find("img")
    named = CAPTION_ATTRIBUTE.search(attributes)
    if image is None:
        return inner
    caption = named.group(1) if named else ""
    image.extract()
    for empty_link in soup.find_all("a"):
        if not empty_link.get_text(strip=True):
            empty_link.decompose()
    caption = caption or soup.get_text(" ", strip=True)
    figure = BeautifulSoup("<figure></figure>", "html.parser")
    figure.figure.append(image)
    figcaption = figure.new_tag("figcaption")
    figcaption.string = caption
    figure.figure.append(figcaption)
    return str(figure)


def parse_reference(text: str) -> dict | None:
    """A citation with a DOI or PMID, in a shape we can split without guessing; else None."""
    text = " ".join(text.split())
    doi_match, pmid_match = DOI_IN_TEXT.search(text), PMID_IN_TEXT.search(text)
    doi = doi_match.group(1).rstrip(".,;)") if doi_match else ""
    if (doi and not DOI_RE.match(doi)) or not (doi or pmid_match):
        return None
    match = VANCOUVER.match(text)
    if match is None:
        return None
    return {
        "authors": match["authors"].strip()[:500],
        "title": match["title"].strip().rstrip(".")[:500],
        "journal": match["journal"].strip()[:250],
        "year": int(match["year"]),
        "volume": (match["volume"] or "")[:40],
        "pages": match["pages"][:40],
        "doi": doi[:200],
        "pmid": pmid_match.group(1) if pmid_match else "",
    }


def _take_references(soup) -> list[dict]:
    """The last list, under a "References" heading, when every entry parses."""
    headings = [h for h in soup.find_all(re.compile(r"^(h[1-6]|p)$"))
                if REFERENCE_HEADINGS.match(h.get_text(" ", strip=True))]  # fmt: skip
    if not headings:
        return []
    heading = headings[-1]
    listing = heading.find_next_sibling()
    if listing is None or listing.name not in ("ol", "ul") or listing.find_next_sibling():
        return []
    parsed = [parse_reference(item.get_text(" ", strip=True)) for item in listing.find_all("li")]
    if not parsed or any(entry is None for entry in parsed):
        return []
    heading.decompose()
    listing.decompose()
    return parsed


def _footnotes(soup, converter) -> str:
    """WordPress block-editor footnotes as Markdown footnotes ([^1] and [^1]: text)."""
    notes = soup.find("ol", class_="wp-block-footnotes")
    if notes is None:
        return ""
    numbers = {}
    for number, item in enumerate(notes.find_all("li", recursive=False), start=1):
        numbers[item.get("id", "")] = number
    lines = []
    for item in notes.find_all("li", recursive=False):
        for back in item.find_all("a", href=re.compile(r"-link$")):
            back.decompose()
        text = converter.convert(item.decode_contents()).strip()  # the note, not a list item
        lines.append(f"[^{numbers[item.get('id', '')]}]: {text}")
    for mark in soup.find_all("sup", attrs={"data-fn": True}):
        number = numbers.get(mark["data-fn"])
        if number is not None:
            mark.replace_with(NavigableString(f"[^{number}]"))
    notes.decompose()
    return "\n\n" + "\n".join(lines) if lines else ""


# Text that is plain for both HTML and Markdown: no tag, entity, emphasis or shortcode.
PLAIN = re.compile(r"[<>&*_\[\]\\`]")


def plain_to_markdown(text: str) -> str:
    """What markdownify makes of autop's paragraphs and line breaks, without parsing HTML
    (most comments are plain text: this is most of an import's conversions)."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [" ".join(line.split()) for line in chunk.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            blocks.append("  \n".join(lines))
    return "\n\n".join(blocks)


# Comments with a little inline markup and nothing else (most of the rest): text with no
# character Markdown or markdownify treats specially, entities, and links or emphasis that
# hold such text alone, on one line, without a space at either end.
# tests/importers/test_convert.py holds the result equal to markdownify's.
_INLINE_CHAR = r"[^<>&*_\[\]\\`\s]"
_ENTITY = r"&(?:amp|lt|gt|quot|#\d{1,5}|#x[0-9a-fA-F]{1,4});"
_INLINE_INNER = (
    rf"(?:{_INLINE_CHAR}|{_ENTITY})(?:(?:{_INLINE_CHAR}| |{_ENTITY})*(?:{_INLINE_CHAR}|{_ENTITY}))?"
)
_INLINE_TOKEN = re.compile(
    rf'<a href="(?P<href>[^"<>\s&*_\[\]\\`()]+)"(?: rel="[a-z ]*")?>(?P<link>{_INLINE_INNER})</a>'
    rf"|<(?P<tag>em|strong|i|b)>(?P<inner>{_INLINE_INNER})</(?P=tag)>"
    rf"|(?P<text>(?:{_INLINE_CHAR}| |{_ENTITY})+)"
)
_EMPHASIS = {"em": "*", "i": "*", "strong": "**", "b": "**"}
_ODD_WHITESPACE = re.compile(r"[^\S ]")


_ENTITY_RE = re.compile(r"&(?:(amp|lt|gt|quot)|#(\d+)|#x([0-9a-fA-F]+));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"'}


def _character(match) -> str:
    if match[1]:
        return _NAMED[match[1]]
    number = int(match[2]) if match[2] else int(match[3], 16)
    # Controls, C1 (which parsers remap), surrogates and non-characters: take the long way.
    if not (0x21 <= number <= 0x7E or 0xA1 <= number <= 0xD7FF or 0xE000 <= number <= 0xFFFD):
        raise ValueError(number)
    return chr(number)


def _inline_text(source: str) -> str | None:
    """A piece of text with its entities decoded, escaped as markdownify escapes it."""
    if "&" in source:
        try:
            source = _ENTITY_RE.sub(_character, source)
        except ValueError:
            return None
        if _ODD_WHITESPACE.search(source):
            return None
    return source.replace("*", r"\*").replace("_", r"\_")


def _inline_line(line: str) -> str | None:
    out, position = [], 0
    for match in _INLINE_TOKEN.finditer(line):
        if match.start() != position:
            return None
        position = match.end()
        if match["text"] is not None:
            text = _inline_text(match["text"])
        elif match["href"] is not None:
            text = _inline_text(match["link"])
            if text is not None:
                href = match["href"]
                text = f"<{href}>" if text.replace(r"\_", "_") == href else f"[{text}]({href})"
        else:
            text = _inline_text(match["inner"])
            if text is not None:
                mark = _EMPHASIS[match["tag"]]
                text = mark + text + mark
        if text is None:
            return None
        out.append(text)
    if position != len(line):
        return None
    return re.sub(" +", " ", "".join(out)).strip(" ")


def inline_to_markdown(source: str) -> str | None:
    """markdownify's output (after autop) for text with simple inline markup, without
    parsing HTML; None when the HTML holds anything else."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", source.replace("\r\n", "\n").strip()):
        lines = chunk.split("\n")
        if any(line != line.rstrip(" ") for line in lines[:-1]):
            return None  # markdownify keeps a space before a line break
        converted = [_inline_line(line) for line in lines]
        if any(line is None or not line for line in converted):
            return None
        blocks.append("  \n".join(converted))
    return "\n\n".join(blocks) if blocks else None


def html_to_markdown(html: str, *, references: bool = False) -> Converted:
    """Convert one post's or comment's HTML; `references` also lifts a reference list."""
    if not references and PLAIN.search(html or "") is None:
        return Converted(markdown=plain_to_markdown(html or ""))
    if not references and (fast := inline_to_markdown(html or "")) is not None:
        return Converted(markdown=fast)
    return parse_and_convert(html, references=references)


def parse_and_convert(html: str, *, references: bool = False) -> Converted:
    """The whole conversion, through BeautifulSoup and markdownify (what the fast paths of
    html_to_markdown must equal)."""
    html = BLOCK_COMMENT.sub("", html or "")
    html = CAPTION.sub(_caption, html)
    html = EMBED.sub(r'<a href="\1">\1</a>', html)
    with warnings.catch_warnings():
        # A comment that is only a link is text to convert, not a page to fetch.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(autop(html), "html.parser")
    kept = 0
    for element in soup.find_all(KEPT_AS_TEXT):
        if element.parent is None:
            continue
        code = soup.new_tag("code")
        code.string = str(element)
        element.replace_with(code)
        kept += 1
    converter = _Converter(heading_style="ATX", bullets="-", escape_misc=False)
    found = _take_references(soup) if references else []
    notes = _footnotes(soup, converter)
    images = [img.get("src", "") for img in soup.find_all("img") if img.get("src")]
    markdown = converter.convert_soup(soup).strip() + notes
    kept += len(SHORTCODE.findall(markdown))
    return Converted(
        markdown=re.sub(r"\n{3,}", "\n\n", markdown).strip(),
        references=found,
        kept_as_text=kept,
        images=images,
    )


def is_tag(node) -> bool:
    return isinstance(node, Tag)
