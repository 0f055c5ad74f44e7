"""The header read timeout with both of uvicorn's HTTP parsers (serve uses httptools; h11 is the fallback
where httptools is not installed), on a real uvicorn server in this process."""

from __future__ import annotations

import socket
import time

import pytest

from culturegraph.http_limits import timed_protocol
from tests.server_helpers import uvicorn_thread

SECONDS = 1.0


async def hello(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", b"5")]})
    await send({"type": "http.response.body", "body": b"hello"})


@pytest.fixture(params=["httptools", "h11"])
def server(request):
    srv, thread, port = uvicorn_thread(hello, http=timed_protocol(SECONDS, request.param), lifespan="off", wait=10)
    yield port
    srv.should_exit = True
    thread.join(5)


def closed_after(sock: socket.socket, limit: float) -> float | None:
    """Seconds until the server closes ``sock`` while a header line trickles in now and then."""
    start = time.monotonic()
    sock.settimeout(0.2)
    while time.monotonic() - start < limit:
        try:
            sock.sendall(b"X-Slow: 1\r\n")
            if sock.recv(1) == b"":
                return time.monotonic() - start
        except TimeoutError:
            continue
        except OSError:
            return time.monotonic() - start
    return None


def test_headers_that_never_end_are_cut_off(server):
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        took = closed_after(sock, SECONDS + 4)
    assert took is not None and SECONDS - 0.3 < took < SECONDS + 2, took


def test_a_kept_alive_connection_gets_the_deadline_again_and_requests_in_time_pass(server):
    with socket.create_connection(("127.0.0.1", server)) as sock:
        for _ in range(3):  # three requests, each well within the deadline
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            reply = b""
            while not reply.endswith(b"hello"):
                chunk = sock.recv(4096)
                assert chunk, f"the server closed a connection in good standing: {reply!r}"
                reply += chunk
            assert reply.startswith(b"HTTP/1.1 200")
            time.sleep(SECONDS * 0.6)
        sock.sendall(b"GET / HTTP/1.1\r\n")  # then a slow one
        took = closed_after(sock, SECONDS + 4)
    assert took is not None and took < SECONDS + 2
