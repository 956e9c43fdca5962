"""The platform's Redis cache: Django's, keeping one client per connection pool.

Django's RedisCacheClient builds a new redis.Redis on every cache call, and each one copies a
table of some 170 reply parsers: about 0.2 ms, more than the round trip to Redis on loopback.
Every API request counts itself in the cache (the throttles), so it paid this on every request.
A redis.Redis may be shared between threads: each command takes a connection from the pool.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
