"""``/draft``: a pasted article becomes its reviewable draft in the browser (the same draft as the CLI's), on a
phone and a laptop; bad input is a 422 with one message; a hostile article stays text."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from culturegraph.api import CultureGraph
from culturegraph.draft import draft_article

from .conftest import ROOT
from .server_helpers import real_server

ARTICLE = ROOT / "tests" / "data" / "draft" / "forum-2031-en.txt"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with real_server() as url:
        yield url


def _post(server: str, **form: str) -> tuple[int, dict[str, str], str]:
    req = urllib.request.Request(server + "/draft", data=urllib.parse.urlencode(form).encode(), method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, dict(resp.headers), resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode("utf-8")


def test_the_download_is_the_clis_draft(server: str, cg: CultureGraph) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    status, headers, body = _post(server, text=text, url="https://example.org/news/forum-2031", format="yaml")
    assert status == 200 and headers["content-type"].startswith("application/yaml")
    assert 'filename="forum-2031.yaml"' in headers["content-disposition"]
    cli = draft_article(cg, ARTICLE, url="https://example.org/news/forum-2031").to_yaml()
    # the same draft; only the name of the article differs
    assert body.replace("from pasted article ", "from forum-2031-en.txt ") == cli


@pytest.mark.parametrize(("text", "message"), [
    ("", "the article is empty"),
    ("Cuaca hari ini cerah dan banyak orang berjalan di tepi sungai untuk melihat perahu yang lewat.",
     "no event found"),
])
def test_bad_input_is_a_422_with_one_message(server: str, text: str, message: str) -> None:
    status, _, body = _post(server, text=text, format="html")
    assert status == 422 and message in body and "Traceback" not in body


def test_a_hostile_article_stays_text(server: str) -> None:
    text = (ARTICLE.read_text(encoding="utf-8")
            + '\nSession 3: "<script>alert(1)</script>" and <img src=x onerror=alert(2)>\n')
    status, _, body = _post(server, text=text, format="html")
    assert status == 200
    assert "<script>alert(1)" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 900)])
def test_draft_in_the_browser(server: str, browser, artifacts, width: int, height: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    outside, errors, dialogs = [], [], []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/draft?lang=en")
    assert page.title().startswith("Draft from an article")
    page.fill("textarea", ARTICLE.read_text(encoding="utf-8") + "\n<img src=x onerror=alert(2)>\n")
    page.fill("#draft-url", "https://example.org/news/forum-2031")
    page.click("button[value=html]")
    page.wait_for_selector("pre.draft-yaml")
    shown = page.locator("pre.draft-yaml").inner_text()
    assert "  id: forum-2031" in shown and "who: mcst, role: host" in shown
    assert page.locator("h2#draft-result-h").inner_text() == "forum-2031"
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    page.screenshot(path=str(artifacts / f"draft-{width}.png"), full_page=True)
    with page.expect_download() as dl:
        page.click("button[value=yaml]")
    assert dl.value.suggested_filename == "forum-2031.yaml"
    assert not outside and not errors and not dialogs
    context.close()
