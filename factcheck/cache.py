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

    def add_many(self, data: dict, timeout: int) -> None:
        """`add` for each key, in one round trip (SET NX in a pipeline)."""
        pipeline = self.get_client(write=True).pipeline(transaction=False)
        for key, value in data.items():
            pipeline.set(key, self._serializer.dumps(value), ex=timeout, nx=True)
        pipeline.execute()


class RedisCache(redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    def add_many(self, data: dict, timeout: int) -> None:
        """Store each value whose key is not already there (a positive timeout): one round
        trip, where `add` in a loop made one per key (the versions of a search's 25 rows)."""
        if data:
            keys = {self.make_and_validate_key(key): value for key, value in data.items()}
            self._cache.add_many(keys, self.get_backend_timeout(timeout))
