"""Moderation data never reaches a public page: one hidden item of every kind, every surface."""

import pytest
from django.urls import NoReverseMatch, reverse

from comments.models import Comment
from comments.moderation.services import (
    Action,
    comment_moderate,
    comment_redact,
    commenter_ban,
    report_create,
)
from tests.accounts.factories import make_moderator
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

# Feeds and sitemaps are built by other work; whichever exist are checked too.
OPTIONAL_PUBLIC_URL_NAMES = ["blog:feed", "blog:comments-feed", "comments:feed", "blog:sitemap"]


@pytest.fixture
def hidden(post):
    """One secret of every kind moderation keeps, and the visible comment they sit around."""
    mod = make_moderator()
    member = UserFactory(username="member", email="member-secret@example.org")
    visible = CommentFactory(
        post=post,
        body="Visible comment",
        author_email="visible-secret@example.com",
        ip_hash="0123456789abcdef0123456789abcdef",
        moderation_reason="approved: returning commenter",
    )
    CommentFactory(post=post, user=member, author_name="", author_email="", body="By a member")
    CommentFactory(
        post=post,
        status=Comment.Status.PENDING,
        body="PENDING-SECRET body",
        moderation_reason="held: first comment",
    )
    spam = CommentFactory(post=post, body="SPAM-SECRET body", author_email="spammer@example.com")
    comment_moderate(comment=spam, action=Action.SPAM, moderator=mod, reason="LOG-SECRET reason")
    commenter_ban(comment=spam, moderator=mod, reason="BAN-SECRET")
    removed = CommentFactory(post=post, parent=visible, body="REMOVED-SECRET body")
    comment_moderate(comment=removed, action=Action.REMOVE, moderator=mod)
    redacted = CommentFactory(post=post, body="Patient REDACTED-SECRET improved")
    comment_redact(comment=redacted, moderator=mod, body="Patient [removed] improved")
    report_create(comment=visible, reason="abuse", note="REPORT-SECRET note", ip_hash="9" * 32)
    return {
        "visible": visible,
        "member": member,
        "secrets": [
            "visible-secret@example.com",
            "member-secret@example.org",
            "spammer@example.com",
            "0123456789abcdef0123456789abcdef",
            "9" * 32,
            "PENDING-SECRET",
            "SPAM-SECRET",
            "REMOVED-SECRET",
            "REDACTED-SECRET",
            "REPORT-SECRET",
            "LOG-SECRET",
            "BAN-SECRET",
            "held: first comment",
            "approved: returning commenter",
            "spam: honeypot",
        ],
    }


def public_urls(post, hidden):
    urls = [
        reverse("blog:home"),
        post.get_absolute_url(),
        reverse("blog:category", kwargs={"slug": post.category.slug}),
        hidden["member"].get_absolute_url(),
        reverse("comments:report", args=[hidden["visible"].pk]),
    ]
    for name in OPTIONAL_PUBLIC_URL_NAMES:
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue
    return urls


def test_no_moderation_data_reaches_any_public_page(client, post, hidden):
    for url in public_urls(post, hidden):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for secret in hidden["secrets"]:
            assert secret not in html, f"{secret!r} leaked on {url}"


def test_no_moderation_data_reaches_a_signed_in_reader_either(client, post, hidden, reader):
    client.force_login(reader)
    html = client.get(post.get_absolute_url()).content.decode()
    for secret in hidden["secrets"]:
        assert secret not in html
