import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The single-column indexes Django made for these fields; each is the leading column of a
# composite index (comment_post_tree_order, comment_user_created, the (tree_id, lft) one).
# Dropped by name: AlterField would also drop and re-validate the foreign keys, and
# drop the partial unique index one_pinned_comment_per_post with the post_id index.
COVERED = {
    "comments_comment_post_id_96a9ac05": "post_id",
    "comments_comment_user_id_a1db4881": "user_id",
    "comments_comment_tree_id_d91ce17d": "tree_id",
}


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0003_post_search_index_on_postgresql"),
        ("comments", "0006_discussion_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "comments_comment" ("{column}")',
                )
                for name, column in COVERED.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="comment",
                    name="post",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="comments",
                        to="blog.post",
                    ),
                ),
                migrations.AlterField(
                    model_name="comment",
                    name="tree_id",
                    field=models.PositiveIntegerField(editable=False),
                ),
                migrations.AlterField(
                    model_name="comment",
                    name="user",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="comments",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
    ]
