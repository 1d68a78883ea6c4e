"""Following a discussion: new approved comments by mail, batched, never hidden ones."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from subscriptions import mailing
from subscriptions.models import Subscription
from tests.comments.conftest import anonymous_data, member_data
from tests.factories import CommentFactory, PostFactory

from .conftest import link_to, outbox_to
from .factories import FollowFactory

pytestmark = pytest.mark.django_db


def comment(post, body, at, **kwargs):
    made = CommentFactory(post=post, body=body, **kwargs)
    Comment.objects.filter(pk=made.pk).update(created_at=at)
    return made


def test_new_approved_comments_arrive_in_one_mail_and_held_or_removed_ones_never():
    post = PostFactory(title="Rebound")
    start = timezone.now()
    FollowFactory(subscriber__email="f@example.net", post=post, mailed_until=start)
    comment(post, "First answer", start + timedelta(minutes=1))
    comment(post, "Second answer", start + timedelta(minutes=2))
    comment(post, "Held for a moderator", start + timedelta(minutes=3), status="pending")
    comment(post, "Removed as abuse", start + timedelta(minutes=4), status="removed")
    comment(post, "Spam spam", start + timedelta(minutes=5), status="spam")
    now = start + timedelta(minutes=10)
    mailing.discussions_queue(now=now)
    mailing.deliveries_send(now=now)
    [message] = mail.outbox
    assert message.subject == "2 new comments on “Rebound”"
    assert "First answer" in message.body
    assert "Second answer" in message.body
    for hidden in ("Held for", "Removed as", "Spam spam"):
        assert hidden not in message.body
        assert hidden not in message.alternatives[0][0]


def test_a_followed_discussion_mails_at_most_once_an_hour_and_summarises_what_arrived():
    post = PostFactory()
    start = timezone.now()
    FollowFactory(subscriber__email="f@example.net", post=post, mailed_until=start)
    comment(post, "One", start + timedelta(minutes=1))
    first = start + timedelta(minutes=2)
    mailing.discussions_queue(now=first)
    mailing.deliveries_send(now=first)
    comment(post, "Two", start + timedelta(minutes=5))
    comment(post, "Three", start + timedelta(minutes=20))
    for minutes in (10, 30, 50):  # the command runs every minute; within the hour: nothing
        mailing.discussions_queue(now=start + timedelta(minutes=minutes))
    assert len(mail.outbox) == 1
    later = start + timedelta(minutes=63)
    mailing.discussions_queue(now=later)
    mailing.deliveries_send(now=later)
    assert len(mail.outbox) == 2
    second = mail.outbox[1].body
    assert "Two" in second
    assert "Three" in second
    assert "One" not in second


def test_nothing_is_mailed_when_nothing_new_was_approved():
    post = PostFactory()
    start = timezone.now()
    FollowFactory(post=post, mailed_until=start)
    comment(post, "Waiting", start + timedelta(minutes=1), status="pending")
    mailing.discussions_queue(now=start + timedelta(hours=2))
    mailing.deliveries_send(now=start + timedelta(hours=2))
    assert mail.outbox == []


def test_a_member_follows_a_discussion_with_one_click(client, reader):
    post = PostFactory()
    client.force_login(reader)
    response = client.post(reverse("subscriptions:follow", args=[post.pk]))
    assert response.status_code == 302
    follow = Subscription.objects.get()
    assert (follow.kind, follow.post, follow.status) == ("discussion", post, "confirmed")
    assert follow.confirmed_via == Subscription.Via.MEMBER_FOLLOW
    assert mail.outbox == []


def test_an_anonymous_reader_follows_a_discussion_after_confirming_the_address(client):
    post = PostFactory()
    response = client.post(
        reverse("subscriptions:follow", args=[post.pk]), {"email": "anon@example.net"}
    )
    assert response.status_code == 302
    assert Subscription.objects.get().status == Subscription.Status.PENDING
    [confirmation] = mail.outbox
    assert post.title in confirmation.body
    client.post(link_to(confirmation, "/subscribe/confirm/"))
    follow = Subscription.objects.get()
    assert follow.status == Subscription.Status.CONFIRMED
    assert follow.mailed_until is not None  # only what comes after


def test_following_a_confirmed_address_to_a_new_discussion_needs_its_owners_consent(client):
    post = PostFactory()
    FollowFactory(subscriber__email="owner@example.net", post=PostFactory())
    client.post(reverse("subscriptions:follow", args=[post.pk]), {"email": "owner@example.net"})
    assert Subscription.objects.get(post=post).status == Subscription.Status.PENDING


def test_the_follow_box_on_the_comment_form_is_unticked_and_following_needs_it(client, policy):
    post = PostFactory()
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'name="follow"' in page
    assert 'name="follow" checked' not in page
    client.post(reverse("comments:post", args=[post.pk]), anonymous_data())
    assert not Subscription.objects.exists()


def test_ticking_follow_on_the_comment_form_asks_an_anonymous_writer_to_confirm(client, policy):
    post = PostFactory()
    client.post(
        reverse("comments:post", args=[post.pk]),
        anonymous_data(email="writer@example.net", follow="on"),
    )
    follow = Subscription.objects.get()
    assert (follow.post, follow.status) == (post, Subscription.Status.PENDING)
    assert len(outbox_to("writer@example.net")) == 1


def test_ticking_follow_on_the_comment_form_makes_a_member_follow_at_once(client, policy, reader):
    post = PostFactory()
    client.force_login(reader)
    client.post(reverse("comments:post", args=[post.pk]), member_data(follow="on"))
    follow = Subscription.objects.get()
    assert (follow.post, follow.status) == (post, Subscription.Status.CONFIRMED)
    assert follow.confirmed_via == Subscription.Via.COMMENT_FORM


def test_following_an_unpublished_post_is_refused(client):
    draft = PostFactory(draft=True)
    response = client.post(
        reverse("subscriptions:follow", args=[draft.pk]), {"email": "x@example.net"}
    )
    assert response.status_code == 404
    assert not Subscription.objects.exists()


def test_a_member_opening_the_follow_page_gets_a_button_not_an_address_field(client, reader):
    post = PostFactory()
    client.force_login(reader)
    page = client.get(reverse("subscriptions:follow", args=[post.pk])).content.decode()
    assert 'name="email"' not in page.split('id="main"', 1)[1].split("</main>")[0]
    assert "Follow this discussion" in page
