"""The pages of the author's workflow are valid HTML (Nu HTML Checker) and have no WCAG 2.2
A/AA violations (axe-core): a reviewed post with references, a correction, cite-this and
related posts; the corrections page; the category and tag indexes."""

import pytest
from django.test import Client

from demo import accounts as accounts_demo
from demo import authoring as demo_authoring
from tests.factories import PostFactory

from .support import assert_accessible, vnu_available, vnu_errors

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

PAGES = {
    "scholarly-post": None,  # the demo's post, filled in below
    "corrections": "/corrections/",
    "categories": "/categories/",
    "tags": "/tags/",
}


@pytest.fixture
def scholarly_post(db):
    post = demo_authoring.seed(accounts_demo.seed())
    related = PostFactory(title="A related post")
    related.tags.add(*post.tags.all())
    return post


def urls(post):
    return {label: url or post.get_absolute_url() for label, url in PAGES.items()}


def test_the_authoring_pages_are_valid_html(scholarly_post):
    reason = vnu_available()
    if reason:
        pytest.skip(reason)
    client = Client()
    documents = {}
    for label, url in urls(scholarly_post).items():
        response = client.get(url)
        assert response.status_code == 200, url
        documents[label] = response.content.decode()
    errors = vnu_errors(documents)
    assert not any(errors.values()), errors


@pytest.mark.parametrize("label", PAGES)
def test_the_authoring_pages_have_no_wcag_violations(page, scholarly_post, label):
    page.goto(urls(scholarly_post)[label])
    assert_accessible(page, label)
