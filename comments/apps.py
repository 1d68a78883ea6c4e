from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Discussion"

    def ready(self):
        from charcot import cache as page_cache

        from . import receivers, spam_wave
        from .templatetags.comments_tags import RECENT_CACHE_KEY

        page_cache.forget_with_pages(RECENT_CACHE_KEY)
        # A cached discussion that says "comments are held" goes when the wave ends.
        page_cache.expires_at(spam_wave.ends_at)
        receivers.connect()
