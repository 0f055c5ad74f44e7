"""The guard against the engine behind it: whatever Oxigraph would send to a SERVICE endpoint, the guard
refuses — checked with real pyoxigraph and a loopback listener that counts connections, over the escape
tricks that once got through and a few thousand generated spellings. Also the shape limits (nesting,
operators) that keep Oxigraph's recursive parser off the end of its stack."""

from __future__ import annotations

import random
import subprocess
import sys

import pyoxigraph as ox
import pytest

from culturegraph.errors import QueryError, QueryRefused
from culturegraph.sparql_guard import MAX_DEPTH, MAX_OPERATORS, inspect_query
from tests.server_helpers import Listener

X = "http://example.org/"


@pytest.fixture(scope="module")
def listener():
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture(scope="module")
def store():
    """Every kind of term a fragment below can put before SERVICE, so the pattern before it matches and
    the engine goes on to evaluate the SERVICE clause."""
    s = ox.Store()
    subject, predicate = ox.NamedNode(X + "a"), ox.NamedNode(X + "p")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    objects = [ox.Literal("1", datatype=ox.NamedNode(xsd + "integer")), ox.Literal("true", datatype=ox.NamedNode(
        xsd + "boolean")), ox.Literal("x"), ox.Literal('a"'), ox.Literal("a'"), ox.Literal("x", language="en"),
        ox.NamedNode(X), ox.NamedNode(X + "o"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"),
        ox.Literal("1.0", datatype=ox.NamedNode(xsd + "decimal")),
        ox.Literal("1e0", datatype=ox.NamedNode(xsd + "double"))]
    for o in objects:
        s.add(ox.Quad(subject, predicate, o))
    return s


def engine_calls_service(store: ox.Store, listener: Listener, query: str) -> bool:
    """True when Oxigraph, running ``query``, connected to the listener (or tried a SERVICE it could not)."""
    before = listener.accepted
    try:
        res = store.query(query, base_iri=X, use_default_graph_as_union=True)
        if isinstance(res, ox.QuerySolutions | ox.QueryTriples):
            list(res)
    except SyntaxError:
        return False
    except (OSError, RuntimeError) as exc:  # the listener closed the connection: the call failed
        if listener.accepted > before:
            return True
        return "service" in str(exc).lower()
    return listener.accepted > before


def guard_refuses(query: str) -> bool:
    try:
        inspect_query(query)
    except QueryRefused:
        return True
    return False


# The spellings that once reached the engine past the guard (issue 25), and more of their kind. Each, run
# by Oxigraph itself, does call the endpoint: the first assertion proves the case is real.
ESCAPE_TRICKS = [
    'SELECT * WHERE {{ BIND("a\\u0022" AS ?x) SERVICE <{url}> {{ ?a ?b ?c }} BIND("b" AS ?y) }}',
    "SELECT * WHERE {{ BIND('a\\u0027' AS ?x) SERVICE <{url}> {{ ?a ?b ?c }} BIND('b' AS ?y) }}",
    'SELECT * WHERE {{ BIND("a\\U00000022" AS ?x) SERVICE <{url}> {{ ?a ?b ?c }} BIND("b" AS ?y) }}',
    'SELECT * WHERE {{ BIND("a\\u0022" AS ?x) SERVICE SILENT <{url}> {{ ?a ?b ?c }} BIND("b" AS ?y) }}',
    'SELECT * WHERE {{ BIND("a\\u0022" AS ?x) {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }} '
    'BIND("b" AS ?y) }}',
    'SELECT * WHERE {{ BIND("""a\\u0022""" AS ?x) SERVICE <{url}> {{ ?a ?b ?c }} BIND("b" AS ?y) }}',
    'SELECT * WHERE {{ BIND(<http://x/\\u0041#> AS ?x) SERVICE <{url}> {{ ?a ?b ?c }} }}',
    "PREFIX : <{base}> SELECT * WHERE {{ ?s ?p ?o SERVICE:sparql {{ ?a ?b ?c }} }}",
    "PREFIX : <{base}> PREFIX service: <{base}> SELECT * WHERE {{ ?s ?p ?o service:sparql {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ ?s ?p true SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ ?s ?p 1SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ ?s ?p trueSERVICE <{url}> {{ ?a ?b ?c }} }}",
    'SELECT * WHERE {{ ?s ?p "x"SERVICE <{url}> {{ ?a ?b ?c }} }}',
    "SELECT * WHERE {{ ?s ?p ?o.SERVICE<{url}>{{?a ?b ?c}} }}",
    "SELECT * WHERE {{ ?s ?p ?o SERVICE#c\r<{url}> {{ ?a ?b ?c }} }}",
    "BASE <{base}> SELECT * WHERE {{ ?s ?p ?o SERVICE <sparql> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER(true)SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "ASK {{ ?s ?p ?o SERVICE <{url}> {{ ?a ?b ?c }} }}",
]


@pytest.mark.parametrize("template", ESCAPE_TRICKS)
def test_escape_tricks_reach_the_engine_and_are_refused(store, listener, template):
    query = template.format(url=listener.url, base=listener.url.removesuffix("sparql"))
    assert engine_calls_service(store, listener, query), "the case does not call SERVICE in Oxigraph"
    with pytest.raises(QueryRefused):
        inspect_query(query)


# pieces of a generated query: what comes before SERVICE, how SERVICE is spelled, what separates it from
# its endpoint, the endpoint, what follows
BEFORE = ["?s ?p ?o", "?s ?p ?o .", "?s ?p ?o.", "?s ?p 1", "?s ?p true", '?s ?p "x"', "?s ?p 'x'", '?s ?p "a\\u0022"',
          "?s ?p 'a\\u0027'", '?s ?p """a\\u0022"""', '?s ?p "x"@en', "?s ?p ex:o", "?s ?p ex:o.", "?s ?p []",
          "?s ?p ()", "?s ?p _:b", "?s ?p <http://example.org/>", "?s ?p 1.0", "?s ?p 1e0", '?s ?p "a\\"" .',
          "?s ?p ?o # c\n", "?s ?p ?o #c\r", '?s ?p ?o BIND("a\\u0022" AS ?x)', "?s ?p ?o FILTER(true)",
          "?s ?p ?o OPTIONAL{}", "?s ?p ?o {}", "?s ?p ?o MINUS{}", "?s ?p ?o VALUES ?v {1}",
          '?s ?p ?o BIND("\\u0023" AS ?h)', "?s ?p ?o BIND(ex:a\\# AS ?z)", "?s ?p ?o BIND(ex:a\\' AS ?z)",
          "?s ?p 'a\\u0027' .", "?s ?p ?o {SELECT * {", "?s ?p ?o FILTER EXISTS {", "?s ?p ?o GRAPH ?g {"]
KEYWORD = ["SERVICE", "service", "SeRvIcE", "SERVICE SILENT", "SERV\\u0049CE", "SERVICE\tSILENT"]
SEPARATOR = [" ", "", "\t", "\n", "#c\n", "\r", " #\\u000a "]
ENDPOINT = ["<{url}>", ":sparql", "?e", "<sparql>", "<{url}\\u0041>"]
AFTER = ["", 'BIND("b" AS ?y)', "'", "}", "}}", '"""', "# x"]


def generated(n: int, seed: int, url: str):
    rnd = random.Random(seed)
    base = url.removesuffix("sparql")
    for _ in range(n):
        before, kw, sep, endpoint, after = (rnd.choice(BEFORE), rnd.choice(KEYWORD), rnd.choice(SEPARATOR),
                                            rnd.choice(ENDPOINT), rnd.choice(AFTER))
        closing = "}" * (before.count("{") - before.count("}"))
        yield (f"PREFIX ex: <{X}> PREFIX : <{base}> BASE <{base}> SELECT * WHERE {{ {before} "
               f"{kw}{sep}{endpoint.format(url=url)} {{ ?a ?b ?c }} {after} {closing} VALUES ?e {{ <{url}> }} }}")


def test_generated_spellings_the_engine_would_call_are_refused(store, listener):
    called = refused = 0
    missed = []
    for query in generated(2500, 20261205, listener.url):
        refuses = guard_refuses(query)
        refused += refuses
        if engine_calls_service(store, listener, query):
            called += 1
            if not refuses:
                missed.append(query)
    assert not missed, missed[:5]
    assert called > 300, "too few generated queries reach SERVICE in the engine to mean anything"


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> {}",
    "SELECT * WHERE { ?s ?p 'SERVICE <http://x/> {}' }",
    'SELECT * WHERE { ?s ?p "a \\" SERVICE <http://x/> {}" }',
    "SELECT ?service WHERE { ?service <http://x/service> ?o }",
    "PREFIX ex: <http://x/> SELECT * WHERE { ?s ex:service ?o ; ex:SERVICE ?p }",
    "PREFIX service: <http://x/> SELECT * WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o FILTER(CONTAINS(LCASE(?o), 'web service')) }",
    "SELECT * WHERE { ?s ?p _:service }",
])
def test_the_word_service_in_names_strings_and_comments_passes(store, listener, query):
    assert not engine_calls_service(store, listener, query)
    assert not guard_refuses(query)


def test_an_escaped_quote_before_the_word_service_in_a_string_is_refused():
    """Read with its escapes decoded first (SPARQL 1.1 §19.2), this string ends at the quote and SERVICE is
    code: one of the two readings finds SERVICE, so the guard refuses, although Oxigraph would not call it."""
    with pytest.raises(QueryRefused, match="escapes decoded"):
        inspect_query('SELECT * WHERE { ?s ?p "a \\u0022 SERVICE <http://x/> {}" }')


def test_a_prefix_named_service_is_refused_where_used_with_the_reason():
    with pytest.raises(QueryRefused, match="reads as the SERVICE keyword"):
        inspect_query("PREFIX service: <http://x/> SELECT * WHERE { ?s service:p ?o }")


def test_named_queries_pass_the_guard(cg):
    for q in cg.named_queries():
        assert inspect_query(q.sparql).form == q.form.lower(), q.name


# ---------------------------------------------------------------------------------------------- shape
def test_deep_nesting_is_refused_with_its_depth():
    q = "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }"
    with pytest.raises(QueryError, match=f"nested more than {MAX_DEPTH} levels") as exc:
        inspect_query(q)
    assert exc.value.http_status == 400 and exc.value.line == 1
    ok = "SELECT * WHERE { FILTER(" + "(" * (MAX_DEPTH - 3) + "1" + ")" * (MAX_DEPTH - 3) + ") }"
    assert inspect_query(ok).form == "select"


@pytest.mark.parametrize("chain", [" ".join(f"BIND(1 AS ?v{i})" for i in range(3000)),
                                   " UNION ".join(["{}"] * 3000), "FILTER(" + "+".join(["1"] * 3000) + ")"])
def test_long_operator_chains_are_refused(chain):
    with pytest.raises(QueryError, match=f"more than {MAX_OPERATORS} operators"):
        inspect_query("SELECT * WHERE { " + chain + " }")


def test_large_values_and_in_lists_are_not_operators():
    values = "SELECT * WHERE { VALUES ?x { " + " ".join(f"<{X}{i}>" for i in range(20_000)) + " } }"
    in_list = "SELECT * WHERE { ?s ?p ?o FILTER(?o IN (" + ", ".join(str(i) for i in range(20_000)) + ")) }"
    assert inspect_query(values).form == inspect_query(in_list).form == "select"


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }",
    "SELECT * WHERE { " + " ".join(f"BIND(1 AS ?v{i})" for i in range(3000)) + " }",
    "SELECT * WHERE " + "{" * 3000 + "}" * 3000,
])
def test_what_the_limits_refuse_does_crash_the_engine(query):
    """Not a hypothetical: Oxigraph run on these in a child process dies (stack overflow)."""
    code = "import sys, pyoxigraph as ox; list(ox.Store().query(sys.stdin.read()))"
    proc = subprocess.run([sys.executable, "-c", code], input=query, text=True, capture_output=True, timeout=120,
                          check=False)
    assert proc.returncode < 0, (proc.returncode, proc.stderr[-300:])
