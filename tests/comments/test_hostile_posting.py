"""Hostile values in the comment form's hidden fields and in the request itself."""

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.comments.conftest import anonymous_data, box_text

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
