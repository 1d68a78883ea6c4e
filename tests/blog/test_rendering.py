import pytest
from bs4 import BeautifulSoup

from charcot.markdown import COMMENT, POST, render_markdown
from tests.factories import PostFactory

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src="/media/x.png" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<iframe src="https://evil.example"></iframe>',
    '<p style="position:fixed">styled</p>',
    '<a href="https://example.org" onclick="steal()">link</a>',
    "[x](vbscript:msgbox(1))",
    '<svg onload="alert(1)"></svg>',
]


def _dangerous(soup):
    for tag in soup.find_all(True):
        assert tag.name not in {"script", "iframe", "svg", "style", "object", "embed"}
        for name, value in tag.attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name != "style"
            if name in ("href", "src"):
                assert not value.lower().startswith(("javascript:", "data:", "vbscript:"))


@pytest.mark.parametrize("source", ATTACKS)
def test_nothing_an_author_types_adds_scripts_handlers_styles_or_dangerous_urls(source):
    _dangerous(BeautifulSoup(render_markdown(source, POST), "html.parser"))


@pytest.mark.django_db
@pytest.mark.parametrize("source", ATTACKS)
def test_post_body_is_sanitized_when_saved(source):
    post = PostFactory(body=f"Intro.\n\n{source}\n\nOutro.")
    _dangerous(BeautifulSoup(post.body_html, "html.parser"))


def test_inline_citation_links_to_the_numbered_reference():
    html = render_markdown("EBV comes first [@2].", POST)
    link = BeautifulSoup(html, "html.parser").select_one("sup a")
    assert link["href"] == "#ref-2"
    assert link.text == "[2]"


def test_several_citations_in_one_bracket_each_get_a_link():
    html = render_markdown("Shown twice [@1; @3] and [@4, 5].", POST)
    hrefs = [a["href"] for a in BeautifulSoup(html, "html.parser").select("sup a")]
    assert hrefs == ["#ref-1", "#ref-3", "#ref-4", "#ref-5"]


def test_citation_syntax_is_left_alone_in_code_and_in_comments():
    html = render_markdown("Write `[@2]` to cite.", POST)
    assert "<code>[@2]</code>" in html
    assert "#ref-2" not in render_markdown("Citing [@2] in a comment", COMMENT)


def test_images_are_kept_only_from_our_own_media_and_others_become_their_description():
    html = render_markdown(
        "![ours](/media/markdownx/a.jpg) ![theirs](https://tracker.example/p.gif) "
        "![sneaky](/media/../secret.png) ![relative](media/a.jpg)",
        POST,
    )
    soup = BeautifulSoup(html, "html.parser")
    assert [img.get("src") for img in soup.find_all("img")] == ["/media/markdownx/a.jpg"]
    assert soup.get_text().split() == ["theirs", "sneaky", "relative"]


def test_a_titled_image_alone_in_a_paragraph_becomes_a_figure_with_a_caption():
    html = render_markdown('![MRI of the brain](/media/mri.jpg "Figure 1. New lesions")', POST)
    figure = BeautifulSoup(html, "html.parser").find("figure")
    assert figure.img["alt"] == "MRI of the brain"
    assert figure.figcaption.text == "Figure 1. New lesions"


def test_external_links_get_rel_noopener():
    html = render_markdown("[PubMed](https://pubmed.ncbi.nlm.nih.gov/35025605/)", POST)
    assert "noopener" in BeautifulSoup(html, "html.parser").a["rel"]


def test_tables_headings_and_blockquotes_survive():
    html = render_markdown("## Results\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> quoted", POST)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.h2
    assert soup.table
    assert soup.blockquote


def test_nothing_one_text_defines_carries_over_to_the_next_rendered_with_the_same_parser():
    first = (
        "See [the trial][t] and HTML.[^1]\n\n"
        "[t]: https://trial.example.org\n\n"
        "*[HTML]: Hypertext\n\n"
        "[^1]: A footnote."
    )
    rendered = render_markdown(first, POST)
    assert "https://trial.example.org" in rendered
    assert "Hypertext" in rendered
    again = render_markdown("See [the trial][t] and HTML.[^1]", POST)
    assert "trial.example.org" not in again
    assert "Hypertext" not in again
    assert "footnote" not in again
    assert render_markdown(first, POST) == rendered


def test_each_profile_keeps_its_own_extensions_when_parsers_are_reused():
    table = "| a | b |\n|---|---|\n| 1 | 2 |"
    assert "<table>" in render_markdown(table, POST)
    assert "<table>" not in render_markdown(table, COMMENT)
    assert "<table>" in render_markdown(table, POST)
