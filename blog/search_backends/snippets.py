"""Snippets come back from the database with two private-use characters around each hit;
everything else in them is the post's text, escaped here like any other text."""

import html
import re

from django.utils.html import escape
from django.utils.safestring import SafeString

START, STOP = "\ue000", "\ue001"
MARKS = re.compile(f"([{START}{STOP}])")


def has_hit(raw: str | None) -> bool:
    return bool(raw) and START in raw


def render_snippet(raw: str | None, *, from_html: bool = False) -> SafeString:
    """The snippet as HTML: escaped text, each hit in <mark>.

    `from_html`: the text is a fragment of body_html with its tags dropped (PostgreSQL's
    ts_headline), so its entities are decoded before escaping again. The marks are found
    before decoding, so an entity such as &#xe000; in a post cannot open one.
    """
    pieces, inside = [], False
    for piece in MARKS.split(raw or ""):
        if piece == START:
            if not inside:
                pieces.append("<mark>")
            inside = True
        elif piece == STOP:
            if inside:
                pieces.append("</mark>")
            inside = False
        elif piece:
            text = html.unescape(piece) if from_html else piece
            pieces.append(escape(MARKS.sub("", text)))
    if inside:
        pieces.append("</mark>")
    text = " ".join("".join(pieces).split())
    return SafeString(text)  # safe: every piece of text escaped above, only <mark> added
