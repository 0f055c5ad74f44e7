"""Views in a notebook: inline display, and a pyvis ``Network`` to customise with pyvis's own API.

``View._repr_html_`` shows the same offline page as ``culturegraph viz`` (vendored vis-network, no request
leaves the machine) in an ``<iframe srcdoc>``, so a notebook displays a view by evaluating it.

``View.to_pyvis()`` fills a ``pyvis.network.Network`` from the view's own node and edge lists — node by
node, never ``Network.from_nx`` (which walks every node's neighbours for every edge, quadratic on a big
view). pyvis is an optional extra (``pip install 'culturegraph[notebook]'``): it brings IPython and its
dependencies, which the command line and the server do not need. Two caveats, both pyvis's: its pages load
vis.js from a CDN unless ``cdn_resources="in_line"`` is chosen (the default here), and it shows a node's
``title`` as HTML, so titles are given escaped.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .network import View


def repr_html(view: View) -> str:
    """The view's offline page in an iframe (``srcdoc``: the page and its scripts stay self-contained)."""
    from .viewhtml import render_html

    page = render_html(view).decode("utf-8")
    return (f'<iframe srcdoc="{html.escape(page, quote=True)}" style="width:100%;height:640px;border:0" '
            f'sandbox="allow-scripts" title="{html.escape(view.title, quote=True)}"></iframe>')


def to_pyvis(view: View, **network_options: Any) -> Any:
    """A ``pyvis.network.Network`` with the view's nodes (label, class, colour, shape, size, fixed position
    for the timeline and grid layouts) and edges (relation, weight). Options go to ``Network(...)``."""
    try:
        from pyvis.network import Network
    except ImportError as exc:  # the optional extra
        raise ImportError("View.to_pyvis() needs pyvis: pip install 'culturegraph[notebook]'") from exc
    from .network import STYLES

    options = {"cdn_resources": "in_line", "height": "640px", "width": "100%", **network_options}
    net = Network(**options)
    g = view.graph
    for n, d in g.nodes(data=True):
        style = STYLES.get(d["type"], STYLES["Group"])
        extra: dict[str, Any] = {}
        if view.positions and n in view.positions:
            x, y = view.positions[n]
            extra.update(x=x, y=y, physics=False)
        net.add_node(n, label=d["label"], shape=style.shape, color=style.color,
                     title=html.escape(f"{d.get('type_label', d['type'])}: {d.get('full_label', d['label'])}"),
                     value=d.get("size", 1), group=d["type"], **extra)
    for u, v, d in g.edges(data=True):
        net.add_edge(u, v, title=html.escape(", ".join(d.get("relations", ()))), value=d.get("weight", 1))
    if view.positions:
        net.toggle_physics(False)
    return net
