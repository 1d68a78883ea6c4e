"""importers.convert: WordPress HTML to Charcot's Markdown."""

import pytest

from importers.convert import html_to_markdown


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
