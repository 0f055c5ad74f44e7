"""Named listings computed as two halves on two threads (``# split: ?var``, ``split_run.py``): the halves
are complements for every kind of value, the merged rows are the whole query's rows in an order it could
have given, a header that cannot be honoured is refused with its file and line, and anything the merge
cannot order exactly runs as one query."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from culturegraph.errors import QueryError
from culturegraph.queries import bound, parse_query, run_local
from culturegraph.split_run import merge_keys, run_halves, split_plan
from culturegraph.store import OxigraphEngine

from .conftest import synthetic_graph

EX = "http://example.org/"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory):
    return synthetic_graph(tmp_path_factory, "split", seed=5, editions=9, sessions_per_edition=8,
                           people_per_session=4, people=50, organisations=12, sources=5, themes=6, cities=3)


def _engine(values: list[object]) -> OxigraphEngine:
    """Resources ex:r0 … each with the given ?v value (None: no value)."""
    store = ox.Store()
    for i, v in enumerate(values):
        s = ox.NamedNode(f"{EX}r{i:02d}")
        store.add(ox.Quad(s, ox.NamedNode(EX + "a"), ox.NamedNode(EX + "Thing"), ox.DefaultGraph()))
        if v is not None:
            term = v if isinstance(v, ox.NamedNode | ox.Literal) else ox.Literal(str(v), datatype=ox.NamedNode(
                "http://www.w3.org/2001/XMLSchema#integer"))
            store.add(ox.Quad(s, ox.NamedNode(EX + "v"), term, ox.DefaultGraph()))
    return OxigraphEngine(store)


QUERY = "SELECT ?s ?v WHERE { ?s <http://example.org/a> ?t OPTIONAL { ?s <http://example.org/v> ?v } } ORDER BY ?v ?s"
MIXED = [None, 3, -4, 0, 7, 10, None, 2, ox.Literal("2.5", datatype=ox.NamedNode(
    "http://www.w3.org/2001/XMLSchema#decimal")), ox.Literal("x"), ox.NamedNode(EX + "iri"), 3, 11]


def _raw(engine: OxigraphEngine, text: str) -> list[tuple[str, ...]]:
    return [tuple(str(x) for x in row) for row in engine.query(text, prefixes={}, limit=None).rows]


def test_the_halves_are_complements_for_every_kind_of_value() -> None:
    engine = _engine(MIXED)
    plan = split_plan(QUERY, "v")
    assert not isinstance(plan, str)
    first, second = (set(_raw(engine, t)) for t in plan.halves)
    whole = _raw(engine, QUERY)
    assert first.isdisjoint(second) and first | second == set(whole) and len(whole) == len(MIXED)
    assert first and second  # both halves hold rows: the split does split


def test_merged_rows_are_the_whole_answer_in_its_order() -> None:
    engine = _engine([None, 3, -4, 0, 7, 10, None, 2, 3, 11, 8, -1])
    plan = split_plan(QUERY, "v")
    merged = run_halves(engine, plan, prefixes={}, limit=None)
    whole = engine.query(QUERY, prefixes={}, limit=None)
    assert merged is not None and merged.variables == whole.variables
    assert merged.rows == whole.rows  # ORDER BY ?v ?s has no ties here, so the order is the only one
    cut = run_halves(engine, plan, prefixes={}, limit=5)
    assert cut is not None and cut.rows == whole.rows[:5] and cut.truncated


def test_values_the_merge_cannot_order_run_as_one_query() -> None:
    engine = _engine(MIXED)  # a decimal, a string and an IRI among the keys
    assert run_halves(engine, split_plan(QUERY, "v"), prefixes={}, limit=None) is None
    assert merge_keys(["1", "", "-3"]) == [1, float("-inf"), -3]
    for cell in ("2.5", '"7"', "<http://x/>", "1e3", "true", "_:b"):
        assert merge_keys(["1", cell]) is None, cell


def test_an_unselected_key_is_selected_for_the_merge_and_dropped() -> None:
    engine = _engine([5, 2, 9, 4, 1])
    text = "SELECT ?s WHERE { ?s <http://example.org/v> ?v } ORDER BY ?v"
    plan = split_plan(text, "v")
    assert not isinstance(plan, str) and plan.added
    merged = run_halves(engine, plan, prefixes={}, limit=None)
    assert merged is not None and merged.variables == ["s"]
    assert [str(r[0])[-3:] for r in merged.rows] == ["r04", "r01", "r03", "r00", "r02"]


def test_a_query_with_a_prologue_is_split_after_its_select() -> None:
    engine = _engine([5, 2, 9, 4, 1])
    text = "PREFIX ex: <http://example.org/>\nBASE <http://example.org/>\nSELECT ?s WHERE { ?s ex:v ?v } ORDER BY ?v"
    plan = split_plan(text, "v")
    assert not isinstance(plan, str), plan
    assert all(half.startswith("PREFIX ex:") and "SELECT ?v ?s WHERE" in half for half in plan.halves)
    merged = run_halves(engine, plan, prefixes={}, limit=None)
    assert merged is not None and merged.rows == engine.query(text, prefixes={}, limit=None).rows


@pytest.mark.parametrize(("text", "why"), [
    ("SELECT ?s WHERE { ?s ?p ?v } ORDER BY ?s ?v", "must start with ?v"),
    ("SELECT ?s WHERE { ?s ?p ?v } ORDER BY DESC(?v)", "must start with ?v"),
    ("SELECT ?s WHERE { ?s ?p ?v }", "must start with ?v"),
    ("SELECT ?s ?v WHERE { ?s ?p ?v } ORDER BY ?v LIMIT 10", "LIMIT"),
    ("SELECT ?v (COUNT(?s) AS ?n) WHERE { ?s ?p ?v } GROUP BY ?v ORDER BY ?v", "GROUP"),
    ("SELECT DISTINCT ?s WHERE { ?s ?p ?v } ORDER BY ?v", "must be selected"),
    ("ASK { ?s ?p ?v }", "SELECT"),
    ("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?v", "does not occur"),
])
def test_queries_that_cannot_be_split_are_refused(text: str, why: str) -> None:
    assert why in split_plan(text, "v")


def test_a_split_header_is_checked_when_the_query_is_loaded() -> None:
    good = "# title: t\n# split: ?v\nSELECT ?s ?v WHERE { ?s ?p ?v } ORDER BY ASC(?v) ?s\n"
    assert parse_query(good, name="t").split == "v"
    with pytest.raises(QueryError, match=r"t.rq:2: .*ORDER BY must start with \?v"):
        parse_query(good.replace("ASC(?v) ?s", "?s ?v"), name="t", file="t.rq")
    with pytest.raises(QueryError, match=r"t.rq:2: .*one variable"):
        parse_query(good.replace("# split: ?v", "# split: v"), name="t", file="t.rq")


@pytest.mark.parametrize("which", ["real", "synthetic"])
def test_split_named_queries_give_the_whole_answer(which: str, cg, synthetic) -> None:
    graph = cg if which == "real" else synthetic
    split = [q for q in graph.named_queries() if q.split]
    assert {"keynote-speakers", "recurring-people"} <= {q.name for q in split}
    for query in split:
        text, subs = bound(query, query.bind({"min": 1} if query.param("min") else {}))
        plan = split_plan(text, query.split)
        assert not isinstance(plan, str)
        halves = run_halves(graph.engine, plan, prefixes=graph._prefixes, substitutions=subs, limit=None)
        assert halves is not None, query.name  # the merge applied: integer keys only
        whole = graph.query(text, params=subs, limit=10**7)
        assert halves.variables == whole.variables
        assert sorted(map(repr, halves.rows)) == sorted(map(repr, whole.rows)), query.name
        # the same sequence of sort keys: ties (equal keys) are the only freedom the merge takes
        order = {"keynote-speakers": ("year", "personLabel"), "organisers-and-signatories":
                 ("year", "what", "role", "agent")}.get(query.name)
        if order is None:  # recurring-people: the rank is unique, so the order is the only one
            assert halves.rows == whole.rows, query.name
        else:
            at = [whole.variables.index(v) for v in order]
            assert [tuple(r[i] for i in at) for r in halves.rows] == [tuple(r[i] for i in at) for r in whole.rows]
        via_named = run_local(graph, query, {"min": 1} if query.param("min") else {}, limit=10**7)
        assert sorted(map(repr, via_named.rows)) == sorted(map(repr, whole.rows))
    if which == "synthetic":
        assert len(graph.run_named("keynote-speakers").rows) > 20  # enough rows for both halves to hold some


def test_one_core_or_rdflib_runs_the_whole_query(cg, monkeypatch) -> None:
    calls = []
    monkeypatch.setattr("culturegraph.split_run.run_halves", lambda *a, **k: calls.append(1))
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    rows = cg.run_named("keynote-speakers").rows
    assert rows and not calls
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert cg.run_named("keynote-speakers").rows == rows and calls  # the patched split returned None
