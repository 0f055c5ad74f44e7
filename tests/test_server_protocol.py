"""The SPARQL 1.1 Protocol over real HTTP, against ``culturegraph serve`` on a free loopback port.

The ``test_w3c_*`` tests re-express the W3C SPARQL 1.1 Protocol test suite cases that apply to a
read-only query service (https://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest.ttl;
the case name is in each test's name and docstring). Update cases become "refused with 4xx". Dataset cases
use this dataset's named graphs instead of the suite's ``data1.rdf`` … documents: the service never
fetches a graph, it only selects among the graphs it holds.
"""

from __future__ import annotations

import json

import httpx
import pytest

from tests.server_helpers import mini_server

pytestmark = pytest.mark.server
BASE = "https://w3id.org/culturegraph/"
KYOGU_GRAPH = BASE + "graph/person/lee-kyogu"
KOFICE_GRAPH = BASE + "graph/organisation/kofice"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DIRECT = {"Content-Type": "application/sparql-query"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with mini_server(tmp_path_factory, "proto", "--workers", "2", "--timeout", "5") as srv:
        yield srv


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


# ---------------------------------------------------------------------------------------------- positive
def test_w3c_query_get(http):
    """query_get: query via GET."""
    r = http.get("/sparql", params={"query": "ASK {}"})
    assert r.status_code == 200
    assert r.json() == {"head": {}, "boolean": True}


def test_w3c_query_post_form(http):
    """query_post_form: query via URL-encoded POST."""
    r = http.post("/sparql", content="query=ASK%20%7B%7D", headers=FORM)
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_w3c_query_post_direct(http):
    """query_post_direct: query via POST directly."""
    r = http.post("/sparql", content="ASK {}", headers=DIRECT)
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_w3c_query_dataset_default_graph(http):
    """query_dataset_default_graph: protocol-specified default graph."""
    q = "ASK { person:lee-kyogu ?p ?o }"
    assert http.post("/sparql", params={"default-graph-uri": KYOGU_GRAPH}, content=q, headers=DIRECT).json()["boolean"]
    assert not http.post("/sparql", params={"default-graph-uri": KOFICE_GRAPH}, content=q,
                         headers=DIRECT).json()["boolean"]


def test_w3c_query_dataset_default_graphs_get(http):
    """query_dataset_default_graphs_get: several default-graph-uri by GET (their merge)."""
    q = "ASK { person:lee-kyogu ?p ?o . organisation:kofice ?q ?r }"
    r = http.get("/sparql", params=[("query", q), ("default-graph-uri", KYOGU_GRAPH),
                                    ("default-graph-uri", KOFICE_GRAPH)])
    assert r.json()["boolean"] is True


def test_w3c_query_dataset_default_graphs_post(http):
    """query_dataset_default_graphs_post: several default-graph-uri in the POSTed form."""
    q = "ASK { person:lee-kyogu ?p ?o . organisation:kofice ?q ?r }"
    form = httpx.QueryParams([("query", q), ("default-graph-uri", KYOGU_GRAPH), ("default-graph-uri", KOFICE_GRAPH)])
    assert http.post("/sparql", content=str(form), headers=FORM).json()["boolean"] is True


@pytest.mark.parametrize("method", ["get", "post"])
def test_w3c_query_dataset_named_graphs(http, method):
    """query_dataset_named_graphs_get / query_dataset_named_graphs_post: named-graph-uri limits GRAPH ?g."""
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    params = [("query", q), ("named-graph-uri", KYOGU_GRAPH), ("named-graph-uri", KOFICE_GRAPH)]
    if method == "get":
        r = http.get("/sparql", params=params)
    else:
        r = http.post("/sparql", content=str(httpx.QueryParams(params)), headers=FORM)
    graphs = [b["g"]["value"] for b in r.json()["results"]["bindings"]]
    assert graphs == [KOFICE_GRAPH, KYOGU_GRAPH]


def test_w3c_query_dataset_full(http):
    """query_dataset_full: default and named graphs both given by the protocol."""
    q = "SELECT DISTINCT ?g WHERE { ?x rdfs:label ?l . GRAPH ?g { ?s ?p ?o } }"
    r = http.post("/sparql", params=[("default-graph-uri", KYOGU_GRAPH), ("named-graph-uri", KOFICE_GRAPH)],
                  content=q, headers=DIRECT)
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [KOFICE_GRAPH]


def test_w3c_query_multiple_dataset(http):
    """query_multiple_dataset: dataset in both query (FROM) and protocol: the protocol's wins."""
    q = f"ASK FROM <{KOFICE_GRAPH}> {{ person:lee-kyogu ?p ?o }}"
    r = http.post("/sparql", params={"default-graph-uri": KYOGU_GRAPH}, content=q, headers=DIRECT)
    assert r.status_code == 200 and r.json()["boolean"] is True
    alone = http.post("/sparql", content=q, headers=DIRECT)  # without the protocol dataset FROM applies
    assert alone.json()["boolean"] is False


def test_from_selects_a_named_graph_of_the_store(http):
    q = f"SELECT DISTINCT ?s FROM <{KYOGU_GRAPH}> WHERE {{ ?s ?p ?o }}"
    r = http.get("/sparql", params={"query": q})
    assert [b["s"]["value"] for b in r.json()["results"]["bindings"]] == [BASE + "id/person/lee-kyogu"]


@pytest.mark.parametrize(("accept", "expected"), [
    (None, "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("application/json", "application/sparql-results+json"),
])
def test_w3c_query_content_type_select(http, accept, expected):
    """query_content_type_select: SELECT answers in XML, JSON, CSV or TSV as asked (with q-values)."""
    headers = dict(DIRECT)
    if accept:
        headers["Accept"] = accept
    r = http.post("/sparql", content="SELECT (1 AS ?value) {}", headers=headers)
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == expected
    assert "1" in r.text


@pytest.mark.parametrize(("accept", "expected"), [
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("application/sparql-results+json", "application/sparql-results+json"),
])
def test_w3c_query_content_type_ask(http, accept, expected):
    """query_content_type_ask: ASK answers in XML or JSON."""
    r = http.post("/sparql", content="ASK {}", headers={**DIRECT, "Accept": accept})
    assert r.headers["content-type"].split(";")[0] == expected
    assert "true" in r.text


@pytest.mark.parametrize(("accept", "expected", "rdflib_format"), [
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    (None, "text/turtle", "turtle"),
])
@pytest.mark.parametrize("form", ["describe", "construct"])
def test_w3c_query_content_type_describe_construct(http, form, accept, expected, rdflib_format):
    """query_content_type_describe / query_content_type_construct: RDF/XML, Turtle, N-Triples (and JSON-LD)."""
    import rdflib

    q = ("DESCRIBE person:lee-kyogu" if form == "describe"
         else "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l ; a cg:Person }")
    headers = dict(DIRECT)
    if accept:
        headers["Accept"] = accept
    r = http.post("/sparql", content=q, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == expected
    g = rdflib.Graph().parse(data=r.content, format=rdflib_format)
    assert (rdflib.URIRef(BASE + "id/person/lee-kyogu"), rdflib.RDFS.label,
            rdflib.Literal("Kyogu Lee", lang="en")) in g


@pytest.mark.parametrize(("fmt", "expected"), [
    ("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
])
def test_format_parameter_overrides_accept(http, fmt, expected):
    r = http.get("/sparql", params={"query": "SELECT (1 AS ?v) {}", "format": fmt}, headers={"Accept": "image/png"})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == expected


def test_406_when_nothing_acceptable(http):
    r = http.get("/sparql", params={"query": "SELECT (1 AS ?v) {}"}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "application/sparql-results+json" in r.json()["error"]["detail"]
    graph = http.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                     headers={"Accept": "text/csv"})
    assert graph.status_code == 406


def test_service_description(http):
    import rdflib

    r = http.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.content, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    svc = next(g.subjects(rdflib.RDF.type, sd.Service))
    assert (svc, sd.supportedLanguage, sd.SPARQL11Query) in g
    assert (svc, sd.feature, sd.UnionDefaultGraph) in g
    assert (svc, sd.resultFormat, rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON")) in g
    names = set(g.objects(None, sd.name))
    assert rdflib.URIRef(KYOGU_GRAPH) in names
    jsonld = http.get("/sparql", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert json.loads(jsonld.text)


def test_browser_on_sparql_goes_to_the_query_page(http):
    r = http.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.status_code == 303 and r.headers["location"].startswith("/?query=ASK")


def test_cors_on_sparql(http):
    r = http.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in r.headers
    pre = http.options("/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST",
                                            "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 200
    assert pre.headers["access-control-allow-origin"] == "*"
    assert "POST" in pre.headers["access-control-allow-methods"]


# ---------------------------------------------------------------------------------------------- negative
def test_w3c_bad_query_method(http):
    """bad_query_method: a method other than GET or POST."""
    r = http.put("/sparql", params={"query": "ASK {}"})
    assert r.status_code == 405
    assert "GET" in r.headers["allow"]


def test_w3c_bad_multiple_queries(http):
    """bad_multiple_queries: more than one query string."""
    r = http.get("/sparql", params=[("query", "ASK {}"), ("query", "SELECT * {}")])
    assert r.status_code == 400


def test_w3c_bad_query_wrong_media_type(http):
    """bad_query_wrong_media_type: POST with a media type that is neither form nor sparql-query."""
    r = http.post("/sparql", content="ASK {}", headers={"Content-Type": "text/plain"})
    assert 400 <= r.status_code < 500


def test_w3c_bad_query_missing_form_type(http):
    """bad_query_missing_form_type: URL-encoded body without its media type."""
    r = http.post("/sparql", content=b"query=ASK%20%7B%7D", headers={"Content-Type": ""})
    assert r.status_code == 400


def test_w3c_bad_query_missing_direct_type(http):
    """bad_query_missing_direct_type: SPARQL body without application/sparql-query."""
    r = http.post("/sparql", content=b"ASK {}", headers={"Content-Type": ""})
    assert r.status_code == 400


def test_w3c_bad_query_non_utf8(http):
    """bad_query_non_utf8: direct POST encoded in UTF-16."""
    r = http.post("/sparql", content="ASK {}".encode("utf-16"),
                  headers={"Content-Type": "application/sparql-query; charset=UTF-16"})
    assert r.status_code == 400
    undeclared = http.post("/sparql", content="ASK {}".encode("utf-16"), headers=DIRECT)
    assert undeclared.status_code == 400


def test_w3c_bad_query_syntax(http):
    """bad_query_syntax: invalid syntax → 4xx, with the parser's message and position."""
    r = http.get("/sparql", params={"query": "ASK {"})
    assert r.status_code == 400
    detail = r.json()["error"]["detail"]
    assert "SPARQL syntax error" in detail and "line 1, column" in detail
    multi = http.get("/sparql", params={"query": "SELECT *\nWHERE { ?s ?p ?o . FILTER(?o = ) }"})
    assert "(line 2, column" in multi.json()["error"]["detail"]


def test_w3c_bad_update_get(http):
    """bad_update_get: an update by GET."""
    r = http.get("/sparql", params={"update": "CLEAR ALL"})
    assert 400 <= r.status_code < 500


def test_w3c_bad_multiple_updates(http):
    """bad_multiple_updates: more than one update= (refused: read-only)."""
    r = http.post("/sparql", content="update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", headers=FORM)
    assert 400 <= r.status_code < 500


@pytest.mark.parametrize("ctype", ["text/plain", "", "application/sparql-update",
                                   "application/sparql-update; charset=UTF-16"])
def test_w3c_bad_update_media_types(http, ctype):
    """bad_update_wrong_media_type, bad_update_missing_form_type, bad_update_missing_direct_type,
    bad_update_non_utf8 — and update_post_direct itself: refused."""
    r = http.post("/sparql", content=b"CLEAR NAMED", headers={"Content-Type": ctype})
    assert 400 <= r.status_code < 500


@pytest.mark.parametrize("body", ["update=CLEAR%20XYZ", "update=CLEAR%20ALL",
                                  "using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople&update=CLEAR%20ALL"])
def test_w3c_bad_update_syntax_and_updates_refused(http, body):
    """bad_update_syntax, bad_update_dataset_conflict, update_post_form: every update is refused (403)."""
    r = http.post("/sparql", content=body, headers=FORM)
    assert r.status_code == 403
    assert "read-only" in r.json()["error"]["detail"]


def test_store_unchanged_after_update_attempts(http):
    r = http.get("/sparql", params={"query": "ASK { person:lee-kyogu ?p ?o }"})
    assert r.json()["boolean"] is True


# ---------------------------------------------------------------------------------------------- SPARQLWrapper
def test_sparqlwrapper_select_json_and_xml(server):
    from SPARQLWrapper import JSON, XML, SPARQLWrapper

    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery("SELECT ?label WHERE { person:lee-kyogu rdfs:label ?label } ORDER BY ?label")
    sw.setReturnFormat(JSON)
    labels = [b["label"]["value"] for b in sw.queryAndConvert()["results"]["bindings"]]
    assert labels == ["Kyogu Lee", "이교구"]
    sw.setReturnFormat(XML)
    doc = sw.queryAndConvert()
    assert "Kyogu Lee" in doc.toxml()


def test_sparqlwrapper_post_ask_construct(server):
    import rdflib
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setMethod(POST)
    sw.setQuery("ASK { ?e a cg:Edition }")
    sw.setReturnFormat(JSON)
    assert sw.queryAndConvert()["boolean"] is True
    sw.setQuery("CONSTRUCT { ?e a cg:Edition } WHERE { ?e a cg:Edition }")
    sw.setReturnFormat(TURTLE)
    g = rdflib.Graph().parse(data=sw.queryAndConvert(), format="turtle")
    assert (rdflib.URIRef(BASE + "id/edition/forum-2025"), rdflib.RDF.type, None) in g


def test_sparqlwrapper_error_is_query_bad_formed(server):
    from SPARQLWrapper import JSON, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery("SELECT * WHERE {")
    sw.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed):
        sw.query()


def test_curl_like_turtle_entity(http):
    r = http.get("/id/person/lee-kyogu", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert '"Kyogu Lee"@en' in r.text
