"""A reusable check that a page or fragment can run nothing a stranger typed.

Works on the parsed HTML (bs4 with the stdlib parser, which decodes entities in attribute
values as browsers do), never on substrings, so `&lt;script&gt;` shown as text passes and
`<a href="jav&#x09;ascript:...">` fails.
"""

import json
import re

from bs4 import BeautifulSoup, Comment

# Attributes whose value a browser loads or navigates to.
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "codebase",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "ping",
    "manifest",
    "icon",
    "srcdoc",
    "to",
    "from",
    "values",
}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:", "jar:", "feed:")
# A small raster image inlined by our own templates is harmless; nothing else from data:.
SAFE_DATA_URL = re.compile(r"data:image/(png|jpeg|gif|webp)[;,]")
# Elements that run code or load a browsing context however they are written.
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}
# The WHATWG URL parser strips leading and trailing C0 controls and spaces, and removes
# tabs and newlines anywhere, so "jav\tascript:" is still javascript:.
_URL_EDGES = " " + "".join(chr(c) for c in range(0x20))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_CSS_DANGER = re.compile(
    r"(expression\s*\(|url\s*\(\s*['\"]?\s*(javascript|vbscript|data):|@import|behavior\s*:|-moz-binding)",
    re.IGNORECASE,
)


def _normalised_url(value: str) -> str:
    return _TAB_OR_NEWLINE.sub("", value.strip(_URL_EDGES)).lower()


def is_dangerous_url(value: str, *, tag: str = "", attribute: str = "") -> bool:
    """True when a browser would run code (or render attacker HTML) from this URL."""
    url = _normalised_url(value)
    if attribute in {"srcset", "imagesrcset"}:
        attribute = "src"
    if not url.startswith(DANGEROUS_SCHEMES):
        return False
    return not (
        url.startswith("data:") and tag == "img" and attribute == "src" and SAFE_DATA_URL.match(url)
    )


def html_safety_problems(html: str | bytes) -> list[str]:
    """Every way this HTML could run code; empty when it is safe."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    for element in soup.find_all(True):
        name = element.name.lower()
        where = f"<{name}> {str(element)[:120]!r}"
        if name == "script":
            problems.extend(_script_problems(element, where))
        if name in FORBIDDEN_ELEMENTS:
            problems.append(f"forbidden element {where}")
        if name == "style" and _CSS_DANGER.search(element.get_text()):
            problems.append(f"executable CSS in {where}")
        if name == "meta" and element.get("http-equiv", "").lower() == "refresh":
            target = element.get("content", "").partition("=")[2]
            if is_dangerous_url(target):
                problems.append(f"dangerous refresh {where}")
        for attribute, raw in element.attrs.items():
            attribute = attribute.lower()
            value = " ".join(raw) if isinstance(raw, list) else (raw or "")
            if attribute.startswith("on"):
                problems.append(f"event-handler attribute {attribute} on {where}")
            elif any(
                is_dangerous_url(url, tag=name, attribute=attribute)
                for url in _urls_in(attribute, value)
            ):
                problems.append(f"dangerous URL in {attribute} on {where}")
            elif attribute == "style" and _CSS_DANGER.search(value):
                problems.append(f"executable CSS in style attribute on {where}")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        if re.search(r"<\s*script|\[if", comment, re.IGNORECASE):
            problems.append(f"conditional or script-bearing comment {str(comment)[:80]!r}")
    return problems


def _urls_in(attribute: str, value: str) -> list[str]:
    if attribute in {"srcset", "imagesrcset"}:
        return [candidate.strip().split(" ")[0] for candidate in value.split(",")]
    return [value] if attribute in URL_ATTRIBUTES else []


def _script_problems(element, where: str) -> list[str]:
    kind = (element.get("type") or "").strip().lower()
    if kind in {"application/ld+json", "application/json"}:
        # Data blocks never run; json_script and our JSON-LD escape "<", so user text can
        # never close the element and start a real script.
        text = element.string or ""
        if "<" in text:
            return [f"unescaped '<' inside a JSON data block {where}"]
        try:
            json.loads(text)
        except ValueError:
            return [f"JSON data block that is not JSON {where}"]
        return []
    if not element.get("src"):
        return [f"inline script {where}"]
    if is_dangerous_url(element["src"]):
        return [f"script from a dangerous URL {where}"]
    if element.get_text().strip():
        return [f"script with a src and inline code {where}"]
    return []


def assert_html_is_safe(html: str | bytes) -> None:
    """Fail with every problem found, so one run shows the whole picture."""
    problems = html_safety_problems(html)
    assert not problems, "unsafe HTML:\n  " + "\n  ".join(problems)
