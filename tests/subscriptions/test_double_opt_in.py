"""Subscribing: nothing but the confirmation mail until its signed link is followed."""

import time

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from subscriptions import mailing
from subscriptions.models import Subscription
from tests.factories import CategoryFactory, PostFactory

from .conftest import link_to, outbox_to

pytestmark = pytest.mark.django_db

EMAIL = "patient@example.net"


def subscribe(client, email=EMAIL, **data):
    return client.post(
        reverse("subscriptions:subscribe"), {"email": email, "frequency": "immediate", **data}
    )


def test_subscribing_sends_only_a_confirmation_mail_and_no_post_mail_before_it_is_confirmed(
    client,
):
    response = subscribe(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("subscriptions:sent")
    assert len(mail.outbox) == 1
    assert "confirm" in mail.outbox[0].subject.lower()
    PostFactory()
    mailing.new_posts_queue()
    mailing.deliveries_send()
    assert len(mail.outbox) == 1
    assert Subscription.objects.get().status == Subscription.Status.PENDING


def test_opening_the_confirmation_link_only_shows_a_button_and_pressing_it_confirms(client):
    subscribe(client)
    confirm = link_to(mail.outbox[0], "/subscribe/confirm/")
    page = client.get(confirm)
    assert page.status_code == 200
    assert b"Yes, send me these mails" in page.content
    assert Subscription.objects.get().status == Subscription.Status.PENDING
    done = client.post(confirm, REMOTE_ADDR="203.0.113.9")
    assert done.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.CONFIRMED
    assert subscription.confirmed_via == Subscription.Via.MAIL_LINK
    assert subscription.confirmed_at is not None
    assert len(subscription.confirmed_ip_hash) == 32
    assert "203.0.113.9" not in subscription.confirmed_ip_hash


def test_a_confirmed_reader_gets_the_next_post_by_mail(client):
    subscribe(client)
    client.post(link_to(mail.outbox[0], "/subscribe/confirm/"))
    post = PostFactory(title="Vitamin D and relapses")
    mailing.new_posts_queue()
    mailing.deliveries_send()
    [message] = [m for m in outbox_to(EMAIL) if "Vitamin D" in m.subject]
    assert post.get_absolute_url() in message.body


def test_a_confirmation_link_stops_working_when_it_is_too_old(client, monkeypatch):
    subscribe(client)
    confirm = link_to(mail.outbox[0], "/subscribe/confirm/")
    later = time.time() + 4 * 24 * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = client.post(confirm)
    assert response.status_code == 400
    assert b"does not work" in response.content
    assert Subscription.objects.get().status == Subscription.Status.PENDING


def test_a_forged_confirmation_link_confirms_nothing(client):
    subscribe(client)
    confirm = link_to(mail.outbox[0], "/subscribe/confirm/")
    forged = confirm.rstrip("/")[:-3] + "abc/"
    assert client.post(forged).status_code == 400
    assert Subscription.objects.get().status == Subscription.Status.PENDING


def test_the_form_answers_the_same_for_a_new_and_an_already_subscribed_address(client):
    first = subscribe(client)
    client.post(link_to(mail.outbox[0], "/subscribe/confirm/"))
    again = subscribe(client)
    assert again.status_code == first.status_code == 302
    assert again["Location"] == first["Location"]
    # The owner of the address, and only they, learn that it was already subscribed.
    assert "manage" in mail.outbox[-1].body


@override_settings(CHARCOT_SUBSCRIPTIONS_CONFIRM_MAILS_PER_DAY=2)
def test_the_form_cannot_be_used_to_flood_an_address_with_confirmation_mails(client):
    for _ in range(5):
        subscribe(client)
    assert len(outbox_to(EMAIL)) == 2


def test_a_bad_address_is_explained_and_the_form_kept(client):
    response = subscribe(client, email="not an address")
    assert response.status_code == 400
    assert b"Enter a valid email address" in response.content
    assert len(mail.outbox) == 0


def test_subscribing_to_some_categories_mails_only_their_posts(client):
    trials = CategoryFactory(name="Trials")
    other = CategoryFactory(name="Imaging")
    subscribe(client, categories=[trials.pk])
    client.post(link_to(mail.outbox[0], "/subscribe/confirm/"))
    PostFactory(title="A trial", category=trials)
    PostFactory(title="A scan", category=other)
    mailing.new_posts_queue()
    mailing.deliveries_send()
    subjects = [m.subject for m in outbox_to(EMAIL)][1:]
    assert subjects == ["New on Charcot: A trial"]


def test_a_signed_in_reader_subscribes_in_one_click_from_their_profile(client, reader):
    client.force_login(reader)
    assert b"Email me new posts" in client.get(reverse("accounts:me")).content
    response = client.post(reverse("subscriptions:me"), {"frequency": "weekly"})
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.subscriber.email == reader.email
    assert subscription.subscriber.user == reader
    assert subscription.status == Subscription.Status.CONFIRMED
    assert subscription.confirmed_via == Subscription.Via.PROFILE
    assert subscription.frequency == Subscription.Frequency.WEEKLY
    assert len(mail.outbox) == 0


def test_the_profile_subscription_needs_a_signed_in_reader(client):
    response = client.post(reverse("subscriptions:me"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Subscription.objects.exists()


def test_every_public_page_offers_the_subscribe_form_and_each_post_the_follow_form(client):
    post = PostFactory()
    home = client.get("/").content.decode()
    assert 'action="/subscribe/"' in home
    page = client.get(post.get_absolute_url()).content.decode()
    assert reverse("subscriptions:follow", args=[post.pk]) in page
    assert "Follow this discussion" in page


def test_the_sidebar_form_adds_no_csrf_token_to_list_pages_and_leads_to_the_full_form(client):
    PostFactory()
    home = client.get("/").content.decode()
    assert "csrfmiddlewaretoken" not in home
    response = client.get(reverse("subscriptions:subscribe"), {"email": EMAIL})
    assert response.status_code == 200
    assert f'value="{EMAIL}"' in response.content.decode()
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "no-store" in response["Cache-Control"]  # the typed address is never cached
    assert not Subscription.objects.exists()
    assert mail.outbox == []
