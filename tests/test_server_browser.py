"""The query page and an entity page in real headless Chromium (Debian's /usr/bin/chromium via Playwright).

Opens ``/``, clicks a named query, waits for the results table, and checks that no request left
127.0.0.1, that the console stayed clean and that markup in labels stays text. Screenshots land in
``test-artifacts/`` for a person to look at.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import pytest

from tests.server_helpers import XSS_LABEL, Server, xss_project

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = xss_project(tmp_path_factory.mktemp("browser") / "project")
    srv = Server(root, "--workers", "2")
    yield srv
    srv.stop()




@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.requests_seen, p.errors_seen, p.dialogs_seen = [], [], []
    p.on("request", lambda r: p.requests_seen.append(r.url))
    p.on("console", lambda m: p.errors_seen.append(m.text) if m.type == "error" else None)
    p.on("pageerror", lambda e: p.errors_seen.append(str(e)))
    p.on("dialog", lambda d: (p.dialogs_seen.append(d.message), d.dismiss()))
    yield p
    context.close()


def assert_local_only(page) -> None:
    hosts = {urlsplit(u).hostname for u in page.requests_seen if not u.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, hosts
    assert page.errors_seen == []
    assert page.dialogs_seen == []


def test_query_page_named_query_results(server, page, artifacts):
    page.goto(server.url + "/")
    page.wait_for_selector(".CodeMirror")  # the vendored editor loaded
    page.click('button.example[data-name="host-cities"]')
    page.wait_for_selector("table.results tbody tr")
    rows = page.locator("table.results tbody tr").count()
    assert rows >= 1
    assert " in " in page.locator("#status").inner_text()  # "N rows in T ms"
    assert "Singapore" in page.locator("table.results").inner_text()
    assert "name=host-cities" in page.url  # the permalink is the address
    csv = page.locator('a.download[data-format="csv"]').get_attribute("href")
    assert csv.startswith("/queries/host-cities?") and "format=csv" in csv
    page.screenshot(path=str(artifacts / "server-query-page.png"))
    assert_local_only(page)


def test_shared_named_query_link_opens_the_table(server, page, artifacts):
    # a link to the results route, opened in a browser, shows the page with that query run (not a file)
    page.goto(server.url + "/queries/host-cities?lang=ko")
    page.wait_for_selector("table.results tbody tr")
    assert "name=host-cities" in page.url and "lang=ko" in page.url
    assert page.locator('button.example[data-name="host-cities"]').get_attribute("class").split().count("active") == 1
    assert page.locator("#lang").input_value() == "ko"
    table = page.locator("table.results").inner_text()
    assert "한-아세안 문화혁신 포럼" in table and "Singapore" in table  # Korean labels, else English
    page.screenshot(path=str(artifacts / "server-shared-named-query.png"))
    assert_local_only(page)


def test_wide_results_scroll_inside_their_column(server, browser, artifacts):
    # four columns of long IRIs: the table wraps or scrolls in place, the page never gets wider
    query = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o LIMIT 40"
    for width in (1024, 390):
        context = browser.new_context(viewport={"width": width, "height": 800})
        p = context.new_page()
        p.goto(server.url + "/?" + urlencode({"query": query}))
        p.wait_for_selector("table.results tbody tr")
        page_width, view_width = p.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert page_width <= view_width, (width, page_width)
        p.screenshot(path=str(artifacts / f"server-wide-results-{width}.png"))
        context.close()


def test_query_page_language_switch_and_permalink(server, page, artifacts):
    page.goto(server.url + "/?lang=ko&query=" +
              "SELECT%20%3Fp%20WHERE%20%7B%20%3Fp%20a%20cg%3APerson%20%7D%20ORDER%20BY%20%3Fp")
    page.wait_for_selector("table.results tbody tr")
    text = page.locator("table.results").inner_text()
    assert "이교구" in text
    page.select_option("#lang", "en")
    from playwright.sync_api import expect

    expect(page.locator("table.results")).to_contain_text("Kyogu Lee")
    # markup in a label is shown as text, never run
    assert XSS_LABEL in page.locator("table.results").inner_text()
    page.screenshot(path=str(artifacts / "server-query-lang.png"), full_page=True)
    assert_local_only(page)


def test_query_page_shows_syntax_errors(server, page):
    page.goto(server.url + "/?query=SELECT%20*%20WHERE%20%7B")
    page.wait_for_selector("#status.error")
    assert "400 Bad Request: SPARQL syntax error" in page.locator("#status").inner_text()
    assert page.dialogs_seen == []


def test_entity_page_in_browser(server, page, artifacts):
    page.goto(server.url + "/id/person/synthetic-xss-person")
    assert page.locator("h1").inner_text() == XSS_LABEL
    page.goto(server.url + "/id/session/forum-2025-s3")
    assert page.locator("h2", has_text="Conflicting readings").count() == 1
    page.screenshot(path=str(artifacts / "server-entity-page.png"), full_page=True)
    assert_local_only(page)


@pytest.mark.parametrize(("width", "height"), [(390, 844), (768, 1024), (1366, 900)])
def test_shell_controls_are_never_covered_and_the_page_never_scrolls_sideways(server, browser, artifacts,
                                                                           width, height):
    """Issue 28: at 390 px the named-query list stayed sticky over the editor and a tap on Run hit a query.
    Every button and the search box of the shell, the query page and an entity page is the element found at
    its own centre (elementFromPoint), and the page is never wider than the screen."""
    check = """() => {
      const covered = [];
      for (const el of document.querySelectorAll('button, input[type=search], header.top nav a')) {
        el.scrollIntoView({block: 'center'});
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        if (!hit || (hit !== el && !el.contains(hit))) covered.push((el.id || el.textContent || el.name).trim());
      }
      return [covered, document.documentElement.scrollWidth, window.innerWidth];
    }"""
    context = browser.new_context(viewport={"width": width, "height": height})
    p = context.new_page()
    for path in ("/", "/id/person/lee-kyogu", "/search?q=kofice", "/views"):
        p.goto(server.url + path)
        p.wait_for_load_state("networkidle")
        covered, page_width, view_width = p.evaluate(check)
        assert covered == [], (path, width, covered)
        assert page_width <= view_width, (path, width, page_width)
        p.screenshot(path=str(artifacts / f"shell-{path.strip('/').replace('/', '_').replace('?', '_') or 'home'}"
                                          f"-{width}.png"), full_page=True)
    context.close()
