"""GEXF export of the entity network (:mod:`culturegraph.export.entitygraph`), for Gephi."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from .entitygraph import entity_graph

if TYPE_CHECKING:
    from ..api import CultureGraph


def export_gexf(cg: CultureGraph, *, modified: str | None = None) -> dict[str, bytes]:
    """``culturegraph.gexf``. networkx stamps ``lastmodifieddate`` with today's date; it is replaced by
    ``modified`` (the release date, ``YYYY-MM-DD``) or removed, so the bytes do not depend on the day."""
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is not None:
        if modified:
            meta.set("lastmodifieddate", modified)
        else:
            del meta.attrib["lastmodifieddate"]
    writer.add_graph(entity_graph(cg))
    buf = io.BytesIO()
    writer.write(buf)
    return {"culturegraph.gexf": buf.getvalue()}
