"""Views in a notebook (issue 28): inline display, and pyvis as a real, optional tool."""

from __future__ import annotations

import html
import re

from culturegraph.network import view_for
from tests.server_helpers import XSS_LABEL


def test_a_view_displays_inline_as_the_offline_page(cg) -> None:
    view = view_for(cg, "countries")
    out = view._repr_html_()
    assert out.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in out
    page = html.unescape(re.search(r'srcdoc="([^"]*)"', out).group(1))
    assert "default-src 'none'" in page and "connect-src 'none'" in page  # the same offline page as viz


def test_to_pyvis_fills_a_network_from_the_view(cg) -> None:
    view = view_for(cg, "field")
    net = view.to_pyvis()
    assert len(net.nodes) == view.graph.number_of_nodes() and len(net.edges) == view.graph.number_of_edges()
    fly = next(n for n in net.nodes if n["id"].endswith("/series/fly"))
    assert fly["label"].startswith("ASEAN-ROK Film Leaders Incubator")
    assert fly["x"] == view.positions[fly["id"]][0] and fly["physics"] is False  # the grid layout is kept
    assert net.cdn_resources == "in_line"  # pyvis would otherwise load vis.js from a CDN


def test_to_pyvis_escapes_titles(tmp_path_factory) -> None:
    from culturegraph.api import CultureGraph
    from tests.server_helpers import xss_project

    cg = CultureGraph(xss_project(tmp_path_factory.mktemp("nb") / "project"))
    net = view_for(cg, "entity").to_pyvis()
    titles = " ".join(n["title"] for n in net.nodes)
    assert XSS_LABEL not in titles and html.escape(XSS_LABEL) in titles
