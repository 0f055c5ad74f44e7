"""Both query engines — Oxigraph (default) and rdflib's memory store — answer the same, and neither can be
made to read a local file or call a remote service."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from culturegraph.api import CultureGraph
from culturegraph.errors import QueryError, QueryRefused

ENGINES = ("oxigraph", "memory")

# Named queries whose answers may differ between the engines for a documented reason (not a bug of ours).
# For example MIN/MAX over a group where a value is sometimes unbound: Oxigraph follows SPARQL 1.1 (the
# aggregate is unbound), rdflib skips the errors (queries/co-participants.rq had this until it was fixed).
KNOWN_DIFFERENCES: dict[str, str] = {}


def norm(term: object) -> object:
    """Compare terms across engines: numbers by value (1 = 1.0 = 1.00), GROUP_CONCAT text as a bag of
    words (SPARQL leaves its order open), and IRIs as their text, because rdflib's MIN/MAX turn an IRI
    into a plain literal (``rdflib/plugins/sparql/aggregates.py``, ``Extremum.set_value``)."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return ("number", round(float(value), 6))
        if term.language:
            return ("text", str(term), term.language)
        return ("text", " ".join(sorted(str(term).split(" "))), None)
    return ("text", str(term), None)


def bag(rows: list[tuple]) -> Counter:
    return Counter(tuple(norm(t) for t in row) for row in rows)


@pytest.fixture(scope="module")
def real(root: Path) -> dict[str, CultureGraph]:
    return {e: CultureGraph(root, store=e) for e in ENGINES}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CultureGraph]:
    from .conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("store") / "mini")
    return {e: CultureGraph(project, store=e) for e in ENGINES}


def test_engine_choice(small: dict[str, CultureGraph]) -> None:
    assert small["oxigraph"].engine.name == "oxigraph"
    assert small["memory"].engine.name == "memory"
    with pytest.raises(Exception, match="unknown store"):
        CultureGraph(small["oxigraph"].root, store="sqlite").engine  # noqa: B018


def named_queries(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "queries").glob("*.rq"))


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN_DIFFERENCES[n], strict=False)) if n in KNOWN_DIFFERENCES
    else n for n in named_queries(Path(__file__).resolve().parents[1])])
def test_every_named_query_gives_the_same_rows_on_both_engines(name: str, real: dict[str, CultureGraph]) -> None:
    ox_res = real["oxigraph"].run_named(name)
    rdflib_res = real["memory"].run_named(name)
    assert ox_res.variables == rdflib_res.variables
    assert bag(ox_res.rows) == bag(rdflib_res.rows)


@pytest.mark.parametrize("engine", ENGINES)
def test_select_ask_construct_and_parameters(engine: str, small: dict[str, CultureGraph]) -> None:
    cg = small[engine]
    res = cg.query("SELECT ?e ?start WHERE { ?e a cg:Edition ; schema:startDate ?start }")
    assert res.kind == "select" and res.variables == ["e", "start"]
    assert [(str(e), s.toPython().isoformat()) for e, s in res.rows] == [
        ("https://w3id.org/culturegraph/id/edition/forum-2025", "2025-11-08")]
    assert cg.query("ASK { edition:forum-2025 a cg:ForumEvent }").boolean is True
    graph = cg.query("CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a cg:Person ; rdfs:label ?l }")
    assert graph.kind == "graph" and len(graph.triples or []) == 2
    # a parameter is bound as a term: quotes and braces in it are data, never SPARQL
    hostile = 'x" } ; DELETE WHERE { ?s ?p ?o } #'
    res = cg.query("SELECT ?s ?name WHERE { ?s rdfs:label ?name }", params={"name": hostile})
    assert res.rows == []
    res = cg.query("SELECT ?who ?e WHERE { ?p cg:participant ?who ; cg:inEvent ?e }",
                   params={"who": URIRef("https://w3id.org/culturegraph/id/person/lee-kyogu")})
    assert [str(r[1]).rsplit("/", 1)[-1] for r in res.rows] == ["forum-2025-s3"]


@pytest.mark.parametrize("engine", ENGINES)
def test_limit_truncates_and_says_so(engine: str, small: dict[str, CultureGraph]) -> None:
    res = small[engine].query("SELECT ?s WHERE { ?s ?p ?o }", limit=3)
    assert len(res.rows) == 3 and res.truncated
    assert not small[engine].query("SELECT ?s WHERE { ?s a cg:Edition }", limit=3).truncated


@pytest.mark.parametrize("engine", ENGINES)
def test_syntax_error_is_a_query_error_with_its_line(engine: str, small: dict[str, CultureGraph]) -> None:
    with pytest.raises(QueryError) as info:
        small[engine].query("SELECT ?s\nWHERE { ?s ?p }")
    assert info.value.line is not None and "syntax" in str(info.value).lower()


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",  # SPARQL codepoint escape
    "SELECT * WHERE { ?x ?y ?z .\n SERVICE ?endpoint { ?s ?p ?o } }",
])
def test_service_is_refused(engine: str, text: str, small: dict[str, CultureGraph]) -> None:
    with pytest.raises(QueryRefused) as info:
        small[engine].query(text)
    assert info.value.http_status == 403


@pytest.mark.parametrize("engine", ENGINES)
def test_the_word_service_elsewhere_is_fine(engine: str, small: dict[str, CultureGraph]) -> None:
    res = small[engine].query('SELECT ?service WHERE { ?service rdfs:label "SERVICE" } # SERVICE <x>')
    assert res.rows == []
    assert small[engine].query("ASK { <http://example.org/SERVICE> ?p ?o }").boolean is False


@pytest.mark.parametrize("engine", ENGINES)
def test_from_never_reads_a_local_file(engine: str, small: dict[str, CultureGraph], tmp_path: Path) -> None:
    secret = tmp_path / "secret.ttl"
    secret.write_text('<urn:x:s> <urn:x:p> "secret value" .\n', encoding="utf-8")
    for text in (f"SELECT ?o FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}",
                 f"SELECT ?o FROM NAMED <{secret.as_uri()}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"):
        rows = small[engine].query(text).rows
        assert all("secret" not in str(r[0]) for r in rows)
    if engine == "memory":
        import rdflib.plugins.sparql

        assert rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS is False


def test_labels_and_stats_agree(small: dict[str, CultureGraph]) -> None:
    a, b = small["oxigraph"], small["memory"]
    for iri in ("https://w3id.org/culturegraph/id/person/lee-kyogu",
                "https://w3id.org/culturegraph/id/theme/ai", "https://w3id.org/culturegraph/id/nothing"):
        for lang in ("en", "ko", "id"):
            assert a.label(iri, lang) == b.label(iri, lang)
    assert a.label("https://w3id.org/culturegraph/id/person/lee-kyogu", "ko") == "이교구"
    assert a.stats() == b.stats()
    assert a.stats()["triples (derived)"] > 0


def test_engines_hold_the_same_quads(small: dict[str, CultureGraph]) -> None:
    a, b = small["oxigraph"].engine, small["memory"].engine
    assert len(a) == len(b)
    person = URIRef("https://w3id.org/culturegraph/id/person/lee-kyogu")
    assert sorted(a.quads_for_pattern(person, None, None)) == sorted(b.quads_for_pattern(person, None, None))


def test_string_literals_built_directly_equal_rdflibs(cg: CultureGraph) -> None:
    """The fast path for plain and language-tagged strings gives what ``Literal()`` gives, on every string
    literal of the real data (and a few made-up ones)."""
    import pickle

    import pyoxigraph as ox

    from culturegraph import store

    assert store._FAST_STRINGS, "rdflib's Literal changed its slots: the fast path is off"
    made_up = [ox.Literal(""), ox.Literal("  spaced  "), ox.Literal("x", language="zh-hant-tw"),
               ox.Literal("줄\n바꿈", language="ko")]
    checked = 0
    for lit in [q.object for q in cg.ox_quads if isinstance(q.object, ox.Literal)] + made_up:
        if lit.language is None and lit.datatype.value != store.XSD_STRING:
            continue
        fast = store.from_ox(lit)
        slow = Literal(lit.value, lang=lit.language)
        assert (fast == slow, hash(fast), fast.value, fast.language, fast.datatype, fast.n3(),
                fast.ill_typed) == (True, hash(slow), slow.value, slow.language, slow.datatype, slow.n3(),
                                    slow.ill_typed)
        assert fast.eq(slow) and pickle.loads(pickle.dumps(fast)) == slow
        checked += 1
    assert checked > 1000


def test_rows_read_through_tsv_equal_value_by_value_conversion(cg: CultureGraph) -> None:
    """``TsvRows`` (pyoxigraph's TSV, cells looked up in a memo, unknown cells parsed by pyoxigraph) gives
    what ``from_ox`` gives for each value: rows with unbound values, rows seen the first and the second
    time, and after the memo was emptied at its size."""
    from culturegraph import store
    from culturegraph.tsv_rows import TsvRows

    text = ("SELECT ?s ?label ?position WHERE { ?s a ?type OPTIONAL { ?s rdfs:label ?label } "
            "OPTIONAL { ?s cg:positionAtTime ?position } }")

    def solutions() -> Any:
        return cg.engine.store.query(text, prefixes=cg._prefixes, use_default_graph_as_union=True)

    expected = [tuple(store.from_ox(v) for v in s) for s in solutions()]
    assert len(expected) > 1000 and any(None in r for r in expected)
    reader = TsvRows(store.from_stored, size=500)  # small: the memo is emptied on the way
    for _ in range(2):  # cold, then (for what the memo kept) warm
        rows, truncated = reader.read(solutions(), None)
        assert rows == expected and not truncated
        assert [tuple(map(type, r)) for r in rows] == [tuple(map(type, r)) for r in expected]
    assert reader.memo[""] is None


def _odd_terms_store() -> Any:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    def typed(lexical: str, datatype: str) -> Any:
        return ox.Literal(lexical, datatype=ox.NamedNode(xsd + datatype))

    odd = [ox.Literal("tab\there"), ox.Literal('line\nbreak "quoted" back\\slash', language="en"),
           ox.Literal("cr\r and bell \u0007 한국어 ✓"), ox.Literal(""), ox.Literal("x", language="zh-Hant-TW"),
           typed("0129", "integer"), typed("-5", "integer"), typed("1.50", "decimal"), typed("1e3", "double"),
           typed("true", "boolean"), typed("2020-02-30", "date"), typed("2021", "gYear"), ox.BlankNode("b1"),
           ox.NamedNode("http://example.org/a%20b?x=1&y=é#f"), ox.Literal("\t")]
    st = ox.Store()
    for i, value in enumerate(odd):
        st.add(ox.Quad(ox.NamedNode(f"http://example.org/s{i:02d}"), ox.NamedNode("http://example.org/p"), value,
                       ox.NamedNode("http://example.org/g")))
    for i in range(3000):  # more than one 8 KB chunk of TSV
        st.add(ox.Quad(ox.NamedNode(f"http://example.org/n{i:05d}"), ox.NamedNode("http://example.org/q"),
                       ox.Literal(f"value {i}"), ox.NamedNode("http://example.org/g")))
    return st


def test_tsv_rows_keep_escapes_numbers_blank_nodes_and_unbound_values() -> None:
    from culturegraph import store
    from culturegraph.tsv_rows import TsvRows

    st = _odd_terms_store()
    text = "SELECT ?s ?o ?unbound WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s"
    expected = [tuple(store.from_ox(v) for v in s) for s in st.query(text, use_default_graph_as_union=True)]
    rows, truncated = TsvRows(store.from_stored).read(st.query(text, use_default_graph_as_union=True), None)
    assert len(rows) == 15 and not truncated
    for got, want in zip(rows, expected, strict=True):
        assert got == want and tuple(map(type, got)) == tuple(map(type, want))
        assert [t.n3() if t is not None else None for t in got] == [t.n3() if t is not None else None
                                                                      for t in want]
    assert rows[0][1] == Literal("tab\there") and rows[-1][1] == Literal("\t") and rows[0][2] is None


@pytest.mark.parametrize("limit", [0, 1, 2999, 3000, 3001, None])
def test_tsv_rows_limit_cuts_and_says_so(limit: int | None) -> None:
    from culturegraph import store
    from culturegraph.tsv_rows import TsvRows

    st = _odd_terms_store()
    text = "SELECT ?s ?o WHERE { ?s <http://example.org/q> ?o } ORDER BY ?s"
    expected = [tuple(store.from_ox(v) for v in s) for s in st.query(text, use_default_graph_as_union=True)]
    rows, truncated = TsvRows(store.from_stored).read(st.query(text, use_default_graph_as_union=True), limit)
    assert rows == expected[:limit]
    assert truncated == (limit is not None and limit < 3000)


def test_tsv_sink_stops_the_serializer_early() -> None:
    """A small limit on a large result: the serializer is stopped, so only about the rows kept are held."""
    from culturegraph.tsv_rows import _CappedSink, _Enough

    st = _odd_terms_store()
    text = "SELECT ?s ?o WHERE { ?s <http://example.org/q> ?o }"
    full = st.query(text, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.TSV)
    sink = _CappedSink(5, None)
    with pytest.raises(_Enough):
        st.query(text, use_default_graph_as_union=True).serialize(sink, format=ox.QueryResultsFormat.TSV)
    held = sum(map(len, sink.parts))
    assert len(full) > 100_000 and sink.lines >= 7 and held < len(full) / 4
    by_bytes = _CappedSink(1_000_000, 20_000)
    with pytest.raises(_Enough):
        st.query(text, use_default_graph_as_union=True).serialize(by_bytes, format=ox.QueryResultsFormat.TSV)
    assert by_bytes.full and 20_000 < by_bytes.size < 20_000 + 16_384


def test_tsv_lines_say_why_they_stopped() -> None:
    from culturegraph.tsv_rows import tsv_lines

    st = _odd_terms_store()
    text = "SELECT ?s ?o WHERE { ?s <http://example.org/q> ?o } ORDER BY ?s"

    def run():
        return st.query(text, use_default_graph_as_union=True)

    every, why = tsv_lines(run(), None)
    assert why == "" and len(every) > 1000
    assert tsv_lines(run(), 10) == (every[:10], "rows")
    lines, why = tsv_lines(run(), None, 5_000)
    assert why == "bytes" and lines == every[:len(lines)] and 0 < len("\n".join(lines)) <= 5_000


@pytest.mark.parametrize(("text", "expected"), [("SELECT * WHERE {}", [()]),
                                                 ("SELECT * WHERE { FILTER(false) }", [])])
def test_tsv_rows_without_variables(text: str, expected: list[tuple[()]]) -> None:
    from culturegraph import store
    from culturegraph.tsv_rows import TsvRows

    rows, truncated = TsvRows(store.from_stored).read(_odd_terms_store().query(text), None)
    assert (rows, truncated) == (expected, False)


@pytest.mark.parametrize("fmt", ["tsv", "json", "csv", "xml"])
def test_endpoint_worker_caps_drops_columns_and_writes_each_format(fmt: str) -> None:
    """The worker's SELECT path (capped TSV lines, dropped columns cut out, other formats written by
    pyoxigraph from them) gives the rows of a plain query without the dropped column."""
    from culturegraph.query_run import RESULTS, Job, WorkerConfig, execute

    st = _odd_terms_store()
    text = "SELECT ?s ?gone ?o WHERE { ?s <http://example.org/p> ?o BIND(1 AS ?gone) } ORDER BY ?s"
    job = Job(text, result_format=fmt, max_rows=10, drop=("gone",))
    out = execute(st, job, WorkerConfig({}, "http://example.org/"), 0.0)
    assert (out.kind, out.rows, out.truncated) == ("select", 10, "rows")
    plain = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s LIMIT 10"
    expected = st.query(plain, use_default_graph_as_union=True)
    got = ox.parse_query_results(out.body, format=RESULTS[fmt]()) if fmt != "csv" else None
    if got is None:  # CSV loses term kinds: compare the text
        want = expected.serialize(format=ox.QueryResultsFormat.CSV)
        assert out.body == want
    else:
        assert [v.value for v in got.variables] == ["s", "o"]
        assert [tuple(s) for s in got] == [tuple(s) for s in expected]
