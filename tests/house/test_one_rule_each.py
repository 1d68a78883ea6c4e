"""Defects that came from a rule written twice (issue 14), each through a public path."""

import pytest
from django.contrib.admin import site
from django.core import mail
from django.test import RequestFactory, override_settings
from django.urls import reverse

from comments.models import Comment
from tests.comments.conftest import anonymous_data, member_data
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db
PROXY = {"REMOTE_ADDR": "10.0.0.1"}  # nginx, in front of every visitor


@override_settings(CHARCOT_COMMENTS_MODERATION_HOLD="none")
def test_a_members_opt_out_of_comment_mail_also_stops_reply_mail(
    client, post, django_capture_on_commit_callbacks
):
    quiet = UserFactory(username="quiet", notify_on_comments=False)
    client.force_login(quiet)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("comments:post", args=[post.pk]), member_data(body="Mine."))
    mine = Comment.objects.get(user=quiet)
    client.logout()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("comments:post", args=[post.pk]),
            anonymous_data(parent=str(mine.pk), body="An answer to you."),
        )

    assert Comment.objects.get(parent=mine).is_public()
    assert mail.outbox, "the post's author hears of the reply"
    assert [m for m in mail.outbox if quiet.email in m.to] == []


def _sign_in(client, client_ip: str):
    return client.post(
        "/accounts/login/",
        {"username": "someone", "password": "wrong"},
        HTTP_X_FORWARDED_FOR=client_ip,
        **PROXY,
    )


@override_settings(CHARCOT_CLIENT_IP_PROXY_COUNT=1)
def test_behind_the_proxy_one_visitors_failed_sign_ins_do_not_lock_out_the_others(client, reader):
    for _ in range(40):
        _sign_in(client, "203.0.113.7")
    reader.set_password("right-password-123")
    reader.save()

    response = client.post(
        "/accounts/login/",
        {"username": "reader", "password": "right-password-123"},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
        **PROXY,
    )

    assert response.status_code == 302


@override_settings(CHARCOT_CLIENT_IP_PROXY_COUNT=1, CHARCOT_ACCOUNTS_SIGNUPS_PER_IP=2)
def test_behind_the_proxy_sign_ups_are_counted_per_visitor_not_for_the_whole_site(client):
    def sign_up(number, client_ip):
        client.logout()
        return client.post(
            reverse("accounts:signup"),
            {
                "username": f"new{number}",
                "email": f"new{number}@example.org",
                "password1": "a-long-pass-phrase-42",
                "password2": "a-long-pass-phrase-42",
            },
            HTTP_X_FORWARDED_FOR=client_ip,
            **PROXY,
        )

    for number in range(3):
        sign_up(number, "203.0.113.7")
    assert sign_up(9, "198.51.100.20").status_code == 302


def _actions_for(user):
    request = RequestFactory().get("/admin/comments/comment/")
    request.user = user
    return site._registry[Comment].get_actions(request)


def test_the_desk_offers_moderators_both_data_request_actions(moderator):
    actions = _actions_for(moderator)
    assert "erase_commenters" in actions
    assert "export_commenters" in actions


def test_the_desk_offers_authors_no_data_request_actions(author):
    actions = _actions_for(author)
    assert "erase_commenters" not in actions
    assert "export_commenters" not in actions


@pytest.fixture
def page_cache_on(settings):
    settings.CHARCOT_PAGE_CACHE_ENABLED = True


def test_erasing_a_commenter_takes_their_name_off_cached_pages(
    client, admin_client, post, moderator, page_cache_on, django_capture_on_commit_callbacks
):
    comment = CommentFactory(post=post, author_name="Jo Erasable", author_email="jo@example.org")
    assert "Jo Erasable" in client.get(post.get_absolute_url()).content.decode()
    assert client.get(post.get_absolute_url())["X-Page-Cache"] == "hit"

    client_moderator = type(client)()
    client_moderator.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client_moderator.post(
            reverse("admin:comments_comment_changelist"),
            {"action": "erase_commenters", "_selected_action": [comment.pk]},
        )

    assert "Jo Erasable" not in client.get(post.get_absolute_url()).content.decode()


def test_deleting_an_account_takes_its_name_off_cached_pages(
    client, post, page_cache_on, django_capture_on_commit_callbacks
):
    leaving = UserFactory(username="leaving", display_name="Lee Leaving")
    leaving.set_password("a-long-pass-phrase-42")
    leaving.save()
    CommentFactory(post=post, user=leaving)
    assert "Lee Leaving" in client.get(post.get_absolute_url()).content.decode()

    member = type(client)()
    member.force_login(leaving)
    with django_capture_on_commit_callbacks(execute=True):
        member.post(
            reverse("privacy:account-delete"),
            {"password": "a-long-pass-phrase-42", "comments": "keep"},
        )

    assert not type(leaving).objects.filter(pk=leaving.pk).exists()
    assert "Lee Leaving" not in client.get(post.get_absolute_url()).content.decode()


def test_a_new_display_name_replaces_the_old_one_on_cached_pages_at_once(
    client, post, page_cache_on, django_capture_on_commit_callbacks
):
    """Issue 20, item 7: removing a hostile or personal name must be immediate."""
    writer = UserFactory(username="renamer", display_name="Old Name Here")
    CommentFactory(post=post, user=writer)
    assert "Old Name Here" in client.get(post.get_absolute_url()).content.decode()
    assert client.get(post.get_absolute_url())["X-Page-Cache"] == "hit"

    member = type(client)()
    member.force_login(writer)
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(reverse("accounts:me-edit"), {"display_name": "New Name Now"})
    assert response.status_code == 302, response.content.decode()[:2000]

    page = client.get(post.get_absolute_url()).content.decode()
    assert "New Name Now" in page
    assert "Old Name Here" not in page
