from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

# (status, deleted, written by the viewer) -> visible to that viewer
VISIBILITY = [
    ("approved", False, False, True),
    ("approved", False, True, True),
    ("approved", True, True, False),
    ("pending", False, False, False),
    ("pending", False, True, True),
    ("pending", True, True, False),
    ("spam", False, True, False),
    ("removed", False, True, False),
]


@pytest.mark.parametrize(("status", "deleted", "own", "visible"), VISIBILITY)
def test_visibility_rule_and_its_instance_twin_agree_for_members(
    post, reader, status, deleted, own, visible
):
    other = UserFactory()
    comment = CommentFactory(
        post=post,
        user=reader if own else other,
        status=status,
        deleted_at=timezone.now() if deleted else None,
    )
    in_queryset = Comment.objects.visible_to(reader).filter(pk=comment.pk).exists()
    assert in_queryset is visible
    assert comment.is_visible_to(reader) is visible


@pytest.mark.parametrize(("status", "deleted", "own", "visible"), VISIBILITY)
def test_visibility_rule_and_its_instance_twin_agree_for_anonymous_writers(
    post, status, deleted, own, visible
):
    from django.contrib.auth.models import AnonymousUser

    comment = CommentFactory(
        post=post, status=status, deleted_at=timezone.now() if deleted else None
    )
    own_ids = {comment.pk} if own else set()
    in_queryset = (
        Comment.objects.visible_to(AnonymousUser(), own_ids).filter(pk=comment.pk).exists()
    )
    assert in_queryset is visible
    assert comment.is_visible_to(AnonymousUser(), own_ids) is visible


def test_visible_on_a_post_means_approved_and_not_deleted(post):
    shown = CommentFactory(post=post)
    CommentFactory(post=post, status=Comment.Status.PENDING)
    CommentFactory(post=post, status=Comment.Status.SPAM)
    CommentFactory(post=post, status=Comment.Status.REMOVED)
    CommentFactory(post=post, deleted_at=timezone.now())
    CommentFactory(post=PostFactory())
    assert list(Comment.objects.visible_on(post)) == [shown]


def test_awaiting_moderation_lists_only_held_comments(post):
    held = CommentFactory(post=post, status=Comment.Status.PENDING)
    CommentFactory(post=post)
    assert list(Comment.objects.awaiting_moderation()) == [held]
    assert list(Comment.objects.approved().filter(post=post)) != [held]


def test_recent_public_comments_skip_posts_the_public_cannot_see(post):
    CommentFactory(post=PostFactory(draft=True))
    CommentFactory(post=PostFactory(scheduled=True))
    shown = CommentFactory(post=post)
    assert list(Comment.objects.recent_public()) == [shown]


def test_edit_window_is_fifteen_minutes_and_ends_with_the_first_reply(post, reader):
    comment = CommentFactory(post=post, user=reader)
    assert comment.is_editable_by(reader, has_replies=False)
    assert not comment.is_editable_by(reader, has_replies=True)
    assert not comment.is_editable_by(UserFactory(), has_replies=False)
    later = comment.created_at + timedelta(minutes=15, seconds=1)
    assert not comment.is_editable_by(reader, has_replies=False, now=later)
