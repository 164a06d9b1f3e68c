"""Protocol peers the bridge tests talk to, on 127.0.0.1 in a thread of their own: an
Asterisk Manager Interface (the `Asterisk Call Manager/…` banner, Login, Ping, events
as `Key: Value` lines and a blank line, CRLF) and a FreeSWITCH event socket (auth
request, `auth`, `event plain …`, `api …`, text/event-plain messages with URL-encoded
bodies), each as their documentation describes it."""

import asyncio
import threading
from urllib.parse import quote


class Peer:
    """A TCP server on 127.0.0.1; `send` plays events to every logged-in client."""

    def __init__(self, secret: str):
        self.secret = secret
        self.logins = 0
        self.refused = 0
        self.pings = 0
        self.answer_pings = True  # False: a half-open connection, as a dead host leaves
        self.clients: list[asyncio.StreamWriter] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.server = self._run(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = self.server.sockets[0].getsockname()[1]

    def _run(self, coroutine, timeout=10):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def send(self, events: list[dict]) -> None:
        async def write():
            for writer in list(self.clients):
                for event in events:
                    writer.write(self.encode(event))
                await writer.drain()

        self._run(write())

    def send_raw(self, data: bytes) -> None:
        async def write():
            for writer in list(self.clients):
                writer.write(data)
                await writer.drain()

        self._run(write())

    def drop(self) -> None:
        """Close every client connection, as a PBX restart does."""

        async def close():
            for writer in self.clients:
                writer.close()
            self.clients.clear()

        self._run(close())

    def stop(self) -> None:
        self.drop()
        self.server.close()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)

    async def _handle(self, reader, writer):
        try:
            await self.converse(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            if writer in self.clients:
                self.clients.remove(writer)
            writer.close()


def _ami(fields: dict) -> bytes:
    return "".join(f"{key}: {value}\r\n" for key, value in fields.items()).encode() + b"\r\n"


class AmiPeer(Peer):
    def encode(self, event: dict) -> bytes:
        return _ami(event)

    async def converse(self, reader, writer):
        writer.write(b"Asterisk Call Manager/6.0.0\r\n")
        while True:
            block = await reader.readuntil(b"\r\n\r\n")
            message = dict(
                line.split(": ", 1) for line in block.decode().splitlines() if ": " in line
            )
            action, action_id = message.get("Action", "").lower(), message.get("ActionID", "")
            if action == "login":
                if not await self._login(message, action_id, writer):
                    return
            elif action == "ping":
                self.pings += 1
                if not self.answer_pings:
                    continue
                writer.write(_ami({"Response": "Success", "ActionID": action_id, "Ping": "Pong",
                                   "Timestamp": "1764578000.000000"}))  # fmt: skip
            elif action == "logoff":
                writer.write(_ami({"Response": "Goodbye", "ActionID": action_id}))
                return
            else:
                writer.write(_ami({"Response": "Error", "ActionID": action_id,
                                   "Message": "Invalid/unknown command"}))  # fmt: skip

    async def _login(self, message, action_id, writer) -> bool:
        if message.get("Secret") != self.secret:
            self.refused += 1
            writer.write(_ami({"Response": "Error", "ActionID": action_id,
                               "Message": "Authentication failed"}))  # fmt: skip
            await writer.drain()
            return False  # Asterisk ends the session after a failed login
        self.logins += 1
        writer.write(_ami({"Response": "Success", "ActionID": action_id,
                           "Message": "Authentication accepted"}))  # fmt: skip
        booted = {"Event": "FullyBooted", "Privilege": "system,all", "Status": "Fully Booted"}
        writer.write(_ami(booted))
        self.clients.append(writer)
        return True


def _esl(headers: dict, body: str = "") -> bytes:
    data = body.encode()
    if data:
        headers = {**headers, "Content-Length": str(len(data))}
    return "".join(f"{key}: {value}\n" for key, value in headers.items()).encode() + b"\n" + data


class EslPeer(Peer):
    def __init__(self, secret: str):
        super().__init__(secret)
        self.subscriptions: list[str] = []

    def encode(self, event: dict) -> bytes:
        body = "".join(f"{key}: {quote(str(value), safe='')}\n" for key, value in event.items())
        return _esl({"Content-Type": "text/event-plain"}, body + "\n")

    async def converse(self, reader, writer):
        writer.write(_esl({"Content-Type": "auth/request"}))
        while True:
            command = (await reader.readuntil(b"\n\n")).decode().strip()
            if command.startswith("auth "):
                if command[5:] != self.secret:
                    self.refused += 1
                    writer.write(_esl({"Content-Type": "command/reply",
                                       "Reply-Text": "-ERR invalid"}))  # fmt: skip
                    writer.write(_esl({"Content-Type": "text/disconnect-notice"},
                                      "Disconnected, goodbye.\nSee you at ClueCon!\n"))  # fmt: skip
                    await writer.drain()
                    return
                self.logins += 1
                writer.write(_esl({"Content-Type": "command/reply", "Reply-Text": "+OK accepted"}))
            elif command.startswith("event plain "):
                self.subscriptions.append(command)
                writer.write(_esl({"Content-Type": "command/reply",
                                   "Reply-Text": "+OK event listener enabled plain"}))  # fmt: skip
                self.clients.append(writer)
            elif command.startswith("api "):
                self.pings += 1
                if not self.answer_pings:
                    continue
                writer.write(_esl({"Content-Type": "api/response"}, "0y 0d 1h 0m 0s\n"))
            else:
                writer.write(_esl({"Content-Type": "command/reply",
                                   "Reply-Text": "-ERR command not found"}))  # fmt: skip
