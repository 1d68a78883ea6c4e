"""Characters XML cannot carry are dropped where forms read them: one U+FFFE in a comment
or a display name used to make the site's RSS and Atom feeds unparsable."""

import uuid

import feedparser
import pytest
from django.urls import reverse

from comments.models import Comment
from tests.comments.conftest import anonymous_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policy")]

XML_INVALID = ["\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\x0b", "\x1b", "\x00", "\x85"]
JUNK = "".join(XML_INVALID)
NON_CHARACTERS = "\ufffe\uffff"  # no null: Django's own validator refuses a null outright


def feed_urls(post):
    return [
        reverse("blog:feed-rss"),
        reverse("blog:feed-atom"),
        reverse("blog:category-feed-rss", kwargs={"slug": post.category.slug}),
        reverse("blog:category-feed-atom", kwargs={"slug": post.category.slug}),
        reverse("blog:author-feed-rss", kwargs={"slug": post.author.slug}),
        reverse("blog:author-feed-atom", kwargs={"slug": post.author.slug}),
        reverse("comments:feed-rss"),
        reverse("comments:feed-atom"),
        reverse("comments:post-feed-rss", kwargs={"post_pk": post.pk}),
        reverse("comments:post-feed-atom", kwargs={"post_pk": post.pk}),
    ]


def assert_feeds_parse(client, post):
    for url in feed_urls(post):
        response = client.get(url)
        assert response.status_code == 200, url
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (url, feed.get("bozo_exception"))
        assert feed.entries, url


def test_a_comment_and_a_display_name_with_xml_invalid_characters_leave_every_feed_valid(
    client, post, author
):
    client.force_login(author)
    response = client.post(
        reverse("accounts:me-edit"),
        {"display_name": f"Prof{NON_CHARACTERS} G", "bio": f"Bio{NON_CHARACTERS}"},
    )
    assert response.status_code == 302
    author.refresh_from_db()
    assert author.display_name == "Prof G"
    client.logout()
    client.post(
        reverse("comments:post", kwargs={"post_pk": post.pk}),
        anonymous_data(name=f"Ma{NON_CHARACTERS}ggie", body=f"Rebound{JUNK} at 12 weeks."),
    )
    comment = Comment.objects.get()
    assert (comment.author_name, comment.body) == ("Maggie", "Rebound at 12 weeks.")
    assert_feeds_parse(client, post)


def test_a_members_comment_and_edit_lose_only_the_invalid_characters(client, post, reader):
    client.force_login(reader)
    client.post(
        reverse("comments:post", kwargs={"post_pk": post.pk}),
        {"body": f"First{JUNK}\tline\r\nsecond", "submission_key": str(uuid.uuid4())},
    )
    comment = Comment.objects.get()
    assert comment.body == "First\tline\r\nsecond"
    client.post(reverse("comments:edit", kwargs={"pk": comment.pk}), {"body": f"Fixed{JUNK}."})
    comment.refresh_from_db()
    assert comment.body == "Fixed."
    assert_feeds_parse(client, post)


def test_sign_up_drops_xml_invalid_characters_from_names(client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "maggie",
            "email": "maggie@example.com",
            "display_name": f"Maggie{JUNK} R",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
    )
    assert response.status_code == 302
    from accounts.models import User

    assert User.objects.get(username="maggie").display_name == "Maggie R"


def test_a_report_note_loses_xml_invalid_characters(client, post):
    from tests.factories import CommentFactory

    comment = CommentFactory(post=post)
    client.post(
        reverse("comments:report", kwargs={"pk": comment.pk}),
        {"reason": "spam", "note": f"Looks{JUNK} wrong"},
    )
    assert comment.reports.get().note == "Looks wrong"
