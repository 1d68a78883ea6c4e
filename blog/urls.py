from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter
from django.views.generic import RedirectView

from . import citation_views, feeds, scholarly_feeds, scholarly_views, views
from .sitemaps import SITEMAPS


class MonthConverter:
    """Months in URLs are always two digits (/2026/03/…), so each post has one URL."""

    regex = "0[1-9]|1[0-2]"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


class YearConverter(MonthConverter):
    regex = "[0-9]{4}"

    def to_url(self, value):
        return f"{int(value):04d}"


def moved_to(pattern_name):
    """A permanent redirect to the page's new address, its query string (the page) kept."""
    return RedirectView.as_view(pattern_name=pattern_name, permanent=True, query_string=True)


register_converter(MonthConverter, "mm")
register_converter(YearConverter, "yyyy")
register_converter(citation_views.CiteFormatConverter, "citeformat")

app_name = "blog"

urlpatterns = [
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("", views.HomeView.as_view(), name="home"),
    path("<yyyy:year>/<mm:month>/<slug:slug>/", views.PostDetailView.as_view(), name="post"),
    path(
        "<yyyy:year>/<mm:month>/<slug:slug>/cite.<citeformat:fmt>",
        citation_views.post_cite,
        name="post-cite",
    ),
    path(
        "<yyyy:year>/<mm:month>/<slug:slug>/references.<citeformat:fmt>",
        citation_views.post_references_cite,
        name="post-references-cite",
    ),
    path("<yyyy:year>/<mm:month>/", views.MonthView.as_view(), name="archive-month"),
    path("preview/<str:token>/", views.PreviewView.as_view(), name="preview"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("category/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("category/<slug:slug>/feed/", feeds.CategoryFeed(), name="category-feed-rss"),
    path("category/<slug:slug>/feed/atom/", feeds.AtomCategoryFeed(), name="category-feed-atom"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("authors/<slug:slug>/feed/", feeds.AuthorFeed(), name="author-feed-rss"),
    path("authors/<slug:slug>/feed/atom/", feeds.AtomAuthorFeed(), name="author-feed-atom"),
    # The author archive's first address; links and feed subscriptions out there keep working.
    path("archive/author/<slug:slug>/", moved_to("blog:author")),
    path("archive/author/<slug:slug>/feed/", moved_to("blog:author-feed-rss")),
    path("archive/author/<slug:slug>/feed/atom/", moved_to("blog:author-feed-atom")),
    path("tag/<slug:slug>/feed/", scholarly_feeds.TagFeed(), name="tag-feed-rss"),
    path("tag/<slug:slug>/feed/atom/", scholarly_feeds.AtomTagFeed(), name="tag-feed-atom"),
    path("categories/", scholarly_views.CategoryIndexView.as_view(), name="categories"),
    path("tags/", scholarly_views.TagIndexView.as_view(), name="tags"),
    path("corrections/", scholarly_views.CorrectionListView.as_view(), name="corrections"),
    path("corrections/feed/", scholarly_feeds.CorrectionFeed(), name="corrections-feed-rss"),
    path(
        "corrections/feed/atom/",
        scholarly_feeds.AtomCorrectionFeed(),
        name="corrections-feed-atom",
    ),
    path("feed/", feeds.PostFeed(), name="feed-rss"),
    path("feed/atom/", feeds.AtomPostFeed(), name="feed-atom"),
]
