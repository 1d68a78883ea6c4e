import pytest
from django.core.management import call_command
from django.db.models import Count, Max

from comments.models import Comment

pytestmark = pytest.mark.django_db


def test_demo_holds_a_long_realistic_discussion_with_valid_trees():
    call_command("demo")
    busiest = (
        Comment.objects.values("post")
        .annotate(total=Count("pk"), depth=Max("level"))
        .order_by("-total")
        .first()
    )
    assert busiest["total"] >= 300
    assert busiest["depth"] == 8
    on_post = Comment.objects.filter(post=busiest["post"])
    assert on_post.filter(user__isnull=True).exists()
    assert on_post.filter(user__isnull=False).exists()
    assert on_post.awaiting_moderation().exists()
    author_id = on_post.first().post.author_id
    quoting = on_post.filter(user_id=author_id, body__contains="wrote:**")
    assert quoting.exists()
    assert 'href="/comments/' in quoting.first().body_html
    before = dict(on_post.values_list("pk", "lft"))
    Comment.objects.rebuild()
    assert dict(on_post.values_list("pk", "lft")) == before
