import xml.etree.ElementTree as ET
from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from tests.blog.factories import ReferenceFactory
from tests.factories import CategoryFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

FEEDS = ["blog:feed-rss", "blog:feed-atom"]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.mark.parametrize("name", FEEDS)
def test_site_feed_parses_and_carries_published_posts_with_full_content(client, name):
    category = CategoryFactory(name="MS Blog", slug="msblog")
    post = PostFactory(title="EBV and MS", category=category, body="Full **body** [@1].",
                       standfirst="Summary.")  # fmt: skip
    post.tags.add(TagFactory(name="EBV", slug="ebv"))
    PostFactory(draft=True, title="Hidden draft")
    PostFactory(scheduled=True, title="Hidden scheduled")
    feed = parse(client, reverse(name))
    assert [e.title for e in feed.entries] == ["EBV and MS"]
    entry = feed.entries[0]
    assert entry.link == "http://testserver" + post.get_absolute_url()
    assert entry.id == f"urn:uuid:{post.guid}"
    assert entry.author == post.author.public_name
    assert {t.term for t in entry.tags} == {"#MSBlog", "EBV"}
    assert "<strong>body</strong>" in entry.content[0].value
    # Links inside the content work away from the site.
    assert f'href="http://testserver{post.get_absolute_url()}#ref-1"' in entry.content[0].value
    assert entry.summary == "Summary."
    published = timezone.datetime(*entry.published_parsed[:6], tzinfo=timezone.UTC)
    assert abs(published - post.published_at) < timedelta(seconds=1)


def test_feed_guid_never_changes_when_the_post_is_edited_or_moved(client):
    post = PostFactory(title="Before")
    guid = parse(client, reverse("blog:feed-rss")).entries[0].id
    post.title = "After"
    post.published_at = post.published_at - timedelta(days=40)
    post.save()
    entry = parse(client, reverse("blog:feed-rss")).entries[0]
    assert entry.title == "After"
    assert entry.id == guid


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_category_feed_carries_only_that_category(client, kind):
    category = CategoryFactory(slug="journalclub", name="Journal Club")
    PostFactory(title="In", category=category)
    PostFactory(title="Out")
    feed = parse(client, reverse(f"blog:category-feed-{kind}", kwargs={"slug": "journalclub"}))
    assert [e.title for e in feed.entries] == ["In"]
    assert "#JournalClub" in feed.feed.title


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_author_feed_carries_only_that_author(client, kind):
    writer = UserFactory(username="profg")
    PostFactory(title="Mine", author=writer)
    PostFactory(title="Theirs")
    feed = parse(client, reverse(f"blog:author-feed-{kind}", kwargs={"slug": "profg"}))
    assert [e.title for e in feed.entries] == ["Mine"]


def test_feeds_for_unknown_category_or_author_are_404(client):
    assert client.get(reverse("blog:category-feed-rss", kwargs={"slug": "x"})).status_code == 404
    assert client.get(reverse("blog:author-feed-atom", kwargs={"slug": "x"})).status_code == 404


def test_every_page_advertises_the_site_feeds(client):
    post = PostFactory()
    for url in ("/", post.get_absolute_url(), reverse("blog:search")):
        content = client.get(url).content.decode()
        assert '<link rel="alternate" type="application/rss+xml"' in content
        assert f'href="{reverse("blog:feed-atom")}"' in content


def test_sitemap_lists_published_posts_and_categories_only(client):
    live = PostFactory()
    draft = PostFactory(draft=True)
    scheduled = PostFactory(scheduled=True, category=CategoryFactory(slug="future-only"))
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own output)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    assert "http://testserver/" in locations
    assert "http://testserver" + live.get_absolute_url() in locations
    assert "http://testserver" + live.category.get_absolute_url() in locations
    for hidden in (draft, scheduled):
        assert "http://testserver" + hidden.get_absolute_url() not in locations
    assert "http://testserver/category/future-only/" not in locations


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_feeds_and_sitemap_need_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    def fill(n):
        for _ in range(n):
            post = PostFactory()
            post.tags.add(TagFactory())
            ReferenceFactory(post=post)

    for size in (2, 25):
        fill(size)
        for url in (reverse("blog:feed-rss"), reverse("blog:feed-atom"), "/sitemap.xml"):
            with django_assert_max_num_queries(4):
                client.get(url)
    assert Post.objects.count() == 27
