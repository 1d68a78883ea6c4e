"""Every page the blog owns needs the same number of queries whatever the amount of data."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from charcot import cache as page_cache
from tests.blog.factories import CorrectionFactory, ReferenceFactory
from tests.factories import CategoryFactory, CommentFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

SIZES = (3, 30)
LIST_SIZES = (12, 40)  # page 2 exists at both sizes


@pytest.fixture
def world():
    """Posts spread over months, all in one category with one tag and one author."""
    writer = UserFactory(username="profg")
    category = CategoryFactory(slug="msblog", name="MS Blog")
    tag = TagFactory(slug="ebv", name="EBV")
    start = timezone.make_aware(timezone.datetime(2026, 6, 28, 12))

    made = []

    def grow(n):
        for _ in range(n):
            made.append(None)
            i = len(made)
            post = PostFactory(
                author=writer, category=category, published_at=start - timedelta(days=i % 20),
                title=f"Natalizumab note {i}",
            )  # fmt: skip
            post.tags.add(tag, TagFactory())
            ReferenceFactory(post=post)
            CorrectionFactory(post=post)
            CommentFactory(post=post)

    return grow


# (page, query budget with cold caches: count and how long to keep it (the next scheduled
# post), page of posts, their comment counts, sidebar widgets incl. recent comments)
PAGES = [
    (lambda: reverse("blog:home"), 9),
    (lambda: reverse("blog:home") + "?page=2", 9),
    (lambda: reverse("blog:category", kwargs={"slug": "msblog"}), 10),
    (lambda: reverse("blog:tag", kwargs={"slug": "ebv"}), 10),
    (lambda: reverse("blog:author", kwargs={"slug": "profg"}), 10),
    # The month archive also checks the month has posts and finds the months either side.
    (lambda: reverse("blog:archive-month", kwargs={"year": 2026, "month": 6}), 12),
    # Search also reads the snippets of the shown hits (one query), and on SQLite reads
    # its page in two (the ranked ids, then those posts: blog.search_backends.sqlite).
    (lambda: reverse("blog:search") + "?q=natalizumab", 9 + (connection.vendor == "sqlite")),
]


@pytest.mark.parametrize(("url", "budget"), PAGES)
def test_list_pages_need_a_fixed_number_of_queries(
    client, world, url, budget, django_assert_max_num_queries
):
    counts = []
    grown = 0
    for size in LIST_SIZES:
        world(size - grown)
        grown = size
        cache.clear()  # a cold sidebar is the worst case
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(budget):
            assert client.get(url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], queries.captured_queries


def test_home_page_with_warm_caches_needs_only_the_posts_and_their_comment_counts(
    client, world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    grown = 0
    for size in LIST_SIZES:
        world(size - grown)
        grown = size
        with django_capture_on_commit_callbacks(execute=True):
            page_cache.public_pages_changed()  # the count changed: as the admin and services do
        client.get(reverse("blog:home"))  # fills the count, sidebar and summary caches
        with django_assert_num_queries(2):
            assert client.get(reverse("blog:home")).status_code == 200


def test_post_page_needs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    counts = []
    for size in SIZES:
        post = PostFactory()
        post.tags.add(*[TagFactory() for _ in range(size)])
        for _ in range(size):
            ReferenceFactory(post=post)
            CorrectionFactory(post=post)
            CommentFactory(post=post)
        cache.clear()
        with (
            CaptureQueriesContext(connection) as queries,
            django_assert_max_num_queries(13),
        ):  # with the discussion
            assert client.get(post.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_signed_in_post_page_for_an_author_needs_a_fixed_number_of_queries(
    client, staff_author, django_assert_max_num_queries
):
    client.force_login(staff_author)
    for size in SIZES:
        draft = PostFactory(author=staff_author, draft=True)
        for _ in range(size):
            ReferenceFactory(post=draft)
        # 14: the site header's count of comments waiting for this author (issue 17, item 18)
        with django_assert_max_num_queries(14):
            assert client.get(draft.get_absolute_url()).status_code == 200
