"""The Nu HTML Checker (vnu.jar, from npm's vnu-jar) finds no errors on the pages readers use.

All pages are fetched first and validated in one run of the checker: starting Java is most
of its cost. Each page then has its own test, so a failure names the page.
"""

import pytest
from bs4 import BeautifulSoup
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.factories import PostFactory, UserFactory

from .data import build_article, build_deep_discussion
from .pages import NO_DISCUSSION, sign_up_url
from .support import vnu_available, vnu_errors

# django_db: so a run of this module alone still gets a test database for the fixture below.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

PAGES = [
    "home",
    "post",
    "post-with-deep-discussion",
    "comment-form-with-errors",
    "author",
    "sign-in",
    "sign-up",
    "404",
]


def _comment_form_with_errors(client, post_url: str) -> str | None:
    """Send the post's comment form with name and email empty, as a browser without checks would."""
    html = client.get(post_url).content.decode()
    form = BeautifulSoup(html, "html.parser").select_one("form#comment-form")
    if form is None:
        return None
    data = {
        field["name"]: field.get("value", "")
        for field in form.select("input[name]")
        if field.get("type") not in {"checkbox", "submit"}
    }
    data.update(name="", email="", body="A question about MRI timing.")
    response = client.post(form.get("action") or post_url, data, follow=True)
    return response.content.decode()


def _fetch_pages() -> dict[str, str | None]:
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    author = UserFactory(username="vnu-author", display_name="Prof G")
    reader = UserFactory(username="vnu-reader", display_name="Anna Reader")
    post = PostFactory(author=author, title="A post with no discussion yet")
    discussed = build_article(author)
    build_deep_discussion(discussed, author, reader)
    client = Client()
    documents = {
        "home": client.get("/"),
        "post": client.get(post.get_absolute_url()),
        "post-with-deep-discussion": client.get(discussed.get_absolute_url()),
        "author": client.get(reverse("blog:author", kwargs={"slug": author.slug})),
        "404": client.get("/no-such-page/"),
    }
    expected = {"404": 404}
    pages = {}
    for label, response in documents.items():
        assert response.status_code == expected.get(label, 200), (label, response.status_code)
        pages[label] = response.content.decode()
    pages["comment-form-with-errors"] = _comment_form_with_errors(
        client, discussed.get_absolute_url()
    )
    try:
        get_template("registration/login.html")
    except TemplateDoesNotExist:
        pages["sign-in"] = pages["sign-up"] = None
    else:
        pages["sign-in"] = client.get("/accounts/login/").content.decode()
        try:
            pages["sign-up"] = client.get(sign_up_url(client)).content.decode()
        except pytest.skip.Exception:
            pages["sign-up"] = None
    return pages


@pytest.fixture(scope="module")
def validation(django_db_setup, django_db_blocker):
    """Every page's HTML and its vnu errors, from one checker run; nothing left in the DB."""
    reason = vnu_available()
    if reason:
        pytest.skip(reason)
    with django_db_blocker.unblock(), transaction.atomic():
        pages = _fetch_pages()
        transaction.set_rollback(True)
    present = {label: html for label, html in pages.items() if html is not None}
    return pages, vnu_errors(present)


@pytest.mark.parametrize("label", PAGES)
def test_page_is_valid_html(validation, label):
    pages, errors = validation
    if pages[label] is None:
        pytest.skip(
            NO_DISCUSSION
            if label == "comment-form-with-errors"
            else f"The {label} page does not exist yet (issue 4)."
        )
    assert not errors[label], f"vnu found {len(errors[label])} error(s) on {label}:\n" + "\n".join(
        errors[label]
    )
