"""Lists of posts count their posts once per change of the posts (blog.pagination)."""

import time
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blog.services import post_publish, post_withdraw
from tests.factories import CategoryFactory, PostFactory

pytestmark = pytest.mark.django_db


def pages_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    current = BeautifulSoup(response.content, "html.parser").select_one("[aria-current=page]")
    return current.get_text() if current else "one page"


def counts_posts(client, url) -> bool:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # The paginator's count, not the month archive widget's counts per month.
    return any('COUNT(*) AS "__count"' in query["sql"] for query in queries.captured_queries)


@pytest.fixture
def posts():
    return [PostFactory() for _ in range(12)]


def test_the_home_page_counts_its_posts_once_until_they_change(client, posts):
    home = reverse("blog:home")
    assert counts_posts(client, home)
    assert not counts_posts(client, home)
    assert not counts_posts(client, home + "?page=2")


def test_publishing_and_withdrawing_a_post_update_the_count(
    client, posts, django_capture_on_commit_callbacks
):
    home = reverse("blog:home")
    drafts = [PostFactory(draft=True) for _ in range(9)]
    assert pages_of(client, home) == "Page 1 of 2"
    with django_capture_on_commit_callbacks(execute=True):
        for draft in drafts:
            post_publish(post=draft)
    assert pages_of(client, home) == "Page 1 of 3"
    with django_capture_on_commit_callbacks(execute=True):
        post_withdraw(post=drafts[0])
    assert pages_of(client, home) == "Page 1 of 2"


def test_each_list_keeps_its_own_count(client, posts):
    category = CategoryFactory(slug="clinic-speak", name="Clinic Speak")
    PostFactory(category=category)
    assert pages_of(client, reverse("blog:home")) == "Page 1 of 2"
    assert pages_of(client, reverse("blog:category", kwargs={"slug": "clinic-speak"})) == (
        "one page"
    )


def test_a_scheduled_post_is_counted_once_it_is_due(client, posts):
    home = reverse("blog:home")
    due = timezone.now() + timedelta(seconds=3)
    for _ in range(9):
        PostFactory(scheduled=True, published_at=due)
    assert pages_of(client, home) == "Page 1 of 2"
    # The count was kept no longer than until the posts were due (to the next second).
    time.sleep((due - timezone.now()).total_seconds() + 1.2)
    assert pages_of(client, home) == "Page 1 of 3"
