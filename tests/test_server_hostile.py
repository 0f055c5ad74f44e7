"""Hostile requests against a real ``culturegraph serve``: nothing is fetched, nothing is changed, runaway
queries are stopped by killing their worker while other queries keep being answered, junk gets a 4xx, and
slow or greedy clients are cut off."""

from __future__ import annotations

import os
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.conftest import FIXTURES, copy_project
from tests.server_helpers import Listener, Server, mini_server, query_workers
from tests.test_query_workers import memory_bomb
from tests.test_sparql_guard import ESCAPE_TRICKS

pytestmark = pytest.mark.server
TIMEOUT = 2.0
CLIENT_TIMEOUT = 2.0
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
REGEX = ('SELECT ?x ?y WHERE { ?s ?p ?x . ?t ?q ?y . '
         'FILTER regex(CONCAT(STR(?x), STR(?y), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"), '
         '"(a+)+$") }')


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = {"CULTUREGRAPH_CLIENT_TIMEOUT": str(CLIENT_TIMEOUT), "CULTUREGRAPH_MAX_RESPONSE_BYTES": "400000"}
    with mini_server(tmp_path_factory, "hostile", "--workers", "2", "--timeout", str(TIMEOUT), env=env) as srv:
        yield srv


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


@pytest.fixture()
def listener():
    lst = Listener()
    yield lst
    lst.close()


def rows(r: httpx.Response) -> list:
    assert r.status_code == 200, r.text
    return r.json()["results"]["bindings"]


# ---------------------------------------------------------------------------------------------- file reads
def test_from_file_reads_nothing(http):
    r = http.get("/sparql", params={"query": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"})
    assert rows(r) == []
    assert "root:" not in r.text


def test_from_named_file_reads_nothing(http):
    q = "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert rows(http.get("/sparql", params={"query": q})) == []


def test_graph_file_reads_nothing(http):
    q = "SELECT * WHERE { GRAPH <file:///etc/passwd> { ?s ?p ?o } }"
    assert rows(http.get("/sparql", params={"query": q})) == []


def test_protocol_dataset_file_reads_nothing(http):
    r = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": "file:///etc/passwd"})
    assert rows(r) == [] and "root:" not in r.text


def test_load_is_refused(http):
    for r in (http.post("/sparql", content="update=LOAD%20%3Cfile%3A%2F%2F%2Fetc%2Fpasswd%3E",
                        headers={"Content-Type": "application/x-www-form-urlencoded"}),
              http.get("/sparql", params={"query": "LOAD <file:///etc/passwd>"}),
              http.post("/sparql", content="LOAD <file:///etc/passwd> INTO GRAPH <urn:x>",
                        headers={"Content-Type": "application/sparql-update"})):
        assert r.status_code == 403, r.text
        assert "root:" not in r.text


# ---------------------------------------------------------------------------------------------- SERVICE
@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "select * where {{ service <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ VALUES ?e {{ <http://127.0.0.1:{port}/sparql> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    "# comment\nSELECT*{{SeRvIcE<http://127.0.0.1:{port}/sparql>{{?s ?p ?o}}}}",
])
def test_service_is_refused_and_never_connects(http, listener, template):
    r = http.get("/sparql", params={"query": template.format(port=listener.port)})
    assert r.status_code == 403
    assert "SERVICE" in r.json()["error"]["detail"]
    time.sleep(0.3)
    assert listener.accepted == 0


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 1 # SERVICE <http://127.0.0.1:9/> { }",
    'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> {}" } LIMIT 1',
    "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
    "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o } LIMIT 1",
])
def test_service_word_elsewhere_is_not_refused(http, query):
    assert http.get("/sparql", params={"query": query}).status_code == 200


# ---------------------------------------------------------------------------------------------- updates
@pytest.mark.parametrize("query", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX ex: <http://example.org/> CLEAR ALL",
    "DROP ALL",
])
def test_update_text_as_query_is_refused(http, query):
    assert http.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"}).status_code == 403
    r = http.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a cg:Person }"})
    assert int(rows(r)[0]["n"]["value"]) >= 1


# ---------------------------------------------------------------------------------------------- limits
def test_cartesian_product_times_out_while_cheap_queries_answer(server, http):
    def slow():
        with httpx.Client(base_url=server.url, timeout=60) as c:
            t = time.monotonic()
            return c.get("/sparql", params={"query": CARTESIAN}), time.monotonic() - t

    with ThreadPoolExecutor(1) as ex:
        fut = ex.submit(slow)
        time.sleep(0.3)  # the expensive query is running in one worker
        cheap_times = []
        for _ in range(5):
            t = time.monotonic()
            r = http.get("/sparql", params={"query": "ASK { person:lee-kyogu ?p ?o }"})
            cheap_times.append(time.monotonic() - t)
            assert r.json()["boolean"] is True
        resp, took = fut.result()
    assert max(cheap_times) < 1.0, cheap_times
    assert resp.status_code == 504
    assert resp.json()["error"]["title"] == "Gateway Timeout"
    assert "query_timeout" in resp.json()["error"]["detail"]
    assert TIMEOUT <= took < TIMEOUT + 5
    # the killed worker was replaced: both workers answer again
    for _ in range(4):
        assert http.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_catastrophic_regex_hits_the_timeout_not_a_hang(http):
    """Oxigraph's regex engine is linear-time (no backtracking blow-up on "(a+)+$"); over every pair of
    literals the work is still unbounded, and the time limit stops it."""
    t = time.monotonic()
    r = http.get("/sparql", params={"query": REGEX})
    took = time.monotonic() - t
    assert r.status_code in (200, 504)
    assert took < TIMEOUT + 5
    assert http.get("/sparql", params={"query": "ASK {}"}).status_code == 200


# ---------------------------------------------------------------------------------------------- escapes
def send(http: httpx.Client, how: str, query: str) -> httpx.Response:
    if how == "get":
        return http.get("/sparql", params={"query": query})
    if how == "form":
        return http.post("/sparql", data={"query": query})
    return http.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})


@pytest.mark.parametrize("how", ["get", "form", "direct"])
def test_escape_tricks_are_refused_by_every_request_form_and_never_connect(http, listener, how):
    for template in ESCAPE_TRICKS:
        query = template.format(url=listener.url, base=listener.url.removesuffix("sparql"))
        r = send(http, how, query)
        assert r.status_code == 403, (query, r.text)
        assert "SERVICE" in r.json()["error"]["detail"]
    time.sleep(0.3)
    assert listener.accepted == 0


# ---------------------------------------------------------------------------------------------- the event loop
def test_a_32k_junk_body_gets_its_400_quickly_while_a_cheap_query_answers(server, http):
    junk = ("a." * 16_384).encode()

    def post_junk():
        with httpx.Client(base_url=server.url, timeout=60) as c:
            t = time.monotonic()
            r = c.post("/sparql", content=junk, headers={"Content-Type": "application/sparql-query"})
            return r, time.monotonic() - t

    with ThreadPoolExecutor(2) as ex:
        futures = [ex.submit(post_junk) for _ in range(2)]
        cheap = []
        for _ in range(5):
            t = time.monotonic()
            r = http.get("/sparql", params={"query": "ASK { person:lee-kyogu ?p ?o }"})
            cheap.append(time.monotonic() - t)
            assert r.status_code == 200 and r.json()["boolean"] is True
        results = [f.result() for f in futures]
    for r, took in results:
        assert r.status_code == 400 and took < 2.0, (r.status_code, took)
    assert max(cheap) < 0.5, cheap


# ---------------------------------------------------------------------------------------------- memory, bytes
@pytest.fixture(scope="module")
def roomy(tmp_path_factory):
    """A server with the default memory budget and time to reach it."""
    with mini_server(tmp_path_factory, "roomy", "--workers", "1", "--timeout", "30") as srv:
        yield srv


def test_a_memory_bomb_gets_a_422_under_the_default_limit_and_the_server_answers_after(roomy):
    with httpx.Client(base_url=roomy.url, timeout=60) as http:
        t = time.monotonic()
        r = http.post("/sparql", data={"query": memory_bomb()})
        took = time.monotonic() - t
        assert r.status_code == 422, r.text
        assert took < 25, "the bomb ended by the time limit, not the memory limit"
        detail = r.json()["error"]["detail"]
        assert "more than 1,024 MB" in detail and "worker_memory" in detail
        for _ in range(4):
            assert http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_rows_of_10kb_are_cut_by_bytes_and_the_client_is_told(http):
    binds = " ".join(f"BIND(CONCAT(?b{i}, ?b{i}) AS ?b{i + 1})" for i in range(10))
    query = f'SELECT ?s ?b10 WHERE {{ ?s ?p ?o BIND("0123456789" AS ?b0) {binds} }}'
    r = http.get("/sparql", params={"query": query})
    assert r.status_code == 200
    assert r.headers["culturegraph-truncated"] == "true; max-bytes=400000"
    assert len(r.content) <= 400_000
    assert int(r.headers["culturegraph-rows"]) == len(r.json()["results"]["bindings"]) > 10


def test_a_worker_killed_while_idle_is_replaced_before_the_next_query(server, http):
    workers = query_workers(server.proc.pid)
    assert len(workers) == 2, workers
    # forked from the server itself (sharing its store, forked.py), not from a fork server
    assert all(_ppid(w) == server.proc.pid for w in workers)
    os.kill(workers[0], signal.SIGKILL)
    time.sleep(0.3)
    for _ in range(6):
        r = http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert r.status_code == 200, r.text
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(query_workers(server.proc.pid)) != 2:
        time.sleep(0.1)
    assert len(query_workers(server.proc.pid)) == 2 and workers[0] not in query_workers(server.proc.pid)


def _ppid(pid: int) -> int:
    with open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
        return int(fh.read().rsplit(")", 1)[1].split()[1])


# ---------------------------------------------------------------------------------------------- junk → 4xx
@pytest.mark.parametrize(("path", "headers", "status"), [
    ("/sparql?query=ASK%7B%7D", {"Accept": ","}, 200),
    ("/sparql?query=ASK%7B%7D", {"Accept": ";"}, 200),
    ("/nothing-here", {"Accept": ","}, 404),
    ("/sparql?query=ASK%7B%7D", {"Accept": "text/csv"}, 406),
    ("/sparql?query=ASK%7B%7D&format=tsv", {}, 406),
    ("/id/person/%ff", {}, 404),
    ("/id/%", {}, 404),
    ("/id/person/a%20b", {}, 404),
    ("/id/person/%3Cx%3E", {}, 404),
    ("/views/ego?entity=%3Cimg%3E", {}, 404),
    ("/views/ego?entity=%ff", {}, 404),
    ("/store?graph=%ff", {}, 400),
    ("/sparql?query=%ff", {}, 400),
    ("/?lang=%ff", {}, 200),
    ("/", {"Accept-Language": ";q=x,,"}, 200),
    ("/sparql?query=SELECT%20*%20WHERE%20%7B%20FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ")%20%7D", {}, 400),
])
def test_junk_gets_a_4xx_never_a_5xx(http, path, headers, status):
    r = http.get(path, headers=headers)
    assert r.status_code == status, r.text[:300]
    if path.startswith("/sparql?query=SELECT"):
        assert "nested more than 100 levels" in r.json()["error"]["detail"]
    if status == 406:
        assert "no CSV or TSV form" in r.text
    assert http.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_the_page_language_is_a_language_tag(http):
    assert '<html lang="en">' in http.get("/?lang=%3Cx%3E", headers={"Accept": "text/html"}).text


# ---------------------------------------------------------------------------------------------- slow clients
def test_a_client_slow_to_send_its_headers_is_cut_off(server, http):
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        closed = False
        while time.monotonic() - started < CLIENT_TIMEOUT + 5:
            try:
                sock.sendall(b"X-Slow: 1\r\n")  # a header line now and then, never the end
                sock.settimeout(0.5)
                if sock.recv(1) == b"":
                    closed = True
                    break
            except TimeoutError:
                continue
            except OSError:
                closed = True
                break
        took = time.monotonic() - started
    assert closed and CLIENT_TIMEOUT - 0.5 < took < CLIENT_TIMEOUT + 3, took
    assert http.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_a_client_slow_to_send_its_body_gets_a_408(server, http):
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=CLIENT_TIMEOUT + 10) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 100\r\n\r\nASK {")
        started = time.monotonic()
        reply = sock.recv(4096)
        took = time.monotonic() - started
    assert reply.startswith(b"HTTP/1.1 408"), reply[:200]
    assert CLIENT_TIMEOUT - 0.5 < took < CLIENT_TIMEOUT + 3, took


# ---------------------------------------------------------------------------------------------- start-up notes
def test_serve_says_at_start_up_when_workers_keep_the_network(tmp_path, server):
    assert not any(line.startswith("note:") for line in server.output), server.output  # isolated here
    root = copy_project(tmp_path / "mini", FIXTURES / "mini" / "data")
    srv = Server(root, "--workers", "1", env={"CULTUREGRAPH_ALLOW_SERVICE": "http://127.0.0.1:9/sparql"})
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any("note:" in line for line in srv.output):
            time.sleep(0.1)
        notes = [line for line in srv.output if line.startswith("note:")]
        assert notes == ["note: query workers run without network isolation: SERVICE may call the endpoints "
                         "listed in allow_service, so query workers keep the network\n"], srv.output
    finally:
        srv.stop()
