"""Check every comment tree's nested-set fields with SQL: valid, chronological, per post.

Together the checks say each tree is exactly what django-mptt's rebuild() would produce
for last-child insertion: roots at level 0 spanning 1..2n, each child nested in its
parent one level down, siblings in posting order, no gaps or repeats.

    DJANGO_SETTINGS_MODULE=bench.settings python -m bench.check_trees [--post SLUG]
"""

import argparse
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.db import connection  # noqa: E402

from blog.models import Post  # noqa: E402
from comments.models import Comment  # noqa: E402

# The table name is spelled out in the SQL below; fail loudly if it ever moves.
assert Comment._meta.db_table == "comments_comment"  # noqa: S101

CHECKS = {
    "roots are level 0 with lft 1; others are not": """
        SELECT count(*) FROM comments_comment c WHERE {scope}
        AND ((c.parent_id IS NULL) <> (c.level = 0) OR (c.parent_id IS NULL) <> (c.lft = 1))""",
    "each tree spans 1..2n with lft < rght": """
        SELECT count(*) FROM (
            SELECT c.tree_id FROM comments_comment c WHERE {scope} GROUP BY c.tree_id
            HAVING min(c.lft) <> 1 OR max(c.rght) <> 2 * count(*)
                OR bool_or(c.lft >= c.rght) OR count(DISTINCT c.post_id) <> 1
        ) bad""",
    "no lft or rght value repeats inside a tree": """
        SELECT count(*) FROM (
            SELECT c.tree_id, v FROM comments_comment c, LATERAL (VALUES (c.lft), (c.rght)) AS x(v)
            WHERE {scope} GROUP BY c.tree_id, v HAVING count(*) > 1
        ) bad""",
    "children nest inside their parent, one level down, same tree and post": """
        SELECT count(*) FROM comments_comment c JOIN comments_comment p ON p.id = c.parent_id WHERE {scope}
        AND NOT (c.tree_id = p.tree_id AND c.post_id = p.post_id AND c.level = p.level + 1
                 AND c.lft > p.lft AND c.rght < p.rght)""",
    "siblings are in posting order": """
        SELECT count(*) FROM comments_comment c JOIN comments_comment b
          ON c.parent_id = b.parent_id AND c.id < b.id AND c.lft > b.lft
        WHERE {scope}""",
    "depth is at most 8": "SELECT count(*) FROM comments_comment c WHERE {scope} AND c.level > 7",
}


def check(post_id: int | None = None) -> dict[str, int]:
    """Number of offending rows or trees per rule (all zero when every tree is valid)."""
    scope = "TRUE" if post_id is None else f"c.post_id = {int(post_id)}"
    results = {}
    with connection.cursor() as cursor:
        for name, sql in CHECKS.items():
            cursor.execute(sql.format(scope=scope))  # noqa: S608 (an int id or TRUE)
            results[name] = cursor.fetchone()[0]
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--post", help="only this post's trees (slug)")
    args = parser.parse_args(argv)
    post_id = Post.objects.get(slug=args.post).pk if args.post else None
    results = check(post_id)
    for name, bad in results.items():
        print(f"  {'ok ' if bad == 0 else 'BAD'} {name}" + (f": {bad}" if bad else ""))
    return 0 if not any(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
