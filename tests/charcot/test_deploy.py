import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "charcot.settings.prod",
    "SECRET_KEY": "x9!" + "k" * 60 + "-a-real-looking-production-secret",
    "ALLOWED_HOSTS": "blog.example.org",
    "SITE_URL": "https://blog.example.org",
}


def _manage(*args, env):
    clean = {
        k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PROD_ENV, "SECRET_KEY": ""}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_queues_mail_in_the_database_for_the_worker():
    result = _manage(
        "shell", "-c", "from django.conf import settings; print(settings.TASKS)", env=PROD_ENV
    )
    assert result.returncode == 0, result.stderr
    assert "django_tasks_db.DatabaseBackend" in result.stdout


def test_production_refuses_to_start_without_the_sites_public_address():
    """Mail is built by background tasks from SITE_URL: a missing one would mail dead links."""
    env = {k: v for k, v in PROD_ENV.items() if k != "SITE_URL"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "Set SITE_URL" in result.stderr


def test_production_refuses_a_site_url_whose_host_it_would_not_serve():
    result = _manage("check", env={**PROD_ENV, "SITE_URL": "https://elsewhere.example.org"})
    assert result.returncode != 0
    assert "not in ALLOWED_HOSTS" in result.stderr
