"""The API's throttle counters in tests: emptied between tests (and nothing else of the cache),
and counted on a clock that stands still.

cache.clear() on Redis empties the whole database (FLUSHDB): run against a developer's Redis it
would wipe the running platform's cache and counters too. Only the throttles' keys are deleted.
"""

import time

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache

from common.api import AnonThrottle, UserThrottle


def clear_throttle_counts() -> None:
    cache = caches[DEFAULT_CACHE_ALIAS]
    if not isinstance(cache, RedisCache):
        cache.clear()  # an in-process cache: this run's own
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.make_key('throttle_')}*", count=1000))
    if keys:
        client.delete(*keys)


def stop_throttle_clock(monkeypatch) -> None:
    """The throttles count per fixed window of their rate: requests either side of a window's end
    are counted apart. Stopped at this moment, a test's requests all fall in one window, however
    near its end the test starts. A test may still set the clock again, to another moment."""
    now = time.time()
    for throttle in (AnonThrottle, UserThrottle):
        monkeypatch.setattr(throttle, "timer", lambda self: now)
