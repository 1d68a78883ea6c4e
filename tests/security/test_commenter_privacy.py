"""Anonymous commenters' rights: staff can export and erase what an email address left."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import Comment, ModerationLog, Report
from privacy.services import commenter_erase, commenter_export, ip_data_purge
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

EMAIL = "jo.patient@example.org"


def _comment(**fields):
    defaults = {
        "author_name": "Jo",
        "author_email": EMAIL,
        "author_url": "https://jo.example.org/",
        "ip_hash": "a" * 64,
        "user_agent": "Mozilla/5.0 (Jo's phone)",
        "notify_replies": True,
    }
    return CommentFactory(**{**defaults, **fields})


def _age(comment, days):
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_export_lists_every_comment_left_under_the_email_whatever_its_case(post):
    first = _comment(post=post, body="First thoughts")
    second = _comment(post=post, parent=first, author_email=EMAIL.upper(), body="Follow-up")
    _comment(post=post, author_email="someone.else@example.org", body="Not Jo")

    data = commenter_export(email=EMAIL)

    assert [c["id"] for c in data["comments"]] == [first.pk, second.pk]
    assert data["comments"][1]["in_reply_to"] == first.pk
    assert data["comments"][0]["body"] == "First thoughts"
    assert data["comments"][0]["website"] == "https://jo.example.org/"
    assert data["comments"][0]["ip_hash"] == "a" * 64
    assert data["comments"][0]["post_url"] == post.get_absolute_url()
    json.dumps(data)  # ready to hand over as a file


def test_export_of_a_blank_email_finds_nothing_rather_than_every_signed_in_comment(post, reader):
    CommentFactory(post=post, user=reader, author_email="")
    assert commenter_export(email="  ")["comments"] == []


def test_erase_anonymises_the_comments_but_keeps_their_place_in_the_thread(post):
    parent = _comment(post=post, body="Question about dosing")
    reply = CommentFactory(post=post, parent=parent, author_email="doctor@example.org")

    result = commenter_erase(email=EMAIL)

    assert result.comments == 1
    parent.refresh_from_db()
    assert parent.author_name == "Anonymous"
    assert (parent.author_email, parent.author_url, parent.ip_hash, parent.user_agent) == (
        "",
        "",
        "",
        "",
    )
    assert parent.notify_replies is False
    assert parent.body == "Question about dosing"
    reply.refresh_from_db()
    assert reply.parent_id == parent.pk
    assert reply.author_email == "doctor@example.org"


def test_erase_leaves_an_audit_entry_that_does_not_repeat_the_address(post, moderator):
    comment = _comment(post=post)
    commenter_erase(email=EMAIL, by=moderator)
    entry = ModerationLog.objects.get(comment=comment)
    assert (entry.action, entry.moderator) == ("anonymise", moderator)
    assert EMAIL not in entry.reason


def test_after_erasure_an_export_finds_nothing(post):
    _comment(post=post)
    commenter_erase(email=EMAIL)
    assert commenter_export(email=EMAIL)["comments"] == []


def test_export_command_prints_json(post, capsys):
    _comment(post=post, body="Printed")
    call_command("commenter_export", EMAIL)
    data = json.loads(capsys.readouterr().out)
    assert [c["body"] for c in data["comments"]] == ["Printed"]


def test_erase_command_dry_run_changes_nothing(post, capsys):
    comment = _comment(post=post)
    call_command("commenter_erase", EMAIL, "--dry-run")
    assert "Would anonymise 1 comment" in capsys.readouterr().out
    comment.refresh_from_db()
    assert comment.author_email == EMAIL


def test_erase_command_anonymises(post, capsys):
    comment = _comment(post=post)
    call_command("commenter_erase", EMAIL)
    assert "Anonymised 1 comment" in capsys.readouterr().out
    comment.refresh_from_db()
    assert comment.author_name == "Anonymous"


def test_ip_data_older_than_90_days_is_cleared_and_newer_kept(post):
    old = _comment(post=post)
    _age(old, 91)
    recent = _comment(post=post)
    _age(recent, 89)

    result = ip_data_purge()

    assert result.comments == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip_hash, old.user_agent) == ("", "")
    assert recent.ip_hash == "a" * 64
    assert old.author_email == EMAIL, "only IP data is purged"


def test_retention_period_follows_the_setting(post, settings):
    settings.CHARCOT_PRIVACY_IP_RETENTION_DAYS = 7
    comment = _comment(post=post)
    _age(comment, 8)
    assert ip_data_purge().comments == 1


def test_anonymous_reporters_ip_keys_are_replaced_but_signed_in_reporters_kept(post, reader):
    comment = _comment(post=post)
    anonymous = Report.objects.create(comment=comment, reporter_key="b" * 64, reason="spam")
    signed_in = Report.objects.create(
        comment=comment, user=reader, reporter_key=str(reader.pk), reason="spam"
    )
    Report.objects.update(created_at=timezone.now() - timedelta(days=100))

    assert ip_data_purge().reports == 1

    anonymous.refresh_from_db()
    signed_in.refresh_from_db()
    assert anonymous.reporter_key == f"purged:{anonymous.pk}"
    assert signed_in.reporter_key == str(reader.pk)


def test_purge_command_is_idempotent_for_a_daily_cron(post, capsys):
    comment = _comment(post=post)
    _age(comment, 200)
    call_command("purge_ip_data")
    assert "from 1 comment(s)" in capsys.readouterr().out
    call_command("purge_ip_data")
    assert "from 0 comment(s)" in capsys.readouterr().out


def test_purge_command_accepts_a_shorter_period(post, capsys):
    comment = _comment(post=post)
    _age(comment, 3)
    call_command("purge_ip_data", "--days", "2")
    comment.refresh_from_db()
    assert comment.ip_hash == ""


def test_an_email_address_is_looked_up_through_its_index(post):
    """Without it, an export or erasure request read every comment on the site."""
    _comment(post=post)
    with CaptureQueriesContext(connection) as queries:
        commenter_export(email=EMAIL)
    lookups = [q["sql"] for q in queries.captured_queries if 'FROM "comments_comment"' in q["sql"]]
    assert lookups
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE comments_comment")
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table is read whole
            cursor.execute("EXPLAIN " + lookups[0])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "comment_email_created" in plan, plan
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + lookups[0])
            plan = "\n".join(row[-1] for row in cursor.fetchall())
            assert "USING INDEX comment_email_created" in plan, plan
