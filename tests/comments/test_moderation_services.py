"""Moderators' writes: status changes, pin, redaction, bans, unanswered questions and the
throttled "comments are waiting" email."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from comments.models import Ban, Comment, ModerationLog
from comments.moderation.services import (
    Action,
    comment_moderate,
    comment_redact,
    comment_reply,
    commenter_ban,
    commenter_unban,
    comments_unanswered_by,
    redactions_purge,
)
from comments.notifications import moderators_notify
from comments.policy import Submission, moderation_decide
from comments.services import comment_create
from tests.accounts.factories import make_moderator
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

APPROVED, PENDING = Comment.Status.APPROVED, Comment.Status.PENDING
SPAM, REMOVED = Comment.Status.SPAM, Comment.Status.REMOVED


@pytest.fixture
def mod():
    return make_moderator(email="mo@example.org")


# --- Status changes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "action", "end"),
    [
        (PENDING, Action.APPROVE, APPROVED),
        (PENDING, Action.SPAM, SPAM),
        (APPROVED, Action.REMOVE, REMOVED),
        (APPROVED, Action.HOLD, PENDING),
    ],
)
def test_each_action_changes_the_status_and_logs_who_what_and_why(mod, start, action, end):
    comment = CommentFactory(status=start)
    entry = comment_moderate(comment=comment, action=action, moderator=mod, reason="checked")
    comment.refresh_from_db()
    assert comment.status == end
    assert comment.moderation_reason == "checked"
    assert (entry.moderator, entry.action, entry.reason) == (mod, action.value, "checked")
    assert (entry.from_status, entry.to_status) == (start, end)
    assert entry.created_at is not None


def test_restore_brings_a_removed_comment_back_to_approved(mod):
    comment = CommentFactory(status=APPROVED)
    comment_moderate(comment=comment, action=Action.REMOVE, moderator=mod)
    comment_moderate(comment=comment, action=Action.RESTORE, moderator=mod)
    comment.refresh_from_db()
    assert comment.status == APPROVED


def test_restore_sends_never_approved_spam_back_to_pending(mod):
    comment = CommentFactory(status=PENDING)
    comment_moderate(comment=comment, action=Action.SPAM, moderator=mod)
    comment_moderate(comment=comment, action=Action.RESTORE, moderator=mod)
    comment.refresh_from_db()
    assert comment.status == PENDING


def test_a_reason_is_written_even_when_the_moderator_gives_none(mod):
    comment = CommentFactory(status=PENDING)
    comment_moderate(comment=comment, action=Action.SPAM, moderator=mod)
    comment.refresh_from_db()
    assert comment.moderation_reason == f"mark as spam: by {mod.public_name}"


def test_author_moderates_comments_on_their_own_posts_only(writer, own_post):
    mine = CommentFactory(post=own_post, status=PENDING)
    theirs = CommentFactory(status=PENDING)
    comment_moderate(comment=mine, action=Action.APPROVE, moderator=writer)
    with pytest.raises(PermissionDenied):
        comment_moderate(comment=theirs, action=Action.APPROVE, moderator=writer)
    theirs.refresh_from_db()
    assert theirs.status == PENDING
    assert ModerationLog.objects.filter(comment=theirs).count() == 0


@pytest.mark.parametrize("staff", [True, False])
def test_readers_and_staff_without_a_role_cannot_moderate(staff):
    person = UserFactory(is_staff=staff)
    with pytest.raises(PermissionDenied):
        comment_moderate(comment=CommentFactory(), action=Action.SPAM, moderator=person)


# --- Pin ---------------------------------------------------------------------------------------


def test_pinning_a_comment_unpins_the_other_one_on_the_same_post(mod, post):
    first, second = CommentFactory.create_batch(2, post=post)
    other_post = CommentFactory(is_pinned=True)
    comment_moderate(comment=first, action=Action.PIN, moderator=mod)
    comment_moderate(comment=second, action=Action.PIN, moderator=mod)
    pinned = set(Comment.objects.filter(is_pinned=True).values_list("pk", flat=True))
    assert pinned == {second.pk, other_post.pk}
    assert ModerationLog.objects.filter(action="pin").count() == 2


def test_the_author_can_pin_on_their_own_post(writer, own_post):
    comment = CommentFactory(post=own_post)
    comment_moderate(comment=comment, action=Action.PIN, moderator=writer)
    comment.refresh_from_db()
    assert comment.is_pinned


def test_the_database_refuses_two_pinned_comments_on_one_post(post):
    CommentFactory(post=post, is_pinned=True)
    with pytest.raises(IntegrityError):
        CommentFactory(post=post, is_pinned=True)


def test_only_an_approved_comment_can_be_pinned(mod):
    comment = CommentFactory(status=PENDING)
    with pytest.raises(PermissionDenied):
        comment_moderate(comment=comment, action=Action.PIN, moderator=mod)


def test_removing_a_pinned_comment_unpins_it(mod):
    comment = CommentFactory(is_pinned=True)
    comment_moderate(comment=comment, action=Action.REMOVE, moderator=mod)
    comment.refresh_from_db()
    assert not comment.is_pinned


def test_unpin(mod):
    comment = CommentFactory(is_pinned=True)
    comment_moderate(comment=comment, action=Action.UNPIN, moderator=mod)
    comment.refresh_from_db()
    assert not comment.is_pinned


# --- Redaction ---------------------------------------------------------------------------------


def test_redaction_replaces_the_text_and_keeps_the_original_only_in_the_log(mod):
    comment = CommentFactory(body="My mother, Margaret Morgan, hospital number 4821.")
    entry = comment_redact(comment=comment, moderator=mod, body="My mother [name removed].")
    comment.refresh_from_db()
    assert comment.body == "My mother [name removed]."
    assert "Margaret" not in comment.body_html
    assert comment.redacted_at is not None
    assert comment.moderation_note == "Edited by a moderator: personal information removed."
    assert entry.action == "redact"
    assert entry.original_body == "My mother, Margaret Morgan, hospital number 4821."


def test_an_unredacted_comment_has_no_moderation_note():
    assert CommentFactory().moderation_note == ""


def test_redacted_originals_are_purged_after_the_retention_period(mod, settings):
    settings.CHARCOT_COMMENTS_REDACTION_RETENTION_DAYS = 30
    old = comment_redact(comment=CommentFactory(body="Old secret"), moderator=mod, body="x")
    new = comment_redact(comment=CommentFactory(body="New secret"), moderator=mod, body="y")
    ModerationLog.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert redactions_purge() == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.original_body, new.original_body) == ("", "New secret")
    assert old.action == "redact"  # the record stays; only the personal data goes


def test_purge_redactions_command_reports_what_it_purged(mod):
    entry = comment_redact(comment=CommentFactory(body="secret"), moderator=mod, body="z")
    ModerationLog.objects.filter(pk=entry.pk).update(
        created_at=timezone.now() - timedelta(days=365)
    )
    out = StringIO()
    call_command("purge_redactions", stdout=out)
    assert "Purged 1 redacted original(s)" in out.getvalue()


# --- Bans --------------------------------------------------------------------------------------


def test_ban_from_a_comment_blocks_the_email_and_ip_hash(mod, post):
    comment = CommentFactory(post=post, author_email="Spam@Example.com", ip_hash="e" * 32)
    commenter_ban(comment=comment, moderator=mod, reason="pill spam")
    assert set(Ban.objects.values_list("kind", "value")) == {
        ("email", "spam@example.com"),
        ("ip", "e" * 32),
    }
    entry = ModerationLog.objects.get(action="ban")
    assert entry.reason == "Email, IP hash: pill spam"
    submission = Submission(
        post=post,
        user=None,
        author_name="New name",
        author_email="other@example.net",
        author_url="",
        body="Hello again",
        ip_hash="e" * 32,
    )
    assert moderation_decide(submission).reason == "spam: banned IP"


def test_ban_a_members_account(mod, reader):
    comment = CommentFactory(user=reader, author_email="", ip_hash="")
    commenter_ban(comment=comment, moderator=mod)
    assert Ban.objects.get().value == str(reader.pk)


def test_unban_lifts_every_ban_from_that_comment(mod):
    comment = CommentFactory(author_email="x@example.com", ip_hash="d" * 32)
    Ban.objects.create(kind=Ban.Kind.EMAIL, value="someone@else.example")
    commenter_ban(comment=comment, moderator=mod)
    assert commenter_unban(comment=comment, moderator=mod) == 2
    assert list(Ban.objects.values_list("value", flat=True)) == ["someone@else.example"]
    assert ModerationLog.objects.filter(action="unban").exists()


def test_authors_can_ban_only_from_comments_on_their_posts(writer):
    with pytest.raises(PermissionDenied):
        commenter_ban(comment=CommentFactory(), moderator=writer)


# --- Quick reply -------------------------------------------------------------------------------


def test_moderator_reply_is_approved_under_the_comment_and_logged(mod, post):
    question = CommentFactory(post=post)
    reply = comment_reply(comment=question, moderator=mod, body="Good question.")
    assert (reply.parent, reply.user, reply.status) == (question, mod, APPROVED)
    assert reply.moderation_reason == "approved: moderator reply"
    assert ModerationLog.objects.filter(comment=reply, action="reply").exists()


def test_replying_to_a_pending_comment_approves_it(mod, post):
    question = CommentFactory(post=post, status=PENDING)
    comment_reply(comment=question, moderator=mod, body="Approved and answered.")
    question.refresh_from_db()
    assert question.status == APPROVED


# --- Unanswered questions ----------------------------------------------------------------------


def test_unanswered_lists_readers_questions_without_an_answer_oldest_first(
    writer, own_post, django_assert_num_queries
):
    now = timezone.now()
    newer = CommentFactory(post=own_post, body="Which dose was used?")
    older = CommentFactory(post=own_post, body="Why fifty?")
    Comment.objects.filter(pk=older.pk).update(created_at=now - timedelta(days=2))
    answered = CommentFactory(post=own_post, body="How long did it last?")
    CommentFactory(post=own_post, parent=answered, user=writer)
    reader_replied = CommentFactory(post=own_post, body="Is it safe?")
    CommentFactory(post=own_post, parent=reader_replied, body="Good point.")
    CommentFactory(post=own_post, status=PENDING, body="Held?")
    in_a_reply = CommentFactory(post=own_post, parent=newer, body="And the second arm?")
    CommentFactory(post=own_post, body="No question here.")  # asks nothing
    CommentFactory(post=own_post, user=writer, body="The author's own question?")
    CommentFactory(body="Someone else's post?")
    with django_assert_num_queries(1):
        found = list(comments_unanswered_by(writer))
    assert found == [older, newer, reader_replied, in_a_reply]


def test_a_removed_author_reply_does_not_count_as_an_answer(writer, own_post):
    question = CommentFactory(post=own_post, body="Does it help?")
    CommentFactory(post=own_post, parent=question, user=writer, status=REMOVED)
    assert list(comments_unanswered_by(writer)) == [question]


# --- "Comments are waiting" email --------------------------------------------------------------


def held_comment(post, n):
    return comment_create(
        submission=Submission(
            post=post,
            body=f"First comment number {n}",
            author_name=f"Reader {n}",
            author_email=f"r{n}@example.com",
            ip_hash=f"{n}" * 32,
            seconds_to_submit=20,
        )
    )


def test_moderators_get_one_email_listing_waiting_comments_with_a_link(
    mod, post, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="reader@example.org")  # not a moderator
    with django_capture_on_commit_callbacks(execute=True):
        held_comment(post, 1)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["mo@example.org"]
    assert "1 comment waiting" in message.subject
    assert "First comment number 1" in message.body
    assert "held: first comment" in message.body
    assert "/admin/comments/comment/?status__exact=pending" in message.body


def test_at_most_one_email_per_period_however_many_comments_wait(
    mod, post, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.CHARCOT_COMMENTS_MODERATION_NOTIFY_EVERY_MINUTES = 30
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(1, 4):
            held_comment(post, n)
    assert len(mailoutbox) == 1


def test_after_the_period_the_next_email_lists_everything_still_waiting(
    mod, post, mailoutbox, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    with django_capture_on_commit_callbacks(execute=True):
        held_comment(post, 1)
        held_comment(post, 2)
    cache.clear()  # the throttle's period is over
    with django_capture_on_commit_callbacks(execute=True):
        held_comment(post, 3)
    assert len(mailoutbox) == 2
    assert "3 comments waiting" in mailoutbox[1].subject
    assert "First comment number 2" in mailoutbox[1].body


def test_approved_comments_send_moderators_no_digest(
    mod, post, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(submission=Submission(post=post, body="Answer", user=mod))
    assert not [mail for mail in mailoutbox if "waiting" in mail.subject]


def test_with_a_deferring_queue_a_throttled_period_ends_with_one_follow_up_digest(
    settings, django_capture_on_commit_callbacks
):
    from django.tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.CHARCOT_COMMENTS_MODERATION_NOTIFY_EVERY_MINUTES = 30
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert moderators_notify(now=now) is True
        assert moderators_notify(now=now + timedelta(minutes=5)) is False
        assert moderators_notify(now=now + timedelta(minutes=6)) is False
    results = default_task_backend.results
    assert [r.task.run_after for r in results] == [None, now + timedelta(minutes=30)]
    assert results[1].args == []
    assert results[1].kwargs == {"follow_up": True}


def test_a_follow_up_digest_is_skipped_when_a_digest_went_out_meanwhile(mod, post, mailoutbox):
    from comments.tasks import pending_digest_send

    CommentFactory(post=post, status=PENDING)
    assert moderators_notify() is True  # sends now, starts the period
    mailoutbox.clear()
    assert pending_digest_send.call(follow_up=True) == 0
    assert mailoutbox == []


def test_a_comment_held_by_reports_also_tells_moderators(
    mod, post, mailoutbox, django_capture_on_commit_callbacks
):
    from comments.moderation.services import report_create

    comment = CommentFactory(post=post, body="Reported comment")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            report_create(comment=comment, reason="abuse", ip_hash=f"{n}" * 32)
    assert len(mailoutbox) == 1
    assert "held: 3 reports" in mailoutbox[0].body
