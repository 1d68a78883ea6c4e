"""Around the posts: every correction on one page and in one feed, category and tag indexes,
tag feeds, feed items that carry the article's references, disclosures and disclaimer,
"Related posts" in a fixed number of queries, and a conflicts block that never disappears."""

from datetime import date, timedelta

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.blog.factories import CorrectionFactory, ReferenceFactory
from tests.factories import CategoryFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_the_corrections_page_lists_every_public_correction_newest_first(client):
    older = CorrectionFactory(post=PostFactory(title="Older post"), corrected_at=date(2026, 1, 5),
                              note="First correction.")  # fmt: skip
    newer = CorrectionFactory(post=PostFactory(title="Newer post"), corrected_at=date(2026, 3, 9),
                              note="Second correction.")  # fmt: skip
    CorrectionFactory(post=PostFactory(draft=True, title="Draft"), note="Hidden correction.")
    soup = soup_of(client.get(reverse("blog:corrections")))
    items = soup.select(".correction-list__item")
    assert [item.p.a.text for item in items] == ["Newer post", "Older post"]
    assert items[0].select_one("a")["href"] == (
        newer.post.get_absolute_url() + f"#correction-{newer.pk}"
    )
    assert "Hidden correction." not in soup.text
    assert older.note in soup.text
    # The anchor exists on the post.
    post_page = soup_of(client.get(newer.post.get_absolute_url()))
    assert post_page.find(id=f"correction-{newer.pk}")


@pytest.mark.parametrize("name", ["blog:corrections-feed-rss", "blog:corrections-feed-atom"])
def test_the_corrections_feed_has_one_item_per_public_correction(client, name):
    CorrectionFactory(post=PostFactory(title="Vitamin D"), note="The dose was 4000 IU.")
    CorrectionFactory(post=PostFactory(draft=True), note="Hidden correction.")
    feed = parse(client, reverse(name))
    assert [entry.title for entry in feed.entries] == ["Correction to “Vitamin D”"]
    assert "The dose was 4000 IU." in feed.entries[0].content[0].value
    assert feed.entries[0].link.startswith("http://testserver/")


def test_the_corrections_page_needs_a_fixed_number_of_queries(client):
    counts = []
    for size in (3, 30):
        for _ in range(size):
            CorrectionFactory()
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("blog:corrections")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_category_and_tag_indexes_list_only_terms_with_public_posts(client):
    ms = CategoryFactory(name="MS Blog", slug="msblog")
    CategoryFactory(name="Empty", slug="empty")
    post = PostFactory(category=ms)
    PostFactory(category=CategoryFactory(name="Drafts only", slug="drafts-only"), draft=True)
    post.tags.add(TagFactory(name="EBV", slug="ebv"))
    PostFactory(draft=True).tags.add(TagFactory(name="secret", slug="secret"))
    categories = soup_of(client.get(reverse("blog:categories")))
    assert [a.text for a in categories.select(".term-index a")] == ["#MSBlog"]
    assert "1 post" in categories.text
    tags = soup_of(client.get(reverse("blog:tags")))
    assert [a.text for a in tags.select(".term-index a")] == ["EBV"]


@pytest.mark.parametrize("name", ["blog:tag-feed-rss", "blog:tag-feed-atom"])
def test_a_tag_has_its_own_feed_linked_from_its_page(client, name):
    tag = TagFactory(name="EBV", slug="ebv")
    PostFactory(title="Tagged").tags.add(tag)
    PostFactory(title="Not tagged")
    feed = parse(client, reverse(name, kwargs={"slug": "ebv"}))
    assert [entry.title for entry in feed.entries] == ["Tagged"]
    page = soup_of(client.get(reverse("blog:tag", kwargs={"slug": "ebv"})))
    assert page.find(
        "link", rel="alternate", href=reverse("blog:tag-feed-rss", kwargs={"slug": "ebv"})
    )
    assert client.get(reverse(name, kwargs={"slug": "nope"})).status_code == 404


@pytest.mark.parametrize("name", ["blog:feed-rss", "blog:feed-atom"])
def test_feed_items_carry_references_conflicts_and_disclaimer(client, settings, name):
    settings.SITE_MEDICAL_DISCLAIMER = "Not medical advice."
    post = PostFactory(body="Cited [@1].", conflict_of_interest="Funded by the MS Society.")
    ReferenceFactory(post=post, title="The EBV cohort", doi="10.1126/science.abj8222")
    content = parse(client, reverse(name)).entries[0].content[0].value
    assert "The EBV cohort" in content
    assert 'href="https://doi.org/10.1126/science.abj8222"' in content
    assert 'id="ref-1"' in content
    assert "Funded by the MS Society." in content
    assert "Not medical advice." in content


def test_the_feed_needs_a_fixed_number_of_queries(client):
    counts = []
    for size in (3, 15):
        for _ in range(size):
            post = PostFactory()
            ReferenceFactory(post=post)
            post.tags.add(TagFactory())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("blog:feed-rss")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_conflicts_say_none_declared_when_the_author_declared_none(client):
    post = PostFactory(conflict_of_interest="", author=UserFactory(competing_interests=""))
    notes = soup_of(client.get(post.get_absolute_url())).select_one(".post-notes")
    assert "Funding and conflicts of interest" in notes.text
    assert "None declared." in notes.text


def test_conflicts_fall_back_to_the_authors_standing_declaration(client):
    author = UserFactory(competing_interests="Speaker fees from several companies.")
    post = PostFactory(conflict_of_interest="", author=author)
    notes = soup_of(client.get(post.get_absolute_url())).select_one(".post-notes")
    assert "Speaker fees from several companies." in notes.text
    assert "None declared." not in notes.text


def related_titles(client, post):
    soup = soup_of(client.get(post.get_absolute_url()))
    return [a.text for a in soup.select(".related-posts a")]


def test_related_posts_share_references_first_then_tags(client):
    ebv, b_cells = TagFactory(name="EBV"), TagFactory(name="B cells")
    post = PostFactory(title="This post")
    post.tags.add(ebv, b_cells)
    ReferenceFactory(post=post, doi="10.1126/science.abj8222", pmid="")
    both_tags = PostFactory(title="Both tags", published_at=post.published_at - timedelta(days=2))
    both_tags.tags.add(ebv, b_cells)
    one_tag = PostFactory(title="One tag", published_at=post.published_at - timedelta(days=1))
    one_tag.tags.add(ebv)
    same_study = PostFactory(title="Same study", published_at=post.published_at - timedelta(days=9))
    ReferenceFactory(post=same_study, doi="10.1126/science.abj8222", pmid="")
    PostFactory(title="Unrelated")
    PostFactory(title="Draft with both", draft=True).tags.add(ebv, b_cells)
    assert related_titles(client, post) == ["Same study", "Both tags", "One tag"]


def test_a_post_sharing_nothing_shows_no_related_posts(client):
    post = PostFactory()
    PostFactory()
    assert related_titles(client, post) == []


def test_related_posts_show_a_newly_published_post(
    client, editor, django_capture_on_commit_callbacks
):
    tag = TagFactory(name="EBV")
    post = PostFactory()
    post.tags.add(tag)
    assert related_titles(client, post) == []
    client.force_login(editor)
    draft = PostFactory(title="Now related", draft=True)
    draft.tags.add(tag)
    changelist = reverse("admin:blog_post_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist, {"action": "publish_now", "_selected_action": [draft.pk]}
        )
    assert response.status_code == 302
    client.logout()
    assert related_titles(client, post) == ["Now related"]


def test_related_posts_need_one_query_whatever_the_number_of_candidates(client):
    counts = []
    tag = TagFactory(name="EBV")
    post = PostFactory()
    post.tags.add(tag)
    ReferenceFactory(post=post)
    for size in (3, 30):
        for _ in range(size):
            other = PostFactory()
            other.tags.add(tag, TagFactory())
            ReferenceFactory(post=other)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(post.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert len(related_titles(client, post)) == 3


@pytest.mark.parametrize("name", ["blog:categories", "blog:tags", "blog:tag-feed-rss"])
def test_indexes_and_tag_feeds_need_a_fixed_number_of_queries(client, name):
    tag = TagFactory(name="EBV", slug="ebv")
    counts = []
    for size in (3, 20):
        for _ in range(size):
            post = PostFactory(category=CategoryFactory())
            post.tags.add(tag, TagFactory())
            ReferenceFactory(post=post)
        cache.clear()
        url = reverse(name, kwargs={"slug": "ebv"}) if "feed" in name else reverse(name)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
