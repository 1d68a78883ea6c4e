"""The one author page, /authors/<slug>/: who they are, their published posts, their feeds."""

import json

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.urls import resolve, reverse

from blog import conf, views
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def post_titles(response):
    return [a.text for a in soup_of(response).select(".author-posts .post-summary__title a")]


@pytest.fixture
def full_author(staff_author):
    staff_author.first_name, staff_author.last_name = "Gavin", "Grant"
    staff_author.title = "Professor of Neurology"
    staff_author.affiliation = "Charcot Institute"
    staff_author.orcid = "0000-0002-1825-0097"
    staff_author.save()
    return staff_author


def test_the_author_page_and_its_feeds_live_under_authors():
    assert reverse("blog:author", kwargs={"slug": "profg"}) == "/authors/profg/"
    assert reverse("blog:author-feed-rss", kwargs={"slug": "profg"}) == "/authors/profg/feed/"
    assert reverse("blog:author-feed-atom", kwargs={"slug": "profg"}) == "/authors/profg/feed/atom/"
    assert resolve("/authors/profg/").func.view_class is views.AuthorView


def test_author_page_shows_the_profile_with_orcid_link_and_their_published_posts_only(
    client, full_author
):
    mine = PostFactory(author=full_author, title="Published by me")
    PostFactory(author=full_author, title="My draft", draft=True)
    PostFactory(author=full_author, title="My scheduled", scheduled=True)
    PostFactory(title="Someone else's post")
    response = client.get("/authors/writer/")
    soup = soup_of(response)
    assert soup.find("h1").text.startswith("Dr Writer")
    assert "Professor of Neurology, Charcot Institute" in soup.find(class_="profile-card").text
    orcid = soup.find("a", href="https://orcid.org/0000-0002-1825-0097")
    assert "0000-0002-1825-0097" in orcid.text
    assert post_titles(response) == [mine.title]
    assert soup.find(class_="author-posts").find("h2").text == "Posts by Dr Writer"
    assert full_author.email not in response.content.decode()


def test_author_page_is_paginated(client, staff_author):
    for number in range(conf.PAGE_SIZE + 2):
        PostFactory(author=staff_author, title=f"Post {number}")
    first = client.get("/authors/writer/")
    assert len(post_titles(first)) == conf.PAGE_SIZE
    assert soup_of(first).find("a", rel="next")["href"] == "?page=2"
    assert len(post_titles(client.get("/authors/writer/?page=2"))) == 2
    assert client.get("/authors/writer/?page=99").status_code == 404
    assert client.get("/authors/writer/?page=abc").status_code == 404


def test_author_page_needs_a_fixed_number_of_queries_at_two_sizes(
    client, staff_author, django_assert_num_queries
):
    counts = []
    for size in (1, 16):
        while staff_author.posts.count() < size:
            CommentFactory(post=PostFactory(author=staff_author))
        cache.clear()  # a cold sidebar is the worst case
        with django_assert_num_queries(9) as captured:  # person, count, page, comment counts,
            assert client.get("/authors/writer/").status_code == 200  # sidebar's widgets
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_a_reader_who_never_published_has_no_author_page_and_no_author_feeds(client, reader):
    """Issue 16, defect 8: /archive/author/<reader>/ answered 200 with the reader's real name."""
    CommentFactory(user=reader)
    PostFactory(author=reader, draft=True)
    for name in ("blog:author", "blog:author-feed-rss", "blog:author-feed-atom"):
        response = client.get(reverse(name, kwargs={"slug": reader.slug}))
        assert response.status_code == 404, name
        assert reader.public_name not in response.content.decode()
    assert client.get(f"/archive/author/{reader.slug}/", follow=True).status_code == 404
    assert client.get("/authors/nobody/").status_code == 404


def test_an_author_without_posts_yet_has_a_page_that_says_so(client, staff_author):
    response = client.get("/authors/writer/")
    assert "No posts yet." in soup_of(response).find(class_="author-posts").text


def test_someone_who_wrote_published_posts_keeps_an_author_page_without_the_role(client):
    former = UserFactory(username="emeritus")
    PostFactory(author=former, title="From the archive")
    assert post_titles(client.get("/authors/emeritus/")) == ["From the archive"]
    feed = feedparser.parse(client.get("/authors/emeritus/feed/atom/").content)
    assert [entry.title for entry in feed.entries] == ["From the archive"]


def test_deactivated_people_have_no_author_page(client, staff_author):
    PostFactory(author=staff_author)
    staff_author.is_active = False
    staff_author.save()
    assert client.get("/authors/writer/").status_code == 404


def test_the_author_page_advertises_and_links_both_of_the_authors_feeds(client, staff_author):
    PostFactory(author=staff_author)
    soup = soup_of(client.get("/authors/writer/"))
    for kind, media_type in (("rss", "application/rss+xml"), ("atom", "application/atom+xml")):
        url = reverse(f"blog:author-feed-{kind}", kwargs={"slug": "writer"})
        assert soup.find("link", rel="alternate", type=media_type, href=url)
        assert soup.select_one(".author-posts .feed-links").find("a", href=url)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/archive/author/writer/", "/authors/writer/"),
        ("/archive/author/writer/?page=2", "/authors/writer/?page=2"),
        ("/archive/author/writer/feed/", "/authors/writer/feed/"),
        ("/archive/author/writer/feed/atom/", "/authors/writer/feed/atom/"),
    ],
)
def test_the_old_author_archive_and_its_feeds_redirect_permanently(client, staff_author, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_bylines_about_box_json_ld_and_feeds_all_link_to_the_author_page(client, staff_author):
    post = PostFactory(author=staff_author)
    page_url = "/authors/writer/"
    summary = soup_of(client.get("/")).select_one(".post-summary .meta")
    assert summary.find("a", string="Dr Writer")["href"] == page_url
    page = soup_of(client.get(post.get_absolute_url()))
    assert page.select_one("article .byline a[rel=author]")["href"] == page_url
    about = page.find("aside", class_="about-author")
    assert {a["href"] for a in about.find_all("a")} == {page_url}
    json_ld = json.loads(page.find("script", type="application/ld+json").string)
    assert json_ld["author"]["url"] == "http://testserver" + page_url
    for name in ("blog:feed-atom", "blog:author-feed-atom"):
        kwargs = {"slug": "writer"} if name == "blog:author-feed-atom" else {}
        feed = feedparser.parse(client.get(reverse(name, kwargs=kwargs)).content)
        assert feed.entries[0].author_detail.href == "http://testserver" + page_url
    profile = soup_of(client.get(staff_author.get_absolute_url()))
    assert profile.find("a", string="Posts by Dr Writer")["href"] == page_url
