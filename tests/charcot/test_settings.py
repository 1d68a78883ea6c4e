from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from charcot.env import cache_from_url, database_from_url, env_bool, env_list


def test_no_database_url_means_a_sqlite_file_in_the_project_folder(tmp_path):
    config = database_from_url(None, base_dir=tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(config["NAME"]) == tmp_path / "db.sqlite3"


def test_sqlite_writers_queue_instead_of_failing_with_database_is_locked(tmp_path):
    config = database_from_url("", base_dir=tmp_path)
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] >= 5


def test_postgres_database_url_is_parsed_into_its_parts(tmp_path):
    config = database_from_url(
        "postgres://charcot:s3cret@db.example.org:6543/charcot", base_dir=tmp_path
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("charcot", "charcot", "s3cret")
    assert (config["HOST"], config["PORT"]) == ("db.example.org", 6543)
    assert config["CONN_HEALTH_CHECKS"] is True


def test_redis_url_selects_djangos_redis_cache_with_one_client_per_server():
    config = cache_from_url("redis://127.0.0.1:6379/1")
    assert config["BACKEND"] == "charcot.redis_cache.RedisCache"
    assert config["LOCATION"] == "redis://127.0.0.1:6379/1"


def test_without_redis_url_the_cache_is_local_memory():
    assert cache_from_url("")["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("True", True), ("off", False)])
def test_booleans_are_read_from_common_words(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG") is expected


def test_a_misspelt_boolean_fails_loudly_rather_than_guessing(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "yes please")
    with pytest.raises(ImproperlyConfigured):
        env_bool("SOME_FLAG")


def test_lists_are_comma_separated_and_blanks_dropped(monkeypatch):
    monkeypatch.setenv("HOSTS", "example.org, www.example.org,,")
    assert env_list("HOSTS") == ["example.org", "www.example.org"]
