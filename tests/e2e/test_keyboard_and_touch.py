"""Keyboard and touch: every control can be reached, seen when focused, and hit with a finger."""

import pytest

from .pages import (
    CANCEL,
    PUBLISH,
    QUOTE,
    REPLY,
    open_discussion,
    select_text_of,
    sign_in_url,
)
from .support import PHONE, badly_focused, focus_state, small_touch_targets, tab_through

pytestmark = pytest.mark.e2e


def _named(pattern):
    return lambda stop: bool(pattern.match(stop["text"]))


def _press_until(page, key: str, pattern, limit: int = 40) -> dict:
    for _ in range(limit):
        page.keyboard.press(key)
        state = focus_state(page)
        if state and pattern.match(state["text"]):
            return state
    raise AssertionError(f"{key} never reached a control named {pattern.pattern!r}")


def _assert_seen(stop: dict) -> None:
    problems = badly_focused([stop])
    assert not problems, problems
    assert stop["width"] >= 24, f"{stop['describe']} is {stop['width']:.0f}px wide"
    assert stop["height"] >= 24, f"{stop['describe']} is {stop['height']:.0f}px tall"


def test_every_focus_stop_on_the_home_page_is_visible(page, article):
    page.goto("/")
    stops = tab_through(page)
    assert len(stops) >= 5, stops
    assert not badly_focused(stops)


def test_every_focus_stop_of_a_deep_discussion_is_visible_never_under_the_header(
    page, article, deep_discussion
):
    open_discussion(page, article)
    stops = tab_through(page)
    assert any(REPLY.match(stop["text"]) for stop in stops), "no Reply link reached by Tab"
    assert any(PUBLISH.match(stop["text"]) for stop in stops), "Publish not reached by Tab"
    assert not badly_focused(stops)


def test_reply_cancel_and_publish_work_from_the_keyboard(page, article, deep_discussion):
    open_discussion(page, article)
    reply = tab_through(page, until=_named(REPLY))[-1]
    assert REPLY.match(reply["text"])
    _assert_seen(reply)

    page.keyboard.press("Enter")
    form = page.locator("form#comment-form")
    assert form.evaluate("(form) => form.closest('article') !== null"), "form did not move"
    cancel = _press_until(page, "Shift+Tab", CANCEL)
    _assert_seen(cancel)
    publish = _press_until(page, "Tab", PUBLISH)
    _assert_seen(publish)

    _press_until(page, "Shift+Tab", CANCEL)
    page.keyboard.press("Enter")
    assert form.evaluate("(form) => form.closest('article') === null"), "Cancel left the form"


def test_quote_is_reachable_by_keyboard_after_selecting_text(page, article, deep_discussion):
    carol = deep_discussion[0]
    open_discussion(page, article)
    select_text_of(page, carol.pk, "My neurologist suggested")
    quote = _press_until(page, "Tab", QUOTE, limit=10)
    assert quote["comment"] == f"comment-{carol.pk}"
    _assert_seen(quote)
    page.keyboard.press("Enter")
    assert "> My neurologist suggested" in page.locator("#comment-form [name=body]").input_value()


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_touch_targets_in_a_discussion_are_at_least_24px(
    browsing, article, deep_discussion, viewport
):
    page = browsing.page(viewport=viewport) if viewport else browsing.page()
    open_discussion(page, article)
    assert not small_touch_targets(page)


def test_touch_targets_on_the_home_page_are_at_least_24px(page, article):
    page.goto("/")
    assert not small_touch_targets(page)
    assert not small_touch_targets(page, "header")


def test_touch_targets_on_the_sign_in_page_are_at_least_24px(page):
    page.goto(sign_in_url())
    assert not small_touch_targets(page)


def test_skip_link_shows_on_focus_and_takes_the_keyboard_past_the_header(page, article):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = focus_state(page)
    assert skip["text"] == "Skip to content"
    _assert_seen(skip)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    first = focus_state(page)
    assert page.evaluate("() => document.activeElement.closest('main') !== null"), first


def test_tab_after_selecting_text_continues_from_the_selection_not_the_top(
    page, article, deep_discussion
):
    # Clicking into the page moves the keyboard's starting point there; a focusable <main>
    # would swallow the click and send Tab back to the top of a long discussion.
    carol = deep_discussion[0]
    open_discussion(page, article)
    select_text_of(page, carol.pk, "My neurologist suggested")
    page.keyboard.press("Tab")
    assert focus_state(page)["comment"] == f"comment-{carol.pk}"
