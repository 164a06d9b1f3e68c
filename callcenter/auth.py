"""Authentication that keeps users, their permissions and role names, and API tokens'
users in the cache.

Every request checks permissions; reading them, the session's user and their roles
costs three queries, and a token one more. They change only when an administrator
edits users or groups, and every such edit bumps a version number. Each entry carries
the version it was built at, read together with the current one in one round trip, so
a change takes effect on the next request. When Redis does not answer, everything is
read from the database.
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
from callcenter.roles import user_roles

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


def _cached(key: str) -> tuple[int | None, object]:
    """The current version and what `key` holds for that version (None if nothing or
    an older version's), in one round trip."""
    try:
        found = cache.get_many([VERSION_KEY, key])
    except shared_cache.ERRORS:
        return None, None
    version = found.get(VERSION_KEY) or _version()
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return version, entry[1]
    return version, None


def _keep(version: int | None, key: str, value) -> None:
    if version is not None:
        shared_cache.set(key, (version, value), TIMEOUT)


def invalidate_permissions(**kwargs) -> None:
    # A log-in stamps last_login, which nothing cached depends on: no reason to make
    # every seat's entries stale at each log-in.
    if kwargs.get("update_fields") == frozenset({"last_login"}):
        return
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
            key = f"auth:permissions:{user_obj.pk}"
            version, perms = _cached(key)
            if perms is None:
                perms = super().get_all_permissions(user_obj)
                _keep(version, key, perms)
            user_obj._perm_cache = perms
        return user_obj._perm_cache

    def get_user(self, user_id):
        """The session's user, with their permissions and role names."""
        key = f"auth:user:{user_id}"
        version, user = _cached(key)
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            self.get_all_permissions(user)  # sets user._perm_cache
            user_roles(user)  # sets user._role_names
            _keep(version, key, user)
        return user


class CachedTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, with the token's user (and the user's permissions)
    kept in the cache under the permissions' version: one cache read instead of a
    database query per API call. Any change to users, groups, permissions or tokens
    bumps the version, so a revoked token or a deactivated user is refused on the next
    request."""

    def authenticate_credentials(self, key):
        cache_key = f"auth:token:{hashlib.sha256(key.encode()).hexdigest()}"
        version, entry = _cached(cache_key)
        if entry is None:
            user, token = super().authenticate_credentials(key)
            CachedPermissionsBackend().get_all_permissions(user)  # sets user._perm_cache
            entry = (user, token)
            _keep(version, cache_key, entry)
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
