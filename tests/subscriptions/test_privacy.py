"""Subscriptions in data export and erasure, and the leak test: addresses never go public."""

import io
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from subscriptions import mailing
from subscriptions.models import Delivery, Subscriber, Subscription
from subscriptions.services import subscriptions_erase, subscriptions_for_email
from tests.factories import CommentFactory, PostFactory

from .factories import FollowFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

EMAIL = "private@example.net"


def old_post(**kwargs):
    """A post published long ago: it is not mailed as new."""
    return PostFactory(published_at=timezone.now() - timedelta(days=60), **kwargs)


def test_the_export_holds_every_subscription_with_its_consent_record_and_mails():
    subscription = SubscriptionFactory(subscriber__email=EMAIL, confirmed_ip_hash="abc123")
    FollowFactory(subscriber=subscription.subscriber, post=old_post(title="Fatigue"))
    PostFactory(title="New post")
    mailing.new_posts_queue()
    mailing.deliveries_send()
    data = json.loads(json.dumps(subscriptions_for_email(EMAIL.upper())))
    assert data["email"] == EMAIL
    kinds = {(s["kind"], s["post"]) for s in data["subscriptions"]}
    assert kinds == {("posts", None), ("discussion", "Fatigue")}
    posts = next(s for s in data["subscriptions"] if s["kind"] == "posts")
    assert posts["confirmed_via"] == "mail-link"
    assert posts["confirmed_ip_hash"] == "abc123"
    assert posts["confirmed_at"]
    assert [m["status"] for m in data["mails"]] == ["sent"]


def test_the_export_of_an_unknown_address_is_empty():
    assert subscriptions_for_email("nobody@example.net")["subscriptions"] == []


def test_erasure_deletes_the_address_its_subscriptions_consent_and_mail_records():
    subscription = SubscriptionFactory(subscriber__email=EMAIL)
    FollowFactory(subscriber=subscription.subscriber, post=old_post())
    other = SubscriptionFactory(subscriber__email="other@example.net")
    PostFactory()
    mailing.new_posts_queue()
    assert subscriptions_erase(f"  {EMAIL.title()} ") > 0
    assert not Subscriber.objects.filter(email=EMAIL).exists()
    assert not Subscription.objects.filter(subscriber__email=EMAIL).exists()
    assert not Delivery.objects.filter(subscriber__email=EMAIL).exists()
    assert Subscription.objects.filter(pk=other.pk).exists()
    mailing.deliveries_send()
    assert [m.to for m in mail.outbox] == [["other@example.net"]]


def test_links_in_old_mails_stop_working_once_the_address_is_erased(client):
    SubscriptionFactory(subscriber__email=EMAIL)
    PostFactory()
    mailing.new_posts_queue()
    mailing.deliveries_send()
    [message] = mail.outbox
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    subscriptions_erase(EMAIL)
    response = client.post(unsubscribe)
    assert response.status_code == 400
    assert EMAIL not in response.content.decode()


def test_pending_and_confirmed_subscribers_addresses_never_appear_on_a_public_page(client):
    post = PostFactory()
    CommentFactory(post=post)
    SubscriptionFactory(pending=True, subscriber__email="pending-secret@example.net")
    SubscriptionFactory(subscriber__email="confirmed-secret@example.net")
    FollowFactory(subscriber__email="follower-secret@example.net", post=post)
    client.post(
        reverse("subscriptions:subscribe"),
        {"email": "typed-secret@example.net", "frequency": "immediate"},
    )
    pages = [
        "/",
        post.get_absolute_url(),
        reverse("subscriptions:subscribe"),
        reverse("subscriptions:sent"),
        reverse("subscriptions:follow", args=[post.pk]),
        reverse("blog:feed-rss"),
        reverse("blog:feed-atom"),
        reverse("blog:sitemap"),
        reverse("blog:search") + "?q=secret",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "secret@example.net" not in response.content.decode(), path


def test_the_commenter_export_command_includes_the_addresss_subscriptions(capsys):
    SubscriptionFactory(subscriber__email=EMAIL)
    call_command("commenter_export", EMAIL)
    data = json.loads(capsys.readouterr().out)
    assert [s["kind"] for s in data["mail_subscriptions"]["subscriptions"]] == ["posts"]


def test_the_commenter_erase_command_deletes_the_addresss_subscriptions():
    SubscriptionFactory(subscriber__email=EMAIL)
    call_command("commenter_erase", EMAIL, stdout=io.StringIO())
    assert not Subscriber.objects.filter(email=EMAIL).exists()


def test_a_dry_run_of_the_erase_command_keeps_the_subscriptions():
    SubscriptionFactory(subscriber__email=EMAIL)
    call_command("commenter_erase", EMAIL, "--dry-run", stdout=io.StringIO())
    assert Subscriber.objects.filter(email=EMAIL).exists()


def test_the_privacy_page_says_what_subscriptions_keep_and_when_addresses_go(client, settings):
    settings.CHARCOT_SUBSCRIPTIONS_RETENTION_DAYS = 45
    page = client.get(reverse("privacy:page")).content.decode()
    assert "Mail subscriptions" in page
    assert "deleted within 45 days" in page


def test_a_members_data_download_includes_their_subscriptions(client):
    from tests.factories import UserFactory

    member = UserFactory(email=EMAIL)
    SubscriptionFactory(subscriber__email=EMAIL)
    client.force_login(member)
    data = json.loads(client.get(reverse("privacy:account-export")).content)
    assert [s["kind"] for s in data["mail_subscriptions"]["subscriptions"]] == ["posts"]


def test_deleting_an_account_deletes_its_addresss_subscriptions(client):
    from tests.factories import UserFactory

    member = UserFactory(email=EMAIL)
    member.set_password("a-long-pass-phrase-42")
    member.save()
    SubscriptionFactory(subscriber__email=EMAIL)
    client.force_login(member)
    client.post(
        reverse("privacy:account-delete"),
        {"password": "a-long-pass-phrase-42", "comments": "keep"},
    )
    assert not Subscriber.objects.filter(email=EMAIL).exists()
