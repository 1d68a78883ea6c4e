"""The demo's subscribers: seeded once, with a sent post among them."""

import pytest

from demo import subscriptions as demo
from subscriptions.models import Delivery, PostMailing, Subscriber, Subscription
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_subscribers_of_every_status_and_a_sent_post_and_is_idempotent():
    post = PostFactory()
    demo.seed()
    demo.seed()
    assert Subscriber.objects.count() == len(demo.ADDRESSES)
    statuses = set(Subscription.objects.values_list("status", flat=True))
    assert statuses == {"confirmed", "pending", "bouncing"}
    assert Subscription.objects.filter(kind="discussion", post=post).count() == 1
    assert PostMailing.objects.get(post=post).recipients == 2
    assert Delivery.objects.filter(post=post, status="sent").count() == 2
