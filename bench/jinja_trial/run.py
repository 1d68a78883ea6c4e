"""Issue 19's Jinja2 trial: what the Django templates around the discussion cost, and what
the same templates cost in Jinja2 (bench/jinja_trial/templates), per request.

    python -m bench.jinja_trial.run seed        # demo + a 100-comment post, private SQLite
    python -m bench.jinja_trial.run check       # both engines give the same bytes
    python -m bench.jinja_trial.run measure [--rounds 20 --per-round 10]   # CPU, interleaved
    python -m bench.jinja_trial.run callgrind [--repeat 20] [--page home]  # instructions
    python -m bench.jinja_trial.run profile [--repeat 50]                  # cProfile, Django

Jinja2 is not a dependency of Charcot: `pip install --target DIR jinja2` and run with
PYTHONPATH=DIR (without it, measure and profile cover the Django pages alone). Database:
DATABASE_URL, by default bench/out/jinja-trial.sqlite3. The templates are a snapshot of
the site's: `check` says whether they still give the same pages.
"""

import argparse
import cProfile
import gc
import html
import json
import os
import pstats
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.jinja_trial.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache.backends.locmem import LocMemCache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models.query import QuerySet  # noqa: E402
from django.db.models.sql.compiler import SQLCompiler  # noqa: E402
from django.forms import BaseForm, BoundField  # noqa: E402
from django.forms.utils import ErrorList  # noqa: E402
from django.template import context_processors  # noqa: E402
from django.template.backends import utils as backend_utils  # noqa: E402
from django.template.response import SimpleTemplateResponse  # noqa: E402
from django.templatetags.static import StaticNode  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.urls.resolvers import URLResolver  # noqa: E402

from blog.models import Post  # noqa: E402
from blog.templatetags import blog_scholarly, blog_tags  # noqa: E402
from comments import discussion, rendering, spam_wave  # noqa: E402
from comments import models as comments_models  # noqa: E402
from comments.templatetags import comments_tags  # noqa: E402

TRIAL_SLUG = "jinja-trial-100-comments"
READER = "reader"  # demo.content's signed-in reader
HOST = "127.0.0.1"


def seed() -> None:
    """The demo site, plus one post of about 100 public comments in realistic threads."""
    Path(settings.STATIC_ROOT).parent.mkdir(exist_ok=True)  # bench/out: the SQLite file too
    call_command("migrate", verbosity=0)
    if not Post.objects.exists():
        call_command("demo", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    if not Post.objects.filter(slug=TRIAL_SLUG).exists():
        from tests.blog.factories import PostFactory
        from tests.comments.factories import bulk_discussion

        newest = Post.objects.published().order_by("-published_at").first()
        post = PostFactory(
            title="Jinja2 trial: a post with a hundred comments",
            slug=TRIAL_SLUG,
            author=newest.author,
            category=newest.category,
            standfirst=newest.standfirst,
            body=newest.body,
        )
        print("comments:", bulk_discussion(post, threads=19, seed="jinja-trial"))


def pages() -> dict[str, tuple[Client, str]]:
    """Each page with the client that asks for it: anonymous, or the demo's signed-in reader."""
    post_url = Post.objects.get(slug=TRIAL_SLUG).get_absolute_url()
    anonymous, reader = Client(HTTP_HOST=HOST), Client(HTTP_HOST=HOST)
    reader.force_login(get_user_model().objects.get(username=READER))
    return {
        "post, 100 comments": (anonymous, post_url),
        "post, 100 comments, signed in": (reader, post_url),
        "home": (anonymous, reverse("blog:home")),
    }


class Timers:
    """CPU per request: the whole render, and inside it the Python that either engine would
    run alike (the discussion, queries, cache reads, form widgets, URLs, static paths, CSRF).
    A call inside another timed call counts once, in the outer one. What is left of the render
    is the template engine's own work."""

    def __init__(self):
        self.spent, self.depth, self.rendering = {}, 0, False

    def render(self, function):
        def timed(response):
            self.rendering = True
            started = time.process_time()
            try:
                return function(response)
            finally:
                self.spent["render"] = time.process_time() - started
                self.rendering = False

        return timed

    def wrap(self, name, owner, attribute, *, kind=None):
        function = getattr(owner, attribute)
        if isinstance(owner, type) and kind is not None:  # a classmethod or property
            function = function.__func__ if kind is classmethod else function.fget

        def timed(*args, **kwargs):
            if self.depth or not self.rendering:
                return function(*args, **kwargs)
            self.depth += 1
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.spent[name] = self.spent.get(name, 0.0) + time.process_time() - started
                self.depth -= 1

        setattr(owner, attribute, timed if kind is None else kind(timed))

    def reset(self) -> None:
        self.spent = dict.fromkeys(["render", "discussion", "other_python"], 0.0)


def install_timers() -> Timers:
    timers = Timers()
    render = SimpleTemplateResponse.rendered_content.fget
    SimpleTemplateResponse.rendered_content = property(timers.render(render))
    # The discussion's own Python: its rows and its comment list.
    timers.wrap("discussion", discussion, "load_page")
    timers.wrap("discussion", rendering, "render_comment_list")
    # Work a template asks for and either engine would run alike.
    for owner, attribute, kind in (
        (comments_tags, "comment_form_for", None),
        (comments_models, "with_public_comment_counts", None),
        (blog_tags, "_summary_key", None),
        (blog_tags, "_template_version", None),
        (blog_scholarly, "_template_version", None),
        (Post, "shown_version", None),
        (spam_wave, "is_active", None),
        (QuerySet, "_fetch_all", None),
        (SQLCompiler, "execute_sql", None),
        (LocMemCache, "get", None),
        (LocMemCache, "get_many", None),
        (LocMemCache, "get_or_set", None),
        (LocMemCache, "set", None),
        (LocMemCache, "set_many", None),
        (BoundField, "__str__", None),
        (BoundField, "__html__", None),
        (ErrorList, "__html__", None),
        (BoundField, "as_field_group", None),
        (BoundField, "label_tag", None),
        (BoundField, "errors", property),
        (BaseForm, "non_field_errors", None),
        (URLResolver, "_reverse_with_prefix", None),
        (StaticNode, "handle_simple", classmethod),
        (context_processors, "get_token", None),
        (backend_utils, "get_token", None),
    ):
        timers.wrap("other_python", owner, attribute, kind=kind)
    return timers


def one_request(client, url, timers) -> dict[str, float]:
    timers.reset()
    started = time.process_time()
    response = client.get(url)
    total = time.process_time() - started
    assert response.status_code == 200, (url, response.status_code)
    engine = timers.spent["render"] - timers.spent["discussion"] - timers.spent["other_python"]
    return {"total": total, **timers.spent, "engine": engine}


def measure(rounds: int, per_round: int) -> dict:
    """Interleaved rounds of each engine (the machine is shared: its speed drifts), least and
    median CPU per request: whole request, render, and the render's parts (Timers)."""
    timers = install_timers()
    shown = pages()
    samples = {(page, engine): [] for page in shown for engine in settings.TRIAL_ENGINES}
    for _ in range(rounds):
        for engine, templates in settings.TRIAL_ENGINES.items():
            with override_settings(TEMPLATES=templates):
                for page, (client, url) in shown.items():
                    for _ in range(3):  # warm: compiled templates, cached parts
                        one_request(client, url, timers)
                    gc.collect()
                    gc.freeze()  # as gunicorn's pre_fork does (charcot/gunicorn.conf.py)
                    for _ in range(per_round):
                        samples[page, engine].append(one_request(client, url, timers))
                    gc.unfreeze()
    results = {}
    for (page, engine), runs in samples.items():
        row = {"n": len(runs)}
        for key in runs[0]:
            values = [run[key] * 1000 for run in runs]
            row[key] = f"{min(values):.2f} / {statistics.median(values):.2f}"
        results.setdefault(page, {})[engine] = row
    return {"ms_per_request_least_and_median": results}


def normalized(text: str) -> str:
    """HTML compared as a browser reads it: quotes escaped either way, whitespace runs as one
    (Django writes &#x27; and &quot;, MarkupSafe &#39; and &#34;)."""
    text = html.unescape(re.sub(r"&(?:#x27|#39|quot|#34);", "'", text))
    return re.sub(r"\s+", " ", text).strip()


def check() -> dict:
    """Each page in both engines: byte-identical, or identical once normalized."""
    report = {}
    for page, (client, url) in pages().items():
        rendered = {}
        for engine, templates in settings.TRIAL_ENGINES.items():
            with override_settings(TEMPLATES=templates):
                rendered[engine] = client.get(url).content.decode()
        django_html, jinja_html = rendered["django"], rendered["jinja2"]
        # Masked afresh on every render: the CSRF token, the form's key and start time.
        mask = re.compile(r'name="(csrfmiddlewaretoken|submission_key|started)" value="[^"]+"')
        django_html, jinja_html = (mask.sub("", h) for h in (django_html, jinja_html))
        report[page] = {
            "identical": django_html == jinja_html,
            "same_once_normalized": normalized(django_html) == normalized(jinja_html),
            "bytes": {"django": len(django_html), "jinja2": len(jinja_html)},
        }
        if not report[page]["same_once_normalized"]:
            a, b = normalized(django_html), normalized(jinja_html)
            at = next(i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y)
            report[page]["first_difference"] = {
                "django": a[at - 80 : at + 80],
                "jinja2": b[at - 80 : at + 80],
            }
    return report


def profile(repeat: int) -> dict:
    """cProfile over `repeat` requests per page, Django templates: the whole render, and the
    engine's own time (functions in django/template/ and the filters and escaping it runs)."""
    engine_files = re.compile(
        r"django/(template/|templatetags/|utils/(html|safestring|formats|dateformat)\.py)"
    )
    results = {}
    for page, (client, url) in pages().items():
        for _ in range(3):
            client.get(url)
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(repeat):
            client.get(url)
        profiler.disable()
        stats = pstats.Stats(profiler)
        by_name = {}
        engine_own = 0.0
        for (filename, _line, name), (_cc, _nc, tottime, cumtime, _callers) in stats.stats.items():
            by_name[f"{filename.rsplit('site-packages/', 1)[-1]}:{name}"] = cumtime
            if engine_files.search(filename):
                engine_own += tottime
        total = stats.total_tt

        def cumulative(suffix, by_name=by_name):
            return sum(t for key, t in by_name.items() if key.endswith(suffix))

        ms = 1000 / repeat
        results[page] = {
            "request_ms": round(total * ms, 2),
            "render_ms": round(cumulative("template/response.py:rendered_content") * ms, 2),
            "discussion_load_ms": round(cumulative("discussion.py:load_page") * ms, 2),
            "comment_list_ms": round(cumulative("rendering.py:render_comment_list") * ms, 2),
            "comment_form_ms": round(cumulative("forms.py:comment_form_for") * ms, 2),
            "engine_own_ms": round(engine_own * ms, 2),
        }
    return results


def requests(page: str, engine: str, count: int) -> None:
    """Three warm-up requests, then `count` more: the process callgrind counts."""
    client, url = pages()[page]
    with override_settings(TEMPLATES=settings.TRIAL_ENGINES[engine]):
        for _ in range(3 + count):
            assert client.get(url).status_code == 200


COLLECTED = re.compile(r"Collected : (\d+)")


def callgrind(fewer: int, more: int, only: str | None = None) -> dict:
    """Instructions per request, repeatable on a loaded machine: callgrind counts a process
    making `fewer` requests and one making `more`; the difference is `more - fewer` requests
    with start-up, imports and warm-up cancelled out."""
    results = {}
    for page in [only] if only else pages():
        for engine in settings.TRIAL_ENGINES:
            counts = []
            for count in (fewer, more):
                command = [
                    "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                    sys.executable, "-m", "bench.jinja_trial.run", "requests",
                    "--page", page, "--engine", engine, "--repeat", str(count),
                ]  # fmt: skip
                done = subprocess.run(
                    command, capture_output=True, text=True, check=True,
                    env={**os.environ, "PYTHONHASHSEED": "0"},
                )  # fmt: skip
                counts.append(int(COLLECTED.search(done.stderr).group(1)))
            per_request = (counts[1] - counts[0]) / (more - fewer)
            results.setdefault(page, {})[engine] = round(per_request / 1e6, 2)
        row = results[page]
        row["saved_by_jinja2"] = round(row["django"] - row["jinja2"], 2)
        row["saved_share"] = f"{(row['django'] - row['jinja2']) / row['django']:.1%}"
    return {"million_instructions_per_request": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "what", choices=["seed", "check", "measure", "profile", "callgrind", "requests"]
    )
    parser.add_argument("--page", help="callgrind: this page only; requests: which page")
    parser.add_argument("--engine", default="django")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--per-round", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    if args.what == "seed":
        seed()
        return
    if args.what in ("check", "callgrind") and "jinja2" not in settings.TRIAL_ENGINES:
        parser.exit(1, "Jinja2 is not importable: see this script's docstring.\n")
    if args.what == "requests":
        requests(args.page or "home", args.engine, args.repeat)
        return
    result = {
        "check": check,
        "measure": lambda: measure(args.rounds, args.per_round),
        "profile": lambda: profile(args.repeat),
        "callgrind": lambda: callgrind(5, 5 + args.repeat, args.page),
    }[args.what]()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
