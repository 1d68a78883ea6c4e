"""importers.convert: WordPress HTML to Charcot's Markdown."""

import random

import pytest

from importers.convert import html_to_markdown, inline_to_markdown, parse_and_convert


@pytest.mark.parametrize(
    ("plain", "html"),
    [
        (
            "line  one\nline two\n\n  para   two \n\n\n3",
            "<p>line  one<br>\nline two</p><p>para   two</p><p>3</p>",
        ),
        (
            'Thanks, Prof. That\'s "great" (really)!',
            '<p>Thanks, Prof. That\'s "great" (really)!</p>',
        ),
        ("", ""),
    ],
)
def test_a_plain_text_comment_converts_as_its_html_twin(plain, html):
    assert html_to_markdown(plain).markdown == html_to_markdown(html).markdown


def test_links_are_not_counted_as_unconverted_shortcodes():
    converted = html_to_markdown(
        '<p><a href="https://x.example">a link</a> and [gallery ids="1"]</p>'
    )
    assert converted.markdown == '[a link](https://x.example) and [gallery ids="1"]'
    assert converted.kept_as_text == 1


def test_block_editor_footnotes_become_markdown_footnotes():
    html = (
        '<p>Claim<sup data-fn="f1" class="fn"><a href="#f1" id="f1-link">1</a></sup>.</p>'
        '<ol class="wp-block-footnotes"><li id="f1">The source. <a href="#f1-link">↩︎</a></li></ol>'
    )
    assert html_to_markdown(html).markdown == "Claim[^1].\n\n[^1]: The source."


INLINE_WORDS = [
    "a", "Bé", 'x"y', "it's", "ok!", "(1)", "&amp;", "&lt;b&gt;", "&#42;", "&#8217;",
    "&nbsp;", "&#9;", "&#10;", "&#127;", "&#128;", "&#x2A;", "&#95;", "&quot;q&quot;",
    "&foo;", '<a href="https://e.example/x">link</a>',
    '<a href="https://e.example/x">https://e.example/x</a>',
    '<a href="http://x.example/a-b" rel="nofollow">x &amp; y</a>', "<em>that</em>",
    "<strong>big words</strong>", "<i>i</i>", "<b>b&#95;c</b>", "<em>a  b</em>", "<em> c</em>",
    "<p>p</p>", "#c", "1.", "- x", "> q", "=d", "http://e.example", ":h", "—j", "🎉", "~", "|",
]  # fmt: skip
INLINE_SEPARATORS = [" ", "  ", "\n", "\n\n", "\r\n", " \n", "\n  ", "\n\n\n", ""]


def generated_comments(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    comments = []
    for _ in range(count):
        text = rng.choice(INLINE_WORDS)
        for _ in range(rng.randint(0, 10)):
            text += rng.choice(INLINE_SEPARATORS) + rng.choice(INLINE_WORDS)
        comments.append(rng.choice(["", " "]) + text + rng.choice(["", "\n", " "]))
    return comments


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        (
            'See <a href="https://example.com/1">this</a> &amp; <em>that</em>.\n\nA <b>second</b>.',
            "See [this](https://example.com/1) & *that*.\n\nA **second**.",
        ),
        ('<a href="https://x.example" rel="nofollow">https://x.example</a>', "<https://x.example>"),
        ("I&#8217;m on&#95;it &#42; &lt;3", "I’m on\\_it \\* <3"),
    ],
)
def test_comments_with_simple_inline_markup_convert_without_the_html_parser(html, markdown):
    assert inline_to_markdown(html) == markdown
    assert html_to_markdown(html).markdown == markdown


def test_the_inline_fast_path_gives_what_markdownify_gives_or_steps_aside():
    taken = 0
    for html in generated_comments(3000, seed=15):
        fast = inline_to_markdown(html)
        if fast is not None:
            taken += 1
            assert fast == parse_and_convert(html).markdown, html
    assert taken > 300  # the generator does reach the fast path
