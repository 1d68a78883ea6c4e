"""Stored comment fragments (comments.fragments): each comment's article is rendered once and
stored, and no change to what it shows can leave a reader looking at the old one.

Each cause of change is made, then the post is read as an anonymous reader, a signed-in
reader and a moderator. Some changes go through the site's own paths (which also store the
new fragment); others go behind its back, straight to the database, to show that a page
never trusts a fragment whose key no longer matches what it shows.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import User
from accounts.services import user_set_roles
from comments.models import Comment
from comments.moderation.services import comment_moderate, comment_redact
from privacy.services import commenter_erase
from tests.comments.conftest import soup
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def readers(client, reader, moderator):
    """Read a post's page as each kind of viewer; returns the three pages' soups."""
    from django.test import Client

    def read(post):
        pages = {"anonymous": soup(Client().get(post.get_absolute_url()))}
        for name, person in (("signed in", reader), ("moderator", moderator)):
            viewer = Client()
            viewer.force_login(person)
            pages[name] = soup(viewer.get(post.get_absolute_url()))
        return pages

    return read


def article_text(page, comment) -> str:
    article = page.select_one(f"#comment-{comment.pk}")
    return article.get_text(" ", strip=True) if article is not None else ""


def test_a_saved_comment_stores_its_article_and_the_page_shows_it(client, post):
    writer = UserFactory(display_name="Grace Stored")
    comment = CommentFactory(post=post, user=writer, body="Stored *once*.")
    comment.refresh_from_db()
    assert "Grace Stored" in comment.html
    assert "<em>once</em>" in comment.html
    assert comment.html_key
    article = soup(client.get(post.get_absolute_url())).select_one(f"#comment-{comment.pk}")
    assert article.select_one(".comment__author").text == "Grace Stored"
    assert article.select_one(f"a[href='#comment-{comment.pk}'] time")


def test_a_new_display_name_shows_on_every_comment_for_every_reader(
    client, post, readers, django_capture_on_commit_callbacks
):
    writer = UserFactory(username="renaming", display_name="Old Name")
    comment = CommentFactory(post=post, user=writer)
    client.force_login(writer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:me-edit"), {"display_name": "New Name"})
    for page in readers(post).values():
        assert "New Name" in article_text(page, comment)
        assert "Old Name" not in article_text(page, comment)
    comment.refresh_from_db()
    assert "New Name" in comment.html  # re-rendered and stored by the task


def test_a_name_changed_behind_the_sites_back_is_still_never_shown_stale(post, readers):
    writer = UserFactory(display_name="Before Rename")
    comment = CommentFactory(post=post, user=writer)
    User.objects.filter(pk=writer.pk).update(display_name="After Rename")  # no signal, no task
    for page in readers(post).values():
        assert "After Rename" in article_text(page, comment)
        assert "Before Rename" not in article_text(page, comment)


def test_a_new_avatar_replaces_the_initials(client, post, readers):
    from tests.accounts.conftest import image_upload

    writer = UserFactory(username="pictured", display_name="Pia Picture")
    comment = CommentFactory(post=post, user=writer)
    for page in readers(post).values():
        assert page.select_one(f"#comment-{comment.pk} span.avatar").text == "PP"
    client.force_login(writer)
    client.post(
        reverse("accounts:me-edit"), {"display_name": "Pia Picture", "avatar": image_upload()}
    )
    writer.refresh_from_db()
    assert writer.avatar_small
    for page in readers(post).values():
        image = page.select_one(f"#comment-{comment.pk} img.avatar")
        assert image is not None
        assert image["src"] == writer.avatar_small.url


def test_a_new_role_brings_the_moderator_badge_and_losing_it_takes_it_away(post, readers):
    writer = UserFactory(display_name="Rita Role")
    comment = CommentFactory(post=post, user=writer)
    user_set_roles(user=writer, role_names=[roles.MODERATORS])
    for page in readers(post).values():
        assert page.select_one(f"#comment-{comment.pk} .badge--moderator")
    # Behind the site's back too: a group removed straight from the database.
    writer.groups.through.objects.filter(user=writer).delete()
    for page in readers(post).values():
        assert not page.select_one(f"#comment-{comment.pk} .badge--moderator")
    Group.objects.get(name=roles.MODERATORS).user_set.add(writer)
    for page in readers(post).values():
        assert page.select_one(f"#comment-{comment.pk} .badge--moderator")


def test_an_edit_shows_the_new_text_and_the_edited_mark(client, post, reader, readers):
    comment = CommentFactory(post=post, user=reader, body="Frist version")
    client.force_login(reader)
    client.post(reverse("comments:edit", kwargs={"pk": comment.pk}), {"body": "First version"})
    for page in readers(post).values():
        assert "First version" in article_text(page, comment)
        assert page.select_one(f"#comment-{comment.pk} .comment__edited")


def test_a_text_changed_behind_the_sites_back_is_never_shown_stale(post, readers):
    comment = CommentFactory(post=post, body="Original words")
    Comment.objects.filter(pk=comment.pk).update(body_html="<p>Replaced words</p>")
    for page in readers(post).values():
        assert "Replaced words" in article_text(page, comment)
        assert "Original words" not in article_text(page, comment)


def test_moderation_decisions_hide_and_restore_the_comment(post, moderator, readers):
    comment = CommentFactory(post=post, body="Buy cheap pills")
    comment_moderate(comment=comment, action="spam", moderator=moderator)
    for page in readers(post).values():
        assert "Buy cheap pills" not in page.text
    comment_moderate(comment=comment, action="approve", moderator=moderator)
    for page in readers(post).values():
        assert "Buy cheap pills" in article_text(page, comment)


def test_pinning_labels_the_thread_and_unpinning_takes_the_label_away(post, moderator, readers):
    first, second = CommentFactory(post=post), CommentFactory(post=post)
    comment_moderate(comment=first, action="pin", moderator=moderator)
    for page in readers(post).values():
        assert page.select_one(f"#comment-{first.pk} .badge--pinned")
    comment_moderate(comment=second, action="pin", moderator=moderator)  # moves the pin
    for page in readers(post).values():
        assert not page.select_one(f"#comment-{first.pk} .badge--pinned")
        assert page.select_one(f"#comment-{second.pk} .badge--pinned")


def test_a_redaction_replaces_the_text_with_its_note(post, moderator, readers):
    comment = CommentFactory(post=post, body="Call me on 07700 900123 any time")
    comment_redact(comment=comment, moderator=moderator, body="Call me any time")
    for page in readers(post).values():
        text = article_text(page, comment)
        assert "07700" not in text
        assert "Edited by a moderator" in text
    comment.refresh_from_db()
    assert "07700" not in comment.html


def test_an_erased_commenter_leaves_no_name_on_any_page(
    post, moderator, readers, django_capture_on_commit_callbacks
):
    comment = CommentFactory(
        post=post, author_name="Erin Erasable", author_email="erin@example.com",
        author_url="https://erin.example",
    )  # fmt: skip
    for page in readers(post).values():
        assert "Erin Erasable" in article_text(page, comment)
    with django_capture_on_commit_callbacks(execute=True):  # the sidebar is forgotten on commit
        commenter_erase(email="erin@example.com", by=moderator)
    for page in readers(post).values():
        assert "Erin Erasable" not in page.text
        assert "erin.example" not in str(page)
    comment.refresh_from_db()
    assert "Erin Erasable" not in comment.html


def test_the_post_author_badge_follows_the_posts_author(post, author, readers):
    comment = CommentFactory(post=post, user=author)
    for page in readers(post).values():
        assert page.select_one(f"#comment-{comment.pk} .badge--author")
    post.author = UserFactory()
    post.save()
    for page in readers(post).values():
        assert not page.select_one(f"#comment-{comment.pk} .badge--author")


def test_the_render_command_stores_what_bulk_loads_left_out(post):
    from django.core.management import call_command

    comment = CommentFactory(post=post, body="Loaded in bulk")
    Comment.objects.filter(pk=comment.pk).update(html="", html_key="", edited_at=timezone.now())
    call_command("comments_render")
    comment.refresh_from_db()
    assert "Loaded in bulk" in comment.html
    assert comment.html_key


def test_the_per_viewer_layer_adds_moderate_links_for_who_may_moderate_only(
    client, post, author, moderator, reader
):
    from tests.factories import PostFactory

    comment = CommentFactory(post=post)
    desk = reverse("admin:comments_comment_change", args=[comment.pk])

    def links_for(person):
        client.logout()
        if person is not None:
            client.force_login(person)
        page = soup(client.get(post.get_absolute_url()))
        return [a["href"] for a in page.select(f"#comment-{comment.pk} .comment__actions a")]

    assert desk in links_for(moderator)
    assert desk in links_for(author)  # the post's own author
    assert desk not in links_for(reader)
    assert desk not in links_for(None)
    other_author = PostFactory().author
    other_author.groups.add(*author.groups.all())
    other_author.is_staff = True
    other_author.save()
    assert desk not in links_for(other_author)


def test_a_held_comment_shown_as_a_placeholder_still_offers_its_moderators_the_desk(
    client, post, author, moderator, reader
):
    """The placeholder a held comment leaves above its replies is the comment that most
    needs a decision: who may moderate it gets the "Moderate" link there too."""
    held = CommentFactory(post=post, status=Comment.Status.PENDING, body="Held words")
    CommentFactory(post=post, parent=held, body="A visible reply")
    desk = reverse("admin:comments_comment_change", args=[held.pk])

    def article_for(person):
        client.logout()
        if person is not None:
            client.force_login(person)
        return soup(client.get(post.get_absolute_url())).select_one(f"#comment-{held.pk}")

    for person in (moderator, author):
        article = article_for(person)
        assert "comment--placeholder" in article["class"]
        assert "Held words" not in article.text
        assert [a["href"] for a in article.select(":scope > .comment__actions a")] == [desk]
    for person in (reader, None):
        article = article_for(person)
        assert "comment--placeholder" in article["class"]
        assert not article.select(f"a[href='{desk}']")


def test_a_control_character_in_an_imported_name_cannot_break_the_article(client, post):
    """Forms drop U+001F; an import or the admin might not. The article stays whole."""
    comment = CommentFactory(post=post, author_name="Imported\x1fName", body="Still whole")
    article = soup(client.get(post.get_absolute_url())).select_one(f"#comment-{comment.pk}")
    assert article.select_one(f"header a[href='#comment-{comment.pk}'] time") is not None
    assert "Still whole" in article.select_one(".comment__body").text
