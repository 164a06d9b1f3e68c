"""The real bridge (`manage.py pbx_bridge …`) as a process on the test database,
talking to a protocol peer on 127.0.0.1. Like the Celery worker (tests/worker.py) it
sees only committed rows: its tests are transactional."""

import os
import signal
import subprocess
import sys

import pytest
from django.db import connection

from tests.worker import ROOT, database_url_for, wait_until

from .peers import AmiPeer, EslPeer

SECRET = "amp111-test"
# The bridge's database sessions, to find them in pg_stat_activity.
APPLICATION_NAME = "pbx-bridge-test"


class BridgeProcess:
    def __init__(self, kind: str, port: int, log_path, secret: str = SECRET, **extra_env):
        self.log_path = log_path
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        env = {
            "DATABASE_URL": database_url_for(connection.settings_dict["NAME"])
            + f"?application_name={APPLICATION_NAME}",
            "LOG_FORMAT": "plain", "LOG_LEVEL": "INFO",
            "PBX_AMI_HOST": "127.0.0.1", "PBX_AMI_PORT": str(port),
            "PBX_AMI_USERNAME": "hotline", "PBX_AMI_SECRET": secret,
            "PBX_ESL_HOST": "127.0.0.1", "PBX_ESL_PORT": str(port), "PBX_ESL_PASSWORD": secret,
            **extra_env,
        }  # fmt: skip
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "pbx_bridge", kind],
            cwd=ROOT, env={**os.environ, **env}, stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def log(self) -> str:
        return self.log_path.read_text("utf-8", "replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> int:
        """SIGTERM, as docker stop sends; the bridge's exit status."""
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()
        return self.process.returncode


@pytest.fixture
def ami():
    peer = AmiPeer(SECRET)
    yield peer
    peer.stop()


@pytest.fixture
def esl():
    peer = EslPeer(SECRET)
    yield peer
    peer.stop()


@pytest.fixture
def start_bridge(transactional_db, tmp_path):
    """Start the bridge against a peer; every bridge must stop cleanly on SIGTERM."""
    started = []

    def start(kind: str, peer, *, logged_in: bool = True, **env) -> BridgeProcess:
        log_path = tmp_path / f"bridge-{len(started)}.log"
        bridge = BridgeProcess(kind, peer.port, log_path, **env)
        started.append(bridge)
        if logged_in:
            wait_until(
                lambda: peer.logins >= 1 and peer.clients,
                timeout=30,
                what=lambda: f"the bridge to log in:\n{bridge.log()[-3000:]}",
            )
        return bridge

    yield start
    for bridge in started:
        code = bridge.stop()
        assert code == 0, f"the bridge exited with {code}:\n{bridge.log()[-3000:]}"
        assert "bridge stopped" in bridge.log()


E164 = "+84912345678"


class Hotline:
    """What the bridge recorded, read through the product's API."""

    def __init__(self, client_for, agent):
        self.client_for, self.agent = client_for, agent

    def calls(self, phone: str = E164) -> list[dict]:
        response = self.client_for(self.agent).get(f"/api/v1/callers/{phone}/history/")
        assert response.status_code == 200, response.content
        return response.json()["calls"]

    def callbacks(self) -> list[dict]:
        response = self.client_for(self.agent).get("/api/v1/callbacks/?status=pending")
        assert response.status_code == 200, response.content
        return response.json()["results"]

    def status(self, user) -> tuple[str, str]:
        body = self.client_for(user).get("/api/v1/agents/me/status/").json()
        return body["status"], body["reason"]

    def wait_for_call(self, done, phone: str = E164, timeout: float = 15):
        """Wait until the number's only call satisfies `done`; return it."""

        def check():
            calls = self.calls(phone)
            return calls[0] if len(calls) == 1 and done(calls[0]) else None

        return wait_until(check, timeout=timeout, what=lambda: f"the call: {self.calls(phone)}")


@pytest.fixture
def hotline(api_client_for, agent, other_agent):
    return Hotline(api_client_for, agent)


def ended(call: dict) -> bool:
    return call["ended_at"] is not None


@pytest.fixture(params=["asterisk", "freeswitch"])
def any_pbx(request, ami, esl):
    """Each kind of PBX with its peer."""
    return request.param, {"asterisk": ami, "freeswitch": esl}[request.param]
