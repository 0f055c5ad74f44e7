"""The app in-process (Starlette TestClient, real worker processes): pages, linked data, limits, --get."""

from __future__ import annotations

import json

import pytest

with __import__("warnings").catch_warnings():
    __import__("warnings").simplefilter("ignore")  # starlette: "use httpx2" (httpx is what we have)
    from starlette.testclient import TestClient

from tests.conftest import run_cli
from tests.server_helpers import XSS_LABEL, xss_project

BASE = "https://w3id.org/culturegraph/"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The mini fixture project plus a synthetic person whose labels are script payloads."""
    return xss_project(tmp_path_factory.mktemp("xss") / "project")


@pytest.fixture(scope="module")
def client(project):
    from culturegraph.api import CultureGraph
    from culturegraph.server import create_app

    cg = CultureGraph(project, query_workers=1, max_rows=3, max_body_bytes=2000, query_timeout=5)
    with TestClient(create_app(cg, cg.settings)) as c:
        yield c


def test_query_page_lists_named_queries(client, root):
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    names = sorted(p.stem for p in (root / "queries").glob("*.rq"))
    assert names, "the repository has named queries"
    for name in names:
        assert f'data-name="{name}"' in r.text
    assert "Content-Security-Policy" in r.headers
    assert "http://" not in r.text.split("<main>")[0].replace("http://www.w3.org", "")  # no CDN


def test_query_page_permalink_prefills_editor(client):
    r = client.get("/", params={"query": "ASK { ?s ?p '</textarea><script>x</script>' }"})
    assert "&lt;/textarea&gt;&lt;script&gt;" in r.text
    assert "</textarea><script>x" not in r.text


def test_static_assets_and_vendored_licence(client):
    for path in ("/static/app.js", "/static/style.css", "/static/vendor/codemirror/codemirror.js",
                 "/static/vendor/codemirror/LICENSE"):
        assert client.get(path).status_code == 200, path


def test_entity_html_escapes_labels(client):
    r = client.get("/id/person/synthetic-xss-person", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert XSS_LABEL not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert "<img src=x" not in r.text
    ko = client.get("/id/person/synthetic-xss-person?lang=ko")
    assert "&lt;img src=x onerror=alert(2)&gt;" in ko.text


def test_entity_escaped_in_every_page_that_shows_it(client):
    # the page of a neighbour (the source record) lists the person among its incoming links
    r = client.get("/id/source/cityweekly-2025-11-08", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert XSS_LABEL not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


def test_entity_labels_follow_requested_language(client):
    en = client.get("/id/person/lee-kyogu", headers={"Accept": "text/html"})
    assert "<h1>Kyogu Lee</h1>" in en.text
    ko = client.get("/id/person/lee-kyogu?lang=ko", headers={"Accept": "text/html"})
    assert "<h1>이교구</h1>" in ko.text
    by_header = client.get("/id/person/lee-kyogu", headers={"Accept": "text/html", "Accept-Language": "ko-KR,ko;q=0.9"})
    assert "<h1>이교구</h1>" in by_header.text
    fallback = client.get("/id/person/lee-kyogu?lang=id", headers={"Accept": "text/html"})
    assert "<h1>Kyogu Lee</h1>" in fallback.text  # no Indonesian label: English


def test_entity_shows_claims_with_sources_and_conflicts(client):
    r = client.get("/id/session/forum-2025-s3", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert "Conflicting readings" in r.text
    assert "not asserted" in r.text
    assert "/id/source/sportsworldi-20251104" in r.text
    assert "Referenced by" in r.text or "participant" in r.text


def test_entity_pages_show_derived_facts_but_not_lookup_aids(client):
    """cg:editionCount is a derived fact about the organisation; cg:searchKey only serves the search query:
    it stays queryable over SPARQL but is left out of the entity's page and RDF document."""
    page = client.get("/id/organisation/kofice", headers={"Accept": "text/html"}).text
    doc = client.get("/id/organisation/kofice", headers={"Accept": "application/n-triples"}).text
    assert "number of forum events (derived)" in page and "#editionCount>" in doc
    for label, local in (("search key", "searchKey"), ("recurrence rank", "recurrenceRank")):
        assert label not in page and f"#{local}>" not in doc
        ask = client.get("/sparql", params={"query": f"ASK {{ organisation:kofice cg:{local} ?k }}"},
                         headers={"Accept": "application/sparql-results+json"})
        assert ask.json()["boolean"] is True, local


@pytest.mark.parametrize(("accept", "mtype", "ext"), [
    ("text/turtle", "text/turtle", "ttl"),
    ("application/ld+json", "application/ld+json", "jsonld"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/rdf+xml", "application/rdf+xml", "rdf"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html", "html"),
])
def test_entity_content_negotiation(client, accept, mtype, ext):
    import rdflib

    r = client.get("/id/person/lee-kyogu", headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == mtype
    assert "Accept" in r.headers["vary"]
    assert r.headers["content-location"] == f"/id/person/lee-kyogu.{ext}"
    doc = client.get(f"/id/person/lee-kyogu.{ext}")
    assert doc.status_code == 200 and doc.content == r.content
    if ext != "html":
        g = rdflib.Graph().parse(data=r.content, format={"ttl": "turtle", "jsonld": "json-ld", "nt": "nt",
                                                         "rdf": "xml"}[ext])
        person = rdflib.URIRef(BASE + "id/person/lee-kyogu")
        assert (person, rdflib.RDFS.label, rdflib.Literal("Kyogu Lee", lang="en")) in g


def test_entity_rdf_includes_claims_about_it(client):
    import rdflib

    r = client.get("/id/session/forum-2025-s3.ttl")
    g = rdflib.Graph().parse(data=r.content, format="turtle")
    claims = set(g.subjects(rdflib.RDF.subject, rdflib.URIRef(BASE + "id/session/forum-2025-s3")))
    assert claims
    assert all(set(g.objects(c, rdflib.DCTERMS.source)) for c in claims)


def test_entity_cors(client):
    r = client.get("/id/person/lee-kyogu.ttl", headers={"Origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in r.headers


def test_unknown_entity_is_404(client):
    html = client.get("/id/person/no-such-person", headers={"Accept": "text/html"})
    assert html.status_code == 404
    assert html.headers["content-type"].startswith("text/html")
    assert "no-such-person" in html.text
    data = client.get("/id/person/no-such-person.ttl", headers={"Accept": "application/json"})
    assert data.status_code == 404
    assert data.json()["error"]["status"] == 404


def test_entity_406(client):
    r = client.get("/id/person/lee-kyogu", headers={"Accept": "image/png"})
    assert r.status_code == 406


def test_row_cap_is_reported(client):
    r = client.get("/sparql", params={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    assert len(r.json()["results"]["bindings"]) == 3
    assert r.headers["culturegraph-truncated"].startswith("true")
    assert r.headers["culturegraph-rows"] == "3"
    small = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s a cg:Edition }"})
    assert "culturegraph-truncated" not in small.headers


def test_construct_row_cap(client):
    r = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s a ?t }"},
                   headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    assert len([line for line in r.text.splitlines() if line.strip()]) == 3
    assert r.headers["culturegraph-truncated"].startswith("true")


def test_body_cap_413(client):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 5000
    r = client.post("/sparql", content=big.encode(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
    assert "max_body_bytes" in r.json()["error"]["detail"]


def test_download_links(client):
    r = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s a cg:Edition }", "format": "csv",
                                      "download": "1"})
    assert r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"] == 'attachment; filename="results.csv"'


def test_named_query_route(client, root):
    listing = client.get("/queries", headers={"Accept": "application/json"}).json()
    assert any(q["name"] == "search" for q in listing)
    r = client.get("/queries/search", params={"q": "kyogu", "lang": "ko"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    data = r.json()
    assert "q" not in data["head"]["vars"] and "lang" not in data["head"]["vars"]
    values = [b["entity"]["value"] for b in data["results"]["bindings"]]
    assert BASE + "id/person/lee-kyogu" in values
    assert client.get("/queries/no-such-query").status_code == 404
    bad = client.get("/queries/search", params={"nope": "1"})
    assert bad.status_code == 400 and "unknown parameter" in bad.json()["error"]["detail"]


def test_browser_on_a_named_query_goes_to_the_query_page(client):
    html = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}  # Chromium's
    r = client.get("/queries/sessions-in-order", params={"year": "2025", "lang": "ko"}, headers=html,
                   follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/?name=sessions-in-order&year=2025&lang=ko"
    page = client.get(r.headers["location"], headers=html)
    assert page.headers["content-type"].startswith("text/html")
    assert 'data-name="sessions-in-order"' in page.text  # the button app.js chooses from name=
    # a format or a download still gets the results, whatever the browser prefers
    csv = client.get("/queries/sessions-in-order", params={"year": "2025", "format": "csv"}, headers=html)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0].split(",")[:2] == ["order", "session"] and "/id/session/forum-2025-" in csv.text
    # a bad parameter is refused before any redirect
    bad = client.get("/queries/sessions-in-order", params={"nope": "1"}, headers=html, follow_redirects=False)
    assert bad.status_code == 400
    assert client.get("/queries/no-such-query", headers=html, follow_redirects=False).status_code == 404


def test_labels_endpoint(client):
    r = client.post("/-/labels", content=json.dumps({"iris": [BASE + "id/person/lee-kyogu"], "lang": "ko"}))
    assert r.json() == {BASE + "id/person/lee-kyogu": {"label": "이교구", "href": "/id/person/lee-kyogu"}}


def test_javascript_iris_are_never_links(client):
    from culturegraph.ldpages import Describer

    d = Describer.__new__(Describer)
    d.base_iri = BASE
    assert d.href("javascript:alert(1)") is None
    assert d.href(BASE + "id/person/x") == "/id/person/x"


def test_serve_get_in_process(project):
    r = run_cli("serve", "--root", str(project), "--get", "/sparql?query=ASK%7B%3Fs%20a%20cg%3AEdition%7D")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"head": {}, "boolean": True}
    ttl = run_cli("serve", "--root", str(project), "--get", "/id/person/lee-kyogu", "--accept", "text/turtle")
    assert ttl.returncode == 0 and '"Kyogu Lee"@en' in ttl.stdout
    missing = run_cli("serve", "--root", str(project), "--get", "/id/person/nobody")
    assert missing.returncode == 1
    assert json.loads(missing.stdout)["error"]["status"] == 404


def test_serve_reports_a_busy_port(project):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        r = run_cli("serve", "--root", str(project), "--port", str(port), timeout=60)
    assert r.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in r.stderr


def test_graph_store_protocol_read_only(tmp_path) -> None:
    """SPARQL 1.1 Graph Store HTTP Protocol, read-only: GET one record's graph or the default graph;
    every write method is 405; the ?graph / ?default choice is required."""
    from rdflib import Graph
    from starlette.testclient import TestClient

    from culturegraph.api import CultureGraph
    from culturegraph.server import create_app

    from .conftest import copy_project

    cg = CultureGraph(copy_project(tmp_path / "p"))
    base = cg.settings.base_iri
    with TestClient(create_app(cg)) as client:
        r = client.get("/store", params={"graph": base + "graph/edition/forum-2025"},
                       headers={"Accept": "text/turtle"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
        g = Graph().parse(data=r.text, format="turtle")
        expected = {(q.subject.value, q.predicate.value) for q in cg.ox_quads
                    if q.graph_name.value == base + "graph/edition/forum-2025"}
        assert {(str(s), str(p)) for s, p, _o in g} == expected
        everything = client.get("/store?default", headers={"Accept": "application/n-triples"})
        assert everything.status_code == 200
        assert len(Graph().parse(data=everything.text, format="nt")) == len({q.triple for q in cg.ox_quads})
        assert client.get("/store", params={"graph": base + "graph/nothing"}).status_code == 404
        assert client.get("/store").status_code == 400
        for method in ("put", "post", "delete"):
            r = client.request(method.upper(), "/store?default", content=b"<a:b> <a:c> <a:d> .",
                               headers={"Content-Type": "application/n-triples"})
            assert r.status_code == 405, method
            assert r.json()["error"]["status"] == 405


@pytest.mark.parametrize(("method", "path", "accept", "csp"), [
    ("GET", "/", "text/html", "server"),
    ("GET", "/sparql?query=ASK%7B%7D", None, None),
    ("GET", "/sparql?query=SELECT%20*%20%7B", "text/html", "server"),  # an error page
    ("GET", "/id/person/lee-kyogu", "text/html", "server"),
    ("GET", "/id/person/lee-kyogu", "text/turtle", None),
    ("GET", "/id/person/nobody", "application/json", None),
    ("GET", "/static/app.js", None, None),
    ("GET", "/views/organisations", "text/html", "view"),
    ("GET", "/views/no-such-view", "text/html", "server"),
    ("GET", "/queries", None, None),
    ("GET", "/catalog", "text/turtle", None),
    ("OPTIONS", "/sparql", None, None),
])
def test_every_response_carries_the_hardening_headers(client, method, path, accept, csp):
    from culturegraph.http_limits import CSP, VIEW_CSP

    headers = {"Accept": accept} if accept else {}
    if method == "OPTIONS":
        headers |= {"Origin": "http://elsewhere.example", "Access-Control-Request-Method": "POST"}
    r = client.request(method, path, headers=headers)
    assert r.status_code < 500
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    policies = r.headers.get_list("content-security-policy")
    assert policies == {"server": [CSP], "view": [VIEW_CSP], None: []}[csp], policies
    if csp == "view":  # its own policy is in the page: inline scripts by hash, nothing else
        assert "script-src 'sha256-" in r.text and "connect-src 'none'" in r.text


def test_cors_stays_open_for_the_read_only_endpoint(client):
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "http://elsewhere.example"})
    assert r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in r.headers


def test_an_entity_page_draws_a_bounded_number_of_incoming_links_per_relation(cg):
    """A source cited by over a hundred records: 50 rows drawn, the others counted, with a query listing all."""
    from culturegraph.ldpages import INCOMING_PER_RELATION, Describer

    iri = "https://w3id.org/culturegraph/id/source/cityweekly-2025-11-08"
    view = Describer(cg.store, cg.settings.base_iri).view(iri, "en")
    cited = [i for i in view.incoming if i.predicate.iri == "http://purl.org/dc/terms/source"]
    assert len(cited) == INCOMING_PER_RELATION == 50
    (more,) = [m for m in view.incoming_more if m.predicate.iri == "http://purl.org/dc/terms/source"]
    total = cg.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <http://purl.org/dc/terms/source> <{iri}> }}")
    n = int(total.rows[0][0])
    assert n > 100 and more.total == n and more.hidden == n - INCOMING_PER_RELATION
    assert len(cg.query(_unquote_query(more.query_href)).rows) == n


def _unquote_query(href: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(href).query)["query"][0]
