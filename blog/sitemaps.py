"""sitemap.xml: the home page, every published post, and the category pages."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse

from .models import Category, Post


class PostSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = 5000

    def items(self):
        return Post.objects.published().only("slug", "published_at", "created_at", "updated_at")

    def lastmod(self, item):
        return max(item.updated_at, item.published_at)


class CategorySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        # Only categories with something public in them.
        return Category.objects.filter(
            Exists(Post.objects.published().filter(category=OuterRef("pk")))
        )


class HomeSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["blog:home"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"home": HomeSitemap, "posts": PostSitemap, "categories": CategorySitemap}
