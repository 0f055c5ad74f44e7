"""Export formats: a registry keyed by format name, each format in its own module, imported lazily.

Like rdflib's plugin registry (``rdflib/plugin.py``), ``EXPORTERS`` maps a name to ``(module, function)``;
nothing heavy is imported until a format is used. Every exporter takes the facade and returns
``{file name: bytes}`` (one file for most formats, a folder of tables for ``csv``), serialised
deterministically so the same data gives the same bytes.

>>> sorted(EXPORTERS)[:3]
['aids', 'csv', 'gexf']
>>> FORMATS["turtle"].media_type
'text/turtle'
"""

from __future__ import annotations

import importlib
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import NotFound

if TYPE_CHECKING:
    from ..api import CultureGraph

Exporter = Callable[["CultureGraph"], dict[str, bytes]]


@dataclass(frozen=True)
class Format:
    """What a format is called, its file extension and media type, and whether it is RDF."""

    name: str
    extension: str
    media_type: str
    rdf: bool
    title: str


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("turtle", "ttl", "text/turtle", True, "Turtle (all named graphs merged)"),
    Format("ntriples", "nt", "application/n-triples", True, "N-Triples (all named graphs merged)"),
    Format("nquads", "nq", "application/n-quads", True, "N-Quads (one named graph per record)"),
    Format("trig", "trig", "application/trig", True, "TriG (one named graph per record)"),
    Format("jsonld", "jsonld", "application/ld+json", True, "JSON-LD with the culturegraph @context"),
    Format("rdfxml", "rdf", "application/rdf+xml", True, "RDF/XML (all named graphs merged)"),
    Format("graphml", "graphml", "application/graphml+xml", False, "GraphML entity network"),
    Format("gexf", "gexf", "application/gexf+xml", False, "GEXF entity network (Gephi)"),
    Format("csv", "csv", "text/csv", False, "CSV tables with a data dictionary"),
    # RDF, but not a dump of the dataset (rdf=False keeps it out of RDF_FORMATS): look-up keys and display
    # labels that the named queries read, for loading beside a dump
    Format("aids", "nq", "application/n-quads", False,
           "N-Quads of the working aids the named queries read (look-up keys, display labels; not facts)"),
)}

# name: (module, function). Built-in formats are registered here the same way a plugin would be.
EXPORTERS: dict[str, tuple[str, str]] = {
    "turtle": ("culturegraph.export.rdf", "export_turtle"),
    "ntriples": ("culturegraph.export.rdf", "export_ntriples"),
    "nquads": ("culturegraph.export.rdf", "export_nquads"),
    "trig": ("culturegraph.export.rdf", "export_trig"),
    "rdfxml": ("culturegraph.export.rdf", "export_rdfxml"),
    "jsonld": ("culturegraph.export.jsonld", "export_jsonld"),
    "graphml": ("culturegraph.export.graphml", "export_graphml"),
    "gexf": ("culturegraph.export.gexf", "export_gexf"),
    "csv": ("culturegraph.export.tables", "export_tables"),
    "aids": ("culturegraph.export.rdf", "export_aids"),
}

RDF_FORMATS: tuple[str, ...] = tuple(name for name, f in FORMATS.items() if f.rdf)


def get_exporter(name: str) -> Exporter:
    """The export function of a format; raise :class:`NotFound` for an unknown name."""
    target = EXPORTERS.get(name)
    if target is None:
        raise NotFound(f"unknown export format {name!r} (choose from {', '.join(sorted(EXPORTERS))})")
    module = importlib.import_module(target[0])
    func: Exporter = getattr(module, target[1])
    return func


def export(cg: CultureGraph, fmt: str) -> dict[str, bytes]:
    """Serialise the dataset in ``fmt``: ``{file name: bytes}``."""
    return get_exporter(fmt)(cg)


T = TypeVar("T")
_SHARED: weakref.WeakKeyDictionary[CultureGraph, dict[str, Any]] = weakref.WeakKeyDictionary()


@contextmanager
def sharing(cg: CultureGraph) -> Iterator[None]:
    """Inside the block, exporters of ``cg`` share what :func:`shared` computes (``release`` writes five RDF
    formats from one sort and GraphML and GEXF from one network); it is all dropped when the block ends, so
    a long-lived facade (``serve``) keeps none of it. A nested block leaves it to the outermost one."""
    if cg in _SHARED:
        yield
        return
    _SHARED[cg] = {}
    try:
        yield
    finally:
        for value in _SHARED.pop(cg, {}).values():
            close = getattr(value, "close", None)
            if close is not None:  # a sort on disk (export.sorted_quads) removes its files
                close()


def is_sharing(cg: CultureGraph) -> bool:
    """Whether a :func:`sharing` block for ``cg`` is open."""
    return cg in _SHARED


def shared(cg: CultureGraph, key: str, make: Callable[[], T]) -> T:
    """``make()``, computed once per :func:`sharing` block for ``cg`` (every time outside one)."""
    memo = _SHARED.get(cg)
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = make()
    value: T = memo[key]
    return value


__all__ = ["EXPORTERS", "FORMATS", "RDF_FORMATS", "Format", "export", "get_exporter", "is_sharing", "shared", "sharing"]
