"""The ontology parses, carries its metadata, declares every term the data uses, and matches CG."""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from culturegraph.namespaces import CG, ONTOLOGY_IRI

ROOT = Path(__file__).resolve().parents[1]
ONTO = ROOT / "ontology" / "culturegraph.ttl"
NS = ONTOLOGY_IRI + "#"


def onto() -> Graph:
    return Graph().parse(ONTO, format="turtle")


def test_ontology_metadata() -> None:
    g = onto()
    o = URIRef(ONTOLOGY_IRI)
    assert (o, RDF.type, OWL.Ontology) in g
    assert g.value(o, OWL.versionIRI) is not None
    for prop in (DCTERMS.title, DCTERMS.description, RDFS.label, RDFS.comment):
        langs = {lit.language for lit in g.objects(o, prop)}
        assert {"en", "ko", "id"} <= langs, (prop, langs)
    for prop in (DCTERMS.license, DCTERMS.created, DCTERMS.modified):
        assert g.value(o, prop) is not None, prop


def test_every_class_and_property_has_labels_in_three_languages() -> None:
    g = onto()
    terms = [s for s in g.subjects(RDF.type, OWL.Class) if str(s).startswith(NS)]
    terms += [s for t in (OWL.ObjectProperty, OWL.DatatypeProperty) for s in g.subjects(RDF.type, t)
              if str(s).startswith(NS)]
    assert len(terms) > 50
    for t in terms:
        langs = {lit.language for lit in g.objects(t, RDFS.label)}
        assert {"en", "ko", "id"} <= langs, t
        assert any(lit.language == "en" for lit in g.objects(t, RDFS.comment)), t


def test_reuses_standard_vocabularies() -> None:
    g = onto()
    supers = {str(o) for o in g.objects(None, RDFS.subClassOf)}
    for std in ("https://schema.org/Event", "https://schema.org/EventSeries", "https://schema.org/Place",
                "https://schema.org/City", "https://schema.org/Country", "https://schema.org/Organization",
                "https://schema.org/Person", "http://www.w3.org/ns/org#Organization",
                "http://www.w3.org/ns/prov#Entity", "http://www.w3.org/2004/02/skos/core#Concept"):
        assert std in supers, std


def test_namespace_matches_ontology() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from gen_namespace import ontology_terms

    declared = set(ontology_terms(ONTO))
    in_code = {name for name in CG.__annotations__}
    assert declared == in_code, (declared ^ in_code)


def test_every_term_the_data_uses_is_declared(cg) -> None:
    """Reserved vocabulary (rdf:, rdfs:, owl:, xsd:) is built into OWL 2 and never declared: how the data uses
    it is tests/test_owl_profile.py's business."""
    g = onto()
    declared = {s for s in g.subjects() if isinstance(s, URIRef)}
    used_preds = {q[1] for q in cg.loaded.quads} - {RDF.type}
    used_classes = {q[2] for q in cg.loaded.quads if q[1] == RDF.type}
    used_concepts = {q[2] for q in cg.loaded.quads if isinstance(q[2], URIRef) and str(q[2]).startswith(NS)}
    missing = {t for t in used_preds | used_classes | used_concepts if t not in declared and not reserved(t)}
    assert not missing, sorted(missing)
    assert not [t for t in declared if reserved(t)]


def reserved(term: URIRef) -> bool:
    return str(term).startswith((str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#"))
