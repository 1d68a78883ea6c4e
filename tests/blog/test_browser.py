"""The post page in a real Chromium: the copy button, CSP, a 390px phone, axe."""

import os
import shutil

import pytest

from tests.blog.factories import ReferenceFactory
from tests.factories import PostFactory

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; the live server thread does the DB work.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        context = browser.new_context(viewport={"width": 390, "height": 844})
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        yield page
        browser.close()
        # Inside Playwright's event loop Django keeps a separate connection for this context;
        # close it, or PostgreSQL refuses to drop the test database at the end.
        from django.db import connections

        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def test_copy_citation_button_copies_the_citation_on_a_phone(live_server, page):
    post = PostFactory(title="Rebound after natalizumab withdrawal", body="Cited [@1].")
    ReferenceFactory(post=post)
    page.goto(live_server.url + post.get_absolute_url())
    button = page.get_by_role("button", name="Copy Vancouver citation")
    button.click()
    page.get_by_text("Vancouver citation copied").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "Rebound after natalizumab withdrawal" in copied
    assert post.get_absolute_url() in copied
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.console_errors == []  # no CSP violations, no script errors


def test_post_page_has_no_axe_violations(live_server, page):
    from axe_playwright_python.sync_playwright import Axe

    post = PostFactory(body="## Results\n\nCited [@1].\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    ReferenceFactory(post=post)
    page.goto(live_server.url + post.get_absolute_url())
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations] == []
