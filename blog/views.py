from django.views.generic import DetailView, ListView

from .models import Post


class PostListView(ListView):
    paginate_by = 10

    def get_queryset(self):
        return Post.objects.published().select_related("author", "category")


class PostDetailView(DetailView):
    def get_queryset(self):
        return Post.objects.published().select_related("author", "category")
