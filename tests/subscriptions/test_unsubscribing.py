"""Leaving: one-click unsubscribe by POST from any mail client, and a manage page reached
from every mail, with no account and no session."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from subscriptions import mailing, services
from subscriptions.models import Subscriber, Subscription
from tests.factories import CategoryFactory, PostFactory

from .conftest import link_to
from .factories import FollowFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post_mail():
    """A confirmed subscriber's mail about a new post."""
    subscription = SubscriptionFactory(subscriber__email="a@example.net")
    PostFactory()
    mailing.new_posts_queue()
    mailing.deliveries_send()
    [message] = mail.outbox
    return subscription, message


def test_one_click_unsubscribe_works_by_post_without_session_or_csrf_token(post_mail):
    subscription, message = post_mail
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    mail_client = Client(enforce_csrf_checks=True)  # a mail client: no cookie, no token
    response = mail_client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED
    assert subscription.unsubscribed_at is not None
    PostFactory(title="Next")
    mailing.new_posts_queue()
    mailing.deliveries_send()
    assert len(mail.outbox) == 1


def test_opening_the_unsubscribe_link_changes_nothing_until_the_button_is_pressed(post_mail):
    subscription, message = post_mail
    path = link_to(message, "/subscribe/unsubscribe/")
    page = Client().get(path)
    assert page.status_code == 200
    assert b"Unsubscribe" in page.content
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.CONFIRMED
    assert "no-cache" in page["Cache-Control"] or "private" in page["Cache-Control"]


def test_a_forged_unsubscribe_link_does_nothing(post_mail):
    subscription, message = post_mail
    path = link_to(message, "/subscribe/unsubscribe/")
    response = Client().post(path[:-6] + "xxxxx/")
    assert response.status_code == 400
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.CONFIRMED


def test_the_manage_page_lists_the_readers_subscriptions_and_changes_them(post_mail, client):
    subscription, message = post_mail
    follow = FollowFactory(subscriber=subscription.subscriber, post=PostFactory(title="MRI talk"))
    path = link_to(message, "/subscribe/manage/")
    page = client.get(path)
    assert page.status_code == 200
    text = page.content.decode()
    assert "a@example.net" in text
    assert "MRI talk" in text
    trials = CategoryFactory(name="Trials")
    changed = client.post(
        path, {"action": "change", "frequency": "weekly", "categories": [trials.pk]}
    )
    assert changed.status_code == 302
    subscription.refresh_from_db()
    assert subscription.frequency == Subscription.Frequency.WEEKLY
    assert list(subscription.categories.all()) == [trials]
    client.post(path, {"action": "stop", "subscription": follow.pk})
    follow.refresh_from_db()
    assert follow.status == Subscription.Status.UNSUBSCRIBED
    client.post(path, {"action": "all"})
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED


def test_the_manage_page_cannot_stop_another_readers_subscription(post_mail, client):
    subscription, message = post_mail
    stranger = SubscriptionFactory(subscriber__email="b@example.net")
    response = client.post(
        link_to(message, "/subscribe/manage/"), {"action": "stop", "subscription": stranger.pk}
    )
    assert response.status_code == 302
    stranger.refresh_from_db()
    assert stranger.status == Subscription.Status.CONFIRMED


def test_a_forged_manage_link_shows_nothing(client):
    SubscriptionFactory(subscriber__email="a@example.net")
    response = client.get(reverse("subscriptions:manage", kwargs={"token": "a:b:c"}))
    assert response.status_code == 400
    assert b"a@example.net" not in response.content


def test_unsubscribed_addresses_are_deleted_after_the_retention_period(settings):
    settings.CHARCOT_SUBSCRIPTIONS_RETENTION_DAYS = 30
    left = SubscriptionFactory(subscriber__email="left@example.net")
    services.subscription_end(subscription=left)
    staying = SubscriptionFactory(subscriber__email="stay@example.net")
    services.unsubscribed_purge(now=timezone.now() + timedelta(days=29))
    assert Subscriber.objects.filter(email="left@example.net").exists()
    services.unsubscribed_purge(now=timezone.now() + timedelta(days=31))
    assert not Subscriber.objects.filter(email="left@example.net").exists()
    assert Subscriber.objects.filter(pk=staying.subscriber_id).exists()
