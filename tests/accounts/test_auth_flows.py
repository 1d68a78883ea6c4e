import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import resolve, reverse

from accounts import views
from accounts.models import User
from tests.factories import UserFactory

PASSWORD = "correct horse battery"
HOSTILE_NEXT = [
    "https://evil.example/",
    "//evil.example/path",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "https://testserver.evil.example/",
    " https://evil.example",
]


def _signup_data(**overrides):
    return {
        "username": "newreader",
        "email": "new@example.com",
        "display_name": "New Reader",
        "password1": "a sturdy passphrase 42",
        "password2": "a sturdy passphrase 42",
        **overrides,
    }


def test_sign_in_and_sign_up_pages_are_ours_and_keep_their_names():
    assert resolve("/accounts/login/").func.view_class is views.SignInView
    assert reverse("login") == "/accounts/login/"
    assert reverse("accounts:signup") == "/accounts/signup/"
    assert reverse("accounts:me") == "/accounts/me/"
    assert reverse("password_reset") == "/accounts/password_reset/"


@pytest.mark.django_db
def test_sign_in_page_links_to_sign_up_carrying_the_page_to_return_to(client):
    response = client.get("/accounts/login/?next=/2026/11/a-post/")
    soup = BeautifulSoup(response.content, "html.parser")
    link = soup.find("a", string=re.compile("Create an account"))
    assert link["href"] == "/accounts/signup/?next=%2F2026%2F11%2Fa-post%2F"
    assert soup.find("input", {"name": "next"})["value"] == "/2026/11/a-post/"


@pytest.mark.django_db
def test_signing_up_creates_the_account_signs_in_and_returns_to_the_page(client):
    response = client.post("/accounts/signup/", _signup_data(next="/2026/11/a-post/"))
    assert response.status_code == 302
    assert response["Location"] == "/2026/11/a-post/"
    user = User.objects.get(username="newreader")
    assert user.email == "new@example.com"
    assert user.public_name == "New Reader"
    assert not user.is_staff
    assert not user.groups.exists()
    assert int(client.session[SESSION_KEY]) == user.pk


@pytest.mark.django_db
def test_sign_up_without_next_goes_to_your_profile(client):
    response = client.post("/accounts/signup/", _signup_data())
    assert response["Location"] == reverse("accounts:me")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password1": "password", "password2": "password"}, "password2"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password2"),
        ({"password1": "newreader1", "password2": "newreader1"}, "password2"),
        ({"password2": "something else entirely"}, "password2"),
        ({"email": "not an email"}, "email"),
        ({"email": ""}, "email"),
        ({"username": "bad name!"}, "username"),
    ],
)
def test_sign_up_refuses_weak_passwords_and_bad_fields_and_keeps_what_was_typed(
    client, overrides, field
):
    response = client.post("/accounts/signup/", _signup_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.filter(username="newreader").exists()
    soup = BeautifulSoup(response.content, "html.parser")
    if field != "display_name":
        assert soup.find("input", {"name": "display_name"})["value"] == "New Reader"


@pytest.mark.django_db
def test_sign_up_refuses_an_email_already_used_whatever_its_case(client):
    UserFactory(username="existing", email="taken@example.com")
    response = client.post("/accounts/signup/", _signup_data(email="TAKEN@example.com"))
    assert "email" in response.context["form"].errors


@pytest.mark.django_db
def test_sign_up_refuses_a_username_differing_only_in_case(client):
    UserFactory(username="NewReader")
    response = client.post("/accounts/signup/", _signup_data())
    assert "username" in response.context["form"].errors


@pytest.mark.django_db
def test_usernames_that_slugify_alike_get_distinct_profile_addresses(client):
    for number, username in enumerate(("j.doe", "jdoe", "Ωμέγα")):
        client.post(
            "/accounts/signup/",
            _signup_data(username=username, email=f"{number}@example.com", display_name=""),
        )
        client.logout()
    slugs = set(User.objects.values_list("slug", flat=True))
    assert {"jdoe", "jdoe-2", "member"} <= slugs
    for user in User.objects.all():
        assert client.get(user.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_signing_in_returns_the_reader_to_the_page_they_came_from(client, reader):
    response = client.post(
        "/accounts/login/",
        {"username": "reader", "password": PASSWORD, "next": "/2026/11/a-post/#comments"},
    )
    assert response["Location"] == "/2026/11/a-post/#comments"
    assert int(client.session[SESSION_KEY]) == reader.pk


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
def test_signing_in_never_redirects_off_the_site(client, reader, hostile):
    response = client.post(
        "/accounts/login/", {"username": "reader", "password": PASSWORD, "next": hostile}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
def test_signing_up_never_redirects_off_the_site(client, hostile):
    response = client.post(f"/accounts/signup/?next={hostile}", _signup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:me")
    page = client.get(f"/accounts/login/?next={hostile}")
    assert hostile.strip() not in page.content.decode()


@pytest.mark.django_db
def test_a_wrong_password_is_refused_with_a_message_and_the_username_kept(client, reader):
    response = client.post("/accounts/login/", {"username": "reader", "password": "nope"})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert response.context["form"].non_field_errors()
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("input", {"name": "username"})["value"] == "reader"


@pytest.mark.django_db
def test_signing_out_takes_a_post_and_ends_the_session(client, reader):
    client.force_login(reader)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_header_offers_sign_in_and_sign_up_to_visitors_and_your_profile_to_members(client, reader):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    nav = soup.find("nav", {"aria-label": "Main"})
    assert nav.find("a", string="Sign up")["href"].startswith("/accounts/signup/?next=")
    assert nav.find("a", string="Sign in")
    client.force_login(reader)
    nav = BeautifulSoup(client.get("/").content, "html.parser").find("nav", {"aria-label": "Main"})
    assert nav.find("a", string="Your profile")["href"] == "/accounts/me/"
    assert not nav.find("a", string="Admin")


@pytest.mark.django_db
def test_password_reset_by_email_lets_the_reader_choose_a_new_password(client, reader):
    response = client.post("/accounts/password_reset/", {"email": "reader@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"]
    assert "Charcot" in message.subject
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert done["Location"] == reverse("password_reset_complete")
    reader.refresh_from_db()
    assert reader.check_password("a brand new passphrase")
    # The link works once.
    assert not client.get(link, follow=True).context["validlink"]


@pytest.mark.django_db
def test_password_reset_for_an_unknown_email_sends_nothing_and_reveals_nothing(client, reader):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_password_change_needs_the_old_password(client, reader):
    client.force_login(reader)
    bad = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "another passphrase 9",
            "new_password2": "another passphrase 9",
        },
    )
    assert "old_password" in bad.context["form"].errors
    good = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another passphrase 9",
            "new_password2": "another passphrase 9",
        },
    )
    assert good["Location"] == reverse("password_change_done")
    reader.refresh_from_db()
    assert reader.check_password("another passphrase 9")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "login",
        "accounts:signup",
        "password_reset",
        "password_reset_done",
        "password_reset_complete",
    ],
)
def test_account_pages_use_the_site_layout(client, name):
    response = client.get(reverse(name))
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("header", class_="site-header")
    assert soup.find("main").find("h1")
    assert "django-admin" not in response.content.decode()


@pytest.mark.django_db
def test_one_address_cannot_create_accounts_without_end(client):
    from accounts import conf

    for number in range(conf.SIGNUPS_PER_IP):
        response = client.post(
            "/accounts/signup/",
            _signup_data(
                username=f"bot{number}", email=f"bot{number}@example.com", display_name=""
            ),
            REMOTE_ADDR="203.0.113.9",
        )
        assert response.status_code == 302
        client.logout()
    refused = client.post("/accounts/signup/", _signup_data(), REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 200
    assert "Too many accounts" in " ".join(refused.context["form"].non_field_errors())
    assert not User.objects.filter(username="newreader").exists()
    other = client.post("/accounts/signup/", _signup_data(), REMOTE_ADDR="192.0.2.50")
    assert other.status_code == 302


@pytest.mark.django_db
def test_one_address_cannot_send_reset_emails_without_end(client, reader):
    from accounts import conf

    for _ in range(conf.RESETS_PER_IP):
        client.post(
            "/accounts/password_reset/", {"email": "reader@example.org"}, REMOTE_ADDR="203.0.113.5"
        )
    assert len(mail.outbox) == conf.RESETS_PER_IP
    refused = client.post(
        "/accounts/password_reset/", {"email": "reader@example.org"}, REMOTE_ADDR="203.0.113.5"
    )
    assert refused.status_code == 200
    assert "Too many reset emails" in refused.content.decode()
    assert len(mail.outbox) == conf.RESETS_PER_IP
