"""Production: fails fast on missing secrets; HTTPS and strict cookies on."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

from charcot.env import env_bool, env_int, env_str

from .base import *  # noqa: F403
from .base import SECRET_KEY

DEBUG = env_bool("DEBUG", default=False)
if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 50 characters.")
if not env_str("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("Set ALLOWED_HOSTS to the site's host names (comma-separated).")
# Every absolute link (feeds, canonical URLs, mail sent by background tasks) is built from
# SITE_URL (charcot.absolute): a wrong one would send readers to a dead host.
if not env_str("SITE_URL"):
    raise ImproperlyConfigured("Set SITE_URL to the public address, e.g. https://blog.example.org.")
_site = urlsplit(SITE_URL)  # noqa: F405
if _site.scheme not in ("http", "https") or not _site.hostname:
    raise ImproperlyConfigured(f"SITE_URL must be an http(s) URL, not {SITE_URL!r}.")  # noqa: F405
if not validate_host(_site.hostname, ALLOWED_HOSTS):  # noqa: F405
    raise ImproperlyConfigured(f"SITE_URL's host {_site.hostname!r} is not in ALLOWED_HOSTS.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 31536000

# Real mail in production (SMTP at EMAIL_HOST), unless EMAIL_BACKEND says otherwise.
MAILERS["default"]["BACKEND"] = env_str(  # noqa: F405
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)

# Mail and other slow work waits in the database for `manage.py db_worker`, so a slow mail
# server never slows a reader's request.
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[env_str("TASKS_BACKEND", "database")]}}  # noqa: F405
