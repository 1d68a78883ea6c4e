from datetime import UTC

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from comments import discussion
from comments.models import Comment
from tests.comments.conftest import anonymous_data, soup
from tests.comments.factories import bulk_discussion
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def ids_in_order(response) -> list[int]:
    return [
        int(a["id"].removeprefix("comment-"))
        for a in soup(response).select("article[id^=comment-]")
    ]


def parent_article_id(response, comment) -> str | None:
    article = soup(response).select_one(f"#comment-{comment.pk}")
    outer = article.find_parent("article")
    return outer["id"] if outer else None


def test_replies_nest_inside_their_parent_in_a_list_oldest_first(client, post):
    first = CommentFactory(post=post)
    second = CommentFactory(post=post)
    reply_one = CommentFactory(post=post, parent=first)
    reply_two = CommentFactory(post=post, parent=first)
    nested = CommentFactory(post=post, parent=reply_one)
    response = client.get(post.get_absolute_url())
    assert ids_in_order(response) == [first.pk, reply_one.pk, nested.pk, reply_two.pk, second.pk]
    assert parent_article_id(response, nested) == f"comment-{reply_one.pk}"
    assert parent_article_id(response, reply_two) == f"comment-{first.pk}"
    assert parent_article_id(response, second) is None
    reply_list = soup(response).select_one(f"#comment-{reply_one.pk}").parent.parent
    assert reply_list.name == "ol"


def test_newest_first_reverses_threads_but_not_replies(client, post):
    first = CommentFactory(post=post)
    second = CommentFactory(post=post)
    reply_one = CommentFactory(post=post, parent=first)
    reply_two = CommentFactory(post=post, parent=first)
    response = client.get(post.get_absolute_url() + "?sort=newest")
    assert ids_in_order(response) == [second.pk, first.pk, reply_one.pk, reply_two.pk]
    sort_links = soup(response).select(".discussion__sort a")
    assert [link["href"] for link in sort_links] == [
        "?sort=oldest#comments",
        "?sort=newest#comments",
    ]


def test_each_comment_shows_its_writer_time_permalink_and_reply_link(client, post, reader):
    comment = CommentFactory(post=post, user=reader, author_name="", author_email="")
    article = soup(client.get(post.get_absolute_url())).select_one(f"#comment-{comment.pk}")
    assert article.select_one("a.comment__author")["href"] == reader.get_absolute_url()
    assert article.select_one(".avatar").text == "AR"
    time = article.select_one("time[datetime]")
    local = timezone.localtime(comment.created_at)
    assert time.text == f"{local:%-d %b %Y, %H:%M}"
    assert time["datetime"] == f"{comment.created_at.astimezone(UTC):%Y-%m-%dT%H:%MZ}"
    assert article.select_one("header time").parent["href"] == f"#comment-{comment.pk}"
    assert article.select_one("a[data-reply]")["href"] == reverse(
        "comments:reply", kwargs={"pk": comment.pk}
    )
    assert article["typeof"] == "Comment"
    assert article.find_parent("ol")["vocab"] == "https://schema.org/"
    assert article.select_one("[property=author] [property=name]").text == reader.public_name
    assert article.select_one("time")["property"] == "dateCreated"
    assert article.select_one("[property=text]").text.strip() == comment.body.strip()


def test_anonymous_websites_are_linked_as_untrusted_and_javascript_urls_are_not(client, post):
    with_site = CommentFactory(post=post, author_url="https://maggie.example.com/")
    hostile = CommentFactory(post=post, author_url="javascript:alert(1)")
    page = soup(client.get(post.get_absolute_url()))
    link = page.select_one(f"#comment-{with_site.pk} a.comment__author")
    assert link["href"] == "https://maggie.example.com/"
    assert link["rel"] == ["nofollow", "ugc", "noopener"]
    assert page.select_one(f"#comment-{hostile.pk} a.comment__author") is None
    assert "javascript:" not in str(page.select_one("#comments"))


def test_post_author_and_moderators_carry_badges(client, post, author, moderator):
    moderator.groups.add(Group.objects.get_or_create(name=roles.MODERATORS)[0])
    by_author = CommentFactory(post=post, user=author)
    by_moderator = CommentFactory(post=post, user=moderator)
    by_reader = CommentFactory(post=post)
    page = soup(client.get(post.get_absolute_url()))
    assert page.select_one(f"#comment-{by_author.pk} .badge--author").text == "Author"
    assert page.select_one(f"#comment-{by_moderator.pk} .badge--moderator").text == "Moderator"
    assert page.select_one(f"#comment-{by_reader.pk} .badge") is None


def test_deep_replies_stop_indenting_and_say_whom_they_answer(client, post):
    parent = CommentFactory(post=post, author_name="Anna")
    chain = [parent]
    for _ in range(7):
        chain.append(
            CommentFactory(post=post, parent=chain[-1], author_name=f"Writer {len(chain)}")
        )
    page = soup(client.get(post.get_absolute_url()))
    deepest = page.select_one(f"#comment-{chain[7].pk}")
    assert "Replying to Writer 6" in deepest.select_one(".comment__context").text
    assert page.select_one(f"#comment-{chain[3].pk} > .comment__context") is None
    assert deepest.find_parent("ol")["class"] == ["replies", "replies--flat"]


def test_removed_and_deleted_comments_with_replies_keep_their_place(client, post):
    removed = CommentFactory(post=post, status=Comment.Status.REMOVED, body="Rude words")
    under_removed = CommentFactory(post=post, parent=removed)
    deleted = CommentFactory(post=post, deleted_at=timezone.now(), body="Second thoughts")
    under_deleted = CommentFactory(post=post, parent=deleted)
    spam_alone = CommentFactory(post=post, status=Comment.Status.SPAM, body="Cheap pills")
    response = client.get(post.get_absolute_url())
    page = soup(response)
    assert "removed by a moderator" in page.select_one(f"#comment-{removed.pk}").text
    assert "deleted by its writer" in page.select_one(f"#comment-{deleted.pk}").text
    assert parent_article_id(response, under_removed) == f"comment-{removed.pk}"
    assert parent_article_id(response, under_deleted) == f"comment-{deleted.pk}"
    assert page.select_one(f"#comment-{spam_alone.pk}") is None
    for hidden_text in ("Rude words", "Second thoughts", "Cheap pills"):
        assert hidden_text not in response.content.decode()


def test_pending_comment_is_shown_to_its_writer_only_with_the_reason(client, post, reader):
    held = CommentFactory(
        post=post,
        user=reader,
        status=Comment.Status.PENDING,
        body="Held for a check",
        public_reason="Comments with more than two links are checked by a moderator.",
    )
    assert "Held for a check" not in client.get(post.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    assert "Held for a check" not in client.get(post.get_absolute_url()).content.decode()
    client.force_login(reader)
    article = soup(client.get(post.get_absolute_url())).select_one(f"#comment-{held.pk}")
    assert "Awaiting moderation" in article.text
    assert "more than two links" in article.text


def test_anonymous_writer_sees_their_own_held_comment_and_others_do_not(client, post, policy):
    from comments.policy import Decision

    policy.decision = Decision(
        status="pending", reason="held", public_reason="First comments are checked."
    )
    response = client.post(
        reverse("comments:post", kwargs={"post_pk": post.pk}),
        anonymous_data(body="My first comment here"),
        follow=True,
    )
    assert "My first comment here" in response.content.decode()
    assert "First comments are checked." in response.content.decode()
    from django.test import Client

    stranger = Client().get(post.get_absolute_url())
    assert "My first comment here" not in stranger.content.decode()


def test_emails_and_ip_hashes_never_reach_the_page_or_the_sidebar(client, post):
    CommentFactory(post=post, author_email="secret.person@example.com", ip_hash="abc123hash")
    CommentFactory(
        post=post,
        status=Comment.Status.PENDING,
        author_email="held.person@example.com",
        body="Pending words",
    )
    for url in (post.get_absolute_url(), reverse("blog:home")):
        html = client.get(url).content.decode()
        assert "secret.person@example.com" not in html
        assert "held.person@example.com" not in html
        assert "abc123hash" not in html
        assert "Pending words" not in html


def test_recent_comments_widget_lists_public_comments_and_links_to_them(client, post):
    shown = CommentFactory(post=post, author_name="Rosa", body="Visible words")
    CommentFactory(post=post, status=Comment.Status.PENDING, body="Held words")
    CommentFactory(post=post, status=Comment.Status.SPAM, body="Spam words")
    CommentFactory(post=PostFactory(draft=True), body="Draft words")
    widget = soup(client.get(reverse("blog:home"))).select_one(".recent-comments")
    assert "Rosa" in widget.text
    assert "Visible words" in widget.text
    assert widget.select_one("a")["href"] == shown.get_absolute_url()
    for hidden in ("Held words", "Spam words", "Draft words"):
        assert hidden not in widget.text


def test_recent_comments_widget_is_refreshed_when_a_comment_is_posted(
    client, post, policy, django_capture_on_commit_callbacks
):
    client.get(reverse("blog:home"))  # fills the cache
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("comments:post", kwargs={"post_pk": post.pk}),
            anonymous_data(name="Newcomer", body="Fresh words"),
        )
    widget = soup(client.get(reverse("blog:home"))).select_one(".recent-comments")
    assert "Fresh words" in widget.text


@override_settings(CHARCOT_COMMENTS_THREADS_PER_PAGE=2)
def test_long_discussions_are_paginated_by_thread_and_permalinks_open_the_right_page(client, post):
    roots = [CommentFactory(post=post) for _ in range(5)]
    reply = CommentFactory(post=post, parent=roots[4])
    page_three = client.get(post.get_absolute_url() + "?page=3")
    assert ids_in_order(page_three) == [roots[4].pk, reply.pk]
    page_one = client.get(post.get_absolute_url())
    assert ids_in_order(page_one) == [roots[0].pk, roots[1].pk]
    response = client.get(reverse("comments:permalink", kwargs={"pk": reply.pk}))
    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}?page=3#comment-{reply.pk}"
    newest = client.get(reverse("comments:permalink", kwargs={"pk": reply.pk}) + "?sort=newest")
    assert newest["Location"] == f"{post.get_absolute_url()}?sort=newest#comment-{reply.pk}"


@override_settings(CHARCOT_COMMENTS_THREADS_PER_PAGE=50, CHARCOT_COMMENTS_COMMENTS_PER_PAGE=4)
def test_a_page_ends_early_when_long_threads_would_make_it_heavy(client, post):
    short = CommentFactory(post=post)
    answer = CommentFactory(post=post, parent=short)
    long = CommentFactory(post=post)
    replies = [CommentFactory(post=post, parent=long) for _ in range(5)]
    last = CommentFactory(post=post)
    url = post.get_absolute_url()
    assert ids_in_order(client.get(url)) == [short.pk, answer.pk]
    # A thread longer than a page is never cut: it gets a page of its own.
    assert ids_in_order(client.get(url + "?page=2")) == [long.pk] + [r.pk for r in replies]
    assert ids_in_order(client.get(url + "?page=3")) == [last.pk]
    response = client.get(reverse("comments:permalink", kwargs={"pk": replies[-1].pk}))
    assert response["Location"] == f"{url}?page=2#comment-{replies[-1].pk}"
    nav = soup(client.get(url + "?page=2")).select_one(".discussion__pages")
    assert "Page 2 of 3" in nav.text


@override_settings(CHARCOT_COMMENTS_THREADS_PER_PAGE=2)
def test_threads_with_nothing_visible_do_not_take_a_place_on_a_page(client, post):
    CommentFactory(post=post, status=Comment.Status.SPAM)
    CommentFactory(post=post, status=Comment.Status.PENDING)
    shown = [CommentFactory(post=post) for _ in range(2)]
    assert ids_in_order(client.get(post.get_absolute_url())) == [c.pk for c in shown]


def test_permalinks_of_hidden_comments_are_not_found(client, post):
    held = CommentFactory(post=post, status=Comment.Status.PENDING)
    assert client.get(reverse("comments:permalink", kwargs={"pk": held.pk})).status_code == 404


def count_post_page_queries(client, post) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


def test_post_page_runs_the_same_queries_for_ten_and_a_thousand_comments(
    client, reader, django_assert_max_num_queries
):
    small, large = PostFactory(), PostFactory()
    bulk_discussion(small, threads=2, seed="small")
    assert 5 <= Comment.objects.filter(post=small).count() <= 20
    bulk_discussion(large, threads=220, seed="large")
    assert Comment.objects.filter(post=large).count() >= 1000
    # The first reader of each fills the caches alike: the sidebar, the post's own part.
    count_post_page_queries(client, small)
    count_post_page_queries(client, large)
    budget = count_post_page_queries(client, small)
    with django_assert_max_num_queries(budget):
        client.get(large.get_absolute_url())
    with django_assert_max_num_queries(budget):
        client.get(large.get_absolute_url() + "?page=3&sort=newest")
    client.force_login(reader)  # per-viewer bits (own comments, edit links) cost no query each
    count_post_page_queries(client, small)
    assert count_post_page_queries(client, large) == count_post_page_queries(client, small)


def test_every_comment_of_a_long_discussion_sits_at_its_depth_in_well_formed_lists(client, post):
    bulk_discussion(post, threads=25, seed="shape")
    page = soup(client.get(post.get_absolute_url()))
    levels = dict(Comment.objects.filter(post=post).values_list("pk", "level"))
    articles = page.select("#comments article[id^=comment-]")
    assert len(articles) >= 100
    for article in articles:
        pk = int(article["id"].removeprefix("comment-"))
        assert len(article.find_parents("article")) == levels[pk]
        assert article.parent.name == "li"
        assert article.parent.parent.name == "ol"
    for listing in page.select("#comments ol"):
        assert {child.name for child in listing.find_all(recursive=False)} <= {"li"}


def test_pinned_threads_come_first_in_either_order(client, post):
    first = CommentFactory(post=post)
    pinned = CommentFactory(post=post, is_pinned=True)
    last = CommentFactory(post=post)
    for sort, expected in (("oldest", [pinned, first, last]), ("newest", [pinned, last, first])):
        page = soup(client.get(f"{post.get_absolute_url()}?sort={sort}"))
        ids = [a["id"] for a in page.select("#comments .comment-list > li > article")]
        assert ids == [f"comment-{c.pk}" for c in expected]


@pytest.mark.parametrize(
    "query",
    ["?page=abc", "?page=-3", "?page=99999", "?page=", "?sort=%3Cscript%3E", "?sort=newest&page=0"],
)
def test_odd_page_and_sort_parameters_still_show_the_discussion(client, post, query):
    comment = CommentFactory(post=post)
    response = client.get(post.get_absolute_url() + query)
    assert response.status_code == 200
    assert soup(response).select_one(f"#comment-{comment.pk}") is not None
    assert "<script>" not in str(soup(response).select_one(".discussion__sort"))


def test_tampered_cookies_are_ignored(client, post):
    held = CommentFactory(post=post, status=Comment.Status.PENDING, body="Not yours")
    client.cookies["charcot_own_comments"] = f"{held.pk}"
    client.cookies["charcot_commenter"] = '{"name": "Forged"}'
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert "Not yours" not in response.content.decode()
    assert soup(response).select_one("#comment-form input[name=name]").get("value") is None


@pytest.mark.parametrize("name", ["comments:permalink", "comments:reply", "comments:edit"])
def test_unknown_comments_are_not_found(client, name):
    assert client.get(reverse(name, kwargs={"pk": 987654})).status_code == 404


def test_comments_show_the_accounts_avatar_or_initials_for_everyone(client, post, reader):
    member = CommentFactory(post=post, user=reader, author_name="")
    anonymous = CommentFactory(post=post, author_name="Rosa Parks")
    page = soup(client.get(post.get_absolute_url()))
    assert page.select_one(f"#comment-{member.pk} span.avatar").text == reader.initials
    assert page.select_one(f"#comment-{anonymous.pk} span.avatar").text == "RP"


def test_a_reply_is_marked_up_as_a_comment_on_the_comment_it_answers(client, post):
    parent = CommentFactory(post=post)
    reply = CommentFactory(post=post, parent=parent)
    page = soup(client.get(post.get_absolute_url()))
    assert page.select_one(f"#comment-{reply.pk}")["property"] == "comment"
    assert page.select_one(f"#comment-{reply.pk}").find_parent("article") == page.select_one(
        f"#comment-{parent.pk}"
    )
    assert page.select_one(f"#comment-{parent.pk}").get("property") is None


def test_a_comment_whose_account_is_deleted_while_the_page_loads_reads_as_anonymous(post, reader):
    comment = CommentFactory(post=post, user=reader, author_name="")
    row = Comment.objects.filter(pk=comment.pk).values_list(*discussion.Node.FIELDS).get()
    node = discussion.Node(row, users={})  # the writers' query no longer finds the account
    assert node.display_name == "Anonymous"
