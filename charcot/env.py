"""Read settings from the environment, with safe local defaults."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list; blanks are dropped."""
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def origin_of(url: str) -> str:
    """ "https://id.example.org" for "https://id.example.org/realms/x"."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImproperlyConfigured(f"Expected an http(s) URL, not {url!r}.")
    return f"{parts.scheme}://{parts.netloc}"


def database_from_url(url: str | None, *, base_dir: Path) -> dict:
    """DATABASE_URL to a DATABASES entry; no URL means a SQLite file in the project folder.

    SQLite writers queue (IMMEDIATE transactions, a busy timeout) instead of failing
    with "database is locked" when two comments arrive at once.
    """
    if not url:
        url = f"sqlite:///{base_dir / 'db.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["CONN_HEALTH_CHECKS"] = False
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


def cache_from_url(url: str | None) -> dict:
    """REDIS_URL selects Django's Redis cache (one client per server); otherwise local memory."""
    if url:
        return {
            "BACKEND": "charcot.redis_cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "charcot",
        }
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "charcot",
    }
