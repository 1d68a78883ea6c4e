"""Pages around the posts: every correction, newest first, and the category and tag indexes."""

from django.db.models import Count, Q
from django.views.generic import ListView

from . import conf
from .models import Category, Correction, Post, Tag, published_q


def published_corrections():
    """Corrections of public posts, newest first, each with its post (one query)."""
    public = Post.objects.published().values("pk")
    return (
        Correction.objects.filter(post__in=public)
        .select_related("post")
        .only("corrected_at", "note", "post__title", "post__slug", "post__published_at",
              "post__created_at")
        .order_by("-corrected_at", "-pk")
    )  # fmt: skip


class CorrectionListView(ListView):
    template_name = "blog/correction_list.html"
    context_object_name = "corrections"
    paginate_by = conf.PAGE_SIZE * 2

    def get_queryset(self):
        return published_corrections()


def _with_public_post_counts(queryset):
    public = Q(posts__in=Post.objects.filter(published_q()).values("pk"))
    return queryset.annotate(post_count=Count("posts", filter=public)).filter(post_count__gt=0)


class CategoryIndexView(ListView):
    template_name = "blog/category_index.html"
    context_object_name = "categories"

    def get_queryset(self):
        return _with_public_post_counts(Category.objects.all())


class TagIndexView(ListView):
    template_name = "blog/tag_index.html"
    context_object_name = "tags"

    def get_queryset(self):
        return _with_public_post_counts(Tag.objects.all())
