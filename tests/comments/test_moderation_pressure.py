"""Issue 17: the posting policy under pressure from bots and impostors, through the form."""

import time

import pytest
from django.urls import reverse

from comments.models import Ban, Comment
from tests.comments.conftest import anonymous_data, soup, started_seconds_ago
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

APPROVED, PENDING, SPAM = Comment.Status.APPROVED, Comment.Status.PENDING, Comment.Status.SPAM
JSON = {"HTTP_ACCEPT": "application/json"}


def post_url(post):
    return reverse("comments:post", kwargs={"post_pk": post.pk})


# --- 6. A missing or forged time stamp counts as too fast ------------------------------------


@pytest.mark.parametrize("started", ["", "forged-stamp", "1700000000.0"])
def test_a_form_without_a_valid_time_stamp_is_treated_as_too_fast(client, post, started):
    client.post(post_url(post), anonymous_data(started=started))
    comment = Comment.objects.get()
    assert comment.status == SPAM
    assert comment.moderation_reason == "spam: too fast (no valid time stamp)"


def test_a_form_with_a_genuine_stamp_is_judged_by_the_other_rules(client, post):
    client.post(post_url(post), anonymous_data())
    assert Comment.objects.get().moderation_reason == "held: first comment"


# --- 7. Rate limits come before any row is written, whatever the verdict ----------------------


@pytest.mark.parametrize(
    "bot",
    [{"homepage": "http://spam.example"}, {"started": ""}],
    ids=["honeypot", "no stamp"],
)
def test_thirty_instant_bot_posts_store_no_more_rows_than_the_rate_limit(
    client, post, bot, settings
):
    settings.CHARCOT_COMMENTS_COMMENT_RATE_LIMITS = [(5, 60)]
    started = time.time()
    for n in range(30):
        client.post(post_url(post), anonymous_data(body=f"Buy pills {n}", **bot))
    windows = int(time.time() // 60) - int(started // 60) + 1  # fixed minute windows crossed
    assert 5 <= Comment.objects.count() <= 5 * windows
    assert not Comment.objects.filter(status=APPROVED).exists()


def test_thirty_instant_posts_with_a_genuine_stamp_store_nothing_and_are_asked_again(
    client, post, settings
):
    settings.CHARCOT_COMMENTS_COMMENT_RATE_LIMITS = [(5, 60)]
    for n in range(30):
        response = client.post(
            post_url(post), anonymous_data(body=f"Buy pills {n}", started=started_seconds_ago(0))
        )
        assert response.status_code in (400, 429)
    assert not Comment.objects.exists()


def test_a_too_fast_plain_post_keeps_the_text_asks_again_and_the_second_press_posts(client, post):
    """Without JavaScript the browser may restore a typed comment (the Back button) and the
    reader press Publish a second after the page loaded: ask again, keep every word."""
    words = "My neurologist said the same about vitamin D."
    response = client.post(
        post_url(post), anonymous_data(body=words, started=started_seconds_ago(1))
    )
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one("textarea[name=body]").text.strip() == words
    assert "press Publish again" in page.text
    assert "received" not in page.text
    assert not Comment.objects.exists()
    again = {
        field["name"]: field.get("value", "")
        for field in page.select("form.comment-form input[name]")
        if field.get("type") not in ("checkbox", "submit")
    }
    again["body"] = words
    again["started"] = started_seconds_ago(30)  # the reader took their time this time
    client.post(post_url(post), again)
    assert Comment.objects.get().body == words


def test_a_too_fast_enhanced_post_is_asked_again_and_nothing_is_stored(client, post):
    response = client.post(post_url(post), anonymous_data(started=started_seconds_ago(1)), **JSON)
    assert response.status_code == 400
    answer = response.json()
    assert answer["ok"] is False
    assert "press Publish again" in answer["message"]
    assert "received" not in answer["message"]
    assert not Comment.objects.exists()


# --- A spam verdict without JavaScript: the honest message, on the page it lands on -----------


def test_a_spam_verdict_without_javascript_lands_on_the_post_with_no_missing_anchor(client, post):
    response = client.post(post_url(post), anonymous_data(homepage="http://spam.example"))
    assert Comment.objects.get().status == SPAM
    assert response.status_code == 302
    location = response["Location"]
    page = client.get(location)
    assert page.status_code == 200
    path, _, anchor = location.partition("#")
    assert path == post.get_absolute_url()
    if anchor:  # an anchor, if any, must be on the page the reader lands on
        assert soup(page).find(id=anchor) is not None, f"#{anchor} is not on the page"
    shown = soup(page).select_one(".messages").get_text(" ", strip=True)
    assert shown == "Your comment was not published."
    assert "received" not in shown
    assert "Thank you" not in shown


# --- 16. A returning commenter is the same address under the same name ------------------------


def test_a_known_address_under_another_name_is_held_as_a_first_comment(client, post):
    CommentFactory(post=post, author_name="Maggie", author_email="maggie@example.com")
    client.post(post_url(post), anonymous_data(name="Impostor", body="Trust me, buy this."))
    assert Comment.objects.get(author_name="Impostor").moderation_reason == "held: first comment"


def test_the_same_address_and_name_is_published_as_a_returning_commenter(client, post):
    CommentFactory(post=post, author_name="maggie", author_email="Maggie@example.com")
    client.post(post_url(post), anonymous_data(name="Maggie", body="Me again."))
    comment = Comment.objects.get(body="Me again.")
    assert (comment.status, comment.moderation_reason) == (
        APPROVED,
        "approved: returning commenter",
    )


def test_an_approved_member_comment_does_not_vouch_for_an_anonymous_form_with_that_address(
    client, post, reader
):
    CommentFactory(post=post, user=reader, author_name="", author_email="")
    reader.email = "maggie@example.com"
    reader.save()
    client.post(post_url(post), anonymous_data(name=reader.public_name, body="Hello"))
    assert Comment.objects.get(body="Hello").status == PENDING


# --- 15. "@domain" bans match -------------------------------------------------------------------


def test_an_at_domain_ban_catches_every_address_at_that_domain(client, post):
    Ban.objects.create(kind=Ban.Kind.EMAIL, value="@spam.example")
    client.post(post_url(post), anonymous_data(email="anyone@SPAM.example"))
    comment = Comment.objects.get()
    assert (comment.status, comment.moderation_reason) == (SPAM, "spam: banned email")
