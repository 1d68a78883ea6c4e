import json

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.files.storage import default_storage

from accounts.models import User
from comments.models import Comment, Report
from privacy.services import AccountDeleteRefused, account_delete
from tests.factories import CommentFactory, PostFactory

from .conftest import image_upload

PASSWORD = "correct horse battery"


def _mine(reader, **kwargs):
    return CommentFactory(user=reader, author_name="", author_email="", **kwargs)


@pytest.fixture
def thread(reader, post):
    """A discussion: someone's comment, the reader's reply, and a reply to the reader."""
    root = CommentFactory(post=post, author_name="Tom", body="Root comment")
    mine = _mine(reader, post=post, parent=root, body="My reply", ip_hash="abc123")
    answer = CommentFactory(post=post, parent=mine, author_name="Priya", body="Answer to Anna")
    lonely = _mine(reader, post=post, body="A comment nobody answered")
    return {"root": root, "mine": mine, "answer": answer, "lonely": lonely}


@pytest.mark.django_db
def test_your_data_downloads_as_json_with_your_profile_comments_and_reports(client, reader, thread):
    reader.bio = "About me"
    reader.save()
    Report.objects.create(
        comment=thread["root"],
        user=reader,
        reporter_key=str(reader.pk),
        reason="spam",
        note="Looks like an ad",
    )
    client.force_login(reader)
    response = client.get("/accounts/me/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="charcot-data-reader.json"'
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["profile"]["username"] == "reader"
    assert data["profile"]["email"] == "reader@example.org"
    assert data["profile"]["bio"] == "About me"
    assert data["profile"]["notify_on_comments"] is True
    bodies = {comment["body"] for comment in data["comments"]}
    assert bodies == {"My reply", "A comment nobody answered"}
    reply = next(c for c in data["comments"] if c["body"] == "My reply")
    assert reply["in_reply_to"] == thread["root"].pk
    assert reply["url"] == thread["mine"].get_absolute_url()
    assert reply["ip_hash"] == "abc123"
    assert reply["asked_the_author"] is False  # the "Ask the author" box, as sent
    assert data["reports"] == [
        {"comment": thread["root"].pk, "reason": "spam", "note": "Looks like an ad",
         "created_at": data["reports"][0]["created_at"]}
    ]  # fmt: skip
    assert "password" not in json.dumps(data)


@pytest.mark.django_db
def test_the_export_holds_only_your_own_data(client, reader, thread):
    other = User.objects.create_user("other", "other@example.org", PASSWORD)
    _mine(other, body="Other person's words")
    client.force_login(reader)
    text = client.get("/accounts/me/export/").content.decode()
    assert "Other person's words" not in text
    assert "other@example.org" not in text


@pytest.mark.django_db
def test_the_export_query_count_does_not_grow_with_comments(
    client, reader, django_assert_max_num_queries
):
    client.force_login(reader)
    _mine(reader)
    # session, user, comments, posts, reports, linked identities, mail subscriptions
    with django_assert_max_num_queries(8):
        client.get("/accounts/me/export/")
    for _ in range(10):
        _mine(reader)
    with django_assert_max_num_queries(8):
        client.get("/accounts/me/export/")


@pytest.mark.django_db
def test_export_and_deletion_need_signing_in(client):
    assert client.get("/accounts/me/export/").status_code == 302
    assert client.post("/accounts/me/delete/", {"password": "x"}).status_code == 302


@pytest.mark.django_db
def test_deleting_your_account_needs_your_password(client, reader):
    client.force_login(reader)
    response = client.post("/accounts/me/delete/", {"password": "wrong", "comments": "keep"})
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert User.objects.filter(pk=reader.pk).exists()


@pytest.mark.django_db
def test_deleting_your_account_keeps_your_comments_as_by_a_former_member(
    client, reader, thread, django_capture_on_commit_callbacks
):
    client.force_login(reader)
    client.post("/accounts/me/edit/", {"display_name": "Anna", "avatar": image_upload()})
    reader.refresh_from_db()
    avatar_files = [reader.avatar_small.name, reader.avatar_large.name]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/me/delete/", {"password": PASSWORD, "comments": "keep"})
    assert response["Location"] == "/"
    assert SESSION_KEY not in client.session
    assert not User.objects.filter(username="reader").exists()
    assert all(not default_storage.exists(name) for name in avatar_files)
    mine = Comment.objects.get(pk=thread["mine"].pk)
    assert mine.user is None
    assert mine.display_name == "former member"
    assert mine.body == "My reply"
    assert (mine.author_email, mine.author_url, mine.ip_hash, mine.user_agent) == ("", "", "", "")
    assert mine.parent_id == thread["root"].pk
    assert Comment.objects.get(pk=thread["answer"].pk).parent_id == mine.pk


@pytest.mark.django_db
def test_removing_your_comments_keeps_answered_ones_as_placeholders_and_deletes_the_rest(
    reader, thread
):
    account_delete(user=reader, remove_comments=True)
    assert not Comment.objects.filter(pk=thread["lonely"].pk).exists()
    mine = Comment.objects.get(pk=thread["mine"].pk)
    assert mine.status == Comment.Status.REMOVED
    assert mine.body == ""
    assert mine.body_html == ""
    assert mine.deleted_at is not None
    assert mine.user is None
    assert mine.display_name == "former member"
    answer = Comment.objects.get(pk=thread["answer"].pk)
    assert answer.parent_id == mine.pk
    assert answer.body == "Answer to Anna"
    # The tree is still consistent: the reply sits under the placeholder under the root.
    root = Comment.objects.get(pk=thread["root"].pk)
    assert list(
        Comment.objects.filter(tree_id=root.tree_id).order_by("lft").values_list("pk", flat=True)
    ) == [root.pk, mine.pk, answer.pk]
    assert root.rght - root.lft == 5


@pytest.mark.django_db
def test_your_own_reply_chain_without_other_voices_is_removed_entirely(reader, post):
    first = _mine(reader, post=post, body="First")
    second = _mine(reader, post=post, parent=first, body="Second")
    account_delete(user=reader, remove_comments=True)
    assert not Comment.objects.filter(pk__in=[first.pk, second.pk]).exists()


@pytest.mark.django_db
def test_an_account_that_signs_posts_cannot_be_deleted_by_its_owner(client, author_role):
    PostFactory(author=author_role)
    with pytest.raises(AccountDeleteRefused):
        account_delete(user=author_role, remove_comments=False)
    client.force_login(author_role)
    page = client.get("/accounts/me/delete/")
    assert "Ask an editor to reassign them" in page.content.decode()
    response = client.post("/accounts/me/delete/", {"password": PASSWORD, "comments": "keep"})
    assert response.status_code == 200
    assert "reassign" in " ".join(response.context["form"].non_field_errors())
    assert User.objects.filter(pk=author_role.pk).exists()


@pytest.mark.django_db
def test_a_deleted_members_name_and_email_appear_nowhere_on_the_post(client, reader, thread):
    reader.display_name = "Anna Unique-Name"
    reader.save()
    account_delete(user=reader, remove_comments=False)
    page = client.get(thread["root"].post.get_absolute_url()).content.decode()
    assert "Anna Unique-Name" not in page
    assert "reader@example.org" not in page


@pytest.mark.django_db
def test_removing_your_comments_also_clears_their_text_from_the_moderation_log(reader, thread):
    from comments.models import ModerationLog

    entry = ModerationLog.objects.create(
        comment=thread["mine"], action="redact", original_body="My unredacted words"
    )
    account_delete(user=reader, remove_comments=True)
    entry.refresh_from_db()
    assert entry.original_body == ""


@pytest.mark.django_db
def test_your_pages_are_never_cached(client, reader):
    client.force_login(reader)
    for url in (
        "/accounts/me/",
        "/accounts/me/edit/",
        "/accounts/me/export/",
        "/accounts/me/delete/",
    ):
        assert "no-store" in client.get(url)["Cache-Control"]


@pytest.mark.django_db
def test_changing_your_email_needs_your_password_and_tells_the_old_address(
    client, reader, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.force_login(reader)
    wrong = client.post("/accounts/me/email/", {"email": "new@example.org", "password": "nope"})
    assert "password" in wrong.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/me/email/", {"email": "new@example.org", "password": PASSWORD}
        )
    assert response["Location"] == "/accounts/me/"
    reader.refresh_from_db()
    assert reader.email == "new@example.org"
    assert [message.to for message in mail.outbox] == [["reader@example.org"]]
    assert "new@example.org" in mail.outbox[0].body


@pytest.mark.django_db
def test_you_cannot_take_an_email_another_account_uses(client, reader):
    User.objects.create_user("other", "Other@Example.org", PASSWORD)
    client.force_login(reader)
    response = client.post(
        "/accounts/me/email/", {"email": "other@example.org", "password": PASSWORD}
    )
    assert "email" in response.context["form"].errors
    reader.refresh_from_db()
    assert reader.email == "reader@example.org"


@pytest.mark.django_db
def test_an_authors_export_lists_their_posts_with_links_only_to_published_ones(client, author):
    published = PostFactory(author=author, title="Out there")
    PostFactory(author=author, title="Still a draft", draft=True)
    client.force_login(author)
    posts = json.loads(client.get("/accounts/me/export/").content)["posts"]
    assert [(p["title"], p["url"]) for p in posts] == [
        ("Out there", published.get_absolute_url()),
        ("Still a draft", None),
    ]
