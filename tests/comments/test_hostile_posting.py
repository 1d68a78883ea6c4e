"""Hostile values in the comment form's hidden fields and in the request itself."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from comments.discussion import OWN_COOKIE
from comments.models import Comment
from tests.comments.conftest import anonymous_data, box_text, member_data, soup

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policy")]

TEXT = "Did anyone else see the rebound at 12 weeks?\n\nI did."
# str.isdigit() accepts these, int() does not (or reads them as another number).
NOT_ASCII_DIGITS = ["²", "①", "٣", "12³", "１２"]


def post_url(post):
    return reverse("comments:post", kwargs={"post_pk": post.pk})


@pytest.mark.parametrize("parent", NOT_ASCII_DIGITS)
def test_a_parent_in_other_digits_gives_the_form_back_with_the_text(client, post, parent):
    response = client.post(post_url(post), anonymous_data(parent=parent, body=TEXT))
    assert response.status_code == 400
    assert box_text(response) == TEXT
    assert not Comment.objects.exists()


@pytest.mark.parametrize("parent", NOT_ASCII_DIGITS)
def test_a_parent_in_other_digits_gets_a_json_answer_not_a_crash(client, post, parent):
    response = client.post(
        post_url(post), anonymous_data(parent=parent, body=TEXT), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert "parent" in response.json()["errors"]
    assert not Comment.objects.exists()


@pytest.mark.parametrize("parent", NOT_ASCII_DIGITS)
def test_a_parent_in_other_digits_with_a_stale_token_gives_the_text_back(post, parent):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(post_url(post), anonymous_data(parent=parent, body=TEXT))
    assert response.status_code == 403
    assert box_text(response) == TEXT


# --- Submission keys: bound to the post and to the writer ---------------------------------------

HELD = "pending"


def post_json(client, post, data, **extra):
    return client.post(post_url(post), data, HTTP_ACCEPT="application/json", **extra)


def test_someone_elses_submission_key_is_a_new_submission_not_their_comment(post, policy):
    from comments.policy import Decision

    key = str(uuid.uuid4())
    writer, replayer = Client(), Client()
    policy.decision = Decision(status=HELD, reason="test: held")
    first = post_json(writer, post, anonymous_data(submission_key=key, body="Mine, held."))
    theirs = Comment.objects.get(pk=first.json()["id"])
    policy.decision = Decision(status="approved", reason="test: approved")
    second = post_json(
        replayer,
        post,
        anonymous_data(submission_key=key, name="Rex", email="rex@example.com", body="Other."),
    )
    assert second.json()["ok"] is True
    assert second.json()["id"] != theirs.pk
    assert Comment.objects.get(pk=second.json()["id"]).body == "Other."
    assert str(theirs.pk) not in second.cookies[OWN_COOKIE].value.split(":")[0].split(",")
    assert replayer.get(reverse("comments:permalink", kwargs={"pk": theirs.pk})).status_code == 404
    assert writer.get(reverse("comments:permalink", kwargs={"pk": theirs.pk})).status_code == 302


def test_a_key_replayed_by_the_same_anonymous_text_but_another_person_is_not_theirs(post):
    key = str(uuid.uuid4())
    post_json(Client(), post, anonymous_data(submission_key=key, body="Same words."))
    again = post_json(
        Client(),
        post,
        anonymous_data(submission_key=key, name="Rex", email="rex@example.com", body="Same words."),
    )
    assert Comment.objects.count() == 2
    assert Comment.objects.get(pk=again.json()["id"]).author_name == "Rex"


def test_a_member_replaying_someone_elses_key_gets_their_own_comment_stored(client, post, reader):
    key = str(uuid.uuid4())
    post_json(Client(), post, anonymous_data(submission_key=key, body="Anonymous words."))
    client.force_login(reader)
    response = post_json(client, post, member_data(submission_key=key, body="Member words."))
    mine = Comment.objects.get(pk=response.json()["id"])
    assert (mine.user, mine.body) == (reader, "Member words.")
    assert Comment.objects.count() == 2


def test_a_member_sending_a_used_key_with_new_text_never_loses_the_text(client, post, reader):
    key = str(uuid.uuid4())
    client.force_login(reader)
    post_json(client, post, member_data(submission_key=key, body="First thought."))
    response = post_json(client, post, member_data(submission_key=key, body="Second thought."))
    assert response.json()["ok"] is True
    assert sorted(Comment.objects.values_list("body", flat=True)) == [
        "First thought.",
        "Second thought.",
    ]


def test_a_key_used_on_another_post_is_a_new_submission_there(client, post, reader):
    from tests.factories import PostFactory

    other = PostFactory()
    key = str(uuid.uuid4())
    client.force_login(reader)
    post_json(client, post, member_data(submission_key=key, body="Same words."))
    response = post_json(client, other, member_data(submission_key=key, body="Same words."))
    assert Comment.objects.get(pk=response.json()["id"]).post == other
    assert Comment.objects.count() == 2


def test_pressing_publish_twice_still_stores_one_comment(client, post, reader):
    data = anonymous_data()
    first = post_json(client, post, data)
    second = post_json(client, post, data)
    assert first.json()["id"] == second.json()["id"]
    client.force_login(reader)
    data = member_data()
    assert post_json(client, post, data).json()["id"] == post_json(client, post, data).json()["id"]
    assert Comment.objects.count() == 2


# --- Requests over the size and field limits ----------------------------------------------------

URLENCODED = "application/x-www-form-urlencoded"


def urlencoded(data: dict, extra: str = "") -> str:
    from urllib.parse import urlencode

    return urlencode(data) + extra


def test_a_comment_over_the_size_limit_gets_the_form_back_with_what_could_be_read(
    client, post, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000
    long_text = "Week 12: " + "the rebound was real, 🧠 café. " * 3_000
    data = anonymous_data(name="Maggie", email="maggie@example.com", body=long_text)
    response = client.post(post_url(post), urlencoded(data), content_type=URLENCODED)
    assert response.status_code == 413
    assert "far longer than a comment may be" in response.content.decode()
    form = soup(response).select_one("#comment-form")
    assert form.select_one("[name=name]")["value"] == "Maggie"
    assert form.select_one("[name=email]")["value"] == "maggie@example.com"
    kept = box_text(response)
    assert len(kept) > 10_000
    assert long_text.startswith(kept)
    assert not Comment.objects.exists()


def test_a_comment_with_too_many_fields_gets_the_form_back_with_the_text(client, post, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 100
    data = anonymous_data(body=TEXT)
    response = client.post(post_url(post), urlencoded(data, "&x=1" * 200), content_type=URLENCODED)
    assert response.status_code == 400
    assert "more fields than it has" in response.content.decode()
    assert box_text(response) == TEXT
    assert not Comment.objects.exists()


def test_the_enhanced_form_is_told_in_json_that_the_request_was_too_large(client, post, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    response = client.post(
        post_url(post), anonymous_data(body="x" * 30_000), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 413
    assert response.json()["ok"] is False
    assert "far longer than a comment may be" in response.json()["message"]


def test_a_form_too_large_to_read_back_says_where_the_text_still_is(client, post, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    data = {**anonymous_data(body=TEXT), **{f"x{n}": "1" for n in range(50)}}
    response = client.post(post_url(post), data)  # multipart: not re-readable
    assert response.status_code == 400
    assert "Back button" in response.content.decode()
    assert not Comment.objects.exists()


def test_other_pages_over_the_limits_get_the_sites_own_400_page(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = client.post(
        reverse("accounts:signup"), urlencoded({}, "&x=1" * 50), content_type=URLENCODED
    )
    assert response.status_code == 400
    assert "Your request could not be read" in response.content.decode()


def test_the_request_limits_are_set_on_purpose():
    from django.conf import settings

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 2_000
