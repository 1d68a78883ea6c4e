"""A GIN index for ranked full-text search, on PostgreSQL only (SQLite has no tsvector).

It is built from blog.search.post_search_vector(), the expression search_posts() queries,
so the planner can use it. It is not in Post.Meta because SQLite cannot create it.
"""

from django.db import migrations

INDEX_NAME = "blog_post_search_gin"


def _index():
    from django.contrib.postgres.indexes import GinIndex

    from blog.search import post_search_vector

    return GinIndex(post_search_vector(), name=INDEX_NAME)


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("blog", "Post"), _index())


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("blog", "Post"), _index())


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0002_post_scholarly_fields_references_corrections"),
    ]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
    ]
