import gc
import gzip
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client, override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONF = ROOT / "charcot" / "gunicorn.conf.py"
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "charcot.settings.prod",
    "SECRET_KEY": "x9!" + "k" * 60 + "-a-real-looking-production-secret",
    "ALLOWED_HOSTS": "blog.example.org",
    "SITE_URL": "https://blog.example.org",
}


PROD_STATIC = {
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    },
    "WHITENOISE_USE_FINDERS": False,
    "WHITENOISE_AUTOREFRESH": False,
    "WHITENOISE_MAX_AGE": 31536000,
}


@pytest.fixture(scope="module")
def _static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, **PROD_STATIC):
        call_command("collectstatic", "--noinput", verbosity=0)
    return root


@pytest.fixture
def collected_static(_static_root):
    """Static files collected once as in production: hashed names, compressed copies."""
    with override_settings(STATIC_ROOT=_static_root, **PROD_STATIC):
        yield _static_root


def test_collectstatic_writes_hashed_and_gzipped_copies_of_the_stylesheet(collected_static):
    hashed = static("css/site.css")
    assert re.search(r"/site\.[0-9a-f]{12}\.css$", hashed)
    name = hashed.rsplit("/", 1)[1]
    assert (collected_static / "css" / name).exists()
    assert (collected_static / "css" / f"{name}.gz").exists()


def test_hashed_static_file_is_served_with_far_future_immutable_caching(collected_static):
    response = Client().get(static("css/site.css"))
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
    assert max_age >= 365 * 24 * 3600


def test_static_file_is_served_gzipped_to_clients_that_accept_it(collected_static):
    url = static("css/site.css")
    plain = b"".join(Client().get(url).streaming_content)
    response = Client().get(url, headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)) == plain


@pytest.mark.django_db
def test_pages_are_gzipped_for_clients_that_accept_it(client, post):
    response = client.get(reverse("blog:home"), headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert post.title.encode() in gzip.decompress(response.content)


@pytest.mark.django_db
def test_session_survives_when_another_app_instance_has_an_empty_cache(client, reader):
    from django.core.cache import cache

    client.force_login(reader)
    cache.clear()  # the next request lands on an instance that never saw this session
    response = client.get(reverse("blog:home"))
    assert response.wsgi_request.user == reader


def _gunicorn_settings(monkeypatch, **env) -> dict:
    for name in ("GUNICORN_WORKERS", "GUNICORN_BIND", "GUNICORN_ACCESS_LOG", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def test_gunicorn_runs_two_workers_per_core_plus_one_and_logs_to_stdout(monkeypatch):
    config = _gunicorn_settings(monkeypatch)
    assert config["workers"] == 2 * os.cpu_count() + 1
    assert config["accesslog"] == "-"
    assert config["errorlog"] == "-"
    assert 0 < config["timeout"] <= 60
    assert config["max_requests"] > 0


def test_gunicorn_freezes_the_preloaded_app_out_of_garbage_collection_before_forking(
    monkeypatch,
):
    config = _gunicorn_settings(monkeypatch)
    assert config["preload_app"] is True
    try:
        config["pre_fork"](server=None, worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_gunicorn_settings_follow_the_environment(monkeypatch):
    config = _gunicorn_settings(monkeypatch, GUNICORN_WORKERS="3", GUNICORN_BIND="127.0.0.1:9")
    assert config["workers"] == 3
    assert config["bind"] == "127.0.0.1:9"


def test_gunicorn_accepts_the_config_and_loads_the_production_app():
    clean = {
        k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL")
    }
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--check-config",
            "-c",
            str(GUNICORN_CONF),
            "charcot.wsgi",
        ],
        cwd=ROOT,
        env={**clean, **PROD_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
