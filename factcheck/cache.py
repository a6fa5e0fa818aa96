"""
Django's Redis cache with one client per connection pool.

Django's `RedisCacheClient` builds a new `redis.Redis` for every command, and redis-py's
constructor fills in its table of response callbacks (about 170 entries) each time: in-process,
that was a third of a reader page served from the cache (bench/hits.py). A `redis.Redis` is
safe to share between threads (each command takes a connection from the pool), so one per
pool does.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients.setdefault(pool, self._client(connection_pool=pool))
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
