"""Post search: the one function every search goes through, whatever the database."""

from django.db import connection
from django.db.models import Q, QuerySet

from .models import Post

MAX_QUERY_LENGTH = 200


def clean_search_query(text: str) -> str:
    return " ".join((text or "").split())[:MAX_QUERY_LENGTH]


def post_search_vector():
    """PostgreSQL only. The GIN index of migration 0003 is built on this same expression."""
    from django.contrib.postgres.search import SearchVector
    from django.db.models import TextField
    from django.db.models.functions import Cast

    # The title is varchar: cast it, or the index and the query type '' differently.
    return (
        SearchVector(Cast("title", TextField()), weight="A", config="english")
        + SearchVector("standfirst", weight="B", config="english")
        + SearchVector("body", weight="C", config="english")
    )


def search_posts(text: str, queryset: QuerySet | None = None) -> QuerySet:
    """Published posts matching `text` in title, standfirst or body, best match first.

    Ranked full-text search on PostgreSQL (English stemming, title weighted above standfirst
    above body); on SQLite every word must appear somewhere, newest first.
    """
    queryset = Post.objects.published() if queryset is None else queryset
    text = clean_search_query(text)
    if not text:
        return queryset.none()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        vector = post_search_vector()
        query = SearchQuery(text, search_type="websearch", config="english")
        return (
            queryset.annotate(search_document=vector, rank=SearchRank(vector, query))
            .filter(search_document=query)
            .order_by("-rank", "-published_at", "-pk")
        )
    condition = Q()
    for word in text.split()[:10]:
        condition &= (
            Q(title__icontains=word) | Q(standfirst__icontains=word) | Q(body__icontains=word)
        )
    return queryset.filter(condition).order_by("-published_at", "-pk")
