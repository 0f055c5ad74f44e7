"""The SHACL gate itself (``validate.shacl_validate``), on graphs the loader would not produce: the checks
that only the shapes make, such as the SPARQL-based ``cgsh:startBeforeEnd``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import XSD

from culturegraph.api import CultureGraph
from culturegraph.namespaces import CG
from culturegraph.validate import shacl_validate

START, END = URIRef("https://schema.org/startDate"), URIRef("https://schema.org/endDate")


def test_an_end_before_the_start_is_caught_for_exactly_the_events_that_have_one(real_copy: Path) -> None:
    """The loader already refuses such dates in YAML; the shapes are the check for any other producer.
    pySHACL runs the constraint once per focus node with one prepared query (validate.py), so with many
    events checked, exactly the two given a bad end must be reported, each at its own record and with its
    own dates; a coarser end that contains the start (2025-11 for 2025-11-08) is not "before"."""
    cg = CultureGraph(real_copy)
    loaded = cg.loaded
    shapes = real_copy / "ontology" / "shapes.ttl"
    assert shacl_validate(loaded, shapes).conforms
    types = {(s, o) for s, p, o, _g in loaded.quads if p == RDF.type}
    starts = {s: (o, g) for s, p, o, g in loaded.quads if p == START}
    edition = min(s for s in starts if (s, CG.Edition) in types)
    side = min(s for s in starts if (s, CG.RelatedEvent) in types)
    checked = [s for s in starts if (s, CG.Edition) in types or (s, CG.RelatedEvent) in types]
    assert len(checked) > 5
    bad = [(s, END, Literal("1999-01-01", datatype=XSD.date), starts[s][1]) for s in (edition, side)]
    report = shacl_validate(replace(loaded, quads=loaded.quads + bad), shapes)
    assert not report.conforms
    hits = {r.focus: r for r in report.violations if "is before start date" in r.message}
    assert set(hits) == {str(edition), str(side)}
    for s in (edition, side):
        assert "1999-01-01" in hits[str(s)].message and str(starts[s][0]) in hits[str(s)].message
        assert hits[str(s)].where.startswith("data/") and ".yaml:" in hits[str(s)].where
    ends = {s for s, p, _o, _g in loaded.quads if p == END}
    open_ended = min(s for s in checked if s not in ends and len(str(starts[s][0])) == 10)
    month = str(starts[open_ended][0])[:7]
    same = [(open_ended, END, Literal(month, datatype=XSD.gYearMonth), starts[open_ended][1])]
    assert shacl_validate(replace(loaded, quads=loaded.quads + same), shapes).conforms
