"""Names people can trust: nobody signs as the site, a role or a member of staff, however
the name is spelt (look-alike letters, fullwidth forms, small capitals, blank characters)."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from comments.models import Comment
from tests.comments.conftest import anonymous_data, box_text, member_data, soup
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policy")]

IMPERSONATIONS = [
    "Prof G",  # the author's display name (as in accounts/demo.py)
    "prof  g",
    "Pr\u043ef G",  # Cyrillic о
    "Prof \uff27",  # fullwidth Ｇ
    "Mo Moderator",  # the moderator's display name
    "author",  # the author's username
    "Moderator",
    "MODERATORS",
    "\u1d0d\u1d0f\u1d05\u1d07\u0280\u1d00\u1d1b\u1d0f\u0280",  # ᴍᴏᴅᴇʀᴀᴛᴏʀ
    "\U0001d40c\U0001d428\U0001d41d",  # 𝐌𝐨𝐝
    "Moderat0r",
    "Charcot",
    "\uff23\uff28\uff21\uff32\uff23\uff2f\uff34",  # ＣＨＡＲＣＯＴ
    "Admin",
    "Staff",
    "Editor",
    "former member",
]
INVISIBLE = [
    "\u3164",  # Hangul filler: a letter with no ink
    "\u2800",  # Braille blank
    "\u3164\u3164 \u2800",
    "Prof\u200b G",  # zero-width space
    "Maggie\u202e",  # right-to-left override
    "\u200d",
    "Ann\u00ad",  # soft hyphen
    "...",
]
FINE = [
    "Maggie",
    "Zoë Okafor",
    "李小龙",
    "Prof Grace Hopper",
    "Dr G. Moderna",
    "👩\u200d⚕\ufe0f Sam",
]


@pytest.fixture
def staff(author, moderator):
    return author, moderator


def comment_url(post):
    return reverse("comments:post", kwargs={"post_pk": post.pk})


def signup(client, **fields):
    data = {
        "username": "newcomer",
        "email": "newcomer@example.com",
        "display_name": "",
        "password1": "a sturdy passphrase 42",
        "password2": "a sturdy passphrase 42",
        **fields,
    }
    return client.post(reverse("accounts:signup"), data)


@pytest.mark.usefixtures("staff")
@pytest.mark.parametrize("name", IMPERSONATIONS + INVISIBLE)
def test_anonymous_commenters_cannot_sign_as_staff_or_the_site(client, post, name):
    text = "Trust me, I run this place."
    response = client.post(comment_url(post), anonymous_data(name=name, body=text))
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert box_text(response) == text
    assert soup(response).select_one("#comment-form [name=name]")["value"] == name.strip()
    assert soup(response).select_one("#id_name_error")


@pytest.mark.usefixtures("staff")
@pytest.mark.parametrize("name", FINE)
def test_ordinary_names_and_scripts_sign_comments(client, post, name):
    response = client.post(comment_url(post), anonymous_data(name=name))
    assert response.status_code == 302
    assert Comment.objects.get().author_name == name


@pytest.mark.usefixtures("staff")
@pytest.mark.parametrize("name", IMPERSONATIONS + INVISIBLE)
def test_sign_up_refuses_such_display_names(client, name):
    response = signup(client, display_name=name)
    assert response.status_code == 200
    assert "display_name" in response.context["form"].errors
    assert not User.objects.filter(username="newcomer").exists()


@pytest.mark.usefixtures("staff")
@pytest.mark.parametrize(
    "username", ["Moderators", "moderat0r", "\u1d0d\u1d0f\u1d05", "Charcot", "author", "\u3164"]
)
def test_sign_up_refuses_usernames_that_would_sign_comments_as_staff(client, username):
    response = signup(client, username=username, display_name="Perfectly Fine")
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert not User.objects.filter(email="newcomer@example.com").exists()


def test_a_member_whose_username_is_reserved_must_keep_a_display_name(client, post):
    legacy = UserFactory(username="Moderators", display_name="Bob")
    client.force_login(legacy)
    response = client.post(reverse("accounts:me-edit"), {"display_name": ""})
    assert response.status_code == 200
    assert "display_name" in response.context["form"].errors
    legacy.refresh_from_db()
    assert legacy.display_name == "Bob"
    client.post(comment_url(post), member_data(body="Signed as Bob."))
    assert "Moderators" not in client.get(post.get_absolute_url()).content.decode()


def test_staff_keep_their_own_names_and_their_badges(client, post, author, moderator):
    client.force_login(author)
    assert client.post(reverse("accounts:me-edit"), {"display_name": "Prof G"}).status_code == 302
    client.post(comment_url(post), member_data(body="From the author."))
    client.force_login(moderator)
    client.post(comment_url(post), member_data(body="From the moderator."))
    anonymous = Client()
    anonymous.post(comment_url(post), anonymous_data(name="Maggie", body="From a reader."))
    page = soup(anonymous.get(post.get_absolute_url()))
    badges = {
        article.select_one(".comment__author").get_text(" ", strip=True): [
            badge.get_text() for badge in article.select(".badge")
        ]
        for article in page.select("article[id^=comment-]")
    }
    assert badges == {"Prof G": ["Author"], "Mo Moderator": ["Moderator"], "Maggie": []}
