"""``/sparql`` through its ASGI front (``sparql_front.py``) and through Starlette's router and middlewares
(``create_app(front=False)``): two real uvicorn servers in this process, on the real data, must answer every
request — results, errors, the requests the front leaves to the app — with the same status, headers (in
order; only ``date`` differs) and body."""

from __future__ import annotations

import dataclasses
import http.client
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest

from culturegraph.http_limits import timed_protocol
from tests.server_helpers import uvicorn_thread

pytestmark = pytest.mark.server

PERSON = "https://w3id.org/culturegraph/id/person/lee-kyogu"
ASK = f"ASK {{ <{PERSON}> ?p ?o }}"
SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 20"
CONSTRUCT = f"CONSTRUCT {{ <{PERSON}> ?p ?o }} WHERE {{ <{PERSON}> ?p ?o }}"
FORM = "application/x-www-form-urlencoded"
JSON = "application/sparql-results+json"


def start(app: Any) -> tuple[tuple[Any, threading.Thread], int]:
    """``app`` on uvicorn (uvloop, httptools: as ``serve`` runs it) on a free loopback port, on a thread."""
    srv, thread, port = uvicorn_thread(app, http=timed_protocol(30), loop="uvloop")
    return (srv, thread), port


@pytest.fixture(scope="module")
def ports(cg) -> Iterator[tuple[int, int]]:
    """(front, general): the same app twice, small limits so that cuts and 413s are cheap to reach."""
    from culturegraph.server import create_app

    st = dataclasses.replace(cg.settings, max_rows=5, max_body_bytes=4_000, query_workers=1)
    servers = [start(create_app(cg, st, front=front)) for front in (True, False)]
    yield servers[0][1], servers[1][1]
    for (srv, _), _ in servers:
        srv.should_exit = True
    for (_, thread), _ in servers:
        thread.join(30)  # the app's shutdown stops its workers


def fetch(port: int, method: str, path: str, headers: dict[str, str], body: bytes | None) -> tuple[int, list, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers={"Host": "endpoint.example", **headers})  # same URL both ways
        resp = conn.getresponse()
        return resp.status, [(k, v) for k, v in resp.getheaders() if k.lower() != "date"], resp.read()
    finally:
        conn.close()


def get(query: str, **params: str) -> str:
    return "/sparql?" + urlencode({"query": query, **params})


CASES: list[tuple[str, str, dict[str, str], bytes | None, int]] = [
    # results
    ("GET", get(ASK), {"Accept": JSON}, None, 200),
    ("HEAD", get(ASK), {"Accept": JSON}, None, 200),
    ("POST", "/sparql", {"Content-Type": FORM, "Accept": JSON}, urlencode({"query": ASK}).encode(), 200),
    ("POST", "/sparql", {"Content-Type": "application/sparql-query", "Accept": JSON}, ASK.encode(), 200),
    ("POST", "/sparql", {"Content-Type": "application/sparql-query; charset=UTF-8"}, ASK.encode(), 200),
    ("GET", get(SELECT), {"Accept": "text/csv", "Origin": "http://elsewhere.example"}, None, 200),  # cut: max_rows
    ("GET", get(SELECT, format="xml", download="1"), {}, None, 200),
    ("GET", get(CONSTRUCT), {"Accept": "text/turtle"}, None, 200),
    ("GET", get(ASK) + "&default-graph-uri=" + quote(PERSON), {"Accept": JSON}, None, 200),
    # errors, each in the shape the client asked for
    ("GET", get("SELECT * WHERE { ?s ?p }"), {"Accept": JSON}, None, 400),
    ("GET", get("SELECT * WHERE { ?s ?p }"), {"Accept": "text/plain, */*;q=0.1"}, None, 400),
    ("GET", get("SELECT * WHERE { ?s ?p }", format="json"), {"Accept": "text/html"}, None, 400),  # page + CSP
    ("GET", get(ASK), {"Accept": "text/csv", "Origin": "http://elsewhere.example"}, None, 406),
    ("GET", get("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"), {}, None, 403),
    ("GET", "/sparql?update=" + quote("CLEAR ALL"), {}, None, 403),
    ("GET", get(ASK) + "&query=" + quote(ASK), {}, None, 400),
    ("GET", "/sparql?query=%ff", {}, None, 400),
    ("GET", get(ASK) + "&named-graph-uri=not%20an%20iri", {}, None, 400),
    ("POST", "/sparql", {"Accept": JSON}, ASK.encode(), 400),
    ("POST", "/sparql", {"Content-Type": "text/plain"}, ASK.encode(), 415),
    ("POST", "/sparql", {"Content-Type": "application/sparql-query; charset=latin-1"}, ASK.encode(), 400),
    ("POST", "/sparql", {"Content-Type": "application/sparql-update"}, b"CLEAR ALL", 403),
    ("POST", "/sparql", {"Content-Type": FORM}, b"format=json", 400),
    ("POST", "/sparql", {"Content-Type": "application/sparql-query"}, b"ASK {} #" + b"x" * 5_000, 413),
    ("POST", "/sparql", {"Content-Type": "application/sparql-query"}, b"ASK { \xff }", 400),
    # what the front leaves to the app
    ("GET", "/sparql", {"Accept": "text/turtle"}, None, 200),
    ("GET", get(ASK), {"Accept": "text/html"}, None, 303),
    ("GET", "/sparql", {"Accept": "text/html"}, None, 303),
    ("OPTIONS", "/sparql", {"Origin": "http://elsewhere.example", "Access-Control-Request-Method": "POST"}, None, 200),
    ("OPTIONS", "/sparql", {}, None, 204),
    ("PUT", "/sparql", {"Content-Type": "application/sparql-query"}, ASK.encode(), 405),
    ("GET", "/queries", {"Accept": JSON}, None, 200),
]


@pytest.mark.parametrize(("method", "path", "headers", "body", "status"), CASES,
                         ids=[f"{c[0]}-{c[4]}-{i}" for i, c in enumerate(CASES)])
def test_the_front_answers_byte_for_byte_as_the_general_path(ports, method, path, headers, body, status):
    front, general = (fetch(port, method, path, headers, body) for port in ports)
    assert front[0] == status, front
    assert front == general


def test_results_carry_the_hardening_and_cors_headers(ports):
    status, headers, body = fetch(ports[0], "GET", get(SELECT), {"Accept": JSON, "Origin": "http://x.example"}, None)
    got = dict((k.lower(), v) for k, v in headers)
    assert status == 200 and b'"bindings"' in body
    assert got["x-content-type-options"] == "nosniff" and got["referrer-policy"] == "no-referrer"
    assert got["access-control-allow-origin"] == "*" and got["vary"] == "Accept, Origin"
    assert got["culturegraph-truncated"] == "true; max-rows=5" and got["culturegraph-rows"] == "5"


def test_a_client_gone_mid_query_leaves_its_worker_to_the_next(ports):
    """The one worker runs a query (~0.2 s) whose client hangs up at once; the reply still gives the worker
    back, so the queries after it are answered."""
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?c }"
    for _ in range(3):
        conn = http.client.HTTPConnection("127.0.0.1", ports[0], timeout=60)
        conn.request("GET", get(slow), headers={"Accept": JSON})
        time.sleep(0.05)
        conn.close()
        t = time.monotonic()
        assert fetch(ports[0], "GET", get(ASK), {"Accept": JSON}, None)[::2] == (200, b'{"head":{},"boolean":true}')
        assert time.monotonic() - t < 5
