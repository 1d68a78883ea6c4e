from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from accounts.models import User
from blog.services import post_publish, post_withdraw
from comments import conf
from comments.models import Comment
from tests.factories import CommentFactory, PostFactory


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def full_author(author_role):
    author_role.first_name, author_role.last_name = "Gavin", "Grant"
    author_role.title = "Professor of Neurology"
    author_role.affiliation = "Charcot Institute"
    author_role.bio = "Works on **MS**. <script>alert(1)</script> [site](javascript:alert(1))"
    author_role.website = "https://example.org/g"
    author_role.orcid = "0000-0002-1825-0097"
    author_role.mastodon_url = "https://mastodon.example/@g"
    author_role.save()
    return author_role


@pytest.mark.django_db
def test_every_post_ends_with_an_about_the_author_box(client, full_author):
    post = PostFactory(author=full_author)
    box = _soup(client.get(post.get_absolute_url())).find("aside", class_="about-author")
    assert box.find("h2").text == "About the author"
    assert box.find(class_="avatar")
    assert "Prof G" in box.text
    assert "Professor of Neurology, Charcot Institute" in box.text
    assert box.find("strong").text == "MS"
    assert box.find("a", string="Prof G")["href"] == "/authors/writer/"


@pytest.mark.django_db
def test_bio_markdown_is_rendered_on_save_and_stripped_of_anything_executable(full_author):
    soup = BeautifulSoup(full_author.bio_html, "html.parser")
    assert not soup.find("script")
    assert all(not a["href"].startswith("javascript") for a in soup.find_all("a", href=True))
    assert "&lt;script&gt;" in full_author.bio_html


@pytest.mark.django_db
def test_a_readers_public_page_shows_name_and_bio_but_not_email_or_history(client, reader):
    reader.bio = "I *read* everything."
    reader.website = "https://example.net/anna"
    reader.save()
    CommentFactory(user=reader, body="a private-ish thought", author_name="", author_email="")
    response = client.get(reader.get_absolute_url())
    soup = _soup(response)
    assert soup.find("h1").text.startswith("Anna Reader")
    assert soup.find("em").text == "read"
    assert soup.find("a", href="https://example.net/anna")
    assert soup.find("meta", attrs={"name": "robots", "content": "noindex"})
    body = response.content.decode()
    assert "reader@example.org" not in body
    # Their comments show in the discussion (and the site-wide sidebar), never as a history here.
    assert "a private-ish thought" not in soup.find("main").get_text()


@pytest.mark.django_db
def test_inactive_members_have_no_public_page(client, reader):
    reader.is_active = False
    reader.save()
    assert client.get(reader.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_your_profile_requires_signing_in(client):
    response = client.get("/accounts/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/accounts/me/")


@pytest.mark.django_db
def test_your_profile_lists_your_published_comments_with_links_to_each(client, reader):
    post = PostFactory(title="A post about EBV")
    approved = CommentFactory(post=post, user=reader, body="Very *clear*, thank you")
    CommentFactory(post=post, user=reader, body="Held one", status=Comment.Status.PENDING)
    CommentFactory(post=post, body="Not mine")
    client.force_login(reader)
    assert _soup(client.get("/accounts/me/")).find("a", href="/comments/mine/")
    soup = _soup(client.get("/comments/mine/"))
    items = soup.select(".comment-history__item")
    assert len(items) == 1
    assert items[0].find("a", href=approved.get_absolute_url())
    assert items[0].find("a", string="A post about EBV")
    assert "Held one" not in soup.text
    assert "Not mine" not in soup.text


@pytest.mark.django_db
def test_your_comments_leave_out_what_you_deleted_and_what_sits_under_withdrawn_posts(
    client, reader
):
    """Issue 14, defect 6: both were listed, and their links were 404s."""
    shown = CommentFactory(user=reader, body="Still public")
    CommentFactory(user=reader, body="Deleted by me", deleted_at=timezone.now())
    withdrawn = PostFactory(title="Withdrawn post")
    CommentFactory(post=withdrawn, user=reader, body="Under a withdrawn post")
    post_withdraw(post=withdrawn)
    rescheduled = PostFactory(title="Moved to next week")
    CommentFactory(post=rescheduled, user=reader, body="Under a rescheduled post")
    post_withdraw(post=rescheduled)
    post_publish(post=rescheduled, at=timezone.now() + timedelta(days=7))
    client.force_login(reader)
    items = _soup(client.get("/comments/mine/")).select(".comment-history__item")
    assert [item.find("a", href=shown.get_absolute_url()) is not None for item in items] == [True]
    for item in items:
        for link in item.find_all("a", href=True):
            assert client.get(link["href"], follow=True).status_code == 200, link["href"]


@pytest.mark.django_db
def test_your_comment_history_is_paginated_with_a_fixed_number_of_queries(
    client, reader, django_assert_max_num_queries
):
    client.force_login(reader)
    CommentFactory(user=reader)
    with django_assert_max_num_queries(8):
        client.get("/comments/mine/")
    for _ in range(conf.HISTORY_COMMENTS_PER_PAGE + 5):
        CommentFactory(user=reader)
    with django_assert_max_num_queries(8):
        response = client.get("/comments/mine/")
    assert len(_soup(response).select(".comment-history__item")) == conf.HISTORY_COMMENTS_PER_PAGE
    assert len(_soup(client.get("/comments/mine/?page=2")).select(".comment-history__item")) == 6


@pytest.mark.django_db
def test_a_reader_edits_display_name_bio_website_and_comment_emails(client, reader):
    client.force_login(reader)
    page = _soup(client.get("/accounts/me/edit/"))
    assert page.find("input", {"name": "display_name"})
    assert not page.find("input", {"name": "orcid"})
    response = client.post(
        "/accounts/me/edit/",
        {"display_name": "Anna K", "bio": "Hello **there**", "website": "https://example.net/a"},
    )
    assert response["Location"] == "/accounts/me/"
    reader.refresh_from_db()
    assert reader.public_name == "Anna K"
    assert "<strong>there</strong>" in reader.bio_html
    assert reader.website == "https://example.net/a"
    assert reader.notify_on_comments is False  # unticked box


@pytest.mark.django_db
@pytest.mark.parametrize(
    "website", ["javascript:alert(1)", "data:text/html,<script>", "ftp://example.org", "not a url"]
)
def test_a_profile_website_must_be_a_web_address(client, reader, website):
    client.force_login(reader)
    response = client.post("/accounts/me/edit/", {"display_name": "Anna", "website": website})
    assert "website" in response.context["form"].errors
    reader.refresh_from_db()
    assert reader.website == ""


@pytest.mark.django_db
def test_a_rejected_edit_does_not_change_the_name_in_the_page_header(client, reader):
    client.force_login(reader)
    response = client.post(
        "/accounts/me/edit/", {"display_name": "New name", "website": "javascript:x"}
    )
    assert response.context["user"].public_name == "Anna Reader"
    assert _soup(response).find("input", {"name": "display_name"})["value"] == "New name"


@pytest.mark.django_db
def test_authors_also_edit_title_affiliation_orcid_and_social_links(client, author_role):
    client.force_login(author_role)
    response = client.post(
        "/accounts/me/edit/",
        {
            "display_name": "Prof G",
            "title": "Professor of Neurology",
            "affiliation": "Charcot Institute",
            "orcid": "https://orcid.org/0000-0002-1825-0097",
            "bluesky_url": "https://bsky.app/profile/g.example",
            "linkedin_url": "https://www.linkedin.com/in/g",
            "notify_on_comments": "on",
        },
    )
    assert response.status_code == 302
    author_role.refresh_from_db()
    assert author_role.orcid == "0000-0002-1825-0097"
    assert author_role.affiliation_line == "Professor of Neurology, Charcot Institute"
    assert author_role.notify_on_comments is True


@pytest.mark.django_db
def test_an_orcid_id_with_a_bad_checksum_is_refused_on_the_form(client, author_role):
    client.force_login(author_role)
    response = client.post(
        "/accounts/me/edit/", {"display_name": "Prof G", "orcid": "0000-0002-1825-0098"}
    )
    assert "checksum" in " ".join(response.context["form"].errors["orcid"])


def test_new_members_get_comment_emails_by_default():
    assert User().notify_on_comments is True


@pytest.mark.django_db
def test_the_about_the_author_box_costs_no_queries(django_assert_num_queries, full_author):
    from django.template.loader import render_to_string

    person = User.objects.get(pk=full_author.pk)
    with django_assert_num_queries(0):
        html = render_to_string("accounts/_about_author.html", {"person": person})
    assert "About the author" in html


@pytest.mark.django_db
def test_a_public_profile_page_has_a_fixed_query_count(
    client, reader, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):  # includes the sidebar's cold caches
        assert client.get(reader.get_absolute_url()).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["prof g", "  Prof   G ", "Former Member", "Moderator", "anonymous"]
)
def test_nobody_can_take_another_persons_name_or_a_reserved_one(client, author_role, reader, name):
    client.force_login(reader)
    response = client.post("/accounts/me/edit/", {"display_name": name})
    assert "display_name" in response.context["form"].errors
    client.logout()
    signup = client.post(
        "/accounts/signup/",
        {"username": "mimic", "email": "m@example.com", "display_name": name,
         "password1": "a sturdy passphrase 42", "password2": "a sturdy passphrase 42"},
    )  # fmt: skip
    assert "display_name" in signup.context["form"].errors


@pytest.mark.django_db
def test_keeping_your_own_name_is_fine(client, reader):
    client.force_login(reader)
    assert client.post("/accounts/me/edit/", {"display_name": "Anna Reader"}).status_code == 302
