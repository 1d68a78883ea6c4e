"""A reader's comment, from the first keystroke to the page everyone sees, in a real browser.

These flows follow the discussion markup contract (see pages.py) and skip, saying so, while
the post page has no comment form.
"""

import re
from urllib.parse import urlparse

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from comments.models import Comment

from .pages import (
    ERRORS,
    PUBLISH,
    QUOTE,
    REPLY,
    comment,
    enclosing_comment_id,
    open_discussion,
    own_control,
    select_text_of,
    sign_in_url,
)
from .support import PHONE, horizontal_overflow

pytestmark = pytest.mark.e2e

AWAITING = re.compile("awaiting moderation", re.IGNORECASE)
PERMALINK = re.compile(r"#comment-(\d+)$")
# Typed by a reader: accents, an emoji, Markdown, blank lines and trailing spaces.
TRICKY_TEXT = "Ça dépend 🧠 — *really*?\n\n> a quote\n\n- one\n- two  \n\nLast line with spaces   "


@pytest.fixture(autouse=True)
def _readers_type_at_machine_speed(settings):
    # Playwright fills a form in milliseconds, which the anti-bot timer would call spam;
    # that rule has its own tests in tests/comments.
    settings.CHARCOT_COMMENTS_MODERATION_MIN_SECONDS = 0


def form_of(page):
    return page.locator("form#comment-form")


def fill_comment(page, text: str, *, name: str = "Anna", email: str = "anna@example.org"):
    """Type a comment as a reader would; anonymous readers also give a name and an email."""
    form = form_of(page)
    if form.locator("[name=name]").is_visible():
        form.locator("[name=name]").fill(name)
        form.locator("[name=email]").fill(email)
    form.locator("[name=body]").fill(text)


def publish(page, text: str, **identity) -> int:
    """Write and publish a comment; return its id, read from the permalink the reader lands on."""
    fill_comment(page, text, **identity)
    form_of(page).get_by_role("button", name=PUBLISH).click()
    page.wait_for_url(PERMALINK)
    pk = int(PERMALINK.search(page.url).group(1))
    # The enhanced form may set the address before it reloads the page: wait for the comment.
    comment(page, pk).wait_for(state="attached")
    page.wait_for_load_state()
    return pk


def approve_on_the_moderation_desk(desk, pk: int) -> None:
    try:
        changelist = reverse("admin:comments_comment_changelist")
    except NoReverseMatch:
        pytest.skip("Comments are not in admin yet: the moderation desk comes with issue 6.")
    desk.goto(changelist)
    desk.locator(f"input[name=_selected_action][value='{pk}']").check()
    approve = desk.locator("select[name=action] option").filter(
        has_text=re.compile("approve", re.I)
    )
    desk.locator("select[name=action]").select_option(approve.first.get_attribute("value"))
    desk.locator("button[name=index]").first.click()
    # Bulk decisions ask first, listing what will change (issue 17, item 10).
    desk.locator("form button[type=submit]").filter(has_text=re.compile("approve", re.I)).click()
    desk.wait_for_load_state()


def test_anonymous_comment_awaits_moderation_for_its_writer_only_until_a_moderator_approves_it(
    browsing, article, deep_discussion, desk_moderator
):
    text = "Does the rebound risk depend on age at the last infusion?"
    writer = browsing.page()
    open_discussion(writer, article)
    pk = publish(writer, text)
    expect(comment(writer, pk)).to_contain_text(text)
    expect(comment(writer, pk)).to_contain_text(AWAITING)

    stranger = browsing.page()
    stranger.goto(article.get_absolute_url())
    expect(comment(stranger, pk)).to_have_count(0)
    expect(stranger.locator("main")).not_to_contain_text(text)

    approve_on_the_moderation_desk(browsing.page(desk_moderator), pk)

    stranger.reload()
    expect(comment(stranger, pk)).to_contain_text(text)
    expect(comment(stranger, pk)).not_to_contain_text(AWAITING)
    writer.reload()
    expect(comment(writer, pk)).not_to_contain_text(AWAITING)


def test_signed_in_reader_with_an_approved_comment_is_published_at_once(
    browsing, article, reader, deep_discussion
):
    text = "The MRI at three months caught my rebound early."
    page = browsing.page(reader)
    open_discussion(page, article)
    expect(form_of(page).locator("[name=name]")).to_be_hidden()
    expect(form_of(page).locator("[name=email]")).to_be_hidden()
    pk = publish(page, text)
    expect(comment(page, pk)).to_contain_text(text)
    expect(comment(page, pk)).not_to_contain_text(AWAITING)

    stranger = browsing.page()
    stranger.goto(article.get_absolute_url())
    expect(comment(stranger, pk)).to_contain_text(text)


def test_author_replies_deep_in_a_thread_and_the_reply_nests_there_with_the_author_badge(
    browsing, article, author, deep_discussion
):
    target = deep_discussion[-2]
    page = browsing.page(author)
    open_discussion(page, article)
    own_control(page, target.pk, REPLY).click()

    form = form_of(page)
    assert enclosing_comment_id(form) == f"comment-{target.pk}", "the form did not move"
    expect(form.locator("[name=parent]")).to_have_value(str(target.pk))
    expect(form).to_be_in_viewport()

    pk = publish(page, "Glad it settled; that is the usual course.")
    reply = comment(page, pk)
    assert enclosing_comment_id(reply) == f"comment-{target.pk}"
    assert reply.evaluate("(el) => el.parentElement.closest('ol, ul') !== null"), "not in a list"
    expect(reply.get_by_text("Author", exact=True)).to_be_visible()
    expect(reply).to_be_in_viewport()


def test_quote_fills_the_reply_with_the_selection_as_a_blockquote_linked_to_its_comment(
    browsing, article, reader, deep_discussion
):
    carol = deep_discussion[0]
    page = browsing.page(reader)
    open_discussion(page, article)
    expect(page.get_by_role("button", name=QUOTE)).to_have_count(0)  # offered on selection
    select_text_of(page, carol.pk, "My neurologist suggested")
    own_control(page, carol.pk, QUOTE).click()

    body = form_of(page).locator("[name=body]").input_value()
    assert "> My neurologist suggested\n" in body + "\n", body
    attribution = next(line for line in body.splitlines() if "Carol" in line)
    assert attribution.startswith(">"), body
    assert re.search(rf"\]\([^)]*\b{carol.pk}\b[^)]*\)", attribution), body
    expect(form_of(page).locator("[name=parent]")).to_have_value(str(carol.pk))


def test_without_javascript_a_reply_goes_through_the_reply_page(
    browsing, article, reader, deep_discussion
):
    target = deep_discussion[3]
    page = browsing.page(reader, javascript=False)
    open_discussion(page, article)
    own_control(page, target.pk, REPLY).click()
    page.wait_for_load_state()
    assert urlparse(page.url).path != article.get_absolute_url(), "no reply page"
    expect(page.locator("main")).to_contain_text(target.body)

    pk = publish(page, "Eight weeks for me too, without JavaScript.")
    assert urlparse(page.url).path == article.get_absolute_url()
    assert enclosing_comment_id(comment(page, pk)) == f"comment-{target.pk}"


@pytest.mark.parametrize("javascript", [True, False], ids=["enhanced", "no-js"])
def test_a_validation_error_keeps_the_typed_text_character_for_character(
    browsing, article, deep_discussion, javascript
):
    page = browsing.page(javascript=javascript)
    open_discussion(page, article)
    form_of(page).evaluate("(form) => { form.noValidate = true; }")
    form_of(page).locator("[name=body]").fill(TRICKY_TEXT)
    form_of(page).get_by_role("button", name=PUBLISH).click()

    expect(page.locator(ERRORS).first).to_be_visible()
    assert form_of(page).locator("[name=body]").input_value() == TRICKY_TEXT
    assert not Comment.objects.filter(body__contains="Ça dépend").exists()


def test_a_network_failure_keeps_the_text_a_reload_restores_it_and_success_clears_it(
    browsing, article, deep_discussion
):
    page = browsing.page()
    open_discussion(page, article)
    action = form_of(page).evaluate("(form) => new URL(form.action).pathname")

    def drop_posts(route):
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(f"**{action}*", drop_posts)
    fill_comment(page, TRICKY_TEXT)
    form_of(page).get_by_role("button", name=PUBLISH).click()
    expect(form_of(page).get_by_role("alert")).to_be_visible()
    assert form_of(page).locator("[name=body]").input_value() == TRICKY_TEXT

    page.reload()
    assert form_of(page).locator("[name=body]").input_value() == TRICKY_TEXT, "draft not restored"

    page.unroute(f"**{action}*")
    form_of(page).locator("[name=name]").fill("Anna")
    form_of(page).locator("[name=email]").fill("anna@example.org")
    form_of(page).get_by_role("button", name=PUBLISH).click()
    page.wait_for_url(PERMALINK)
    # The script reloads the page at the new comment: wait for that reload to show it,
    # or the next navigation would cut the reload short.
    expect(page.locator(".comment-list article", has_text="Ça dépend")).to_be_visible()
    page.goto(article.get_absolute_url())
    assert form_of(page).locator("[name=body]").input_value() == ""
    stored = page.evaluate("() => Object.values(localStorage)")
    assert not [value for value in stored if "Ça dépend" in value], "draft kept after success"
    assert Comment.objects.filter(body__contains="Ça dépend").count() == 1


@pytest.mark.parametrize("javascript", [True, False], ids=["enhanced", "no-js"])
def test_double_clicking_publish_creates_one_comment(
    browsing, article, reader, deep_discussion, javascript
):
    text = "Clicked twice, as people do when a page is slow."
    page = browsing.page(reader, javascript=javascript)
    open_discussion(page, article)
    fill_comment(page, text)
    form_of(page).get_by_role("button", name=PUBLISH).dblclick()
    # Without JavaScript the second click aborts the first navigation, so wait for where
    # the browser ends up rather than for one particular navigation.
    expect(page).to_have_url(PERMALINK)
    page.wait_for_load_state("networkidle")
    assert Comment.objects.filter(body=text).count() == 1
    expect(page.locator("main").get_by_text(text)).to_have_count(1)


@pytest.mark.parametrize("where", ["home", "post", "sign-in", "author"])
def test_pages_do_not_scroll_sideways_on_a_phone(browsing, article, deep_discussion, where):
    page = browsing.page(viewport=PHONE)
    urls = {
        "home": "/",
        "post": article.get_absolute_url(),
        "author": article.author.get_absolute_url(),
    }
    page.goto(urls[where] if where in urls else sign_in_url())
    assert not horizontal_overflow(page)


def test_the_reply_form_is_usable_on_a_phone(browsing, article, reader, deep_discussion):
    target = deep_discussion[-1]
    page = browsing.page(reader, viewport=PHONE)
    open_discussion(page, article)
    own_control(page, target.pk, REPLY).click()
    body = form_of(page).locator("[name=body]")
    box = body.bounding_box()
    assert box["x"] >= 0, box
    assert box["x"] + box["width"] <= PHONE["width"], box
    assert box["width"] >= 200, f"the text box is only {box['width']:.0f}px wide"
    assert not horizontal_overflow(page)

    pk = publish(page, "Typed on a phone.")
    assert enclosing_comment_id(comment(page, pk)) == f"comment-{target.pk}"
    assert not horizontal_overflow(page)


def test_a_redaction_note_reads_as_a_quiet_note_not_as_larger_text_than_the_comment(
    browsing, article, moderator, deep_discussion
):
    from comments.moderation.services import comment_redact

    target = deep_discussion[0]
    comment_redact(comment=target, moderator=moderator, body="My neurologist [removed].")
    page = browsing.page()
    page.goto(article.get_absolute_url())
    note = comment(page, target.pk).locator(":scope > .comment__note")
    expect(note).to_have_text("Edited by a moderator: personal information removed.")
    paragraph = comment(page, target.pk).locator(":scope > .comment__body p").first

    def style(locator):
        return locator.evaluate(
            "(el) => { const s = getComputedStyle(el); return [parseFloat(s.fontSize), s.color]; }"
        )

    note_size, note_color = style(note)
    body_size, body_color = style(paragraph)
    assert note_size < body_size, (note_size, body_size)
    assert note_color != body_color, "the note looks like part of what the reader wrote"
