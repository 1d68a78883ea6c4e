"""Breadth-first crawl of the public site through the test client, for site-wide checks."""

import contextlib
from collections import deque
from dataclasses import dataclass
from urllib.parse import urldefrag, urlsplit

from bs4 import BeautifulSoup
from django.urls import NoReverseMatch, reverse

# Not pages: served files, the staff area, and the Markdown preview/upload endpoints.
SKIPPED_PREFIXES = ("/static/", "/media/", "/admin/", "/markdownx/")


@dataclass(frozen=True)
class Page:
    url: str
    status: int
    content_type: str
    body: bytes
    headers: dict

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def well_known_urls() -> list[str]:
    """Feeds, sitemap and robots.txt wherever the blog work mounts them, if it does."""
    urls = []
    for name in ("blog:feed", "blog:feed-atom", "blog:comments-feed", "blog:sitemap", "robots"):
        with contextlib.suppress(NoReverseMatch):
            urls.append(reverse(name))
    return [*urls, "/sitemap.xml", "/robots.txt", "/feed/", "/feeds/"]


def _links(page: Page) -> list[str]:
    soup = BeautifulSoup(page.body, "html.parser")
    found = [tag.get("href", "") for tag in soup.select("a[href], link[href]")]
    found += [tag.get("action", "") for tag in soup.select('form[method="get" i][action]')]
    return found


def _local(url: str, base: str) -> str | None:
    url, _fragment = urldefrag(url.strip())
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        if parts.netloc not in ("testserver", "") or parts.scheme not in ("http", "https"):
            return None
        url = parts.path + (f"?{parts.query}" if parts.query else "")
    elif not url.startswith("/"):
        url = base.rsplit("/", 1)[0] + "/" + url
    if url.startswith(SKIPPED_PREFIXES):
        return None
    # "?next=" differs on every page's sign-in link; one visit of each such page is enough.
    path, _, query = url.partition("?")
    kept = "&".join(p for p in query.split("&") if p and not p.startswith("next="))
    return f"{path}?{kept}" if kept else path


def crawl(client, *, start=("/",), limit=150, extra=(), **request_extra) -> list[Page]:
    """Every same-origin page reachable from `start` (at most `limit`), plus `extra` URLs.

    Query-string variants of one path (pagination, sorting) count against the limit like
    any page, so a crawl stays bounded however much data there is.
    """
    queue = deque([*start, *extra])
    seen = set(queue)
    pages = []
    raising, client.raise_request_exception = client.raise_request_exception, False
    try:
        while queue and len(pages) < limit:
            _visit(client, queue.popleft(), queue, seen, pages, request_extra)
    finally:
        client.raise_request_exception = raising
    return pages


def _visit(client, url, queue, seen, pages, request_extra):
    response = client.get(url, **request_extra)
    page = Page(
        url=url,
        status=response.status_code,
        content_type=response.get("Content-Type", ""),
        body=b"".join(response) if response.streaming else response.content,
        headers=dict(response.items()),
    )
    pages.append(page)
    if page.status != 200 or not page.is_html:
        return
    for href in _links(page):
        local = _local(href, url)
        if local and local not in seen:
            seen.add(local)
            queue.append(local)
