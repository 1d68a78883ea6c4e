"""Account pages in a real Chromium on a 390px phone: no axe violations, no sideways scroll."""

import shutil

import pytest

from accounts import roles
from tests.factories import PostFactory, UserFactory

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM, reason="needs Debian's chromium"),
]


@pytest.fixture
def phone(live_server, monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 390, "height": 844})
        yield page
        browser.close()


def _check(page, url):
    page.goto(url)
    _audit(page)


def _audit(page):
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.django_db(transaction=True)
def test_account_pages_are_accessible_and_fit_a_phone(live_server, phone, role_group):
    author = UserFactory(
        username="writer",
        display_name="Dr Lena Ruiz",
        title="Consultant Neuroimmunologist",
        bio="Works on *B cells*.",
        orcid="0000-0002-1825-0097",
        groups=[role_group(roles.AUTHORS)],
    )
    PostFactory(author=author)
    UserFactory(username="anna", display_name="Anna K")
    for path in ["/accounts/login/", "/accounts/signup/", "/accounts/password_reset/",
                 "/authors/writer/", "/accounts/profile/anna/"]:  # fmt: skip
        _check(phone, live_server.url + path)

    phone.goto(live_server.url + "/accounts/login/")
    phone.fill("#id_username", "anna")
    phone.fill("#id_password", "correct horse battery")
    phone.click("main button[type=submit]")
    for path in ["/accounts/me/", "/accounts/me/edit/", "/accounts/me/email/", "/accounts/me/delete/",
                 "/accounts/password_change/"]:  # fmt: skip
        _check(phone, live_server.url + path)

    phone.goto(live_server.url + "/accounts/me/edit/")
    phone.fill("#id_website", "javascript:alert(1)")
    phone.click("main button[type=submit]")
    assert phone.locator("#id_website").input_value() == "javascript:alert(1)"
    assert phone.locator(".form-errors").is_visible()
    _audit(phone)
