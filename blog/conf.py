"""Blog settings, each listed once with its default; override with CHARCOT_* in settings."""

from django.conf import settings

# Posts per page on the home page, archives and search results.
PAGE_SIZE = getattr(settings, "CHARCOT_BLOG_PAGE_SIZE", 10)

# Posts in the sidebar's "Recent posts" widget and in each feed.
RECENT_POSTS = getattr(settings, "CHARCOT_BLOG_RECENT_POSTS", 5)
FEED_ITEMS = getattr(settings, "CHARCOT_BLOG_FEED_ITEMS", 20)

# Longest time (seconds) a sidebar widget is cached; a scheduled post coming due sooner
# shortens it, and publishing or editing a post clears it at once.
SIDEBAR_CACHE_SECONDS = getattr(settings, "CHARCOT_BLOG_SIDEBAR_CACHE_SECONDS", 600)

# Longest time (seconds) a rendered post summary is kept in the cache. Its key is made of
# what it shows, so it is never stale; this only lets unused ones go.
SUMMARY_CACHE_SECONDS = getattr(settings, "CHARCOT_BLOG_SUMMARY_CACHE_SECONDS", 24 * 3600)

# How long (seconds) a secret preview link to a draft or scheduled post keeps working.
PREVIEW_MAX_AGE = getattr(settings, "CHARCOT_BLOG_PREVIEW_MAX_AGE", 14 * 24 * 3600)

# Reading speed used for "N min read".
WORDS_PER_MINUTE = getattr(settings, "CHARCOT_BLOG_WORDS_PER_MINUTE", 220)

# Seconds to wait for doi.org or NCBI before telling the author the lookup failed.
REFERENCE_LOOKUP_TIMEOUT = getattr(settings, "CHARCOT_BLOG_REFERENCE_LOOKUP_TIMEOUT", 6)

# Longest side (pixels) of images uploaded into posts and of featured images.
IMAGE_MAX_SIDE = getattr(settings, "CHARCOT_BLOG_IMAGE_MAX_SIDE", 1600)

# Posts listed under "Related posts" at the end of a post.
RELATED_POSTS = getattr(settings, "CHARCOT_BLOG_RELATED_POSTS", 3)
