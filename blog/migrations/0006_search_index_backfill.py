"""Fill the search index for the posts already there, then (PostgreSQL) build its indexes
with CREATE INDEX CONCURRENTLY and drop 0003's expression index, which nothing uses now.

Not atomic: each batch of posts is its own short transaction, and the indexes are built
while the site keeps taking writes. Safe to run again after an interruption.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations, transaction

from blog.search import post_search_vector
from blog.search_backends import postgresql, sqlite
from blog.search_backends.documents import BATCH_SIZE, all_post_ids

OLD_INDEX = "blog_post_search_gin"


def backfill(apps, schema_editor):
    connection = schema_editor.connection
    backend = {"postgresql": postgresql, "sqlite": sqlite}.get(connection.vendor)
    if backend is None:
        return
    with connection.cursor() as cursor:
        post_ids = all_post_ids(cursor)
    for start in range(0, len(post_ids), BATCH_SIZE):
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            backend.refresh(cursor, post_ids[start : start + BATCH_SIZE])


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, target in postgresql.INDEXES.items():
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {target}")
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {OLD_INDEX}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(
        apps.get_model("blog", "Post"), GinIndex(post_search_vector(), name=OLD_INDEX)
    )
    for name in postgresql.INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("blog", "0005_search_index"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
