"""Every hostile input through the one Markdown renderer, with both profiles."""

import re
import time

import pytest
from bs4 import BeautifulSoup

from charcot.markdown import COMMENT, MAX_NESTING, POST, render_markdown
from tests.security import corpus
from tests.security.html_safety import assert_html_is_safe
from tests.security.markdown_families import COMMENT_LIMIT, CPU_BOUND_SECONDS, cpu_seconds

PROFILES = [pytest.param(POST, id="post"), pytest.param(COMMENT, id="comment")]
# CPU seconds, generous (a 1 MB body takes a few seconds); the unbounded paths took 30 s to
# forever with Python-Markdown. Inputs a form accepts have a far tighter bound:
# test_markdown_cpu.py.
SECONDS_PER_RENDER = 3.0
SECONDS_PER_MEGABYTE = 6.0
XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _depth(html: str) -> int:
    def depth(element) -> int:
        children = [child for child in element.children if getattr(child, "name", None)]
        return 1 + max((depth(child) for child in children), default=0)

    return depth(BeautifulSoup(html, "html.parser")) - 1


def _timed_render(text, profile):
    started = time.process_time()
    html = render_markdown(text, profile)
    return html, time.process_time() - started


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("item", corpus.params())
def test_hostile_markdown_renders_to_safe_html_quickly(item, profile):
    html, seconds = _timed_render(item.value, profile)
    assert_html_is_safe(html)
    limit = SECONDS_PER_RENDER + SECONDS_PER_MEGABYTE * len(item.value) / 1_000_000
    assert seconds < limit, f"{item.id} ({item.note}) took {seconds:.1f}s"
    assert not XML_INVALID.search(html), "control characters would break the feeds"


def test_the_corpus_has_at_least_150_inputs_in_every_promised_category():
    items = corpus.load()
    assert len(items) >= 150
    assert {item.category for item in items} >= {
        "html",
        "attribute",
        "markdown",
        "url",
        "unicode",
        "control",
        "long",
        "nested",
        "crlf",
        "sql",
    }
    assert any(len(item.value) >= 1_000_000 for item in items), "a generated 1 MB body"


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(
    "text",
    [
        pytest.param("<script>alert(1)</script>", id="script"),
        pytest.param('<img src=x onerror="alert(1)">', id="img"),
        pytest.param("</textarea><b>bold?</b>", id="breakout"),
    ],
)
def test_raw_html_is_shown_as_the_text_that_was_typed(text, profile):
    html = render_markdown(text, profile)
    assert text in BeautifulSoup(html, "html.parser").get_text()


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(
    "text",
    [
        pytest.param(">" * 10_000 + " deep", id="10000-quotes"),
        pytest.param("> " * 10_000 + "deep", id="10000-spaced-quotes"),
        pytest.param("- " * 10_000 + "deep", id="10000-list-items-on-a-line"),
        pytest.param("1. " * 10_000 + "deep", id="10000-ordered-items-on-a-line"),
        pytest.param("> - " * 5_000 + "deep", id="quote-list-alternation"),
        pytest.param(
            "\n".join("    " * level + f"- level {level}" for level in range(1_000)),
            id="1000-indented-list-levels",
        ),
    ],
)
def test_pathological_nesting_is_rendered_in_bounded_time_and_depth(text, profile):
    html, seconds = _timed_render(text, profile)
    assert seconds < SECONDS_PER_RENDER
    assert _depth(html) <= 2 * (MAX_NESTING + 2), "each level is at most a list and an item"
    assert "deep" in html or "level 999" in html, "the text itself is kept"


@pytest.mark.parametrize("text", ["[" * 10_000, "![" * 5_000, "&lt;" * 20_000, "**a** " * 20_000])
def test_quadratic_inline_floods_render_in_bounded_time(text):
    html, seconds = _timed_render(text, COMMENT)
    assert seconds < SECONDS_PER_RENDER
    assert BeautifulSoup(html, "html.parser").get_text().strip()


def test_ordinary_markdown_is_untouched_by_the_bounds():
    text = "> quoted *well*\n\n- one\n    - two\n        - three\n\n[a link](https://example.org)"
    html = render_markdown(text, COMMENT)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("blockquote em").get_text() == "well"
    assert [li.contents[0].strip() for li in soup.select("li")] == ["one", "two", "three"]
    assert soup.select_one("a")["href"] == "https://example.org"


def test_control_characters_are_dropped_whether_typed_or_written_as_entities():
    html = render_markdown("a\x00b\x01c\x1bd\x7fe&#14;f\ng", COMMENT)
    assert BeautifulSoup(html, "html.parser").get_text() == "abcdef\ng"


@pytest.mark.parametrize(
    "item",
    [param for param in corpus.params() if len(param.values[0].value) <= COMMENT_LIMIT],
)
def test_every_corpus_input_a_comment_can_hold_renders_under_the_cpu_bound(item):
    seconds = cpu_seconds(render_markdown, item.value, COMMENT)
    assert seconds < CPU_BOUND_SECONDS, f"{item.id} ({item.note}) took {seconds * 1e3:.0f} ms"
