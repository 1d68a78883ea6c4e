"""Reader reports: the link on each comment, the no-JavaScript form, one report per person,
the threshold that sends a comment back to moderators, and rate limits."""

import pytest
from bs4 import BeautifulSoup
from django.urls import resolve, reverse

from charcot.clientip import hash_ip
from comments.models import Comment, ModerationLog, Report
from comments.moderation import views as views_moderation
from comments.moderation.services import Action, comment_moderate, report_create
from tests.accounts.factories import make_moderator
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(post):
    return CommentFactory(post=post, body="EBV vaccines are already available.")


def report_url(comment):
    return reverse("comments:report", args=[comment.pk])


def test_report_url_is_named_in_the_moderation_namespace_and_sits_beside_the_comment():
    assert reverse("comments:report", args=[7]) == "/comments/7/report/"
    assert resolve("/comments/7/report/").func is views_moderation.report


def report_links(client, comment):
    page = BeautifulSoup(client.get(comment.post.get_absolute_url()).content, "html.parser")
    return page.select(f"#comment-{comment.pk} a[href='{report_url(comment)}']")


def test_every_public_comment_has_a_report_link(client, comment):
    assert [link.text for link in report_links(client, comment)] == ["Report"]


def test_a_writer_gets_no_report_link_on_their_own_held_comment(client, post, reader):
    held = CommentFactory(post=post, user=reader, status="pending")
    client.force_login(reader)
    assert "Awaiting moderation" in client.get(post.get_absolute_url()).content.decode()
    assert report_links(client, held) == []


@pytest.mark.parametrize("status", ["spam", "removed"])
def test_a_hidden_comment_kept_as_a_placeholder_has_no_report_link(client, post, status):
    hidden = CommentFactory(post=post, status=status)
    CommentFactory(post=post, parent=hidden)
    assert report_links(client, hidden) == []


def test_report_page_is_a_plain_form_with_every_reason(client, comment):
    response = client.get(report_url(comment))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.find("form", action=report_url(comment))
    assert form["method"] == "post"
    reasons = {radio["value"] for radio in form.find_all("input", type="radio")}
    assert reasons == set(Report.Reason.values)
    assert form.find("button", type="submit")
    assert not soup.find("script", src=lambda s: s and "report" in s)


def test_signed_in_reader_reports_a_comment_with_a_reason(client, reader, comment):
    client.force_login(reader)
    response = client.post(report_url(comment), {"reason": "misinformation", "note": "No."})
    assert response.status_code == 302
    assert response["Location"] == comment.get_absolute_url()  # the comment's permalink
    report = Report.objects.get()
    assert (report.user, report.reporter_key, report.reason) == (
        reader,
        f"user:{reader.pk}",
        "misinformation",
    )


def test_anonymous_reader_reports_with_a_hashed_ip(client, comment):
    client.post(report_url(comment), {"reason": "spam"}, REMOTE_ADDR="192.0.2.44")
    report = Report.objects.get()
    assert report.user is None
    assert report.reporter_key == f"ip:{hash_ip('192.0.2.44')}"
    assert "192.0.2.44" not in report.reporter_key


def test_one_report_per_person(client, reader, comment):
    client.force_login(reader)
    client.post(report_url(comment), {"reason": "spam"})
    response = client.post(report_url(comment), {"reason": "abuse"}, follow=True)
    assert Report.objects.count() == 1
    assert "already reported" in response.content.decode()


def test_three_reports_from_different_people_send_the_comment_back_to_pending(comment):
    for n in range(3):
        outcome = report_create(comment=comment, reason="abuse", ip_hash=f"{n}" * 32)
    assert outcome.held
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason == "held: 3 reports"
    entry = ModerationLog.objects.get(comment=comment)
    assert (entry.action, entry.moderator, entry.from_status, entry.to_status) == (
        "hold",
        None,
        "approved",
        "pending",
    )
    assert entry.reason == "held: 3 reports"


def test_two_reports_leave_the_comment_visible(comment):
    for n in range(2):
        report_create(comment=comment, reason="abuse", ip_hash=f"{n}" * 32)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert not ModerationLog.objects.exists()


def test_the_threshold_is_a_setting(comment, settings):
    settings.CHARCOT_COMMENTS_REPORT_THRESHOLD = 1
    report_create(comment=comment, reason="spam", ip_hash="1" * 32)
    comment.refresh_from_db()
    assert comment.moderation_reason == "held: 1 reports"


def test_reports_count_afresh_after_a_moderator_approves_again(comment):
    moderator = make_moderator()
    for n in range(3):
        report_create(comment=comment, reason="abuse", ip_hash=f"{n}" * 32)
    comment_moderate(comment=comment, action=Action.APPROVE, moderator=moderator)
    comment.refresh_from_db()
    report_create(comment=comment, reason="abuse", ip_hash="9" * 32)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


@pytest.mark.parametrize("status", ["pending", "spam", "removed"])
def test_hidden_comments_cannot_be_reported(client, post, status):
    hidden = CommentFactory(post=post, status=status)
    assert client.get(report_url(hidden)).status_code == 404
    assert client.post(report_url(hidden), {"reason": "spam"}).status_code == 404


def test_comments_on_draft_posts_cannot_be_reported(client):
    comment = CommentFactory(post__draft=True)
    assert client.get(report_url(comment)).status_code == 404


def test_anonymous_reports_are_rate_limited_and_the_note_survives(client, post, settings):
    settings.CHARCOT_COMMENTS_REPORT_RATE_LIMITS = [(2, 3600)]
    comments = CommentFactory.create_batch(3, post=post)
    for comment in comments[:2]:
        client.post(report_url(comment), {"reason": "spam"}, REMOTE_ADDR="192.0.2.9")
    response = client.post(
        report_url(comments[2]),
        {"reason": "abuse", "note": "Rude to another reader"},
        REMOTE_ADDR="192.0.2.9",
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert "You can send up to 2 reports an hour." in html
    assert "Rude to another reader" in html
    assert Report.objects.count() == 2


def test_report_without_a_reason_shows_the_form_again_with_the_note(client, comment):
    response = client.post(report_url(comment), {"note": "Keep this text"})
    assert response.status_code == 400
    assert "Keep this text" in response.content.decode()
    assert not Report.objects.exists()


def test_report_page_never_shows_the_commenters_email_or_ip(client, post):
    comment = CommentFactory(post=post, author_email="private@example.com", ip_hash="f" * 32)
    html = client.get(report_url(comment)).content.decode()
    assert "private@example.com" not in html
    assert "f" * 32 not in html


def test_reporter_can_be_a_member_or_anonymous_on_the_same_comment(client, comment):
    client.post(report_url(comment), {"reason": "spam"}, REMOTE_ADDR="192.0.2.1")
    client.force_login(UserFactory())
    client.post(report_url(comment), {"reason": "spam"}, REMOTE_ADDR="192.0.2.1")
    assert Report.objects.count() == 2


@pytest.mark.parametrize("size", [1, 20])
def test_report_page_query_count_does_not_grow(client, post, size, django_assert_max_num_queries):
    comment = CommentFactory(post=post)
    for _ in range(size):
        other = CommentFactory(post=post, parent=comment)
        report_create(comment=other, reason="spam", ip_hash=UserFactory().username)
    with django_assert_max_num_queries(6):  # includes the sidebar's cold caches
        assert client.get(report_url(comment)).status_code == 200


def test_report_page_carries_no_inline_script_or_style_for_the_csp(client, comment):
    soup = BeautifulSoup(client.get(report_url(comment)).content, "html.parser")
    assert not soup.select("[style]")
    assert all(script.get("src") for script in soup.find_all("script"))
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
