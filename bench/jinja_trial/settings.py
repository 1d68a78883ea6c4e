"""The benchmark's production settings on a private SQLite file, with Jinja2 as an option.

TRIAL_ENGINES (below) holds the two template setups the trial compares; run.py switches
between them with override_settings, so both are measured in one process, interleaved.
"""

import importlib.util
import os
from pathlib import Path

_OUT = Path(__file__).resolve().parent.parent / "out"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_OUT / 'jinja-trial.sqlite3'}")
os.environ.setdefault("REDIS_URL", "")  # local-memory cache: widgets and parts stay cached
os.environ.setdefault("BENCH_PAGE_CACHE", "0")  # every request renders its page

from bench.settings import *  # noqa: E402, F403

DJANGO_TEMPLATES = TEMPLATES  # noqa: F405
JINJA_FIRST = [
    {
        # The ported templates shadow their Django namesakes; everything else (the post's
        # parts, summaries, widgets, admin) still comes from the Django engine below.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "bench.jinja_trial.environment.environment",
            "context_processors": DJANGO_TEMPLATES[0]["OPTIONS"]["context_processors"],
        },
    },
    *DJANGO_TEMPLATES,
]
# Without Jinja2 (not a dependency of Charcot) the script measures the Django pages alone.
TRIAL_ENGINES = {"django": DJANGO_TEMPLATES}
if importlib.util.find_spec("jinja2"):
    TRIAL_ENGINES["jinja2"] = JINJA_FIRST
