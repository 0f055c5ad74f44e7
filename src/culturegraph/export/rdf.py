"""RDF dumps in Turtle, N-Triples, N-Quads, TriG and RDF/XML, through :func:`culturegraph.io.serialize`.

The dumps hold the ontology and the data. Dataset formats (N-Quads, TriG) keep one named graph per
record (``{base}graph/{kind}/{id}``); triple formats merge them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..io import dump_orders, serialize, sorted_triples
from . import is_sharing, shared

if TYPE_CHECKING:
    import pyoxigraph as ox

    from ..api import CultureGraph

EXTENSIONS = {"turtle": "ttl", "ntriples": "nt", "nquads": "nq", "trig": "trig", "rdfxml": "rdf"}


def dump(cg: CultureGraph, fmt: str) -> bytes:
    """The whole dataset (ontology + data) in one of the formats of :data:`culturegraph.io.FORMATS`.
    Within :func:`~culturegraph.export.sharing` the formats share one sort (:func:`~culturegraph.io.dump_orders`)."""
    if not is_sharing(cg):
        return serialize(cg.ox_quads, fmt, cg.settings.base_iri)
    orders = shared(cg, "dump-orders", lambda: dump_orders(cg.ox_quads))
    return serialize(orders.of(fmt), fmt, cg.settings.base_iri, presorted=True)


def triples(cg: CultureGraph) -> list[ox.Triple]:
    """The graph's distinct triples in dump order (the JSON-LD export's input); within
    :func:`~culturegraph.export.sharing`, the dumps' own sort."""
    if not is_sharing(cg):
        return sorted_triples(cg.ox_quads)
    return shared(cg, "dump-orders", lambda: dump_orders(cg.ox_quads)).triples


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
