"""Settings shared by every environment. Values come from the environment (see charcot.env)."""

from pathlib import Path

from django.utils.csp import CSP

from charcot.env import (
    cache_from_url,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    origin_of,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_NAME = env_str("SITE_NAME", "Charcot")
SITE_TAGLINE = env_str(
    "SITE_TAGLINE", "Research notes on multiple sclerosis and the nervous system"
)
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# How many trusted proxies append to X-Forwarded-For (charcot.clientip); 1 behind nginx.
CHARCOT_CLIENT_IP_PROXY_COUNT = env_int("CHARCOT_CLIENT_IP_PROXY_COUNT", 0)
# The comment form's "Follow this discussion" box belongs to subscriptions, above comments.
CHARCOT_COMMENTS_POSTED_HOOKS = ["subscriptions.services.discussion_follow_from_comment"]
SITE_MEDICAL_DISCLAIMER = env_str(
    "SITE_MEDICAL_DISCLAIMER",
    "This post discusses research and is not medical advice. Talk to your own "
    "healthcare team before changing any treatment.",
)

INSTALLED_APPS = [
    # Django's admin with our site class: only superusers and role holders reach it.
    "charcot.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "mptt",
    "markdownx",
    "django_tasks_db",
    "charcot",
    "accounts",
    "blog",
    "comments",
    # Sign-in with ORCID, Google or an OpenID Connect provider (see "Sign in with ORCID,
    # Google or OpenID Connect" in the README). allauth's account app is there for its
    # models and flows only: Charcot's own sign-in, sign-up and reset pages stay in charge.
    # identities comes first so its templates replace allauth's.
    "identities",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.orcid",
    "allauth.socialaccount.providers.google",
    # Features that span the apps above (each may use those before it, never the reverse).
    "privacy",
    "demo",
    "importers",
    "subscriptions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Old WordPress and Blogger links of imported posts: /?p=123, and other paths only
    # once they turn out to be 404s (importers/middleware.py).
    "importers.middleware.OldLinksMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Anonymous whole-page cache: inside CSRF (it sets the reader's cookie on hits), outside
    # auth and messages, which a hit never needs (see charcot/cache.py).
    "charcot.cache.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "charcot.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "charcot.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "charcot.wsgi.application"
ASGI_APPLICATION = "charcot.asgi.application"

DATABASES = {"default": database_from_url(env_str("DATABASE_URL"), base_dir=BASE_DIR)}

CACHES = {"default": cache_from_url(env_str("REDIS_URL"))}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Seconds nginx may keep an anonymous page (docs/nginx.conf); 0 means no edge cache.
CHARCOT_EDGE_CACHE_SECONDS = env_int("EDGE_CACHE_SECONDS", 0)

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Request bodies other than files, read into memory by every worker. The largest honest
# one is a long post saved from admin: 100,000 characters of non-Latin Markdown are about
# 900 kB percent-encoded. A comment (10,000 characters) is at most 120 kB. Over this, the
# comment form answers with its own page (comments/oversize.py), others with 400.html.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Form fields per request: the post admin with its inline references (about 15 fields a
# row) is the widest form; Django's default of 1,000 would stop a post at about 60
# references, this leaves room for 120. Each field costs a little parsing, no more.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2_000

# Django 6.1 mailers. EMAIL_URL-style pieces come from the environment; the console
# backend (mail printed to the terminal) is the local default.
MAILERS = {
    "default": {
        "BACKEND": env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
        "OPTIONS": {
            key: value
            for key, value in {
                "host": env_str("EMAIL_HOST"),
                "port": env_int("EMAIL_PORT", 0),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", default=False),
            }.items()
            if value
        },
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Charcot <noreply@localhost>")
# The sender's postal address, printed at the foot of every subscription mail.
CHARCOT_SUBSCRIPTIONS_CONTACT_LINE = env_str("MAIL_CONTACT_LINE", "")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Mail and other slow work runs through django.tasks, after the transaction commits.
# TASKS_BACKEND=database (the production default) queues them in the database for
# `manage.py db_worker`; "immediate" runs them in the request (local development, tests).
TASKS_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[env_str("TASKS_BACKEND", "immediate")]}}

# Strict CSP: our own scripts and styles only, no inline code anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# An expired token gives the reader their text back with a fresh token: the comment form
# re-renders in place (comments.views), any other form falls back to charcot.csrf.
CSRF_FAILURE_VIEW = "comments.views.csrf_failure"

# django-markdownx: previews and uploads go through our own sanitizer and image checks
# (blog.editor; charcot.markdown renders), so its Python-Markdown settings are unused.
MARKDOWNX_MEDIA_PATH = "markdownx/"
MARKDOWNX_UPLOAD_MAX_SIZE = 5 * 1024 * 1024
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# External identities (django-allauth's social accounts; identities/ holds Charcot's part).
# Each provider appears only when its client id is set; nothing else changes to add one.
# Callback URLs to register with a provider: <SITE_URL>/accounts/orcid/login/callback/,
# <SITE_URL>/accounts/google/login/callback/ and <SITE_URL>/accounts/oidc/<OIDC_ID>/login/callback/.
SOCIALACCOUNT_PROVIDERS = {}
if env_str("ORCID_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["orcid"] = {
        # ORCID's public API: sandbox.orcid.org while testing, orcid.org for real iDs.
        "BASE_DOMAIN": "sandbox.orcid.org" if env_bool("ORCID_SANDBOX") else "orcid.org",
        "MEMBER_API": False,
        "APPS": [{"client_id": env_str("ORCID_CLIENT_ID"), "secret": env_str("ORCID_SECRET")}],
    }
if env_str("GOOGLE_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "SCOPE": ["openid", "profile", "email"],
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [{"client_id": env_str("GOOGLE_CLIENT_ID"), "secret": env_str("GOOGLE_SECRET")}],
    }
if env_str("OIDC_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": env_str("OIDC_ID", "oidc"),
                "name": env_str("OIDC_NAME", "OpenID Connect"),
                "client_id": env_str("OIDC_CLIENT_ID"),
                "secret": env_str("OIDC_SECRET"),
                "settings": {
                    "server_url": env_str("OIDC_ISSUER"),
                    # True when the issuer is ORCID's own OpenID Connect service (its `sub`
                    # is the person's ORCID iD), so a sign-in proves the iD.
                    "orcid_ids": env_bool("OIDC_ISSUES_ORCID_IDS"),
                },
            }
        ],
    }
# Browsers apply the CSP's form-action to the redirect that follows a form's POST: the
# "Sign in with …" buttons end on the provider's own pages, which must be allowed.
SECURE_CSP["form-action"] = [
    *SECURE_CSP["form-action"],
    *(
        ["https://" + SOCIALACCOUNT_PROVIDERS["orcid"]["BASE_DOMAIN"]]
        if "orcid" in SOCIALACCOUNT_PROVIDERS
        else []
    ),
    *(["https://accounts.google.com"] if "google" in SOCIALACCOUNT_PROVIDERS else []),
    *([origin_of(env_str("OIDC_ISSUER"))] if "openid_connect" in SOCIALACCOUNT_PROVIDERS else []),
]
# Only the social flow is allauth's: existing members keep their usernames and passwords,
# and nobody is matched to an account by email alone (identities.adapter).
ACCOUNT_ADAPTER = "identities.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "identities.adapter.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
# Email optional: ORCID often shares none, and an external account needs none to sign in.
ACCOUNT_SIGNUP_FIELDS = ["username*", "email"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https:") else "http"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_QUERY_EMAIL = True
# Tokens are used once, to read who signed in, and never kept.
SOCIALACCOUNT_STORE_TOKENS = False
# A provider link must be followed by a POST (CSRF-checked), never a plain GET.
SOCIALACCOUNT_LOGIN_ON_GET = False
