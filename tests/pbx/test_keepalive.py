"""The keep-alive: a PBX whose host died leaves the connection open but silent; the
bridge notices from its unanswered ping and connects again."""

import pytest

from tests.worker import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_unanswered_keepalive_makes_the_bridge_connect_again(any_pbx, start_bridge):
    kind, peer = any_pbx
    bridge = start_bridge(kind, peer, PBX_KEEPALIVE_SECONDS="1")
    wait_until(lambda: peer.pings >= 2, timeout=10, what="keep-alive pings")
    assert peer.logins == 1  # answered pings keep the one connection

    peer.answer_pings = False
    wait_until(lambda: peer.logins >= 2, timeout=15, what=lambda: bridge.log()[-2000:])

    assert "keep-alive" in bridge.log()
