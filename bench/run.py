"""The whole benchmark: seed, check trees, time pages in-process and through gunicorn with
wrk (cached, uncached, and nginx serving the same bytes), time replies, print the table.

    bench/run.sh [--reseed] [--duration 10] [--skip-load]

Everything listens on loopback only; every process started here is stopped here.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = int(os.environ.get("BENCH_PORT", "8106"))
NGINX_PORT = PORT + 1
WARMUP = 2  # seconds of unmeasured load before each measured gunicorn run
REDIS_PORT = int(os.environ.get("BENCH_REDIS_PORT", "16106"))
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench"
    ),
    "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
    "PYTHONPATH": str(ROOT),
}

TARGETS = {
    # Issue 8's, in the table after issue 19's (issue_19_targets).
    # name: (measure, comparison, target)
    "1,000-comment post, median server time": ("ms", "<=", 40),
    "10,000-comment post, median server time": ("ms", "<=", 40),
    "1,000-comment post, uncached req/s": ("req/s", ">=", 40),
    "100-comment post, uncached req/s": ("req/s", ">=", 150),
    "home, uncached req/s": ("req/s", ">=", 300),
    "cached pages, share of nginx req/s (worst page)": ("ratio", ">=", 1 / 3),
    # For comparison: the same pages from the page cache through gunicorn, no nginx.
    "page cache in gunicorn alone, share of nginx req/s": ("ratio", ">=", 1 / 3),
    "markup per comment": ("bytes", "<=", 600),
    "gzip served": ("bool", "==", True),
    "reply stored, median alone": ("ms", "<=", 15),
    "reply stored, p95 with 8 writers": ("ms", "<=", 30),
    "worker peak RSS with the 10,000-comment page": ("MB", "<", 150),
}
# bench.measure's row of the 1,000-comment post with every comment on one page.
ALL_ON_ONE_PAGE = "post, 1,000 comments, all on one page"
# The search benchmark on SQLite: the same 5,000 posts (no comments) in a file of its own.
SEARCH_SQLITE = OUT / "search.sqlite3"
WORDPRESS = {
    "post, 1,000 comments": 0.83,
    "post, 100 comments": 7.7,
    "home": 44,
}


def step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def manage(*args, env=None) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env or ENV, check=True)


def measure(*args, env=None) -> dict:
    result = subprocess.run(
        [PY, "-m", "bench.measure", *args],
        cwd=ROOT,
        env=env or ENV,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listening on 127.0.0.1:{port}")


@contextmanager
def process(args, *, port, env=None, **kwargs):
    """Start a server, wait for its port, and stop exactly that process afterwards."""
    proc = subprocess.Popen(args, cwd=ROOT, env=env or ENV, **kwargs)
    try:
        wait_for_port(port)
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def gunicorn(*, page_cache: bool):
    env = {
        **ENV,
        "BENCH_PAGE_CACHE": "1" if page_cache else "0",
        "EDGE_CACHE_SECONDS": "1" if page_cache else "0",  # for nginx's edge cache run
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "warning",
        "GUNICORN_MAX_REQUESTS": "0",  # no recycling: CPU time is read from live workers
    }
    args = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "charcot/gunicorn.conf.py"]
    with process([*args, "charcot.wsgi"], port=PORT, env=env) as proc:
        yield proc


def get(url: str, headers=None) -> tuple[bytes, dict]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback http)
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return response.read(), dict(response.headers)


WRK_LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNITS = {"us": 0.001, "ms": 1, "s": 1000}


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def children_cpu_seconds(master_pid: int) -> float:
    """User + system CPU time used so far by the master's worker processes."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == master_pid:  # fields[1] is the parent pid
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def wrk(url: str, duration: int, server_pid: int, headers=()) -> dict:
    """Requests/s, p50 and p99 latency (ms) from a fixed-length wrk run, and the server's
    CPU time per request (which the other programs on a busy machine do not inflate much)."""
    cpu_before = children_cpu_seconds(server_pid)
    result = subprocess.run(
        [
            *("wrk", "-t2", "-c10", f"-d{duration}s", "--timeout", "10s", "--latency"),
            *(arg for header in headers for arg in ("-H", header)),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))
    latency = {
        f"p{pct}_ms": round(float(value) * UNITS[unit], 2)
        for pct, value, unit in WRK_LATENCY.findall(result.stdout)
    }
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    requests = int(re.search(r"(\d+) requests in", result.stdout).group(1))
    cpu_ms = (children_cpu_seconds(server_pid) - cpu_before) * 1000 / max(requests, 1)
    return {
        "req_s": round(rate, 1),
        **latency,
        "non_2xx": int(errors.group(1)) if errors else 0,
        "cpu_ms_per_request": round(cpu_ms, 3),
        # What the server's CPU cost allows on this machine's cores with nothing else running.
        "cpu_bound_req_s": round(os.cpu_count() * 1000 / cpu_ms, 1) if cpu_ms else None,
        "load_average": round(os.getloadavg()[0], 1),
    }


def worker_peak_rss_mb(master_pid: int) -> float:
    """Largest VmHWM (peak resident set) among the master's workers."""
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", text, re.M):
            peaks.append(int(re.search(r"^VmHWM:\s+(\d+) kB", text, re.M).group(1)))
    return round(max(peaks) / 1024, 1)


def nginx_config(root: Path, port: int) -> str:
    return f"""
worker_processes 2;
daemon off;
pid {root}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    client_body_temp_path {root}/temp;
    proxy_temp_path {root}/temp;
    fastcgi_temp_path {root}/temp;
    uwsgi_temp_path {root}/temp;
    scgi_temp_path {root}/temp;
    types {{ text/html html; }}
    server {{ listen 127.0.0.1:{port}; root {root}/www; }}
}}
"""


def edge_config(root: Path, port: int) -> str:
    """docs/nginx.conf as shipped, on the benchmark's ports and in a scratch directory."""
    site = (
        (ROOT / "docs" / "nginx.conf")
        .read_text()
        .replace("/var/cache/nginx/charcot", f"{root}/cache")
        .replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{PORT};")
        .replace("listen 80;", f"listen 127.0.0.1:{port};")
    )
    return nginx_config(root, port).replace(
        f"server {{ listen 127.0.0.1:{port}; root {root}/www; }}", site
    )


# A returning anonymous reader: the CSRF cookie is their only cookie.
READER_SECRET = "ReturningReader0123456789abcdefg"  # noqa: S105 (a test cookie)


def edge_tests(urls: dict[str, str], duration: int, www: Path, results: dict) -> None:
    """nginx's edge cache (docs/nginx.conf) in front of the page-cached gunicorn, for a
    returning reader (their CSRF cookie only) and a first visit (no cookie at all)."""
    config = www / "edge.conf"
    config.write_text(edge_config(www, NGINX_PORT))
    www.chmod(0o755)
    for scratch in (www / "cache", www / "temp"):  # nginx's workers write there
        scratch.mkdir(exist_ok=True)
        scratch.chmod(0o777)
    cookie = f"csrftoken={READER_SECRET}"
    nginx = ["nginx", "-e", "stderr", "-p", str(www), "-c", str(config)]
    with process(nginx, port=NGINX_PORT) as master:
        for name, url in urls.items():
            edge_url = f"http://127.0.0.1:{NGINX_PORT}{url}"
            get(edge_url, {"Cookie": cookie})
            body, headers = get(edge_url, {"Cookie": cookie})
            assert headers.get("X-Edge-Cache") in ("HIT", "REVALIDATED", "UPDATING"), headers
            check_edge_page(body, READER_SECRET)
            body, headers = get(edge_url)
            minted = re.search(r"csrftoken=([a-f0-9]{32});", headers.get("Set-Cookie", ""))
            assert minted, headers
            check_edge_page(body, minted.group(1))
            wrk(edge_url, WARMUP, master.pid, headers=[f"Cookie: {cookie}"])
            results["edge"][name] = wrk(edge_url, duration, master.pid, [f"Cookie: {cookie}"])
            print(f"  {name}, returning reader: {results['edge'][name]}", flush=True)
            results["edge_first"][name] = wrk(edge_url, duration, master.pid)
            print(f"  {name}, first visit: {results['edge_first'][name]}", flush=True)


def check_edge_page(body: bytes, secret: str) -> None:
    """Each reader's forms carry their own secret, never the placeholder."""
    assert b"charcot-edge-csrf-token" not in body
    assert b"csrfmiddlewaretoken" not in body or secret.encode() in body


def signed_in_tests(urls: dict[str, str], duration: int, master_pid: int, results: dict) -> None:
    """The same posts for a signed-in member: wrk sends their session cookie, which takes
    every request past the page cache."""
    session = measure("session")
    cookie = session["cookie"]
    base = f"http://127.0.0.1:{PORT}"
    for name, url in urls.items():
        body, headers = get(base + url, {"Cookie": cookie})
        assert session["marker"].encode() in body, f"{url}: not signed in"
        assert headers.get("X-Page-Cache") != "hit", headers
        wrk(base + url, WARMUP, master_pid, [f"Cookie: {cookie}"])
        results["signed_in"][name] = wrk(base + url, duration, master_pid, [f"Cookie: {cookie}"])
        print(f"  {name}, signed in: {results['signed_in'][name]}", flush=True)


def load_tests(urls: dict[str, str], signed_in: dict[str, str], duration: int) -> dict:
    modes = ("uncached", "signed_in", "cached", "edge", "edge_first", "nginx", "bytes")
    results = {mode: {} for mode in modes}
    base = f"http://127.0.0.1:{PORT}"
    step(f"gunicorn, page cache off, anonymous then signed in: wrk {duration} s per page")
    with gunicorn(page_cache=False) as master:
        for name, url in urls.items():
            wrk(base + url, WARMUP, master.pid)  # every worker compiles templates, connects
            results["uncached"][name] = wrk(base + url, duration, master.pid)
            print(f"  {name}: {results['uncached'][name]}", flush=True)
        results["worker_peak_rss_mb"] = worker_peak_rss_mb(master.pid)
        signed_in_tests(signed_in, duration, master.pid, results)
    step(f"gunicorn, page cache on: wrk {duration} s per page")
    www = Path(tempfile.mkdtemp(prefix="charcot-bench-nginx-"))
    (www / "www").mkdir()
    (www / "temp").mkdir()
    with gunicorn(page_cache=True) as master:
        for name, url in urls.items():
            get(base + url)
            body, headers = get(base + url)
            assert headers.get("X-Page-Cache") == "hit", (url, headers)
            wrk(base + url, WARMUP, master.pid)
            results["bytes"][name] = len(body)
            (www / "www" / f"{len(results['bytes'])}.html").write_bytes(body)
            results["cached"][name] = wrk(base + url, duration, master.pid)
            print(f"  {name}: {results['cached'][name]}", flush=True)
        for path in (www, www / "www", www / "temp", *(www / "www").iterdir()):
            path.chmod(0o755 if path.is_dir() else 0o644)
        step(f"nginx edge cache (docs/nginx.conf), returning and new readers: wrk {duration} s")
        edge_tests(urls, duration, www, results)
    step(f"nginx serving the same bytes as static files: wrk {duration} s per page")
    for path in (www, www / "www", www / "temp", *(www / "www").iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    config = www / "nginx.conf"
    config.write_text(nginx_config(www, NGINX_PORT))
    nginx = ["nginx", "-e", "stderr", "-p", str(www), "-c", str(config)]
    with process(nginx, port=NGINX_PORT) as master:
        for index, name in enumerate(urls, start=1):
            url = f"http://127.0.0.1:{NGINX_PORT}/{index}.html"
            results["nginx"][name] = wrk(url, duration, master.pid)
            print(f"  {name}: {results['nginx'][name]}", flush=True)
    shutil.rmtree(www, ignore_errors=True)
    return results


def search_tests(repeat: int) -> dict:
    """The search page on the seeded PostgreSQL site, then on SQLite seeded with the same
    5,000 posts (bench.seed --posts-only: search reads no comments)."""
    results = {"postgresql": measure("search", "--repeat", str(repeat))}
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SEARCH_SQLITE}{suffix}").unlink(missing_ok=True)
    env = {**ENV, "DATABASE_URL": f"sqlite:///{SEARCH_SQLITE}"}
    manage("migrate", "--noinput", "-v0", env=env)
    subprocess.run([PY, "-m", "bench.seed", "--posts-only"], cwd=ROOT, env=env, check=True)
    results["sqlite"] = measure("search", "--repeat", str(repeat), env=env)
    return results


def verdict(name: str, value) -> str:
    if value is None:
        return "not measured"
    _unit, comparison, target = TARGETS[name]
    met = {
        "<=": value <= target,
        ">=": value >= target,
        "<": value < target,
        "==": value == target,
    }[comparison]
    return "met" if met else "**not met**"


def machine() -> str:
    memory = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)
    cpu = re.search(r"model name\s+: (.*)", Path("/proc/cpuinfo").read_text())
    versions = subprocess.run(
        [PY, "-c", "import django, sys; print(sys.version.split()[0], django.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    postgres = subprocess.run(
        [PY, "-m", "bench.measure", "postgres-version"],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    postgres = json.loads(postgres) if postgres else "unknown"
    model = cpu.group(1) if cpu else "unknown CPU"
    return (
        f"{os.cpu_count()} CPUs ({model}), {int(memory) // 1024 // 1024} GB RAM; "
        f"Python {versions[0]}, Django {versions[1]}, PostgreSQL {postgres}"
    )


def report(results: dict) -> str:
    render, load, weight, write = (
        results["render"],
        results.get("load"),
        results["weight"],
        results["write"],
    )
    lines = [f"Machine: {results['machine']}.", ""]
    lines += ["### Server time, uncached (in-process Django test client)", ""]
    lines += [
        "Wall time, then the CPU time of this process (Python) and of its PostgreSQL backend "
        "(a mean: the kernel counts in 10 ms ticks). Signed in: a member with comments on "
        "the post (`bench.measure.bench_member`); all on one page: "
        "`CHARCOT_COMMENTS_COMMENTS_PER_PAGE` and `..._THREADS_PER_PAGE` at 1,000.",
        "",
        "| page | median | p95 | CPU median | PostgreSQL CPU | SQL queries | comments shown "
        "| load average |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in render.items():
        lines.append(
            f"| {name} | {row['median_ms']} ms | {row['p95_ms']} ms | {row['cpu_median_ms']} ms "
            f"| {row.get('database_cpu_ms', '–')} ms | {row['queries']} "
            f"| {row.get('comments_shown', '–')} | {row['load_average']} |"
        )
    if load:
        lines += ["", "### Through gunicorn on loopback (wrk: 2 threads, 10 connections)", ""]
        lines += [
            "req/s as measured (p50 / p99 latency in ms); then the server's CPU time per "
            "request and the req/s that CPU cost allows on this machine's cores alone.",
            "",
            "| page | bytes | server | req/s (p50 / p99 ms) | CPU ms/req | CPU-bound req/s "
            "| load avg |",
            "| --- | ---: | --- | ---: | ---: | ---: | ---: |",
        ]
        for name in load["uncached"]:
            for mode, label in (
                ("uncached", "gunicorn, uncached"),
                ("signed_in", "gunicorn, signed in"),
                ("cached", "gunicorn, page cache"),
                ("edge", "nginx edge cache, returning reader"),
                ("edge_first", "nginx edge cache, first visit"),
                ("nginx", "nginx, static file"),
            ):
                r = load.get(mode, {}).get(name)
                if r is None:
                    continue
                lines.append(
                    f"| {name} | {load['bytes'][name]:,} | {label} | {r['req_s']} "
                    f"({r.get('p50_ms')} / {r.get('p99_ms')}) | {r['cpu_ms_per_request']} "
                    f"| {r['cpu_bound_req_s']} | {r['load_average']} |"
                )
        lines.append("")
        lines.append(
            f"Worker peak RSS (VmHWM) after the uncached runs, 10,000-comment page included: "
            f"{load['worker_peak_rss_mb']} MB."
        )
    lines += ["", "### Replies (comment_create into the 1,000-comment thread)", ""]
    lines += ["| writers | replies | median | p95 |", "| --- | ---: | ---: | ---: |"]
    for key, row in write.items():
        if isinstance(row, dict) and "median_ms" in row:
            label = "1 (alone)" if key == "alone" else key.split("_")[0]
            lines.append(f"| {label} | {row['n']} | {row['median_ms']} ms | {row['p95_ms']} ms |")
    lines.append("")
    lines.append(
        f"Comments stored {write['comments_stored']} of {write['comments_expected']} "
        f"({write.get('refused', 0)} refused by the moderation policy); tree check after the "
        f"concurrent writers: "
        f"{'valid' if not write['tree_problems'] else write['tree_problems']}."
    )
    search = results.get("search")
    if search:
        lines += ["", "### Search page, uncached (in-process Django test client)", ""]
        lines += [
            "Two-word queries over the seed's words: each matches all 5,000 posts, which are "
            "all ranked. Mistyped: a word nothing starts like, searched again as suggested. "
            "CPU is this process's: with SQLite it holds the database's work, with "
            "PostgreSQL it does not.",
            "",
            "| database | queries | median | p95 | CPU median | CPU p95 | PostgreSQL CPU "
            "| SQL queries | mistyped, median | load avg |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for database, row in search.items():
            two, typo = row["two_word"], row["typo"]
            sql = sorted({q["sql_queries"] for q in row["queries"].values()})
            lines.append(
                f"| {database} | {two['n']} | {two['median_ms']} ms | {two['p95_ms']} ms "
                f"| {two['cpu_median_ms']} ms | {two['cpu_p95_ms']} ms "
                f"| {two.get('database_cpu_ms', '–') if database == 'postgresql' else '–'} ms "
                f"| {'–'.join(str(n) for n in sql)} | {typo['median_ms']} ms "
                f"| {row['load_average']} |"
            )
    w1000 = weight["bench-1000"]
    lines += [
        "",
        "### HTML weight",
        "",
        f"1,000-comment page: {w1000['page_bytes']:,} bytes, {w1000['comments_in_html']} comments "
        f"in the HTML, their own text {w1000['comment_text_bytes']:,} bytes; the same post with no "
        f"comments {weight['empty_post_bytes']:,} bytes; markup per comment "
        f"{w1000['markup_per_comment']} bytes; gzip served: {w1000['gzip']} "
        f"({w1000['gzip_bytes']:,} bytes compressed; compressing the uncached page adds "
        f"{w1000['gzip_extra_ms']} ms, cached pages are compressed once when stored).",
    ]

    def rate(mode, name, key="req_s"):
        return load and load[mode][name][key]

    def share(key, modes=("edge", "edge_first")):
        if not load:
            return None
        ratios = [
            load[mode][n][key] / load["nginx"][n][key] for n in load["nginx"] for mode in modes
        ]
        return round(min(ratios), 2)

    values = {
        "1,000-comment post, median server time": (
            render["post, 1,000 comments"]["median_ms"],
            render["post, 1,000 comments"]["cpu_median_ms"],
        ),
        "10,000-comment post, median server time": (
            render["post, 10,000 comments"]["median_ms"],
            render["post, 10,000 comments"]["cpu_median_ms"],
        ),
        "1,000-comment post, uncached req/s": (
            rate("uncached", "post, 1,000 comments"),
            rate("uncached", "post, 1,000 comments", "cpu_bound_req_s"),
        ),
        "100-comment post, uncached req/s": (
            rate("uncached", "post, 100 comments"),
            rate("uncached", "post, 100 comments", "cpu_bound_req_s"),
        ),
        "home, uncached req/s": (
            rate("uncached", "home"),
            rate("uncached", "home", "cpu_bound_req_s"),
        ),
        "cached pages, share of nginx req/s (worst page)": (
            share("req_s"),
            share("cpu_bound_req_s"),
        ),
        "page cache in gunicorn alone, share of nginx req/s": (
            share("req_s", ("cached",)),
            share("cpu_bound_req_s", ("cached",)),
        ),
        "markup per comment": (w1000["markup_per_comment"], None),
        "gzip served": (w1000["gzip"], None),
        "reply stored, median alone": (write["alone"]["median_ms"], None),
        "reply stored, p95 with 8 writers": (write["8_writers"]["p95_ms"], None),
        "worker peak RSS with the 10,000-comment page": (load and load["worker_peak_rss_mb"], None),
    }
    lines += issue_19_targets(results)
    lines += [
        "",
        "### Targets of issue 8",
        "",
        "| target | measured | verdict | from CPU time | verdict |",
        "| --- | ---: | --- | ---: | --- |",
    ]
    for name, (value, cpu_value) in values.items():
        unit, comparison, target = TARGETS[name]
        shown = "–" if value is None else f"{value} {unit}"
        cpu_shown = "–" if cpu_value is None else f"{cpu_value} {unit}"
        cpu_verdict = "" if cpu_value is None else verdict(name, cpu_value)
        target_text = f"{comparison} {round(target, 2)} {unit}"
        lines.append(
            f"| {name} ({target_text}) | {shown} | {verdict(name, value)} | {cpu_shown} "
            f"| {cpu_verdict} |"
        )
    return "\n".join(lines) + "\n"


def met(value, comparison: str, target) -> str:
    if value is None:
        return "not measured"
    ok = value <= target if comparison == "<=" else value >= target
    return "met" if ok else "**not met**"


def issue_19_targets(results: dict) -> list[str]:
    """Every target of issue 19's table, as measured: CPU a request is the gunicorn
    workers' (in-process when the load tests were skipped), req/s through gunicorn."""
    render, load, write = results["render"], results.get("load"), results["write"]
    search = results.get("search") or {}
    rows = []

    def cpu(name, signed_in=False):
        """(value, how it was measured) of the CPU a request of one page."""
        row = render.get(f"{name}, signed in" if signed_in else name)
        mode = "signed_in" if signed_in else "uncached"
        if load and name in load.get(mode, {}):
            shown = f"{load[mode][name]['cpu_ms_per_request']} ms (in-process "
            return load[mode][name]["cpu_ms_per_request"], shown + f"{row['cpu_median_ms']} ms)"
        if row is None:
            return None, "–"
        return row["cpu_median_ms"], f"{row['cpu_median_ms']} ms in-process"

    def rate(name, signed_in=False):
        mode = "signed_in" if signed_in else "uncached"
        r = load and load.get(mode, {}).get(name)
        if not r:
            return None, "–"
        return r["req_s"], f"{r['req_s']} req/s (CPU allows {r['cpu_bound_req_s']})"

    def add(target, comparison, bound, measured):
        value, shown = measured
        rows.append(f"| {target} | {shown} | {met(value, comparison, bound)} |")

    for name, label, cpu_bound, rate_bound in (
        ("post, 100 comments", "post with 100 comments", 8, 150),
        ("post, 1,000 comments", "post with 1,000 comments (first page)", 15, 60),
    ):
        for signed_in, viewer in ((False, "anonymous"), (True, "signed in")):
            add(
                f"{label}, uncached, {viewer}: ≤ {cpu_bound} ms CPU a request",
                "<=",
                cpu_bound,
                cpu(name, signed_in),
            )
            add(
                f"{label}, uncached, {viewer}: ≥ {rate_bound} req/s",
                ">=",
                rate_bound,
                rate(name, signed_in),
            )
    whole = render.get(ALL_ON_ONE_PAGE)
    add(
        "post with 1,000 comments all on one page: ≤ 30 ms CPU",
        "<=",
        30,
        (
            whole["cpu_median_ms"],
            f"{whole['cpu_median_ms']} ms in-process, {whole.get('comments_shown')} comments shown",
        )
        if whole
        else (None, "–"),
    )
    add("home, uncached: ≤ 4 ms CPU a request", "<=", 4, cpu("home"))
    add("home, uncached: ≥ 300 req/s", ">=", 300, rate("home"))
    for name in ("post, 100 comments", "post, 1,000 comments"):
        (signed, _), (anonymous, _) = cpu(name, True), cpu(name)
        ratio = round(signed / anonymous, 2) if signed and anonymous else None
        add(
            f"{name}: signed-in CPU / anonymous CPU, uncached: ≤ 1.2",
            "<=",
            1.2,
            (ratio, f"{signed} / {anonymous} ms = {ratio}" if ratio else "–"),
        )
    for database, label in (("postgresql", "PostgreSQL"), ("sqlite", "SQLite")):
        two = (search.get(database) or {}).get("two_word")
        for key, bound in (("median_ms", 50), ("p95_ms", 100)):
            value = two and two[key]
            cpu_note = ""
            if two:
                database_cpu = two.get("database_cpu_ms") if database == "postgresql" else None
                cpu_note = f" (CPU {two['cpu_median_ms']} ms" + (
                    f" + PostgreSQL {database_cpu} ms)" if database_cpu is not None else ")"
                )
            add(
                f"search, {label}, two-word query: ≤ {bound} ms {key.split('_')[0]}",
                "<=",
                bound,
                (value, f"{value} ms{cpu_note}" if value is not None else "–"),
            )
    together = write.get("8_writers", {})
    add(
        "reply stored, 8 concurrent writers: median ≤ 15 ms",
        "<=",
        15,
        (together.get("median_ms"), f"{together.get('median_ms')} ms"),
    )
    add(
        "reply stored, 8 concurrent writers: p95 ≤ 30 ms",
        "<=",
        30,
        (together.get("p95_ms"), f"{together.get('p95_ms')} ms"),
    )
    intact = not write["tree_problems"] and write["comments_stored"] == write["comments_expected"]
    rows.append(
        f"| reply stored, 8 concurrent writers: every tree valid, nothing lost "
        f"| {write['comments_stored']} of {write['comments_expected']} stored, trees "
        f"{'valid' if not write['tree_problems'] else 'invalid'} "
        f"| {'met' if intact else '**not met**'} |"
    )
    for viewer, names in (
        (
            "anonymous",
            [
                n
                for n, r in render.items()
                if r.get("viewer") == "anonymous" and n.startswith("post")
            ],
        ),
        ("signed in", [n for n, r in render.items() if r.get("viewer") == "signed in"]),
    ):
        counts = [render[n]["queries"] for n in names]
        rows.append(
            f"| SQL queries per post page, {viewer}: constant (the tests assert it at two "
            f"sizes) | {', '.join(map(str, counts))} for {', '.join(names)} "
            f"| {'met' if len(set(counts)) == 1 else '**not met**'} |"
        )
    return [
        "",
        "### Targets of issue 19",
        "",
        "| target | measured | verdict |",
        "| --- | --- | --- |",
        *rows,
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--repeat", type=int, default=30, help="in-process requests per page")
    parser.add_argument("--skip-load", action="store_true", help="no gunicorn/wrk/nginx")
    args = parser.parse_args(argv)
    started = time.monotonic()
    OUT.mkdir(exist_ok=True)
    redis = [
        "redis-server",
        "--port",
        str(REDIS_PORT),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    with process(redis, port=REDIS_PORT, stdout=subprocess.DEVNULL):
        step("migrate and collect static files")
        manage("migrate", "--noinput", "-v0")
        manage("collectstatic", "--noinput", "-v0")
        step("seed (skipped when already seeded; --reseed to start over)")
        subprocess.run(
            [PY, "-m", "bench.seed", *(["--reseed"] if args.reseed else [])],
            cwd=ROOT,
            env=ENV,
            check=True,
        )
        step("tree check over every comment tree")
        subprocess.run([PY, "-m", "bench.check_trees"], cwd=ROOT, env=ENV, check=True)
        step("server time in-process, uncached")
        results = {"render": measure("render", "--repeat", str(args.repeat))}
        print(json.dumps(results["render"], indent=1))
        results["weight"] = measure("weight")
        step("EXPLAIN ANALYZE of every page query, and pyinstrument profiles")
        results["explain"] = measure("explain")
        results["profile"] = measure("profile")
        print(json.dumps({"explain": results["explain"], "profile": results["profile"]}, indent=1))
        step("search page: two-word queries on PostgreSQL, then on SQLite (5,000 posts)")
        results["search"] = search_tests(args.repeat)
        print(json.dumps({db: r["two_word"] for db, r in results["search"].items()}, indent=1))
        step("replies: alone, then 8 concurrent writers")
        results["write"] = measure("write")
        print(json.dumps(results["write"], indent=1))
        if not args.skip_load:
            render = results["render"]
            results["load"] = load_tests(
                {name: row["url"] for name, row in render.items() if row["viewer"] == "anonymous"},
                {
                    row["anonymous_row"]: row["url"]
                    for row in render.values()
                    if row["viewer"] == "signed in"
                },
                args.duration,
            )
    results["machine"] = machine()
    (OUT / "results.json").write_text(json.dumps(results, indent=1))  # kept if report() fails
    table = report(results)
    (OUT / "results.md").write_text(table)
    step(f"results (also in bench/out/results.md), {time.monotonic() - started:.0f} s in all")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
