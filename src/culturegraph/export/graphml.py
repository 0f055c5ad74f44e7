"""GraphML export of the entity network (:mod:`culturegraph.export.entitygraph`), via networkx."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .entitygraph import entity_graph

if TYPE_CHECKING:
    from ..api import CultureGraph


def export_graphml(cg: CultureGraph) -> dict[str, bytes]:
    """``culturegraph.graphml``: nodes keyed by IRI with ``label`` and ``kind``; edges with ``relation``."""
    import networkx as nx

    text = "\n".join(nx.generate_graphml(entity_graph(cg), encoding="utf-8", prettyprint=True))
    return {"culturegraph.graphml": (text + "\n").encode("utf-8")}
