"""Hostile values in the comment form's hidden fields and in the request itself."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from comments.discussion import OWN_COOKIE
from comments.models import Comment
from tests.comments.conftest import anonymous_data, box_text, member_data

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
    from comments.moderation import Decision

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
