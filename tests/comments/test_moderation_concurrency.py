"""Two moderators pinning different comments on one post at once still leave one pin."""

import threading

import pytest
from django.db import connection

from comments.models import Comment
from comments.moderation.services import Action, comment_moderate
from tests.accounts.factories import make_moderator
from tests.factories import CommentFactory, PostFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_concurrent_pins_on_one_post_leave_exactly_one_pinned_comment():
    post = PostFactory()
    moderators = [make_moderator() for _ in range(4)]
    comments = CommentFactory.create_batch(4, post=post)
    barrier = threading.Barrier(len(comments))
    errors = []

    def pin(comment, moderator):
        from django.db import connections

        try:
            barrier.wait()
            comment_moderate(comment=comment, action=Action.PIN, moderator=moderator)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=pin, args=pair) for pair in zip(comments, moderators, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Comment.objects.filter(post=post, is_pinned=True).count() == 1
