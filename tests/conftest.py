import os
import uuid

import pytest

from tests.factories import PostFactory, UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reader(db):
    return UserFactory(username="reader", display_name="Anna Reader")


def _role(name):
    """A role group (created with its permissions if a flushed database lost it)."""
    from django.contrib.auth.models import Group

    from accounts.roles import sync_role_groups

    if not Group.objects.filter(name=name).exists():
        sync_role_groups()
    return Group.objects.get(name=name)


@pytest.fixture
def author(db):
    return UserFactory(
        username="author", display_name="Prof G", is_staff=True, groups=[_role("Authors")]
    )


@pytest.fixture
def moderator(db):
    return UserFactory(
        username="moderator",
        display_name="Mo Moderator",
        is_staff=True,
        groups=[_role("Moderators")],
    )


@pytest.fixture
def post(author):
    return PostFactory(author=author)


@pytest.fixture
def redis_cache():
    """charcot's Redis cache on a real server (TEST_REDIS_URL, default database 15 on
    localhost) under a key prefix of its own; the test is skipped when there is none."""
    import redis

    from charcot.redis_cache import RedisCache

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    cache = RedisCache(url, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    try:
        cache._cache.get_client().ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    yield cache
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(f"{cache.key_prefix}:*"):
        client.delete(key)
