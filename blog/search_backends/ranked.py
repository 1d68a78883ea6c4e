"""Hits ranked in the database and read in two steps, on either backend: the ranked ids of
a page with the number of all hits beside them (`count(*) OVER ()`: one scan counts and
ranks), then those posts alone, in full.

Ranking in the same query as the posts' rows would carry every hit's row, author and
category through the sort; counting apart would read every hit's document a second time.
"""

from django.db import connection
from django.db.models import QuerySet

# Ids read with the count: the first page of results (the search page shows ten), so a
# first page costs one ranking scan and one read of its posts.
HEAD = 20


class RankedPosts:
    """The posts of a queryset that match, best first. Counts and slices like a queryset,
    which is all a paginator asks of it; subclasses say how a backend matches and ranks."""

    ordered = True
    rank_order = "DESC"  # how search_rank sorts, best first

    def __init__(self, queryset: QuerySet):
        self.queryset = queryset
        self._count: int | None = None
        self._head: list[int] | None = None

    def hits(self, queryset: QuerySet) -> QuerySet:
        """`queryset` narrowed to the hits, each with its `search_rank`."""
        raise NotImplementedError

    def ranked(self, queryset: QuerySet) -> QuerySet:
        """The hits, best first."""
        rank = "-search_rank" if self.rank_order == "DESC" else "search_rank"
        return self.hits(queryset).order_by(rank, "-published_at", "-pk")

    def rows(self, start: int, stop: int | None) -> list[tuple[int, int]]:
        """(id, number of all hits) of the hits from `start` to `stop`, best first. The
        hits are ranked once each, in a materialized CTE: otherwise PostgreSQL counts them
        over their whole rows, vectors included, and ranks them afterwards, and SQLite
        cannot call bm25() under a window function."""
        hits = self.hits(self.queryset).order_by()
        sql, params = hits.values_list("pk", "published_at", "search_rank").query.sql_with_params()
        limit = connection.ops.no_limit_value() if stop is None else stop - start
        with connection.cursor() as cursor:
            cursor.execute(
                f"""WITH hits (id, published_at, search_rank) AS MATERIALIZED ({sql})
                SELECT id, count(*) OVER () FROM hits
                ORDER BY search_rank {self.rank_order}, published_at DESC, id DESC
                LIMIT %s OFFSET %s""",  # noqa: S608 (SQL the ORM compiled; values are parameters)
                [*params, limit, start],
            )
            return cursor.fetchall()

    def _window(self, start: int, stop: int | None) -> list[int]:
        rows = self.rows(start, stop)
        if rows:
            self._count = rows[0][1]
        elif start == 0:
            self._count = 0
        return [pk for pk, _total in rows]

    def count(self) -> int:
        if self._count is None:
            self._head = self._window(0, HEAD)
        if self._count is None:  # read past the last hit: count them apart
            self._count = self.ranked(self.queryset).count()
        return self._count

    def _ids(self, start: int, stop: int | None) -> list[int]:
        head = self._head
        if head is not None and (len(head) < HEAD or (stop is not None and stop <= HEAD)):
            return head[start:stop]
        return self._window(start, stop)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        if index.step is not None:
            return list(self)[index]
        ids = self._ids(index.start or 0, index.stop)
        posts = {post.pk: post for post in self.queryset.filter(pk__in=ids)} if ids else {}
        return [posts[pk] for pk in ids if pk in posts]

    def __iter__(self):
        return iter(self[:])

    def __len__(self) -> int:
        return self.count()

    def explain(self, **options) -> str:
        return self.ranked(self.queryset).explain(**options)

    def for_lists(self) -> "RankedPosts":
        """The same hits, each post loaded as lists show it; what was counted stays known."""
        clone = self.__class__.__new__(self.__class__)
        clone.__dict__.update(self.__dict__)
        clone.queryset = self.queryset.for_lists()
        return clone
