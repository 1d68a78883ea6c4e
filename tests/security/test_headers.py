"""Production responses carry every security header, and the cookies are locked down."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.security.prod import HOST, production_security_settings

pytestmark = pytest.mark.django_db
HTTPS = {"secure": True, "HTTP_HOST": HOST, "HTTP_X_FORWARDED_PROTO": "https"}


@pytest.fixture
def production(monkeypatch, settings):
    for name, value in production_security_settings(monkeypatch).items():
        setattr(settings, name, value)
    return settings


def test_plain_http_is_redirected_to_https(client, production):
    response = client.get("/", HTTP_HOST=HOST)
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/"


def test_https_responses_carry_hsts_for_a_year_with_subdomains_and_preload(client, production):
    hsts = client.get("/", **HTTPS)["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts
    assert "preload" in hsts


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ],
)
def test_every_response_carries_the_hardening_headers(client, production, header, expected):
    for url in ("/", reverse("privacy:page"), reverse("admin:login"), "/no-such-page/"):
        assert client.get(url, **HTTPS)[header] == expected, url


def test_the_session_cookie_is_secure_httponly_and_same_site(client, production):
    get_user_model().objects.create_user(username="ann", password="a long passphrase 42")
    response = client.post(
        reverse("login"), {"username": "ann", "password": "a long passphrase 42"}, **HTTPS
    )
    assert response.status_code == 302
    cookie = response.cookies[production.SESSION_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_the_csrf_cookie_is_secure_and_same_site(client, production):
    response = client.get(reverse("admin:login"), **HTTPS)
    cookie = response.cookies[production.CSRF_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"


def test_production_refuses_requests_for_unknown_hosts(client, production):
    response = client.get("/", secure=True, HTTP_HOST="evil.example")
    assert response.status_code == 400
