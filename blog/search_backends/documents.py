"""What a post gives to the search index, read the same way for both databases.

A document has five parts, weighted as PostgreSQL's four classes allow: the title (A),
the standfirst and the tag names (B), the body as plain text (C), and the references:
authors, titles, journals, PMIDs and DOIs (D). Read with raw SQL on the tables, so the
migration that fills the index for an existing site uses it as well.
"""

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .query import UNSEARCHABLE

BATCH_SIZE = 200
TAG = re.compile(r"<[^>]*>")
VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,30}")
# One string per reference: PMIDs and DOIs as readers type them ("PMID 35025605",
# "10.1126/science.abj8222"). {doi_parts} may add the DOI's parts for a parser that keeps
# it whole (PostgreSQL's), so that "abj8222" finds it too.
REFERENCES_SQL = """(SELECT {aggregate}(
        r.authors || ' ' || r.title || ' ' || r.journal
        || CASE WHEN r.pmid <> '' THEN ' PMID ' || r.pmid ELSE '' END
        || CASE WHEN r.doi <> '' THEN ' DOI ' || r.doi{doi_parts} ELSE '' END,
        ' ') FROM blog_reference r WHERE r.post_id = p.id)"""
DOCUMENT_SQL = """
SELECT p.id, p.title, p.standfirst,
    (SELECT {aggregate}(t.name, ' ') FROM blog_tag t
        JOIN blog_post_tags pt ON pt.tag_id = t.id WHERE pt.post_id = p.id),
    p.body_html,
    {references}
FROM blog_post p WHERE p.id IN ({ids})
"""
# Longest body text indexed (characters): PostgreSQL refuses a tsvector over 1 MB.
MAX_BODY_LENGTH = 200_000


@dataclass(frozen=True)
class Document:
    post_id: int
    title: str
    standfirst: str
    tags: str
    body: str
    references: str

    def words(self) -> set[str]:
        """Words worth suggesting ("Did you mean …?"): letters only, lower case."""
        text = " ".join((self.title, self.standfirst, self.tags, self.body, self.references))
        return set(VOCABULARY_WORD.findall(text.lower()))


def plain_text(text: str) -> str:
    return " ".join(UNSEARCHABLE.sub(" ", text or "").split())


def html_to_text(body_html: str) -> str:
    return plain_text(html.unescape(TAG.sub(" ", body_html or "")))


def read_documents(
    cursor, post_ids: Iterable[int], aggregate: str, doi_parts: str = ""
) -> Iterator[Document]:
    """The documents of these posts (those that exist), BATCH_SIZE posts per query."""
    post_ids = sorted({int(pk) for pk in post_ids})
    for start in range(0, len(post_ids), BATCH_SIZE):
        batch = post_ids[start : start + BATCH_SIZE]
        placeholders = ", ".join(["%s"] * len(batch))
        sql = DOCUMENT_SQL.format(
            aggregate=aggregate,
            references=REFERENCES_SQL.format(aggregate=aggregate, doi_parts=doi_parts),
            ids=placeholders,
        )
        cursor.execute(sql, batch)
        for pk, title, standfirst, tags, body_html, references in cursor.fetchall():
            yield Document(
                post_id=pk,
                title=plain_text(title),
                standfirst=plain_text(standfirst),
                tags=plain_text(tags),
                body=html_to_text(body_html)[:MAX_BODY_LENGTH],
                references=plain_text(references),
            )


def all_post_ids(cursor) -> list[int]:
    cursor.execute("SELECT id FROM blog_post ORDER BY id")
    return [row[0] for row in cursor.fetchall()]
