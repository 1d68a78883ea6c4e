"""The corpus families of round two: digits that are not ASCII, characters XML cannot
carry, names that pass for staff or the site, and names nobody can see.

Each goes through the public paths (the comment form, its JSON and stale-CSRF answers,
sign-up, the feeds): never a server error, never a broken feed, never a borrowed name.
"""

from urllib.parse import urlsplit

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from charcot.validation import xml_safe
from comments.models import Comment
from tests.security import corpus
from tests.security.crawl import well_known_urls
from tests.security.drivers import (
    COMMENT_FORM,
    Refusal,
    action_of,
    comment_form,
    form_defaults,
    post_comment,
    remote_addr_for,
    soup_of,
    valid_comment,
)

pytestmark = pytest.mark.django_db

TEXT = "Has anyone else seen the rebound at 12 weeks?\n\nI have."
DIGITS = corpus.params(categories={"digits"})
XML = corpus.params(categories={"xml"})
NAMES = corpus.params(categories={"impersonation", "invisible"})


def _textarea(response) -> str:
    box = soup_of(response).select_one(f"{COMMENT_FORM} textarea[name=body]")
    assert box is not None, "the comment form is shown again"
    return box.get_text().removeprefix("\n")


@pytest.mark.parametrize("item", DIGITS)
def test_hostile_parent_ids_never_crash_the_comment_form_and_keep_the_text(client, post, item):
    _data, response, comment = post_comment(
        client, post, {"parent": item.value, "body": TEXT}, item.id
    )
    if comment is not None:
        assert comment.parent is None, "no reply lands under a parent nobody named in 0-9"
        return
    assert response.status_code == 400
    assert _textarea(response) == TEXT


@pytest.mark.parametrize("item", DIGITS)
def test_hostile_parent_ids_get_a_json_answer(client, post, item):
    form = comment_form(client, post)
    data = {**form_defaults(form), **valid_comment(item.id), "parent": item.value}
    response = client.post(
        action_of(form, post.get_absolute_url()),
        data,
        HTTP_ACCEPT="application/json",
        REMOTE_ADDR=remote_addr_for(item.id, "json"),
    )
    assert response.status_code < 500
    assert "ok" in response.json()


@pytest.mark.parametrize("item", DIGITS)
def test_hostile_parent_ids_with_a_stale_token_keep_the_text(post, item):
    browser = Client(enforce_csrf_checks=True)
    form = comment_form(browser, post)
    data = {**form_defaults(form), **valid_comment(item.id), "parent": item.value, "body": TEXT}
    data.pop("csrfmiddlewaretoken", None)
    response = browser.post(action_of(form, post.get_absolute_url()), data)
    assert response.status_code == 403
    assert _textarea(response) == TEXT


@pytest.mark.parametrize("item", DIGITS)
def test_hostile_page_numbers_never_crash_a_post_page(client, post, item):
    assert client.get(post.get_absolute_url(), {"page": item.value}).status_code in (200, 404)


def _feeds_parse(client, post) -> None:
    urls = {url for url in well_known_urls() if "feed" in url}
    for link in soup_of(client.get(post.get_absolute_url())).select("link[rel~=alternate]"):
        if "xml" in link.get("type", ""):
            urls.add(urlsplit(link["href"]).path)
    for url in sorted(urls):
        response = client.get(url)
        if response.status_code == 404:
            continue
        feed = feedparser.parse(response.content)
        assert not feed.bozo, f"{url}: {feed.get('bozo_exception')}"


@pytest.mark.parametrize("item", XML)
def test_characters_xml_cannot_carry_never_reach_a_page_or_a_feed(client, post, item):
    name, body = f"Rosa {item.value} Diaz", f"Before {item.value} after."
    data, response, comment = post_comment(client, post, {"name": name, "body": body}, item.id)
    assert comment is not None, "the text is stored without them, not refused"
    assert comment.author_name == " ".join(xml_safe(name).split())
    assert comment.body == xml_safe(body)
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.APPROVED)
    _feeds_parse(client, post)


@pytest.mark.parametrize("item", NAMES)
def test_nobody_comments_under_a_staff_name_or_an_invisible_one(
    client, post, author, moderator, item
):
    data, response, comment = post_comment(client, post, {"name": item.value}, item.id)
    assert comment is None, f"{item.value!r} was accepted as a commenter's name"
    Refusal(response, COMMENT_FORM).assert_clear_and_keeps(data, ["name", "email", "body"])
    assert soup_of(response).select_one("#id_name_error")


@pytest.mark.parametrize("item", NAMES)
def test_nobody_signs_up_under_a_staff_name_or_an_invisible_one(client, author, item):
    for field in ("display_name", "username"):
        data = {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "display_name": "",
            "password1": "Correct-horse-battery-42",
            "password2": "Correct-horse-battery-42",
            field: item.value,
        }
        response = client.post(reverse("accounts:signup"), data)
        assert response.status_code == 200
        assert field in response.context["form"].errors, (field, item.value)
        assert not get_user_model().objects.filter(email="newcomer@example.com").exists()
