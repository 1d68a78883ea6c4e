"""The demo gives moderators something to look at: held, spam and removed comments, reports,
a ban and a moderation log."""

from io import StringIO

import pytest
from django.core.management import call_command

from comments import spam_filter
from comments.models import Ban, Comment, ModerationLog, Report, SpamFilterToken
from comments.moderation.services import comments_unanswered_by, decisions_learned

pytestmark = pytest.mark.django_db


def test_demo_has_pending_spam_and_removed_comments_reports_a_ban_and_a_log():
    call_command("demo")
    statuses = set(Comment.objects.values_list("status", flat=True))
    assert {"pending", "spam", "removed", "approved"} <= statuses
    assert Comment.objects.filter(moderation_reason="held: 3 reports").exists()
    assert Comment.objects.filter(redacted_at__isnull=False).exists()
    assert Report.objects.values("reporter_key").distinct().count() >= 3
    assert Ban.objects.exists()
    assert {"spam", "remove", "hold", "redact", "ban"} <= set(
        ModerationLog.objects.values_list("action", flat=True)
    )


def test_demo_moderator_reaches_the_desk(client):
    call_command("demo")
    assert client.login(username="mod", password="charcot-moderator-demo")
    response = client.get("/admin/comments/comment/?status__exact=pending")
    assert response.status_code == 200
    assert "held: first comment" in response.content.decode()


def test_running_the_moderation_demo_twice_adds_no_log_entries():
    call_command("demo")
    counts = (ModerationLog.objects.count(), Report.objects.count(), Ban.objects.count())
    call_command("demo")
    assert (ModerationLog.objects.count(), Report.objects.count(), Ban.objects.count()) == counts


def test_demo_shows_a_pinned_comment_an_open_report_and_an_unanswered_question(client):
    call_command("demo")
    call_command("demo")
    pinned = Comment.objects.get(is_pinned=True, post__slug="rebound-after-natalizumab-withdrawal")
    page = client.get(pinned.post.get_absolute_url()).content.decode()
    assert "Pinned by the author" in page
    assert Report.objects.filter(handled_at__isnull=True, comment__status="approved").exists()
    assert client.login(username="mod", password="charcot-moderator-demo")
    reports = client.get("/admin/comments/report/").content.decode()
    assert "Dangerous advice" in reports
    question = Comment.objects.get(body__startswith="Did your neurologist suggest")
    assert comments_unanswered_by(question.post.author).filter(pk=question.pk).exists()
    asked = Comment.objects.get(asks_author=True, body__startswith="I have been on natalizumab")
    assert "?" not in asked.body
    assert comments_unanswered_by(asked.post.author).filter(pk=asked.pk).exists()


def test_demo_has_a_labelled_history_for_the_spam_filter_that_no_one_word_separates():
    call_command("demo")
    decisions = decisions_learned()
    spam = sum(decision.is_spam for decision in decisions)
    assert len(decisions) >= 250
    assert 0.25 < spam / len(decisions) < 0.6
    assert spam_filter.decisions_seen() == len(decisions)  # the filter learned exactly these
    documents = SpamFilterToken.objects.get(token=spam_filter.DOCS)
    for row in SpamFilterToken.objects.exclude(pk=documents.pk):
        in_spam, in_approved = row.spam / documents.spam, row.ham / documents.ham
        assert abs(in_spam - in_approved) < 0.6, row.token
    out = StringIO()
    call_command("spam_filter_report", stdout=out)
    assert "Trained on the first 200:" in out.getvalue()
