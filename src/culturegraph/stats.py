"""``culturegraph stats``: what the graph holds, counted with SPARQL on the loaded store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
    "series": "cg:Series",
    "editions of all series": "cg:SeriesEdition",
    "funds": "cg:Fund",
    "projects": "cg:Project",
    "designated years": "cg:DesignatedYear",
    "heritage sites": "cg:HeritageSite",
    "terms of office": "cg:Tenure",
}

# What belongs to a programme: its editions, their sessions and side events, its documents, its projects'
# phases (the path the field's named queries use, queries/cross-programme-organisations.rq).
PER_PROGRAMME = """
SELECT ?programme ?label (COUNT(DISTINCT ?item) AS ?n) WHERE {
  ?programme a ?class . VALUES ?class { cg:Series cg:Programme cg:Project }
  FILTER NOT EXISTS { ?programme cg:phaseOf [] }
  OPTIONAL { ?item (cg:partOfEdition|cg:relatedEdition|schema:superEvent|cg:adoptedAt)*
                   /(cg:partOfSeries|cg:partOfProgramme|cg:phaseOf)+ ?programme .
             ?item a ?kind . VALUES ?kind { cg:SeriesEdition cg:RelatedEvent cg:Agreement cg:Project } }
  OPTIONAL { GRAPH display:en { ?programme cg:displayLabel ?label } }
} GROUP BY ?programme ?label ORDER BY DESC(?n) ?label ?programme"""


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
    out["places"] = out["countries"] + out["cities"] + out["venues"] + out["heritage sites"]
    # per programme: how many editions, side events, documents and project phases belong to each
    out["per programme"] = {str(r[1] if r[1] is not None else r[0]): int(r[2])
                            for r in cg.query(PER_PROGRAMME).rows}
    out["low-confidence facts"] = int(cg.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s cg:confidence cg:Low }").rows[0][0])
    # counted in the store (not in the YAML), so stats also work on a prebuilt store
    counts = cg.query(
        "SELECT ?kind (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?kind ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
        "BIND(IF(STRENDS(STR(?g), '/graph/derived') || STRENDS(STR(?g), '/graph/index') "
        "|| CONTAINS(STR(?g), '/graph/display/'), 'derived', "
        "IF(STRENDS(STR(?g), '/graph/ontology'), 'ontology', 'data')) AS ?kind) } } } GROUP BY ?kind")
    by_kind = {str(r[0]): int(r[1]) for r in counts.rows}
    out["triples (data)"] = by_kind.get("data", 0)
    out["triples (with ontology)"] = int(cg.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER(!STRENDS(STR(?g), '/graph/derived') && !STRENDS(STR(?g), '/graph/index') "
        "&& !CONTAINS(STR(?g), '/graph/display/')) } }").rows[0][0])
    out["triples (derived)"] = by_kind.get("derived", 0)
    out["named graphs"] = int(cg.query(
        "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s a ?t } "
        "FILTER(!STRENDS(STR(?g), '/graph/derived') && !STRENDS(STR(?g), '/graph/ontology') "
        "&& !STRENDS(STR(?g), '/graph/index')) }").rows[0][0])
    langs = cg.query(
        "SELECT ?lang (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s rdfs:label ?l } "
        "FILTER(!STRENDS(STR(?g), '/graph/ontology') && !STRENDS(STR(?g), '/graph/derived')) "
        "BIND(LANG(?l) AS ?lang) FILTER(?lang != '') } "
        "GROUP BY ?lang ORDER BY DESC(?n) ?lang",
    )
    out["label languages"] = {str(r[0]): int(r[1]) for r in langs.rows}
    return out
