"""gunicorn settings for production: `gunicorn -c charcot/gunicorn.conf.py charcot.wsgi`.

Every value can be overridden from the environment (GUNICORN_* below) or the command line.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers: pages are CPU-bound template work; two per core plus one covers the
# moments a worker waits on PostgreSQL or Redis.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = 500
# A page takes milliseconds; thirty seconds means a stuck worker, not a slow page.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Load the app before forking: workers share its memory and a broken deploy fails at once.
preload_app = True
# Logs to stdout/stderr for the process manager (systemd, containers) to collect.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The TLS-terminating proxy in front sets X-Forwarded-Proto; trust it only from there.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def pre_fork(server, worker):
    """Move everything the preloaded app made into the permanent generation before forking:
    the collector then stops rescanning Django's import-time objects on every full pass (a
    third to a half of a page's collection time), and workers keep sharing those pages."""
    gc.freeze()
