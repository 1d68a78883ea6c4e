from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from tests.comments.conftest import box_text, soup
from tests.factories import CommentFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policy")]


def edit_url(comment):
    return reverse("comments:edit", kwargs={"pk": comment.pk})


def delete_url(comment):
    return reverse("comments:delete", kwargs={"pk": comment.pk})


def test_writer_edits_their_comment_within_fifteen_minutes_and_it_shows_edited(
    client, post, reader
):
    comment = CommentFactory(post=post, user=reader, body="Typo hree")
    client.force_login(reader)
    assert soup(client.get(post.get_absolute_url())).select_one(
        f"#comment-{comment.pk} a[href='{edit_url(comment)}']"
    )
    response = client.post(edit_url(comment), {"body": "Typo *here*"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Typo *here*"
    assert "<em>here</em>" in comment.body_html
    assert comment.edited_at is not None
    article = soup(client.get(post.get_absolute_url())).select_one(f"#comment-{comment.pk}")
    assert article.select_one(".comment__edited").text == "edited"


def test_edit_after_the_window_is_refused_and_the_text_kept(client, post, reader):
    comment = CommentFactory(post=post, user=reader, body="Old")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    client.force_login(reader)
    response = client.post(edit_url(comment), {"body": "New words I typed"})
    assert response.status_code == 403
    assert "time for editing" in response.content.decode()
    assert box_text(response, "#kept-text") == "New words I typed"
    comment.refresh_from_db()
    assert comment.body == "Old"


def test_comment_with_a_reply_can_no_longer_be_edited(client, post, reader):
    comment = CommentFactory(post=post, user=reader, body="Old")
    CommentFactory(post=post, parent=comment)
    client.force_login(reader)
    page = soup(client.get(post.get_absolute_url()))
    assert page.select_one(f"#comment-{comment.pk} a[href='{edit_url(comment)}']") is None
    response = client.post(edit_url(comment), {"body": "New"})
    assert response.status_code == 403
    assert "already replied" in response.content.decode()


def test_nobody_else_can_edit_or_delete_a_comment(client, post, reader):
    comment = CommentFactory(post=post, user=reader)
    client.force_login(UserFactory())
    assert client.post(edit_url(comment), {"body": "Hijack"}).status_code == 404
    assert client.post(delete_url(comment)).status_code == 404
    client.logout()
    assert client.post(edit_url(comment), {"body": "Hijack"}).status_code == 404
    assert Comment.objects.get(pk=comment.pk).body != "Hijack"


def test_empty_edit_keeps_the_comment_and_explains(client, post, reader):
    comment = CommentFactory(post=post, user=reader, body="Keep me")
    client.force_login(reader)
    response = client.post(edit_url(comment), {"body": "   "})
    assert response.status_code == 400
    assert Comment.objects.get(pk=comment.pk).body == "Keep me"


def test_deleting_a_comment_without_replies_removes_it(client, post, reader):
    comment = CommentFactory(post=post, user=reader)
    other = CommentFactory(post=post)
    client.force_login(reader)
    response = client.post(delete_url(comment))
    assert response.status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert soup(client.get(post.get_absolute_url())).select_one(f"#comment-{comment.pk}") is None
    assert Comment.objects.filter(pk=other.pk).exists()


def test_deleting_a_comment_with_replies_leaves_a_placeholder_above_them(client, post, reader):
    comment = CommentFactory(post=post, user=reader, body="My private story")
    reply = CommentFactory(post=post, parent=comment)
    client.force_login(reader)
    client.post(delete_url(comment))
    client.logout()
    response = client.get(post.get_absolute_url())
    article = soup(response).select_one(f"#comment-{comment.pk}")
    assert "Comment deleted" in article.text
    assert article.select_one(f"#comment-{reply.pk}") is not None
    assert "My private story" not in response.content.decode()


def test_delete_page_asks_first(client, post, reader):
    comment = CommentFactory(post=post, user=reader)
    client.force_login(reader)
    response = client.get(delete_url(comment))
    assert response.status_code == 200
    assert Comment.objects.filter(pk=comment.pk).exists()
