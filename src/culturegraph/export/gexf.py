"""GEXF export of the entity network (for Gephi), written by :func:`culturegraph.netexport.gexf_bytes`, which
replaces networkx's ``lastmodifieddate`` (today) with the date of the data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .graphml import entity_view

if TYPE_CHECKING:
    from ..api import CultureGraph


def export_gexf(cg: CultureGraph) -> dict[str, bytes]:
    """``culturegraph.gexf``: the entity network with year spells (Gephi's timeline)."""
    from ..netexport import gexf_bytes

    return {"culturegraph.gexf": gexf_bytes(entity_view(cg))}
