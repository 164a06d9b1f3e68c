"""A stand-in SMS gateway for the fault suite (settings.SMS_BACKEND in the worker it
starts), files in SMS_GATEWAY_DIR: every call in `calls`, and each message it took in
`delivered` — once per key, as a real gateway treats a repeated client message id.
It takes the message first and answers slowly (SMS_GATEWAY_DELAY), so a worker killed
during the call has had its message delivered without hearing so.
"""

import os
import time
from pathlib import Path


def _append(path: Path, line: str) -> None:
    with open(path, "a", encoding="utf-8") as file:
        file.write(line + "\n")
        file.flush()
        os.fsync(file.fileno())


def lines(directory: Path, name: str) -> list[str]:
    path = Path(directory) / name
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


class FileGateway:
    def __init__(self):
        self.dir = Path(os.environ["SMS_GATEWAY_DIR"])
        self.dir.mkdir(parents=True, exist_ok=True)
        self.delay = float(os.environ.get("SMS_GATEWAY_DELAY", "0"))

    def send(self, phone: str, text: str, *, key: str) -> None:
        line = f"{key} {phone}"
        _append(self.dir / "calls", line)
        if key not in {entry.split()[0] for entry in lines(self.dir, "delivered")}:
            _append(self.dir / "delivered", line)
        time.sleep(self.delay)
