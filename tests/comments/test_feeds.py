import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from comments.models import Comment, with_public_comment_counts
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


def hidden_comments(post):
    CommentFactory(post=post, status=Comment.Status.PENDING, body="Held words")
    CommentFactory(post=post, status=Comment.Status.SPAM, body="Spam words")
    CommentFactory(post=post, status=Comment.Status.REMOVED, body="Removed words")
    CommentFactory(post=post, deleted_at=timezone.now(), body="Deleted words")
    CommentFactory(post=PostFactory(draft=True), body="Draft words")


@pytest.mark.parametrize("name", ["comments:feed-rss", "comments:feed-atom"])
def test_site_wide_comment_feeds_list_public_comments_only(client, post, name):
    CommentFactory(
        post=post, author_name="Rosa", author_email="rosa@example.com", body="Public words"
    )
    hidden_comments(post)
    response = client.get(reverse(name))
    feed = feedparser.parse(response.content)
    assert [entry.title for entry in feed.entries] == [f"Rosa on {post.title}"]
    text = response.content.decode()
    assert "Public words" in text
    for hidden in ("Held", "Spam", "Removed", "Deleted", "Draft", "rosa@example.com"):
        assert hidden not in text


@pytest.mark.parametrize("name", ["comments:post-feed-rss", "comments:post-feed-atom"])
def test_per_post_comment_feeds_follow_one_discussion(client, post, name):
    mine = CommentFactory(post=post, body="On this post")
    CommentFactory(post=PostFactory(), body="On another post")
    hidden_comments(post)
    response = client.get(reverse(name, kwargs={"post_pk": post.pk}))
    feed = feedparser.parse(response.content)
    assert len(feed.entries) == 1
    assert feed.entries[0].link.endswith(mine.get_absolute_url())


def test_no_feed_for_a_draft(client):
    draft = PostFactory(draft=True)
    assert (
        client.get(reverse("comments:post-feed-rss", kwargs={"post_pk": draft.pk})).status_code
        == 404
    )


def test_comment_counts_for_many_posts_come_from_one_query(django_assert_num_queries):
    first, second = PostFactory(), PostFactory()
    CommentFactory.create_batch(3, post=first)
    CommentFactory(post=first, status=Comment.Status.PENDING)
    CommentFactory(post=second, deleted_at=timezone.now())
    posts = list(Post.objects.all())
    with django_assert_num_queries(1):
        counts = {p.pk: p.public_comment_count for p in with_public_comment_counts(posts)}
    assert counts == {first.pk: 3, second.pk: 0}
