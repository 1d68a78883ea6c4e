"""Commenting as who you are, in Chromium: sign in with a real OpenID Connect provider from
the comment form, come back to the text you typed, publish, and see your verified ORCID iD.

The provider (tests/oidc_provider) runs at 127.0.0.1 and asserts ORCID iDs, as ORCID's own
OpenID Connect service does; Charcot runs at localhost.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import CommentFactory, UserFactory
from tests.oidc_provider.fixtures import PROVIDER_NAME, oidc_provider  # noqa: F401

from .support import assert_accessible, vnu_available, vnu_errors

pytestmark = pytest.mark.e2e

ORCID = "0000-0002-1825-0097"
PASSWORD = "provider-password-1"
PERMALINK = re.compile(r"#comment-(\d+)$")


@pytest.fixture(autouse=True)
def _readers_type_at_machine_speed(settings):
    settings.CHARCOT_COMMENTS_MODERATION_MIN_SECONDS = 0


@pytest.fixture
def researcher(db):
    """Someone with an account at the provider, which vouches for their ORCID iD."""
    return UserFactory(
        username="rosa-at-provider",
        email="idp+rosa@example.org",
        first_name="Rosa",
        last_name="Field",
        orcid=ORCID,
        password=PASSWORD,
    )


@pytest.mark.usefixtures("oidc_provider")
@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_reader_signs_in_from_the_comment_form_keeps_the_text_and_publishes_with_a_verified_orcid(
    browsing, article, researcher, javascript
):
    page = browsing.page(javascript=javascript)
    page.goto(article.get_absolute_url())
    form = page.locator("form#comment-form")
    if javascript:
        assert_accessible(page, "comment form with external sign-in")
    form.locator("[name=body]").fill("Which cohort was this, please?")
    form.get_by_role("button", name=f"Sign in with {PROVIDER_NAME} to comment").click()

    page.wait_for_url(re.compile(r"^http://127\.0\.0\.1:\d+/accounts/login/"))
    page.locator("[name=username]").fill("rosa-at-provider")
    page.locator("[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()

    page.wait_for_url(re.compile(r"^http://localhost:\d+" + re.escape(article.get_absolute_url())))
    form = page.locator("form#comment-form")
    expect(form.locator("[name=body]")).to_have_value("Which cohort was this, please?")
    expect(form).to_contain_text("Commenting as")

    form.get_by_role("button", name=re.compile(r"^\s*Publish")).click()
    page.wait_for_url(PERMALINK)
    pk = PERMALINK.search(page.url).group(1)
    if javascript:
        page.reload()  # without the one-off "thank you" message (its own checks are elsewhere)
        assert_accessible(page, "discussion with a verified ORCID iD")
    comment = page.locator(f"#comment-{pk}")
    mark = comment.locator("a.orcid-mark")
    expect(mark).to_have_attribute("href", f"https://orcid.org/{ORCID}")
    expect(mark.get_by_role("img", name=f"Verified ORCID iD {ORCID}")).to_be_visible()
    expect(comment.locator("link[property=sameAs]")).to_have_attribute(
        "href", f"https://orcid.org/{ORCID}"
    )


@pytest.mark.django_db
def test_the_pages_with_external_sign_in_and_verified_ids_are_valid_html(client, post, settings):
    reason = vnu_available()
    if reason:
        pytest.skip(reason)
    settings.SOCIALACCOUNT_PROVIDERS = {"orcid": {"APPS": [{"client_id": "APP-1", "secret": "s"}]}}
    writer = UserFactory(display_name="Dr Rosa", verified_orcid=ORCID, orcid="0000-0001-5109-3700")
    CommentFactory(post=post, user=writer)
    documents = {
        "post with the sign-in buttons and a verified writer": client.get(
            post.get_absolute_url()
        ).text,
        "sign-in page": client.get(reverse("login")).text,
        "profile with verified and unverified iDs": client.get(writer.get_absolute_url()).text,
    }
    client.force_login(writer)
    documents["linked accounts"] = client.get(reverse("identities:connections")).text
    assert vnu_errors(documents) == dict.fromkeys(documents, [])
