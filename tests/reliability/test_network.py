"""In replay mode nothing leaves 127.0.0.1, even where a test asks vcrpy to let a host through.

A downstream test that still uses vcrpy directly, with ``ignore_hosts`` naming the host it calls
(vcrpy then sends that request for real), or that builds its own httpx client, runs under the
fixture in replay mode: the connection is refused with `NetworkBlockedError` or answered from the
cassette, and no socket reaches beyond 127.0.0.1.
"""

from __future__ import annotations

import pytest

# In-process pytester runs drop the modules a run imported, and cryptography's Rust bindings cannot be
# imported twice in one process: load it (and vcrpy) before any run, as tests/plugin does.
from cryptography.hazmat.primitives import serialization as serialization

from tests.reliability.conftest import Tally

TESTS = """
import socket

import httpx
import pytest
import vcr

from replay import NetworkBlockedError, NoMatchError

HOST = "192.0.2.1"  # TEST-NET-1: never routed, so a connection that got out would hang, not succeed
connects = []
real_connect = socket.socket.connect


@pytest.fixture(autouse=True)
def watch(monkeypatch):
    # Installed before the fixture's guard (autouse fixtures come first), so the guard wraps it: it
    # sees exactly the connections the guard lets through.
    def connect(sock, address):
        connects.append(address)
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


def test_a_host_vcrpy_is_told_to_ignore(genai_replay, tmp_path):
    recorder = vcr.VCR(ignore_hosts=[HOST], record_mode="none")
    with recorder.use_cassette(str(tmp_path / "theirs.yaml")), pytest.raises((NetworkBlockedError, NoMatchError)):
        httpx.get(f"http://{HOST}/v1beta/models", timeout=2)


def test_a_client_of_its_own(genai_replay):
    with pytest.raises((NetworkBlockedError, NoMatchError)):
        httpx.Client(timeout=2).get(f"https://{HOST}/v1beta/models")


def test_a_raw_socket(genai_replay):
    with socket.socket() as sock, pytest.raises(NetworkBlockedError, match=HOST):
        sock.settimeout(2)
        sock.connect((HOST, 443))


def test_nothing_got_out():
    assert all(address[0] in ("127.0.0.1", "::1") for address in connects), connects
"""


def test_replaying_opens_no_socket_beyond_loopback_whatever_a_test_asks(
    pytester: pytest.Pytester, reliability_tally: Tally
) -> None:
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")
    pytester.makepyfile(test_network=TESTS)
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(passed=4)
    reliability_tally["network escapes tried in replay mode, 0 got out"] += 3
