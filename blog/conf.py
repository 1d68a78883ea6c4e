"""Blog settings: each knob once, with a sentence; override with CHARCOT_BLOG_<NAME>."""

from charcot.conf import settings_reader

DEFAULTS = {
    "PAGE_SIZE": (10, "Posts per page on the home page, archives and search results."),
    "RECENT_POSTS": (5, 'Posts in the sidebar\'s "Recent posts" widget.'),
    "FEED_ITEMS": (20, "Items in each feed."),
    "SIDEBAR_CACHE_SECONDS": (
        600,
        "Longest time a sidebar widget is cached; a scheduled post coming due sooner shortens "
        "it, and publishing or editing a post clears it at once.",
    ),
    "SUMMARY_CACHE_SECONDS": (
        24 * 3600,
        "Longest time a rendered post summary is kept; its key is made of what it shows, so "
        "it is never stale, and this only lets unused ones go.",
    ),
    "PREVIEW_MAX_AGE": (
        14 * 24 * 3600,
        "How long (seconds) a secret preview link to a draft or scheduled post keeps working.",
    ),
    "WORDS_PER_MINUTE": (220, 'Reading speed used for "N min read".'),
    "REFERENCE_LOOKUP_TIMEOUT": (
        6,
        "Seconds to wait for doi.org or NCBI before telling the author the lookup failed.",
    ),
    "COMMENTS_CLOSE_AFTER_DAYS": (
        0,
        "Posts older than this many days stop taking comments; 0 keeps them open for ever.",
    ),
    "RELATED_POSTS": (3, 'Posts listed under "Related posts" at the end of a post.'),
    "IMAGE_MAX_SIDE": (
        1600,
        "Longest side (pixels) of images uploaded into posts and of featured images.",
    ),
}

__getattr__ = settings_reader("CHARCOT_BLOG_", DEFAULTS)
