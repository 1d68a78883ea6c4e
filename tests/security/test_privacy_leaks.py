"""Commenters' emails, IP hashes and moderation notes appear on no public surface."""

import html
from urllib.parse import unquote

import pytest
from django.urls import reverse

from tests.security.crawl import crawl, well_known_urls
from tests.security.site_data import seed_public_site

pytestmark = pytest.mark.django_db


def _readings(body: str) -> str:
    """The body as written, entity-decoded and percent-decoded, lower-cased."""
    decoded = html.unescape(body)
    return "\n".join((body, decoded, unquote(decoded))).lower()


def test_no_public_page_feed_or_sitemap_reveals_a_commenters_email_ip_hash_or_moderation_note(
    client,
):
    secrets = seed_public_site()
    pages = crawl(client, limit=200, extra=[reverse("privacy:page"), *well_known_urls()])
    served = [page for page in pages if page.status == 200]
    assert any(page.url == "/" for page in served)
    for page in served:
        text = _readings(page.text)
        leaked = sorted(secret for secret in secrets.all() if secret.lower() in text)
        assert not leaked, f"{page.url} reveals {leaked}"


def test_the_leak_check_would_notice_an_email_written_as_entities():
    assert "leak@private.example" in _readings("<a title='leak&#64;private&#x2e;example'>")
    assert "leak@private.example" in _readings('<a href="mailto:leak%40private.example">')


def test_the_seeded_site_has_secrets_of_every_kind_to_look_for(db):
    secrets = seed_public_site()
    assert any(email.endswith("@private.example") for email in secrets.emails)
    assert secrets.ip_hashes
    assert any("confidential moderation note" in reason for reason in secrets.reasons)
