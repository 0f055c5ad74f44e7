"""The display graphs (``derived_display.py``) hold what the three-tier label SPARQL used to compute.

The oracle is the SPARQL the named queries used before the display graphs existed (requested language,
else English, else any, ``MIN`` within the first tier that has a value), run on the curated graphs of the
same store; every resource, property and language of the real data and of a synthetic project is compared.
"""

from __future__ import annotations

import itertools

import pyoxigraph as ox
import pytest

from culturegraph.api import CultureGraph
from culturegraph.derived_display import DISPLAYED, choose
from culturegraph.queries import inject_values

from .conftest import synthetic_graph

TIERS = """
SELECT ?s (MIN(COALESCE(?x1, ?x2, ?x3)) AS ?v) WHERE {
  GRAPH ?g { ?s ?prop ?any } FILTER(isIRI(?s) && !STRSTARTS(STR(?g), STR(display:)))
  OPTIONAL { ?s ?prop ?x1 FILTER(isLiteral(?x1) && langMatches(lang(?x1), ?lang)) }
  OPTIONAL { ?s ?prop ?x2 FILTER(isLiteral(?x2) && !BOUND(?x1) && langMatches(lang(?x2), "en")) }
  OPTIONAL { ?s ?prop ?x3 FILTER(isLiteral(?x3) && !BOUND(?x1) && !BOUND(?x2)) }
} GROUP BY ?s
"""

GRAPH_FOR = """
SELECT ?g WHERE {
  OPTIONAL { ?inLang cg:displayLanguage ?lang ; cg:displayedProperty ?prop }
  BIND(COALESCE(?inLang, display:en) AS ?g)
}
"""


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> CultureGraph:
    return synthetic_graph(tmp_path_factory, "display", seed=5, editions=4, sessions_per_edition=3,
                           people_per_session=3, people=20, organisations=8, sources=5, themes=6, cities=3)


def _bound(text: str, lang: str, prop: str) -> str:
    return inject_values(text, {"lang": ox.Literal(lang), "prop": ox.NamedNode(prop)})


def _languages(graph: CultureGraph) -> list[str]:
    rows = graph.query("SELECT DISTINCT ?l WHERE { ?g a cg:DisplayGraph ; cg:displayLanguage ?l } ORDER BY ?l")
    return [str(r[0]) for r in rows.rows]


def _shown(graph: CultureGraph, lang: str, prop: str) -> dict[str, ox.Literal]:
    """What a query reads: the twin in the display graph it picks for ``lang`` and ``prop``, else in
    display:en (which holds every resource; the other graphs only the values that differ from it)."""
    (g,), = graph.query(_bound(GRAPH_FOR, lang, prop)).rows
    out = {str(s): v for s, v in graph.query(
        f"SELECT ?s ?v WHERE {{ GRAPH display:en {{ ?s <{DISPLAYED[prop]}> ?v }} }}").rows}
    out.update({str(s): v for s, v in graph.query(
        f"SELECT ?s ?v WHERE {{ GRAPH <{g}> {{ ?s <{DISPLAYED[prop]}> ?v }} }}").rows})
    return out


@pytest.mark.parametrize("prop", sorted(DISPLAYED))
def test_display_graphs_hold_what_the_tiers_chose(graph: CultureGraph, prop: str) -> None:
    languages = _languages(graph)
    assert "en" in languages and len(languages) > 1
    compared = 0
    for lang in [*languages, "fr", "ko-kp"]:  # and two the data does not have: they fall back to en
        expected = {str(s): v for s, v in graph.query(_bound(TIERS, lang, prop)).rows}
        got = _shown(graph, lang, prop)
        assert {k: str(v) for k, v in got.items()} == {k: str(v) for k, v in expected.items()}, (prop, lang)
        compared += len(got)
    if prop.endswith("label"):
        assert compared > 100


def test_choose_agrees_with_sparql_min_on_edge_cases() -> None:
    """Ties and tiers on hand-made values, each checked against Oxigraph's own MIN over the same tier."""
    values = [ox.Literal("b", language="en"), ox.Literal("a", language="en-gb"), ox.Literal("a", language="ko"),
              ox.Literal("가", language="ko-kr"), ox.Literal("Z", language="id"), ox.Literal("a")]
    store = ox.Store()

    def sparql_min(lits: list[ox.Literal]) -> ox.Literal:
        text = "SELECT (MIN(?x) AS ?m) WHERE { VALUES ?x { " + " ".join(str(v) for v in lits) + " } }"
        return next(iter(store.query(text)))["m"]

    for n in range(1, len(values) + 1):
        for subset in itertools.combinations(values, n):
            for key in ("en", "en-gb", "ko", "ko-kr", "id", "fr"):
                tier = [v for v in subset if v.language and (v.language == key or v.language.startswith(key + "-"))]
                tier = tier or [v for v in subset if v.language and v.language.split("-")[0] == "en"]
                assert choose(subset, key) == sparql_min(tier or list(subset)), (subset, key)


def test_display_values_are_left_out_of_entity_pages() -> None:
    from culturegraph.derived import INDEX_ONLY

    assert set(DISPLAYED.values()) <= INDEX_ONLY


def test_no_display_value_is_stated_twice_in_the_union(cg: CultureGraph) -> None:
    """A first-time query writer asked ``?x cg:displayLabel ?l`` and got one row per language graph."""
    for twin in sorted(set(DISPLAYED.values())):
        rows = cg.query(f"SELECT ?s ?v WHERE {{ ?s <{twin}> ?v }}", limit=10**9).rows
        assert rows and len(rows) == len({(str(s), str(v), getattr(v, "language", None)) for s, v in rows}), twin
    # KOFICE has a Korean label: the Korean graph states it, the English graph the English one
    ko = cg.query("SELECT ?l WHERE { GRAPH display:ko { organisation:kofice cg:displayLabel ?l } }").column("l")
    en = cg.query("SELECT ?l WHERE { GRAPH display:en { organisation:kofice cg:displayLabel ?l } }").column("l")
    assert len(ko) == len(en) == 1 and ko != en


def test_display_graphs_do_not_repeat_labels_in_the_union(cg: CultureGraph) -> None:
    union = cg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s rdfs:label ?l }").rows[0][0]
    curated = cg.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s rdfs:label ?l } "
                       "FILTER(!STRSTARTS(STR(?g), STR(display:))) }").rows[0][0]
    assert int(str(union)) == int(str(curated)) > 0


def test_each_display_graph_is_described_and_en_covers_every_property(cg: CultureGraph) -> None:
    rows = cg.query("SELECT ?g ?l ?p WHERE { GRAPH ?d { ?g a cg:DisplayGraph ; cg:displayLanguage ?l ; "
                    "cg:displayedProperty ?p ; prov:wasGeneratedBy ?a } FILTER(STRENDS(STR(?d), '/graph/index')) }")
    covers: dict[str, set[str]] = {}
    for g, lang, p in rows.rows:
        assert str(g).endswith(f"/graph/display/{lang}")
        covers.setdefault(str(lang), set()).add(str(p))
    assert covers["en"] == set(DISPLAYED)
    # a graph lists a property only where the data has values of it in that language
    for lang, props in covers.items():
        for prop in props - {"http://www.w3.org/2000/01/rdf-schema#label"}:
            if lang == "en":
                continue
            n = cg.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{prop}> ?v FILTER(langMatches(lang(?v), '{lang}')) }}"
                         ).rows[0][0]
            assert int(str(n)) > 0, (lang, prop)
    # the real data gives positions in fewer languages than labels: those graphs leave positions out
    assert any(CG_POSITION not in props for props in covers.values())


CG_POSITION = "https://w3id.org/culturegraph/ontology#positionAtTime"


def test_stats_count_display_graphs_as_derived(cg: CultureGraph) -> None:
    stats = cg.stats()
    data = cg.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                    "FILTER(!STRSTARTS(STR(?g), STR(display:)) && !STRENDS(STR(?g), '/graph/derived') "
                    "&& !STRENDS(STR(?g), '/graph/index') && !STRENDS(STR(?g), '/graph/ontology')) } }").rows[0][0]
    # stats count distinct statements: a label shown alike in several language graphs counts once
    shown = cg.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                     "FILTER(STRSTARTS(STR(?g), STR(display:))) } }").rows[0][0]
    assert stats["triples (data)"] == int(str(data))
    assert stats["triples (derived)"] > int(str(shown)) > 0
