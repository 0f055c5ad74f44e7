"""RDF dumps in Turtle, N-Triples, N-Quads, TriG and RDF/XML, from one sort on disk (:mod:`.sorted_quads`).

The dumps hold the ontology, the data and the derived analytics (``graph/derived``): the public graphs.
Dataset formats (N-Quads, TriG) keep one named graph per record (``{base}graph/{kind}/{id}``); triple formats
merge them. The working aids the server and the named queries read (``graph/index``, ``graph/display/*``:
look-up keys and display labels, not facts) are left out, and written on their own by :func:`export_aids`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import is_sharing, shared
from .sorted_quads import aid_graphs_only, public_graphs

if TYPE_CHECKING:
    import pyoxigraph as ox

    from ..api import CultureGraph
    from .sorted_quads import SortedQuads

EXTENSIONS = {"turtle": "ttl", "ntriples": "nt", "nquads": "nq", "trig": "trig", "rdfxml": "rdf"}
AIDS_FILE = "culturegraph-aids.nq"


def _sorted(cg: CultureGraph) -> SortedQuads:
    """The dataset's quads sorted on disk (:meth:`CultureGraph.sorted_quads`): one sort per
    :func:`~culturegraph.export.sharing` block, removed with it (or when collected)."""
    return shared(cg, "sorted-quads", cg.sorted_quads)


def dump(cg: CultureGraph, fmt: str, *, aids: bool = False) -> bytes:
    """The public graphs (ontology, data, derived analytics) in one of the formats of
    :data:`culturegraph.io.FORMATS` — or, with ``aids``, only the working-aid graphs. Within
    :func:`~culturegraph.export.sharing` the formats share one sort."""
    base = cg.settings.base_iri
    keep = aid_graphs_only(base) if aids else public_graphs(base)
    if is_sharing(cg):
        return _sorted(cg).dump(fmt, base, keep)
    with cg.sorted_quads() as sq:
        return sq.dump(fmt, base, keep)


def triples(cg: CultureGraph) -> list[ox.Triple]:
    """The public graphs' distinct triples in dump order (the JSON-LD export's and VoID's input)."""
    keep = public_graphs(cg.settings.base_iri)
    if is_sharing(cg):
        return list(_sorted(cg).triples(keep))
    with cg.sorted_quads() as sq:
        return list(sq.triples(keep))


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


def export_aids(cg: CultureGraph) -> dict[str, bytes]:
    """N-Quads of the working-aid graphs only: load it beside a dump to run the named queries elsewhere."""
    return {AIDS_FILE: dump(cg, "nquads", aids=True)}
