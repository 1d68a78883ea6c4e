import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from charcot.clientip import hash_ip
from comments.discussion import OWN_COOKIE
from comments.forms import REMEMBER_COOKIE
from comments.models import Comment
from comments.policy import Decision
from tests.comments.conftest import anonymous_data, box_text, member_data, soup
from tests.factories import CommentFactory, PostFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policy")]

TRICKY_TEXT = (
    "  Dear Prof G,\n\n<script>alert('x')</script> & “quotes” 🧠 café\n> not a quote yet\n\n"
)


def post_url(post):
    return reverse("comments:post", kwargs={"post_pk": post.pk})


def test_anonymous_comment_is_stored_and_the_writer_lands_on_it(client, post):
    response = client.post(
        post_url(post),
        anonymous_data(url="https://maggie.example.com"),
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="Firefox/140",
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
    assert (comment.author_name, comment.author_email) == ("Maggie", "maggie@example.com")
    assert comment.author_url == "https://maggie.example.com"
    assert comment.user_agent == "Firefox/140"
    assert comment.ip_hash
    assert "203.0.113" not in comment.ip_hash
    assert OWN_COOKIE in response.cookies


def test_signed_in_readers_see_only_the_body_field_and_post_as_themselves(client, post, reader):
    client.force_login(reader)
    form = soup(client.get(post.get_absolute_url())).select_one("#comment-form")
    names = {
        field["name"] for field in form.select("input, textarea") if field.get("type") != "hidden"
    }
    # follow and asks_author: the unticked "Follow this discussion" and "Ask the author" boxes
    assert names == {"body", "follow", "asks_author"}
    client.post(post_url(post), member_data(name="Impostor", email="x@example.com"))
    comment = Comment.objects.get()
    assert comment.user == reader
    assert (comment.author_name, comment.author_email) == ("", "")


def test_the_form_keeps_the_markup_contract(client, post):
    form = soup(client.get(post.get_absolute_url())).select_one("form#comment-form")
    for name in ("name", "email", "url", "body"):
        assert form.select_one(f"[name={name}]") is not None
    assert form.select_one("input[type=hidden][name=parent]") is not None
    assert form.select_one("input[type=hidden][name=submission_key]")["value"]


def test_reply_is_stored_under_its_parent(client, post):
    parent = CommentFactory(post=post)
    client.post(post_url(post), anonymous_data(parent=str(parent.pk), body="I agree."))
    reply = Comment.objects.get(body="I agree.")
    assert reply.parent == parent
    assert reply.tree_id == parent.tree_id


def test_quote_is_plain_markdown_rendered_as_an_attributed_blockquote(client, post):
    parent = CommentFactory(post=post, author_name="Anna", body="Rebound came at 12 weeks.")
    quote = (
        f"> **[Anna](/comments/{parent.pk}/) wrote:**\n> Rebound came at 12 weeks.\n\nSame here."
    )
    client.post(post_url(post), anonymous_data(parent=str(parent.pk), body=quote))
    html = Comment.objects.get(parent=parent).body_html
    fragment = soup_of(html)
    assert fragment.select_one("blockquote a")["href"] == f"/comments/{parent.pk}/"
    assert "Rebound came at 12 weeks." in fragment.select_one("blockquote").text


def soup_of(html):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def test_reply_page_without_javascript_shows_the_comment_and_a_form_that_replies(client, post):
    parent = CommentFactory(post=post, author_name="Anna", body="Original words")
    response = client.get(reverse("comments:reply", kwargs={"pk": parent.pk}))
    page = soup(response)
    assert "Original words" in page.select_one(f"#comment-{parent.pk}").text
    assert page.select_one("#comment-form input[name=parent]")["value"] == str(parent.pk)
    client.post(post_url(post), anonymous_data(parent=str(parent.pk), body="From the reply page"))
    assert Comment.objects.get(body="From the reply page").parent == parent


def test_closed_post_shows_a_note_instead_of_the_form(client):
    post = PostFactory(comments_open=False)
    page = soup(client.get(post.get_absolute_url()))
    assert page.select_one("#comment-form") is None
    assert "closed" in page.select_one(".comment-form__closed").text


def test_the_site_wide_age_limit_closes_the_form_and_refuses_comments(client, settings):
    """Issue 14, defect 5: the post's own rule ignored the age limit the form respected."""
    settings.CHARCOT_BLOG_COMMENTS_CLOSE_AFTER_DAYS = 30
    post = PostFactory(published_at=timezone.now() - timedelta(days=31))
    page = soup(client.get(post.get_absolute_url()))
    assert page.select_one("#comment-form") is None
    assert "closed" in page.select_one(".comment-form__closed").text
    assert client.post(post_url(post), anonymous_data()).status_code == 403
    assert not Comment.objects.exists()


def test_comment_on_a_post_closed_meanwhile_is_refused_and_the_text_kept(client):
    post = PostFactory(comments_close_at=timezone.now() - timedelta(minutes=1))
    response = client.post(post_url(post), anonymous_data(body=TRICKY_TEXT))
    assert response.status_code == 403
    assert (
        "Comments on this post are closed"
        in soup(response).select_one(".comment-form__closed").text
    )
    assert "not published" in soup(response).select_one("[role=alert]").text
    assert box_text(response, "#kept-text") == TRICKY_TEXT
    assert not Comment.objects.exists()


def test_validation_error_keeps_the_text_character_for_character(client, post):
    response = client.post(post_url(post), anonymous_data(email="", body=TRICKY_TEXT))
    assert response.status_code == 400
    assert box_text(response) == TRICKY_TEXT
    assert "still in the box" in soup(response).select_one("[data-status]").text
    assert soup(response).select_one("#comment-form input[name=name]")["value"] == "Maggie"


def test_too_long_comment_is_refused_whole_never_cut(client, post):
    text = "word " * 2001  # 10,005 characters
    response = client.post(post_url(post), anonymous_data(body=text))
    assert response.status_code == 400
    assert box_text(response) == text
    assert soup(response).select_one("#comment-form textarea").get("maxlength") is None


def test_refusal_by_the_moderation_policy_is_explained_and_the_text_kept(client, post, policy):
    policy.decision = Decision(
        status="spam", refused="You are posting too fast; please wait a minute."
    )
    response = client.post(post_url(post), anonymous_data(body=TRICKY_TEXT))
    assert response.status_code == 400
    assert "posting too fast" in soup(response).select_one("[data-status]").text
    assert box_text(response) == TRICKY_TEXT


def test_server_error_while_saving_keeps_the_text(client, post, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("comments.views.comment_create", broken)
    response = client.post(post_url(post), anonymous_data(body=TRICKY_TEXT))
    assert response.status_code == 503
    assert "went wrong on our side" in soup(response).select_one("[data-status]").text
    assert box_text(response) == TRICKY_TEXT


def test_reply_to_a_comment_from_another_post_is_refused_with_the_text_kept(client, post):
    elsewhere = CommentFactory(post=PostFactory())
    response = client.post(
        post_url(post), anonymous_data(parent=str(elsewhere.pk), body=TRICKY_TEXT)
    )
    assert response.status_code == 400
    assert box_text(response) == TRICKY_TEXT


def test_junk_in_hidden_fields_gives_an_error_page_not_a_crash(client, post):
    response = client.post(
        post_url(post),
        anonymous_data(
            parent="abc", submission_key="not-a-uuid", started="forged", body=TRICKY_TEXT
        ),
    )
    assert response.status_code == 400
    assert box_text(response) == TRICKY_TEXT


def test_expired_csrf_token_gives_the_text_back_with_a_fresh_token(post):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(post_url(post), anonymous_data(body=TRICKY_TEXT))
    assert response.status_code == 403
    assert box_text(response) == TRICKY_TEXT
    assert "press Publish again" in soup(response).select_one("[data-status]").text
    token = soup(response).select_one("#comment-form input[name=csrfmiddlewaretoken]")["value"]
    assert token
    assert "csrftoken" in response.cookies
    retried = browser.post(
        post_url(post), {**anonymous_data(body=TRICKY_TEXT), "csrfmiddlewaretoken": token}
    )
    assert retried.status_code == 302
    assert Comment.objects.get().body == TRICKY_TEXT.strip()


def test_csrf_failure_elsewhere_keeps_the_standard_page(post):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(reverse("comments:preview"), {"body": "x"})
    assert response.status_code == 403
    assert b"comment-form" not in response.content


def test_submitting_twice_creates_one_comment(client, post):
    data = anonymous_data()
    first = client.post(post_url(post), data)
    second = client.post(post_url(post), data)
    assert Comment.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_enhanced_post_answers_in_json_on_success_and_on_error(client, post):
    ok = client.post(post_url(post), anonymous_data(), HTTP_ACCEPT="application/json")
    comment = Comment.objects.get()
    assert ok.json()["ok"] is True
    assert ok.json()["url"].endswith(f"#comment-{comment.pk}")
    failed = client.post(
        post_url(post), anonymous_data(email="nope"), HTTP_ACCEPT="application/json"
    )
    assert failed.status_code == 400
    assert failed.json()["ok"] is False
    assert "email" in failed.json()["errors"]


def test_enhanced_post_with_an_expired_token_gets_a_fresh_one_in_json(post):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(post_url(post), anonymous_data(), HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert response.json()["csrf_token"]


def test_honeypot_and_time_to_submit_reach_the_moderation_policy(client, post, policy):
    client.post(post_url(post), anonymous_data(homepage="http://spam.example.com"))
    submission = policy.submissions[-1]
    assert submission.honeypot_filled is True
    assert 29 <= submission.seconds_to_submit < 60
    client.post(post_url(post), anonymous_data(started="forged"))
    assert policy.submissions[-1].seconds_to_submit is None
    assert policy.submissions[-1].honeypot_filled is False


def test_the_policy_decides_on_what_the_form_and_request_say_and_that_is_what_is_stored(
    client, post, policy
):
    parent = CommentFactory(post=post)
    data = anonymous_data(parent=str(parent.pk), url="https://maggie.example.com")
    client.post(post_url(post), data, REMOTE_ADDR="203.0.113.9", HTTP_ACCEPT="application/json")
    submission = policy.submissions[-1]
    assert (submission.post, submission.parent, submission.user) == (post, parent, None)
    assert (submission.author_name, submission.author_email, submission.author_url) == (
        "Maggie",
        "maggie@example.com",
        "https://maggie.example.com",
    )
    assert submission.body == data["body"]
    assert submission.ip_hash == hash_ip("203.0.113.9")
    assert (submission.from_form, submission.enhanced) == (True, True)
    stored = Comment.objects.get(body=data["body"])
    assert (stored.parent, stored.author_name, stored.author_url, stored.ip_hash) == (
        parent,
        "Maggie",
        "https://maggie.example.com",
        submission.ip_hash,
    )


def test_a_members_plain_post_reaches_the_policy_as_theirs_without_name_or_address(
    client, post, reader, policy
):
    client.force_login(reader)
    client.post(post_url(post), member_data(body="Signed in."))
    submission = policy.submissions[-1]
    assert (submission.user, submission.body, submission.enhanced) == (reader, "Signed in.", False)
    assert (submission.author_name, submission.author_email, submission.author_url) == ("", "", "")
    assert Comment.objects.get(body="Signed in.").user == reader


def test_javascript_website_is_refused(client, post):
    response = client.post(
        post_url(post), anonymous_data(url="javascript:alert(1)", body=TRICKY_TEXT)
    )
    assert response.status_code == 400
    assert box_text(response) == TRICKY_TEXT
    assert not Comment.objects.exists()


def test_hostile_body_and_name_are_neutralised(client, post):
    body = "<script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror=alert(3)>"
    client.post(post_url(post), anonymous_data(name="<b onmouseover=alert(4)>Eve</b>", body=body))
    discussion = soup(client.get(post.get_absolute_url())).select_one("#comments")
    assert [tag for tag in discussion.find_all("script") if not tag.get("src")] == []
    assert discussion.find_all("img") == []
    assert discussion.find_all("b") == []
    for tag in discussion.find_all(True):
        assert not [name for name in tag.attrs if name.startswith("on")]
        assert not tag.get("href", "").lower().startswith("javascript")
    assert "<b onmouseover=alert(4)>Eve</b>" in discussion.select_one(".comment__author").text


def test_remember_me_is_opt_in_and_fills_the_form_next_time(client, post):
    client.post(post_url(post), anonymous_data())
    assert REMEMBER_COOKIE not in client.cookies
    client.post(post_url(post), anonymous_data(remember="on", url="https://maggie.example.com"))
    assert REMEMBER_COOKIE in client.cookies
    form = soup(client.get(post.get_absolute_url())).select_one("#comment-form")
    assert form.select_one("input[name=name]")["value"] == "Maggie"
    assert form.select_one("input[name=email]")["value"] == "maggie@example.com"
    assert form.select_one("input[name=remember]").has_attr("checked")
    client.post(post_url(post), anonymous_data())
    assert client.cookies[REMEMBER_COOKIE].value == ""


def test_preview_renders_markdown_with_the_comment_rules(client):
    response = client.post(reverse("comments:preview"), {"body": "**bold** <script>x</script>"})
    html = response.json()["html"]
    assert "<strong>bold</strong>" in html
    assert "<script>" not in html


def test_every_render_of_the_form_gets_a_new_submission_key(client, post):
    keys = {
        soup(client.get(post.get_absolute_url())).select_one("input[name=submission_key]")["value"]
        for _ in range(2)
    }
    assert len(keys) == 2
    assert all(uuid.UUID(key) for key in keys)
