"""A stale CSRF token never loses a reader's writing, and never helps a forger."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from tests.security.html_safety import assert_html_is_safe

pytestmark = pytest.mark.django_db
LONG_TEXT = "I have had relapsing MS for six years.\nHas anyone tried this <b>dose</b>?"


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


def _post_without_token(client, url, **headers):
    return client.post(
        url,
        {"name": "Jo", "body": LONG_TEXT, "parent": "7", "password": "hunter22"},
        **headers,
    )


def test_a_stale_form_from_our_own_page_comes_back_with_the_text_and_a_fresh_token(
    strict_client, post
):
    url = post.get_absolute_url()
    response = _post_without_token(strict_client, url, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 403
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.select_one("form.csrf-resend")
    assert form["action"] == url
    assert form.select_one('textarea[name="body"]').get_text() == LONG_TEXT
    assert form.select_one('input[name="name"]')["value"] == "Jo"
    assert form.select_one('input[name="parent"]')["value"] == "7"
    assert form.select_one('input[name="csrfmiddlewaretoken"]')["value"]
    assert response.cookies["csrftoken"].value, "a fresh token is issued"
    assert_html_is_safe(response.content)


def test_the_resent_form_passes_the_csrf_check(strict_client, post):
    url = reverse("privacy:page")  # any view: only the CSRF middleware matters here
    first = _post_without_token(strict_client, url, HTTP_ORIGIN="http://testserver")
    soup = BeautifulSoup(first.content, "html.parser")
    data = {
        field["name"]: field.get("value", field.get_text())
        for field in soup.select("form.csrf-resend [name]")
    }
    again = strict_client.post(url, data, HTTP_ORIGIN="http://testserver")
    assert again.status_code != 403


def test_passwords_are_never_echoed_back(strict_client, post):
    response = _post_without_token(
        strict_client, post.get_absolute_url(), HTTP_ORIGIN="http://testserver"
    )
    assert b"hunter22" not in response.content


def test_a_cross_site_post_gets_no_prefilled_form_to_click(strict_client, post):
    response = _post_without_token(
        strict_client, post.get_absolute_url(), HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    assert b"csrf-resend" not in response.content
    assert b"relapsing" not in response.content
