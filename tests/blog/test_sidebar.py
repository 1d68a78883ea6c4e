from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from blog import conf
from blog.models import Post
from blog.services import post_publish, post_withdraw, sidebar_cache_seconds
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


def recent_titles(client):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client.get(reverse("blog:home")).content, "html.parser")
    return [a.text for a in soup.select("#recent-posts-heading + ul a")]


def test_recent_posts_shows_the_latest_five_published(client):
    for n in range(7):
        PostFactory(title=f"Post {n}", published_at=timezone.now() - timedelta(hours=n + 1))
    PostFactory(draft=True, title="Draft")
    assert recent_titles(client) == [f"Post {n}" for n in range(5)]


def test_recent_posts_is_cached_between_requests(client, django_assert_num_queries):
    PostFactory()
    client.get(reverse("blog:home"))
    from django.template import Context, Template

    template = Template("{% load blog_tags %}{% recent_posts %}{% month_archive %}")
    with django_assert_num_queries(0):
        template.render(Context({}))


SIDEBAR_WIDGETS = {
    "blog/_recent_posts.html",
    "blog/_month_archive.html",
    "comments/_recent_comments.html",
}


def test_sidebar_widgets_are_rendered_once_then_served_as_cached_html(client):
    CommentFactory(post=PostFactory())
    first = {t.name for t in client.get(reverse("blog:home")).templates}
    assert SIDEBAR_WIDGETS.issubset(first)
    again = client.get(reverse("blog:home"))
    assert not SIDEBAR_WIDGETS & {t.name for t in again.templates}
    soup = BeautifulSoup(again.content, "html.parser")
    for heading in ("recent-posts-heading", "month-archive-heading", "recent-comments-heading"):
        assert soup.select_one(f"aside #{heading}") is not None


def test_publishing_from_the_service_refreshes_the_sidebar(
    client, django_capture_on_commit_callbacks
):
    PostFactory(title="Already live")
    assert recent_titles(client) == ["Already live"]
    draft = PostFactory(draft=True, title="Fresh news")
    with django_capture_on_commit_callbacks(execute=True):
        post_publish(post=draft)
    assert recent_titles(client)[0] == "Fresh news"
    with django_capture_on_commit_callbacks(execute=True):
        post_withdraw(post=draft)
    assert "Fresh news" not in recent_titles(client)


def test_saving_in_admin_refreshes_the_sidebar(
    client, editor, other_author, django_capture_on_commit_callbacks
):
    from tests.blog.test_admin import change_url, form_data

    post = PostFactory(title="Old title", author=other_author)
    assert recent_titles(client) == ["Old title"]
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(post), form_data(post, title="Corrected title"))
    assert response.status_code == 302
    client.logout()
    assert recent_titles(client) == ["Corrected title"]


def test_sidebar_cache_expires_when_the_next_scheduled_post_is_due():
    assert sidebar_cache_seconds() == conf.SIDEBAR_CACHE_SECONDS
    PostFactory(status=Post.Status.SCHEDULED, published_at=timezone.now() + timedelta(seconds=90))
    assert 1 <= sidebar_cache_seconds() <= 91


def test_month_archive_counts_posts_per_month(client):
    from bs4 import BeautifulSoup

    base = timezone.make_aware(timezone.datetime(2026, 5, 15, 12))
    PostFactory(published_at=base)
    PostFactory(published_at=base + timedelta(days=1))
    PostFactory(published_at=base - timedelta(days=40))
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    entries = [li.get_text(" ", strip=True) for li in soup.select(".month-archive li")]
    assert entries == ["May 2026 (2)", "April 2026 (1)"]
