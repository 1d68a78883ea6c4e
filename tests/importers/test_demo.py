"""demo.imported.seed: the demo shows an imported post, its thread and a working old link."""

import pytest
from django.test import Client

from blog.models import Post
from comments.models import Comment
from demo import imported as demo

from .conftest import page, thread_shape

pytestmark = pytest.mark.django_db


def test_the_demo_import_shows_a_thread_with_the_authors_badge_and_an_old_link():
    report = demo.seed()
    assert report.counts["posts imported"] == 1
    post = Post.objects.get()
    response = Client().get(demo.OLD_LINK)
    assert (response.status_code, response["Location"]) == (301, post.get_absolute_url())
    shown = Client().get(post.get_absolute_url())
    assert [depth for depth, _ in thread_shape(shown)] == [0, 1, 2, 0]
    assert len(page(shown).select(".badge--author")) == 1
    assert Comment.objects.awaiting_moderation().count() == 1
    assert "supplement" not in shown.content.decode()


def test_seeding_twice_changes_nothing():
    demo.seed()
    assert demo.seed().counts["posts already imported"] == 1
    assert Post.objects.count() == 1
