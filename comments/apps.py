from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Discussion"

    def ready(self):
        from charcot import cache as page_cache

        from .templatetags.comments_tags import RECENT_CACHE_KEY

        page_cache.forget_with_pages(RECENT_CACHE_KEY)
