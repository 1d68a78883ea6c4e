"""Seed the benchmark site on PostgreSQL: 5,000 posts and ~510,000 comments in minutes.

Comment trees are shaped in Python (replies cluster on recent comments, depth at most 8)
and their nested-set fields (tree_id, lft, rght, level) computed per tree, then streamed
with COPY a few dozen posts at a time, so memory stays flat whatever the size.

    DJANGO_SETTINGS_MODULE=bench.settings python -m bench.seed [--reseed] [--posts-only]

--posts-only seeds the people and posts alone, on PostgreSQL or SQLite: what the search
benchmark needs (bench.measure search).
"""

import argparse
import os
import random
import sys
import time
import uuid
from datetime import timedelta
from types import SimpleNamespace

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from blog.models import Category, Post  # noqa: E402
from blog.search import search_index_rebuild  # noqa: E402
from charcot.markdown import COMMENT, POST, render_markdown  # noqa: E402
from comments import fragments  # noqa: E402
from comments.models import Comment  # noqa: E402
from comments.tree import nested_set_numbers  # noqa: E402

POSTS = 5_000
COMMENTS_PER_POST = 100
MAX_LEVEL = 7  # levels 0..7: eight levels deep
# Posts the benchmark reads and writes, by slug and comment count.
SPECIAL = {
    "bench-10000": 10_000,
    "bench-1000": 1_000,
    "bench-100": 100,
    "bench-0": 0,
    "bench-write": 1_000,  # replies are posted here; reset by reset_write_post()
}
PEOPLE = 300
POSTS_PER_BATCH = 40
SEED = 20261125

WORDS = [
    "remyelination",
    "trial",
    "cohort",
    "lesion",
    "relapse",
    "placebo",
    "biomarker",
    "neurofilament",
    "ocrelizumab",
    "fatigue",
    "MRI",
    "gadolinium",
    "progression",
    "disability",
    "EDSS",
    "cognition",
    "microglia",
    "astrocyte",
    "vitamin",
    "sunlight",
    "epidemiology",
    "Epstein",
    "Barr",
    "virus",
    "onset",
    "clinic",
    "neurologist",
    "symptom",
    "walking",
    "balance",
    "vision",
    "numbness",
    "tingling",
    "study",
    "result",
    "evidence",
    "dose",
    "week",
    "month",
    "year",
    "patient",
    "researcher",
    "paper",
    "journal",
]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def comment_pool(rng: random.Random, size: int = 300) -> list[tuple[str, str]]:
    """Distinct comment bodies (Markdown, HTML), rendered once and reused."""
    pool = []
    for _ in range(size):
        paragraphs = [
            " ".join(sentence(rng, rng.randint(6, 16)) for _ in range(rng.randint(1, 4)))
            for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))
        ]
        if rng.random() < 0.15:
            paragraphs.append("See [the paper](https://doi.org/10.1000/xyz123) for *details*.")
        body = "\n\n".join(paragraphs)
        pool.append((body, render_markdown(body, COMMENT)))
    return pool


def tree_shape(rng: random.Random, count: int) -> list[int]:
    """Parent index (or -1) of each comment in posting order; replies favour recent ones."""
    parents, levels = [], []
    for index in range(count):
        if index == 0 or rng.random() < 0.35:
            parents.append(-1)
            levels.append(0)
            continue
        if rng.random() < 0.6:
            parent = rng.randint(max(0, index - 30), index - 1)
        else:
            parent = rng.randint(0, index - 1)
        while levels[parent] >= MAX_LEVEL:
            parent = parents[parent]
        parents.append(parent)
        levels.append(levels[parent] + 1)
    return parents


class CommentWriter:
    """COPY rows into comments_comment, filling any field the seed does not know with its
    default, so the script keeps working when the model grows."""

    def __init__(self):
        self.fields = Comment._meta.concrete_fields
        self.columns = [f.column for f in self.fields]
        self.defaults = {}
        for field in self.fields:
            if field.has_default() and not callable(field.default):
                self.defaults[field.attname] = field.get_db_prep_save(
                    field.get_default(), connection
                )
            elif not field.has_default() and field.null:
                self.defaults[field.attname] = None
            elif not field.has_default():
                self.defaults[field.attname] = ""
        self.callables = [f for f in self.fields if f.has_default() and callable(f.default)]

    def copy(self, rows: list[dict]) -> None:
        sql = f"COPY {Comment._meta.db_table} ({', '.join(self.columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                for field in self.callables:
                    if field.attname not in row:
                        row[field.attname] = field.get_db_prep_save(field.get_default(), connection)
                copy.write_row(
                    [row.get(f.attname, self.defaults.get(f.attname)) for f in self.fields]
                )


def next_value(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return (cursor.fetchone()[0] or 0) + 1


def comment_rows(*, post, count, rng, pool, people, first_id, first_tree_id, start, writers):
    """Rows for one post's discussion, each with its stored fragment (as Comment.save
    stores it); returns (rows, next id, next tree id)."""
    parents = tree_shape(rng, count)
    shapes = nested_set_numbers(parents)
    tree_of_root, rows = {}, []
    tree_id = first_tree_id
    for index, (parent, (root, lft, rght, level)) in enumerate(zip(parents, shapes, strict=True)):
        if root not in tree_of_root:
            tree_of_root[root] = tree_id
            tree_id += 1
        body, body_html = rng.choice(pool)
        person = rng.choice(people) if rng.random() < 0.4 else None
        name = sentence(rng, 2)[:-1] if person is None else ""
        roll = rng.random()
        status = (
            Comment.Status.APPROVED
            if roll < 0.97
            else Comment.Status.PENDING
            if roll < 0.985
            else Comment.Status.REMOVED
        )
        rows.append(
            {
                "id": first_id + index,
                "post_id": post.pk,
                "parent_id": None if parent < 0 else first_id + parent,
                "user_id": person,
                "author_name": name,
                "author_email": f"reader{index}@example.org" if person is None else "",
                "body": body,
                "body_html": body_html,
                "status": status,
                "created_at": start + timedelta(minutes=index),
                "ip_hash": f"{rng.getrandbits(128):032x}",
                "user_agent": "Mozilla/5.0 (bench)",
                "token": uuid.UUID(int=rng.getrandbits(128), version=4),
                "tree_id": tree_of_root[root],
                "lft": lft,
                "rght": rght,
                "level": level,
            }
        )
        shown = SimpleNamespace(**rows[-1], author_url="", edited_at=None, redacted_at=None)
        shown.is_pinned = False
        writer, is_post_author = (
            writers.get(person),
            person is not None and person == post.author_id,
        )
        rows[-1]["html"] = fragments.Chrome.get().render(shown, writer, is_post_author)
        rows[-1]["html_key"] = fragments.key_of(shown, writer, is_post_author)
    return rows, first_id + count, tree_id


def seed_comments(posts_with_counts, *, rng, pool, people) -> int:
    writer = CommentWriter()
    table = Comment._meta.db_table
    first_id = next_value(f"SELECT max(id) FROM {table}")  # noqa: S608 (model metadata)
    tree_id = next_value(f"SELECT max(tree_id) FROM {table}")  # noqa: S608
    total = 0
    writers = fragments.writers_of(people)
    for start in range(0, len(posts_with_counts), POSTS_PER_BATCH):
        batch = []
        for post, count in posts_with_counts[start : start + POSTS_PER_BATCH]:
            rows, first_id, tree_id = comment_rows(
                post=post,
                count=count,
                rng=rng,
                pool=pool,
                people=people,
                first_id=first_id,
                first_tree_id=tree_id,
                start=post.published_at + timedelta(hours=1),
                writers=writers,
            )
            batch.extend(rows)
        with transaction.atomic():
            writer.copy(batch)
        total += len(batch)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {table}))",  # noqa: S608
            [table],
        )
    return total


def reset_write_post() -> Post:
    """Give the write benchmark's post a fresh 1,000-comment discussion (new tree ids)."""
    post = Post.objects.get(slug="bench-write")
    Comment.objects.filter(post=post).delete()
    rng = random.Random(SEED + 1)
    people = list(User.objects.filter(username__startswith="bench").values_list("pk", flat=True))
    seed_comments(
        [(post, SPECIAL["bench-write"])], rng=rng, pool=comment_pool(rng, 50), people=people
    )
    return post


def seed(*, posts_only: bool = False) -> None:
    rng = random.Random(SEED)
    started = time.monotonic()
    password = make_password("bench-password-not-secret")
    User.objects.bulk_create(
        User(
            username=f"bench{n}",
            slug=f"bench{n}",
            email=f"bench{n}@example.org",
            display_name=sentence(rng, 2)[:-1],
            password=password,
        )
        for n in range(PEOPLE)
    )
    people = list(User.objects.filter(username__startswith="bench").values_list("pk", flat=True))
    categories = Category.objects.bulk_create(
        Category(name=f"Bench category {n}", slug=f"bench-category-{n}") for n in range(8)
    )
    body = "\n\n".join(
        " ".join(sentence(rng, rng.randint(8, 20)) for _ in range(5)) for _ in range(8)
    )
    body_html = render_markdown(body, POST)
    now = timezone.now()
    slugs = list(SPECIAL) + [f"bench-post-{n}" for n in range(POSTS - len(SPECIAL))]
    posts = Post.objects.bulk_create(
        (
            Post(
                title=sentence(rng, 6)[:-1],
                slug=slug,
                author_id=people[n % 10],
                category=categories[n % len(categories)],
                standfirst=sentence(rng, 25),
                body=body,
                body_html=body_html,
                status=Post.Status.PUBLISHED,
                # The special posts sit a little way back, off the home page.
                published_at=now - timedelta(hours=6 * (n if n >= len(SPECIAL) else 50 + n)),
            )
            for n, slug in enumerate(slugs)
        ),
        batch_size=1000,
    )
    print(f"  {len(people)} people, {len(posts)} posts ({time.monotonic() - started:.1f} s)")
    search_index_rebuild()  # bulk_create skipped the save that indexes each post
    print(f"  search index ({time.monotonic() - started:.1f} s)")
    if posts_only:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return
    pool = comment_pool(rng)
    work = [(post, SPECIAL.get(post.slug, COMMENTS_PER_POST)) for post in posts]
    total = seed_comments(work, rng=rng, pool=pool, people=people)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  {total} comments ({time.monotonic() - started:.1f} s)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reseed", action="store_true", help="wipe the bench database first")
    parser.add_argument("--posts-only", action="store_true", help="no comments (any database)")
    args = parser.parse_args(argv)
    seeded = Post.objects.filter(slug="bench-10000").exists()
    if seeded and not args.reseed:
        if not args.posts_only:
            reset_write_post()
            # A database seeded before comments stored their fragments: the measured posts'
            # comments get theirs, as Comment.save would have stored them.
            fragments.refresh(Comment.objects.filter(post__slug__in=SPECIAL, html=""))
        print(f"Already seeded: {Post.objects.count()} posts, {Comment.objects.count()} comments.")
        return 0
    if seeded:
        call_command("flush", "--noinput", verbosity=0)
    seed(posts_only=args.posts_only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
