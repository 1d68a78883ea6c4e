from functools import partial

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.views.generic import DetailView, ListView, MonthArchiveView

from charcot import cache as page_cache
from charcot.absolute import absolute_url

from . import conf
from .forms import SearchForm
from .metadata import highwire_tags, post_json_ld
from .models import Category, Post, Tag, people_with_author_pages
from .search import clean_search_query, search_posts
from .services import post_from_preview_token, post_preview_token


class PostListMixin:
    """What every list of posts shares: published only, one page at a time, fixed queries."""

    paginate_by = conf.PAGE_SIZE
    template_name = "blog/post_list.html"
    context_object_name = "post_list"
    heading = ""
    feeds = None  # (object, RSS view name, Atom view name) of this list's own feeds

    def get_queryset(self):
        """Which posts; what each one shows is loaded for the page alone (paginate_queryset)."""
        return Post.objects.published()

    def paginate_queryset(self, queryset, page_size):
        # The count, the month archive's emptiness check and its neighbours stay plain; the
        # comment counts come with the summaries (comments_tags.with_public_comment_counts).
        return super().paginate_queryset(queryset.for_lists(), page_size)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = self.get_heading()
        context["list_feeds"] = self.get_feeds()
        return context

    def get_heading(self):
        return self.heading

    def get_feeds(self):
        return self.feeds


class HomeView(PostListMixin, ListView):
    heading = "Latest posts"


class CategoryView(PostListMixin, ListView):
    @cached_property
    def category(self):
        return get_object_or_404(Category, slug=self.kwargs["slug"])

    def get_queryset(self):
        return super().get_queryset().filter(category=self.category)

    def get_heading(self):
        return self.category.hashtag

    def get_feeds(self):
        return (self.category, "blog:category-feed-rss", "blog:category-feed-atom")

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


class TagView(PostListMixin, ListView):
    @cached_property
    def tag(self):
        return get_object_or_404(Tag, slug=self.kwargs["slug"])

    def get_queryset(self):
        return super().get_queryset().filter(tags=self.tag)

    def get_heading(self):
        return f"Posts tagged “{self.tag.name}”"

    def get_feeds(self):
        return (self.tag, "blog:tag-feed-rss", "blog:tag-feed-atom")


class AuthorView(PostListMixin, ListView):
    """The one author page: who they are, their published posts and their feeds."""

    template_name = "blog/author_detail.html"

    @cached_property
    def person(self):
        return get_object_or_404(people_with_author_pages(), slug=self.kwargs["slug"])

    def get_queryset(self):
        return super().get_queryset().by_author(self.person)

    def get_heading(self):
        return f"Posts by {self.person.public_name}"

    def get_feeds(self):
        return (self.person, "blog:author-feed-rss", "blog:author-feed-atom")

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)


class MonthView(PostListMixin, MonthArchiveView):
    date_field = "published_at"
    month_format = "%m"
    allow_empty = False
    allow_future = False

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        """The page lists posts, not days: skip the query for the days that have posts."""
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = f"Posts from {context['month']:%B %Y}"
        return context


class SearchView(PostListMixin, ListView):
    template_name = "blog/search.html"

    @cached_property
    def form(self):
        return SearchForm(self.request.GET)

    @cached_property
    def query(self):
        return clean_search_query(self.form.cleaned_data["q"]) if self.form.is_valid() else ""

    def get_queryset(self):
        return search_posts(self.query, super().get_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query"] = self.query
        # The box shows exactly what was typed, even when it is too long to search for.
        context["typed"] = self.request.GET.get("q", "")
        context["search_errors"] = [e for errors in self.form.errors.values() for e in errors]
        context["heading"] = f"Search results for “{self.query}”" if self.query else "Search"
        return context


def detail_queryset(queryset):
    """The post with its author and category. Its tags, references and corrections are
    read only when blog_tags.post_part renders a part of the page (load_page_details)."""
    return queryset.select_related("author", "category")


class PostDetailView(DetailView):
    def get_queryset(self):
        return detail_queryset(Post.objects.visible_to(self.request.user))

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        canonical = self.object.get_absolute_url()
        if request.path != canonical:
            # The slug is the identity; an old year/month (e.g. a moved date) redirects.
            return redirect(canonical, permanent=self.object.is_published())
        closes = self.object.comments_close_time()
        if closes is not None and closes > timezone.now():
            page_cache.valid_until(request, closes)  # a cached page must not keep the form
        context = self.get_context_data(object=self.object)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post, request = self.object, self.request
        # Read when a part of the page is rendered, not when it comes from the cache.
        references = SimpleLazyObject(lambda: list(post.references.all()))
        context.update(
            references=references,
            canonical_url=absolute_url(post.get_absolute_url()),
            json_ld=partial(post_json_ld, post, references, request),
            citation_tags=partial(highwire_tags, post, references, request),
        )
        context["is_preview"] = not post.is_published()
        if context["is_preview"]:
            context["preview_url"] = absolute_url(post_preview_url(post))
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if context["is_preview"]:
            response["X-Robots-Tag"] = "noindex"
            response["Cache-Control"] = "private, no-store"
        return response


def post_preview_url(post):
    return reverse("blog:preview", kwargs={"token": post_preview_token(post)})


class PreviewView(PostDetailView):
    """A draft or scheduled post read through its secret link; published posts redirect."""

    def get_object(self, queryset=None):
        post = post_from_preview_token(self.kwargs["token"], detail_queryset(Post.objects.all()))
        if post is None:
            raise Http404("This preview link is not valid (or has expired).")
        return post

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.is_published():
            return redirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(object=self.object))
