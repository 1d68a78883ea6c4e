"""SQLite: an FTS5 table of the posts' documents, ranked by bm25, and a trigram FTS5 table
over the words of every post for "Did you mean …?".

The tables are created by migration 0005_search_index (SQLite only); a trigger drops a
deleted post's row, blog.search keeps the rest in step.
"""

import json

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from . import ranked
from .documents import BATCH_SIZE, Document, all_post_ids, read_documents
from .query import ParsedQuery, Term
from .snippets import START, STOP

TABLE = "blog_post_fts"
# Columns of TABLE and their bm25 weights: PostgreSQL's A, B, B, C, D weights (1, 0.4,
# 0.4, 0.2, 0.1) times ten, so both databases order hits alike.
COLUMNS = ("title", "standfirst", "tags", "body", "refs")
WEIGHTS = (10.0, 4.0, 4.0, 2.0, 1.0)
BODY, REFERENCES = COLUMNS.index("body"), COLUMNS.index("refs")
SNIPPET_TOKENS = 24
CANDIDATES = 20  # words fetched by shared trigrams, then compared like pg_trgm does

CREATE_SQL = [
    f"""CREATE VIRTUAL TABLE {TABLE} USING fts5(
        {", ".join(COLUMNS)}, tokenize = 'porter unicode61 remove_diacritics 2')""",
    # Whether a hit is public, read without the post's row (RankedPosts).
    "CREATE INDEX blog_post_search_visible ON blog_post (id, status, published_at)",
    f"""CREATE TRIGGER blog_post_fts_delete AFTER DELETE ON blog_post BEGIN
        DELETE FROM {TABLE} WHERE rowid = old.id; END""",  # noqa: S608 (constant)
    """CREATE TABLE blog_search_word (
        id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE)""",
    """CREATE VIRTUAL TABLE blog_search_word_trigram USING fts5(
        word, content = 'blog_search_word', content_rowid = 'id', tokenize = 'trigram')""",
    """CREATE TRIGGER blog_search_word_insert AFTER INSERT ON blog_search_word BEGIN
        INSERT INTO blog_search_word_trigram (rowid, word) VALUES (new.id, new.word); END""",
    """CREATE TRIGGER blog_search_word_delete AFTER DELETE ON blog_search_word BEGIN
        INSERT INTO blog_search_word_trigram (blog_search_word_trigram, rowid, word)
        VALUES ('delete', old.id, old.word); END""",
]
DROP_SQL = [
    "DROP TRIGGER IF EXISTS blog_search_word_delete",
    "DROP TRIGGER IF EXISTS blog_search_word_insert",
    "DROP TABLE IF EXISTS blog_search_word_trigram",
    "DROP TABLE IF EXISTS blog_search_word",
    "DROP TRIGGER IF EXISTS blog_post_fts_delete",
    "DROP INDEX IF EXISTS blog_post_search_visible",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def _string(text: str) -> str:
    """An FTS5 string: whatever is inside is text for the tokenizer, never syntax."""
    return '"' + text.replace('"', '""') + '"'


def _term(term: Term, prefixes: bool) -> str:
    if prefixes and term.prefix:
        return f"({_string(term.text)} OR {_string(term.prefix)}*)"
    return _string(term.text)


def match_expression(parsed: ParsedQuery) -> str:
    groups, prefixes = [], parsed.prefixes
    for group in parsed.groups:
        expression = "(" + " AND ".join(_term(t, prefixes) for t in group.required) + ")"
        if group.excluded:
            excluded = " OR ".join(_term(t, prefixes) for t in group.excluded)
            expression += f" NOT ({excluded})"
        groups.append(expression)
    return " OR ".join(groups)


class RankedPosts(ranked.RankedPosts):
    """The posts of a queryset that match, best first, read in two steps: the page's ids,
    ranked in the FTS5 table and checked against the queryset's filter through the
    blog_post_search_visible index (the number of hits beside them), then those posts
    alone in full. In one query SQLite would read every matching post's row (past its
    long body, to its status) and sort them whole with their authors: 50 ms for 5,000 hits
    instead of 15.
    """

    def __init__(self, queryset: QuerySet, match: str):
        super().__init__(queryset)
        self.match = match

    rank_order = "ASC"  # bm25() is lower for better hits

    def hits(self, queryset: QuerySet) -> QuerySet:
        weights = ", ".join(str(w) for w in WEIGHTS)
        # extra(): the ORM cannot otherwise join a table no model describes, and the FTS5
        # table exists on SQLite only. MATCH and bm25() need the table's own name.
        return (
            queryset.extra(  # noqa: S610 (constant SQL; the query is a parameter)
                tables=[TABLE],
                where=[f'{TABLE}.rowid = "blog_post"."id"', f"{TABLE} MATCH %s"],
                params=[self.match],
            ).annotate(search_rank=RawSQL(f"bm25({TABLE}, {weights})", ()))  # noqa: S611
        )


def search(queryset: QuerySet, parsed: ParsedQuery) -> RankedPosts:
    """The posts of `queryset` that match, best first (bm25 is lower for better hits)."""
    return RankedPosts(queryset, match_expression(parsed))


def snippets(cursor, parsed: ParsedQuery, post_ids: list[int]) -> dict[int, tuple[str, str]]:
    """(body snippet, references snippet) of each post, hits between START and STOP."""
    if not post_ids:
        return {}
    placeholders = ", ".join(["%s"] * len(post_ids))
    cursor.execute(
        f"""SELECT rowid,
            snippet({TABLE}, {BODY}, %s, %s, ' … ', {SNIPPET_TOKENS}),
            snippet({TABLE}, {REFERENCES}, %s, %s, ' … ', {SNIPPET_TOKENS})
        FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid IN ({placeholders})""",  # noqa: S608
        [START, STOP, START, STOP, match_expression(parsed), *post_ids],
    )
    return {pk: (body, refs) for pk, body, refs in cursor.fetchall()}


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: lower case, two spaces before, one after."""
    padded = f"  {word.lower()} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams of the two words."""
    first, second = trigrams(a), trigrams(b)
    return len(first & second) / len(first | second)


def closest_words(cursor, words: list[str], threshold: float) -> dict[str, str]:
    """For each word, the most similar word of the vocabulary (itself when it is there)."""
    words = [w for w in words if len(w) >= 3]
    if not words:
        return {}
    selects, params = [], []
    for word in words:
        inner = " OR ".join(_string(word[i : i + 3]) for i in range(len(word) - 2))
        selects.append(
            "SELECT * FROM (SELECT %s, word FROM blog_search_word_trigram"
            " WHERE blog_search_word_trigram MATCH %s ORDER BY rank LIMIT %s)"
        )
        params += [word, inner, CANDIDATES]
    cursor.execute(" UNION ALL ".join(selects), params)
    candidates: dict[str, list[str]] = {}
    for word, candidate in cursor.fetchall():
        candidates.setdefault(word, []).append(candidate)
    found = {}
    for word in words:
        scored = [(similarity(word, c), c) for c in candidates.get(word, [])]
        scored = [(-score, c) for score, c in scored if score >= threshold]
        if scored:
            found[word] = min(scored)[1]
    return found


def write(cursor, documents: list[Document], post_ids: list[int]) -> None:
    """Replace these posts' rows (a deleted post's row goes) and add their new words."""
    if not post_ids:
        return
    placeholders = ", ".join(["%s"] * len(post_ids))
    cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({placeholders})", post_ids)  # noqa: S608
    if not documents:
        return
    cursor.executemany(
        f"INSERT INTO {TABLE} (rowid, {', '.join(COLUMNS)}) VALUES (%s, %s, %s, %s, %s, %s)",  # noqa: S608
        [(d.post_id, d.title, d.standfirst, d.tags, d.body, d.references) for d in documents],
    )
    words = sorted(set().union(*(d.words() for d in documents)))
    cursor.execute(
        "INSERT OR IGNORE INTO blog_search_word (word) SELECT value FROM json_each(%s)",
        [json.dumps(words)],
    )


def refresh(cursor, post_ids) -> None:
    post_ids = sorted({int(pk) for pk in post_ids})
    for start in range(0, len(post_ids), BATCH_SIZE):
        batch = post_ids[start : start + BATCH_SIZE]
        write(cursor, list(read_documents(cursor, batch, "group_concat")), batch)


def rebuild(cursor) -> int:
    cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
    cursor.execute("DELETE FROM blog_search_word")
    post_ids = all_post_ids(cursor)
    refresh(cursor, post_ids)
    return len(post_ids)
