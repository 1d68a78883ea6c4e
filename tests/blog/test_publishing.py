from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import resolve, reverse
from django.utils import timezone

from blog.models import Post
from blog.services import post_preview_token, post_publish, post_withdraw
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now

# (status, published_at offset from now or None, publicly visible?)
VISIBILITY_CASES = [
    (Post.Status.PUBLISHED, timedelta(hours=-1), True),
    (Post.Status.SCHEDULED, timedelta(minutes=-1), True),
    (Post.Status.SCHEDULED, timedelta(days=1), False),
    (Post.Status.PUBLISHED, timedelta(days=1), False),
    (Post.Status.DRAFT, None, False),
]


@pytest.mark.parametrize(("status", "offset", "public"), VISIBILITY_CASES)
def test_published_queryset_and_is_published_agree_on_every_case(status, offset, public):
    post = PostFactory(status=status, published_at=None if offset is None else NOW() + offset)
    assert Post.objects.published().filter(pk=post.pk).exists() is public
    assert post.is_published() is public
    assert post.is_visible_to(None) is public


@pytest.mark.parametrize(("status", "offset", "public"), VISIBILITY_CASES)
def test_post_page_is_404_for_the_public_unless_published(client, status, offset, public):
    post = PostFactory(status=status, published_at=None if offset is None else NOW() + offset)
    response = client.get(post.get_absolute_url())
    assert response.status_code == (200 if public else 404)


def test_scheduled_post_appears_by_itself_once_its_time_has_come(client):
    post = PostFactory(scheduled=True)
    assert client.get(post.get_absolute_url()).status_code == 404
    # Time passes: nothing runs, the query simply starts to match.
    Post.objects.filter(pk=post.pk).update(published_at=NOW() - timedelta(seconds=1))
    post.refresh_from_db()
    assert client.get(post.get_absolute_url()).status_code == 200
    assert post.title in client.get(reverse("blog:home")).content.decode()


def test_author_and_editors_can_read_their_unpublished_posts(client, staff_author, editor):
    draft = PostFactory(draft=True, author=staff_author)
    client.force_login(staff_author)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert b"not public yet" in response.content
    client.force_login(editor)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_another_author_cannot_read_someone_elses_draft(client, staff_author, other_author):
    draft = PostFactory(draft=True, author=staff_author)
    client.force_login(other_author)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_secret_preview_link_shows_a_draft_to_anyone_who_has_it(client):
    draft = PostFactory(draft=True, title="Unreleased ocrelizumab extension data")
    url = reverse("blog:preview", kwargs={"token": post_preview_token(draft)})
    response = client.get(url)
    assert response.status_code == 200
    assert b"Unreleased ocrelizumab extension data" in response.content
    assert b'<meta name="robots" content="noindex, nofollow">' in response.content


def test_tampered_preview_token_is_404(client):
    draft = PostFactory(draft=True)
    token = post_preview_token(draft)
    assert (
        client.get(reverse("blog:preview", kwargs={"token": token[:-2] + "xx"})).status_code == 404
    )
    assert client.get(reverse("blog:preview", kwargs={"token": "not-a-token"})).status_code == 404


def test_preview_link_of_a_post_that_has_been_published_redirects_to_the_post(client):
    post = PostFactory()
    response = client.get(reverse("blog:preview", kwargs={"token": post_preview_token(post)}))
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()


def test_expired_preview_link_is_404(client, settings, monkeypatch):
    from blog import conf

    draft = PostFactory(draft=True)
    token = post_preview_token(draft)
    monkeypatch.setattr(conf, "PREVIEW_MAX_AGE", -1)
    assert client.get(reverse("blog:preview", kwargs={"token": token})).status_code == 404


def test_publishing_a_draft_sets_its_date_and_withdrawing_hides_it_again(client):
    draft = PostFactory(draft=True)
    post_publish(post=draft)
    assert draft.status == Post.Status.PUBLISHED
    assert client.get(draft.get_absolute_url()).status_code == 200
    url = draft.get_absolute_url()
    post_withdraw(post=draft)
    assert client.get(url).status_code == 404


def test_publishing_with_a_future_time_schedules_the_post():
    draft = PostFactory(draft=True)
    post_publish(post=draft, at=NOW() + timedelta(days=3))
    assert draft.status == Post.Status.SCHEDULED
    assert not draft.is_published()


def test_slug_is_made_from_the_title_and_kept_unique():
    author = UserFactory()
    first = Post.objects.create(title="Vitamin D & MS: a review", author=author)
    second = Post.objects.create(title="Vitamin D & MS: a review", author=author)
    assert first.slug == "vitamin-d-ms-a-review"
    assert second.slug == "vitamin-d-ms-a-review-2"


def test_published_post_slug_cannot_change_silently():
    post = PostFactory(slug="ebv-and-ms")
    post = Post.objects.get(pk=post.pk)
    post.slug = "ebv-causes-ms"
    with pytest.raises(ValidationError) as error:
        post.full_clean()
    assert "slug" in error.value.message_dict


def test_draft_slug_may_still_change():
    post = Post.objects.get(pk=PostFactory(draft=True).pk)
    post.slug = "better-slug"
    post.full_clean()


def test_post_url_is_year_month_slug_and_resolves_back():
    post = PostFactory(
        slug="rebound-after-natalizumab-withdrawal",
        published_at=timezone.make_aware(timezone.datetime(2026, 3, 4, 12, 0)),
    )
    assert post.get_absolute_url() == "/2026/03/rebound-after-natalizumab-withdrawal/"
    match = resolve(post.get_absolute_url())
    assert match.view_name == "blog:post"
    assert match.kwargs == {"year": 2026, "month": 3, "slug": post.slug}


def test_post_url_with_an_old_month_redirects_permanently_to_the_current_url(client):
    post = PostFactory(published_at=timezone.make_aware(timezone.datetime(2026, 3, 4, 12, 0)))
    response = client.get(f"/2025/11/{post.slug}/")
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url()


def test_editing_a_published_post_keeps_its_url():
    post = PostFactory()
    url = post.get_absolute_url()
    post.title = "A new title after review"
    post.body = "Rewritten."
    post.save()
    post.refresh_from_db()
    assert post.get_absolute_url() == url


# (changes to a published post, site-wide age limit in days, open for comments?)
OPEN_CASES = [
    ({}, 0, True),
    ({"comments_open": False}, 0, False),
    ({"comments_close_at": NOW() - timedelta(minutes=1)}, 0, False),
    ({"comments_close_at": NOW() + timedelta(days=1)}, 0, True),
    ({"published_at": NOW() - timedelta(days=400)}, 0, True),
    ({"published_at": NOW() - timedelta(days=31)}, 30, False),
    ({"published_at": NOW() - timedelta(days=29)}, 30, True),
    ({"published_at": NOW() - timedelta(days=29), "comments_close_at": NOW()}, 30, False),
    ({"status": Post.Status.DRAFT, "published_at": None}, 0, False),
    ({"status": Post.Status.SCHEDULED, "published_at": NOW() + timedelta(days=1)}, 0, False),
]


@pytest.mark.parametrize(("changes", "days", "is_open"), OPEN_CASES)
def test_posts_take_comments_until_closed_by_hand_by_date_or_by_age(
    settings, changes, days, is_open
):
    settings.CHARCOT_BLOG_COMMENTS_CLOSE_AFTER_DAYS = days
    post = PostFactory()
    for name, value in changes.items():
        setattr(post, name, value)
    assert post.is_open_for_comments() is is_open


def test_comments_close_at_the_earlier_of_the_posts_own_date_and_the_age_limit(settings):
    settings.CHARCOT_BLOG_COMMENTS_CLOSE_AFTER_DAYS = 30
    published = NOW() - timedelta(days=10)
    post = PostFactory(published_at=published)
    assert post.comments_close_time() == published + timedelta(days=30)
    post.comments_close_at = published + timedelta(days=5)
    assert post.comments_close_time() == published + timedelta(days=5)
    settings.CHARCOT_BLOG_COMMENTS_CLOSE_AFTER_DAYS = 0
    post.comments_close_at = None
    assert post.comments_close_time() is None


def test_reading_time_counts_the_words_of_the_body():
    post = PostFactory(body="word " * 660)
    assert post.word_count == 660
    assert post.reading_minutes == 3
