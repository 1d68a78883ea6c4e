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
    # name: (measure, comparison, target)
    "1,000-comment post, median server time": ("ms", "<=", 40),
    "10,000-comment post, median server time": ("ms", "<=", 40),
    "1,000-comment post, uncached req/s": ("req/s", ">=", 40),
    "100-comment post, uncached req/s": ("req/s", ">=", 150),
    "home, uncached req/s": ("req/s", ">=", 300),
    "cached pages, share of nginx req/s (worst page)": ("ratio", ">=", 1 / 3),
    "markup per comment": ("bytes", "<=", 600),
    "gzip served": ("bool", "==", True),
    "reply stored, median alone": ("ms", "<=", 15),
    "reply stored, p95 with 8 writers": ("ms", "<=", 30),
    "worker peak RSS with the 10,000-comment page": ("MB", "<", 150),
}
WORDPRESS = {
    "post, 1,000 comments": 0.83,
    "post, 100 comments": 7.7,
    "home": 44,
}


def step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def manage(*args) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=ENV, check=True)


def measure(*args) -> dict:
    result = subprocess.run(
        [PY, "-m", "bench.measure", *args],
        cwd=ROOT,
        env=ENV,
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
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "warning",
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


def wrk(url: str, duration: int) -> dict:
    """Requests/s, p50 and p99 latency (ms) from a fixed-length wrk run."""
    result = subprocess.run(
        ["wrk", "-t2", "-c10", f"-d{duration}s", "--timeout", "10s", "--latency", url],
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
    return {
        "req_s": round(rate, 1),
        **latency,
        "non_2xx": int(errors.group(1)) if errors else 0,
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


def load_tests(urls: dict[str, str], duration: int) -> dict:
    results = {"uncached": {}, "cached": {}, "nginx": {}, "bytes": {}}
    base = f"http://127.0.0.1:{PORT}"
    step(f"gunicorn, page cache off: wrk {duration} s per page")
    with gunicorn(page_cache=False) as master:
        for name, url in urls.items():
            get(base + url)
            results["uncached"][name] = wrk(base + url, duration)
            print(f"  {name}: {results['uncached'][name]}", flush=True)
        results["worker_peak_rss_mb"] = worker_peak_rss_mb(master.pid)
    step(f"gunicorn, page cache on: wrk {duration} s per page")
    www = Path(tempfile.mkdtemp(prefix="charcot-bench-nginx-"))
    (www / "www").mkdir()
    (www / "temp").mkdir()
    with gunicorn(page_cache=True):
        for name, url in urls.items():
            get(base + url)
            body, headers = get(base + url)
            assert headers.get("X-Page-Cache") == "hit", (url, headers)
            results["bytes"][name] = len(body)
            (www / "www" / f"{len(results['bytes'])}.html").write_bytes(body)
            results["cached"][name] = wrk(base + url, duration)
            print(f"  {name}: {results['cached'][name]}", flush=True)
    step(f"nginx serving the same bytes as static files: wrk {duration} s per page")
    for path in (www, www / "www", www / "temp", *(www / "www").iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    config = www / "nginx.conf"
    config.write_text(nginx_config(www, NGINX_PORT))
    nginx = ["nginx", "-e", "stderr", "-p", str(www), "-c", str(config)]
    with process(nginx, port=NGINX_PORT):
        for index, name in enumerate(urls, start=1):
            results["nginx"][name] = wrk(f"http://127.0.0.1:{NGINX_PORT}/{index}.html", duration)
            print(f"  {name}: {results['nginx'][name]}", flush=True)
    shutil.rmtree(www, ignore_errors=True)
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
    return "met" if met else "NOT met"


def report(results: dict) -> str:
    render, load, weight, write = (
        results["render"],
        results.get("load"),
        results["weight"],
        results["write"],
    )
    lines = ["### Server time, uncached (in-process Django test client)", ""]
    lines += ["| page | median | p95 | SQL queries |", "| --- | ---: | ---: | ---: |"]
    for name, row in render.items():
        lines.append(f"| {name} | {row['median_ms']} ms | {row['p95_ms']} ms | {row['queries']} |")
    if load:
        lines += ["", "### Through gunicorn on loopback (wrk, 2 threads, 10 connections)", ""]
        lines += [
            "| page | bytes | uncached req/s (p50 / p99 ms) | cached req/s (p50 / p99 ms) "
            "| nginx static req/s (p50 / p99 ms) | cached / nginx | WordPress req/s |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name in render:
            u, c, n = load["uncached"][name], load["cached"][name], load["nginx"][name]
            ratio = c["req_s"] / n["req_s"] if n["req_s"] else 0

            def cell(r):
                return f"{r['req_s']} ({r.get('p50_ms')} / {r.get('p99_ms')})"

            lines.append(
                f"| {name} | {load['bytes'][name]:,} | {cell(u)} | {cell(c)} | {cell(n)} "
                f"| {ratio:.2f} | {WORDPRESS.get(name, '–')} |"
            )
    lines += ["", "### Replies (comment_create into the 1,000-comment thread)", ""]
    lines += ["| writers | replies | median | p95 |", "| --- | ---: | ---: | ---: |"]
    for key, row in write.items():
        if isinstance(row, dict) and "median_ms" in row:
            label = "1 (alone)" if key == "alone" else key.split("_")[0]
            lines.append(f"| {label} | {row['n']} | {row['median_ms']} ms | {row['p95_ms']} ms |")
    lines.append("")
    lines.append(
        f"Comments stored {write['comments_stored']} of {write['comments_expected']}; "
        f"tree check after the concurrent writers: "
        f"{'valid' if not write['tree_problems'] else write['tree_problems']}."
    )
    w1000 = weight["bench-1000"]
    lines += [
        "",
        "### HTML weight",
        "",
        f"1,000-comment page: {w1000['page_bytes']:,} bytes, {w1000['comments_in_html']} comments "
        f"in the HTML, their own text {w1000['comment_text_bytes']:,} bytes; markup per comment "
        f"{w1000['markup_per_comment']} bytes; gzip served: {w1000['gzip']} "
        f"({w1000['gzip_bytes']:,} bytes compressed).",
    ]
    values = {
        "1,000-comment post, median server time": render["post, 1,000 comments"]["median_ms"],
        "10,000-comment post, median server time": render["post, 10,000 comments"]["median_ms"],
        "1,000-comment post, uncached req/s": load
        and load["uncached"]["post, 1,000 comments"]["req_s"],
        "100-comment post, uncached req/s": load
        and load["uncached"]["post, 100 comments"]["req_s"],
        "home, uncached req/s": load and load["uncached"]["home"]["req_s"],
        "cached pages, share of nginx req/s (worst page)": load
        and round(min(load["cached"][n]["req_s"] / load["nginx"][n]["req_s"] for n in render), 2),
        "markup per comment": w1000["markup_per_comment"],
        "gzip served": w1000["gzip"],
        "reply stored, median alone": write["alone"]["median_ms"],
        "reply stored, p95 with 8 writers": write["8_writers"]["p95_ms"],
        "worker peak RSS with the 10,000-comment page": load and load["worker_peak_rss_mb"],
    }
    lines += ["", "### Targets", "", "| target | measured | verdict |", "| --- | ---: | --- |"]
    for name, value in values.items():
        unit, comparison, target = TARGETS[name]
        shown = "–" if value is None else f"{value} {unit}"
        target_text = f"{comparison} {round(target, 2)} {unit}"
        lines.append(f"| {name} ({target_text}) | {shown} | {verdict(name, value)} |")
    return "\n".join(lines) + "\n"


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
        step("replies: alone, then 8 concurrent writers")
        results["write"] = measure("write")
        print(json.dumps(results["write"], indent=1))
        if not args.skip_load:
            results["load"] = load_tests(
                {name: row["url"] for name, row in results["render"].items()}, args.duration
            )
    table = report(results)
    (OUT / "results.json").write_text(json.dumps(results, indent=1))
    (OUT / "results.md").write_text(table)
    step(f"results (also in bench/out/results.md), {time.monotonic() - started:.0f} s in all")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
