"""Signing in with a real OpenID Connect provider, over real HTTP, without a browser.

The provider is django-oauth-toolkit at 127.0.0.1 (tests/oidc_provider); Charcot is the
live server at localhost. A `requests` session plays the reader's browser: it keeps each
host's cookies apart, follows redirects and reads the pages it lands on.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model

from tests.factories import PostFactory, UserFactory
from tests.oidc_provider.fixtures import PROVIDER_ID

pytestmark = pytest.mark.django_db(transaction=True)

ORCID = "0000-0002-1825-0097"
PASSWORD = "provider-password-1"
User = get_user_model()


class Reader:
    """A browser without JavaScript: cookies per host, redirects followed."""

    def __init__(self):
        self.session = requests.Session()
        self.page = None

    def get(self, url):
        self.page = self.session.get(url, timeout=10)
        return self.page

    def soup(self):
        return BeautifulSoup(self.page.text, "html.parser")

    def submit(self, form, *, data=None, button=None):
        """Send a form of the current page as its submit button would."""
        fields = {
            field["name"]: field.get("value", "")
            for field in form.select("input[name]")
            if field.get("type") not in ("submit", "checkbox") or field.has_attr("checked")
        }
        for textarea in form.select("textarea[name]"):
            fields[textarea["name"]] = textarea.text
        action = form.get("action") or self.page.url
        if button is not None:
            action = button.get("formaction") or action
            if button.get("name"):
                fields[button["name"]] = button.get("value", "")
        fields.update(data or {})
        url = requests.compat.urljoin(self.page.url, action)
        self.page = self.session.post(url, data=fields, timeout=10)
        return self.page

    def sign_in_at_provider(self, username):
        """The provider's own sign-in page (it is Django's at the provider's host)."""
        form = self.soup().select_one("form[method=post]")
        return self.submit(form, data={"username": username, "password": PASSWORD})


@pytest.fixture
def researcher(db):
    """A person with an account at the provider (their ORCID iD is what it asserts)."""
    return UserFactory(
        username="rosa-at-provider",
        email="idp+rosa@example.org",
        first_name="Rosa",
        last_name="Field",
        orcid=ORCID,
        password=PASSWORD,
    )


@pytest.fixture
def open_post(author):
    return PostFactory(author=author)


def comment_sign_in(reader, live_server, post, text, *, provider_id=PROVIDER_ID):
    reader.get(live_server.url + post.get_absolute_url())
    form = reader.soup().select_one("form#comment-form")
    button = form.select_one(f"button[formaction$='/comment-with/{provider_id}/']")
    assert button is not None, "no 'Sign in with … to comment' button"
    return reader.submit(form, data={"body": text}, button=button)


def test_signing_in_to_comment_comes_back_to_the_form_with_the_text_and_a_new_account(
    oidc_provider, live_server, open_post, researcher
):
    reader = Reader()
    comment_sign_in(reader, live_server, open_post, "Typed before signing in.")
    assert urlsplit(reader.page.url).hostname == "127.0.0.1", "not sent to the provider"
    reader.sign_in_at_provider("rosa-at-provider")

    landed = urlsplit(reader.page.url)
    assert landed.path == open_post.get_absolute_url()
    assert "draft" in parse_qs(landed.query)
    form = reader.soup().select_one("form#comment-form")
    assert form.select_one("textarea[name=body]").text.strip() == "Typed before signing in."
    assert "Commenting as" in form.text
    member = SocialAccount.objects.get(provider=PROVIDER_ID, uid=ORCID).user
    assert member.pk != researcher.pk
    assert member.email == "rosa@example.org"
    assert member.verified_orcid == ORCID
    assert member.public_name == "Rosa Field"
    assert not member.has_usable_password()


def test_the_draft_is_given_back_once(oidc_provider, live_server, open_post, researcher):
    reader = Reader()
    comment_sign_in(reader, live_server, open_post, "Only once.")
    reader.sign_in_at_provider("rosa-at-provider")
    again = reader.get(reader.page.url)
    textarea = BeautifulSoup(again.text, "html.parser").select_one("textarea[name=body]")
    assert textarea.text.strip() == ""


def test_a_member_signing_in_again_reaches_the_same_account(
    oidc_provider, live_server, open_post, researcher
):
    for _ in range(2):
        reader = Reader()
        comment_sign_in(reader, live_server, open_post, "Hello again.")
        reader.sign_in_at_provider("rosa-at-provider")
    assert SocialAccount.objects.filter(uid=ORCID).count() == 1
    assert User.objects.filter(email="rosa@example.org").count() == 1


def test_a_cancelled_sign_in_returns_to_the_form_with_the_text_and_no_account(
    oidc_provider, live_server, open_post, researcher
):
    oidc_provider.application.skip_authorization = False
    oidc_provider.application.save()
    reader = Reader()
    comment_sign_in(reader, live_server, open_post, "Kept even when I cancel.")
    reader.sign_in_at_provider("rosa-at-provider")
    consent = reader.soup().select_one("form#authorizationForm") or reader.soup().select_one(
        "form[method=post]"
    )
    reader.submit(consent)  # without "allow": the person said no

    landed = urlsplit(reader.page.url)
    assert landed.hostname == "localhost"
    assert landed.path == open_post.get_absolute_url()
    page = reader.soup()
    assert page.select_one("textarea[name=body]").text.strip() == "Kept even when I cancel."
    assert "was cancelled" in page.text
    assert not SocialAccount.objects.exists()
    assert "Commenting as" not in page.select_one("form#comment-form").text


def test_a_provider_error_signs_nobody_in_and_keeps_the_text(
    oidc_provider, live_server, open_post, researcher, settings
):
    oidc_provider.configure(settings, secret="not-the-secret")
    reader = Reader()
    comment_sign_in(reader, live_server, open_post, "Kept through an error.")
    reader.sign_in_at_provider("rosa-at-provider")

    landed = urlsplit(reader.page.url)
    assert landed.path == open_post.get_absolute_url()
    page = reader.soup()
    assert "did not work" in page.text
    assert page.select_one("textarea[name=body]").text.strip() == "Kept through an error."
    assert not SocialAccount.objects.exists()
    assert not User.objects.filter(email="rosa@example.org").exists()


def test_a_replayed_callback_is_refused(oidc_provider, live_server, open_post, researcher):
    reader = Reader()
    reader.get(live_server.url + "/accounts/login/")
    form = reader.soup().select_one(f"form[action$='/accounts/with/{PROVIDER_ID}/']")
    reader.submit(form)
    # Stop at the callback: remember it, then let it through once.
    login_form = reader.soup().select_one("form[method=post]")
    fields = {f["name"]: f.get("value", "") for f in login_form.select("input[name]")}
    fields.update(username="rosa-at-provider", password=PASSWORD)
    url = requests.compat.urljoin(reader.page.url, login_form.get("action") or reader.page.url)
    response = reader.session.post(url, data=fields, timeout=10, allow_redirects=False)
    while "/login/callback/" not in response.headers.get("Location", ""):
        response = reader.session.get(
            requests.compat.urljoin(response.url, response.headers["Location"]),
            timeout=10,
            allow_redirects=False,
        )
    callback = requests.compat.urljoin(response.url, response.headers["Location"])
    assert reader.get(callback).status_code == 200
    assert SocialAccount.objects.count() == 1

    # Someone replays the same code and state, in another browser and in the same one.
    stranger = Reader()
    replayed = stranger.get(callback)
    assert replayed.status_code >= 400 or "did not work" in replayed.text
    assert "Commenting as" not in replayed.text
    replayed_here = reader.get(callback)
    assert "did not work" in replayed_here.text
    assert SocialAccount.objects.count() == 1


def test_an_email_that_matches_an_account_is_not_linked_without_its_owner(
    oidc_provider, live_server, open_post, researcher
):
    owner = UserFactory(username="rosa", email="Rosa@example.org", password="owner-password-1")
    reader = Reader()
    comment_sign_in(reader, live_server, open_post, "Not linked by email.")
    reader.sign_in_at_provider("rosa-at-provider")

    landed = urlsplit(reader.page.url)
    assert landed.path == "/accounts/login/"
    assert "nothing was linked" in reader.page.text
    assert not SocialAccount.objects.exists()
    assert User.objects.filter(email__iexact="rosa@example.org").count() == 1
    owner.refresh_from_db()
    assert owner.verified_orcid == ""
    # The way back still leads to the draft once the owner signs in with their password.
    form = reader.soup().select_one("form.account-form")
    reader.submit(form, data={"username": "rosa", "password": "owner-password-1"})
    textarea = reader.soup().select_one("textarea[name=body]")
    assert textarea.text.strip() == "Not linked by email."


def test_the_owner_links_the_provider_from_their_profile_and_it_proves_their_orcid(
    oidc_provider, live_server, researcher
):
    owner = UserFactory(username="rosa", email="rosa@example.org", password="owner-password-1")
    reader = Reader()
    reader.get(live_server.url + "/accounts/login/")
    reader.submit(
        reader.soup().select_one("form.account-form"),
        data={"username": "rosa", "password": "owner-password-1"},
    )
    reader.get(live_server.url + "/accounts/me/identities/")
    reader.submit(reader.soup().select_one(f"form[action$='/connect/{PROVIDER_ID}/']"))
    reader.sign_in_at_provider("rosa-at-provider")

    assert urlsplit(reader.page.url).path == "/accounts/me/identities/"
    account = SocialAccount.objects.get()
    assert account.user == owner
    owner.refresh_from_db()
    assert owner.verified_orcid == ORCID


def test_a_flow_that_did_not_carry_our_nonce_is_refused(oidc_provider, live_server, researcher):
    """allauth's own start URL sends no nonce: the ID token cannot match one, so no sign-in."""
    reader = Reader()
    reader.get(live_server.url + "/accounts/login/")
    token = reader.soup().select_one("input[name=csrfmiddlewaretoken]")["value"]
    reader.page = reader.session.post(
        f"{live_server.url}/accounts/oidc/{PROVIDER_ID}/login/",
        data={"csrfmiddlewaretoken": token},
        timeout=10,
    )
    reader.sign_in_at_provider("rosa-at-provider")
    assert "did not work" in reader.page.text
    assert not SocialAccount.objects.exists()


def test_an_address_locked_out_of_sign_in_cannot_start_an_external_one(
    oidc_provider, live_server, researcher
):
    reader = Reader()
    reader.get(live_server.url + "/accounts/login/")
    for attempt in range(40):  # wrong passwords for many names, from one address
        form = reader.soup().select_one("form.account-form")
        reader.submit(form, data={"username": f"nobody{attempt}", "password": "wrong"})
        if "Too many failed sign-in attempts" in reader.page.text:
            break
    else:
        pytest.fail("the password sign-in never throttled this address")
    form = reader.soup().select_one(f"form[action$='/accounts/with/{PROVIDER_ID}/']")
    reader.submit(form)
    assert urlsplit(reader.page.url).hostname == "localhost"
    assert "Too many sign-in attempts" in reader.page.text
    assert not SocialAccount.objects.exists()


def test_a_provider_name_that_would_pose_as_someone_else_is_not_used(
    oidc_provider, live_server, open_post, author
):
    UserFactory(
        username="poser-at-provider",
        email="idp+",  # the provider shares no email address
        first_name="Prof",
        last_name="G",
        orcid="0000-0001-5109-3700",
        password=PASSWORD,
    )
    reader = Reader()
    comment_sign_in(reader, live_server, open_post, "Trust me.")
    reader.sign_in_at_provider("poser-at-provider")

    member = SocialAccount.objects.get(uid="0000-0001-5109-3700").user
    assert member.email == ""
    assert member.public_name not in ("Prof G", "poser-at-provider")
    assert "Commenting as" in reader.page.text
