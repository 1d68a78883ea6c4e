"""The admin actions staff use for commenters' export and erasure requests."""

import json

import pytest
from django.contrib.admin import ModelAdmin, site
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from comments.models import Comment
from privacy.admin import erase_commenters, export_commenters
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_request(moderator):
    request = RequestFactory().post("/admin/comments/comment/")
    request.user = moderator
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_export_action_downloads_every_comment_of_the_selected_commenters(post, admin_request):
    jo = CommentFactory(post=post, author_email="jo@example.org", body="One")
    CommentFactory(post=post, author_email="JO@example.org", body="Two")
    CommentFactory(post=post, author_email="other@example.org", body="Not selected")

    response = export_commenters(
        ModelAdmin(Comment, site), admin_request, Comment.objects.filter(pk=jo.pk)
    )

    assert response["Content-Disposition"].startswith("attachment;")
    [export] = json.loads(response.content)
    assert sorted(c["body"] for c in export["comments"]) == ["One", "Two"]


def test_erase_action_anonymises_all_comments_of_the_selected_commenters(post, admin_request):
    jo = CommentFactory(post=post, author_email="jo@example.org")
    other = CommentFactory(post=post, author_email="jo@example.org")
    keep = CommentFactory(post=post, author_email="keep@example.org")

    erase_commenters(ModelAdmin(Comment, site), admin_request, Comment.objects.filter(pk=jo.pk))

    other.refresh_from_db()
    keep.refresh_from_db()
    assert (other.author_name, other.author_email) == ("Anonymous", "")
    assert keep.author_email == "keep@example.org"
    assert "Anonymised 2 comment(s) from 1 commenter(s)." in [
        str(m) for m in admin_request._messages
    ]
