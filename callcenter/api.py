"""Shared pieces of the HTTP API: pagination, role permissions, error mapping."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import Conflict, Forbidden


class TaskAcceptedSerializer(serializers.Serializer):
    """The answer to a request that queued a Celery task (202): the task's id."""

    task_id = serializers.CharField()


class Pagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    # One page of tickets with full identity is at most this long (and in the access log).
    max_page_size = 50


def require_perms(*perms: str, any_of: bool = False) -> type[BasePermission]:
    """A DRF permission class: authenticated and holding every named permission (or,
    with `any_of`, at least one of them)."""

    def holds(user) -> bool:
        return any(map(user.has_perm, perms)) if any_of else user.has_perms(perms)

    class HasPerms(BasePermission):
        def has_permission(self, request, view):
            user = request.user
            return bool(user and user.is_authenticated and holds(user))

    prefix = "HasAnyPerm_" if any_of else "HasPerms_"
    HasPerms.__name__ = prefix + "_".join(p.split(".")[-1] for p in perms)
    return HasPerms


def exception_handler(exc, context):
    """DRF's handler, plus domain errors: wrong state → 409, not the holder → 403."""
    if isinstance(exc, Forbidden):
        exc = exceptions.PermissionDenied(exc.message)
    elif isinstance(exc, Conflict):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    return drf_exception_handler(exc, context)
