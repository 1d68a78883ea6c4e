"""Feeds of one tag's posts, and of every correction."""

from datetime import datetime, time

from django.conf import settings
from django.template.defaultfilters import linebreaks_filter
from django.urls import reverse
from django.utils import timezone

from . import conf
from .feeds import FullContentAtomFeed, PostFeed, SlugPostFeed
from .models import Tag
from .scholarly_views import published_corrections


class TagFeed(SlugPostFeed):
    rss_view = "blog:tag-feed-rss"
    atom_view = "blog:tag-feed-atom"

    def things(self):
        return Tag.objects.all()

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: posts tagged “{obj.name}”"

    def description(self, obj=None):
        return f"Posts tagged “{obj.name}”"

    def filter_posts(self, queryset, obj):
        return queryset.filter(tags=obj)


class AtomTagFeed(TagFeed):
    feed_type = FullContentAtomFeed


class CorrectionFeed(PostFeed):
    """Every correction as its own item: readers who cited a post learn that it changed."""

    rss_view = "blog:corrections-feed-rss"
    atom_view = "blog:corrections-feed-atom"

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: corrections"

    def description(self, obj=None):
        return "Every correction to a published post, newest first."

    subtitle = description

    def link(self, obj=None):
        return reverse("blog:corrections")

    def items(self, obj=None):
        return published_corrections()[: conf.FEED_ITEMS]

    def item_title(self, item):
        return f"Correction to “{item.post.title}”"

    def item_description(self, item):
        return item.note

    def item_extra_kwargs(self, item):
        return {"content_html": linebreaks_filter(item.note, autoescape=True)}

    def item_link(self, item):
        return f"{item.post.get_absolute_url()}#correction-{item.pk}"

    def item_guid(self, item):
        return f"urn:charcot:correction:{item.pk}"

    def item_author_name(self, item):
        return None

    def item_author_link(self, item):
        return None

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.combine(item.corrected_at, time(12)))

    item_updateddate = item_pubdate

    def item_categories(self, item):
        return ["Correction"]


class AtomCorrectionFeed(CorrectionFeed):
    feed_type = FullContentAtomFeed
