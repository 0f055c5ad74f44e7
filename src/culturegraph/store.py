"""Query engines behind the facade.

The default engine is pyoxigraph's in-memory ``Store`` (10–90× faster than rdflib's SPARQL on this kind of
graph, see ``../shared/PERFORMANCE.md``). Queries see the union of all named graphs as their default graph.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

OxQuad = ox.Quad
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def to_ox(term: Node) -> OxTerm:
    """rdflib term → pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"cannot convert {term!r}")


def from_ox(term: OxTerm | None) -> Node | None:
    """pyoxigraph term → rdflib term (None stays None)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"cannot convert {term!r}")


def to_ox_quads(quads: Iterable[tuple[Node, Node, Node, Node]]) -> list[OxQuad]:
    """rdflib quads → pyoxigraph quads (terms are converted once each)."""
    cache: dict[Node, OxTerm] = {}

    def conv(t: Node) -> OxTerm:
        r = cache.get(t)
        if r is None:
            r = cache[t] = to_ox(t)
        return r

    return [ox.Quad(conv(s), conv(p), conv(o), conv(g)) for s, p, o, g in quads]  # type: ignore[arg-type]


def oxigraph_store(quads: list[OxQuad], path: str | None = None) -> ox.Store:
    """An Oxigraph store holding ``quads`` (in memory, or on disk at ``path``)."""
    store = ox.Store(path) if path else ox.Store()
    store.extend(quads)
    return store
