"""Authentication that keeps each user's permissions (and API tokens' users) in the
cache.

Every API call checks permissions; reading them costs two queries per request.
They change only when an administrator edits users or groups, and every such edit
bumps a version number that is part of the cache key, so a change takes effect on
the next request. When Redis does not answer, both are read from the database.
"""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from callcenter import cache as shared_cache

VERSION_KEY = "auth:permissions-version"
# Without Redis each process has its own cache, which a change in another process
# cannot reach: entries live only seconds there.
TIMEOUT = 300 if settings.REDIS_URL else 5


def _version() -> int | None:
    """The permissions' version, or None when the cache does not answer."""
    try:
        return cache.get_or_set(VERSION_KEY, 1, None)
    except shared_cache.ERRORS:
        return None


def invalidate_permissions(**kwargs) -> None:
    # With Redis unreachable the bump is lost; entries cached before the outage
    # expire within TIMEOUT.
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        shared_cache.set(VERSION_KEY, 1, None)
    except shared_cache.ERRORS:
        pass


class CachedPermissionsBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            version = _version()
            key = f"auth:permissions:{version}:{user_obj.pk}"
            perms = None if version is None else shared_cache.get(key)
            if perms is None:
                perms = super().get_all_permissions(user_obj)
                if version is not None:
                    shared_cache.set(key, perms, TIMEOUT)
            user_obj._perm_cache = perms
        return user_obj._perm_cache


class CachedTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, with the token's user (and the user's permissions)
    kept in the cache under the same version as the permissions: one cache read
    instead of a database query per API call. Any change to users, groups,
    permissions or tokens bumps the version, so a revoked token or a deactivated user
    is refused on the next request."""

    def authenticate_credentials(self, key):
        version = _version()
        digest = hashlib.sha256(key.encode()).hexdigest()
        cache_key = f"auth:token:{version}:{digest}"
        entry = None if version is None else shared_cache.get(cache_key)
        if entry is None:
            user, token = super().authenticate_credentials(key)
            CachedPermissionsBackend().get_all_permissions(user)  # sets user._perm_cache
            entry = (user, token)
            if version is not None:
                shared_cache.set(cache_key, entry, TIMEOUT)
        return entry


def connect_invalidation() -> None:
    User = get_user_model()
    for sender in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(invalidate_permissions, sender=sender, dispatch_uid=f"perm-{sender}")
    for model in (User, Group, Token):
        post_save.connect(invalidate_permissions, sender=model, dispatch_uid=f"perm-save-{model}")
        post_delete.connect(invalidate_permissions, sender=model, dispatch_uid=f"perm-del-{model}")


def client_ip(request) -> str | None:
    """The address a request came from, for login throttling. Behind
    TRUSTED_PROXY_COUNT reverse proxies (the TLS proxy of a deployment), the address
    the outermost trusted proxy saw: X-Forwarded-For's entry that many from the
    right. Anything further left is the client's own say and is not believed."""
    from django.conf import settings

    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")
