"""The user's path through the site (issue 28), in real headless Chromium on the real data, at phone, tablet
and desktop sizes: home → search "KOFICE" → its dashboard → a panel's query on the query page (run, with its
table) → Explore → a view → back. No request leaves 127.0.0.1, the console stays clean, no control is
covered; a screenshot per step lands in test-artifacts/."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.server_helpers import Server

from .conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.server]
COVERED = """() => {
  const out = [];
  for (const el of document.querySelectorAll('button, input[type=search], header.top nav a, .cg-nav a')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.bottom < 0 || r.top > window.innerHeight) continue;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (hit && hit !== el && !el.contains(hit)) out.push((el.id || el.textContent || el.name).trim());
  }
  return out;
}"""


@pytest.fixture(scope="module")
def server():
    srv = Server(ROOT, "--workers", "1")
    yield srv
    srv.stop()


@pytest.mark.parametrize(("width", "height"), [(390, 844), (768, 1024), (1366, 900)])
def test_home_search_dashboard_query_view_and_back(server, browser, artifacts, width: int, height: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    step = 0

    def shot(name: str) -> None:
        nonlocal step
        step += 1
        page.wait_for_load_state("networkidle")
        assert page.evaluate(COVERED) == [], (name, width)
        page.screenshot(path=str(artifacts / f"path-{width}-{step}-{name}.png"))

    try:
        page.goto(server.url + "/")
        shot("home")
        page.fill("#shell-search", "KOFICE")
        page.press("#shell-search", "Enter")
        page.wait_for_url("**/search?**")
        assert "Organisations" in page.inner_text("main")
        shot("search")
        page.click("ul.hits a >> nth=0")
        page.wait_for_url("**/id/organisation/kofice**")
        assert page.locator(".summary-card").count() == 1 and page.locator("section.panel").count() >= 2
        page.wait_for_selector(".panel-map svg circle", timeout=30_000)  # where it took place, on a map
        page.wait_for_selector(".panel-network canvas", timeout=30_000)  # who it worked with, as a network
        shot("dashboard")
        page.click("section.panel .panel-query a >> nth=0")  # what it took part in: a timeline
        page.wait_for_selector("table.results tbody tr", timeout=30_000)
        assert page.locator("table.results tbody tr").count() > 0
        page.wait_for_selector("#result-view svg circle", timeout=30_000)
        assert page.locator("#view-kind").input_value() == "timeline"
        shot("query-chart")
        page.go_back()
        page.wait_for_url("**/id/organisation/kofice**")
        page.click(".panel-map ~ .panel-query a")  # where it took place: a map
        page.wait_for_selector("#result-view svg g path", timeout=30_000)
        assert page.locator("#view-kind").input_value() == "map"
        shot("query-map")
        page.click("header.top nav >> text=Explore")
        page.wait_for_url("**/views**")
        shot("views")
        page.click("a[href^='/views/field']")
        page.wait_for_url("**/views/field**")
        page.wait_for_function("() => window.cgView && window.cgView.state && window.cgView.state.stable",
                               timeout=30_000)
        shot("view")
        page.go_back()
        page.wait_for_url("**/views?**")
        shot("back")
    finally:
        context.close()
    hosts = {urlsplit(u).hostname for u in requests if not u.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, hosts
    assert errors == []


def test_query_results_as_chart_timeline_and_graph(server, browser, artifacts) -> None:
    """The query page draws a named query's view hint above its table (a timeline for programme-editions, a
    graph for organisation-network) and, by the user's choice, a bar chart; charts download as SVG."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(server.url + "/?name=programme-editions&series=fly")
        page.wait_for_selector("#result-view svg", timeout=30_000)
        assert page.locator("#view-kind").input_value() == "timeline"
        years = page.eval_on_selector_all("#result-view svg text", "els => els.map(e => e.textContent)")
        assert "2012" in years and "2024" in years
        assert page.locator("table.results tbody tr").count() >= 10  # the table stays under the chart
        page.screenshot(path=str(artifacts / "query-timeline.png"), full_page=True)
        with page.expect_download() as dl:
            page.click(".chart-downloads button >> text=SVG")
        assert dl.value.suggested_filename == "chart.svg"
        page.goto(server.url + "/?name=host-places-ranked")
        page.wait_for_selector("table.results tbody tr", timeout=30_000)
        page.select_option("#view-kind", "bar")
        bars = page.locator("#result-view svg rect")
        assert bars.count() > 5
        page.screenshot(path=str(artifacts / "query-bar.png"), full_page=True)
        page.goto(server.url + "/?name=organisation-network")
        page.wait_for_selector("#result-view .result-graph canvas", timeout=30_000)
        assert page.locator("#view-kind").input_value() == "graph"
        page.screenshot(path=str(artifacts / "query-graph.png"), full_page=True)
    finally:
        context.close()
    assert errors == []
    assert {u.split("/")[2] for u in requests if u.startswith("http")} == {server.url.split("/")[2]}


@pytest.mark.parametrize("preset", ["organisations", "field"])
def test_on_a_phone_the_network_takes_the_width(server, browser, artifacts, preset: str) -> None:
    """Issue 28: every network view squeezed its graph into a strip about 65 px wide beside the legend."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(server.url + f"/views/{preset}")
        page.wait_for_function("() => window.cgView && window.cgView.state && window.cgView.state.stable",
                               timeout=30_000)
        box = page.locator("#cg-network").bounding_box()
        assert box and box["width"] >= 350 and box["height"] >= 400, box
        legend = page.locator("#cg-legend").bounding_box()
        assert legend and legend["y"] >= box["y"] + box["height"] - 1  # the legend folds away below
        width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= inner
        page.screenshot(path=str(artifacts / f"view-{preset}-390.png"))
    finally:
        context.close()


def test_places_are_drawn_on_an_offline_map(server, browser, artifacts) -> None:
    """A `view: map` named query is drawn on the vendored Natural Earth outlines at the cities' GeoNames
    coordinates; nothing is fetched from a tile server."""
    context = browser.new_context(viewport={"width": 1366, "height": 1000})
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(server.url + "/?name=host-places-ranked")
        page.wait_for_selector("#result-view svg circle", timeout=30_000)
        page.wait_for_selector("#result-view svg g path", timeout=30_000)  # the country outlines
        assert page.locator("#view-kind").input_value() == "map"
        names = page.eval_on_selector_all("#result-view svg text", "els => els.map(e => e.textContent)")
        assert {"Seoul", "Busan", "Vientiane", "Jakarta"} <= set(names)
        page.screenshot(path=str(artifacts / "query-map.png"), full_page=True)
    finally:
        context.close()
    assert errors == []
    assert {u.split("/")[2] for u in requests if u.startswith("http")} == {server.url.split("/")[2]}
    assert any(u.endswith("/static/vendor/world-atlas/countries-110m.json") for u in requests)


def test_a_construct_result_is_drawn_as_a_graph_and_downloads_as_png(server, browser, artifacts) -> None:
    from urllib.parse import urlencode

    query = ("CONSTRUCT { ?e cg:partOfSeries ?s . ?e cg:hostCity ?c } "
             "WHERE { ?e cg:partOfSeries series:fly . ?e cg:partOfSeries ?s . OPTIONAL { ?e cg:hostCity ?c } }")
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(server.url + "/?" + urlencode({"query": query}))
        page.wait_for_selector("#results .result-graph canvas", timeout=30_000)
        assert "partOfSeries" in page.inner_text("#results pre.graph")
        with page.expect_download() as dl:
            page.click("#results .chart-downloads button >> text=PNG")
        assert dl.value.suggested_filename == "graph.png"
        page.screenshot(path=str(artifacts / "query-construct-graph.png"), full_page=True)
    finally:
        context.close()
    assert errors == []
