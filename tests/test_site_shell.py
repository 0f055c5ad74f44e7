"""The site shell (issue 28): a header with search and navigation on every server page, /search and /views."""

from __future__ import annotations

import pytest

with __import__("warnings").catch_warnings():
    __import__("warnings").simplefilter("ignore")  # starlette: "use httpx2" (httpx is what we have)
    from starlette.testclient import TestClient

from tests.server_helpers import XSS_LABEL, xss_project


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The mini fixture project plus a synthetic person whose labels are script payloads."""
    return xss_project(tmp_path_factory.mktemp("xss-shell") / "project")


@pytest.fixture(scope="module")
def client(project):
    from culturegraph.api import CultureGraph
    from culturegraph.server import create_app

    cg = CultureGraph(project, query_workers=1)
    with TestClient(create_app(cg, cg.settings)) as c:
        yield c


@pytest.mark.parametrize("path", ["/", "/id/person/lee-kyogu", "/search?q=kofice", "/views", "/nowhere"])
def test_every_server_page_has_the_shell(client, path: str) -> None:
    r = client.get(path, headers={"Accept": "text/html"})
    html = r.text
    assert 'action="/search"' in html and 'name="q"' in html
    for href in ('href="/views?lang=en"', 'href="/?lang=en"', 'href="/catalog"'):
        assert href in html, (path, href)


def test_the_shell_speaks_the_chosen_language_and_keeps_the_search(client) -> None:
    r = client.get("/search", params={"q": "kofice", "lang": "ko"}, headers={"Accept": "text/html"})
    assert "둘러보기" in r.text and "검색" in r.text
    assert 'href="/search?q=kofice&amp;lang=id"' in r.text  # switching language keeps the question


def test_search_page_groups_hits_and_links_to_entities(client) -> None:
    r = client.get("/search", params={"q": "kofice"}, headers={"Accept": "text/html"})
    assert r.status_code == 200 and "Organisations" in r.text
    assert 'href="/id/organisation/kofice?lang=en"' in r.text
    miss = client.get("/search", params={"q": "qqqqqqqq"}, headers={"Accept": "text/html"})
    assert miss.status_code == 200 and "No name matches." in miss.text and "Closest names:" in miss.text


def test_search_json_by_accept_or_format(client) -> None:
    for kwargs in ({"headers": {"Accept": "application/json"}}, {"params": {"format": "json"}}):
        params = {"q": "이교구", **kwargs.get("params", {})}
        r = client.get("/search", params=params, headers=kwargs.get("headers", {}))
        assert r.headers["content-type"].startswith("application/json")
        assert r.json()["hits"][0]["id"] == "person/lee-kyogu"


def test_search_shows_hostile_labels_as_text_and_survives_hostile_input(client) -> None:
    r = client.get("/search", params={"q": "synthetic"}, headers={"Accept": "text/html"})
    assert XSS_LABEL not in r.text and "&lt;" in r.text
    for q in ("<script>alert(1)</script>", "\u0000\u202e", "x" * 10_000, "%%%", "' OR 1=1 --"):
        r = client.get("/search", params={"q": q}, headers={"Accept": "text/html"})
        assert r.status_code == 200 and "<script>alert(1)</script>" not in r.text


def test_views_lists_every_view_with_a_description(client) -> None:
    from culturegraph.network import presets

    r = client.get("/views", params={"lang": "id"}, headers={"Accept": "text/html"})
    assert r.status_code == 200
    for name in presets():
        if name != "ego":  # the ego view needs an entity: it is reached from entity pages
            assert f'href="/views/{name}?lang=id"' in r.text
    assert "Ikhtisar bidang" in r.text  # the field overview, in Indonesian


def test_catalog_and_void_render_as_pages_for_browsers_and_rdf_for_clients(client) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = client.get("/catalog", headers={"Accept": browser})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Downloads" in page.text and "/release/" in page.text and 'action="/search"' in page.text
    assert "Accept" in page.headers["vary"]
    for accept, media in (("text/turtle", "text/turtle"), ("application/ld+json", "application/ld+json"),
                          ("*/*", "text/turtle")):
        r = client.get("/catalog", headers={"Accept": accept})
        assert r.headers["content-type"].startswith(media), accept
    void = client.get("/.well-known/void", headers={"Accept": browser})
    assert void.status_code == 200 and "triples" in void.text and "Classes" in void.text


def test_every_view_has_its_table_one_click_away(client) -> None:
    page = client.get("/views/entity", params={"lang": "en"})
    assert page.status_code == 200
    href = page.text.split('class="cg-nav"', 1)[1].split("</nav>", 1)[0].split('href="')[-1].split('"', 1)[0]
    assert "format=table" in href
    table = client.get(href.replace("&amp;", "&"), headers={"Accept": "text/html"})
    assert table.status_code == 200 and "<table>" in table.text and 'action="/search"' in table.text
    assert XSS_LABEL not in table.text  # labels stay text here too
    csv = client.get("/views/entity", params={"lang": "en", "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and b"record,id,label" in csv.content
    assert client.get("/views/entity", params={"format": "table", "radius": "many"}).status_code == 400


def test_views_list_shows_a_small_picture_of_each_view(client) -> None:
    page = client.get("/views", headers={"Accept": "text/html"})
    assert 'src="/views/organisations/preview.png?lang=en"' in page.text
    png = client.get("/views/organisations/preview.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n" and len(png.content) < 200_000
    assert client.get("/views/nowhere/preview.png").status_code == 404


@pytest.mark.parametrize(("lang", "words"), [("ko", ["저장된 질의", "질의 실행"]),
                                             ("id", ["Kueri bernama", "Jalankan kueri"])])
def test_the_query_and_entity_pages_speak_the_chosen_language(client, lang: str, words: list[str]) -> None:
    home = client.get("/", params={"lang": lang}, headers={"Accept": "text/html"}).text
    assert all(w in home for w in words)
    entity = client.get("/id/person/lee-kyogu", params={"lang": lang}, headers={"Accept": "text/html"}).text
    assert {"ko": "진술", "id": "Pernyataan"}[lang] in entity
    views = client.get("/views", params={"lang": lang}, headers={"Accept": "text/html"}).text
    assert {"ko": "각 회차의 개최국과 참가국", "id": "Negara tuan rumah"}[lang] in views


def test_the_path_page_explains_a_connection_with_its_sources(client) -> None:
    r = client.get("/path", params={"from": "lee-kyogu", "to": "kofice"}, headers={"Accept": "text/html"})
    assert r.status_code == 200 and '<ol class="path-steps">' in r.text and 'class="sources"' in r.text
    assert "Kyogu Lee" in r.text
    miss = client.get("/path", params={"from": "lee-kyogu", "to": "nobody-at-all"}, headers={"Accept": "text/html"})
    assert miss.status_code == 200 and "no entity" in miss.text
    assert client.get("/path", params={"from": "<script>", "to": "x"}).status_code == 200
