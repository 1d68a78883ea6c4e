"""The moderation desk takes whatever the public forms accept, and hostile ids politely."""

import pytest
from django.urls import reverse

from comments import conf
from comments.models import Ban, Comment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_a_comment_of_the_longest_allowed_length_can_be_redacted(client, mod):
    longest = conf.BODY_MAX_LENGTH
    original = ("Patient John Smith improved. " * 400)[: longest - 1] + "."
    assert len(original) == longest
    comment = CommentFactory(body=original)
    client.force_login(mod)
    redacted = original.replace("John Smith", "[name]    ")
    response = client.post(
        reverse("admin:comments_comment_redact", args=[comment.pk]),
        {"body": redacted, "reason": "name removed"},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == redacted.strip()
    assert "John Smith" not in comment.body


def test_the_redact_form_refuses_more_than_a_comment_may_hold(client, mod):
    comment = CommentFactory(body="Short.")
    client.force_login(mod)
    response = client.post(
        reverse("admin:comments_comment_redact", args=[comment.pk]),
        {"body": "x" * (conf.BODY_MAX_LENGTH + 1), "reason": ""},
    )
    assert response.status_code == 200
    assert Comment.objects.get(pk=comment.pk).body == "Short."


@pytest.mark.parametrize("author", ["²", "①", "１２"])
def test_an_author_filter_in_other_digits_is_ignored_not_a_crash(client, mod, author):
    client.force_login(mod)
    response = client.get(reverse("admin:comments_comment_unanswered"), {"author": author})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["²", "①"])
def test_a_ban_on_an_account_id_in_other_digits_is_an_error_not_a_crash(client, value):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        reverse("admin:comments_ban_add"), {"kind": Ban.Kind.USER, "value": value, "reason": "x"}
    )
    assert response.status_code == 200
    assert "No account has this id." in response.content.decode()
    assert not Ban.objects.exists()
