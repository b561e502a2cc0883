"""The Redis cache, failing soft: when Redis is down the site keeps working without it.

Only rate-limit counters and allauth's throttles live in the cache (sessions are in the database).
Django's RedisCache raises on every call while Redis is unreachable, which turned every POST
(posting, signing in) into a 500 — found by tests/resilience (Redis stopped). Here each call
falls back to "nothing cached": reads miss, writes are dropped, `add` reports success (so
allauth's lock loop ends and rate limits fail open for the outage), and one warning is logged per
failed call. Short socket timeouts keep a hung Redis from stalling requests.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)


def _soft(name: str, fallback):
    method = getattr(RedisCache, name)

    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNAVAILABLE as error:
            log.warning("cache %s failed; carrying on without the cache: %s", name, error)
            return fallback(*args, **kwargs)

    call.__name__ = name
    return call


class FailSoftRedisCache(RedisCache):
    get = _soft("get", lambda key, default=None, version=None: default)
    get_many = _soft("get_many", lambda keys, version=None: {})
    has_key = _soft("has_key", lambda key, version=None: False)
    add = _soft("add", lambda key, value, timeout=None, version=None: True)
    set = _soft("set", lambda key, value, timeout=None, version=None: None)
    set_many = _soft("set_many", lambda data, timeout=None, version=None: [])
    touch = _soft("touch", lambda key, timeout=None, version=None: False)
    incr = _soft("incr", lambda key, delta=1, version=None: delta)
    delete = _soft("delete", lambda key, version=None: False)
    delete_many = _soft("delete_many", lambda keys, version=None: None)
    clear = _soft("clear", lambda: None)
