"""RSS 2.0 and Atom feeds: one base feed, small subclasses for the site, categories and authors."""

import copy
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from charcot.absolute import site_origin

from . import conf
from .models import Category, Post, Reference, author_page_url, people_with_author_pages

FEED_ITEM_EXTRAS = "blog/_feed_item_extras.html"


class FullContentRssFeed(Rss201rev2Feed):
    """RSS 2.0 with the whole article in content:encoded and the standfirst as description."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content_html"])


class FullContentAtomFeed(Atom1Feed):
    """Atom with the whole article as HTML content and the standfirst as summary."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


def absolutize(html: str, *, origin: str, page_url: str) -> str:
    """Feed readers show content away from our site: make its links and images absolute."""
    html = html.replace('href="#', f'href="{page_url}#')
    return re.sub(r'(href|src)="/(?!/)', rf'\1="{origin}/', html)


class PostFeed(Feed):
    feed_type = FullContentRssFeed
    rss_view = "blog:feed-rss"
    atom_view = "blog:feed-atom"
    request = None

    def __call__(self, request, *args, **kwargs):
        # URLconf shares one instance between requests; each request gets its own copy.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def title(self, obj=None):
        return settings.SITE_NAME

    def description(self, obj=None):
        return settings.SITE_TAGLINE

    subtitle = description

    def link(self, obj=None):
        return reverse("blog:home")

    def feed_url(self, obj=None):
        view = self.atom_view if self.feed_type is FullContentAtomFeed else self.rss_view
        return reverse(view, kwargs=self.url_kwargs(obj))

    def url_kwargs(self, obj):
        return {}

    def filter_posts(self, queryset, obj):
        return queryset

    def items(self, obj=None):
        queryset = Post.objects.published().select_related("author", "category")
        references = Prefetch("references", queryset=Reference.objects.order_by("order", "pk"))
        posts = self.filter_posts(queryset, obj).prefetch_related("tags", references)
        return posts[: conf.FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst or item.title

    def item_extra_kwargs(self, item):
        origin = site_origin()
        page_url = origin + item.get_absolute_url()
        # The article as the page has it: its references, disclosures and disclaimer too.
        extras = render_to_string(FEED_ITEM_EXTRAS, {"post": item})
        html = item.body_html + extras
        return {"content_html": absolutize(html, origin=origin, page_url=page_url)}

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        # An imported post keeps its old blog's ID, so feed readers do not show it again.
        return item.source_guid or f"urn:uuid:{item.guid}"

    item_guid_is_permalink = False

    def item_author_name(self, item):
        return item.author.public_name

    def item_author_link(self, item):
        # Django makes item and feed links absolute, not this one: feed readers need it whole.
        url = author_page_url(item.author)
        return self.request.build_absolute_uri(url) if url else None

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_categories(self, item):
        names = [item.category.hashtag] if item.category_id else []
        return names + [tag.name for tag in item.tags.all()]


class AtomPostFeed(PostFeed):
    feed_type = FullContentAtomFeed


class SlugPostFeed(PostFeed):
    """The posts of one thing found by its slug: a category, a tag (blog.scholarly_feeds)
    or an author. Subclasses name the things, the title and description, and the posts."""

    def things(self):
        raise NotImplementedError

    def get_object(self, request, slug):
        return get_object_or_404(self.things(), slug=slug)

    def subtitle(self, obj=None):
        return self.description(obj)

    def link(self, obj=None):
        return obj.get_absolute_url()

    def url_kwargs(self, obj):
        return {"slug": obj.slug}


class CategoryFeed(SlugPostFeed):
    rss_view = "blog:category-feed-rss"
    atom_view = "blog:category-feed-atom"

    def things(self):
        return Category.objects.all()

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: {obj.hashtag}"

    def description(self, obj=None):
        return obj.description or f"Posts in {obj.hashtag}"

    def filter_posts(self, queryset, obj):
        return queryset.filter(category=obj)


class AtomCategoryFeed(CategoryFeed):
    feed_type = FullContentAtomFeed


class AuthorFeed(SlugPostFeed):
    rss_view = "blog:author-feed-rss"
    atom_view = "blog:author-feed-atom"

    def things(self):
        return people_with_author_pages()

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: posts by {obj.public_name}"

    def description(self, obj=None):
        return f"Posts by {obj.public_name}"

    def link(self, obj=None):
        return author_page_url(obj)

    def filter_posts(self, queryset, obj):
        return queryset.by_author(obj)


class AtomAuthorFeed(AuthorFeed):
    feed_type = FullContentAtomFeed
