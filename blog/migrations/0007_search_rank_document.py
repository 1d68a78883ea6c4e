"""PostgreSQL: the smaller vector that ranks hits (blog.search_backends.postgresql,
RANK_COLUMN), added to the posts' table and filled for the posts already there.

Not atomic: each batch of posts is its own short transaction, as in 0006; adding a
column with no default does not rewrite the table. Does nothing on SQLite. A site that
ran 0005 after this change already has the column (0005 creates it too).
"""

from django.db import migrations, transaction

from blog.search_backends import postgresql
from blog.search_backends.documents import BATCH_SIZE, all_post_ids


def add_and_fill(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    schema_editor.execute(postgresql.ADD_RANK_COLUMN_SQL)
    with connection.cursor() as cursor:
        post_ids = all_post_ids(cursor)
    for start in range(0, len(post_ids), BATCH_SIZE):
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            postgresql.refresh(cursor, post_ids[start : start + BATCH_SIZE])


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(postgresql.DROP_RANK_COLUMN_SQL)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("blog", "0006_search_index_backfill"),
    ]

    operations = [
        migrations.RunPython(add_and_fill, drop),
    ]
