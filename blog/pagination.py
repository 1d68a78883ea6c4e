"""Lists of posts count their posts once per change of the posts, not once per request.

The count is the one query of a list page that grows with the site (PostgreSQL counts
every row it matches). It is cached under a version that blog.services clears with the
sidebars whenever public pages change (charcot.cache.public_pages_changed), and no longer than until the next
scheduled post is due (sidebar_cache_seconds), which changes the count by itself.
"""

import time

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .services import LIST_COUNTS_VERSION_KEY, sidebar_cache_seconds


def list_counts_version() -> int:
    """The current version of every cached count; a new one (the clock) after a clear, so
    a count stored under an old version is never read again."""
    version = cache.get(LIST_COUNTS_VERSION_KEY)
    if version is None:
        cache.add(LIST_COUNTS_VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(LIST_COUNTS_VERSION_KEY)
    return version


class CachedCountPaginator(Paginator):
    """A paginator whose count is kept in the cache under `count_key` (what the list is)."""

    def __init__(self, object_list, per_page, *, count_key: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        key = f"blog:list-count:{list_counts_version()}:{self.count_key}"
        count = cache.get(key)
        if count is None:
            count = super().count
            cache.set(key, count, sidebar_cache_seconds())
        return count
