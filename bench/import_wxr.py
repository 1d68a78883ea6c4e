"""The import at scale: write a large WXR, import it, report time, peak memory and trees.

    python -m bench.import_wxr generate --posts 5000 --comments 500000 --out bench/out/big.xml
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/import_bench \\
        python -m bench.import_wxr run bench/out/big.xml

`run` migrates the database named by DATABASE_URL, empties its posts and comments, imports
the file in this process and prints one JSON object: wall and CPU seconds of the import,
the CPU seconds of its PostgreSQL backend (when the server runs on this machine), the
rest of the wall time being waits (disk, or a core on a busy machine), the load average
at the end, peak resident memory (MB), counts, and the tree check of bench/check_trees.py (every value 0 when all trees are valid).
"""

import argparse
import json
import os
import random
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Bench blog</title><link>https://bench.example</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>https://bench.example</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[prof]]></wp:author_login>
<wp:author_email><![CDATA[prof@bench.example]]></wp:author_email>
<wp:author_display_name><![CDATA[Prof G]]></wp:author_display_name></wp:author>
"""
STATUSES = ["1"] * 90 + ["0"] * 5 + ["spam"] * 3 + ["trash"] * 2
BODY = ("<p>Paragraph {n} about <em>remyelination</em> and B cells, with a "
        '<a href="https://doi.org/10.1000/{n}">link</a>.</p>\n')  # fmt: skip


def comment_text(rng, number: int) -> str:
    """As WordPress stores comments: mostly plain text with blank lines, some markup."""
    text = f"Comment {number} on the trial and its limits.\n\nA second paragraph, with a question?"
    if rng.random() < 0.2:
        text += f' See <a href="https://example.com/{number}">this</a> &amp; <em>that</em>.'
    return text


def generate(posts: int, comments: int, out: Path, seed: int = 15) -> None:
    """Posts with threads up to six deep; the author answers now and then."""
    rng = random.Random(seed)
    start = datetime(2012, 1, 1, tzinfo=UTC)
    per_post = [comments // posts + (1 if i < comments % posts else 0) for i in range(posts)]
    comment_id = 0
    with out.open("w", encoding="utf-8") as f:
        f.write(HEAD)
        for number, count in enumerate(per_post, start=1):
            when = start + timedelta(hours=12 * number)
            slug = f"bench-post-{number}"
            f.write(
                f"<item><title>Bench post {number}</title>"
                f"<link>https://bench.example/{when:%Y/%m}/{slug}/</link>"
                f"<dc:creator><![CDATA[prof]]></dc:creator>"
                f'<guid isPermaLink="false">https://bench.example/?p={number}</guid>'
                f"<content:encoded><![CDATA[{''.join(BODY.format(n=n) for n in range(8))}]]></content:encoded>"
                f"<excerpt:encoded><![CDATA[Summary {number}]]></excerpt:encoded>"
                f"<wp:post_id>{number}</wp:post_id><wp:post_date_gmt>{when:%Y-%m-%d %H:%M:%S}</wp:post_date_gmt>"
                f"<wp:comment_status>open</wp:comment_status><wp:post_name>{slug}</wp:post_name>"
                f"<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>\n"
            )
            placed: list[tuple[int, int]] = []  # (id, depth)
            for index in range(count):
                comment_id += 1
                parent, depth = 0, 0
                if placed and rng.random() < 0.7:
                    parent, depth = rng.choice(placed[-30:])
                    if depth >= 5:
                        parent, depth = 0, -1
                    depth += 1
                placed.append((comment_id, depth))
                is_author = rng.random() < 0.05
                stamp = when + timedelta(minutes=index + 1)
                f.write(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author><![CDATA[{'Prof G' if is_author else f'Reader {comment_id % 997}'}]]></wp:comment_author>"
                    f"<wp:comment_author_email>{'prof@bench.example' if is_author else f'r{comment_id % 997}@example.com'}</wp:comment_author_email>"
                    f"<wp:comment_author_IP>198.51.100.{comment_id % 250}</wp:comment_author_IP>"
                    f"<wp:comment_date_gmt>{stamp:%Y-%m-%d %H:%M:%S}</wp:comment_date_gmt>"
                    f"<wp:comment_content><![CDATA[{comment_text(rng, comment_id)}]]></wp:comment_content>"
                    f"<wp:comment_approved>{rng.choice(STATUSES)}</wp:comment_approved>"
                    f"<wp:comment_type>comment</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent>"
                    f"<wp:comment_user_id>{1 if is_author else 0}</wp:comment_user_id></wp:comment>\n"
                )
            f.write("</item>\n")
        f.write("</channel></rss>\n")


def database_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend so far, when it runs on this
    machine and /proc shows it (the import's other half: what the server did for it)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def run(path: Path) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    from blog.models import Post
    from comments.models import Comment

    if connection.vendor == "postgresql":
        # Emptied without loading the rows (a delete() would hold them all in this process,
        # and its memory would count as the import's).
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE comments_comment, blog_post CASCADE")
    else:
        Comment.objects.all().delete()
        Post.objects.all().delete()
    from bench import check_trees
    from importers.services import ImportOptions, import_records
    from importers.wordpress import WordPressReader

    database_cpu_started = database_cpu()
    started, cpu_started = time.perf_counter(), time.process_time()
    with path.open("rb") as stream:
        report = import_records(WordPressReader(stream), options=ImportOptions())
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    database_cpu_ended = database_cpu()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "file_mb": round(path.stat().st_size / 1024**2, 1),
        "seconds": round(seconds, 1),
        "importer_cpu_seconds": round(cpu, 1),
        "database_cpu_seconds": (
            round(database_cpu_ended - database_cpu_started, 1)
            if database_cpu_started is not None and database_cpu_ended is not None
            else None
        ),
        "load_average": [round(load, 1) for load in os.getloadavg()],
        "peak_rss_mb": round(peak_mb),
        "counts": dict(report.counts),
        "failures": report.failures[:5],
        "tree_check": check_trees.check(),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("generate")
    make.add_argument("--posts", type=int, default=5000)
    make.add_argument("--comments", type=int, default=500_000)
    make.add_argument("--out", type=Path, required=True)
    go = sub.add_parser("run")
    go.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    if args.command == "generate":
        args.out.parent.mkdir(parents=True, exist_ok=True)
        generate(args.posts, args.comments, args.out)
        return 0
    print(json.dumps(run(args.file), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
