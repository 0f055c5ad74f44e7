"""culturegraph: an ontology-backed RDF knowledge graph of ASEAN-Korea cultural cooperation.

The public entry point is :class:`culturegraph.api.CultureGraph` (imported lazily so that
``culturegraph --help`` stays fast).
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["CultureGraph", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "CultureGraph":
        from .api import CultureGraph

        return CultureGraph
    raise AttributeError(name)
