"""The pre-execution guard (:mod:`culturegraph.sparql_guard`) and content negotiation, as units."""

from __future__ import annotations

import pytest

from culturegraph.errors import QueryRefused
from culturegraph.sparql_guard import inspect_query
from culturegraph.sparql_protocol import GRAPH_OFFERS, RESULT_OFFERS, ProtocolError, choose_format, negotiate


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
    "select * where { service <http://x/> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://x/> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
    "SELECT*{SERVICE<http://x/>{?s ?p ?o}}",
    "PREFIX s: <http://x/> SELECT * WHERE { ?a s:b ?c . sErViCe <http://x/> { } }",
    "SELECT * WHERE { ?s ?p 'x' # comment\n SERVICE <http://x/> {} }",
    "SELECT * WHERE { ?s ?p \"\"\"multi\nline\"\"\" . SERVICE <http://x/> {} }",
])
def test_service_refused(query):
    with pytest.raises(QueryRefused, match="SERVICE"):
        inspect_query(query)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> {}",
    "SELECT * WHERE { ?s ?p 'SERVICE <http://x/> {}' }",
    'SELECT * WHERE { ?s ?p "a \\" SERVICE <http://x/> {}" }',
    "SELECT * WHERE { ?s ?p '''it's SERVICE <http://x/> {}''' }",
    "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
    "SELECT ?service WHERE { ?service ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o FILTER(lang(?o) = 'en') } # LOAD",
])
def test_service_word_in_comments_strings_iris_names_passes(query):
    assert inspect_query(query).form == "select"


def test_allowed_service_endpoint():
    info = inspect_query("SELECT * { SERVICE <http://allowed/sparql> { ?s ?p ?o } }",
                         allow_service=("http://allowed/sparql",))
    assert info.service == ["http://allowed/sparql"]
    with pytest.raises(QueryRefused, match="not allowed"):
        inspect_query("SELECT * { SERVICE <http://other/sparql> { ?s ?p ?o } }", allow_service=("http://allowed/sparql",))
    with pytest.raises(QueryRefused):
        inspect_query("SELECT * { SERVICE ?x { ?s ?p ?o } }", allow_service=("http://allowed/sparql",))


@pytest.mark.parametrize("query", ["INSERT DATA { <a> <b> <c> }", "delete where { ?s ?p ?o }",
                                   "PREFIX a: <b> BASE <c> CLEAR ALL", "LOAD <file:///etc/passwd>",
                                   "WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                   "SELECT * WHERE { ?s ?p ?o } ; LOAD <http://x/>"])
def test_updates_refused(query):
    with pytest.raises(QueryRefused):
        inspect_query(query)


@pytest.mark.parametrize(("query", "form", "has_from"), [
    ("PREFIX x: <http://x/> SELECT * { }", "select", False),
    ("BASE <http://x/> ASK { }", "ask", False),
    ("construct where { ?s ?p ?o }", "construct", False),
    ("DESCRIBE <http://x/>", "describe", False),
    ("SELECT * FROM <http://g/> { ?s ?p ?o }", "select", True),
    ("SELECT * FROM NAMED <http://g/> { GRAPH ?g { ?s ?p ?o } }", "select", True),
    ("SELECT * { ?s ?p 'FROM' }", "select", False),
    ("garbage", None, False),
])
def test_form_and_dataset_clause(query, form, has_from):
    info = inspect_query(query)
    assert (info.form, info.has_from) == (form, has_from)


def test_negotiation_q_values_and_wildcards():
    assert negotiate(None, RESULT_OFFERS) == "json"
    assert negotiate("*/*", GRAPH_OFFERS) == "turtle"
    assert negotiate("text/*;q=0.5, application/sparql-results+xml;q=0.4", RESULT_OFFERS) == "csv"
    assert negotiate("application/sparql-results+json;q=0, */*;q=0.1", RESULT_OFFERS) == "xml"
    assert negotiate("application/ld+json;q=1.0, text/turtle;q=0.8", GRAPH_OFFERS) == "jsonld"
    assert negotiate("application/sparql-results+json;q=0", RESULT_OFFERS) is None


def test_format_parameter_aliases():
    assert choose_format("select", "json", None).media_type == "application/sparql-results+json"
    assert choose_format("graph", "json", None).media_type == "application/ld+json"
    assert choose_format("graph", "xml", None).media_type == "application/rdf+xml"
    assert choose_format("graph", "rdf+xml", None).key == "rdfxml"
    assert choose_format("select", "text/csv", None).key == "csv"
    with pytest.raises(ProtocolError) as exc:
        choose_format("select", "turtle", None)
    assert exc.value.http_status == 406
