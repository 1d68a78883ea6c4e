"""Old links of an imported blog answer 301 to the post or comment they named."""

import pytest
from django.test import Client
from django.urls import reverse

from blog.models import Post
from comments.models import Comment
from tests.factories import PostFactory

from .builders import wxr, wxr_author, wxr_comment, wxr_post

pytestmark = pytest.mark.django_db

PROF = wxr_author(id=7, login="prof", email="prof@old.example")


@pytest.fixture
def imported(run_import):
    """One public post whose slug changed on the way in (unicode), one draft, comments."""
    comments = [
        wxr_comment(456, content="Public one"),
        wxr_comment(457, approved="0", content="Held one"),
    ]
    posts = [
        wxr_post(
            123,
            slug="%c3%a4rzte-ms",
            date="2020-03-05 08:00:00",
            comments=comments,
            link="https://old.example/2020/03/05/%c3%a4rzte-ms/",
        ),  # fmt: skip
        wxr_post(124, slug="draft", status="draft", date="2020-03-05 08:00:00"),
    ]
    run_import(wxr(authors=[PROF], posts=posts))
    return Post.objects.get(slug="arzte-ms")


def moved(path, **query):
    response = Client().get(path, query)
    assert response.status_code == 301, (path, response.status_code)
    return response["Location"]


def test_plain_wordpress_links_by_post_id_redirect(imported):
    assert moved("/", p="123") == imported.get_absolute_url()


def test_dated_wordpress_permalinks_redirect_by_day_and_by_month(imported):
    target = imported.get_absolute_url()
    assert moved("/2020/03/05/%C3%A4rzte-ms/") == target
    assert moved("/2020/03/%C3%A4rzte-ms/") == target
    assert moved("/2020/03/%C3%A4rzte-ms/comment-page-2/") == target


def test_a_reply_link_redirects_to_the_comment_permalink(imported):
    comment = Comment.objects.get(body="Public one")
    assert moved("/", p="123", replytocom="456") == comment.get_absolute_url()


def test_a_link_to_a_held_comment_leads_to_its_post_only(imported):
    assert moved("/", p="123", replytocom="457") == imported.get_absolute_url()


def test_links_to_posts_that_are_not_public_are_not_redirected(imported):
    client = Client()
    assert client.get("/", {"p": "124"}).status_code == 200  # the home page, as for any ?p=
    assert client.get("/2020/03/05/draft/").status_code == 404
    assert client.get("/", {"p": "999"}).status_code == 200


def test_charcot_pages_win_over_old_links(imported):
    """A month archive and a post of ours answer themselves; only 404s are looked up."""
    ours = PostFactory(slug="ours")
    assert Client().get(ours.get_absolute_url()).status_code == 200
    assert (
        Client().get(reverse("blog:archive-month", kwargs={"year": 2020, "month": 3})).status_code
        == 200
    )


def test_an_old_comment_anchor_lands_on_the_comment(imported):
    comment = Comment.objects.get(body="Public one")
    url = reverse("importers:old-comment")
    response = Client().get(url, {"post": imported.get_absolute_url(), "id": "456"})
    assert response["Location"] == comment.get_absolute_url()
    response = Client().get(url, {"post": imported.get_absolute_url(), "id": "457"})
    assert response["Location"] == imported.get_absolute_url() + "#comments"
    assert Client().get(url, {"post": "/nowhere/", "id": "456"}).status_code == 404


def test_the_post_page_loads_the_old_anchor_script(imported):
    html = Client().get(imported.get_absolute_url()).content.decode()
    assert 'data-old-anchors="/moved/comment/"' in html
