"""One way for every app to read its settings: a table of defaults, read lazily.

Each app's ``conf.py`` lists its knobs once, with a sentence each, and ends with
``__getattr__ = settings_reader("CHARCOT_<APP>_", DEFAULTS)``. Every read goes through
Django's settings, so ``override_settings`` in tests and per-environment settings both work.
"""

from django.conf import settings


def settings_reader(prefix: str, defaults: dict):
    """A module ``__getattr__``: ``conf.NAME`` is the setting ``prefix + NAME`` or its default."""

    def __getattr__(name: str):
        try:
            default, _sentence = defaults[name]
        except KeyError:
            raise AttributeError(name) from None
        return getattr(settings, prefix + name, default)

    return __getattr__


# The infrastructure's own knobs (the project package), read the same way.
DEFAULTS = {
    "CLIENT_IP_PROXY_COUNT": (
        0,
        "How many trusted proxies append to X-Forwarded-For in front of the app (0: use "
        "REMOTE_ADDR). Behind one reverse proxy set 1, or every reader shares one address.",
    ),
    "PAGE_CACHE_ENABLED": (
        None,
        "True/False turns the whole-page cache on or off; unset, it is on only with a cache "
        "all workers share (Redis), since a per-process cache would miss the others' bumps.",
    ),
    "PAGE_CACHE_ALIAS": ("default", "Which of settings.CACHES holds pages and their versions."),
    "PAGE_CACHE_SECONDS": (
        600,
        "Upper bound on how long a page is kept; time-driven changes (a scheduled post "
        "appearing, comments closing) are handled precisely as well.",
    ),
    "PAGE_CACHE_IGNORED_COOKIES": (
        (),
        "Cookies that carry nothing personal and so do not bypass the page cache.",
    ),
    "PAGE_CACHE_EXCLUDED_PREFIXES": (
        ("/admin/", "/accounts/", "/comments/", "/markdownx/"),
        "Path prefixes never cached: private, per-token or form-heavy areas.",
    ),
    "EDGE_CACHE_SECONDS": (
        0,
        "Seconds nginx may keep a page it got from the app (docs/nginx.conf); 0 turns the "
        "edge mode off.",
    ),
}

__getattr__ = settings_reader("CHARCOT_", DEFAULTS)
