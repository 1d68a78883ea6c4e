"""Fast, isolated settings for the test suite."""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .base import *  # noqa: F403
from .base import BASE_DIR


def test_signing_key() -> str:
    """A fresh RSA key per test run for the test OpenID Connect provider's ID tokens."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


DEBUG = False
SITE_URL = "http://testserver"  # the test client's host, so links in mail and pages agree
SECRET_KEY = "test-only-secret-key"  # noqa: S105 - the test suite only, never deployed
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Factories skip the services that bump page versions; tests/charcot/test_page_cache.py
# turns the page cache on where it is the subject.
CHARCOT_PAGE_CACHE_ENABLED = False
MEDIA_ROOT = BASE_DIR / ".test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Serve static files from the finders, as in development: tests never run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A real OpenID Connect provider for the sign-in tests (tests/oidc_provider): never deployed.
INSTALLED_APPS = [*INSTALLED_APPS, "oauth2_provider"]  # noqa: F405
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": test_signing_key(),
    "PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.validator.OrcidLikeValidator",
    "SCOPES": {"openid": "OpenID Connect", "profile": "Your name", "email": "Your email"},
}
