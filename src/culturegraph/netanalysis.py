"""Network analysis of a view, and the shortest explained connection between two entities.

- :func:`analyze`: degree and betweenness centrality, communities (networkx Louvain, fixed seed) and bridges
  (edges whose removal splits a connected part of the network).
- :func:`explain_path`: the shortest chain of statements between two entities in the entity graph (where a
  participation is one statement: *person → role → event*), each statement with the sources that state it
  — those of its ``cg:Claim`` when the statement is annotated, else those of the record (or participation)
  that makes it.
"""

from __future__ import annotations

import contextlib
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import CultureGraph
    from .network import View

SEED = 42


@dataclass
class Analysis:
    """What :func:`analyze` found (plain data; ``as_dict`` for JSON)."""

    preset: str
    nodes: int
    edges: int
    components: int
    degree: list[tuple[str, str, int]] = field(default_factory=list)  # (id, label, degree)
    betweenness: list[tuple[str, str, float]] = field(default_factory=list)
    communities: list[list[tuple[str, str]]] = field(default_factory=list)  # members (id, label), largest first
    bridges: list[tuple[str, str, str]] = field(default_factory=list)  # (label u, relation, label v)
    modularity: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "preset": self.preset, "nodes": self.nodes, "edges": self.edges, "components": self.components,
            "degree": [{"id": i, "label": lbl, "degree": d} for i, lbl, d in self.degree],
            "betweenness": [{"id": i, "label": lbl, "betweenness": b} for i, lbl, b in self.betweenness],
            "communities": [[{"id": i, "label": lbl} for i, lbl in c] for c in self.communities],
            "modularity": self.modularity,
            "bridges": [{"from": a, "relation": r, "to": b} for a, r, b in self.bridges],
        }


def analyze(view: View, top: int = 10) -> Analysis:
    """Centralities, Louvain communities (``seed=42``) and bridges of a view's graph."""
    import networkx as nx

    g = view.graph
    rid = {n: d.get("id") or n for n, d in g.nodes(data=True)}
    label = {n: d["label"] for n, d in g.nodes(data=True)}
    out = Analysis(view.preset.name, g.number_of_nodes(), g.number_of_edges(),
                   nx.number_connected_components(g) if g.number_of_nodes() else 0)
    deg = sorted(g.degree, key=lambda nd: (-nd[1], label[nd[0]], nd[0]))
    out.degree = [(rid[n], label[n], int(d)) for n, d in deg[:top]]
    if g.number_of_nodes() > 2:
        bet = nx.betweenness_centrality(g, normalized=True)
        ranked = sorted(bet.items(), key=lambda nb: (-nb[1], label[nb[0]], nb[0]))
        out.betweenness = [(rid[n], label[n], round(b, 4)) for n, b in ranked[:top]]
    if g.number_of_edges():
        comms = nx.community.louvain_communities(g, weight="weight", seed=SEED)
        comms = sorted((sorted(c) for c in comms), key=lambda c: (-len(c), c[0]))
        out.modularity = round(nx.community.modularity(g, comms, weight="weight"), 4)
        out.communities = [[(rid[n], label[n]) for n in sorted(c, key=lambda n: (-g.degree(n), label[n], n))]
                           for c in comms]
        bridges = sorted(tuple(sorted(e)) for e in nx.bridges(g))
        out.bridges = [(label[u], g.edges[u, v].get("label", ""), label[v]) for u, v in bridges]
    return out


@dataclass
class Step:
    """One statement of a path: ``subject —relation→ object``, with its sources ``(url, title)``."""

    subject: str
    relation: str
    object: str
    sources: list[tuple[str, str]]


#: Classes that connect almost everything (every speaker has a nationality, every edition a country and a
#: theme): a path through one of them says nothing a policy officer could use, so by default none carries one
HUBS = frozenset({"Country", "City", "Theme"})


def explain_path(cg: CultureGraph, a: str, b: str, *, lang: str = "en", through_hubs: bool = False) -> list[Step]:
    """The shortest connection between entities ``a`` and ``b`` (ids, prefixed names or IRIs) in the entity
    graph, as statements with sources. Countries, cities and themes (:data:`HUBS`) are left out of the middle
    of the chain unless ``through_hubs`` (or unless no other chain exists); ties are broken deterministically
    (sorted graph, BFS order).

    :raises NotFound: an unknown entity, or no connection between the two.
    """
    import networkx as nx

    from .errors import NotFound
    from .netindex import get_index, resolve_entity
    from .network import ViewOptions, canonical
    from .projections import entity_graph

    start, end = resolve_entity(cg, a), resolve_entity(cg, b)
    idx = get_index(cg)
    g = canonical(entity_graph(idx, ViewOptions(preset="entity", lang=lang)))
    nodes = None
    if not through_hubs:
        keep = [n for n, d in g.nodes(data=True) if d["type"] not in HUBS or n in (start, end)]
        with contextlib.suppress(nx.NetworkXNoPath):
            nodes = nx.shortest_path(canonical(g.subgraph(keep)), start, end)
    if nodes is None:
        try:
            nodes = nx.shortest_path(g, start, end)
        except nx.NetworkXNoPath:
            raise NotFound(f"{idx.label(start, lang)} and {idx.label(end, lang)} are not connected") from None
    steps: list[Step] = []
    for u, v in itertools.pairwise(nodes):
        statements = g.edges[u, v]["statements"]
        s, rel, o, srcs = next(((s, r, o, x) for s, r, o, x in statements if (s, o) == (u, v)), statements[0])
        info = idx.source_info
        sources = sorted({(info.get(x, ("", "", ""))[0] or x, info.get(x, ("", x, ""))[1] or x) for x in srcs})
        steps.append(Step(idx.label(s, lang), rel, idx.label(o, lang), sources))
    return steps


def format_path(steps: list[Step]) -> list[str]:
    """Readable lines: one per statement, each followed by its sources."""
    lines: list[str] = []
    for i, st in enumerate(steps, 1):
        lines.append(f"{i}. {st.subject} —{st.relation}→ {st.object}")
        for url, title in st.sources:
            lines.append(f"     source: {title} <{url}>" if title != url else f"     source: <{url}>")
        if not st.sources:
            lines.append("     source: (none recorded)")
    return lines
