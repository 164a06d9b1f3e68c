"""The FreeSWITCH event socket (ESL, inbound mode), written here: the protocol is a few
plain-text messages (headers, a blank line, an optional body of Content-Length bytes),
and the maintained Python clients either need gevent (greenswitch) or are too new to
lean on. auth → +OK, `event plain …` → +OK, then text/event-plain messages whose body
is URL-encoded `Key: Value` lines; `api uptime` serves as the keep-alive."""

import asyncio
import logging
from urllib.parse import unquote

from django.conf import settings

from . import mapping
from .bridge import LOGIN_TIMEOUT, Bridge, LoginRefused

log = logging.getLogger("pbx.bridge")
SUBSCRIPTION = (
    "event plain CHANNEL_CREATE CHANNEL_ANSWER CHANNEL_HANGUP_COMPLETE CUSTOM callcenter::info"
)
# No message of the PBX is larger than this; a bigger Content-Length is a broken stream.
MAX_BODY = 1 << 20


def parse_headers(text: str, *, decode: bool = False) -> dict[str, str]:
    headers = {}
    for line in text.splitlines():
        name, colon, value = line.partition(":")
        if colon:
            value = value.strip()
            headers[name.strip()] = unquote(value) if decode else value
    return headers


async def read_message(reader: asyncio.StreamReader) -> tuple[dict[str, str], str]:
    """One message: its headers and body (empty when it has none)."""
    lines = []
    while True:
        line = await reader.readline()
        if not line:
            raise EOFError("the event socket closed")
        line = line.decode("utf-8", "replace").rstrip("\r\n")
        if not line:
            if lines:
                break
            continue
        lines.append(line)
    headers = parse_headers("\n".join(lines))
    length = int(headers.get("Content-Length", "0") or 0)
    if not 0 <= length <= MAX_BODY:
        raise ValueError(f"Content-Length {length} out of range")
    body = (await reader.readexactly(length)).decode("utf-8", "replace") if length else ""
    return headers, body


class FreeswitchBridge(Bridge):
    kind = "freeswitch"

    def translate(self, fields: dict):
        return mapping.from_esl(fields)

    async def session(self) -> None:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(self.host, self.port), LOGIN_TIMEOUT
        )
        keepalive = None
        try:
            await asyncio.wait_for(self._login(reader, writer), LOGIN_TIMEOUT)
            self.logged_in()
            self.answered = asyncio.Event()
            keepalive = asyncio.create_task(self._keepalive(writer))
            await self._read_events(reader)
        finally:
            if keepalive:
                keepalive.cancel()
            writer.close()

    async def _command(self, reader, writer, command: str) -> str:
        writer.write(f"{command}\n\n".encode())
        await writer.drain()
        while True:
            headers, _body = await read_message(reader)
            if headers.get("Content-Type") == "command/reply":
                return headers.get("Reply-Text", "")

    async def _login(self, reader, writer) -> None:
        headers, _body = await read_message(reader)
        if headers.get("Content-Type") != "auth/request":
            raise ValueError(f"expected auth/request, got {headers.get('Content-Type')!r}")
        reply = await self._command(reader, writer, f"auth {settings.PBX_ESL_PASSWORD}")
        if not reply.startswith("+OK"):
            raise LoginRefused(reply or "no reason given")
        reply = await self._command(reader, writer, SUBSCRIPTION)
        if not reply.startswith("+OK"):
            raise ValueError(f"the event subscription was refused: {reply}")

    async def _read_events(self, reader) -> None:
        while True:
            headers, body = await read_message(reader)
            kind = headers.get("Content-Type")
            if kind == "text/event-plain":
                self.offer(parse_headers(body.split("\n\n", 1)[0], decode=True))
            elif kind == "text/disconnect-notice":
                raise EOFError("FreeSWITCH sent a disconnect notice")
            elif kind in ("api/response", "command/reply"):
                self.answered.set()

    async def _keepalive(self, writer) -> None:
        while True:
            await asyncio.sleep(self.ping_every)
            self.answered.clear()
            writer.write(b"api uptime\n\n")
            try:
                await asyncio.wait_for(self.answered.wait(), self.ping_timeout)
            except TimeoutError:
                log.warning("no answer to the keep-alive in %s s", self.ping_timeout)
                writer.close()  # the reader then ends the session
                return
