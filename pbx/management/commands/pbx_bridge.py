"""python manage.py pbx_bridge asterisk|freeswitch (SPEC §11)."""

import asyncio

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from pbx.asterisk import AsteriskBridge
from pbx.freeswitch import FreeswitchBridge


class Command(BaseCommand):
    help = "Connect to the PBX and record its calls, abandons and agent pauses."

    def add_arguments(self, parser):
        parser.add_argument("pbx", choices=["asterisk", "freeswitch"])

    def handle(self, *args, pbx, **options):
        if pbx == "asterisk":
            if not settings.PBX_AMI_HOST:
                raise CommandError("PBX_AMI_HOST is not set")
            bridge = AsteriskBridge(host=settings.PBX_AMI_HOST, port=settings.PBX_AMI_PORT)
        else:
            if not settings.PBX_ESL_HOST:
                raise CommandError("PBX_ESL_HOST is not set")
            bridge = FreeswitchBridge(host=settings.PBX_ESL_HOST, port=settings.PBX_ESL_PORT)
        connection.close()  # the start-up checks' connection; the bridge opens its own
        asyncio.run(bridge.run())
