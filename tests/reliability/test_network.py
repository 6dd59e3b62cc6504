"""In replay mode nothing leaves loopback, even where a test asks vcrpy to let a host through.

A downstream test that still uses vcrpy directly, with ``ignore_hosts`` naming the host it calls
(vcrpy then sends that request for real), or that builds its own httpx client, runs under the
fixture in replay mode: the connection is refused with `NetworkBlockedError` or answered from the
cassette. Raw sockets fare no better: a UDP datagram, TCP fast open, ``sendmsg``, a name lookup and a
name made to look like 127.0.0.1 are all refused, and no socket reaches beyond loopback. What stays on
the machine (127.0.0.0/8, ::1, localhost, Unix sockets, asyncio, httpx and aiohttp to a local server)
still works under the guard.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import aiohttp
import httpx
import pytest

# In-process pytester runs drop the modules a run imported, and cryptography's Rust bindings cannot be
# imported twice in one process: load it (and vcrpy) before any run, as tests/plugin does.
from cryptography.hazmat.primitives import serialization as serialization

from replay._guards import blocking_network, is_loopback
from tests.reliability.conftest import Tally

TESTS = """
import ipaddress
import socket

import httpx
import pytest
import vcr

from replay import NetworkBlockedError, NoMatchError

HOST = "192.0.2.1"  # TEST-NET-1: never routed, so a connection that got out would hang, not succeed
connects, sent, looked_up = [], [], []
real_connect, real_sendto, real_getaddrinfo = socket.socket.connect, socket.socket.sendto, socket.getaddrinfo


@pytest.fixture(autouse=True)
def watch(monkeypatch):
    # Installed before the fixture's guard (autouse fixtures come first), so the guard wraps them: they
    # see exactly the connections, datagrams and lookups the guard lets through.
    def connect(sock, address):
        connects.append(address)
        return real_connect(sock, address)

    def sendto(sock, data, *flags_and_address):
        sent.append(flags_and_address[-1])
        return real_sendto(sock, data, *flags_and_address)

    def getaddrinfo(host, *args, **kwargs):
        looked_up.append(host)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "sendto", sendto)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


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


def test_a_udp_datagram(genai_replay):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock, pytest.raises(NetworkBlockedError, match=HOST):
        sock.sendto(b"query", (HOST, 53))


@pytest.mark.skipif(not hasattr(socket, "MSG_FASTOPEN"), reason="this platform has no TCP fast open")
def test_tcp_fast_open(genai_replay):
    # sendto with MSG_FASTOPEN connects and sends in one call, without connect() ever being called.
    with socket.socket() as sock, pytest.raises(NetworkBlockedError, match=HOST):
        sock.sendto(b"GET /", socket.MSG_FASTOPEN, (HOST, 80))


@pytest.mark.skipif(not hasattr(socket.socket, "sendmsg"), reason="this platform has no sendmsg")
def test_sendmsg(genai_replay):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock, pytest.raises(NetworkBlockedError, match=HOST):
        sock.sendmsg([b"query"], [], 0, (HOST, 53))


def test_a_name_lookup(genai_replay):
    with pytest.raises(NetworkBlockedError, match="'example.com'"):
        socket.getaddrinfo("example.com", 443)


def test_a_name_that_starts_like_loopback(genai_replay):
    with socket.socket() as sock, pytest.raises(NetworkBlockedError, match="127.0.0.1.attacker.example"):
        sock.connect(("127.0.0.1.attacker.example", 443))


def test_nothing_got_out():
    assert all(address[0] in ("127.0.0.1", "::1") for address in connects + sent), (connects, sent)
    names = [host for host in looked_up if host not in (None, "localhost") and not is_ip(host)]
    assert not names, looked_up


def is_ip(host):
    try:
        return bool(ipaddress.ip_address(host))
    except ValueError:
        return False
"""

ESCAPES = 8  # the tests above that try to get out: all but test_nothing_got_out


def test_replaying_opens_no_socket_beyond_loopback_whatever_a_test_asks(
    pytester: pytest.Pytester, reliability_tally: Tally
) -> None:
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")
    pytester.makepyfile(test_network=TESTS)
    result = pytester.runpytest_inprocess()
    skipped = (not hasattr(socket, "MSG_FASTOPEN")) + (not hasattr(socket.socket, "sendmsg"))
    result.assert_outcomes(passed=ESCAPES - skipped + 1, skipped=skipped)
    reliability_tally["network escapes tried in replay mode, 0 got out"] += ESCAPES - skipped


@pytest.mark.parametrize(
    ("address", "is_allowed"),
    [
        (("127.0.0.1", 443), True),
        (("127.0.0.2", 443), True),  # the whole of 127.0.0.0/8 is loopback
        (("127.255.255.254", 443), True),
        (("::1", 443, 0, 0), True),
        (("::ffff:127.0.0.1", 443, 0, 0), True),
        (("localhost", 443), True),
        (("LOCALHOST.", 443), True),
        ("/tmp/app.sock", True),
        (b"\0abstract", True),
        (("127.0.0.1.attacker.example", 443), False),
        (("localhost.attacker.example", 443), False),
        (("127.1", 443), False),  # a short form the OS reads as 127.0.0.1 but no parser here does: refused
        (("128.0.0.1", 443), False),
        (("0.0.0.0", 443), False),
        (("::ffff:192.0.2.1", 443, 0, 0), False),
        (("::2", 443, 0, 0), False),
        (("", 443), False),
        ((0, 0), False),  # netlink, or any family whose address has no host name
    ],
)
def test_an_address_is_loopback_by_parsing_never_by_prefix(address: object, is_allowed: bool) -> None:
    assert is_loopback(address) is is_allowed


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("content-length", "5")
        self.end_headers()
        self.wfile.write(b"hello")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def guarded() -> Iterator[None]:
    """The replay guard around the test; afterwards, every socket function is the standard library's again."""
    with blocking_network():
        yield
    assert socket.socket.connect.__qualname__ == "socket.connect"
    assert socket.socket.sendto.__qualname__ == "socket.sendto"
    assert socket.getaddrinfo.__module__ == "socket" and socket.gethostbyname.__module__ == "_socket"


@pytest.fixture
def local_server(guarded: None) -> Iterator[int]:
    """An HTTP server on 127.0.0.1, started under the guard; yields its port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join()


def test_tcp_and_udp_on_loopback_pass(guarded: None) -> None:
    with (
        socket.create_server(("127.0.0.1", 0)) as listener,
        socket.create_connection(listener.getsockname(), timeout=2) as client,
    ):
        client.sendall(b"ping")
        peer, _ = listener.accept()
        with peer:
            assert peer.recv(4) == b"ping"
    with (
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender,
    ):
        receiver.bind(("127.0.0.1", 0))
        sender.sendto(b"ping", receiver.getsockname())
        sender.sendmsg([b"pong"], [], 0, receiver.getsockname())
        assert (receiver.recv(4), receiver.recv(4)) == (b"ping", b"pong")


def test_ipv6_loopback_passes(guarded: None) -> None:
    try:
        listener = socket.create_server(("::1", 0), family=socket.AF_INET6)
    except OSError as exc:
        pytest.skip(f"no IPv6 loopback here: {exc}")
    with listener, socket.create_connection(listener.getsockname()[:2], timeout=2):
        pass


def test_localhost_resolves_and_connects(guarded: None) -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        assert ("127.0.0.1", port) in [info[4] for info in socket.getaddrinfo("localhost", port)]
        assert socket.gethostbyname("localhost") == "127.0.0.1"
        with socket.create_connection(("localhost", port), timeout=2):
            pass


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="this platform has no Unix sockets")
def test_a_unix_socket_passes(guarded: None, tmp_path: Path) -> None:
    path = str(tmp_path / "app.sock")
    with socket.socket(socket.AF_UNIX) as listener, socket.socket(socket.AF_UNIX) as client:
        listener.bind(path)
        listener.listen()
        client.connect(path)


def test_asyncio_reaches_a_local_server(guarded: None) -> None:
    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(await reader.readexactly(4))
        await writer.drain()
        writer.close()

    async def main() -> bytes:
        server = await asyncio.start_server(echo, "127.0.0.1", 0)
        async with server:
            # A name, so the loop resolves it with socket.getaddrinfo in a thread, then sock_connect.
            reader, writer = await asyncio.open_connection("localhost", server.sockets[0].getsockname()[1])
            writer.write(b"ping")
            answer = await reader.readexactly(4)
            writer.close()
            await writer.wait_closed()
            return answer

    assert asyncio.run(main()) == b"ping"


def test_httpx_and_aiohttp_reach_a_local_server(local_server: int) -> None:
    assert httpx.get(f"http://127.0.0.1:{local_server}/", timeout=2).text == "hello"

    async def fetch() -> tuple[str, str]:
        async with httpx.AsyncClient(timeout=2) as client:
            first = (await client.get(f"http://localhost:{local_server}/")).text
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://localhost:{local_server}/") as response,
        ):
            return first, await response.text()

    assert asyncio.run(fetch()) == ("hello", "hello")
