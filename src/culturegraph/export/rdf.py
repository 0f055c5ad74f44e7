"""RDF dumps in Turtle, N-Triples, N-Quads, TriG and RDF/XML, from one sort on disk (:mod:`.sorted_quads`).

The dumps hold the ontology and the data. Dataset formats (N-Quads, TriG) keep one named graph per
record (``{base}graph/{kind}/{id}``); triple formats merge them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import is_sharing, shared

if TYPE_CHECKING:
    import pyoxigraph as ox

    from ..api import CultureGraph
    from .sorted_quads import SortedQuads

EXTENSIONS = {"turtle": "ttl", "ntriples": "nt", "nquads": "nq", "trig": "trig", "rdfxml": "rdf"}


def _sorted(cg: CultureGraph) -> SortedQuads:
    """The dataset's quads sorted on disk (:meth:`CultureGraph.sorted_quads`): one sort per
    :func:`~culturegraph.export.sharing` block, removed with it (or when collected)."""
    return shared(cg, "sorted-quads", cg.sorted_quads)


def dump(cg: CultureGraph, fmt: str) -> bytes:
    """The whole dataset (ontology + data) in one of the formats of :data:`culturegraph.io.FORMATS`;
    the same bytes ``build`` writes for the same format. Within :func:`~culturegraph.export.sharing` the
    formats share one sort."""
    if is_sharing(cg):
        return _sorted(cg).dump(fmt, cg.settings.base_iri)
    with cg.sorted_quads() as sq:
        return sq.dump(fmt, cg.settings.base_iri)


def triples(cg: CultureGraph) -> list[ox.Triple]:
    """The graph's distinct triples in dump order (the JSON-LD export's input)."""
    if is_sharing(cg):
        return list(_sorted(cg).triples())
    with cg.sorted_quads() as sq:
        return list(sq.triples())


def _one(cg: CultureGraph, fmt: str) -> dict[str, bytes]:
    return {f"culturegraph.{EXTENSIONS[fmt]}": dump(cg, fmt)}


def export_turtle(cg: CultureGraph) -> dict[str, bytes]:
    """Turtle, named graphs merged."""
    return _one(cg, "turtle")


def export_ntriples(cg: CultureGraph) -> dict[str, bytes]:
    """N-Triples, named graphs merged, one sorted triple per line."""
    return _one(cg, "ntriples")


def export_nquads(cg: CultureGraph) -> dict[str, bytes]:
    """N-Quads, one named graph per record."""
    return _one(cg, "nquads")


def export_trig(cg: CultureGraph) -> dict[str, bytes]:
    """TriG, one named graph per record."""
    return _one(cg, "trig")


def export_rdfxml(cg: CultureGraph) -> dict[str, bytes]:
    """RDF/XML, named graphs merged."""
    return _one(cg, "rdfxml")
