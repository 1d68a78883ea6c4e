"""Django's Redis cache, with one client object per connection pool.

Django's backend builds a new `redis.Redis` client for every call, about 0.1 ms each, and
a page makes several calls (page-cache versions, sidebar widgets, post summaries). The
client holds no connection of its own (the pool does), so one per pool is safe to share
between threads and, since the pool reconnects after a fork, between gunicorn workers.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class SharedClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClient
