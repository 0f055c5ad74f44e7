"""A minimal entity network for the GraphML and GEXF exports.

Nodes are the forum's entities (editions, sessions, events, agreements, organisations, people, places,
themes …) with their English label and class; edges are the direct links between them (``hostCity``,
``partOfEdition`` …) plus one edge per participation, from the participant to the event, labelled with
the role. Provenance (``dcterms:source``), typing and inverse links are left out.

This is written here because no shared projection module existed when the exports were written
(``network.py`` was planned); when one exists, the exports should reuse it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..namespaces import CG, RDF

if TYPE_CHECKING:
    import networkx as nx

    from ..api import CultureGraph

#: Classes drawn as nodes, most specific first (a resource gets the first class it has).
NODE_CLASSES: tuple[str, ...] = (
    "Edition", "PrecursorEvent", "Session", "RelatedEvent", "Agreement", "ForumSeries", "Programme",
    "Organisation", "Person", "Theme", "Country", "City", "Venue",
)
SKIPPED = frozenset({str(RDF.type), "http://purl.org/dc/terms/source", str(CG.hasParticipation),
                     "http://www.w3.org/2004/02/skos/core#inScheme", "http://www.w3.org/2004/02/skos/core#narrower",
                     "http://www.w3.org/2004/02/skos/core#hasTopConcept", "http://www.w3.org/2002/07/owl#sameAs"})


def local_name(iri: str) -> str:
    """``https://schema.org/location`` → ``location``; ``…ontology#hostCity`` → ``hostCity``."""
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def entity_graph(cg: CultureGraph) -> nx.MultiDiGraph:
    """The entity network as a networkx ``MultiDiGraph`` (nodes and edges inserted in sorted order)."""
    import networkx as nx

    store = cg.store
    rank = {str(getattr(CG, name)): i for i, name in enumerate(NODE_CLASSES)}
    kinds: dict[str, str] = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), None):
        s, o = q.subject, q.object
        if isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode) and o.value in rank:
            old = kinds.get(s.value)
            if old is None or rank[o.value] < rank[str(getattr(CG, old))]:
                kinds[s.value] = NODE_CLASSES[rank[o.value]]
    edges: set[tuple[str, str, str, str]] = set()  # (source, target, key, relation)
    for s_iri in kinds:
        for q in store.quads_for_pattern(ox.NamedNode(s_iri), None, None):
            o = q.object
            if isinstance(o, ox.NamedNode) and o.value in kinds and q.predicate.value not in SKIPPED:
                rel = local_name(q.predicate.value)
                edges.add((s_iri, o.value, rel, rel))
    participant, in_event, role = (ox.NamedNode(str(CG.participant)), ox.NamedNode(str(CG.inEvent)),
                                   ox.NamedNode(str(CG.role)))
    for q in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(CG.Participation))):
        p = q.subject
        who = next((x.object for x in store.quads_for_pattern(p, participant, None)), None)
        event = next((x.object for x in store.quads_for_pattern(p, in_event, None)), None)
        roles = sorted(local_name(x.object.value) for x in store.quads_for_pattern(p, role, None)
                       if isinstance(x.object, ox.NamedNode))
        if isinstance(who, ox.NamedNode) and isinstance(event, ox.NamedNode) and who.value in kinds \
                and event.value in kinds:
            for r in roles or ["participant"]:
                edges.add((who.value, event.value, f"participation:{r}", r))
    g = nx.MultiDiGraph()
    for iri in sorted(kinds):
        g.add_node(iri, label=cg.label(iri, "en"), kind=kinds[iri])
    for s_iri, o_iri, key, rel in sorted(edges):
        g.add_edge(s_iri, o_iri, key=key, relation=rel)
    return g
