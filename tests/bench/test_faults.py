"""The fault drill's own parts: the TCP proxy's modes, the judgement of outdated responses."""

import socket
import socketserver
import threading

import pytest

from bench.faults.drill import weighted
from bench.faults.editor import numbered, title_number
from bench.faults.load import STALE_WARNING, Sample, outdated
from bench.faults.proxy import TcpProxy


class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        while data := self.request.recv(1024):
            self.request.sendall(data)


@pytest.fixture
def proxy():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Echo)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    relay = TcpProxy(server.server_address[1]).start()
    yield relay
    relay.close()
    server.shutdown()
    server.server_close()


def connect(proxy: TcpProxy) -> socket.socket:
    return socket.create_connection(("127.0.0.1", proxy.port), timeout=0.5)


def echoes(sock: socket.socket) -> bool:
    sock.sendall(b"ping")
    return sock.recv(16) == b"ping"


def test_the_proxy_forwards_both_ways(proxy):
    with connect(proxy) as sock:
        assert echoes(sock)


def test_refusing_refuses_new_connections_and_cuts_existing_ones(proxy):
    with connect(proxy) as sock:
        assert echoes(sock)
        proxy.refuse()
        assert sock.recv(16) == b""  # closed
    with pytest.raises(ConnectionRefusedError):
        connect(proxy)
    proxy.forward()
    with connect(proxy) as sock:
        assert echoes(sock)


def test_a_blackhole_accepts_and_never_answers_then_forwarding_resumes(proxy):
    with connect(proxy) as before:
        assert echoes(before)
        proxy.blackhole()
        with connect(proxy) as during:
            during.sendall(b"ping")
            with pytest.raises(TimeoutError):
                during.recv(16)
        before.sendall(b"ping")
        with pytest.raises(TimeoutError):
            before.recv(16)
        proxy.forward()
        assert before.recv(16) == b""  # what went into the hole is lost: cut
    with connect(proxy) as after:
        assert echoes(after)


def test_cutting_closes_existing_connections_and_keeps_forwarding(proxy):
    with connect(proxy) as sock:
        assert echoes(sock)
        proxy.cut()
        assert sock.recv(16) == b""
    with connect(proxy) as sock:
        assert echoes(sock)


def response(started: float, title: int, *, x_cache: str = "hit") -> Sample:
    warning = STALE_WARNING if x_cache == "stale" else None
    return Sample("/detail", started, 1.0, 200, x_cache=x_cache, warning=warning, title=title)


COMMITS = [(1, 100.0), (2, 101.0), (3, 104.0)]


def test_a_response_older_than_a_commit_made_more_than_the_freshness_before_is_outdated():
    late = response(102.5, 1)  # edit 2 committed 1.5 s before the request
    assert outdated([late], COMMITS, freshness=1.0) == [late]


def test_a_commit_younger_than_the_freshness_may_not_show_yet():
    assert outdated([response(101.8, 1)], COMMITS, freshness=1.0) == []
    assert outdated([response(103.0, 2), response(104.5, 2)], COMMITS, freshness=1.0) == []


def test_stale_responses_are_not_judged_they_say_they_are_old():
    assert outdated([response(110.0, 1, x_cache="stale")], COMMITS, freshness=1.0) == []


def test_kinds_of_answers():
    unavailable = Sample("/", 0, 1, 503, retry_after="5", code="unavailable")
    assert response(0, 0).kind == "fresh"
    assert response(0, 0, x_cache="stale").kind == "stale"
    assert unavailable.kind == "unavailable"
    assert Sample("/", 0, 1, 503, code="unavailable").kind == "other"  # no Retry-After
    assert Sample("/", 0, 1, 500, code="server_error").kind == "other"
    assert Sample("/", 0, 1, None, error="ConnectionResetError").kind == "error"


def test_numbered_titles_keep_one_number():
    assert title_number("Stem cells") == 0
    assert title_number(numbered(numbered("Stem cells", 1), 2)) == 2
    assert numbered("Stem cells #1", 2) == "Stem cells #2"


def test_the_tracked_path_is_a_quarter_of_the_drills_requests():
    mixed = weighted(tuple(f"/p{i}" for i in range(9)), "/tracked")
    assert mixed.count("/tracked") == 3
    assert len(mixed) == 12
