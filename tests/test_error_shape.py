"""One error shape for every error status: ``{"error": {"status", "title", "detail"}}`` as JSON, or the
same facts as plain text when the client asked for text (datasette pins its shape the same way)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus

import httpx
import pytest

from tests.server_helpers import mini_server
from tests.test_query_workers import memory_bomb

pytestmark = pytest.mark.server
TEXT = "text/plain, text/csv;q=0.9"  # a client that wants text (and takes CSV results)
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One worker, no queue, a 3 s limit, a 2 kB body limit and 150 MB per query: every error status is easy
    to reach."""
    with mini_server(tmp_path_factory, "errors", "--workers", "1", "--queue", "0", "--timeout", "3",
                 env={"CULTUREGRAPH_MAX_BODY_BYTES": "2000", "CULTUREGRAPH_WORKER_MEMORY": "150"}) as srv:
        yield srv


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


def check_shape(r: httpx.Response, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "title", "detail"}
    assert body["error"]["status"] == status
    assert body["error"]["title"] == HTTPStatus(status).phrase
    assert isinstance(body["error"]["detail"], str) and body["error"]["detail"]
    return body["error"]


REQUESTS = {
    400: ("GET", "/sparql", {"query": "SELECT * WHERE {"}, None, {}),
    403: ("GET", "/sparql", {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}, None, {}),
    404: ("GET", "/id/person/nobody-at-all", None, None, {}),
    405: ("PUT", "/sparql", {"query": "ASK {}"}, None, {}),
    406: ("GET", "/sparql", {"query": "ASK {}", "format": "png"}, None, {}),
    413: ("POST", "/sparql", None, b"ASK {} #" + b"x" * 3000, {"Content-Type": "application/sparql-query"}),
    415: ("POST", "/sparql", None, b"ASK {}", {"Content-Type": "text/plain"}),
    422: ("GET", "/sparql", {"query": memory_bomb()}, None, {}),
}


def wait_for_the_worker(http: httpx.Client) -> None:
    """After a 422 or 504 the only worker is being replaced (in the background): wait for it."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if http.get("/sparql", params={"query": "ASK {}"}).status_code == 200:
            return
        time.sleep(0.1)
    pytest.fail("no worker came back")


@pytest.mark.parametrize("status", sorted(REQUESTS))
def test_error_shape_json(http, status):
    method, path, params, body, headers = REQUESTS[status]
    r = http.request(method, path, params=params, content=body, headers={"Accept": "application/json", **headers})
    check_shape(r, status)
    if status == 422:
        assert "more than 150 MB" in r.json()["error"]["detail"]
        wait_for_the_worker(http)


@pytest.mark.parametrize("status", sorted(REQUESTS))
def test_error_shape_plain_text(http, status):
    method, path, params, body, headers = REQUESTS[status]
    r = http.request(method, path, params=params, content=body, headers={"Accept": TEXT, **headers})
    if status == 422:
        wait_for_the_worker(http)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/plain")
    assert r.text.startswith(f"{status} {HTTPStatus(status).phrase}: ")


def test_error_shape_for_sparql_clients(http):
    r = http.get("/sparql", params={"query": "ASK {"}, headers={"Accept": "application/sparql-results+json"})
    check_shape(r, 400)
    csv = http.get("/sparql", params={"query": "SELECT * {"}, headers={"Accept": "text/csv"})
    assert csv.status_code == 400 and csv.headers["content-type"].startswith("text/plain")


def test_error_shape_503_and_504(server, http):
    def slow():
        with httpx.Client(base_url=server.url, timeout=60) as c:
            return c.get("/sparql", params={"query": SLOW}, headers={"Accept": "application/json"})

    with ThreadPoolExecutor(1) as ex:
        fut = ex.submit(slow)
        time.sleep(0.5)  # the only worker is busy and the queue holds nobody
        busy = http.get("/sparql", params={"query": "ASK {}"})
        err = check_shape(busy, 503)
        assert "busy" in err["detail"]
        busy_text = http.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": TEXT})
        assert busy_text.text.startswith("503 Service Unavailable: ")
        timed_out = fut.result()
    err = check_shape(timed_out, 504)
    assert "3 s" in err["detail"]
    wait_for_the_worker(http)  # the replacement worker starts in the background
