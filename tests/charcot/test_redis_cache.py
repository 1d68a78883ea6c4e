"""The Redis cache backend: Django's, with one client per server and counters in one trip.

Needs a Redis server at TEST_REDIS_URL (default: database 15 on localhost); skipped without
(the `redis_cache` fixture in tests/conftest.py).
"""

import threading
import uuid

import pytest
from django.core.cache.backends.locmem import LocMemCache

from charcot.redis_cache import counters_increment, counters_increment_unless_full


def test_every_cache_call_reuses_one_redis_client(redis_cache):
    assert redis_cache._cache.get_client() is redis_cache._cache.get_client(write=True)
    redis_cache.set("k", "v")
    assert redis_cache.get("k") == "v"


def test_counters_start_at_one_with_their_timeout_and_count_up(redis_cache):
    counters_increment(redis_cache, {"a": 60, "b": 3600})
    counters_increment(redis_cache, {"a": 60})
    assert redis_cache.get_many(["a", "b"]) == {"a": 2, "b": 1}
    client = redis_cache._cache.get_client()
    assert 0 < client.ttl(redis_cache.make_key("a")) <= 60
    assert 60 < client.ttl(redis_cache.make_key("b")) <= 3600


def test_counters_are_counted_in_one_round_trip(redis_cache):
    import redis

    round_trips = []
    original = redis.client.Pipeline.execute
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            redis.client.Pipeline,
            "execute",
            lambda self, *a, **kw: round_trips.append(1) or original(self, *a, **kw),
        )
        patch.setattr(
            redis.client.Redis,
            "execute_command",
            lambda *a, **kw: pytest.fail("a command outside the pipeline"),
        )
        counters_increment(redis_cache, {"a": 60, "b": 60, "c": 60, "d": 60})
    assert round_trips == [1]
    assert redis_cache.get_many(["a", "d"]) == {"a": 1, "d": 1}


def test_counters_count_the_same_in_local_memory():
    cache = LocMemCache(f"test-{uuid.uuid4().hex}", {})
    counters_increment(cache, {"a": 60, "b": 60})
    counters_increment(cache, {"a": 60})
    assert cache.get_many(["a", "b"]) == {"a": 2, "b": 1}


def test_the_comment_rate_limit_holds_with_redis(redis_cache):
    from charcot import ratelimit

    first, second = ratelimit.Rule("ip:1", 2, 60), ratelimit.Rule("ip:2", 2, 60)
    for _ in range(2):
        assert ratelimit.take("comment", [first], cache=redis_cache) is None
    assert ratelimit.exceeded("comment", [first], cache=redis_cache) == first
    assert ratelimit.exceeded("comment", [second], cache=redis_cache) is None


@pytest.fixture(params=["redis", "local memory"])
def any_cache(request):
    if request.param == "redis":
        return request.getfixturevalue("redis_cache")
    return LocMemCache(f"test-{uuid.uuid4().hex}", {})


def test_counters_count_until_one_is_full_and_then_nothing_is_counted(any_cache):
    counters = [("minute", 2, 60), ("day", 3, 86400)]
    assert counters_increment_unless_full(any_cache, counters) is None
    assert counters_increment_unless_full(any_cache, counters) is None
    assert counters_increment_unless_full(any_cache, counters) == 0  # the minute is full
    assert any_cache.get_many(["minute", "day"]) == {"minute": 2, "day": 2}


def test_counters_can_be_checked_without_counting(any_cache):
    assert counters_increment_unless_full(any_cache, [("a", 1, 60)], count=False) is None
    assert counters_increment_unless_full(any_cache, [("a", 1, 60)]) is None
    assert counters_increment_unless_full(any_cache, [("a", 1, 60)], count=False) == 0
    assert any_cache.get("a") == 1


def test_requests_racing_for_a_counters_last_places_never_pass_its_limit(redis_cache):
    passed, barrier = [], threading.Barrier(12)

    def request():
        barrier.wait()
        if counters_increment_unless_full(redis_cache, [("burst", 5, 60)]) is None:
            passed.append(1)

    threads = [threading.Thread(target=request) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(passed) == 5
    assert redis_cache.get("burst") == 5
