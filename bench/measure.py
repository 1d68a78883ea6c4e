"""In-process measurements on the seeded bench database; each prints one JSON object.

python -m bench.measure render|weight|write|profile|explain|search|session
"""

import argparse
import json
import multiprocessing
import os
import random
import re
import statistics
import sys
import time
import uuid
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.db import connection, connections  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from blog.models import Post  # noqa: E402
from blog.search import post_search  # noqa: E402
from comments.models import Comment  # noqa: E402
from comments.policy import Submission  # noqa: E402
from comments.services import comment_create  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
HOST = "127.0.0.1"
PAGES = {
    "post, 100 comments": "bench-100",
    "post, 1,000 comments": "bench-1000",
    "post, 10,000 comments": "bench-10000",
    "home": None,
}


def page_urls() -> dict[str, str]:
    urls = {}
    for name, slug in PAGES.items():
        urls[name] = (
            Post.objects.get(slug=slug).get_absolute_url() if slug else reverse("blog:home")
        )
    return urls


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary_ms(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    if not ms:
        return {"n": 0, "median_ms": None, "p95_ms": None}
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(percentile(ms, 0.95), 2),
    }


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def database_cpu_seconds() -> float:
    """CPU time used so far by this connection's PostgreSQL backend (on this machine), or 0
    on SQLite, whose work is this process's own."""
    if connection.vendor != "postgresql":
        return 0.0
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def anonymous_client() -> Client:
    return Client(HTTP_HOST=HOST)


# Pages timed again for a signed-in member (never served from the page cache).
SIGNED_IN = ("post, 100 comments", "post, 1,000 comments")
ALL_ON_ONE_PAGE = "post, 1,000 comments, all on one page"
# Every thread and comment of the 1,000-comment post on its first page (issue 19).
ALL_ON_ONE_PAGE_SETTINGS = {
    "CHARCOT_COMMENTS_COMMENTS_PER_PAGE": 1000,
    "CHARCOT_COMMENTS_THREADS_PER_PAGE": 1000,
}


def bench_member():
    """The signed-in reader: the member who wrote the most comments on the 1,000-comment
    post and writes no posts, so the page has their own comments to mark and offer."""
    from django.db.models import Count

    from accounts.models import User

    post = Post.objects.get(slug="bench-1000")
    return (
        User.objects.filter(comments__post=post, posts__isnull=True)
        .annotate(written=Count("comments"))
        .order_by("-written", "pk")
        .first()
    )


def member_client() -> Client:
    client = Client(HTTP_HOST=HOST)
    client.force_login(bench_member())
    return client


def time_page(client: Client, url: str, runs: int) -> dict:
    """Median and p95 wall and CPU time of one page, SQL queries, comments shown, and the
    PostgreSQL backend's CPU per request (a mean: the kernel counts in clock ticks)."""
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    counted = []

    def count(execute, *args):
        counted.append(1)
        return execute(*args)

    with connection.execute_wrapper(count):
        content = client.get(url).content
    times, cpu = [], []
    database_cpu = database_cpu_seconds()
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    database_cpu = (database_cpu_seconds() - database_cpu) / runs
    return {
        **summary_ms(times),
        "cpu_median_ms": summary_ms(cpu)["median_ms"],
        "database_cpu_ms": round(database_cpu * 1000, 2),
        "queries": len(counted),
        "comments_shown": len(set(re.findall(rb'id="comment-(\d+)"', content))),
        "url": url,
        "load_average": round(os.getloadavg()[0], 1),
    }


@override_settings(CHARCOT_PAGE_CACHE_ENABLED=False)
def render(repeat: int) -> dict:
    """Server time per page, uncached, as the WSGI handler sees it (no network): for an
    anonymous reader, then the same posts for a signed-in member, then the 1,000-comment
    post with all its comments on one page."""
    results = {}
    urls = page_urls()
    anonymous, member = anonymous_client(), member_client()
    for name, url in urls.items():
        runs = max(5, repeat // 3) if "10,000" in name else repeat
        results[name] = {**time_page(anonymous, url, runs), "viewer": "anonymous"}
    for name in SIGNED_IN:
        row = time_page(member, urls[name], repeat)
        results[f"{name}, signed in"] = {**row, "viewer": "signed in", "anonymous_row": name}
    with override_settings(**ALL_ON_ONE_PAGE_SETTINGS):
        row = time_page(anonymous, urls["post, 1,000 comments"], max(5, repeat // 3))
    results[ALL_ON_ONE_PAGE] = {**row, "viewer": "anonymous, all on one page"}
    return results


def session() -> dict:
    """A signed-in member's session cookie, for wrk to send to gunicorn (the session is
    stored in the database and the shared cache, where every worker finds it)."""
    from django.conf import settings

    client = member_client()
    name = settings.SESSION_COOKIE_NAME
    # Only a signed-in page carries the sign-out form.
    marker = f'action="{reverse("logout")}"'
    return {"cookie": f"{name}={client.cookies[name].value}", "marker": marker}


# Two-word queries over the seed's vocabulary (bench.seed.WORDS): every post's body has
# most of these words, so each query matches thousands of posts and all of them are ranked.
SEARCHES = (
    "relapse cohort",
    "vitamin sunlight",
    "neurofilament biomarker",
    "remyelination trial",
    "Epstein Barr",
    "walking balance",
    "fatigue cognition",
    "placebo lesion",
)
# A mistyped word that nothing starts like: the search is made again for the suggestion.
TYPO_SEARCHES = ("remyelinaton trial", "ocrelizumub fatigue")


@override_settings(CHARCOT_PAGE_CACHE_ENABLED=False)
def search(repeat: int) -> dict:
    """The search page for two-word queries, uncached, as the WSGI handler sees it."""
    client = anonymous_client()
    url = reverse("blog:search")
    results = {"database": connection.vendor, "posts": Post.objects.count(), "queries": {}}
    times_by_kind = {"two_word": [], "typo": []}
    cpu_by_kind = {"two_word": [], "typo": []}
    database_cpu_by_kind = {"two_word": [], "typo": []}  # a mean per query (clock ticks)
    for kind, queries in (("two_word", SEARCHES), ("typo", TYPO_SEARCHES)):
        for query in queries:
            for _ in range(2):
                assert client.get(url, {"q": query}).status_code == 200
            counted = []

            def count(execute, *args, counted=counted):
                counted.append(1)
                return execute(*args)

            with connection.execute_wrapper(count):
                client.get(url, {"q": query})
            times, cpu = [], []
            database_cpu = database_cpu_seconds()
            for _ in range(repeat):
                started, started_cpu = time.perf_counter(), time.process_time()
                client.get(url, {"q": query})
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            database_cpu = (database_cpu_seconds() - database_cpu) / repeat
            database_cpu_by_kind[kind].append(database_cpu)
            found = post_search(query)
            results["queries"][query] = {
                **summary_ms(times),
                "cpu_median_ms": summary_ms(cpu)["median_ms"],
                "database_cpu_ms": round(database_cpu * 1000, 2),
                "hits": found.count,
                "searched": found.searched,
                "sql_queries": len(counted),
            }
            times_by_kind[kind] += times
            cpu_by_kind[kind] += cpu
    for kind, times in times_by_kind.items():
        cpu = summary_ms(cpu_by_kind[kind])
        database = database_cpu_by_kind[kind]
        results[kind] = {**summary_ms(times), "cpu_median_ms": cpu["median_ms"],
                         "cpu_p95_ms": cpu["p95_ms"],
                         "database_cpu_ms": round(statistics.mean(database) * 1000, 2)}  # fmt: skip
    results["load_average"] = round(os.getloadavg()[0], 1)
    return results


@override_settings(CHARCOT_PAGE_CACHE_ENABLED=False)
def weight() -> dict:
    """Markup around each comment, and whether gzip is served."""
    client = anonymous_client()
    empty = client.get(Post.objects.get(slug="bench-0").get_absolute_url()).content
    results = {"empty_post_bytes": len(empty)}
    for slug in ("bench-1000", "bench-10000"):
        post = Post.objects.get(slug=slug)
        page = client.get(post.get_absolute_url())
        # The comments the page shows (a long discussion is paginated by threads), by the
        # id="comment-<pk>" anchors their permalinks point at.
        shown_ids = {int(pk) for pk in re.findall(rb'id="comment-(\d+)"', page.content)}
        shown = Comment.objects.filter(pk__in=shown_ids).select_related("user")
        own_text = sum(
            len(c.body_html.encode()) + len(c.display_name.encode())
            for c in shown
            if c.status == Comment.Status.APPROVED
        )
        shown = len(shown_ids)
        gz = client.get(post.get_absolute_url(), headers={"accept-encoding": "gzip"})
        timings = {}
        for label, headers in (("plain", {}), ("gzip", {"accept-encoding": "gzip"})):
            times = []
            for _ in range(5):
                started = time.perf_counter()
                client.get(post.get_absolute_url(), headers=headers)
                times.append(time.perf_counter() - started)
            timings[label] = statistics.median(times) * 1000
        results[slug] = {
            "page_bytes": len(page.content),
            "comments": Comment.objects.filter(post=post).count(),
            "comments_in_html": shown,
            "comment_text_bytes": own_text,
            "markup_per_comment": round((len(page.content) - len(empty) - own_text) / shown)
            if shown
            else None,
            "gzip": gz.get("Content-Encoding") == "gzip",
            "gzip_bytes": len(gz.content),
            # What compressing the uncached page adds to its server time.
            "gzip_extra_ms": round(timings["gzip"] - timings["plain"], 2),
        }
    return results


def _reply_once(post_id: int, parent_ids: list[int], rng: random.Random) -> float:
    post = Post.objects.get(pk=post_id)
    parent = Comment.objects.get(pk=rng.choice(parent_ids))
    started = time.perf_counter()
    result = comment_create(
        submission=Submission(
            post=post,
            parent=parent,
            body="I agree with this. The *cohort* was small, though.",
            author_name="Bench writer",
            author_email=f"writer-{uuid.uuid4().hex[:12]}@example.org",
            ip_hash=uuid.uuid4().hex,
        ),
        user_agent="bench-writer",
        submission_key=uuid.uuid4(),
    )
    elapsed = time.perf_counter() - started
    # A refusal (e.g. a rate limit in the moderation policy) is not a stored reply.
    return elapsed if result.comment is not None else None


def _writer(post_id, parent_ids, count, seed, barrier, queue):
    connections.close_all()
    rng = random.Random(seed)
    # Warm up like a server's worker: a forked process's first reply opens its connection
    # and touches its copy-on-write memory (170-500 ms here); eight of those were 4 % of
    # the samples and set the p95. It is stored, and counted in comments_expected.
    warmed = _reply_once(post_id, parent_ids, rng) is not None
    barrier.wait()
    times = [_reply_once(post_id, parent_ids, rng) for _ in range(count)]
    queue.put((warmed, times))
    connections.close_all()


def write(replies: int, writers: int) -> dict:
    """Replies posted through comment_create into a 1,000-comment thread."""
    from bench.check_trees import check
    from bench.seed import MAX_LEVEL, reset_write_post

    post = reset_write_post()
    # Replies go under comments that may take one (the depth cap is eight levels).
    parent_ids = list(
        Comment.objects.filter(post=post, level__lt=MAX_LEVEL).values_list("pk", flat=True)
    )
    existing = Comment.objects.filter(post=post).count()
    rng = random.Random(1)
    alone_all = [_reply_once(post.pk, parent_ids, rng) for _ in range(replies)]
    alone = [t for t in alone_all if t is not None]
    connections.close_all()
    context = multiprocessing.get_context("fork")
    barrier, queue = context.Barrier(writers), context.Queue()
    per_writer = max(1, replies // writers)
    processes = [
        context.Process(target=_writer, args=(post.pk, parent_ids, per_writer, n, barrier, queue))
        for n in range(writers)
    ]
    for process in processes:
        process.start()
    results = [queue.get(timeout=600) for _ in processes]
    warmups = sum(warmed for warmed, _times in results)
    together_all = [t for _warmed, times in results for t in times]
    together = [t for t in together_all if t is not None]
    for process in processes:
        process.join()
    stored = Comment.objects.filter(post=post).count()
    expected = existing + len(alone) + warmups + len(together)
    problems = {name: bad for name, bad in check(post.pk).items() if bad}
    return {
        "alone": summary_ms(alone),
        f"{writers}_writers": summary_ms(together),
        "refused": len(alone_all) - len(alone) + len(together_all) - len(together),
        "comments_expected": expected,
        "comments_stored": stored,
        "tree_problems": problems,
    }


@override_settings(CHARCOT_PAGE_CACHE_ENABLED=False)
def profile() -> dict:
    """pyinstrument profiles of the uncached pages, written to bench/out/profile-*.txt."""
    from pyinstrument import Profiler

    client = anonymous_client()
    OUT.mkdir(exist_ok=True)
    files = {}
    for name, url in page_urls().items():
        client.get(url)
        profiler = Profiler(interval=0.0005)
        with profiler:
            for _ in range(1 if "10,000" in name else 5):
                client.get(url)
        path = OUT / f"profile-{name.split(',')[0].replace(' ', '')}-{PAGES[name] or 'home'}.txt"
        path.write_text(profiler.output_text(unicode=False, color=False, show_all=False))
        files[name] = str(path.relative_to(OUT.parent.parent))
    return files


@override_settings(CHARCOT_PAGE_CACHE_ENABLED=False)
def explain() -> dict:
    """EXPLAIN ANALYZE of every query the pages run; flags sequential scans on big tables."""
    client = anonymous_client()
    OUT.mkdir(exist_ok=True)
    lines, flagged = [], []
    for name, url in page_urls().items():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        lines.append(f"===== {name} ({url}): {len(queries)} queries")
        with connection.cursor() as cursor:
            for query in queries.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                lines += ["", sql, plan]
                for big in ("comments_comment", "blog_post"):
                    if f"Seq Scan on {big}" in plan:
                        flagged.append(f"{name}: seq scan on {big}: {sql[:120]}")
    (OUT / "explain.txt").write_text("\n".join(lines) + "\n")
    return {"file": "bench/out/explain.txt", "sequential_scans": flagged}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "what",
        choices=[
            *("render", "weight", "write", "profile", "explain", "search", "session"),
            "postgres-version",
        ],
    )
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--replies", type=int, default=200)
    parser.add_argument("--writers", type=int, default=8)
    args = parser.parse_args(argv)
    if args.what == "postgres-version":
        result = connection.cursor().connection.info.parameter_status("server_version")
    elif args.what == "render":
        result = render(args.repeat)
    elif args.what == "search":
        result = search(args.repeat)
    elif args.what == "write":
        result = write(args.replies, args.writers)
    else:
        result = globals()[args.what]()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
