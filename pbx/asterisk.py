"""The Asterisk Manager Interface through panoramisk (asyncio): its protocol, login and
action/response matching; the bridge does the reconnecting (capped back-off instead of
panoramisk's fixed retry) and the keep-alive (a Ping that must be answered)."""

import asyncio

from django.conf import settings
from panoramisk import Manager

from . import mapping
from .bridge import LOGIN_TIMEOUT, Bridge, LoginRefused


class _Manager(Manager):
    """panoramisk's Manager that reports the end of its connection instead of
    reconnecting by itself."""

    def __init__(self, **config):
        super().__init__(**config)
        self.ended = self.loop.create_future()
        self.login_answer = self.loop.create_future()

    def _end(self, reason) -> None:
        if not self.ended.done():
            self.ended.set_result(reason)

    def connection_made(self, f):
        if f.cancelled() or f.exception() is not None:
            self._end(None if f.cancelled() else f.exception())
            return
        super().connection_made(f)

    def login(self, future):
        authenticated = super().login(future)
        if not self.login_answer.done():
            self.login_answer.set_result(future.result())
        return authenticated

    def connection_lost(self, exc):
        if self.pinger:
            self.pinger.cancel()
            self.pinger = None
        self._end(exc)


class AsteriskBridge(Bridge):
    kind = "asterisk"

    def translate(self, fields: dict):
        return mapping.from_ami(fields)

    async def session(self) -> None:
        manager = _Manager(
            loop=asyncio.get_running_loop(),
            host=self.host,
            port=self.port,
            username=settings.PBX_AMI_USERNAME,
            secret=settings.PBX_AMI_SECRET,
            # panoramisk's own ping goes unchecked; the bridge's keep-alive replaces it.
            ping_delay=10**9,
            ping_interval=10**9,
        )
        manager.register_event("*", lambda _manager, event: self.offer(dict(event)))
        await manager.connect()
        keepalive = None
        try:
            await self._login(manager)
            keepalive = asyncio.create_task(self._keepalive(manager))
            reason = await manager.ended
            if isinstance(reason, Exception):
                raise reason
        finally:
            if keepalive:
                keepalive.cancel()
            manager.close()

    async def _login(self, manager: _Manager) -> None:
        done, _pending = await asyncio.wait(
            {manager.login_answer, manager.ended},
            timeout=LOGIN_TIMEOUT,
            return_when=asyncio.FIRST_COMPLETED,
        )
        if manager.login_answer.done():
            answer = manager.login_answer.result()
            if not answer.success:
                raise LoginRefused(answer.get("Message", "no reason given"))
            self.logged_in()
            return
        if manager.ended.done():
            reason = manager.ended.result()
            raise ConnectionError(f"closed before the login was answered: {reason!r}")
        raise TimeoutError("the login was not answered")

    async def _keepalive(self, manager: _Manager) -> None:
        while True:
            await asyncio.sleep(self.ping_every)
            try:
                await asyncio.wait_for(manager.send_action({"Action": "Ping"}), self.ping_timeout)
            except TimeoutError:
                manager._end(TimeoutError("no answer to the keep-alive ping"))
                return
