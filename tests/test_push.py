"""push: into a real Oxigraph server (Graph Store Protocol, SPARQL Update fallback, COUNT check), and the
same answers from it as from the local graph; retries, authentication and errors against a stub server."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from culturegraph.api import CultureGraph
from culturegraph.export.push import PushError, push

from .conftest import ROOT, free_port, oxigraph_server, run_cli

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``oxigraph serve`` on a free loopback port (union default graph, like the local engine)."""
    with oxigraph_server("serve", tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


def _sorted_lines(text: str) -> list[str]:
    lines = text.splitlines()
    return lines[:1] + sorted(lines[1:])


def test_push_then_query_back(oxigraph: str, cg: CultureGraph) -> None:
    res = run_cli("push", "--store", oxigraph + "/store", "--chunk", "2000", "--replace", cwd=ROOT)
    assert res.returncode == 0, res.stderr
    n = len(set(cg.ox_quads))
    assert f"pushed {n:,} statements into named graphs with Graph Store Protocol" in res.stdout
    assert f"the store holds {n:,}" in res.stdout
    assert "pushing" in res.stderr  # the progress bar goes to stderr
    for name in ("editions-overview", "host-cities", "keynote-speakers", "sources-by-publisher"):
        local = run_cli("query", name, "-f", "csv", cwd=ROOT)
        remote = run_cli("query", name, "-f", "csv", "--endpoint", oxigraph + "/query", cwd=ROOT)
        assert local.returncode == 0 and remote.returncode == 0, (local.stderr, remote.stderr)
        assert len(local.stdout.splitlines()) > 1, name
        assert _sorted_lines(remote.stdout) == _sorted_lines(local.stdout), name


def test_push_into_one_graph_replace_and_fallback(oxigraph: str, cg: CultureGraph) -> None:
    triples = len({q.triple for q in cg.ox_quads})
    for _ in range(2):  # replacing twice leaves exactly one copy
        r = push(cg, oxigraph + "/store", graph="https://example.org/one", replace=True, chunk=3000)
        assert (r.method, r.count, r.expected, r.warnings) == ("gsp", triples, triples, [])
    again = push(cg, oxigraph + "/store", graph="https://example.org/one")  # adding the same triples: no change
    assert again.count == triples and not again.warnings
    # no Graph Store endpoint at this path (404): the same chunks go as SPARQL Update INSERT DATA
    fb = push(cg, oxigraph + "/no-such-endpoint", graph="https://example.org/fallback", chunk=4000,
              update=oxigraph + "/update", query=oxigraph + "/query")
    assert (fb.method, fb.count) == ("update", triples)


class _Stub(BaseHTTPRequestHandler):
    """A flaky, password-protected store: the first data request fails with 503. With ``forgetful``, its
    graph store answers 200 to N-Quads and keeps nothing (as Virtuoso 7 does), its ASK says so, and its
    SPARQL Update refuses bodies of more than ``max_update`` statements with 500 (as Virtuoso does for SQL
    it cannot compile)."""

    calls: ClassVar[list[tuple[str, str, str | None]]] = []
    updates: ClassVar[list[int]] = []  # statements per accepted INSERT DATA
    expected = 0
    failures_left = 1
    forgetful = False
    max_update = 10**9

    def log_message(self, *args: object) -> None:
        pass

    def _reply(self, status: int, body: bytes = b"", ctype: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        auth = self.headers.get("Authorization")
        cls = type(self)
        cls.calls.append((self.command, self.path, auth))
        if auth != "Basic " + base64.b64encode(b"alice:s3cret").decode():
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path.startswith("/query"):
            if b"ASK" in body:
                self._reply(200, json.dumps({"head": {}, "boolean": not cls.forgetful}).encode(),
                            "application/sparql-results+json")
                return
            answer = {"head": {"vars": ["n"]}, "results": {"bindings": [
                {"n": {"type": "literal", "value": str(cls.expected)}}]}}
            self._reply(200, json.dumps(answer).encode(), "application/sparql-results+json")
        elif cls.failures_left > 0:
            cls.failures_left -= 1
            self._reply(503, b"busy")
        elif self.path.startswith("/update"):
            statements = body.count(b" .\n") + body.endswith(b" .")
            if statements > cls.max_update:
                self._reply(500, b"SQ200: generated SQL too long")
            else:
                cls.updates.append(statements)
                self._reply(200)
        else:
            self._reply(204)

    do_PUT = do_POST  # noqa: N815 (http.server naming)


@pytest.fixture()
def stub() -> Iterator[str]:
    _Stub.calls, _Stub.updates = [], []
    _Stub.failures_left, _Stub.forgetful, _Stub.max_update = 1, False, 10**9
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_retries_and_authentication(stub: str, mini: Path) -> None:
    cg = CultureGraph(mini)
    _Stub.expected = len({q.triple for q in cg.ox_quads})
    seen: list[int] = []
    r = push(cg, stub + "/store", graph="https://example.org/g", auth="alice:s3cret", chunk=500, backoff=0.01,
             progress=seen.append)
    assert r.count == r.expected == sum(seen)
    data_calls = [c for c in _Stub.calls if not c[1].startswith("/query")]
    # auto: no credentials before the store asks; once Basic worked at an endpoint, with every request to it
    # (the 503 came before any login had worked, so the retry was asked again)
    unasked = [c[1].split("?")[0] for c in _Stub.calls if c[2] is None]
    assert unasked == ["/store", "/store", "/query"], _Stub.calls
    assert len(data_calls) == len(seen) + 3  # two challenges, and one chunk retried after the 503
    _Stub.calls = []
    push(cg, stub + "/store", graph="https://example.org/g", auth="alice:s3cret", auth_scheme="basic",
         chunk=500, backoff=0.01)
    assert all(c[2] for c in _Stub.calls), "--auth-scheme basic: credentials with every request"
    with pytest.raises(PushError, match="HTTP 401"):  # digest only: a Basic challenge is not answered
        push(cg, stub + "/store", graph="https://example.org/g", auth="alice:s3cret", auth_scheme="digest")
    with pytest.raises(PushError, match="verification failed"):
        _Stub.expected = 1
        push(cg, stub + "/store", graph="https://example.org/g", auth="alice:s3cret", backoff=0.01)


def test_dropped_graphs_and_oversized_updates(stub: str, mini: Path) -> None:
    """N-Quads kept without their graphs: the push notices (ASK) and goes on with INSERT DATA; chunks the
    update endpoint refuses for their size are halved until accepted, and every statement is sent once."""
    cg = CultureGraph(mini)
    n = len(set(cg.ox_quads))
    _Stub.expected, _Stub.forgetful, _Stub.max_update, _Stub.failures_left = n, True, 300, 0
    seen: list[int] = []
    r = push(cg, stub + "/store", auth="alice:s3cret", chunk=2000, backoff=0.01, progress=seen.append)
    assert r.method == "update" and r.count == n
    assert sum(_Stub.updates) == n == sum(seen) and max(_Stub.updates) <= 300
    assert any("kept no named graph" in w for w in r.warnings)
    assert any("chunks of 250 now" in w for w in r.warnings)
    _Stub.max_update = 10  # below the smallest chunk tried: a clear error
    with pytest.raises(PushError, match="HTTP 500: SQ200"):
        push(cg, stub + "/store", auth="alice:s3cret", chunk=2000, backoff=0.01)


def test_errors_are_one_readable_line(stub: str, mini: Path) -> None:
    cg = CultureGraph(mini)
    with pytest.raises(PushError, match="HTTP 401"):
        push(cg, stub + "/store", graph="https://example.org/g", auth="alice:wrong", backoff=0.01)
    closed = f"http://127.0.0.1:{free_port()}/store"
    res = run_cli("push", "--store", closed, "--retries", "1", cwd=mini)
    assert res.returncode == 1 and "failed after 2 attempts" in res.stderr and "Traceback" not in res.stderr
    res = run_cli("push", "--store", closed, "--graph", "https://example.org/g", "--default-graph", cwd=mini)
    assert res.returncode == 1 and "not both" in res.stderr
