"""callcenter.redis_cache: one redis-py client per connection pool (Django's backend
built one per cache call). The suite runs with Redis."""

from django.core.cache import cache, caches

from callcenter.redis_cache import RedisCache


def test_the_cache_is_the_reusing_backend():
    assert isinstance(caches["default"], RedisCache)


def test_cache_calls_share_one_client():
    cache.set("hotline:reuse", 1, 10)
    first = cache._cache.get_client(write=True)

    assert cache.get("hotline:reuse") == 1
    assert cache.get_many(["hotline:reuse"]) == {"hotline:reuse": 1}
    assert cache._cache.get_client(write=True) is first
    assert cache._cache.get_client(write=False) is first  # one server: one pool
    cache.delete("hotline:reuse")
