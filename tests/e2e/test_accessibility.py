"""axe-core in Chromium: zero WCAG 2.2 A/AA violations on the pages readers use."""

import pytest
from django.urls import reverse

from tests.factories import PostFactory

from .pages import open_discussion, sign_in_url, sign_up_url, submit_comment_form_showing_errors
from .support import assert_accessible

pytestmark = pytest.mark.e2e


def test_home_page_has_no_wcag_violations(page, article):
    PostFactory.create_batch(3, author=article.author, category=article.category)
    page.goto("/")
    assert_accessible(page, "home")


def test_post_page_has_no_wcag_violations(page, article):
    page.goto(article.get_absolute_url())
    assert_accessible(page, "post")


def test_post_with_a_deep_discussion_has_no_wcag_violations(page, article, deep_discussion):
    open_discussion(page, article)
    assert_accessible(page, "post-with-deep-discussion")


# "no-js" serves the page without our scripts, so the errors are the server's own markup.
@pytest.mark.parametrize("javascript", [True, False], ids=["enhanced", "no-js"])
def test_comment_form_showing_errors_has_no_wcag_violations(
    browsing, article, deep_discussion, javascript
):
    page = browsing.page(site_scripts=javascript)
    submit_comment_form_showing_errors(page, article, "A question about MRI timing.")
    assert_accessible(page, f"comment-form-with-errors-{'js' if javascript else 'no-js'}")


def test_author_page_has_no_wcag_violations(page, article):
    page.goto(reverse("blog:author", kwargs={"slug": article.author.slug}))
    assert_accessible(page, "author")


def test_sign_in_page_has_no_wcag_violations(page):
    page.goto(sign_in_url())
    assert_accessible(page, "sign-in")


def test_sign_up_page_has_no_wcag_violations(page, client):
    page.goto(sign_up_url(client))
    assert_accessible(page, "sign-up")


def test_page_not_found_has_no_wcag_violations(page, article):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert_accessible(page, "404")
