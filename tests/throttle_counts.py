"""Emptying the API's throttle counters between tests, and nothing else of the cache.

cache.clear() on Redis empties the whole database (FLUSHDB): run against a developer's Redis it
would wipe the running platform's cache and counters too. Only the throttles' keys are deleted.
"""
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache


def clear_throttle_counts() -> None:
    cache = caches[DEFAULT_CACHE_ALIAS]
    if not isinstance(cache, RedisCache):
        cache.clear()  # an in-process cache: this run's own
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.make_key('throttle_')}*", count=1000))
    if keys:
        client.delete(*keys)
