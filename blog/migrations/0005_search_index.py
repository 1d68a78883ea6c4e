"""The search index's tables, empty: 0006_search_index_backfill fills them and builds the
PostgreSQL indexes without blocking writers.

PostgreSQL: a tsvector column on blog_post, a table of words and the pg_trgm extension
(for "Did you mean …?"). SQLite: an FTS5 table of the posts' documents and an FTS5
trigram table over a table of words. See blog.search_backends.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from blog.search_backends import postgresql, sqlite


def _backend(schema_editor):
    vendor = schema_editor.connection.vendor
    return {"postgresql": postgresql, "sqlite": sqlite}.get(vendor)


def create_tables(apps, schema_editor):
    backend = _backend(schema_editor)
    for statement in backend.CREATE_SQL if backend else ():
        schema_editor.execute(statement)


def drop_tables(apps, schema_editor):
    backend = _backend(schema_editor)
    for statement in backend.DROP_SQL if backend else ():
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0004_post_source_guid"),
    ]

    operations = [
        TrigramExtension(),  # does nothing on SQLite
        migrations.RunPython(create_tables, drop_tables),
    ]
