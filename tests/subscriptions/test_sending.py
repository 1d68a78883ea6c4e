"""A post's mail: once per address, multipart, with one-click unsubscribe, in rated batches,
retried with back-off, and never again to an address that keeps bouncing."""

import base64
import email.policy
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from blog.services import post_publish, post_withdraw
from subscriptions import mailing
from subscriptions.models import Delivery, PostMailing, Subscription
from tests.factories import PostFactory

from . import backends
from .conftest import link_to, links_in
from .factories import SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_mail(settings):
    settings.MAILERS = backends.MAILERS
    backends.FAILING.clear()
    yield backends.FAILING
    backends.FAILING.clear()


def run_mail(now=None):
    """What the every-minute command does, at a chosen time."""
    mailing.new_posts_queue(now=now)
    mailing.digests_queue(now=now)
    mailing.discussions_queue(now=now)
    return mailing.deliveries_send(now=now)


def test_a_post_is_mailed_once_however_often_it_is_saved_withdrawn_and_republished(author):
    SubscriptionFactory(subscriber__email="a@example.net")
    SubscriptionFactory(subscriber__email="b@example.net")
    post = PostFactory(author=author)
    run_mail()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.net", "b@example.net"]
    post.title = "Corrected title"
    post.save()
    run_mail()
    post_withdraw(post=post)
    post_publish(post=Post.objects.get(pk=post.pk))
    run_mail()
    call_command("send_post_mail", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 2
    assert PostMailing.objects.get(post=post).recipients == 2


def test_a_scheduled_post_is_mailed_when_its_time_comes_not_before(monkeypatch):
    SubscriptionFactory(subscriber__email="a@example.net")
    post = PostFactory(scheduled=True)
    run_mail()
    assert mail.outbox == []
    later = post.published_at + timedelta(minutes=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    run_mail()
    assert [m.to for m in mail.outbox] == [["a@example.net"]]


def test_publishing_queues_no_mail_inside_the_request_itself(author):
    SubscriptionFactory()
    post = PostFactory(author=author, draft=True)
    post_publish(post=post)
    assert not Delivery.objects.exists()
    assert mail.outbox == []


def test_old_posts_are_not_mailed_to_new_subscribers():
    PostFactory(published_at=timezone.now() - timedelta(days=30))
    SubscriptionFactory()
    run_mail()
    assert mail.outbox == []


def test_pending_unsubscribed_and_bouncing_addresses_get_no_post_mail():
    SubscriptionFactory(pending=True, subscriber__email="pending@example.net")
    SubscriptionFactory(
        status=Subscription.Status.UNSUBSCRIBED, subscriber__email="gone@example.net"
    )
    SubscriptionFactory(
        status=Subscription.Status.BOUNCING,
        subscriber__email="bounce@example.net",
        subscriber__bouncing_since=timezone.now(),
    )
    SubscriptionFactory(subscriber__email="yes@example.net")
    PostFactory()
    run_mail()
    assert [m.to for m in mail.outbox] == [["yes@example.net"]]


def test_the_mail_is_multipart_from_one_template_with_one_click_unsubscribe_and_contact_line(
    settings,
):
    settings.CHARCOT_SUBSCRIPTIONS_CONTACT_LINE = "Charcot Research, 1 Queen Square, London"
    SubscriptionFactory(subscriber__email="a@example.net")
    post = PostFactory(title="Remyelination in 2026", standfirst="What changed this year.")
    run_mail()
    [message] = mail.outbox
    assert message.subject == "New on Charcot: Remyelination in 2026"
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    for part in (message.body, html):
        assert "What changed this year." in part
        assert post.get_absolute_url() in part
        assert "/subscribe/unsubscribe/" in part
        assert "Charcot Research, 1 Queen Square, London" in part
    assert "<img" not in html  # readable with images off: there are none
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http")
    assert "/subscribe/unsubscribe/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in message.body


@override_settings(CHARCOT_SUBSCRIPTIONS_BATCH_SIZE=3, CHARCOT_SUBSCRIPTIONS_RATE_PER_MINUTE=5)
def test_mail_goes_in_batches_within_the_per_minute_rate():
    for n in range(8):
        SubscriptionFactory(subscriber__email=f"r{n}@example.net")
    PostFactory()
    now = timezone.now()
    mailing.new_posts_queue(now=now)
    assert mailing.deliveries_send(now=now).sent == 3
    assert mailing.deliveries_send(now=now).sent == 2  # the minute's rate is used up
    assert mailing.deliveries_send(now=now).sent == 0
    assert len(mail.outbox) == 5
    later = now + timedelta(minutes=2)
    assert mailing.deliveries_send(now=later).sent == 3
    assert len(mail.outbox) == 8


def test_a_soft_failure_is_retried_later_with_growing_waits(failing_mail, settings):
    settings.CHARCOT_SUBSCRIPTIONS_RETRY_BASE_SECONDS = 60
    SubscriptionFactory(subscriber__email="busy@example.net")
    PostFactory()
    now = timezone.now()
    failing_mail["busy@example.net"] = "soft"
    run_mail(now=now)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert delivery.next_attempt_at == now + timedelta(seconds=60)
    assert mailing.deliveries_send(now=now + timedelta(seconds=30)).sent == 0  # not yet due
    mailing.deliveries_send(now=now + timedelta(seconds=61))
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.next_attempt_at == now + timedelta(seconds=61 + 120)
    del failing_mail["busy@example.net"]
    assert mailing.deliveries_send(now=now + timedelta(seconds=200)).sent == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert [m.to for m in mail.outbox] == [["busy@example.net"]]


def test_a_mail_that_keeps_failing_softly_is_recorded_as_failed_after_the_last_attempt(
    failing_mail, settings
):
    settings.CHARCOT_SUBSCRIPTIONS_MAX_ATTEMPTS = 3
    SubscriptionFactory(subscriber__email="busy@example.net")
    PostFactory()
    failing_mail["busy@example.net"] = "soft"
    now = timezone.now()
    mailing.new_posts_queue(now=now)
    for hour in range(5):
        mailing.deliveries_send(now=now + timedelta(hours=hour))
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 3)
    assert delivery.last_error.startswith("soft:")


def test_an_address_that_fails_hard_again_and_again_is_marked_bouncing_and_mailed_no_more(
    failing_mail, settings
):
    settings.CHARCOT_SUBSCRIPTIONS_BOUNCE_AFTER = 2
    subscription = SubscriptionFactory(subscriber__email="gone@example.net")
    SubscriptionFactory(subscriber__email="fine@example.net")
    failing_mail["gone@example.net"] = "hard"
    now = timezone.now()
    PostFactory()
    mailing.new_posts_queue(now=now)
    mailing.deliveries_send(now=now)
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.CONFIRMED  # one failure is not a bounce
    mailing.deliveries_send(now=now + timedelta(hours=1))
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.BOUNCING
    assert subscription.subscriber.bouncing_since is not None
    assert Delivery.objects.get(subscriber=subscription.subscriber).status == "failed"
    PostFactory(title="Another post")
    run_mail(now=now + timedelta(hours=2))
    assert all(m.to == ["fine@example.net"] for m in mail.outbox)
    assert len(mail.outbox) == 2


def test_a_delivered_mail_resets_the_count_of_hard_failures(failing_mail, settings):
    settings.CHARCOT_SUBSCRIPTIONS_BOUNCE_AFTER = 2
    subscription = SubscriptionFactory(subscriber__email="flaky@example.net")
    failing_mail["flaky@example.net"] = "hard"
    now = timezone.now()
    PostFactory()
    run_mail(now=now)
    del failing_mail["flaky@example.net"]
    mailing.deliveries_send(now=now + timedelta(hours=1))
    subscription.subscriber.refresh_from_db()
    assert subscription.subscriber.hard_failures == 0
    assert subscription.subscriber.bouncing_since is None


def test_a_post_withdrawn_before_its_mail_went_out_is_not_mailed(author):
    SubscriptionFactory()
    post = PostFactory(author=author)
    mailing.new_posts_queue()
    post_withdraw(post=post)
    mailing.deliveries_send()
    assert mail.outbox == []


def test_a_worker_that_died_mid_send_leaves_its_mails_failed_not_sent_twice():
    SubscriptionFactory()
    PostFactory()
    now = timezone.now()
    mailing.new_posts_queue(now=now)
    Delivery.objects.update(status=Delivery.Status.SENDING, claimed_at=now, claim="dead")
    mailing.deliveries_send(now=now + timedelta(hours=2))
    assert mail.outbox == []
    assert Delivery.objects.get().status == Delivery.Status.FAILED


def test_the_command_queues_and_sends_through_the_task_queue():
    SubscriptionFactory(subscriber__email="a@example.net")
    PostFactory()
    call_command("send_post_mail", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m.to for m in mail.outbox] == [["a@example.net"]]


def test_weekly_subscribers_get_one_digest_of_last_weeks_posts_on_the_digest_day(monkeypatch):
    monday = timezone.make_aware(timezone.datetime(2026, 12, 7, 9, 0))
    weekly = SubscriptionFactory(subscriber__email="weekly@example.net", weekly=True)
    SubscriptionFactory(subscriber__email="each@example.net")
    PostFactory(title="Tuesday's post", published_at=monday - timedelta(days=6))
    PostFactory(title="Sunday's post", published_at=monday - timedelta(hours=10))
    PostFactory(title="Older post", published_at=monday - timedelta(days=9))
    for day in range(-1, 3):  # Sunday to Wednesday, the command running all the while
        moment = monday + timedelta(days=day)
        monkeypatch.setattr("django.utils.timezone.now", lambda moment=moment: moment)
        mailing.digests_queue(now=moment)
        mailing.deliveries_send(now=moment)
    [digest] = [m for m in mail.outbox if m.to == ["weekly@example.net"]]
    assert digest.subject == "This week on Charcot: 2 new posts"
    assert "Tuesday's post" in digest.body
    assert "Sunday's post" in digest.body
    assert "Older post" not in digest.body
    assert weekly.deliveries.get().key == "digest:2026-11-30"
    # Immediate subscribers got no digest (their posts came one by one, when new).
    assert not [m for m in mail.outbox if m.to == ["each@example.net"] and "week" in m.subject]


def test_the_unsubscribe_header_goes_out_as_a_plain_url_not_an_encoded_word():
    SubscriptionFactory(subscriber__email="a@example.net")
    PostFactory()
    run_mail()
    [message] = mail.outbox
    raw = message.message(policy=email.policy.SMTP).as_string()
    header = next(line for line in raw.splitlines() if line.startswith("List-Unsubscribe:"))
    assert header == f"List-Unsubscribe: {message.extra_headers['List-Unsubscribe']}"
    assert "=?utf-8?" not in raw.split("\r\n\r\n", 1)[0]


def test_no_link_in_a_mail_spells_out_the_address():
    SubscriptionFactory(subscriber__email="a@example.net")
    PostFactory()
    run_mail()
    [message] = mail.outbox
    tokens = [
        url.rstrip("/").rsplit("/", 1)[1] for url in links_in(message) if "/subscribe/" in url
    ]
    assert len(tokens) == 2  # unsubscribe and manage
    for token in tokens:
        assert "example.net" not in base64.urlsafe_b64decode(token.split(":")[0] + "==").decode()


def test_an_address_that_bounced_takes_mail_again_once_its_owner_confirms_a_new_request(client):
    SubscriptionFactory(
        status=Subscription.Status.BOUNCING,
        subscriber__email="back@example.net",
        subscriber__bouncing_since=timezone.now(),
        subscriber__hard_failures=3,
    )
    client.post(
        reverse("subscriptions:subscribe"), {"email": "back@example.net", "frequency": "immediate"}
    )
    client.post(link_to(mail.outbox[0], "/subscribe/confirm/"))
    PostFactory(title="Welcome back")
    run_mail()
    assert [m.subject for m in mail.outbox[1:]] == ["New on Charcot: Welcome back"]
