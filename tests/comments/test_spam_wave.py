"""Spam waves: many caught submissions hold new anonymous comments for a while."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from comments.models import Comment
from tests.accounts.factories import make_moderator
from tests.comments.conftest import anonymous_data, soup
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def post_url(post):
    return reverse("comments:post", kwargs={"post_pk": post.pk})


def test_a_flood_of_caught_bots_holds_the_next_anonymous_comments_and_tells_moderators_once(
    client, post, settings, django_capture_on_commit_callbacks
):
    settings.CHARCOT_COMMENTS_SPAM_WAVE_PER_HOUR = 3
    settings.CHARCOT_COMMENTS_COMMENT_RATE_LIMITS = [(100, 60)]
    make_moderator(email="mo@example.com")
    CommentFactory(post=post, author_name="Maggie", author_email="maggie@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(6):
            client.post(
                post_url(post),
                anonymous_data(body=f"spam {n}", homepage="x"),
                REMOTE_ADDR=f"198.51.100.{n}",
            )
        client.post(post_url(post), anonymous_data(name="Maggie", body="Back again."))
    comment = Comment.objects.get(body="Back again.")
    assert (comment.status, comment.moderation_reason) == ("pending", "held: spam wave")
    assert "wave of spam" in comment.public_reason
    waves = [m for m in mail.outbox if "Spam wave" in m.subject]
    assert len(waves) == 1
    notice = soup(client.get(post.get_absolute_url())).select_one("#spam-wave-notice")
    assert notice is not None


def test_members_with_an_approved_comment_are_not_held_by_a_wave(client, post, reader):
    call_command("spam_wave", minutes=5)
    CommentFactory(post=post, user=reader)
    client.force_login(reader)
    client.post(post_url(post), {**anonymous_data(body="Member text")})
    assert Comment.objects.get(body="Member text").status == "approved"


def test_the_command_starts_and_stops_a_wave_for_the_screenshots(client, post):
    call_command("spam_wave", minutes=10)
    assert soup(client.get(post.get_absolute_url())).select_one("#spam-wave-notice")
    call_command("spam_wave", stop=True)
    assert soup(client.get(post.get_absolute_url())).select_one("#spam-wave-notice") is None
