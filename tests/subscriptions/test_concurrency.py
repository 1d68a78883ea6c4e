"""Two workers at once on PostgreSQL: every address gets a post's mail exactly once."""

import threading

import pytest
from django.core import mail
from django.db import connection

from subscriptions import mailing
from subscriptions.models import Delivery, PostMailing
from tests.factories import PostFactory

from .factories import SubscriptionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 4
SUBSCRIBERS = 60


def run_in_parallel(work, count: int) -> list:
    barrier = threading.Barrier(count)
    errors = []

    def runner():
        try:
            barrier.wait()
            work()
        except Exception as error:  # collected and reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_workers_running_at_once_queue_a_post_once_and_mail_each_address_once(settings):
    settings.CHARCOT_SUBSCRIPTIONS_BATCH_SIZE = 7
    for n in range(SUBSCRIBERS):
        SubscriptionFactory(subscriber__email=f"reader{n}@example.net")
    post = PostFactory()

    def worker():
        mailing.new_posts_queue()
        while mailing.deliveries_send().sent:
            pass

    assert run_in_parallel(worker, WORKERS) == []
    # A second round, as the next minute's run (and a re-save) would make.
    post.save()
    assert run_in_parallel(worker, WORKERS) == []
    addresses = [message.to[0] for message in mail.outbox]
    assert len(addresses) == SUBSCRIBERS
    assert len(set(addresses)) == SUBSCRIBERS
    assert PostMailing.objects.filter(post=post).count() == 1
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == SUBSCRIBERS
