"""Post search: the one module every search goes through, whatever the database.

PostgreSQL keeps a weighted tsvector per post (blog.search_backends.postgresql), SQLite an
FTS5 index (blog.search_backends.sqlite); both read the query the same way
(blog.search_backends.query), weigh title over standfirst and tags over body over
references, return snippets for the shown hits and suggest close words when a query finds
little. The index follows every change to a post, its tags or its references
(blog.signals calls search_index_refresh).
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.safestring import SafeString

from .models import Post
from .search_backends import postgresql, sqlite
from .search_backends.query import MAX_QUERY_LENGTH, clean_search_query, parse_query
from .search_backends.ranked import RankedPosts
from .search_backends.snippets import has_hit, render_snippet

__all__ = [
    "MAX_QUERY_LENGTH",
    "SUGGEST_BELOW",
    "clean_search_query",
    "post_search",
    "post_search_vector",
    "search_index_rebuild",
    "search_index_refresh",
    "search_posts",
    "search_snippets",
    "search_suggestion",
]

# A query with fewer hits than this gets a "Did you mean …?" when a word looks mistyped.
SUGGEST_BELOW = 3
# How alike (pg_trgm's similarity, 0 to 1) a word of the posts must be to be suggested.
SUGGESTION_THRESHOLD = 0.3


def _backend():
    return postgresql if connection.vendor == "postgresql" else sqlite


def search_posts(text: str, queryset: QuerySet | None = None, *, prefixes: bool = True):
    """Published posts matching `text` (or those of `queryset`), best match first: a
    sequence that counts and slices like a queryset (blog.search_backends.ranked). With
    `prefixes`, words also match words that start like them (blog.search_backends.query)."""
    queryset = Post.objects.published() if queryset is None else queryset
    parsed = parse_query(text, prefixes=prefixes)
    if not parsed:
        return queryset.none()
    return _backend().search(queryset, parsed)


def search_snippets(text: str, posts) -> dict[int, SafeString]:
    """An escaped snippet for each post shown, hits in <mark>: from the body where the
    query hits it, else from the references where it hits them, else the body's start."""
    parsed = parse_query(text)
    post_ids = [post.pk for post in posts]
    if not parsed or not post_ids:
        return {}
    backend = _backend()
    with connection.cursor() as cursor:
        found = backend.snippets(cursor, parsed, post_ids)
    from_html = backend is postgresql
    snippets = {}
    for pk, (body, references) in found.items():
        raw = references if has_hit(references) and not has_hit(body) else body
        snippets[pk] = render_snippet(raw, from_html=from_html and raw is body)
    return snippets


def search_suggestion(text: str) -> str:
    """The query with each word that no post has replaced by the closest word that some
    post has, or "" when there is nothing better to suggest."""
    query = clean_search_query(text)
    parsed = parse_query(query)
    words = parsed.words() if parsed else []
    if not words:
        return ""
    with connection.cursor() as cursor:
        closest = _backend().closest_words(cursor, words, SUGGESTION_THRESHOLD)
    replaced = {word: better for word, better in closest.items() if better != word}
    for word, better in replaced.items():
        query = re.sub(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", better, query, flags=re.I)
    return query if replaced else ""


@dataclass
class PostSearch:
    """What a search shows. `searched` is the typed query, or the suggestion when the
    typed one found nothing and the suggestion finds something (`corrected` is then true);
    `count` is the number of posts in `posts`."""

    query: str
    searched: str
    posts: QuerySet | RankedPosts
    count: int
    suggestion: str = ""
    corrected: bool = False


def post_search(text: str, queryset: QuerySet | None = None) -> PostSearch:
    """What the search page shows: the posts with the words themselves; when they are
    fewer than SUGGEST_BELOW, also those with words that start alike, and a suggestion;
    when there are none, the posts the suggestion finds. One count when the words find
    enough; two more and the suggestion's query when they do not."""
    query = clean_search_query(text)
    if not parse_query(query):
        return PostSearch(query, query, search_posts(query, queryset), 0)
    posts = search_posts(query, queryset, prefixes=False)
    count = posts.count()
    if count >= SUGGEST_BELOW:
        return PostSearch(query, query, posts, count)
    broader = search_posts(query, queryset)
    broader_count = broader.count()
    if broader_count > count:
        posts, count = broader, broader_count
    if count >= SUGGEST_BELOW:
        return PostSearch(query, query, posts, count)
    suggestion = search_suggestion(query)
    if suggestion and not count:
        corrected = search_posts(suggestion, queryset)
        corrected_count = corrected.count()
        if corrected_count:
            return PostSearch(
                query, suggestion, corrected, corrected_count, suggestion, corrected=True
            )
    return PostSearch(query, query, posts, count, suggestion=suggestion)


def search_index_refresh(post_ids) -> None:
    """Bring these posts' search documents up to date (a deleted post's goes)."""
    post_ids = list(post_ids)
    if post_ids:
        with connection.cursor() as cursor:
            _backend().refresh(cursor, post_ids)


def search_index_rebuild() -> int:
    """Index every post again, for paths that skip Model.save() (bulk_create, raw SQL)."""
    with connection.cursor() as cursor:
        return _backend().rebuild(cursor)


def post_search_vector():
    """PostgreSQL only: the expression of migration 0003's GIN index, which 0005 replaces
    with the stored column. Kept for those two migrations."""
    return (
        SearchVector(Cast("title", TextField()), weight="A", config="english")
        + SearchVector("standfirst", weight="B", config="english")
        + SearchVector("body", weight="C", config="english")
    )
