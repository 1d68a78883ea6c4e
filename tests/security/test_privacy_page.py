"""The privacy page says what is stored and why, and is reachable from every page."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_privacy_page_explains_each_kind_of_data_we_keep(client):
    response = client.get(reverse("privacy:page"))
    assert response.status_code == 200
    text = " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())
    for topic in (
        "email address",
        "website",
        "one-way hash",
        "after 90 days",
        "Remember me",
        "csrftoken",
        "sessionid",
        "Reply notifications",
        "Anonymous",
    ):
        assert topic in text, topic


def test_privacy_page_shows_the_configured_retention_and_contact(client, settings):
    settings.CHARCOT_PRIVACY_IP_RETENTION_DAYS = 30
    settings.CHARCOT_PRIVACY_CONTACT = "dpo@charcot.example"
    soup = BeautifulSoup(client.get(reverse("privacy:page")).content, "html.parser")
    assert "after 30 days" in " ".join(soup.get_text().split())
    assert soup.select_one('a[href="mailto:dpo@charcot.example"]')


def test_every_page_footer_links_to_the_privacy_page(client, post):
    for url in (reverse("blog:home"), post.get_absolute_url(), "/no-such-page/"):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        assert soup.select_one(f'footer a[href="{reverse("privacy:page")}"]'), url
