"""Concurrent writers on PostgreSQL: the per-thread lock keeps every tree valid."""

import contextlib
import random
import threading
import uuid

import pytest
from django.db import connection

from comments.models import Comment
from comments.policy import Decision, Submission
from comments.services import comment_create
from tests.factories import PostFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

APPROVED = Decision(status="approved", reason="test")
WRITERS = 8
COMMENTS_EACH = 12


def run_in_parallel(work, count: int) -> list:
    barrier = threading.Barrier(count)
    errors = []

    def runner(number):
        try:
            barrier.wait()
            work(number)
        except Exception as error:  # collected and reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def tree_snapshot() -> dict:
    """Nested-set fields per comment, with tree ids replaced by their rank (rebuild renumbers)."""
    rows = list(Comment.objects.values_list("pk", "tree_id", "lft", "rght", "level", "parent_id"))
    rank = {tree_id: index for index, tree_id in enumerate(sorted({row[1] for row in rows}))}
    return {
        pk: (rank[tree], lft, rght, level, parent) for pk, tree, lft, rght, level, parent in rows
    }


def test_parallel_replies_in_one_thread_and_across_threads_keep_every_tree_valid():
    post = PostFactory()
    hot = comment_create(
        submission=Submission(post=post, body="The hot thread", author_name="A"), decision=APPROVED
    ).comment
    comment_create(
        submission=Submission(post=post, body="A quieter thread", author_name="B"),
        decision=APPROVED,
    )

    def write(number):
        rng = random.Random(number)  # noqa: S311
        for index in range(COMMENTS_EACH):
            roll = rng.random()
            if roll < 0.15:
                parent = None  # a new thread: tree ids must never collide
            elif roll < 0.6:
                parent = Comment.objects.filter(tree_id=hot.tree_id).order_by("?").first()
            else:
                parent = Comment.objects.filter(post=post).order_by("?").first()
            comment_create(
                submission=Submission(
                    post=post,
                    parent=parent,
                    body=f"writer {number} comment {index}",
                    author_name=f"Writer {number}",
                    author_email=f"writer{number}@example.com",
                ),
                decision=APPROVED,
            )

    errors = run_in_parallel(write, WRITERS)
    assert errors == []
    assert Comment.objects.count() == 2 + WRITERS * COMMENTS_EACH
    roots = Comment.objects.filter(parent__isnull=True)
    assert roots.values("tree_id").distinct().count() == roots.count()
    before = tree_snapshot()
    Comment.objects.rebuild()
    assert tree_snapshot() == before
    for comment in Comment.objects.all():
        children = list(Comment.objects.filter(parent=comment).order_by("lft"))
        assert [child.pk for child in children] == sorted(child.pk for child in children)


def test_the_same_submission_racing_itself_is_stored_once():
    post = PostFactory()
    key = uuid.uuid4()
    results = []

    def submit(number):
        results.append(
            comment_create(
                submission=Submission(
                    post=post, body="Pressed Publish twice", author_name="Double"
                ),
                submission_key=key,
                decision=APPROVED,
            ).comment.pk
        )

    assert run_in_parallel(submit, 4) == []
    assert Comment.objects.count() == 1
    assert set(results) == {Comment.objects.get().pk}


def test_the_same_reply_racing_itself_is_stored_once_and_the_thread_stays_valid():
    post = PostFactory()
    thread = comment_create(
        submission=Submission(post=post, body="Root", author_name="A"), decision=APPROVED
    ).comment
    key = uuid.uuid4()
    results = []

    def submit(number):
        results.append(
            comment_create(
                submission=Submission(
                    post=post, parent=thread, body="Pressed Reply twice", author_name="Double"
                ),
                submission_key=key,
                decision=APPROVED,
            ).comment.pk
        )

    assert run_in_parallel(submit, 4) == []
    reply = Comment.objects.get(submission_key=key)
    assert set(results) == {reply.pk}
    before = tree_snapshot()
    Comment.objects.rebuild()
    assert tree_snapshot() == before


def test_an_account_erased_while_others_reply_in_its_threads_leaves_every_tree_valid():
    from privacy.services import account_delete
    from tests.factories import UserFactory

    post = PostFactory()
    leaving = UserFactory()
    thread = comment_create(
        submission=Submission(post=post, body="Root", author_name="A"), decision=APPROVED
    ).comment
    theirs = [
        comment_create(
            submission=Submission(post=post, parent=thread, body=f"Mine {n}", user=leaving),
            decision=APPROVED,
        ).comment
        for n in range(6)
    ]

    def work(number):
        if number == 0:
            account_delete(user=leaving, remove_comments=True)
            return
        for index in range(COMMENTS_EACH):
            # The comment replied to may be erased first (the view then says so).
            with contextlib.suppress(Comment.DoesNotExist):
                comment_create(
                    submission=Submission(
                        post=post,
                        parent=theirs[index % 2] if index % 3 else thread,
                        body=f"writer {number} reply {index}",
                        author_name=f"Writer {number}",
                    ),
                    decision=APPROVED,
                )

    assert run_in_parallel(work, WRITERS) == []
    assert not Comment.objects.filter(body__startswith="Mine").exists()
    before = tree_snapshot()
    Comment.objects.rebuild()
    assert tree_snapshot() == before
