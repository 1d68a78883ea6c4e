"""Feeds of the latest public comments, site-wide and per post, in RSS and Atom."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from blog.models import Post

from .models import Comment

FEED_LENGTH = 30


class LatestCommentsFeed(Feed):
    """Every item is a public comment; writers' emails never appear (no author_email)."""

    description_template = None

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: latest comments"

    def link(self, obj=None):
        return reverse("blog:home")

    def description(self, obj=None):
        return f"The latest comments on {settings.SITE_NAME}."

    def items(self, obj=None):
        return Comment.objects.recent_public().select_related("user", "post")[:FEED_LENGTH]

    def item_title(self, item):
        return f"{item.display_name} on {item.post.title}"

    def item_description(self, item):
        return item.body_html

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"comment-{item.token}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.edited_at or item.created_at

    def item_author_name(self, item):
        return item.display_name


class LatestCommentsAtomFeed(LatestCommentsFeed):
    feed_type = Atom1Feed
    subtitle = LatestCommentsFeed.description


class PostCommentsFeed(LatestCommentsFeed):
    def get_object(self, request, post_pk):
        return get_object_or_404(Post.objects.published(), pk=post_pk)

    def title(self, obj=None):
        return f"Comments on “{obj.title}”"

    def link(self, obj=None):
        return f"{obj.get_absolute_url()}#comments"

    def description(self, obj=None):
        return f"The discussion under “{obj.title}” on {settings.SITE_NAME}."

    def items(self, obj=None):
        return (
            Comment.objects.visible_on(obj)
            .select_related("user", "post")
            .order_by("-created_at", "-pk")[:FEED_LENGTH]
        )


class PostCommentsAtomFeed(PostCommentsFeed):
    feed_type = Atom1Feed
    subtitle = PostCommentsFeed.description
