from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from charcot import cache as page_cache

        from . import signals  # noqa: F401
        from .models import Post
        from .services import SIDEBAR_CACHE_KEYS

        page_cache.forget_with_pages(*SIDEBAR_CACHE_KEYS)
        page_cache.expires_at(Post.objects.next_publication_at)
