"""The network view pages in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

For every preset: the page draws as many nodes as the projection has, no request leaves the page, the
console stays clean, and a screenshot lands in ``test-artifacts/`` for a person to look at. Plus: markup in
labels stays text (no dialog), the time slider changes what is visible, and search finds nodes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_network import XSS, xss_project

pytestmark = pytest.mark.browser

PRESETS = {
    "entity": {}, "organisations": {}, "themes": {}, "countries": {}, "people": {"lang": "ko"},
    "ego": {"entity": "kofice", "radius": 2},
}




@pytest.fixture(scope="module")
def pages(cg, tmp_path_factory):
    """Each preset written to a file once: {preset: (path, view)}."""
    from culturegraph.viewhtml import render_html

    out = tmp_path_factory.mktemp("views")
    result = {}
    for preset, kw in PRESETS.items():
        view = cg.projection(preset, **kw)
        path = out / f"{preset}.html"
        path.write_bytes(render_html(view))
        result[preset] = (path, view)
    return result


class Log:
    """What a page did: requests, console errors, dialogs."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def outside(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file:", "data:"))]


def open_view(browser, path: Path, width: int = 1400, height: int = 900):
    page = browser.new_page(viewport={"width": width, "height": height})
    log = Log(page)
    page.goto(path.as_uri())
    # a function, not a string: the page's CSP forbids eval, which string predicates need
    page.wait_for_function("() => window.cgView && window.cgView.state.stable", timeout=60_000)
    return page, log


@pytest.mark.parametrize("preset", list(PRESETS))
def test_preset_page(browser, pages, preset, artifacts):
    path, view = pages[preset]
    page, log = open_view(browser, path)
    try:
        counts = page.evaluate("() => [cgView.nodeCount, cgView.edgeCount, cgView.visibleNodeCount(), "
                               "cgView.nodes.length]")
        n, m = view.graph.number_of_nodes(), view.graph.number_of_edges()
        assert counts == [n, m, n, n]
        legend = page.locator("#cg-legend li").all_inner_texts()
        assert len(legend) >= len(view.legend) and all(label in " ".join(legend) for _, label, _ in view.legend)
        page.screenshot(path=str(artifacts / f"view-{preset}.png"))
        assert log.outside() == [], "no request may leave the page"
        assert log.errors == [] and log.dialogs == []
    finally:
        page.close()


def test_time_slider_changes_what_is_visible(browser, pages):
    path, view = pages["organisations"]
    assert view.timeline and len(view.years) > 1
    page, log = open_view(browser, path)
    try:
        total = page.evaluate("() => cgView.visibleNodeCount()")
        page.locator("#cg-year").fill("0")
        first = page.evaluate("() => cgView.visibleNodeCount()")
        expected = sum(1 for _, d in view.graph.nodes(data=True) if not d["years"] or d["years"][0] <= view.years[0])
        assert first == expected < total
        assert str(view.years[0]) in page.locator("#cg-year-label").inner_text()
        # the legend counts follow the slider (issue 28): the node counts add up to what is shown
        counts = page.evaluate("() => [...document.querySelectorAll('#cg-legend li[data-type] .cg-count')]"
                               ".map(e => Number(e.textContent))")
        assert sum(counts) == first
        last = str(len(view.years) - 1)
        page.locator("#cg-year").fill(last)
        page.locator("#cg-only").check()
        only = page.evaluate("() => cgView.visibleNodeCount()")
        assert only == sum(1 for _, d in view.graph.nodes(data=True) if not d["years"] or view.years[-1] in d["years"])
        page.locator("#cg-only").uncheck()
        page.locator("#cg-year").fill(str(len(view.years)))
        assert page.evaluate("() => cgView.visibleNodeCount()") == total
        assert log.errors == []
    finally:
        page.close()


def test_search_selects_and_explains(browser, pages, cg):
    path, _ = pages["organisations"]
    page, log = open_view(browser, path)
    try:
        page.locator("#cg-search").fill("kofice")
        page.locator("#cg-search").press("Enter")
        assert "found" in page.locator("#cg-search-status").inner_text()
        details = page.locator("#cg-details").inner_text()
        assert cg.label("https://w3id.org/culturegraph/id/organisation/kofice") in details
        links = page.locator("#cg-details a").evaluate_all("els => els.map(a => a.href)")
        assert links and all(u.startswith("http") for u in links)
        assert log.outside() == [] and log.errors == []
    finally:
        page.close()


def test_markup_label_shows_as_text(browser, tmp_path, artifacts):
    from culturegraph.api import CultureGraph

    cg = CultureGraph(xss_project(tmp_path))
    path = tmp_path / "xss.html"
    path.write_bytes(cg.view_html("entity"))
    page, log = open_view(browser, path)
    try:
        labels = page.evaluate("() => cgView.data.nodes.map(n => n.label)")
        assert XSS in labels
        page.locator("#cg-search").fill("img src")
        page.locator("#cg-search").press("Enter")
        assert XSS in page.locator("#cg-details").inner_text()
        # hover every node once: tooltips are built too
        page.evaluate("""() => { for (const id of cgView.nodes.getIds()) {
            const p = cgView.network.canvasToDOM(cgView.network.getPosition(id));
            cgView.network.body.emitter.emit('hoverNode', {node: id, pointer: {DOM: p}}); } }""")
        assert XSS in page.locator("#cg-tooltip").inner_text() or page.locator("#cg-tooltip").is_visible()
        assert page.evaluate("() => document.querySelectorAll('img').length") == 0
        page.wait_for_timeout(300)
        page.screenshot(path=str(artifacts / "view-markup-label.png"))
        assert log.dialogs == [], "a label must never run"
        assert log.outside() == [] and log.errors == []
    finally:
        page.close()
