"""The renderer's scholarly syntax (issue 16): headings, sub/superscript, citations, figures."""

import random

import pytest
from bs4 import BeautifulSoup

from charcot.markdown import (
    BIO,
    COMMENT,
    POST,
    Heading,
    _plain_paragraphs,  # noqa: PLC2701 (the path under test)
    citation_anchors,
    cited_numbers,
    post_headings,
    render,
    render_markdown,
)


def soup(html):
    return BeautifulSoup(html, "html.parser")


# Headings ------------------------------------------------------------------------------


def test_a_hash_heading_in_a_post_is_a_real_heading_one_level_below_the_title():
    page = soup(render_markdown("# Background\n\nText.\n\n## Trial design", POST))
    assert page.find("h1") is None, "the page's own h1 is the post title"
    assert page.h2.get_text(" ", strip=True).startswith("Background")
    assert page.h3.get_text(" ", strip=True).startswith("Trial design")


def test_posts_written_from_h2_keep_their_levels():
    page = soup(render_markdown("## Results\n\n### Subgroups", POST))
    assert page.h2["id"] == "sec-results"
    assert page.h3["id"] == "sec-subgroups"


def test_headings_get_stable_unique_ids_and_a_self_link_with_an_accessible_name():
    text = "# Methods\n\n# Methods\n\n# Ünïcode *and* `code`"
    first, again = render_markdown(text, POST), render_markdown(text, POST)
    assert first == again
    headings = soup(first).find_all("h2")
    assert [h["id"] for h in headings] == ["sec-methods", "sec-methods-2", "sec-unicode-and-code"]
    link = headings[2].find("a", class_="heading-link")
    assert link["href"] == "#sec-unicode-and-code"
    assert link["aria-label"] == "Link to this section: Ünïcode and code"


def test_post_headings_lists_what_the_rendered_body_shows():
    text = "# Why\n\n## How [@1]\n\nText\n\n# What next"
    assert post_headings(text) == [
        Heading(level=2, id="sec-why", text="Why"),
        Heading(level=3, id="sec-how", text="How"),
        Heading(level=2, id="sec-what-next", text="What next"),
    ]
    ids = [h["id"] for h in soup(render_markdown(text, POST)).find_all(["h2", "h3"])]
    assert ids == [heading.id for heading in post_headings(text)]


@pytest.mark.parametrize("profile", [COMMENT, BIO])
def test_readers_headings_stay_the_text_they_typed(profile):
    html = render_markdown("# Not a heading", profile)
    assert "<h" not in html
    assert soup(html).get_text() == "# Not a heading"


# Sub- and superscript ---------------------------------------------------------------------


def test_subscript_and_superscript_in_posts():
    page = soup(render_markdown("H~2~O and x^2^, but ~~struck~~", POST))
    assert page.sub.get_text() == "2"
    assert page.find("sup").get_text() == "2"
    assert page.s.get_text() == "struck"


def test_comments_have_no_subscript_or_superscript():
    assert "<sub>" not in render_markdown("H~2~O x^2^", COMMENT)


# Citations -------------------------------------------------------------------------------


def _hrefs(html):
    return [a["href"] for a in soup(html).select("sup a")]


def test_a_citation_range_links_to_each_reference_in_it():
    assert _hrefs(render_markdown("Shown [@1-3].", POST)) == ["#ref-1", "#ref-2", "#ref-3"]


def test_a_citation_list_with_a_range_links_each_reference():
    html = render_markdown("Shown [@1,4] and [@2–3; @6].", POST)
    assert _hrefs(html) == ["#ref-1", "#ref-4", "#ref-2", "#ref-3", "#ref-6"]


@pytest.mark.parametrize("text", ["[@3-1]", "[@0]", "[@1-99]", "`[@2]`"])
def test_backwards_empty_or_huge_ranges_and_code_are_not_citations(text):
    assert _hrefs(render_markdown(text, POST)) == []
    assert cited_numbers(text) == set()


def test_cited_numbers_expands_ranges_and_lists():
    assert cited_numbers("A [@1-3]. B [@7]. C [@2, @9]. `[@8]`") == {1, 2, 3, 7, 9}


def test_every_citation_link_has_an_id_for_the_reference_to_link_back_to():
    text = "First [@1]. Both [@1-2]. Again [@1]."
    html = render_markdown(text, POST)
    ids = [a["id"] for a in soup(html).select("sup a")]
    assert ids == ["cite-1-1", "cite-1-2", "cite-2-1", "cite-1-3"]
    assert citation_anchors(text) == {1: ["cite-1-1", "cite-1-2", "cite-1-3"], 2: ["cite-2-1"]}


def test_citations_in_headings_are_left_out_of_the_heading_text():
    assert render("## Results [@2]", POST).headings[0].text == "Results"


# Figures ---------------------------------------------------------------------------------


def test_a_captioned_figure_from_our_static_files_shows_its_image():
    page = soup(render_markdown('![Scan](/static/img/scan.png "Figure 2. A scan")', POST))
    assert page.figure.img["src"] == "/static/img/scan.png"
    assert page.figure.figcaption.get_text() == "Figure 2. A scan"


def test_a_figure_from_another_site_is_no_empty_figure_on_the_page():
    page = soup(render_markdown('![MRI of the brain](https://x.example/f.png "Fig. 1")', POST))
    assert page.find("figure") is None
    assert page.find("img") is None
    assert "MRI of the brain" in page.get_text()


def test_the_preview_explains_why_an_image_from_another_site_is_not_shown():
    html = render_markdown('![MRI](https://x.example/f.png "Fig. 1")', POST, preview=True)
    note = soup(html).find("mark", class_="markdown-note")
    assert "https://x.example/f.png" in note.get_text()
    assert "uploaded through the editor" in note.get_text()
    assert soup(html).find("img") is None


def test_an_image_address_cannot_smuggle_markup_into_the_preview_note():
    html = render_markdown(
        '![x](https://x.example/"><script>alert(1)</script>)', POST, preview=True
    )
    assert soup(html).find("script") is None


# Plain text, rendered without the parser -------------------------------------------------

PLAIN_WORDS = ["a", "Bé", 'x"y', "it's", "ok!", "(1)", "2.", "-b", "#c", "=d", ":h", "@g",
               "http://e.example", "%i", "—j", "\u00a0k", "l?", "M.", "{n}", "$o", "+p", "🎉",
               "q/r", "1)", "~", "|"]  # fmt: skip
PLAIN_SEPARATORS = [" ", "  \n", "\n", "\n\n", "\n\n\n", "  ", " "]


@pytest.mark.parametrize("profile", [POST, COMMENT, BIO])
def test_plain_text_renders_as_the_parser_would_render_it(profile):
    rng = random.Random(15)
    taken = 0
    for _ in range(3000):
        text = rng.choice(PLAIN_WORDS)
        for _ in range(rng.randint(0, 10)):
            text += rng.choice(PLAIN_SEPARATORS) + rng.choice(PLAIN_WORDS)
        taken += _plain_paragraphs(text) is not None
        # A leading blank line changes nothing in Markdown but leaves the plain-text path.
        assert render_markdown(text, profile) == render_markdown("\n" + text, profile), text
    assert taken > 100  # the generator does reach the plain-text path


def test_plain_text_keeps_its_paragraphs_and_line_breaks():
    html = render_markdown('Dear "Prof"  \nthanks.\n\nSecond one', COMMENT)
    assert html == '<p>Dear "Prof"<br>\nthanks.</p>\n<p>Second one</p>'
