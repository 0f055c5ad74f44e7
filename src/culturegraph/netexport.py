"""A :class:`~culturegraph.network.View` as GraphML or GEXF for analysts (Gephi, Cytoscape, yEd, igraph).

Both are written with networkx's own writers from a copy of the view whose attributes are flattened to
scalars (lists joined with ``"; "``). GEXF is *dynamic*: every node and edge with years gets one spell per
run of consecutive years (``YYYY-01-01``–``YYYY-12-31``, ``timeformat="date"``), so Gephi's timeline
shows the network growing edition by edition; undated items have no spell and are always present. The only
time-dependent thing networkx writes — ``meta/@lastmodifieddate`` (today) — is replaced by the date of the
data, so the same data gives the same bytes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from .network import View

SEP = "; "
XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _flat(value: Any) -> str | int | float | bool:
    if value is None:
        return ""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set):
        return SEP.join(str(_flat(v)) for v in value)
    return str(value)


def flat_graph(view: View) -> nx.Graph:
    """The view with scalar attributes only (what GraphML and GEXF can hold)."""
    import networkx as nx

    g = view.graph
    out = nx.Graph(name=f"culturegraph {view.preset.name}", data_date=view.data_date,
                   filters=view.subtitle or "none")
    for n, d in g.nodes(data=True):
        out.add_node(n, label=d["label"], type=d["type"], type_label=d.get("type_label", d["type"]),
                     years=_flat(d.get("years", [])), start_date=_flat(d.get("start")),
                     end_date=_flat(d.get("end")),
                     record_id=_flat(d.get("id", "")), country=_flat(d.get("country", "")),
                     sources=" ".join(url for url, _ in d.get("sources", ())), size=float(d.get("size", 0)),
                     degree=int(d.get("degree", 0)))
    for u, v, d in g.edges(data=True):
        out.add_edge(u, v, label=_flat(d.get("label", "")), relations=_flat(d.get("relations", [])),
                     weight=float(d.get("weight", 1)), years=_flat(d.get("years", [])),
                     events=_flat(d.get("events", [])), sources=" ".join(url for url, _ in d.get("sources", ())))
    return out


def graphml_bytes(view: View) -> bytes:
    """GraphML (UTF-8), attributes declared with their types."""
    import networkx as nx

    text = "\n".join(nx.generate_graphml(flat_graph(view), encoding="utf-8", prettyprint=True,
                                         named_key_ids=True))
    return (XML_DECL + text + "\n").encode("utf-8")


def spells(years: list[int]) -> list[tuple[str, str]]:
    """``[2020, 2021, 2023]`` → ``[("2020-01-01", "2021-12-31"), ("2023-01-01", "2023-12-31")]``."""
    out: list[tuple[str, str]] = []
    run: list[int] = []
    for y in sorted(set(years)):
        if run and y != run[-1] + 1:
            out.append((f"{run[0]:04d}-01-01", f"{run[-1]:04d}-12-31"))
            run = []
        run.append(y)
    if run:
        out.append((f"{run[0]:04d}-01-01", f"{run[-1]:04d}-12-31"))
    return out


def gexf_bytes(view: View) -> bytes:
    """Dynamic GEXF 1.2 with year spells on nodes and edges (see module docstring)."""
    import networkx as nx

    g = flat_graph(view)
    for n, d in view.graph.nodes(data=True):
        if d.get("years"):
            g.nodes[n]["spells"] = spells(d["years"])
    for u, v, d in view.graph.edges(data=True):
        if d.get("years"):
            g.edges[u, v]["spells"] = spells(d["years"])
    g.graph.pop("name", None)  # GEXF has no graph attributes; keep meta clean
    text = "\n".join(nx.generate_gexf(g, encoding="utf-8", prettyprint=True, version="1.2draft"))
    date = view.data_date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", view.data_date or "") else ""
    text = re.sub(r' lastmodifieddate="[^"]*"', f' lastmodifieddate="{date}"' if date else "", text, count=1)
    return (XML_DECL + text + "\n").encode("utf-8")


FORMATS = {"graphml": graphml_bytes, "gexf": gexf_bytes}
