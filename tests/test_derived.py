"""Build-time analytics (``{base}graph/derived``) agree with the same questions asked the slow way."""

from __future__ import annotations

import random
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from culturegraph.api import CultureGraph
from culturegraph.derived import derive

from .conftest import synthetic_graph

ROOT = Path(__file__).resolve().parents[1]
UP = "(cg:partOfEdition|cg:relatedEdition|schema:superEvent)*"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> CultureGraph:
    """A small synthetic project (benchmarks/synth.py): many organisations share editions."""
    return synthetic_graph(tmp_path_factory, "derived", seed=3, editions=6, sessions_per_edition=4,
                           people_per_session=3, people=30, organisations=12, sources=5, themes=9, cities=3)


def slow_agent_editions(cg: CultureGraph) -> set[tuple[str, str]]:
    res = cg.query(f"""SELECT DISTINCT ?agent ?edition WHERE {{
        {{ ?p cg:participant ?agent ; cg:inEvent ?ev }} UNION {{ ?ev cg:party ?agent }}
        ?ev {UP} ?edition . ?edition a cg:ForumEvent }}""", limit=10**7)
    return {(str(a), str(e)) for a, e in res.rows}


def test_took_part_in_matches_a_path_query(graph: CultureGraph) -> None:
    fast = graph.query("SELECT ?a ?e WHERE { ?a cg:tookPartIn ?e }", limit=10**7)
    derived = {(str(a), str(e)) for a, e in fast.rows}
    assert derived == slow_agent_editions(graph)
    assert derived, "the fixture has participations"
    # the n-ary node carries the same pair and every role the agent had anywhere in the edition
    nodes = graph.query("""SELECT ?a ?e (GROUP_CONCAT(DISTINCT STR(?r)) AS ?roles) WHERE {
        ?n a cg:EditionParticipation ; cg:participationAgent ?a ; cg:participationEdition ?e .
        OPTIONAL { ?n cg:participationRole ?r } } GROUP BY ?a ?e""", limit=10**7)
    assert {(str(a), str(e)) for a, e, _ in nodes.rows} == derived
    roles = graph.query(f"""SELECT ?a ?e (GROUP_CONCAT(DISTINCT STR(?r)) AS ?roles) WHERE {{
        ?p cg:participant ?a ; cg:inEvent ?ev ; cg:role ?r . ?ev {UP} ?e . ?e a cg:ForumEvent }}
        GROUP BY ?a ?e""", limit=10**7)
    expected = {(str(a), str(e)): set(str(r).split()) for a, e, r in roles.rows}
    got = {(str(a), str(e)): set(str(r).split()) if r is not None else set() for a, e, r in nodes.rows}
    assert {k: v for k, v in got.items() if v} == expected


def test_co_participation_weights_are_shared_editions(graph: CultureGraph) -> None:
    orgs = {str(r[0]) for r in graph.query("SELECT ?o WHERE { ?o a cg:Organisation }", limit=10**7).rows}
    editions_of: dict[str, set[str]] = defaultdict(set)
    for agent, edition in slow_agent_editions(graph):
        if agent in orgs:
            editions_of[agent].add(edition)
    expected = {}
    for a, b in combinations(sorted(editions_of), 2):
        shared = editions_of[a] & editions_of[b]
        if shared:
            expected[(a, b)] = (len(shared), shared)
    res = graph.query("""SELECT ?a ?b ?w (GROUP_CONCAT(STR(?e)) AS ?shared) WHERE {
        ?c a cg:CoParticipation ; cg:coParticipant ?a, ?b ; cg:weight ?w ; cg:sharedEdition ?e
        FILTER(STR(?a) < STR(?b)) } GROUP BY ?a ?b ?w""", limit=10**7)
    got = {(str(a), str(b)): (int(w), set(str(s).split())) for a, b, w, s in res.rows}
    assert got == expected
    if graph.root != ROOT:
        assert any(w > 1 for w, _ in got.values()), "the synthetic fixture has repeated pairs"


def test_theme_year_counts(graph: CultureGraph) -> None:
    """Items tagged with a theme, counted in the year of the forum event they belong to."""
    res = graph.query(f"""SELECT DISTINCT ?x ?theme ?edStart WHERE {{
        ?x cg:theme ?theme ; {UP} ?ed . ?ed a cg:ForumEvent ; schema:startDate ?edStart }}""", limit=10**7)
    items: dict[tuple[str, int], set[str]] = defaultdict(set)
    for x, theme, ed_start in res.rows:
        items[(str(theme), int(str(ed_start)[:4]))].add(str(x))
    expected = {k: len(v) for k, v in items.items()}
    got = graph.query("""SELECT ?t ?y ?n WHERE { ?c a cg:ThemeYearCount ; cg:countedTheme ?t ; cg:year ?y ;
                         cg:count ?n FILTER(?n > 0) }""", limit=10**7)
    assert {(str(t), int(y)): int(n) for t, y, n in got.rows} == expected
    assert expected, "the fixture has themed items"


def test_forum_year_is_the_year_of_the_edition_an_item_belongs_to(graph: CultureGraph) -> None:
    """``cg:forumYear`` on the edition and on every session, related event or agreement under it."""
    res = graph.query(f"""SELECT DISTINCT ?x ?edStart WHERE {{
        {{ ?x a cg:ForumEvent }} UNION {{ ?x a cg:Session }} UNION {{ ?x a cg:RelatedEvent }}
        UNION {{ ?x cg:party ?org }} UNION {{ ?p cg:inEvent ?x }}
        ?x {UP} ?ed . ?ed a cg:ForumEvent ; schema:startDate ?edStart }}""", limit=10**7)
    expected: dict[str, set[int]] = defaultdict(set)
    for x, ed_start in res.rows:
        expected[str(x)].add(int(str(ed_start)[:4]))
    got = graph.query("SELECT ?x ?y WHERE { ?x cg:forumYear ?y }", limit=10**7)
    years: dict[str, set[int]] = defaultdict(set)
    for x, y in got.rows:
        years[str(x)].add(int(y))
    assert years == expected
    assert all(len(v) == 1 for v in years.values()), "one forum year per item"
    assert any(str(x) != str(e) for x, e in graph.query(
        "SELECT ?x ?e WHERE { ?x cg:forumYear ?y ; cg:partOfEdition|cg:relatedEdition ?e }").rows)


def test_derived_graph_is_marked_with_provenance(synthetic: CultureGraph) -> None:
    base = synthetic.settings.base_iri
    res = synthetic.query("""SELECT ?g ?activity ?version WHERE {
        GRAPH ?g { ?g a prov:Entity ; prov:wasGeneratedBy ?activity . ?activity a prov:Activity ;
                   prov:wasAssociatedWith/schema:softwareVersion ?version } }""")
    from culturegraph import __version__

    assert [(str(g), str(v)) for g, _, v in res.rows] == [(base + "graph/derived", __version__)]
    used = {str(r[0]) for r in synthetic.query(
        "SELECT ?g WHERE { ?a a prov:Activity ; prov:used ?g }", limit=10**6).rows}
    graphs = {str(r[0]) for r in synthetic.query(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", limit=10**6).rows}
    display = {g for g in graphs if g.startswith(base + "graph/display/")}
    index = base + "graph/index"
    assert used == graphs - display - {base + "graph/ontology", base + "graph/derived", index}
    # the display graphs and the look-up index are outputs too: each generated by the same activity and
    # described in the index graph (a working aid, outside the public dumps)
    generated = {str(r[0]) for r in synthetic.query(
        "SELECT ?g WHERE { GRAPH <" + index + "> { ?g a ?kind ; prov:wasGeneratedBy ?a } "
        "?a a prov:Activity }").rows}
    assert generated == display | {index} and base + "graph/display/en" in display
    # every derived statement sits in the derived graph, the index or a display graph, and nothing else does
    derived = derive(synthetic.ox_quads[:0] + synthetic.ox_quads, base)
    assert {q.graph_name.value for q in derived} == {base + "graph/derived", index} | display
    # the look-up aids are in the index, and only there
    from culturegraph.derived import AID_PREDICATES

    assert {q.graph_name.value for q in derived if q.predicate.value in AID_PREDICATES} == {index}


def test_derived_terms_are_declared_in_the_ontology(synthetic: CultureGraph) -> None:
    onto = Graph().parse(ROOT / "ontology" / "culturegraph.ttl")
    declared = {s for s in onto.subjects() if isinstance(s, URIRef)}
    base = synthetic.settings.base_iri
    quads = [q for q in synthetic.ox_quads if q.graph_name.value == base + "graph/derived"]
    used = {URIRef(q.predicate.value) for q in quads}
    used |= {URIRef(q.object.value) for q in quads if q.predicate.value == str(RDF.type)}
    core = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#")
    assert {t for t in used - declared if not str(t).startswith(core)} == set()
    assert (URIRef("https://w3id.org/culturegraph/ontology#CoParticipation"), RDF.type, OWL.Class) in onto


def test_derivation_is_deterministic(synthetic: CultureGraph) -> None:
    base_quads = [q for q in synthetic.ox_quads if not q.graph_name.value.endswith("/graph/derived")]
    shuffled = list(base_quads)
    random.Random(5).shuffle(shuffled)
    assert derive(base_quads, synthetic.settings.base_iri) == derive(shuffled, synthetic.settings.base_iri)


def test_dumps_include_the_derived_graph(synthetic: CultureGraph) -> None:
    nq = synthetic.dumps()["culturegraph.nq"].decode()
    assert f"<{synthetic.settings.base_iri}graph/derived> .\n" in nq
    assert "#tookPartIn>" in nq
