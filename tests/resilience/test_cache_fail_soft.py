"""With Redis unreachable the cache misses and drops writes instead of raising (config/cache.py)."""

import pytest
from django.test import RequestFactory, override_settings

from actionsets.ratelimits import over_limit
from bench.server import free_port
from config.cache import FailSoftRedisCache

pytestmark = [pytest.mark.resilience]


def _down_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there


def test_every_cache_call_falls_back_when_redis_is_down():
    cache = FailSoftRedisCache(_down_url(), {"OPTIONS": {"socket_connect_timeout": 1}})
    assert cache.get("k", "default") == "default"
    assert cache.add("k", 1) is True  # allauth's lock loop must end; rate limits fail open
    assert cache.incr("k") == 1
    assert cache.set("k", 1) is None and cache.get_many(["k"]) == {} and cache.delete("k") is False
    assert cache.get_or_set("k", 5) == 5


def test_posting_is_not_rate_limited_into_an_error_when_redis_is_down(django_user_model, db):
    url = _down_url()
    caches = {"default": {"BACKEND": "config.cache.FailSoftRedisCache", "LOCATION": url,
                          "OPTIONS": {"socket_connect_timeout": 1}}}
    with override_settings(CACHES=caches):

        request = RequestFactory().post("/")
        request.user = django_user_model.objects.create_user("limit@example.com")
        assert over_limit(request, "post") is False
