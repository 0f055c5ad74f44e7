"""``culturegraph stats``: what the graph holds, counted with SPARQL on the loaded store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rdflib import URIRef

if TYPE_CHECKING:
    from .api import CultureGraph

CLASS_COUNTS = {
    "events": "cg:ForumEvent",
    "editions": "cg:Edition",
    "precursor events": "cg:PrecursorEvent",
    "sessions": "cg:Session",
    "related events": "cg:RelatedEvent",
    "programmes": "cg:Programme",
    "agreements": "cg:Agreement",
    "participations": "cg:Participation",
    "people": "cg:Person",
    "organisations": "cg:Organisation",
    "countries": "cg:Country",
    "cities": "cg:City",
    "venues": "cg:Venue",
    "themes": "cg:Theme",
    "sources": "cg:Source",
    "conflicts": "cg:Conflict",
    "claims": "cg:Claim",
}


def compute_stats(cg: CultureGraph) -> dict[str, Any]:
    """Counts per class, triples, label languages, low-confidence facts."""
    out: dict[str, Any] = {}
    values = " ".join(f"({c})" for c in CLASS_COUNTS.values())
    res = cg.query(
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES (?c) {{ {values} }} ?s a ?c }} GROUP BY ?c"
    )
    by_class = {str(r[0]): int(r[1]) for r in res.rows}
    prefix = "https://w3id.org/culturegraph/ontology#"
    for name, curie in CLASS_COUNTS.items():
        out[name] = by_class.get(prefix + curie[3:], 0)
    out["places"] = out["countries"] + out["cities"] + out["venues"]
    out["low-confidence facts"] = int(cg.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s cg:confidence cg:Low }").rows[0][0])
    out["triples (data)"] = len({(q[0], q[1], q[2]) for q in cg.loaded.quads})
    out["triples (with ontology)"] = len({(q.subject, q.predicate, q.object) for q in cg.ox_quads})
    out["named graphs"] = len({q[3] for q in cg.loaded.quads})
    langs = cg.query(
        "SELECT ?lang (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s rdfs:label ?l } "
        "FILTER(?g != ?ontology) BIND(LANG(?l) AS ?lang) FILTER(?lang != '') } "
        "GROUP BY ?lang ORDER BY DESC(?n) ?lang",
        params={"ontology": URIRef(cg.settings.base_iri + "graph/ontology")},
    )
    out["label languages"] = {str(r[0]): int(r[1]) for r in langs.rows}
    return out
