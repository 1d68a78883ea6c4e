"""Issue 17: the moderation desk under pressure — roles, reports, logs, queues, bulk decisions."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from comments.models import Ban, Comment, ModerationLog, Report
from comments.moderation.services import (
    Action,
    comment_moderate,
    comment_redact,
    commenter_ban,
    report_create,
)
from tests.accounts.factories import make_moderator
from tests.comments.conftest import anonymous_data, desk, member_data, soup
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

APPROVED, PENDING = Comment.Status.APPROVED, Comment.Status.PENDING
SPAM, REMOVED = Comment.Status.SPAM, Comment.Status.REMOVED
CHANGELIST = reverse("admin:comments_comment_changelist")


def report_three_times(comment):
    for n in range(3):
        report_create(comment=comment, reason="abuse", ip_hash=f"{n}" * 32)


# --- 17. The policy's first verdict is kept, filterable -----------------------------------------


def test_the_policys_first_reason_survives_a_decision_and_can_be_filtered(client, mod, post):
    client.post(reverse("comments:post", args=[post.pk]), anonymous_data(homepage="x"))
    spam = Comment.objects.get()
    comment_moderate(comment=spam, action=Action.RESTORE, moderator=mod, reason="a person")
    spam.refresh_from_db()
    assert spam.moderation_reason == "a person"
    assert ModerationLog.objects.get(comment=spam).policy_reason == "spam: honeypot"
    CommentFactory(post=post, body="Plain and fine")
    client.force_login(mod)
    listed = soup(client.get(CHANGELIST, {"verdict": "honeypot"})).select("#result_list tbody tr")
    assert len(listed) == 1
    log = client.get(reverse("admin:comments_moderationlog_changelist"), {"verdict": "honeypot"})
    assert len(soup(log).select("#result_list tbody tr")) == 1


# --- 11. Reports do not hide the replies of people who answer for the site ---------------------


@pytest.mark.parametrize("who", ["post author", "moderator"])
def test_three_anonymous_reports_do_not_hide_a_staff_reply(writer, own_post, mod, who):
    person = writer if who == "post author" else mod
    reply = CommentFactory(post=own_post, user=person, author_name="", author_email="")
    report_three_times(reply)
    reply.refresh_from_db()
    assert reply.status == APPROVED
    assert Report.objects.filter(comment=reply, handled_at__isnull=True).count() == 3


def test_three_reports_still_hide_a_readers_comment(own_post):
    comment = CommentFactory(post=own_post)
    report_three_times(comment)
    comment.refresh_from_db()
    assert comment.status == PENDING


# --- 8. Authors hide on their own posts; bans are moderators' -----------------------------------


def test_authors_cannot_ban_or_unban_from_a_comment_page(client, writer, own_post, mod):
    comment = CommentFactory(post=own_post, ip_hash="b" * 32)
    commenter_ban(comment=comment, moderator=mod)
    client.force_login(writer)
    page = client.get(desk(comment.pk))
    assert page.status_code == 200
    assert not soup(page).select(f'form[action="{desk(comment.pk, "ban")}"]')
    assert client.post(desk(comment.pk, "ban"), {"unban": "1"}).status_code == 403
    assert Ban.objects.count() == 2
    other = CommentFactory(post=own_post, ip_hash="c" * 32)
    assert client.post(desk(other.pk, "ban"), {}).status_code == 403
    with pytest.raises(PermissionDenied):
        commenter_ban(comment=other, moderator=writer)
    assert Ban.objects.count() == 2


def test_authors_may_still_hide_a_comment_on_their_own_post(client, writer, own_post):
    comment = CommentFactory(post=own_post)
    client.force_login(writer)
    client.post(desk(comment.pk, "act"), {"action": "hold"})
    comment.refresh_from_db()
    assert comment.status == PENDING


# --- 15. The ban list logs its additions and deletions ------------------------------------------


def test_adding_and_deleting_a_ban_on_the_ban_list_is_logged(client, mod):
    client.force_login(mod)
    client.post(
        reverse("admin:comments_ban_add"),
        {"kind": "email", "value": "@Spam.example", "reason": "wave"},
    )
    ban = Ban.objects.get()
    assert ban.value == "@spam.example"
    assert ban.created_by == mod
    client.post(reverse("admin:comments_ban_delete", args=[ban.pk]), {"post": "yes"})
    assert not Ban.objects.exists()
    entries = list(
        ModerationLog.objects.order_by("pk").values_list("action", "moderator", "reason")
    )
    assert entries == [
        ("ban", mod.pk, "ban list: Email: @spam.example: wave"),
        ("unban", mod.pk, "ban list: Email: @spam.example"),
    ]


# --- 9. A redacted comment is locked for its writer ----------------------------------------------


def test_the_writer_cannot_edit_back_what_a_moderator_redacted(client, reader, post, mod):
    comment = CommentFactory(post=post, user=reader, body="Ring me on 0123 456 789.")
    comment_redact(comment=comment, moderator=mod, body="Ring me on [removed].")
    client.force_login(reader)
    page = client.get(reverse("comments:edit", args=[comment.pk]))
    assert "A moderator has edited this comment" in page.content.decode()
    response = client.post(
        reverse("comments:edit", args=[comment.pk]), {"body": "Ring me on 0123 456 789."}
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Ring me on [removed]."


# --- 12. Only top-level comments are pinned, and readers see it ---------------------------------


def test_a_reply_cannot_be_pinned_and_the_pinned_thread_stays_pinned(client, writer, own_post):
    root = CommentFactory(post=own_post)
    reply = CommentFactory(post=own_post, parent=root)
    comment_moderate(comment=root, action=Action.PIN, moderator=writer)
    client.force_login(writer)
    page = soup(client.get(desk(reply.pk)))
    assert not page.select('button[value="pin"]')
    client.post(desk(reply.pk, "act"), {"action": "pin"})
    with pytest.raises(PermissionDenied):
        comment_moderate(comment=reply, action=Action.PIN, moderator=writer)
    root.refresh_from_db()
    reply.refresh_from_db()
    assert (root.is_pinned, reply.is_pinned) == (True, False)


def test_readers_see_pinned_by_the_author_on_the_pinned_comment(client, writer, own_post):
    root = CommentFactory(post=own_post)
    comment_moderate(comment=root, action=Action.PIN, moderator=writer)
    page = soup(client.get(own_post.get_absolute_url()))
    label = page.select_one(f"#comment-{root.pk} .badge--pinned")
    assert label is not None
    assert label.get_text() == "Pinned by the author"


# --- 13. The unanswered-questions queue --------------------------------------------------------


def test_unanswered_queue_lists_readers_questions_and_drops_answered_ones(
    client, writer, own_post, mod
):
    statement = CommentFactory(post=own_post, body="Great post.")
    asked_top = CommentFactory(post=own_post, body="Which dose was used?")
    answered_by_mod = CommentFactory(post=own_post, body="Is it safe?")
    CommentFactory(post=own_post, parent=answered_by_mod, user=mod, body="Yes.")
    thread = CommentFactory(post=own_post, body="Interesting.")
    asked_in_reply = CommentFactory(post=own_post, parent=thread, body="Why fifty?")
    marked = CommentFactory(post=own_post, body="Anyone from Lyon?")
    client.force_login(writer)
    url = reverse("admin:comments_comment_unanswered")
    client.post(url, {"comment": marked.pk, "state": "not_question"})
    listed = {a["href"] for a in soup(client.get(url)).select("#unanswered a")}
    expected = {f"{desk(c.pk)}#desk-reply" for c in (asked_top, asked_in_reply)}
    assert listed == expected
    assert f"{desk(statement.pk)}#desk-reply" not in listed


def test_a_reader_who_ticks_ask_the_author_is_in_the_queue_without_a_question_mark(
    client, writer, own_post, settings
):
    settings.CHARCOT_COMMENTS_MODERATION_HOLD = "none"
    form_url = reverse("comments:post", args=[own_post.pk])
    statement = CommentFactory(post=own_post, body="Interesting.")
    client.post(
        form_url,
        anonymous_data(body="I would like your view on the 2019 cohort", asks_author="on"),
    )
    client.post(
        form_url,
        anonymous_data(
            name="Ola",
            email="ola@example.com",
            parent=str(statement.pk),
            body="Please say more about the dosing",
            asks_author="on",
        ),
    )
    client.post(form_url, anonymous_data(name="Kim", email="kim@example.com", body="Thanks"))
    asked, asked_in_reply = Comment.objects.filter(asks_author=True).order_by("pk")
    assert asked.status == asked_in_reply.status == APPROVED
    assert asked_in_reply.parent == statement
    client.force_login(writer)
    url = reverse("admin:comments_comment_unanswered")
    listed = {a["href"] for a in soup(client.get(url)).select("#unanswered a")}
    assert listed == {f"{desk(c.pk)}#desk-reply" for c in (asked, asked_in_reply)}
    # Answered when the author replies under it; the author can still say "not a question".
    CommentFactory(post=own_post, parent=asked, user=writer, body="Good point, thank you.")
    client.post(url, {"comment": asked_in_reply.pk, "state": "not_question"})
    assert not soup(client.get(url)).select("#unanswered a")


def test_the_ask_the_author_box_is_labelled_and_stays_ticked_after_an_error(client, post):
    page = soup(client.get(post.get_absolute_url()))
    box = page.select_one("#comment-form input[type=checkbox][name=asks_author]")
    assert box is not None
    assert not box.has_attr("checked")
    label = page.select_one(f"#comment-form label[for={box['id']}]")
    assert label.get_text(strip=True) == "Ask the author — this is a question for them"
    response = client.post(
        reverse("comments:post", args=[post.pk]),
        anonymous_data(email="", body="Which trial was this?", asks_author="on"),
    )
    assert response.status_code == 400
    box = soup(response).select_one("#comment-form input[name=asks_author]")
    assert box.has_attr("checked")
    assert not Comment.objects.exists()


def test_members_can_ask_the_author_too(client, reader, own_post, settings):
    settings.CHARCOT_COMMENTS_MODERATION_HOLD = "none"
    client.force_login(reader)
    page = soup(client.get(own_post.get_absolute_url()))
    assert page.select_one("#comment-form input[name=asks_author]") is not None
    client.post(
        reverse("comments:post", args=[own_post.pk]),
        member_data(body="Your view on the cohort, please", asks_author="on"),
    )
    assert Comment.objects.get().asks_author is True


# --- 14. The report queue ---------------------------------------------------------------------


def test_report_queue_lists_open_reports_with_status_and_acts_on_them(client, mod, post):
    rude = CommentFactory(post=post, body="You are all idiots")
    fine = CommentFactory(post=post, body="A fair question")
    decided = CommentFactory(post=post, body="Cheap pills", status=SPAM)
    for comment in (rude, fine, decided):
        report_create(comment=comment, reason="abuse", ip_hash="9" * 32)
    client.force_login(mod)
    queue = reverse("admin:comments_report_changelist")
    page = soup(client.get(queue))
    listed = page.select("#result_list tbody tr")
    assert len(listed) == 2
    assert "Approved" in listed[0].get_text()
    report = Report.objects.get(comment=rude)
    client.post(queue, {"action": "reports_hide", "_selected_action": [report.pk]})
    rude.refresh_from_db()
    assert rude.status == PENDING
    report.refresh_from_db()
    assert report.handled_by == mod
    assert report.outcome == "hide"
    search = soup(client.get(queue, {"q": "fair question"})).select("#result_list tbody tr")
    assert len(search) == 1
    handled = soup(client.get(queue, {"state": "handled"})).select("#result_list tbody tr")
    assert len(handled) == 1


# --- 10. Bulk decisions ask first, with a reason ---------------------------------------------


def test_bulk_approve_shows_what_will_change_and_logs_the_reason(client, mod, post):
    held = CommentFactory.create_batch(3, post=post, status=PENDING)
    client.force_login(mod)
    data = {"action": "bulk_approve", "_selected_action": [c.pk for c in held]}
    confirm = client.post(CHANGELIST, data)
    assert confirm.status_code == 200
    page = soup(confirm)
    assert len(page.select(".desk-bulk-list li")) == 3
    assert page.select("select[name=choice]")
    assert set(Comment.objects.values_list("status", flat=True)) == {PENDING}
    client.post(CHANGELIST, {**data, "confirm": "yes", "choice": "spam wave", "details": "ok"})
    assert set(Comment.objects.values_list("status", flat=True)) == {APPROVED}
    reasons = set(ModerationLog.objects.values_list("reason", flat=True))
    assert reasons == {"spam wave: ok"}


# --- 18. The pending count everywhere for the desk's people -----------------------------------


def test_pending_count_is_on_every_admin_page_and_in_the_site_header(client, writer, own_post):
    CommentFactory.create_batch(2, post=own_post, status=PENDING)
    CommentFactory(status=PENDING)  # another author's post
    client.force_login(writer)
    for url in (
        reverse("admin:comments_report_changelist"),
        reverse("admin:comments_moderationlog_changelist"),
    ):
        count = soup(client.get(url)).select_one("#desk-pending-count")
        assert count is not None, url
        assert "2 comments waiting" in count.get_text()
    header = soup(client.get(own_post.get_absolute_url())).select_one("#header-pending")
    assert header.get_text() == "Waiting for moderation: 2"


def test_readers_get_no_pending_count(client, reader, post):
    client.force_login(reader)
    assert soup(client.get(post.get_absolute_url())).select_one("#header-pending") is None


def test_replies_quoting_redacted_words_are_offered_and_redacted_together(client, mod, post):
    comment = CommentFactory(post=post, body="Patient John Smith, NHS 943 476 5919, improved.")
    quoting = CommentFactory(
        post=post,
        parent=comment,
        body="> Patient John Smith, NHS 943\n> 476 5919, improved.\n\nGood news!",
    )
    unrelated = CommentFactory(post=post, body="Patients improved in general.")
    client.force_login(mod)
    data = {"body": "Patient [name removed] improved.", "reason": ""}
    offer = soup(client.post(desk(comment.pk, "redact"), data))
    offered = [box["value"] for box in offer.select("#redaction-quotes input[name=quote]")]
    assert offered == [str(quoting.pk)]
    comment.refresh_from_db()
    assert comment.redacted_at is None, "nothing is redacted before the moderator confirms"
    client.post(desk(comment.pk, "redact"), {**data, "quotes_seen": "1", "quote": offered})
    quoting.refresh_from_db()
    unrelated.refresh_from_db()
    assert "John Smith" not in quoting.body
    assert "5919" not in quoting.body
    assert quoting.body.endswith("Good news!")
    assert quoting.redacted_at is not None
    assert unrelated.redacted_at is None
    assert ModerationLog.objects.filter(action="redact").count() == 2


def test_redacting_quotes_keeps_the_punctuation_the_moderator_kept(client, mod, post):
    """Words are compared whole, so "900123." went with its full stop: the quoting replies
    lost the end of the sentence the moderator had kept in the comment itself."""
    comment = CommentFactory(post=post, body="Call me on 07700 900123. Thanks for this (really).")
    quoting = CommentFactory(
        post=post,
        parent=comment,
        body="> Call me on 07700 900123. Thanks for this (really).\n\nSame here.",
    )
    client.force_login(mod)
    data = {"body": "Call me on [number removed]. Thanks for this ([removed]).", "reason": ""}
    offer = soup(client.post(desk(comment.pk, "redact"), data))
    offered = [box["value"] for box in offer.select("#redaction-quotes input[name=quote]")]
    assert offered == [str(quoting.pk)]
    client.post(desk(comment.pk, "redact"), {**data, "quotes_seen": "1", "quote": offered})
    quoting.refresh_from_db()
    assert quoting.body.startswith("> Call me on [removed]. Thanks for this ([removed]).")
    assert "900123" not in quoting.body
    assert "really" not in quoting.body


# --- Keyboard triage --------------------------------------------------------------------------


def test_triage_lists_the_queue_in_context_decides_and_undoes_the_last_decision(client, mod, post):
    parent = CommentFactory(post=post, body="The question it answers.")
    held = CommentFactory(post=post, parent=parent, status=PENDING, body="Held reply")
    other = CommentFactory(post=post, status=PENDING, body="Another")
    client.force_login(mod)
    triage = reverse("admin:comments_comment_triage")
    page = soup(client.get(triage))
    items = page.select("[data-triage-item]")
    assert [item["id"] for item in items] == [f"triage-{held.pk}", f"triage-{other.pk}"]
    assert "The question it answers." in items[0].select_one(".desk-context").get_text()
    assert items[0].select_one("button[data-key=s]")["value"] == "spam"
    client.post(desk(held.pk, "act"), {"action": "spam", "next": "triage"})
    held.refresh_from_db()
    assert held.status == SPAM
    assert client.post(reverse("admin:comments_comment_undo")).status_code == 302
    held.refresh_from_db()
    assert held.status == PENDING
    assert ModerationLog.objects.filter(comment=held, reason="undo").exists()


def test_triage_shows_the_comment_it_answers_as_text_not_markdown(client, mod, post):
    """Found on the demo: the context showed raw Markdown (asterisks, > quotes)."""
    parent = CommentFactory(
        post=post, body="It is *really* about the [cohort](https://example.org)."
    )
    CommentFactory(post=post, parent=parent, status=PENDING, body="Held reply")
    client.force_login(mod)
    context = soup(client.get(reverse("admin:comments_comment_triage"))).select_one(".desk-context")
    assert context.select_one("em").get_text() == "really"
    assert "*" not in context.get_text()


def test_undo_never_touches_another_moderators_decision(client, mod, post):
    held = CommentFactory(post=post, status=PENDING)
    comment_moderate(comment=held, action=Action.SPAM, moderator=make_moderator(username="m2"))
    client.force_login(mod)
    client.post(reverse("admin:comments_comment_undo"))
    held.refresh_from_db()
    assert held.status == SPAM
