"""Whole-page cache for anonymous readers, invalidated by version bumps, never per-user.

Design (docs/benchmarks.md has the long form):

* Only GET/HEAD requests that carry no cookie except the CSRF cookie (and the names in
  CHARCOT_PAGE_CACHE_IGNORED_COOKIES) and no Authorization header are served from or
  stored in the cache. A session, a "messages" cookie, a remembered commenter or a
  "my pending comments" cookie all bypass it, so personal pages are always rendered live.
* A page is stored with the site's version; ``page_cache.public_pages_changed()``, the
  one invalidation call, moves it (and forgets the widget caches registered with
  ``forget_with_pages``). Versions start at a nanosecond clock value, so a version key
  evicted and recreated never matches an older page. Pages expire on their own when the
  site changes by itself (``expires_at``: the next scheduled post; ``valid_until``).
* CSRF: the rendered ``{% csrf_token %}`` inputs are cut out before storing, and every
  hit splices in a fresh token for the reader's own CSRF cookie (creating the cookie
  when absent), so forms work without JavaScript and the stored bytes hold no token.
  Any other trace of the rendering request's CSRF secret makes the page uncacheable.
* Conditional GET: hits carry an ETag (hash of the stored bytes) and Last-Modified;
  If-None-Match / If-Modified-Since give a 304.
* Edge cache (optional, CHARCOT_EDGE_CACHE_SECONDS > 0): nginx in front keeps stored
  pages for a second or so and serves them without Python to readers whose only cookie
  is a valid CSRF cookie (docs/nginx.conf). For a request nginx marks with the
  ``X-Charcot-Edge`` header, a stored page is returned with EDGE_PLACEHOLDER in place of each
  token and ``X-Accel-Expires``; nginx writes the reader's own CSRF secret (Django accepts
  the unmasked secret as a form token) over EDGE_PLACEHOLDER, which user text cannot forge.
* Compression happens once, at store time: each piece between CSRF tokens is kept as a
  byte-aligned raw-deflate segment, and a hit for a gzip-accepting reader stitches the
  segments and its freshly compressed token into one gzip stream (plus a CRC over the
  plain bytes), instead of recompressing a long page on every request.
"""

import hashlib
import re
import struct
import time
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import (
    CSRF_SECRET_LENGTH,
    CSRF_TOKEN_LENGTH,
    _unmask_cipher_token,
    get_token,
)
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from charcot import conf

UNSHARED_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)

DAY = 24 * 3600
CACHEABLE_TYPES = ("text/html", "application/rss+xml", "application/atom+xml", "text/xml")
# Headers of the rendered response that are recomputed for every hit rather than stored.
UNSTORED_HEADERS = {
    "content-length",
    "date",
    "etag",
    "last-modified",
    "cache-control",
    "expires",
    "set-cookie",
    "vary",
}
# Exactly what Django's {% csrf_token %} prints; user text is escaped by the sanitizer, so
# it can never produce this literal markup.
CSRF_INPUT = re.compile(
    rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")([A-Za-z0-9]{%d})(">)'
    % CSRF_TOKEN_LENGTH
)
TOKEN_LIKE = re.compile(rb"[A-Za-z0-9]{%d,%d}" % (CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH))
KEY_PREFIX = "page-cache:"
EDGE_HEADER = "HTTP_X_CHARCOT_EDGE"
# What a stored page carries instead of a token when it goes to the edge cache. It sits in
# the exact {% csrf_token %} markup, which sanitized user text can never contain.
EDGE_PLACEHOLDER = "charcot-edge-csrf-token"
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# A gzip member header: deflate, no flags, no mtime, no extra flags, unknown OS.
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"


def is_enabled() -> bool:
    enabled = conf.PAGE_CACHE_ENABLED
    if enabled is None:
        alias = conf.PAGE_CACHE_ALIAS
        return settings.CACHES[alias]["BACKEND"] not in UNSHARED_BACKENDS
    return bool(enabled)


def _cache():
    return caches[conf.PAGE_CACHE_ALIAS]


def _version_key(tag: str) -> str:
    return f"{KEY_PREFIX}v:{tag}"


def _versions(tags) -> dict[str, int]:
    """Current version of each tag, creating missing ones from the clock."""
    cache = _cache()
    keys = {_version_key(tag): tag for tag in tags}
    found = cache.get_many(list(keys))
    missing = {key: time.time_ns() for key in keys if key not in found}
    for key, value in missing.items():
        cache.add(key, value, timeout=None)
    if missing:
        found.update(cache.get_many(list(missing)))
    return {keys[key]: value for key, value in found.items()}


# Widget caches (rendered sidebar HTML) that show public content: forgotten with the pages.
_dependent_keys: set[str] = set()
# Callables answering "when does the public site next change by itself?" (a scheduled post).
_expiry_sources: list = []


def forget_with_pages(*keys: str) -> None:
    """Register cache keys that must go whenever public pages change (apps' ready())."""
    _dependent_keys.update(keys)


def expires_at(source) -> None:
    """Register a callable returning the next moment the public site changes by itself."""
    if source not in _expiry_sources:
        _expiry_sources.append(source)


def _forget_now() -> None:
    cache = _cache()
    if _dependent_keys:
        caches["default"].delete_many(sorted(_dependent_keys))
    try:
        cache.incr(_version_key("all"))
    except ValueError:
        cache.set(_version_key("all"), time.time_ns(), timeout=None)


def public_pages_changed() -> None:
    """The one invalidation call: something readers see changed (a post, a comment, a
    writer's name or avatar, a moderation decision, an erasure). Once the transaction
    commits, every cached anonymous page and every registered widget goes."""
    transaction.on_commit(_forget_now)


def valid_until(request, moment) -> None:
    """Say when the page being rendered changes by itself (a scheduled post, comments closing)."""
    current = getattr(request, "_page_cache_valid_until", None)
    if moment is not None and (current is None or moment < current):
        request._page_cache_valid_until = moment


def _next_change(version: int):
    """When the public site next changes by itself, cached until anything changes."""
    key = f"{KEY_PREFIX}next-change:{version}"
    moment = _cache().get(key)
    now = timezone.now()
    if moment is None or (moment and moment <= now):
        moments = [m for m in (source() for source in _expiry_sources) if m is not None]
        moment = min(moments, default=None) or 0  # 0: nothing due (None reads as "not cached")
        _cache().set(key, moment, timeout=DAY)
    return moment or None


def _deflate(data: bytes, *, last: bool, level: int = 6) -> bytes:
    """A raw-deflate segment that needs nothing before it: segments concatenate."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH
    )


@dataclass(frozen=True)
class StoredPage:
    parts: tuple[bytes, ...]  # the page cut at each CSRF input's value
    deflated: tuple[bytes, ...]  # the same parts, each a raw-deflate segment
    headers: tuple[tuple[str, str], ...]
    versions: tuple[tuple[str, int], ...]
    etag: str
    last_modified: int

    @classmethod
    def build(cls, parts, **fields) -> "StoredPage":
        last = len(parts) - 1
        deflated = tuple(_deflate(part, last=i == last) for i, part in enumerate(parts))
        return cls(parts=tuple(parts), deflated=deflated, **fields)

    def render(self, token: str | None) -> bytes:
        if len(self.parts) == 1:
            return self.parts[0]
        return token.encode().join(self.parts)

    def render_gzip(self, token: str | None) -> bytes:
        """The page as one gzip member, without compressing the stored parts again."""
        segments, crc, size = [GZIP_HEADER], 0, 0
        token_segment = _deflate(token.encode(), last=False, level=1) if token else b""
        for index, (part, segment) in enumerate(zip(self.parts, self.deflated, strict=True)):
            if index:
                segments.append(token_segment)
                crc = zlib.crc32(token.encode(), crc)
                size += len(token)
            segments.append(segment)
            crc = zlib.crc32(part, crc)
            size += len(part)
        segments.append(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
        return b"".join(segments)


def _page_key(request) -> str:
    # Scheme and host are part of the key: pages may print absolute URLs (feeds, canonical).
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return KEY_PREFIX + "p:" + hashlib.blake2b(url.encode(), digest_size=20).hexdigest()


def is_cacheable_request(request) -> bool:
    """Anonymous, cookie-free (but for CSRF) reads of public paths."""
    if request.method not in ("GET", "HEAD") or not is_enabled():
        return False
    if "authorization" in request.headers:
        return False
    excluded = conf.PAGE_CACHE_EXCLUDED_PREFIXES
    if request.path.startswith(tuple(excluded)):
        return False
    allowed = {settings.CSRF_COOKIE_NAME, *conf.PAGE_CACHE_IGNORED_COOKIES}
    return all(name in allowed for name in request.COOKIES)


def is_edge_request(request) -> bool:
    """A request nginx's edge cache forwards (see docs/nginx.conf), with the mode on."""
    return bool(request.META.get(EDGE_HEADER)) and conf.EDGE_CACHE_SECONDS > 0


def peek(request) -> StoredPage | None:
    """The stored page for this request's URL, if any (for tests and debugging)."""
    return _cache().get(_page_key(request))


class PageCacheMiddleware:
    """Serve and store anonymous pages; sits right after CsrfViewMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        key = _page_key(request)
        page = _cache().get(key)
        if page is not None:
            versions = dict(page.versions)
            if _versions(versions) == versions:
                return self._serve(request, page)
        before = _versions(["all"])["all"]
        response = self.get_response(request)
        stored = self._store(request, response, key, before)
        if stored is not None and is_edge_request(request):
            return self._serve(request, stored)
        return response

    def _serve(self, request, page: StoredPage):
        if is_edge_request(request):
            return self._serve_edge(request, page)
        has_cookie = settings.CSRF_COOKIE_NAME in request.COOKIES
        if has_cookie or len(page.parts) == 1:
            not_modified = get_conditional_response(
                request, etag=page.etag, last_modified=page.last_modified
            )
            if not_modified is not None:
                return self._finish(not_modified, page)
        token = get_token(request) if len(page.parts) > 1 else None
        if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
            response = HttpResponse(page.render_gzip(token))
            response.headers["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(page.render(token))
        for name, value in page.headers:
            response.headers[name] = value
        self._finish(response, page)
        patch_vary_headers(response, ("Accept-Encoding",))
        if response.has_header("Content-Encoding"):
            # Like GZipMiddleware: the compressed bytes are not the ETag's bytes.
            response.headers["ETag"] = f"W/{page.etag}"
        return response

    def _serve_edge(self, request, page: StoredPage):
        """The stored page for nginx to keep: EDGE_PLACEHOLDER for tokens, plain bytes, no cookie."""
        response = get_conditional_response(
            request, etag=page.etag, last_modified=page.last_modified
        ) or HttpResponse(page.render(EDGE_PLACEHOLDER))
        if response.status_code == 200:
            for name, value in page.headers:
                response.headers[name] = value
        self._finish(response, page)
        response.headers["X-Accel-Expires"] = str(conf.EDGE_CACHE_SECONDS)
        return response

    @staticmethod
    def _finish(response, page: StoredPage):
        response.headers["ETag"] = page.etag
        response.headers["Last-Modified"] = http_date(page.last_modified)
        # A page carrying a CSRF token is the reader's own: no shared caches.
        private = "private, " if len(page.parts) > 1 else ""
        response.headers["Cache-Control"] = f"{private}max-age=0, must-revalidate"
        patch_vary_headers(response, ("Cookie",))
        response.headers["X-Page-Cache"] = "hit"
        return response

    def _store(self, request, response, key, all_version_before) -> StoredPage | None:
        if not self._is_storable(request, response):
            return None
        parts = self._cut_csrf_inputs(request, response.content)
        if parts is None:
            return None
        versions = _versions(["all"])
        if versions["all"] != all_version_before:
            return None  # something changed while rendering; the next reader stores it
        timeout = conf.PAGE_CACHE_SECONDS
        valid_until(request, _next_change(versions["all"]))
        until = getattr(request, "_page_cache_valid_until", None)
        if until is not None:
            timeout = min(timeout, int(until.timestamp() - time.time()))
            if timeout <= 0:
                return None
        headers = tuple(
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in UNSTORED_HEADERS
        )
        digest = hashlib.sha256(b"\0".join(parts)).hexdigest()[:32]
        page = StoredPage.build(
            parts,
            headers=headers,
            versions=tuple(sorted(versions.items())),
            etag=f'"{digest}"',
            last_modified=int(time.time()),
        )
        _cache().set(key, page, timeout)
        self._finish(response, page)
        response.headers["X-Page-Cache"] = "miss"
        return page

    @staticmethod
    def _is_storable(request, response) -> bool:
        if response.status_code != 200 or response.streaming:
            return False
        if response.has_header("Content-Encoding"):
            return False
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        if content_type not in CACHEABLE_TYPES:
            return False
        cache_control = response.headers.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return False
        if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
            return False
        session = getattr(request, "session", None)
        if session is not None and (session.modified or not session.is_empty()):
            return False
        return not response.has_header("Vary") or all(
            v.strip().lower() in ("cookie", "accept-encoding")
            for v in response.headers["Vary"].split(",")
        )

    @staticmethod
    def _cut_csrf_inputs(request, content: bytes) -> list[bytes] | None:
        """The page split at each CSRF token, or None if the secret shows up anywhere else."""
        pieces = CSRF_INPUT.split(content)
        # split() with 3 groups yields [text, open, token, close, text, ...].
        parts, current = [], pieces[0]
        for index in range(1, len(pieces), 4):
            opening, _token, closing, after = pieces[index : index + 4]
            parts.append(current + opening)
            current = closing + after
        parts.append(current)
        secret = request.META.get("CSRF_COOKIE")
        if secret:
            for match in TOKEN_LIKE.finditer(b"".join(parts)):
                candidate = match.group().decode()
                if secret in candidate or (
                    len(candidate) == CSRF_TOKEN_LENGTH
                    and _unmask_cipher_token(candidate) == secret
                ):
                    return None
        return parts
