"""PostgreSQL: a stored, weighted tsvector on each post (blog_post.search_document) under a
GIN index, which hits match; a smaller one (blog_post.search_rank_document) that ranks
them with ts_rank; snippets from ts_headline for the shown hits only, and a table of the
posts' words under a pg_trgm index for "Did you mean …?".

The columns and the tables come from migrations 0005_search_index, 0006 (which builds
the indexes concurrently) and 0007_search_rank_document. The columns are not model
fields: every query on posts would otherwise carry each post's whole vector, and SQLite
has no use for them.
"""

from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from . import ranked
from .documents import BATCH_SIZE, REFERENCES_SQL, Document, all_post_ids, read_documents
from .query import ParsedQuery, Term
from .snippets import START, STOP

CONFIG = "english"
# The parser reads "10.1126/science.abj8222" as two tokens; its parts are indexed too.
DOI_PARTS = " || ' ' || replace(replace(r.doi, '/', ' '), '.', ' ')"
COLUMN = '"blog_post"."search_document"'
# What ranks: the title (A), standfirst and tags (B), the body's opening (C) and the
# references' words without their positions (D, once each). Ranking reads a vector per
# hit; the whole document's is 1.8 KB a post at bench size, stored out of line, so a query
# that all 5,000 posts match spent most of its time reading and ranking those
# (docs/benchmarks.md). A word further into the body still matches; it ranks below the
# parts above.
RANK_COLUMN = '"blog_post"."search_rank_document"'
RANK_BODY_LENGTH = 1_500  # characters of the body's text: about its first 250 words
ADD_RANK_COLUMN_SQL = "ALTER TABLE blog_post ADD COLUMN IF NOT EXISTS search_rank_document tsvector"
DROP_RANK_COLUMN_SQL = "ALTER TABLE blog_post DROP COLUMN IF EXISTS search_rank_document"
HEADLINE_OPTIONS = (
    f'StartSel="{START}", StopSel="{STOP}", MaxWords=30, MinWords=15, ShortWord=2, '
    'MaxFragments=2, FragmentDelimiter=" … "'
)

CREATE_SQL = [
    "ALTER TABLE blog_post ADD COLUMN IF NOT EXISTS search_document tsvector",
    ADD_RANK_COLUMN_SQL,
    "CREATE TABLE IF NOT EXISTS blog_search_word (word text PRIMARY KEY)",
]
DROP_SQL = [
    "DROP TABLE IF EXISTS blog_search_word",
    "ALTER TABLE blog_post DROP COLUMN IF EXISTS search_document",
    DROP_RANK_COLUMN_SQL,
]
# Built without blocking writers by migration 0005 (CREATE INDEX CONCURRENTLY).
INDEXES = {
    "blog_post_search_document": "blog_post USING gin (search_document)",
    "blog_search_word_trigram": "blog_search_word USING gin (word gin_trgm_ops)",
}


def _term(term: Term, prefixes: bool) -> tuple[str, list]:
    if term.phrase:
        return f"phraseto_tsquery('{CONFIG}', %s)", [term.text]
    sql, params = f"websearch_to_tsquery('{CONFIG}', %s)", [term.text]
    if prefixes and term.prefix:  # letters and digits only: nothing in it is tsquery syntax
        sql = f"({sql} || to_tsquery('{CONFIG}', %s))"
        params.append(f"'{term.prefix}':*")
    return sql, params


def tsquery(parsed: ParsedQuery, *, prefixes: bool = True) -> tuple[str, list]:
    """The query as SQL building a tsquery, and its parameters; without `prefixes`, the
    words alone (what ranks: ts_rank with prefixes costs twice as much)."""
    prefixes = prefixes and parsed.prefixes
    groups, params = [], []
    for group in parsed.groups:
        parts = []
        for term in group.required:
            sql, term_params = _term(term, prefixes)
            parts.append(sql)
            params += term_params
        for term in group.excluded:
            sql, term_params = _term(term, prefixes)
            parts.append(f"!!{sql}")
            params += term_params
        groups.append("(" + " && ".join(parts) + ")")
    return "(" + " || ".join(groups) + ")", params


class RankedPosts(ranked.RankedPosts):
    """The posts of a queryset that match, best first: the page's ids ranked over the
    posts' table alone (the number of hits beside them), then those posts in full."""

    def __init__(self, queryset: QuerySet, parsed: ParsedQuery):
        super().__init__(queryset)
        self.query = tsquery(parsed)
        self.words = tsquery(parsed, prefixes=False)

    def hits(self, queryset: QuerySet) -> QuerySet:
        (query, params), (words, words_params) = self.query, self.words
        # Constant SQL around the parameters tsquery() made of what was typed. Posts that
        # match only by a word's start rank 0: after those that have the word itself.
        return queryset.filter(
            RawSQL(f"{COLUMN} @@ {query}", params, output_field=BooleanField())  # noqa: S611
        ).annotate(
            search_rank=RawSQL(  # noqa: S611
                f"ts_rank({RANK_COLUMN}, {words})", words_params, output_field=FloatField()
            )
        )


def search(queryset: QuerySet, parsed: ParsedQuery) -> RankedPosts:
    """The posts of `queryset` that match, best first."""
    return RankedPosts(queryset, parsed)


def snippets(cursor, parsed: ParsedQuery, post_ids: list[int]) -> dict[int, tuple[str, str]]:
    """(body snippet, references snippet) of each post, hits between START and STOP. The
    body is the stored HTML: ts_headline's parser skips tags and keeps entities."""
    if not post_ids:
        return {}
    query, params = tsquery(parsed)
    references = REFERENCES_SQL.format(aggregate="string_agg", doi_parts="")
    cursor.execute(
        f"""SELECT p.id,
            ts_headline('{CONFIG}', translate(p.body_html, %s, ''), q.q, %s),
            ts_headline('{CONFIG}', coalesce({references}, ''), q.q, %s)
        FROM blog_post p, (SELECT {query} AS q) q
        WHERE p.id = ANY(%s)""",  # noqa: S608 (constant SQL, values are parameters)
        [START + STOP, HEADLINE_OPTIONS, HEADLINE_OPTIONS, *params, post_ids],
    )
    return {pk: (body, refs) for pk, body, refs in cursor.fetchall()}


def closest_words(cursor, words: list[str], threshold: float) -> dict[str, str]:
    """For each word, the most similar word of the vocabulary (itself when it is there)."""
    if not words:
        return {}
    cursor.execute(
        """SELECT t.word, (
            SELECT w.word FROM blog_search_word w
            WHERE w.word %% t.word AND similarity(w.word, t.word) >= %s
            ORDER BY similarity(w.word, t.word) DESC, w.word LIMIT 1)
        FROM unnest(%s::text[]) AS t(word)""",
        [threshold, words],
    )
    return {word: closest for word, closest in cursor.fetchall() if closest}


def write(cursor, documents: list[Document]) -> None:
    if not documents:
        return
    columns = list(
        zip(*((d.post_id, d.title, d.standfirst, d.tags, d.body, d.references)
              for d in documents), strict=True)
    )  # fmt: skip
    cursor.execute(
        f"""UPDATE blog_post AS p SET search_document =
            setweight(to_tsvector('{CONFIG}', d.title), 'A')
            || setweight(to_tsvector('{CONFIG}', d.standfirst || ' ' || d.tags), 'B')
            || setweight(to_tsvector('{CONFIG}', d.body), 'C')
            || setweight(to_tsvector('{CONFIG}', d.refs), 'D'),
        search_rank_document =
            setweight(to_tsvector('{CONFIG}', d.title), 'A')
            || setweight(to_tsvector('{CONFIG}', d.standfirst || ' ' || d.tags), 'B')
            || setweight(to_tsvector('{CONFIG}', left(d.body, {RANK_BODY_LENGTH})), 'C')
            || strip(to_tsvector('{CONFIG}', d.refs))
        FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
            AS d(id, title, standfirst, tags, body, refs)
        WHERE p.id = d.id""",  # noqa: S608 (constant SQL, values are parameters)
        [list(column) for column in columns],
    )
    words = sorted(set().union(*(d.words() for d in documents)))
    cursor.execute(
        "INSERT INTO blog_search_word (word) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING",
        [words],
    )


def refresh(cursor, post_ids) -> None:
    post_ids = sorted({int(pk) for pk in post_ids})
    for start in range(0, len(post_ids), BATCH_SIZE):
        batch = post_ids[start : start + BATCH_SIZE]
        write(cursor, list(read_documents(cursor, batch, "string_agg", DOI_PARTS)))


def rebuild(cursor) -> int:
    cursor.execute("DELETE FROM blog_search_word")
    post_ids = all_post_ids(cursor)
    refresh(cursor, post_ids)
    return len(post_ids)
