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
    """A flaky, password-protected store: the first data request fails with 503."""

    calls: ClassVar[list[tuple[str, str, str | None]]] = []
    expected = 0
    failures_left = 1

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
        self.rfile.read(length)
        auth = self.headers.get("Authorization")
        type(self).calls.append((self.command, self.path, auth))
        if auth != "Basic " + base64.b64encode(b"alice:s3cret").decode():
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path.startswith("/query"):
            answer = {"head": {"vars": ["n"]}, "results": {"bindings": [
                {"n": {"type": "literal", "value": str(type(self).expected)}}]}}
            self._reply(200, json.dumps(answer).encode(), "application/sparql-results+json")
        elif type(self).failures_left > 0:
            type(self).failures_left -= 1
            self._reply(503, b"busy")
        else:
            self._reply(204)

    do_PUT = do_POST  # noqa: N815 (http.server naming)


@pytest.fixture()
def stub() -> Iterator[str]:
    _Stub.calls = []
    _Stub.failures_left = 1
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
    assert all(c[2] for c in _Stub.calls), "credentials go with every request"
    assert len(data_calls) == len(seen) + 1  # one chunk was retried after the 503
    with pytest.raises(PushError, match="verification failed"):
        _Stub.expected = 1
        push(cg, stub + "/store", graph="https://example.org/g", auth="alice:s3cret", backoff=0.01)


def test_errors_are_one_readable_line(stub: str, mini: Path) -> None:
    cg = CultureGraph(mini)
    with pytest.raises(PushError, match="HTTP 401"):
        push(cg, stub + "/store", graph="https://example.org/g", auth="alice:wrong", backoff=0.01)
    closed = f"http://127.0.0.1:{free_port()}/store"
    res = run_cli("push", "--store", closed, "--retries", "1", cwd=mini)
    assert res.returncode == 1 and "failed after 2 attempts" in res.stderr and "Traceback" not in res.stderr
    res = run_cli("push", "--store", closed, "--graph", "https://example.org/g", "--default-graph", cwd=mini)
    assert res.returncode == 1 and "not both" in res.stderr
