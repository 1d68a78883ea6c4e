from django import template
from django.core.cache import cache

from blog.models import Post

register = template.Library()

RECENT_POSTS_CACHE_KEY = "blog:recent-posts"


@register.inclusion_tag("blog/_recent_posts.html")
def recent_posts(count=5):
    posts = cache.get(RECENT_POSTS_CACHE_KEY)
    if posts is None:
        posts = list(Post.objects.published().only("title", "slug", "published_at")[:count])
        cache.set(RECENT_POSTS_CACHE_KEY, posts, 300)
    return {"posts": posts}
