"""GraphML export of the entity network: the network views' ``entity`` projection
(:func:`culturegraph.network.view_for`), written by :func:`culturegraph.netexport.graphml_bytes`."""

from __future__ import annotations

import copy
import dataclasses
from typing import TYPE_CHECKING

from . import shared

if TYPE_CHECKING:
    from ..api import CultureGraph
    from ..network import View


def entity_view(cg: CultureGraph) -> View:
    """The whole entity network, never grouped or thinned: the drawing limits (``view_node_limit``,
    ``view_edge_limit``) are lifted on a shallow copy of the facade, which shares the loaded data and store.
    Built once per :func:`~culturegraph.export.sharing` block (GraphML and GEXF in a release)."""
    from ..network import view_for

    def make() -> View:
        unlimited = copy.copy(cg)
        unlimited.settings = dataclasses.replace(cg.settings, view_node_limit=10**9, view_edge_limit=10**9)
        return view_for(unlimited, "entity", group="none")

    return shared(cg, "entity-view", make)


def export_graphml(cg: CultureGraph) -> dict[str, bytes]:
    """``culturegraph.graphml``: nodes keyed by IRI with label, type and years; typed edges."""
    from ..netexport import graphml_bytes

    return {"culturegraph.graphml": graphml_bytes(entity_view(cg))}
