"""Views at scale: the shortcuts a projection takes when the view will be grouped or thinned to its
strongest links, and the ego view drawn from its neighbourhood alone, must give exactly what the plain
construction gives.

Each test builds the same view twice, once the plain way (every edge with its tooltips, the ego cut out of
the whole entity graph by networkx) and once the way ``build_view`` does it, on the real data and on a
synthetic project, and compares node and edge attributes.
"""

from __future__ import annotations

import networkx as nx
import pytest

from culturegraph.api import CultureGraph
from culturegraph.netindex import get_index
from culturegraph.network import ViewOptions, canonical, get_preset, group_nodes
from culturegraph.projections import entity_graph

from .conftest import synthetic_graph


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> CultureGraph:
    return synthetic_graph(tmp_path_factory, "viewscale", seed=5, editions=6, sessions_per_edition=4,
                           people_per_session=4, people=50, organisations=25, sources=5, themes=8, cities=3)


def _hub(graph: CultureGraph) -> str:
    synthetic = (graph.root / "data" / "editions" / "00001.yaml").is_file()
    return f"{graph.settings.base_iri}id/organisation/" + ("synth-org-00001" if synthetic else "kofice")


def _second_year(graph: CultureGraph) -> int:
    """The second year the data has a forum event in (a --from that leaves some out)."""
    idx = get_index(graph)
    return sorted({y for e in idx.of_type("Edition", "PrecursorEvent") if (y := idx.year(e))})[1]


def _data(g: nx.Graph) -> tuple[list, list]:
    nodes = [(n, sorted(d.items())) for n, d in sorted(g.nodes(data=True))]
    edges = [(tuple(sorted((u, v))), sorted(d.items())) for u, v, d in g.edges(data=True)]
    return nodes, sorted(edges)


@pytest.mark.parametrize(("preset", "key", "kwargs"), [
    ("organisations", "country", {}),
    ("organisations", "country", {"year_from": "second"}),
    ("organisations", "type", {}),
    ("entity", "type", {}),
    ("entity", "country", {"types": ("Person", "Organisation")}),
    ("people", "country", {}),
    ("themes", "type", {}),
])
def test_a_view_that_will_be_grouped_groups_the_same_without_details(graph, preset, key, kwargs):
    idx = get_index(graph)
    if kwargs.get("year_from") == "second":
        kwargs = {**kwargs, "year_from": _second_year(graph)}
    build = get_preset(preset).build
    full = build(idx, ViewOptions(preset=preset, **kwargs))
    lean = build(idx, ViewOptions(preset=preset, detail_limit=3, **kwargs))
    assert full.number_of_edges() > 0, "the view should have edges to group"
    # the lean projection really left the tooltips out: its links come as edition cliques or plain pairs
    assert lean.number_of_edges() == 0 and ("cliques" in lean.graph or "pairs" in lean.graph)
    assert not any(d["sources"] for _, d in lean.nodes(data=True))
    assert any(d["statements"] for *_, d in full.edges(data=True))
    if preset != "organisations":  # the same links with the same weights and years, only the citations left out
        assert lean.graph["pairs"] == [(u, v, d["weight"], d["years"]) for u, v, d in full.edges(data=True)]
    types = kwargs.get("types")

    def grouped(g: nx.Graph) -> nx.Graph:
        if types:  # as build_view applies --type before grouping
            g = canonical(g.subgraph([n for n, d in g.nodes(data=True) if d["type"] in types]))
        return group_nodes(idx, g, key, "en", {})

    a, b = grouped(full), grouped(lean)
    assert a.number_of_edges() > 0 or key == "type"
    assert _data(a) == _data(b)
    assert list(a.edges) == list(b.edges), "edges are inserted in the same (sorted) order"


def test_organisation_cliques_sum_to_the_pair_weights(graph):
    """Grouped by country, an edge's weight is the sum of its organisation pairs' shared editions."""
    idx = get_index(graph)
    build = get_preset("organisations").build
    full = build(idx, ViewOptions(preset="organisations"))
    lean = build(idx, ViewOptions(preset="organisations", detail_limit=3))
    country = nx.get_node_attributes(full, "country")
    expected: dict[tuple[str, str], int] = {}
    for u, v, d in full.edges(data=True):
        cu, cv = country[u] or "unknown", country[v] or "unknown"
        if cu != cv:
            pair = (min(cu, cv), max(cu, cv))
            expected[pair] = expected.get(pair, 0) + d["weight"]
    got = group_nodes(idx, lean, "country", "en", {})
    members = {n: d for n, d in got.nodes(data=True)}

    def cid(n: str) -> str:
        tail = n.removeprefix("country:")
        return "unknown" if tail == "unknown" else idx.base + "id/" + tail

    assert members and expected
    assert {(min(cid(u), cid(v)), max(cid(u), cid(v))): d["weight"] for u, v, d in got.edges(data=True)} == expected


@pytest.mark.parametrize("kwargs", [{"radius": 1}, {"radius": 2}, {"radius": 2, "types": ("Person",)},
                                    {"radius": 2, "year_from": "second"}])
def test_ego_view_equals_the_neighbourhood_cut_from_the_whole_entity_graph(graph, kwargs):
    idx = get_index(graph)
    centre = _hub(graph)
    if kwargs.get("year_from") == "second":
        kwargs = {**kwargs, "year_from": _second_year(graph)}
    o = ViewOptions(preset="ego", entity=centre, **kwargs)
    whole = entity_graph(idx, o)
    ego = nx.ego_graph(whole, centre, radius=o.radius)
    keep = [n for n, d in ego.nodes(data=True) if n == centre or not o.types or d["type"] in o.types]
    expected = canonical(ego.subgraph(keep))
    got = get_preset("ego").build(idx, o)
    assert got.nodes[centre].pop("center") is True
    assert expected.number_of_nodes() > 1
    assert _data(got) == _data(expected)
    assert list(got.nodes) == list(expected.nodes) and list(got.edges) == list(expected.edges)


# ---------------------------------------------------------------------------- the edge budget
@pytest.mark.parametrize("preset", ["organisations", "themes", "entity"])
def test_over_the_edge_limit_only_the_strongest_links_are_drawn(graph, preset):
    whole = graph.projection(preset, group="none").graph  # the real and synthetic views fit the node limit
    weights = sorted((d["weight"] for *_, d in whole.edges(data=True)), reverse=True)
    limit = max(1, whole.number_of_edges() // 4)
    small = CultureGraph(graph.root, view_edge_limit=limit)
    view = small.projection(preset, group="none")
    w = view.min_weight
    assert w is not None and w > 1, "a quarter of the links should need a threshold"
    kept = [(tuple(sorted(e[:2])), sorted(e[2].items())) for e in whole.edges(data=True) if e[2]["weight"] >= w]
    assert sorted((tuple(sorted(e[:2])), sorted(e[2].items())) for e in view.graph.edges(data=True)) == sorted(kept)
    assert view.hidden_edges == whole.number_of_edges() - len(kept)
    # the least weight that fits: one level lower would be over the limit (or all links have that weight)
    assert len(kept) <= limit or w == weights[0]
    assert sum(x >= w - 1 for x in weights) > limit
    # node sizes still count every link
    assert nx.get_node_attributes(view.graph, "size") == nx.get_node_attributes(whole, "size")
    html = small.view_html(preset, group="none").decode()
    assert f"those of weight {w} or more" in html and f"{view.graph.number_of_edges():,} of " in html


def test_a_chosen_minimum_weight_from_the_cli_the_server_and_the_facade(graph, tmp_path):
    from starlette.testclient import TestClient

    from culturegraph.server import create_app
    from tests.conftest import run_cli

    view = graph.projection("organisations", min_weight=2)
    assert view.min_weight == 2 and view.hidden_edges > 0
    assert all(d["weight"] >= 2 for *_, d in view.graph.edges(data=True))
    assert "link weight ≥ 2" in view.subtitle
    with TestClient(create_app(graph, graph.settings)) as client:
        page = client.get("/views/organisations", params={"min_weight": "2"})
        assert page.status_code == 200 and "link weight ≥ 2" in page.text
        for bad in ("0", "two"):
            assert client.get("/views/organisations", params={"min_weight": bad}).status_code == 400
    out = tmp_path / "orgs.csv"
    done = run_cli("viz", "organisations", "--min-weight", "2", "--table", str(out), "--root", str(graph.root))
    assert done.returncode == 0 and "only links of weight ≥ 2" in done.stdout
    bad = run_cli("viz", "organisations", "--min-weight", "0", "--table", str(out), "--root", str(graph.root))
    assert bad.returncode == 2 and "--min-weight" in bad.stderr


# ---------------------------------------------------------------------------- the index
def test_index_read_straight_from_pyoxigraph_equals_the_facade_rows(graph, monkeypatch):
    """The view index reads pyoxigraph's rows as plain strings; read through ``cg.query`` (rdflib terms) it
    must come out the same, language tags included."""
    import dataclasses

    import culturegraph.netindex as ni

    direct = ni.build_index(graph)
    assert any(lang for labels in direct.labels.values() for _, lang in labels)
    monkeypatch.setattr(ni, "index_rows", lambda cg, sparql: cg.query(sparql, limit=ni.ALL_ROWS).rows)
    assert dataclasses.asdict(direct) == dataclasses.asdict(ni.build_index(graph))


def test_views_on_rdflib_memory_store_equal_those_on_oxigraph(cg, tmp_path):
    """`viz --store memory`: the index is read with pyoxigraph there too (rdflib's SPARQL did not finish the
    index's links query within 5 minutes), and the views are those of the default engine."""
    memory = CultureGraph(cg.root, store="memory")
    assert memory.engine.name == "memory"
    for preset in ("organisations", "people"):
        assert _data(memory.projection(preset).graph) == _data(cg.projection(preset).graph)
    from tests.conftest import run_cli

    done = run_cli("viz", "entity", "--store", "memory", "--table", str(tmp_path / "e.csv"), "--root", str(cg.root),
                   timeout=120)
    assert done.returncode == 0 and (tmp_path / "e.csv").stat().st_size > 0


def test_the_server_draws_a_view_once_and_serves_it_again(cg, monkeypatch):
    from starlette.testclient import TestClient

    import culturegraph.viewhtml as vh
    from culturegraph.server import create_app

    drawn: list[tuple[str, dict]] = []
    real = vh.render_view

    def counting(cg_, preset, params):
        drawn.append((preset, dict(params)))
        return real(cg_, preset, params)

    monkeypatch.setattr(vh, "render_view", counting)
    with TestClient(create_app(cg, cg.settings)) as client:
        first = client.get("/views/organisations", params={"lang": "ko", "from": "2021"})
        again = client.get("/views/organisations", params={"from": "2021", "lang": "ko"})  # same, reordered
        other = client.get("/views/organisations", params={"lang": "ko"})
        bad = [client.get("/views/organisations", params={"min_weight": "0"}) for _ in range(2)]
    assert first.status_code == again.status_code == other.status_code == 200
    assert first.content == again.content != other.content
    assert [b.status_code for b in bad] == [400, 400]
    assert [p for p, _ in drawn] == ["organisations"] * 4, "drawn once per distinct request; errors every time"


def test_the_page_cache_keeps_only_the_last_few(cg, monkeypatch):
    import culturegraph.viewhtml as vh

    drawn: list[str] = []
    monkeypatch.setattr(vh, "render_view", lambda cg_, preset, params: (drawn.append(preset) or b"page", 200))
    pages = vh.PageCache(cg, size=2)
    for preset in ("themes", "countries", "people", "people", "themes"):
        assert pages(preset, {}) == (b"page", 200)
    assert drawn == ["themes", "countries", "people", "themes"]  # themes was dropped when people came in
