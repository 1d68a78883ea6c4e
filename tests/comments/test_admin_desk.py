"""The moderation desk in Django admin: who gets in, what they see, and every action."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from accounts import roles
from charcot.clientip import hash_ip
from comments.models import Ban, Comment, ModerationLog
from comments.moderation.services import Action, comment_moderate, commenter_ban
from comments.templatetags.comments_tags import pending_comment_count
from tests.accounts.factories import with_role
from tests.comments.conftest import desk
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

APPROVED, PENDING = Comment.Status.APPROVED, Comment.Status.PENDING
SPAM, REMOVED = Comment.Status.SPAM, Comment.Status.REMOVED
CHANGELIST = "admin:comments_comment_changelist"


def rows(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.select("#result_list tbody tr")


def listed_pks(response):
    return {
        int(row.find("input", attrs={"name": "_selected_action"})["value"])
        for row in rows(response)
    }


# --- Who reaches the desk ---------------------------------------------------------------------


def test_moderator_sees_every_comment(client, mod):
    comments = CommentFactory.create_batch(3)
    client.force_login(mod)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert listed_pks(response) == {c.pk for c in comments}


def test_author_sees_only_comments_on_their_own_posts(client, writer, own_post):
    mine = CommentFactory(post=own_post)
    theirs = CommentFactory()
    client.force_login(writer)
    assert listed_pks(client.get(reverse(CHANGELIST))) == {mine.pk}
    assert client.get(desk(mine.pk)).status_code == 200
    assert client.get(desk(theirs.pk)).status_code == 404
    response = client.post(desk(theirs.pk, "act"), {"action": "spam"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == APPROVED


def test_readers_are_sent_to_the_admin_login(client, reader):
    client.force_login(reader)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_staff_without_any_role_are_kept_out_of_the_admin_altogether(client):
    client.force_login(UserFactory(is_staff=True))
    for name in (CHANGELIST, "admin:comments_moderationlog_changelist", "admin:index"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_editors_reach_the_admin_but_not_the_moderation_desk(client):
    client.force_login(with_role(UserFactory(is_staff=True), roles.EDITORS))
    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert client.get(reverse("admin:comments_moderationlog_changelist")).status_code == 403
    assert client.get(reverse("admin:comments_comment_unanswered")).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert "moderation-pending" not in index


def test_authors_cannot_manage_site_wide_bans(client, writer):
    client.force_login(writer)
    assert client.get(reverse("admin:comments_ban_changelist")).status_code == 403


# --- The comment list --------------------------------------------------------------------------


def test_list_shows_thread_position_author_email_ip_hash_status_and_reason(client, mod, post):
    root = CommentFactory(post=post, author_name="Sam", author_email="sam@example.com")
    reply = CommentFactory(
        post=post,
        parent=root,
        status=PENDING,
        moderation_reason="held: first comment",
        ip_hash="c" * 32,
    )
    client.force_login(mod)
    response = client.get(reverse(CHANGELIST))
    by_pk = {
        int(row.find("input", attrs={"name": "_selected_action"})["value"]): row
        for row in rows(response)
    }
    assert by_pk[root.pk].select_one(".desk-depth-0")
    assert by_pk[reply.pk].select_one(".desk-depth-1")
    root_text = by_pk[root.pk].get_text(" ", strip=True)
    assert "Sam (anonymous)" in root_text
    assert "sam@example.com" in root_text
    reply_text = by_pk[reply.pk].get_text(" ", strip=True)
    assert "c" * 32 in reply_text
    assert "Pending" in reply_text
    assert "held: first comment" in reply_text
    # django-mptt's own indentation uses style= attributes, which the CSP blocks.
    assert "style=" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status__exact=pending", {"first", "links", "words", "reports", "fast"}),
        ("held=first", {"first"}),
        ("held=links", {"links"}),
        ("held=words", {"words"}),
        ("held=reports", {"reports"}),
        ("held=rate", {"fast"}),
        ("member=yes", {"member"}),
        ("member=no", {"first", "links", "words", "reports", "fast", "spam"}),
        ("status__exact=spam", {"spam"}),
        ("q=needle%40example.com", {"links"}),
        ("q=haystack", {"words"}),
    ],
)
def test_filters_and_search(client, mod, post, reader, query, expected):
    made = {
        "first": CommentFactory(post=post, status=PENDING, moderation_reason="held: first comment"),
        "links": CommentFactory(
            post=post,
            status=PENDING,
            moderation_reason="held: links (3, more than 2)",
            author_email="needle@example.com",
        ),
        "words": CommentFactory(
            post=post, status=PENDING, moderation_reason="held: word “cure”", body="haystack"
        ),
        "reports": CommentFactory(post=post, status=PENDING, moderation_reason="held: 3 reports"),
        "fast": CommentFactory(post=post, status=PENDING, moderation_reason="held: too fast (1 s)"),
        "spam": CommentFactory(post=post, status=SPAM, moderation_reason="spam: honeypot"),
        "member": CommentFactory(post=post, user=reader, author_name="", author_email=""),
    }
    client.force_login(mod)
    response = client.get(reverse(CHANGELIST) + "?" + query)
    assert listed_pks(response) == {made[key].pk for key in expected}


def test_filter_by_post(client, mod, post):
    mine = CommentFactory(post=post)
    CommentFactory()
    client.force_login(mod)
    response = client.get(reverse(CHANGELIST) + f"?post__id__exact={post.pk}")
    assert listed_pks(response) == {mine.pk}


# Every desk page counts the comments waiting (one query, issue 17); the comment page also
# asks the spam filter for its score (one query).
PAGE_BUDGETS = {
    "changelist": 9,
    "change": 11,
    "unanswered": 10,
    "index": 7,
    "log": 11,
    "triage": 8,
    "reports": 9,
}


@pytest.mark.parametrize("size", [3, 20])
def test_desk_pages_query_count_does_not_grow_with_the_data(
    client, mod, post, size, django_assert_max_num_queries
):
    for root in CommentFactory.create_batch(size, post=post):
        CommentFactory(post=post, parent=root, user=UserFactory())
    for comment in Comment.objects.all()[:size]:
        comment_moderate(comment=comment, action=Action.HOLD, moderator=mod)
    urls = {
        "changelist": reverse(CHANGELIST),
        "change": desk(root.pk),
        "unanswered": reverse("admin:comments_comment_unanswered"),
        "index": reverse("admin:index"),
        "log": reverse("admin:comments_moderationlog_changelist"),
        "triage": reverse("admin:comments_comment_triage"),
        "reports": reverse("admin:comments_report_changelist"),
    }
    client.force_login(mod)
    for page, budget in PAGE_BUDGETS.items():
        with django_assert_max_num_queries(budget):
            assert client.get(urls[page]).status_code == 200, page


# --- Pending count on the admin index ------------------------------------------------------------


def test_admin_index_shows_how_many_comments_wait(client, mod):
    CommentFactory.create_batch(2, status=PENDING)
    CommentFactory(status=APPROVED)
    client.force_login(mod)
    soup = BeautifulSoup(client.get(reverse("admin:index")).content, "html.parser")
    link = soup.select_one("#moderation-pending a")
    assert link.get_text(" ", strip=True) == "2 comments waiting for moderation"
    assert link["href"] == reverse(CHANGELIST) + "?status__exact=pending"


def test_an_authors_pending_count_covers_their_posts_only(writer, own_post):
    CommentFactory(post=own_post, status=PENDING)
    CommentFactory(status=PENDING)
    assert pending_comment_count(writer) == 1


def test_pending_count_is_one_query(mod, django_assert_num_queries):
    CommentFactory.create_batch(3, status=PENDING)
    assert mod.is_moderator  # roles are read once per request with the user
    with django_assert_num_queries(1):
        assert pending_comment_count(mod) == 3


def test_the_admin_index_asks_the_pending_count_once(client, mod, django_assert_num_queries):
    """The index shows the count twice (the header line and the Moderation box) from one
    COUNT query."""
    CommentFactory.create_batch(2, status=PENDING)
    client.force_login(mod)
    client.get(reverse("admin:index"))  # sessions and caches warm
    with django_assert_num_queries(6) as captured:
        page = BeautifulSoup(client.get(reverse("admin:index")).content, "html.parser")
    counts = [
        query["sql"]
        for query in captured.captured_queries
        if "COUNT(" in query["sql"].upper() and "comments_comment" in query["sql"]
    ]
    assert len(counts) == 1, counts
    for shown in page.select("#desk-pending-count a, #moderation-pending a:first-child"):
        assert shown.get_text(" ", strip=True) == "2 comments waiting for moderation"
    assert len(page.select("#desk-pending-count a, #moderation-pending a:first-child")) == 2


# --- Bulk actions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "action", "end"),
    [
        (PENDING, "approve", APPROVED),
        (PENDING, "spam", SPAM),
        (APPROVED, "remove", REMOVED),
        (REMOVED, "restore", PENDING),
    ],
)
def test_bulk_action_changes_every_selected_comment_and_logs_each(
    client, mod, post, start, action, end
):
    selected = CommentFactory.create_batch(2, post=post, status=start)
    untouched = CommentFactory(post=post, status=start)
    client.force_login(mod)
    response = client.post(
        reverse(CHANGELIST),
        {
            "action": f"bulk_{action}",
            "_selected_action": [c.pk for c in selected],
            "index": 0,
            "confirm": "yes",  # the page that lists what will change, confirmed
        },
    )
    assert response.status_code == 302
    for comment in selected:
        comment.refresh_from_db()
        assert comment.status == end
        entry = ModerationLog.objects.get(comment=comment)
        assert (entry.moderator, entry.action, entry.to_status) == (mod, action, end)
    untouched.refresh_from_db()
    assert untouched.status == start


def test_there_is_no_delete_action_removing_is_a_status(client, mod):
    CommentFactory()
    client.force_login(mod)
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert "delete_selected" not in html
    assert "bulk_remove" in html


# --- One comment: thread, actions, reply, redaction, ban ------------------------------------------


def test_comment_page_shows_the_whole_thread_in_context(client, mod, post):
    root = CommentFactory(post=post, body="Root question")
    reply = CommentFactory(post=post, parent=root, body="A reply")
    CommentFactory(post=post, parent=reply, body="Deeper reply")
    CommentFactory(post=post, body="Another thread")
    client.force_login(mod)
    response = client.get(desk(reply.pk))
    soup = BeautifulSoup(response.content, "html.parser")
    thread = [li.get_text(" ", strip=True) for li in soup.select(".desk-thread > li")]
    assert len(thread) == 3
    assert "Root question" in thread[0]
    assert "Deeper reply" in thread[2]
    current = soup.select_one(".desk-thread .desk-current")
    assert "A reply" in current.get_text()
    assert "desk-depth-1" in current["class"]


def test_comment_page_lists_reports_with_their_reasons(client, mod, post):
    from comments.moderation.services import report_create

    comment = CommentFactory(post=post)
    report_create(comment=comment, reason="misinformation", note="No such vaccine", ip_hash="1")
    client.force_login(mod)
    text = BeautifulSoup(client.get(desk(comment.pk)).content, "html.parser").get_text(" ")
    assert "Medical misinformation" in text
    assert "No such vaccine" in text


@pytest.mark.parametrize(
    ("start", "action", "end"),
    [
        (PENDING, "approve", APPROVED),
        (APPROVED, "spam", SPAM),
        (APPROVED, "remove", REMOVED),
        (SPAM, "restore", PENDING),
    ],
)
def test_single_action_from_the_comment_page_is_logged_with_its_reason(
    client, mod, start, action, end
):
    comment = CommentFactory(status=start)
    client.force_login(mod)
    response = client.post(desk(comment.pk, "act"), {"action": action, "reason": "checked it"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == end
    entry = ModerationLog.objects.get(comment=comment)
    assert (entry.action, entry.reason, entry.moderator) == (action, "checked it", mod)


def test_pin_from_the_comment_page(client, writer, own_post):
    comment = CommentFactory(post=own_post)
    client.force_login(writer)
    client.post(desk(comment.pk, "act"), {"action": "pin"})
    comment.refresh_from_db()
    assert comment.is_pinned


def test_pinning_over_another_pinned_thread_says_that_one_is_unpinned(client, writer, own_post):
    """Found on the demo: the second pin moved the pin and said only "Pin: done."."""
    first, second = CommentFactory(post=own_post), CommentFactory(post=own_post)
    client.force_login(writer)
    client.post(desk(first.pk, "act"), {"action": "pin"})
    response = client.post(desk(second.pk, "act"), {"action": "pin"}, follow=True)
    shown = " ".join(str(message) for message in response.context["messages"])
    assert "no longer pinned" in shown
    first.refresh_from_db()
    assert not first.is_pinned


def test_actions_that_do_not_fit_the_status_are_refused(client, mod):
    comment = CommentFactory(status=REMOVED)
    client.force_login(mod)
    client.post(desk(comment.pk, "act"), {"action": "pin"})
    comment.refresh_from_db()
    assert (comment.status, comment.is_pinned) == (REMOVED, False)
    assert not ModerationLog.objects.exists()


def test_actions_need_a_post(client, mod):
    comment = CommentFactory()
    client.force_login(mod)
    assert client.get(desk(comment.pk, "act")).status_code == 405
    assert client.get(desk(comment.pk, "ban")).status_code == 405


def test_quick_reply_posts_an_approved_reply_as_the_moderator(client, mod, post):
    question = CommentFactory(post=post, status=PENDING)
    client.force_login(mod)
    response = client.post(desk(question.pk), {"body": "Thanks, here is the answer."})
    reply = Comment.objects.get(parent=question)
    assert response.status_code == 302
    assert response["Location"] == desk(reply.pk)
    assert (reply.user, reply.status, reply.body) == (mod, APPROVED, "Thanks, here is the answer.")
    question.refresh_from_db()
    assert question.status == APPROVED


def test_empty_quick_reply_shows_the_form_again(client, mod):
    question = CommentFactory()
    client.force_login(mod)
    response = client.post(desk(question.pk), {"body": "   "})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Comment.objects.filter(parent=question).exists()


def test_redaction_from_the_desk(client, mod):
    comment = CommentFactory(body="Patient John Smith, NHS 943 476 5919, improved.")
    client.force_login(mod)
    form = BeautifulSoup(client.get(desk(comment.pk, "redact")).content, "html.parser")
    assert "John Smith" in form.find("textarea").get_text()
    response = client.post(
        desk(comment.pk, "redact"), {"body": "Patient [name removed] improved.", "reason": ""}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Patient [name removed] improved."
    assert comment.redacted_at is not None
    entry = ModerationLog.objects.get(action="redact")
    assert "John Smith" in entry.original_body


def test_ban_and_unban_from_the_comment_page(client, mod):
    comment = CommentFactory(author_email="bot@example.com", ip_hash="b" * 32)
    client.force_login(mod)
    client.post(desk(comment.pk, "ban"), {"reason": "spam run"})
    assert Ban.objects.count() == 2
    assert "Unban this commenter" in client.get(desk(comment.pk)).content.decode()
    client.post(desk(comment.pk, "ban"), {"unban": "1"})
    assert not Ban.objects.exists()
    assert list(ModerationLog.objects.order_by("pk").values_list("action", flat=True)) == [
        "ban",
        "unban",
    ]


# --- Unanswered questions ------------------------------------------------------------------------


def test_unanswered_questions_page_lists_the_authors_open_questions(client, writer, own_post):
    question = CommentFactory(post=own_post, body="How long does rebound last?")
    answered = CommentFactory(post=own_post, body="Answered already")
    CommentFactory(post=own_post, parent=answered, user=writer)
    CommentFactory(body="Someone else's post")
    client.force_login(writer)
    response = client.get(reverse("admin:comments_comment_unanswered"))
    soup = BeautifulSoup(response.content, "html.parser")
    texts = [row.get_text(" ", strip=True) for row in soup.select("#unanswered tbody tr")]
    assert len(texts) == 1
    assert "How long does rebound last?" in texts[0]
    assert soup.select_one("#unanswered a")["href"] == desk(question.pk) + "#desk-reply"


def test_moderators_can_look_at_any_authors_unanswered_questions(client, mod, writer, own_post):
    CommentFactory(post=own_post, body="Waiting for Prof?")
    client.force_login(mod)
    url = reverse("admin:comments_comment_unanswered") + f"?author={writer.pk}"
    assert "Waiting for Prof" in client.get(url).content.decode()


# --- Logs, reports and bans in admin -------------------------------------------------------------


def test_moderation_log_is_viewable_but_never_editable(client, mod):
    comment = CommentFactory(status=PENDING)
    entry = comment_moderate(comment=comment, action=Action.APPROVE, moderator=mod, reason="ok")
    client.force_login(mod)
    assert client.get(reverse("admin:comments_moderationlog_changelist")).status_code == 200
    change_url = reverse("admin:comments_moderationlog_change", args=[entry.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert not BeautifulSoup(page.content, "html.parser").select("input[name=reason]")
    assert client.post(change_url, {"reason": "rewritten"}).status_code == 403
    assert client.get(reverse("admin:comments_moderationlog_add")).status_code == 403
    delete_url = reverse("admin:comments_moderationlog_delete", args=[entry.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.reason == "ok"


def test_authors_see_log_entries_for_their_posts_only_and_never_redacted_originals(
    client, mod, writer, own_post
):
    from comments.moderation.services import comment_redact

    mine = comment_redact(
        comment=CommentFactory(post=own_post, body="Secret name"), moderator=mod, body="x"
    )
    theirs = comment_moderate(comment=CommentFactory(), action=Action.REMOVE, moderator=mod)
    client.force_login(writer)
    listing = client.get(reverse("admin:comments_moderationlog_changelist")).content.decode()
    assert f"Comment {mine.comment_id}" in listing
    assert f"Comment {theirs.comment_id}" not in listing
    detail = client.get(reverse("admin:comments_moderationlog_change", args=[mine.pk]))
    assert "Secret name" not in detail.content.decode()


def test_moderator_adds_a_ban_by_raw_ip_and_only_the_hash_is_stored(client, mod):
    client.force_login(mod)
    response = client.post(
        reverse("admin:comments_ban_add"), {"kind": "ip", "value": "203.0.113.5", "reason": "x"}
    )
    assert response.status_code == 302
    ban = Ban.objects.get()
    assert (ban.value, ban.created_by) == (hash_ip("203.0.113.5"), mod)


def test_reports_are_listed_for_moderators(client, mod):
    from comments.moderation.services import report_create

    report_create(comment=CommentFactory(), reason="abuse", note="Rude", ip_hash="1")
    client.force_login(mod)
    html = client.get(reverse("admin:comments_report_changelist")).content.decode()
    assert "Abusive or uncivil" in html
    assert "Rude" in html


def test_banned_commenter_is_flagged_on_the_comment_page(client, mod):
    comment = CommentFactory(author_email="flag@example.com")
    commenter_ban(comment=comment, moderator=mod)
    client.force_login(mod)
    assert "This commenter is banned." in client.get(desk(comment.pk)).content.decode()


@pytest.mark.parametrize("path", ["abc/change/", "9999/change/", "abc/act/", "1%00/redact/"])
def test_odd_comment_addresses_are_not_found_never_an_error(client, mod, path):
    client.force_login(mod)
    response = client.get(reverse(CHANGELIST) + path)
    assert response.status_code in (302, 404, 405)


@pytest.mark.parametrize(
    "query", ["held=nonsense", "member=maybe", "status__exact=bogus", "created_at__gte=yesterday"]
)
def test_odd_filter_values_never_produce_an_error(client, mod, query):
    CommentFactory()
    client.force_login(mod)
    assert client.get(reverse(CHANGELIST) + "?" + query).status_code in (200, 302)


def test_odd_unanswered_parameters_never_produce_an_error(client, mod):
    client.force_login(mod)
    url = reverse("admin:comments_comment_unanswered")
    assert client.get(url + "?author=abc&page=zz").status_code == 200
    assert client.get(url + "?author=999999").status_code == 404


def test_desk_pages_carry_no_inline_script_or_style_for_the_csp(client, mod, post):
    comment = CommentFactory(post=post, status=PENDING)
    CommentFactory(post=post, parent=comment)
    client.force_login(mod)
    for url in [
        reverse("admin:index"),
        reverse(CHANGELIST),
        desk(comment.pk),
        desk(comment.pk, "redact"),
        reverse("admin:comments_comment_unanswered"),
    ]:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        assert not soup.select("[style]"), url
        assert all(
            script.get("src") or script.get("type") == "application/json"
            for script in soup.find_all("script")
        ), url


@pytest.mark.parametrize("signed_in", [False, True])
def test_admin_pages_name_the_sites_icon_so_browsers_ask_for_no_missing_favicon(
    client, mod, signed_in
):
    """Without a <link rel="icon"> a browser asks for /favicon.ico, which is a 404 here: a
    console error on every desk page and on the admin sign-in page."""
    if signed_in:
        client.force_login(mod)
        url = reverse("admin:comments_comment_triage")
    else:
        url = reverse("admin:login")
    page = BeautifulSoup(client.get(url).content, "html.parser")
    icon = page.select_one("head link[rel=icon]")
    assert icon is not None
    assert client.get(icon["href"]).status_code == 200
