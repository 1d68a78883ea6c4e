"""Issue 17, items 1–5: the discussion never hides a person's text, in a real browser."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment
from tests.factories import CommentFactory

from .pages import PUBLISH, open_discussion

pytestmark = pytest.mark.e2e

ASK_AGAIN = re.compile("press Publish again", re.IGNORECASE)
AWAITING = re.compile("awaiting moderation", re.IGNORECASE)


def form_of(page):
    return page.locator("form#comment-form")


def saved_drafts(page) -> list[str]:
    return page.evaluate("() => Object.values(localStorage)")


def type_and_leave(
    page, article, *, body: str, name: str = "", email: str = "", asks_author: bool = False
) -> None:
    """Type a comment (and who one is) and leave the page without sending it."""
    open_discussion(page, article)
    form = form_of(page)
    if name:
        form.locator("[name=name]").fill(name)
        form.locator("[name=email]").fill(email)
    form.locator("[name=body]").fill(body)
    if asks_author:
        form.get_by_label("Ask the author — this is a question for them").check()
    page.goto("about:blank")


# --- 1. A restored draft sent at once is asked again, never made spam ---------------------------


def test_a_restored_draft_published_within_seconds_is_asked_again_then_kept_until_visible(
    browsing, article, settings
):
    settings.CHARCOT_COMMENTS_MODERATION_MIN_SECONDS = 3
    page = browsing.page()
    type_and_leave(page, article, body="My restored thoughts on the cohort.")
    open_discussion(page, article)
    expect(form_of(page).locator("[data-status]")).to_contain_text("restored")
    form_of(page).locator("[name=name]").fill("Anna")
    form_of(page).locator("[name=email]").fill("anna@example.org")
    form_of(page).get_by_role("button", name=PUBLISH).click()

    expect(form_of(page).get_by_role("alert")).to_contain_text(ASK_AGAIN)
    expect(form_of(page)).not_to_contain_text("received")
    body = form_of(page).locator("[name=body]")
    assert body.input_value() == "My restored thoughts on the cohort."
    assert not Comment.objects.exists(), "a too-fast verdict was stored"
    assert [d for d in saved_drafts(page) if "restored thoughts" in d], "draft deleted"

    page.wait_for_timeout(3200)
    form_of(page).get_by_role("button", name=PUBLISH).click()
    expect(page.locator(".comment-list article", has_text="restored thoughts")).to_contain_text(
        AWAITING
    )
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert not [d for d in saved_drafts(page) if "restored thoughts" in d]


# --- 2. Without cookies, the reader is told cookies are needed --------------------------------


def test_with_cookies_blocked_publish_says_cookies_are_needed_and_keeps_the_text(
    browsing, article, settings
):
    settings.CHARCOT_COMMENTS_MODERATION_MIN_SECONDS = 0
    page = browsing.page()
    open_discussion(page, article)
    page.context.clear_cookies()
    page.route(
        "**/*", lambda route: route.continue_(headers={**route.request.headers, "cookie": ""})
    )
    form = form_of(page)
    form.locator("[name=name]").fill("Anna")
    form.locator("[name=email]").fill("anna@example.org")
    form.locator("[name=body]").fill("Kept without cookies.")
    form.get_by_role("button", name=PUBLISH).click()
    expect(form.get_by_role("alert")).to_contain_text("Cookies are needed to comment")
    assert form.locator("[name=body]").input_value() == "Kept without cookies."
    assert not Comment.objects.exists()


# --- 3. Server-side errors are shown beside their fields with JavaScript too ---------------------


def test_with_javascript_a_server_error_marks_the_field_and_explains_beside_it(
    browsing, article, settings
):
    settings.CHARCOT_COMMENTS_MODERATION_MIN_SECONDS = 0
    page = browsing.page()
    open_discussion(page, article)
    form = form_of(page)
    form.evaluate("(form) => { form.noValidate = true; }")
    form.locator("[name=email]").fill("not an address")
    form.locator("[name=body]").fill("Some text.")
    form.get_by_role("button", name=PUBLISH).click()
    name = form.locator("[name=name]")
    expect(name).to_have_attribute("aria-invalid", "true")
    described = name.get_attribute("aria-describedby").split()
    message = page.locator(f"#{described[0]}")
    expect(message).to_contain_text("required")
    expect(form.locator("[name=email]")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("[name=body]")).not_to_have_attribute("aria-invalid", "true")


# --- 4. The Recent comments sidebar shows the reply's own words -------------------------------


def test_recent_comments_show_a_quote_replys_own_words(browsing, article):
    root = CommentFactory(post=article, body="The original claim about relapses.")
    CommentFactory(
        post=article,
        parent=root,
        body="> **[Kim](/comments/1/) wrote:**\n>\n> The original claim\n\nI disagree with this.",
    )
    page = browsing.page()
    page.goto(article.get_absolute_url())
    excerpts = page.locator(".recent-comments__excerpt")
    expect(excerpts.first).to_have_text("I disagree with this.")


# --- 5. A restored draft brings back the name and email (and "Ask the author") too ------------


def test_a_restored_draft_brings_back_name_and_email(browsing, article):
    page = browsing.page()
    type_and_leave(
        page,
        article,
        body="Half-written.",
        name="Anna",
        email="anna@example.org",
        asks_author=True,
    )
    open_discussion(page, article)
    form = form_of(page)
    expect(form.locator("[name=body]")).to_have_value("Half-written.")
    expect(form.locator("[name=name]")).to_have_value("Anna")
    expect(form.locator("[name=email]")).to_have_value("anna@example.org")
    expect(form.get_by_label("Ask the author — this is a question for them")).to_be_checked()


# --- Keyboard triage on the desk ------------------------------------------------------------


def test_a_moderator_triages_the_queue_with_the_keyboard_and_undoes_a_decision(
    browsing, article, desk_moderator
):
    first = CommentFactory(post=article, status=Comment.Status.PENDING, body="First held")
    second = CommentFactory(post=article, status=Comment.Status.PENDING, body="Second held")
    desk = browsing.page(desk_moderator)
    desk.goto(reverse("admin:comments_comment_triage"))
    expect(desk.locator(f"#triage-{first.pk}")).to_be_focused()
    desk.keyboard.press("j")
    expect(desk.locator(f"#triage-{second.pk}")).to_be_focused()
    desk.keyboard.press("s")
    expect(desk.locator(f"#triage-{second.pk}")).to_have_count(0)
    second.refresh_from_db()
    assert second.status == Comment.Status.SPAM
    desk.keyboard.press("u")
    expect(desk.locator(f"#triage-{second.pk}")).to_have_count(1)
    second.refresh_from_db()
    assert second.status == Comment.Status.PENDING
    desk.keyboard.press("a")
    expect(desk.locator(f"#triage-{first.pk}")).to_have_count(0)
    first.refresh_from_db()
    assert first.status == Comment.Status.APPROVED
