"""Network views: projections on the real data, filters, the size guard, safety of the HTML, determinism."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import run_cli

BASE = "https://w3id.org/culturegraph/id/"
KOFICE, MCST = BASE + "organisation/kofice", BASE + "organisation/mcst"
FORUM_2025, SG = BASE + "edition/forum-2025", BASE + "country/sg"
PRESETS = ("entity", "organisations", "themes", "countries", "people")
XSS = "<img src=x onerror=alert(1)>"
XSS_TITLE = "</script><script>alert(2)</script><!-- \u2028"


def shared_editions(cg, org: str) -> set[str]:
    """Editions (of any series: the forum, the ministers' meetings, FLY …) an organisation took part in, straight
    from SPARQL: as participant, as a participant's affiliation, or as a party, in the edition itself or in one
    of its sessions / side events / agreements."""
    assert re.fullmatch(r"https://[\w./-]+", org)
    res = cg.query("""
        SELECT DISTINCT ?ed WHERE {
          VALUES ?org { <ORG> }
          { ?p cg:inEvent ?e ; cg:participant ?org } UNION { ?p cg:inEvent ?e ; cg:affiliationAtTime ?org }
          UNION { ?e cg:party ?org }
          { ?e a cg:SeriesEdition BIND(?e AS ?ed) }
          UNION { ?e (schema:superEvent*)/(cg:partOfEdition|cg:relatedEdition) ?ed . ?ed a cg:SeriesEdition }
        }""".replace("ORG", org), limit=10_000)
    return {str(r[0]) for r in res.rows}


# ---------------------------------------------------------------------------- projections, real data
def test_kofice_and_mcst_weight_is_their_shared_editions(cg):
    g = cg.projection("organisations").graph
    expected = shared_editions(cg, KOFICE) & shared_editions(cg, MCST)
    assert expected, "the data should have editions both took part in"
    edge = g.edges[KOFICE, MCST]
    assert edge["weight"] == len(expected)
    assert len(edge["events"]) == len(expected)
    assert edge["sources"], "a collaboration edge cites the participations behind it"
    assert g.nodes[KOFICE]["type"] == "Organisation"


def test_organisation_edges_all_match_sparql(cg):
    g = cg.projection("organisations").graph
    eds = {n: shared_editions(cg, n) for n in g.nodes}
    for u, v, d in g.edges(data=True):
        assert d["weight"] == len(eds[u] & eds[v]) > 0, (u, v)
    linked = {(u, v) for u, v in g.edges} | {(v, u) for u, v in g.edges}
    nodes = sorted(g.nodes)
    for i, u in enumerate(nodes):
        for v in nodes[i + 1:]:
            assert ((u, v) in linked) == bool(eds[u] & eds[v]), (u, v)


def test_2025_edition_connects_to_singapore(cg):
    g = cg.projection("countries").graph
    rels = g.edges[FORUM_2025, SG]["relations"]
    hosted = cg.query("ASK { edition:forum-2025 cg:hostCountry country:sg }").boolean
    assert ("host country" in rels) == hosted
    assert g.edges[FORUM_2025, SG]["years"] == [2025]
    ego = cg.projection("ego", entity="forum-2025", radius=1).graph
    assert SG in ego and ego.nodes[FORUM_2025]["center"]


def test_every_node_has_label_type_years_and_sources(cg):
    for preset in PRESETS:
        g = cg.projection(preset).graph
        assert g.number_of_nodes() > 0, preset
        for n, d in g.nodes(data=True):
            assert d["label"] and d["type"] and isinstance(d["years"], list), (preset, n)
            assert d["sources"], f"{preset}: {n} has no source"
        for u, v, d in g.edges(data=True):
            assert d["relations"] and d["weight"] >= 1, (preset, u, v)


def test_labels_follow_the_language_with_fallback(cg):
    en = cg.projection("organisations", lang="en").graph.nodes[KOFICE]["label"]
    ko = cg.projection("organisations", lang="ko").graph.nodes[KOFICE]["label"]
    assert en == cg.label(KOFICE, "en") and ko == cg.label(KOFICE, "ko")
    idl = cg.projection("organisations", lang="id").graph.nodes[KOFICE]["label"]
    assert idl == cg.label(KOFICE, "id")  # requested → en → any, as everywhere


def test_year_filter_keeps_only_events_in_range(cg):
    g = cg.projection("entity", year_from=2023, year_to=2024).graph
    for _, d in g.nodes(data=True):
        if d["type"] in ("Edition", "PrecursorEvent", "Session", "RelatedEvent"):
            assert d["years"] and all(2023 <= y <= 2024 for y in d["years"])
    assert FORUM_2025 not in g
    years = set(cg.projection("people", year_from=2025).years)
    assert 2025 in years and min(years) == 2025  # the field has events announced for 2026 as well


def test_theme_country_and_type_filters(cg):
    theme = cg.query("SELECT ?t WHERE { ?e cg:theme ?t } ORDER BY ?t LIMIT 1").rows[0][0]
    g = cg.projection("themes", theme=str(theme)).graph
    assert str(theme) in g
    events = [n for n, d in g.nodes(data=True) if d["type"] in ("Session", "RelatedEvent")]
    assert events
    sg = cg.projection("countries", country="SG").graph
    assert all(sg.has_edge(n, SG) for n, d in sg.nodes(data=True) if d["type"] in ("Edition", "PrecursorEvent"))
    only = cg.projection("entity", types="organisation,person").graph
    assert {d["type"] for _, d in only.nodes(data=True)} <= {"Organisation", "Person"}


def test_ego_radius_grows(cg):
    sizes = [cg.projection("ego", entity="kofice", radius=r).graph.number_of_nodes() for r in (1, 2, 3)]
    assert 1 < sizes[0] < sizes[1] <= sizes[2]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"entity": "no-such-thing"}, "no entity"),
    ({"entity": "kofice", "radius": 4}, "radius"),
    ({"theme": "no-such-theme"}, "no theme"),
    ({"types": "spaceship"}, "unknown class"),
    ({"year_from": 2025, "year_to": 2020}, "after"),
])
def test_bad_options_raise_readable_errors(cg, kwargs, message):
    from culturegraph.errors import CultureGraphError

    preset = "ego" if "entity" in kwargs else "entity"
    with pytest.raises(CultureGraphError, match=message) as info:
        cg.projection(preset, **kwargs)
    assert 400 <= info.value.http_status < 500


def test_guard_groups_or_refuses_large_views(root):
    from culturegraph.api import CultureGraph
    from culturegraph.network import ViewTooLarge

    small = CultureGraph(root, view_node_limit=20)
    view = small.projection("organisations")
    assert view.grouped == "country" and view.original_nodes > 20
    assert all(d["type"] == "Group" for _, d in view.graph.nodes(data=True))
    members = sum(len(d["members"]) for _, d in view.graph.nodes(data=True))
    assert members == view.original_nodes
    assert small.projection("entity").grouped == "type"
    with pytest.raises(ViewTooLarge, match="narrow it") as info:
        small.projection("entity", group="none")
    assert info.value.http_status == 413
    html = small.view_html("entity").decode()
    assert "grouped by class" in html


# ---------------------------------------------------------------------------- the HTML page
def test_html_is_self_contained_and_offline(cg):
    html = cg.view_html("organisations").decode()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "no external resource"
    for host in ("jsdelivr", "cdnjs", "unpkg", "bootstrapcdn", "googleapis", "cloudflare"):
        assert host not in html.lower(), host
    assert "connect-src 'none'" in html and "'unsafe-inline'" not in html.split("script-src")[1].split(";")[0]
    data = json.loads(re.search(r'<script type="application/json" id="cg-data">(.*?)</script>', html, re.S)[1])
    assert len(data["nodes"]) == cg.projection("organisations").graph.number_of_nodes()
    assert data["options"]["layout"]["randomSeed"]


def xss_project(tmp: Path) -> Path:
    """The mini fixture plus a person and a source whose texts are markup (synthetic, for escaping tests)."""
    from tests.conftest import copy_project

    proj = copy_project(tmp / "xss")
    people = proj / "data" / "people.yaml"
    people.write_text(people.read_text().replace(
        "people:\n", "people:\n  - id: markup-person\n    name: {en: " + json.dumps(XSS) + "}\n"
        "    sources: [markup-source]\n", 1), encoding="utf-8")
    sources = proj / "data" / "sources.yaml"
    sources.write_text(sources.read_text().replace(
        "sources:\n", "sources:\n  - id: markup-source\n    url: https://example.org/markup\n"
        f"    title: {json.dumps(XSS_TITLE)}\n    publisher: fixture\n    language: en\n", 1), encoding="utf-8")
    ed = proj / "data" / "editions" / "2025.yaml"
    ed.write_text(ed.read_text().replace(
        "    - {who: kofice, role: organiser}",
        "    - {who: kofice, role: organiser}\n    - {who: markup-person, role: attendee, sources: [markup-source]}"),
        encoding="utf-8")
    return proj


def test_markup_in_labels_and_titles_is_escaped(tmp_path):
    from culturegraph.api import CultureGraph

    cg = CultureGraph(xss_project(tmp_path))
    view = cg.projection("entity")
    assert XSS in {d["label"] for _, d in view.graph.nodes(data=True)}
    html = cg.view_html("entity").decode()
    for raw in ("<img", "</script><script>", "<!-- ", "\u2028", "onerror=alert(1)>"):
        assert raw not in html
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html
    assert html.count("</script>") == 3  # data, vis-network, page script: nothing closes early


def test_outputs_are_byte_identical_across_hash_seeds(tmp_path, mini):
    outs = []
    for seed in ("1", "2"):
        d = tmp_path / seed
        d.mkdir()
        args = ["viz", "entity", "--root", str(mini), "-o", str(d / "v.html"), "--svg", str(d / "v.svg"),
                "--png", str(d / "v.png"), "--table", str(d / "v.csv"), "--graphml", str(d / "v.graphml"),
                "--gexf", str(d / "v.gexf")]
        r = run_cli(*args, env={"PYTHONHASHSEED": seed})
        assert r.returncode == 0, r.stderr
        outs.append({p.name: p.read_bytes() for p in sorted(d.iterdir())})
    assert outs[0].keys() == outs[1].keys() and len(outs[0]) == 6
    for name in outs[0]:
        assert outs[0][name] == outs[1][name], name


def test_real_data_views_are_deterministic(cg):
    for preset in PRESETS:
        assert cg.view_html(preset) == cg.view_html(preset), preset


# ---------------------------------------------------------------------------- briefs and exports
def test_brief_png_svg_and_table(cg, artifacts):
    from culturegraph.brief import cjk_font, image_bytes, table_bytes

    if Path("/usr/share/fonts/opentype/noto").is_dir():  # Debian fonts-noto-cjk: Hangul must be drawable
        assert cjk_font() is not None
    view = cg.projection("organisations", lang="ko")
    png = image_bytes(view, "png")
    assert png.startswith(b"\x89PNG") and len(png) > 50_000
    (artifacts / "brief-organisations-ko.png").write_bytes(png)
    svg = image_bytes(view, "svg").decode()
    assert svg.startswith("<?xml") and "<dc:date>" not in svg
    rows = table_bytes(view).decode("utf-8-sig").splitlines()
    assert rows[0].startswith("record,id,label")
    assert sum(r.startswith("node,") for r in rows) == view.graph.number_of_nodes()
    assert sum(r.startswith("edge,") for r in rows) == view.graph.number_of_edges()


def test_gexf_is_dynamic_and_valid(cg):
    import io
    import xml.etree.ElementTree as ET

    import networkx as nx

    from culturegraph.netexport import gexf_bytes, graphml_bytes

    view = cg.projection("people")
    data = gexf_bytes(view)
    root = ET.fromstring(data)
    ns = {"g": "http://www.gexf.net/1.2draft"}
    graph = root.find("g:graph", ns)
    assert graph is not None and graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    spells = root.findall(".//g:node/g:spells/g:spell", ns)
    assert spells and all(re.fullmatch(r"\d{4}-01-01", s.get("start", "")) for s in spells)
    assert root.find("g:meta", ns).get("lastmodifieddate") == view.data_date
    back = nx.read_gexf(io.BytesIO(data))
    assert back.number_of_nodes() == view.graph.number_of_nodes()
    assert back.number_of_edges() == view.graph.number_of_edges()
    gml = nx.read_graphml(io.BytesIO(graphml_bytes(view)))
    assert gml.number_of_nodes() == view.graph.number_of_nodes()


def test_spells_merge_consecutive_years():
    from culturegraph.netexport import spells

    assert spells([2023, 2020, 2021]) == [("2020-01-01", "2021-12-31"), ("2023-01-01", "2023-12-31")]


# ---------------------------------------------------------------------------- analysis and path
def test_analyze_is_deterministic(cg):
    from culturegraph.netanalysis import analyze

    a = analyze(cg.projection("organisations"), top=5).as_dict()
    b = analyze(cg.projection("organisations"), top=5).as_dict()
    assert a == b
    assert len(a["degree"]) == 5 and a["communities"]
    assert sum(len(c) for c in a["communities"]) == a["nodes"]


def test_path_is_a_chain_of_sourced_statements(cg):
    steps = cg.path("kofice", "sg")
    assert steps
    assert steps[0].subject == cg.label(KOFICE) or steps[0].object == cg.label(KOFICE)
    for st in steps:
        assert st.sources and all(url.startswith("http") for url, _ in st.sources)


def test_path_unknown_entity(cg):
    from culturegraph.errors import NotFound

    with pytest.raises(NotFound, match="no entity"):
        cg.path("kofice", "atlantis")


# ---------------------------------------------------------------------------- HTTP entry point
def test_render_view_statuses(cg):
    from culturegraph.viewhtml import render_view

    body, status = render_view(cg, "countries", {"from": "2023", "lang": "ko"})
    assert status == 200 and body.startswith(b"<!doctype html>") and b'lang="ko"' in body
    assert render_view(cg, "nowhere", {})[1] == 404
    assert render_view(cg, "entity", {"from": "soon"})[1] == 400
    body, status = render_view(cg, "entity", {"colour": "red"})
    assert status == 400 and b"unknown view parameter" in body
    body, status = render_view(cg, "ego", {"entity": "<script>"})
    assert status == 404 and b"<script>" not in body


# ---------------------------------------------------------------------------- command line
def test_cli_viz_list_and_errors(tmp_path, root):
    r = run_cli("viz", "--list", "--root", str(root))
    assert r.returncode == 0 and "organisations" in r.stdout
    r = run_cli("viz", "entity", "--root", str(root))
    assert r.returncode == 2 and "say what to write" in r.stderr
    out = tmp_path / "x.html"
    r = run_cli("viz", "entity", "--type", "spaceship", "--root", str(root), "-o", str(out))
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "unknown class" in r.stderr
    assert not out.exists()


def test_cli_analyze_and_path(root):
    r = run_cli("analyze", "organisations", "--top", "3", "--json", "--root", str(root))
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)["degree"]) == 3
    r = run_cli("path", "kofice", "sg", "--root", str(root))
    assert r.returncode == 0 and "source:" in r.stdout


# ---------------------------------------------------------------------------- mounted in the HTTP server
def test_server_mounts_views_and_entity_pages_link_to_their_ego_view(root):
    import warnings

    from culturegraph.api import CultureGraph
    from culturegraph.server import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    cg = CultureGraph(root, query_workers=1)
    with TestClient(create_app(cg, cg.settings)) as client:
        r = client.get("/views/organisations", params={"from": "2023", "lang": "ko"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        # the served page is the offline page plus links back to the site (a written file has none)
        import re

        offline = cg.view_html("organisations", year_from=2023, lang="ko")
        assert b'class="cg-nav"' in r.content and b'class="cg-nav"' not in offline
        assert re.sub(rb'<nav class="cg-nav".*?</nav>', b"", r.content, flags=re.S) == offline
        assert client.get("/views/nowhere").status_code == 404
        assert client.get("/views/entity", params={"radius": "many"}).status_code == 400
        page = client.get("/id/organisation/kofice", headers={"accept": "text/html"}).text
        assert 'href="/views/ego?entity=organisation%2Fkofice&amp;radius=1&amp;lang=en"' in page
        ego = client.get("/views/ego?entity=organisation%2Fkofice&radius=1&lang=en")
        assert ego.status_code == 200 and b"Korea Foundation" in ego.content
        # source records are not drawn: their pages carry no network link
        src_id = cg.query("SELECT ?s WHERE { ?s a cg:Source } ORDER BY ?s LIMIT 1").rows[0][0]
        src_page = client.get("/id/" + str(src_id).split("/id/", 1)[1], headers={"accept": "text/html"}).text
        assert "/views/ego" not in src_page
