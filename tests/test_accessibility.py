"""Accessibility (issue 28): the shell, search, an entity dashboard, the query page, the views list, a view and
the catalogue pass axe-core (vendored in tests/vendor/axe-core) with no serious or critical violation, in real
headless Chromium on the real data, at desktop and phone sizes."""

from __future__ import annotations

import pytest

from tests.server_helpers import Server

from .conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.server]
AXE = (ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
PAGES = ["/", "/search?q=kofice", "/search?q=qqqqqqqq", "/id/organisation/asean-korea-centre", "/id/series/fly",
         "/views", "/views/field", "/views/field?format=table", "/catalog", "/path?from=lee-kyogu&to=kofice",
         "/draft"]


@pytest.fixture(scope="module")
def server():
    srv = Server(ROOT, "--workers", "1")
    yield srv
    srv.stop()


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_no_serious_or_critical_violations(server, browser, width: int, height: int) -> None:
    # the pages forbid inline scripts by their Content-Security-Policy: the test context may inject axe
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": height})
    page = context.new_page()
    found = {}
    try:
        for path in PAGES:
            page.goto(server.url + path)
            page.wait_for_load_state("networkidle")
            page.add_script_tag(content=AXE)
            violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
                .violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))""")
            if violations:
                found[path] = violations
    finally:
        context.close()
    assert found == {}
