"""Entity dashboards (issue 28): a summary card and panels from named queries, on the real data."""

from __future__ import annotations

import pytest

with __import__("warnings").catch_warnings():
    __import__("warnings").simplefilter("ignore")  # starlette: "use httpx2" (httpx is what we have)
    from starlette.testclient import TestClient

from culturegraph.dashboard import dashboard

BASE = "https://w3id.org/culturegraph/id/"


@pytest.fixture(scope="module")
def client(cg):
    from culturegraph.server import create_app

    with TestClient(create_app(cg, cg.settings)) as c:
        yield c


def test_an_institution_shows_its_leaders_what_it_did_and_its_partners(cg) -> None:
    dash = dashboard(cg, BASE + "organisation/asean-korea-centre", "en")
    assert dash["summary"].when.startswith("2009-03-13") and [c.text for c in dash["summary"].where] == ["Seoul"]
    titles = [p.title for p in dash["panels"]]
    assert titles[:4] == ["Leaders over time", "Took part in", "Where it took place", "Worked with most"]
    assert [p.view for p in dash["panels"]].count("map") == 1
    leaders = dash["panels"][0]
    assert [r[1].text for r in leaders.rows][:2] == ["Cho Young-jae", "Chung Hae-moon"]
    assert leaders.rows[0][1].href == "/id/person/cho-young-jae"
    assert leaders.query_href.startswith("/queries/institution-leaders?organisation=")


def test_panels_with_nothing_to_show_are_left_out(cg) -> None:
    # Kyogu Lee took part in one session alone: no partners panel, no leaders panel
    titles = [p.title for p in dashboard(cg, BASE + "person/lee-kyogu", "en")["panels"]]
    assert titles == ["Took part in", "Where it took place"]


def test_a_series_lists_its_editions_in_the_chosen_language(cg) -> None:
    panels = dashboard(cg, BASE + "series/fly", "ko")["panels"]
    editions = panels[0]
    assert editions.title == "회차" and [r[0].text for r in editions.rows][:2] == ["2012", "2013"]


def test_the_page_shows_the_dashboard_and_its_queries_answer(client) -> None:
    r = client.get("/id/organisation/kofice", headers={"Accept": "text/html"})
    assert r.status_code == 200 and 'class="summary-card"' in r.text and "Worked with most" in r.text
    href = r.text.split('<p class="panel-query">', 1)[1].split('href="', 1)[1].split('"', 1)[0]
    answer = client.get(href.replace("&amp;", "&"), headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200 and answer.json()["results"]["bindings"]
