"""The wallboard's API, page and event stream (SPEC §8.3)."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django_eventstream.channelmanager import DefaultChannelManager
from django_eventstream.views import events as event_stream
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from callcenter.api import require_perms

from . import wallboard


class WallboardView(APIView):
    permission_classes = [require_perms("reporting.view_statistics")]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        # Computed now: the cached copy is for the many boards of a room.
        return Response(wallboard.snapshot())


@never_cache
@login_required
@permission_required("reporting.view_statistics", raise_exception=True)
def wallboard_page(request):
    return render(
        request,
        "reporting/wallboard.html",
        {"board": wallboard.current(), "channel": wallboard.CHANNEL},
    )


@never_cache
@login_required
@permission_required("reporting.view_statistics", raise_exception=True)
def wallboard_fragment(request):
    return render(request, "reporting/_wallboard.html", {"board": wallboard.current()})


class ChannelManager(DefaultChannelManager):
    """The event stream carries the wallboard's channel only, to supervisors only."""

    def get_channels_for_request(self, request, view_kwargs):
        return {wallboard.CHANNEL}

    def can_read_channel(self, user, channel):
        return (
            channel == wallboard.CHANNEL
            and user is not None
            and user.has_perm("reporting.view_statistics")
        )

    def is_channel_reliable(self, channel):
        # A board that reconnects fetches the whole snapshot: no history to replay.
        return False


def events(request, **kwargs):
    """The wallboard's server-sent events, when served by the ASGI server (the compose
    file's `events` service). Under WSGI a never-ending response would hold a worker:
    204 tells the browser not to reconnect, and the board polls instead."""
    if not hasattr(request, "scope"):
        return HttpResponse(status=204)
    return event_stream(request, **kwargs)
