"""External identities through the test client: which providers show, the one-time draft,
verified ORCID iDs on every surface, linking and unlinking, export and deletion."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from identities.models import CommentDraft
from tests.factories import CommentFactory, PostFactory, UserFactory

ORCID = "0000-0002-1825-0097"
ORCID_CONFIG = {
    "orcid": {"BASE_DOMAIN": "sandbox.orcid.org", "APPS": [{"client_id": "APP-1", "secret": "s"}]}
}


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def orcid_configured(settings):
    settings.SOCIALACCOUNT_PROVIDERS = ORCID_CONFIG


@pytest.fixture
def none_configured(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}


def linked(user, provider="orcid", uid=ORCID):
    return SocialAccount.objects.create(user=user, provider=provider, uid=uid)


# --- Which providers appear -------------------------------------------------------------


@pytest.mark.django_db
def test_no_provider_configured_shows_no_external_sign_in_anywhere(client, post, none_configured):
    assert "Sign in with" not in client.get(reverse("login")).text
    assert "Sign in with" not in client.get(reverse("accounts:signup")).text
    assert "to comment" not in client.get(post.get_absolute_url()).text


@pytest.mark.django_db
def test_a_configured_provider_appears_on_the_sign_in_page_and_the_comment_form(
    client, post, orcid_configured
):
    page = soup(client.get(reverse("login") + "?next=/somewhere/"))
    form = page.select_one("form[action='/accounts/with/orcid/']")
    assert form.select_one("button").text == "Sign in with ORCID"
    assert form.select_one("input[name=next]")["value"] == "/somewhere/"
    comment_form = soup(client.get(post.get_absolute_url())).select_one("form#comment-form")
    button = comment_form.select_one("button[data-external-sign-in]")
    assert button.text == "Sign in with ORCID to comment"
    assert button["formaction"] == "/accounts/comment-with/orcid/"
    assert button.has_attr("formnovalidate")


@pytest.mark.django_db
def test_members_get_no_sign_in_buttons_on_the_comment_form(client, post, reader, orcid_configured):
    client.force_login(reader)
    assert "to comment" not in client.get(post.get_absolute_url()).text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/accounts/with/google/",
        "/accounts/comment-with/google/",
        "/accounts/google/login/",
        "/accounts/google/login/callback/?code=x&state=y",
        "/accounts/oidc/nobody/login/callback/?code=x&state=y",
    ],
)
def test_a_provider_that_is_not_configured_does_not_exist(client, url, orcid_configured):
    assert client.post(url).status_code == 404 or client.get(url).status_code == 404
    assert client.get(url).status_code in (404, 405)


@pytest.mark.django_db
def test_signing_in_starts_with_state_and_a_nonce_and_a_fixed_callback(client, orcid_configured):
    response = client.post("/accounts/with/orcid/", {"next": "/after/"})
    location = urlsplit(response["Location"])
    # (allauth reads ORCID's BASE_DOMAIN once, at start-up: orcid.org in this test process.)
    assert location.scheme == "https"
    assert location.hostname.endswith("orcid.org")
    assert location.path == "/oauth/authorize"
    query = parse_qs(location.query)
    assert query["redirect_uri"] == ["http://testserver/accounts/orcid/login/callback/"]
    assert query["state"][0]
    assert query["nonce"][0]
    assert query["client_id"] == ["APP-1"]


@pytest.mark.django_db
def test_starting_a_sign_in_needs_a_post(client, orcid_configured):
    assert client.get("/accounts/with/orcid/").status_code == 405


@pytest.mark.django_db
def test_a_foreign_next_address_is_dropped(client, orcid_configured):
    client.post("/accounts/with/orcid/", {"next": "https://evil.example/"})
    states = [v for k, v in client.session.items() if "state" in k]
    assert "evil.example" not in repr(states)


# --- The one-time draft -----------------------------------------------------------------


def start_comment_sign_in(client, post, body="My draft", **extra):
    data = {"body": body, "return_to": post.get_absolute_url(), **extra}
    return client.post("/accounts/comment-with/orcid/", data)


@pytest.mark.django_db
def test_the_draft_is_kept_server_side_under_a_hashed_one_time_token(
    client, post, orcid_configured
):
    response = start_comment_sign_in(client, post, "Kept for me")
    assert response.status_code == 302
    draft = CommentDraft.objects.get()
    assert draft.body == "Kept for me"
    token = client.session["identities:draft"]
    assert token not in draft.token_hash
    # The return address goes to the provider inside allauth's server-side state only.
    assert token not in response["Location"]


@pytest.mark.django_db
def test_the_draft_comes_back_on_its_page_once(client, post, orcid_configured):
    start_comment_sign_in(client, post, "Back again", parent="")
    token = client.session["identities:draft"]
    url = f"{post.get_absolute_url()}?draft={token}"
    first = soup(client.get(url)).select_one("textarea[name=body]").text.strip()
    second = soup(client.get(url)).select_one("textarea[name=body]").text.strip()
    assert (first, second) == ("Back again", "")
    assert not CommentDraft.objects.exists()


@pytest.mark.django_db
def test_a_reply_draft_comes_back_with_its_parent(client, post, orcid_configured):
    parent = CommentFactory(post=post)
    start_comment_sign_in(client, post, "A reply", parent=str(parent.pk))
    token = client.session["identities:draft"]
    form = soup(client.get(f"{post.get_absolute_url()}?draft={token}")).select_one("#comment-form")
    assert form.select_one("input[name=parent]")["value"] == str(parent.pk)


@pytest.mark.django_db
def test_a_draft_token_does_nothing_in_another_browser(client, post, orcid_configured):
    from django.test import Client

    start_comment_sign_in(client, post, "Private text")
    token = client.session["identities:draft"]
    other = Client().get(f"{post.get_absolute_url()}?draft={token}")
    assert "Private text" not in other.text


@pytest.mark.django_db
def test_a_draft_is_not_given_back_on_another_page(client, post, orcid_configured):
    start_comment_sign_in(client, post, "Only here")
    token = client.session["identities:draft"]
    other_post = PostFactory(author=post.author)
    assert "Only here" not in client.get(f"{other_post.get_absolute_url()}?draft={token}").text


@pytest.mark.django_db
def test_an_expired_draft_is_gone(client, post, orcid_configured, settings):
    settings.CHARCOT_IDENTITIES_DRAFT_MAX_AGE_SECONDS = 0
    start_comment_sign_in(client, post, "Too late")
    token = client.session["identities:draft"]
    assert "Too late" not in client.get(f"{post.get_absolute_url()}?draft={token}").text


@pytest.mark.django_db
@pytest.mark.parametrize("return_to", ["", "https://evil.example/", "//evil.example/x"])
def test_a_missing_or_foreign_return_address_is_refused(client, orcid_configured, return_to):
    response = client.post("/accounts/comment-with/orcid/", {"body": "x", "return_to": return_to})
    assert response.status_code == 404
    assert not CommentDraft.objects.exists()


@pytest.mark.django_db
def test_a_forged_draft_token_changes_nothing(client, post):
    response = client.get(f"{post.get_absolute_url()}?draft=forged")
    assert response.status_code == 200


# --- Verified ORCID iDs -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_verified_writer_shows_the_orcid_mark_and_same_as_in_the_discussion(client, post):
    writer = UserFactory(display_name="Dr Rosa Field", verified_orcid=ORCID)
    other = UserFactory(display_name="Plain Member", orcid="0000-0001-5109-3700")
    mine = CommentFactory(post=post, user=writer)
    theirs = CommentFactory(post=post, user=other)
    page = soup(client.get(post.get_absolute_url()))
    article = page.select_one(f"#comment-{mine.pk}")
    assert article.select_one("a.orcid-mark")["href"] == f"https://orcid.org/{ORCID}"
    assert article.select_one("a.orcid-mark img")["alt"] == f"Verified ORCID iD {ORCID}"
    person = article.select_one("[typeof=Person]")
    assert person.select_one("link[property=sameAs]")["href"] == f"https://orcid.org/{ORCID}"
    # A typed, unproven iD is not shown as verified in a discussion.
    assert page.select_one(f"#comment-{theirs.pk} a.orcid-mark") is None
    assert "0000-0001-5109-3700" not in page.select_one(f"#comment-{theirs.pk}").decode()


@pytest.mark.django_db
def test_verified_writers_cost_the_discussion_no_extra_query(client, post):
    writers = [UserFactory() for _ in range(3)]
    for writer in writers:
        CommentFactory(post=post, user=writer)
    client.get(post.get_absolute_url())  # caches filled
    with CaptureQueriesContext(connection) as plain:
        client.get(post.get_absolute_url())
    for writer in writers:
        writer.verified_orcid = ORCID
        writer.save()
    with CaptureQueriesContext(connection) as verified:
        html = client.get(post.get_absolute_url()).text
    assert html.count('class="orcid-mark"') == 3
    assert len(verified) == len(plain)


@pytest.mark.django_db
def test_the_profile_marks_a_proven_orcid_verified_and_a_typed_one_unverified(client):
    proven = UserFactory(verified_orcid=ORCID, orcid=ORCID)
    typed = UserFactory(orcid="0000-0001-5109-3700")
    page = client.get(proven.get_absolute_url()).text
    assert "verified by ORCID sign-in" in page
    assert "(unverified)" not in page
    page = client.get(typed.get_absolute_url()).text
    assert "(unverified)" in page
    assert "verified by ORCID sign-in" not in page


@pytest.mark.django_db
def test_the_moderation_desk_shows_how_a_member_signs_in(client, moderator, post, settings):
    settings.SOCIALACCOUNT_PROVIDERS = ORCID_CONFIG
    writer = UserFactory(display_name="Rosa Field")
    linked(writer)
    CommentFactory(post=post, user=writer)
    client.force_login(moderator)
    page = client.get(reverse("admin:comments_comment_changelist")).text
    assert "member, signs in with ORCID" in page


# --- Linking, unlinking, export, deletion -------------------------------------------------


@pytest.mark.django_db
def test_the_linked_accounts_page_lists_links_and_offers_the_others(client, reader, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        **ORCID_CONFIG,
        "google": {"APPS": [{"client_id": "g", "secret": "s"}]},
    }
    linked(reader)
    client.force_login(reader)
    page = soup(client.get(reverse("identities:connections")))
    assert "Disconnect ORCID" in page.text
    assert page.select_one("form[action='/accounts/me/identities/connect/google/']")
    assert not page.select_one("form[action='/accounts/me/identities/connect/orcid/']")


@pytest.mark.django_db
def test_the_linked_accounts_page_needs_a_sign_in(client):
    response = client.get(reverse("identities:connections"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_disconnecting_orcid_removes_the_verified_mark(client, reader, orcid_configured):
    reader.verified_orcid = ORCID
    reader.save()
    account = linked(reader)
    client.force_login(reader)
    client.post(reverse("identities:disconnect", args=[account.pk]))
    reader.refresh_from_db()
    assert reader.verified_orcid == ""
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db
def test_the_only_way_to_sign_in_cannot_be_disconnected(client, orcid_configured):
    member = UserFactory()
    member.set_unusable_password()
    member.save()
    account = linked(member)
    client.force_login(member)
    response = client.post(reverse("identities:disconnect", args=[account.pk]), follow=True)
    assert "only way to sign in" in response.text
    assert SocialAccount.objects.filter(pk=account.pk).exists()


@pytest.mark.django_db
def test_nobody_disconnects_someone_elses_identity(client, reader, orcid_configured):
    account = linked(UserFactory())
    client.force_login(reader)
    assert client.post(reverse("identities:disconnect", args=[account.pk])).status_code == 404
    assert SocialAccount.objects.filter(pk=account.pk).exists()


@pytest.mark.django_db
def test_the_data_export_includes_linked_identities(client, reader):
    linked(reader, provider="google", uid="1234")
    client.force_login(reader)
    data = client.get(reverse("privacy:account-export")).json()
    assert data["linked_identities"][0]["provider"] == "Google"
    assert data["linked_identities"][0]["uid"] == "1234"
    assert "verified_orcid" in data["profile"]


@pytest.mark.django_db
def test_deleting_an_account_deletes_its_linked_identities(client):
    member = UserFactory(password="correct horse battery")
    linked(member)
    client.force_login(member)
    client.post(
        reverse("privacy:account-delete"), {"comments": "keep", "password": "correct horse battery"}
    )
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db
def test_an_issuer_that_does_not_answer_sends_the_reader_back_with_a_message(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "down",
                    "name": "Down ID",
                    "client_id": "c",
                    "secret": "s",
                    # Nothing listens on port 9 (discard) here: the connection is refused.
                    "settings": {"server_url": "http://127.0.0.1:9"},
                }
            ]
        }
    }
    response = client.post("/accounts/with/down/", {"next": "/after/"})
    assert response.status_code == 302
    assert response["Location"] == "/after/"
    assert "Down ID is not answering" in client.get(reverse("login")).text


@pytest.mark.django_db
def test_disconnecting_orcid_takes_the_verified_mark_off_cached_pages_at_once(
    client, post, orcid_configured, settings, django_capture_on_commit_callbacks
):
    """A mark that says "verified" must not outlive the proof on a cached page."""
    settings.CHARCOT_PAGE_CACHE_ENABLED = True
    member = UserFactory(display_name="Dr Rosa Field", verified_orcid=ORCID)
    member.set_password("a-long-pass-phrase-42")  # another way in, so disconnecting is allowed
    member.save()
    account = linked(member)
    comment = CommentFactory(post=post, user=member)
    assert soup(client.get(post.get_absolute_url())).select_one(
        f"#comment-{comment.pk} .orcid-mark"
    )
    assert client.get(post.get_absolute_url())["X-Page-Cache"] == "hit"

    signed_in = type(client)()
    signed_in.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(reverse("identities:disconnect", args=[account.pk]))

    page = soup(client.get(post.get_absolute_url()))
    assert page.select_one(f"#comment-{comment.pk}") is not None
    assert page.select_one(f"#comment-{comment.pk} .orcid-mark") is None


@pytest.mark.django_db
def test_a_newly_proven_orcid_shows_on_cached_pages_at_once(
    client, post, orcid_configured, settings, django_capture_on_commit_callbacks
):
    from identities.services import identity_confirmed

    settings.CHARCOT_PAGE_CACHE_ENABLED = True
    member = UserFactory(display_name="Dr Rosa Field")
    comment = CommentFactory(post=post, user=member)
    client.get(post.get_absolute_url())
    assert client.get(post.get_absolute_url())["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        identity_confirmed(user=member, provider_id="orcid", uid=ORCID)

    page = soup(client.get(post.get_absolute_url()))
    assert page.select_one(f"#comment-{comment.pk} .orcid-mark") is not None
