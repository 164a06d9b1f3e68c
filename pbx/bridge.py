"""The bridge's life: one connection to the PBX at a time, re-made with capped
exponential back-off; events queued in the order they arrive and applied one by one in
one database thread (so one database connection); a clean stop on SIGTERM once the
events already received are applied. The protocols are in asterisk.py and
freeswitch.py; what each event means is in mapping.py."""

import asyncio
import contextlib
import functools
import logging
import signal
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.utils import timezone

from . import health, recorder

log = logging.getLogger("pbx.bridge")
FIRST_DELAY, MAX_DELAY = 1.0, 30.0
LOGIN_TIMEOUT = 10.0
DRAIN_TIMEOUT = 20.0


class LoginRefused(Exception):
    pass


class Bridge:
    kind = ""

    def __init__(self, *, host: str, port: int):
        self.host, self.port = host, port
        self.events: asyncio.Queue = asyncio.Queue()
        self.stopping = asyncio.Event()
        self.delay = FIRST_DELAY
        self.had_logged_in = False
        # A keep-alive every ping_every seconds; no answer within half of that means the
        # PBX is gone (a half-open connection: its host died without closing it).
        self.ping_every = float(settings.PBX_KEEPALIVE_SECONDS)
        self.ping_timeout = max(self.ping_every / 2, 0.5)
        # Every database call in this one thread: one connection, reused and re-made.
        self.database = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pbx-db")

    async def session(self) -> None:
        """Connect, log in (then call `self.logged_in()`), pass each event to
        `self.offer()`, and return or raise when the connection ends."""
        raise NotImplementedError

    def translate(self, fields: dict):
        """The event as a mapping.CallEvent or Pause, or None."""
        raise NotImplementedError

    def logged_in(self) -> None:
        log.info("logged in to %s at %s:%s", self.kind, self.host, self.port)
        self.delay, self.had_logged_in = FIRST_DELAY, True
        health.stamp(self.kind, "logged_in")

    def offer(self, fields: dict) -> None:
        """One event from the PBX, stamped with its arrival; a malformed one is logged."""
        try:
            item = self.translate(fields)
        except Exception:
            log.exception("malformed %s event skipped", self.kind)
            return
        if item is not None:
            self.events.put_nowait((timezone.now(), item))

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self.stopping.set)
        consumer = asyncio.create_task(self._consume())
        attempt = 0
        while not self.stopping.is_set():
            attempt += 1
            log.info("connecting to %s at %s:%s (attempt %d)", self.kind, self.host, self.port,
                     attempt)  # fmt: skip
            if await self._one_session():
                attempt = 0
            if self.stopping.is_set():
                break
            log.info("reconnecting in %.0f s", self.delay)
            await self._sleep(self.delay)
            self.delay = min(self.delay * 2, MAX_DELAY)
        await self._drain(consumer)

    async def _one_session(self) -> bool:
        """One connection until it ends; True when it had logged in."""
        self.had_logged_in = False
        session = asyncio.create_task(self.session())
        stop = asyncio.create_task(self.stopping.wait())
        await asyncio.wait({session, stop}, return_when=asyncio.FIRST_COMPLETED)
        stop.cancel()
        if not session.done():
            session.cancel()
        try:
            await session
            log.warning("the %s connection ended", self.kind)
        except asyncio.CancelledError:
            pass
        except LoginRefused as error:
            log.error("%s refused the login: %s", self.kind, error)
        except (OSError, EOFError, TimeoutError, ValueError) as error:
            log.warning("%s connection failed: %r", self.kind, error)
        except Exception:  # whatever else broke the session, the bridge goes on
            log.exception("%s session failed", self.kind)
        return self.had_logged_in

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), seconds)

    async def _consume(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            at, item = await self.events.get()
            try:
                outcome = await loop.run_in_executor(
                    self.database, functools.partial(recorder.record, item, at=at, kind=self.kind)
                )
                log.debug("%r: %s", item, outcome)
            except Exception:
                log.exception("event not recorded: %r", item)
            finally:
                self.events.task_done()

    async def _drain(self, consumer: asyncio.Task) -> None:
        try:
            await asyncio.wait_for(self.events.join(), DRAIN_TIMEOUT)
        except TimeoutError:
            log.error("stopped with %d events not recorded", self.events.qsize())
        consumer.cancel()
        await asyncio.get_running_loop().run_in_executor(self.database, recorder.close_connection)
        self.database.shutdown()
        log.info("bridge stopped")
