"""import_blogger: both Blogger export formats come in with their threads and old links."""

import tracemalloc

import pytest
from django.test import Client

from blog.models import Post
from comments.models import Comment
from importers.blogger import BloggerReader
from importers.records import SourcePost

from .builders import blogger_classic, blogger_new
from .conftest import page, thread_shape

pytestmark = pytest.mark.django_db

AUTHOR_URI = "https://www.blogger.com/profile/1"


def classic():
    posts = [
        {"id": 1, "title": "Vitamin D &amp; MS", "published": "2011-05-12T10:00:00.000-07:00",
         "path": "/2011/05/vitamin-d.html", "content": "<p>Sunlight <b>matters</b>.</p>",
         "labels": ["vitamins", "ms"]},
        {"id": 2, "title": "Unfinished", "published": "2011-06-01T10:00:00.000Z",
         "path": "/2011/06/unfinished.html", "content": "Draft", "draft": True},
        {"id": 3, "title": "About", "published": "2011-06-01T10:00:00.000Z", "kind": "page",
         "path": "/p/about.html", "content": "About me"},
    ]  # fmt: skip
    comments = [
        {"id": 11, "post": 1, "published": "2011-05-13T08:00:00.123Z", "content": "First!"},
        {"id": 12, "post": 1, "parent": 11, "published": "2011-05-13T09:00:00.000Z",
         "content": "Thanks", "author": "Prof G", "uri": AUTHOR_URI},
        {"id": 13, "post": 1, "published": "2011-05-14T08:00:00.000Z", "content": "Second thread"},
    ]  # fmt: skip
    return blogger_classic(posts=posts, comments=comments)


def test_a_classic_export_brings_posts_labels_and_threads(run_import):
    result = run_import(classic(), command="import_blogger")
    assert "2  posts imported" in result
    assert "1  pages skipped" in result
    post = Post.objects.get(slug="vitamin-d")
    assert post.title == "Vitamin D & MS"
    assert sorted(post.tags.values_list("name", flat=True)) == ["ms", "vitamins"]
    assert post.published_at.isoformat() == "2011-05-12T17:00:00+00:00"
    response = Client().get(post.get_absolute_url())
    assert thread_shape(response) == [(0, "First!"), (1, "Thanks"), (0, "Second thread")]
    soup = page(response)
    badged = soup.select(".badge--author")
    assert len(badged) == 1
    assert "Thanks" in badged[0].find_parent("article").get_text()


def test_a_newer_backup_of_the_same_blog_adds_only_the_comments_written_since(run_import):
    run_import(classic(), command="import_blogger")
    posts = [{"id": 1, "title": "Vitamin D", "published": "2011-05-12T10:00:00.000-07:00",
              "path": "/2011/05/vitamin-d.html", "content": "<p>Sunlight.</p>"}]  # fmt: skip
    comments = [
        {"id": 11, "post": 1, "published": "2011-05-13T08:00:00.123Z", "content": "First!"},
        {"id": 14, "post": 1, "parent": 11, "published": "2012-01-01T08:00:00.000Z",
         "content": "A year later"},
        {"id": 12, "post": 1, "parent": 11, "published": "2011-05-13T09:00:00.000Z",
         "content": "Thanks", "author": "Prof G", "uri": AUTHOR_URI},
        {"id": 13, "post": 1, "published": "2011-05-14T08:00:00.000Z", "content": "Second thread"},
    ]  # fmt: skip

    again = run_import(blogger_classic(posts=posts, comments=comments), command="import_blogger")

    assert "3  comments already imported" in again
    assert "1  comments added to posts imported before" in again
    response = Client().get(Post.objects.get(slug="vitamin-d").get_absolute_url())
    assert thread_shape(response) == [
        (0, "First!"), (1, "Thanks"), (1, "A year later"), (0, "Second thread"),
    ]  # fmt: skip


def test_classic_drafts_stay_unpublished(run_import):
    run_import(classic(), command="import_blogger")
    assert Post.objects.get(slug="unfinished").status == "draft"
    assert Client().get("/2011/06/unfinished/").status_code == 404


def test_old_blogger_links_and_show_comment_links_redirect(run_import):
    run_import(classic(), command="import_blogger")
    post = Post.objects.get(slug="vitamin-d")
    client = Client()
    response = client.get("/2011/05/vitamin-d.html")
    assert (response.status_code, response["Location"]) == (301, post.get_absolute_url())
    first = Comment.objects.get(body="First!")
    response = client.get("/2011/05/vitamin-d.html", {"showComment": "1305273600123"})
    assert (response.status_code, response["Location"]) == (301, first.get_absolute_url())


def test_the_newer_export_with_types_statuses_and_parents(run_import):
    entries = [
        {"id": 1, "type": "POST", "title": "New format", "published": "2020-02-02T10:00:00Z",
         "filename": "/2020/02/new-format.html", "content": "<p>Body</p>", "author": "Prof G", "uri": AUTHOR_URI},
        {"id": 11, "type": "COMMENT", "parent": 1, "published": "2020-02-03T10:00:00Z", "content": "Live one"},
        {"id": 12, "type": "COMMENT", "parent": 11, "published": "2020-02-03T11:00:00Z",
         "content": "Reply by author", "author": "Prof G", "uri": AUTHOR_URI},
        {"id": 13, "type": "COMMENT", "parent": 1, "status": "PENDING", "published": "2020-02-04T10:00:00Z", "content": "Waiting"},
        {"id": 14, "type": "COMMENT", "parent": 1, "status": "SPAM_COMMENT", "published": "2020-02-04T11:00:00Z", "content": "Buy"},
        {"id": 15, "type": "COMMENT", "parent": 1, "status": "DELETED", "published": "2020-02-04T12:00:00Z", "content": "Gone"},
        {"id": 2, "type": "POST", "status": "DRAFT", "title": "Draft", "published": "2020-02-05T10:00:00Z", "content": "x"},
        {"id": 3, "type": "PAGE", "title": "A page", "published": "2020-02-05T10:00:00Z", "content": "x"},
    ]  # fmt: skip
    result = run_import(blogger_new(entries=entries), command="import_blogger")
    post = Post.objects.get(slug="new-format")
    response = Client().get(post.get_absolute_url())
    assert thread_shape(response) == [(0, "Live one"), (1, "Reply by author")]
    assert page(response).select_one(".badge--author")
    assert dict(Comment.objects.values_list("body", "status")) == {
        "Live one": "approved", "Reply by author": "approved", "Waiting": "pending",
        "Buy": "spam", "Gone": "removed",
    }  # fmt: skip
    assert Post.objects.get(title="Draft").status == "draft"
    assert "1  pages skipped" in result


def test_a_comment_on_a_post_not_in_the_file_is_named_in_the_report(run_import):
    entries = [
        {
            "id": 11,
            "type": "COMMENT",
            "parent": 99,
            "published": "2020-02-03T10:00:00Z",
            "content": "Lost",
        }
    ]
    result = run_import(blogger_new(entries=entries), command="import_blogger")
    assert "Comment 11 belongs to post 99, which is not in the file" in result


def test_a_wordpress_file_given_to_the_blogger_import_is_refused_by_its_root(run_import):
    result = run_import(b"<rss><channel/></rss>", command="import_blogger")
    assert "expected <feed>" in result.error


def test_importing_the_same_backup_twice_changes_nothing(run_import):
    run_import(classic(), command="import_blogger")
    again = run_import(classic(), command="import_blogger")
    assert "2  posts already imported" in again
    assert Comment.objects.count() == 3


def test_an_old_link_with_a_non_ascii_number_goes_to_the_post_not_a_server_error(run_import):
    """str.isdigit() says yes to "²", int() says no: the rule is charcot.validation's."""
    run_import(classic(), command="import_blogger")
    post = Post.objects.get(slug="vitamin-d")
    for number in ("²", "①", "١٢"):
        response = Client().get("/2011/05/vitamin-d.html", {"showComment": number})
        assert (response.status_code, response["Location"]) == (301, post.get_absolute_url())


def test_a_large_classic_export_is_read_one_post_at_a_time_in_bounded_memory(tmp_path):
    """Comments come after every post in a classic export: the reader must not keep them
    (or the posts) in memory until the end. 8 MB of comment text; the peak of what Python
    allocates while reading stays far below it."""
    posts = [
        {"id": n, "title": f"Post {n}", "published": "2011-05-12T10:00:00.000Z",
         "path": f"/2011/05/post-{n}.html", "content": "<p>Body</p>"}
        for n in range(1, 101)
    ]  # fmt: skip
    comments = [
        {"id": 1000 + n, "post": 1 + n % 100, "published": "2011-05-13T08:00:00.000Z",
         "content": f"Comment {n} " + "words " * 700}
        for n in range(2000)
    ]  # fmt: skip
    export = tmp_path / "blog.xml"
    export.write_bytes(blogger_classic(posts=posts, comments=comments))
    seen = 0
    with export.open("rb") as stream:
        tracemalloc.start()
        try:
            for record in BloggerReader(stream).records():
                if isinstance(record, SourcePost):
                    assert len(record.comments) == 20
                    seen += 1
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert seen == 100
    assert peak < 2 * 1024**2, f"peak {peak / 1024**2:.1f} MB"
