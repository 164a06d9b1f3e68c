"""The wallboard in a real browser, served as in production by the ASGI server (daphne)
with its event stream over Redis: a PBX `ringing` event and an agent's break appear on
the open board within 2 seconds, without a reload, and without the board polling."""

import os
import socket
import subprocess
import sys
import time

import pytest
from django.db import connection
from django.utils import timezone

from tests.worker import ROOT, database_url_for, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def asgi_server(tmp_path):
    """daphne serving the product on the test database and the suite's Redis."""
    port = free_port()
    log = open(tmp_path / "daphne.log", "wb")  # noqa: SIM115 - closed below
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for(connection.settings_dict["NAME"]),
        "DEBUG": "true",
        "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
         "callcenter.asgi:application"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip

    def up():
        assert process.poll() is None, (tmp_path / "daphne.log").read_text()[-3000:]
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            return False

    wait_until(up, timeout=30, what="daphne to listen")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)
    log.close()


def log_in(page, base, user, client):
    """The supervisor's session, made here and handed to the browser (the server is
    another process, with the production password hashers)."""
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": base}])
    page.goto(f"{base}/wallboard/")


def test_a_ringing_call_and_a_break_reach_the_open_wallboard_within_2_seconds(
    asgi_server, page, screenshot, supervisor, agent, pbx, api_client_for, client
):
    from presence import services as presence

    presence.status_set(actor=agent, status="ready")
    log_in(page, asgi_server, supervisor, client)
    # The stream is open: pushed, not polled.
    page.locator("#wallboard-link.st-ready").wait_for(timeout=10_000)
    assert page.locator("#wb-waiting").inner_text() == "0"
    screenshot(page, "wallboard-before")
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "/wallboard/board/" in r.url else None)

    sent = time.monotonic()
    response = api_client_for(pbx).post(
        "/api/v1/cti/events/",
        {"call_id": "wb-1", "event": "ringing", "caller_number": "0912345678",
         "agent_extension": "101", "at": timezone.now().isoformat()},
        format="json",
    )  # fmt: skip
    assert response.status_code == 202
    page.locator("#wb-waiting", has_text="1").wait_for(timeout=2_000)
    ringing_seen = time.monotonic() - sent

    sent = time.monotonic()
    presence.status_set(actor=agent, status="break", reason="lunch")
    page.locator(f'li.agent.st-break[data-username="{agent.username}"]').wait_for(timeout=2_000)
    break_seen = time.monotonic() - sent
    screenshot(page, "wallboard-after")

    assert ringing_seen < 2 and break_seen < 2
    # Two changes, two fetches: the board waited for the push, it did not poll.
    assert 1 <= len(requests) <= 4
