"""Production settings, made runnable on loopback for the benchmark (no TLS, no real secret)."""

import os

os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 60)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench")

from charcot.env import env_bool  # noqa: E402
from charcot.settings.prod import *  # noqa: E402, F403

# bench/run.sh measures pages with and without the anonymous page cache.
CHARCOT_PAGE_CACHE_ENABLED = env_bool("BENCH_PAGE_CACHE", default=True)  # Redis in bench/run
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LOGGING = {"version": 1, "disable_existing_loggers": False}
STATIC_ROOT = BASE_DIR / "bench" / "out" / "static"  # noqa: F405
