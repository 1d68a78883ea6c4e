"""The subscription pages run a fixed number of queries, whatever the data's size."""

import pytest
from django.core import mail
from django.urls import reverse

from subscriptions import links, mailing
from tests.factories import CategoryFactory, PostFactory

from .factories import FollowFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("categories", [2, 30])
def test_the_subscribe_page_costs_the_same_with_few_or_many_categories(
    client, django_assert_max_num_queries, categories
):
    for n in range(categories):
        CategoryFactory(name=f"Category {n}")
    with django_assert_max_num_queries(6):  # categories, plus the sidebar's cold caches
        response = client.get(reverse("subscriptions:subscribe"))
    assert response.status_code == 200


@pytest.mark.parametrize("follows", [1, 20])
def test_the_manage_page_costs_the_same_with_few_or_many_subscriptions(
    client, django_assert_max_num_queries, follows
):
    subscription = SubscriptionFactory(categories=[CategoryFactory(), CategoryFactory()])
    for _ in range(follows):
        FollowFactory(subscriber=subscription.subscriber, post=PostFactory())
    url = reverse(
        "subscriptions:manage", kwargs={"token": links.manage_token(subscription.subscriber)}
    )
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200
    assert mail.outbox == []


@pytest.mark.parametrize("subscribers", [3, 30])
def test_sending_a_batch_costs_the_same_queries_for_few_or_many_addresses(
    django_assert_max_num_queries, subscribers
):
    for n in range(subscribers):
        SubscriptionFactory(subscriber__email=f"reader{n}@example.net")
    PostFactory()
    mailing.new_posts_queue()
    with django_assert_max_num_queries(10):
        assert mailing.deliveries_send().sent == subscribers
