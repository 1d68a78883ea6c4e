"""The site's one rule for absolute URLs: SITE_URL, for pages, feeds and mail alike.

Mail is built in background tasks, with no request to take a host from; pages built from
the request's host would give links that differ from the mail's (and from the canonical
URL) on any other host name. Production refuses to start without SITE_URL
(`charcot.settings.prod`).
"""

from urllib.parse import urlsplit

from django.conf import settings


def site_origin() -> str:
    """``scheme://host[:port]`` of the public site, without a trailing slash."""
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """The public URL of a site-relative path; an absolute URL is returned as it is."""
    if not path:
        return ""
    if urlsplit(path).scheme:
        return path
    return site_origin() + (path if path.startswith("/") else "/" + path)


def site_domain() -> str:
    """The host (and port) of SITE_URL, e.g. for password-reset mail."""
    return urlsplit(settings.SITE_URL).netloc


def site_uses_https() -> bool:
    return urlsplit(settings.SITE_URL).scheme == "https"
