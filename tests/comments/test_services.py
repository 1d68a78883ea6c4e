import uuid

import pytest
from django.db import connection
from django.test import RequestFactory, override_settings

from charcot import clientip as ip
from comments.models import Comment
from comments.policy import Decision, Submission
from comments.services import comment_create, comment_delete, comment_edit
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_new_comments_are_appended_as_the_last_child_so_siblings_stay_oldest_first(post, policy):
    root = comment_create(submission=Submission(post=post, body="Root", author_name="A")).comment
    replies = [
        comment_create(
            submission=Submission(post=post, parent=root, body=f"Reply {n}", author_name="B")
        ).comment
        for n in range(3)
    ]
    root.refresh_from_db()
    assert list(root.get_children()) == replies
    assert root.rght == root.lft + 7


def test_each_new_top_level_comment_starts_its_own_tree(post, policy):
    first = comment_create(submission=Submission(post=post, body="One", author_name="A")).comment
    second = comment_create(submission=Submission(post=post, body="Two", author_name="B")).comment
    assert first.tree_id != second.tree_id
    assert (first.level, second.level) == (0, 0)


def test_a_repeated_submission_key_returns_the_first_comment_without_asking_the_policy(
    post, policy
):
    key = uuid.uuid4()
    first = comment_create(
        submission=Submission(post=post, body="Once", author_name="A"), submission_key=key
    )
    again = comment_create(
        submission=Submission(post=post, body="Once", author_name="A"), submission_key=key
    )
    assert again.comment == first.comment
    assert again.duplicate is True
    assert len(policy.submissions) == 1
    assert Comment.objects.count() == 1


def test_refused_comment_is_not_stored(post, policy):
    policy.decision = Decision(status="spam", refused="Not now.")
    result = comment_create(submission=Submission(post=post, body="Blocked", author_name="A"))
    assert result.comment is None
    assert result.decision.refused == "Not now."
    assert not Comment.objects.exists()


def test_given_decision_skips_the_policy_and_members_fields_ignore_anonymous_ones(
    post, reader, policy
):
    held = Decision(status="pending", reason="moderator said so", public_reason="Checked first.")
    comment = comment_create(
        submission=Submission(post=post, body="Hi", user=reader, author_email="x@example.com"),
        decision=held,
    ).comment
    assert policy.submissions == []
    assert (comment.status, comment.public_reason) == ("pending", "Checked first.")
    assert comment.author_email == ""
    assert comment.email_confirmed is True


def test_a_stored_reply_holds_everything_comment_save_would_derive(post, policy):
    """On PostgreSQL a reply is inserted by comments.tree in one statement, without
    Comment.save(): saving it again through save() must change nothing."""
    parent = CommentFactory(post=post)
    reply = comment_create(
        submission=Submission(post=post, parent=parent, body="*Agreed*, <b>mostly</b>.")
    ).comment
    fields = [f.attname for f in Comment._meta.concrete_fields]
    stored = Comment.objects.filter(pk=reply.pk).values(*fields).get()
    Comment.objects.get(pk=reply.pk).save()
    assert Comment.objects.filter(pk=reply.pk).values(*fields).get() == stored
    assert "<em>Agreed</em>" in stored["body_html"]
    assert {f: getattr(reply, f) for f in fields} == stored


@pytest.mark.parametrize(
    ("email", "status", "jobs"),
    [("new@example.com", "pending", 1), ("back@example.com", "approved", 2)],
)
def test_a_reply_asks_the_database_a_fixed_few_things_and_leaves_the_mail_to_the_queue(
    post,
    settings,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
    email,
    status,
    jobs,
):
    """Nothing per reply grows with the site: each of these is one indexed look-up or write."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    parent = CommentFactory(post=post)
    CommentFactory(post=post, author_name="Kim", author_email="Back@example.com")
    # The submission key; then one look-up of the writer: bans, the same text by IP and by
    # address, an approved comment before; a comment about to be published is also scored
    # by the local spam filter (one look-up of its features).
    policy = 2 + (status == "approved")
    # Savepoint and release; between them on PostgreSQL the thread's lock and one statement
    # that reads the parent's place, makes room and inserts, on SQLite (one writer at a
    # time) the parent's place, the shift and the insert.
    tree = 4 if connection.vendor == "postgresql" else 5
    # After the commit, one insert per queued job (the moderators' digest, or the mails to
    # the post's author and the parent's writer); the new comment is not read back.
    with (
        django_assert_num_queries(policy + tree + jobs),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = comment_create(
            submission=Submission(
                post=post,
                parent=parent,
                body="Thank you.",
                author_name="Kim",
                author_email=email,
                ip_hash="5" * 32,
            ),
            submission_key=uuid.uuid4(),
        )
    assert result.comment.status == status


def test_a_held_reply_makes_two_redis_round_trips_once_the_digest_is_scheduled(
    post, redis_cache, monkeypatch, django_capture_on_commit_callbacks
):
    """The rate limits checked and counted in one script, the digest throttle read."""
    import redis

    from charcot import ratelimit
    from comments import notifications

    monkeypatch.setattr(ratelimit, "default_cache", redis_cache)
    monkeypatch.setattr(notifications, "cache", redis_cache)
    parent = CommentFactory(post=post)
    round_trips = []
    command, pipeline = redis.client.Redis.execute_command, redis.client.Pipeline.execute
    monkeypatch.setattr(
        redis.client.Redis,
        "execute_command",
        lambda self, *a, **kw: round_trips.append(a[0]) or command(self, *a, **kw),
    )
    monkeypatch.setattr(
        redis.client.Pipeline,
        "execute",
        lambda self, *a, **kw: round_trips.append("pipeline") or pipeline(self, *a, **kw),
    )

    def reply(number):
        round_trips.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = comment_create(
                submission=Submission(
                    post=post,
                    parent=parent,
                    body=f"Reply {number}",
                    author_email=f"new{number}@example.com",
                    ip_hash=f"{number}" * 32,
                    seconds_to_submit=30,
                )
            )
        assert result.comment.status == Comment.Status.PENDING
        return list(round_trips)

    reply(1)  # schedules the digest
    assert reply(2) == ["EVALSHA", "MGET"]


def test_edit_by_someone_else_is_refused(post, reader):
    comment = CommentFactory(post=post, user=reader)
    with pytest.raises(PermissionError):
        comment_edit(comment=comment, user=UserFactory(), body="Hijack")


def test_an_edit_that_the_policy_would_hold_is_held_again(post, reader, policy):
    comment = CommentFactory(post=post, user=reader)
    policy.decision = Decision(status="pending", reason="links", public_reason="Links are checked.")
    comment_edit(comment=comment, user=reader, body="Now with [a link](https://example.com)")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert 'href="https://example.com"' in comment.body_html


def test_delete_by_someone_else_is_refused(post, reader):
    comment = CommentFactory(post=post, user=reader)
    with pytest.raises(PermissionError):
        comment_delete(comment=comment, user=UserFactory())


def test_ip_hash_is_keyed_stable_and_groups_an_ipv6_network():
    factory = RequestFactory()
    one = ip.ip_hash(factory.get("/", REMOTE_ADDR="2001:db8:1:2:aaaa::1"))
    same_network = ip.ip_hash(factory.get("/", REMOTE_ADDR="2001:db8:1:2:bbbb::9"))
    other = ip.ip_hash(factory.get("/", REMOTE_ADDR="2001:db8:1:3::1"))
    assert one == same_network != other
    assert "2001" not in one
    assert ip.ip_hash(factory.get("/", REMOTE_ADDR="not an ip")) == ""
    with override_settings(SECRET_KEY="another-secret"):
        assert ip.ip_hash(factory.get("/", REMOTE_ADDR="2001:db8:1:2::1")) != one
