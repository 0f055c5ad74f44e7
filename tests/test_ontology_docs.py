"""The release's ontology documentation (pyLODE's ``ontology/index.html``) as a person reads it, in real headless
Chromium (Debian's /usr/bin/chromium, driven by Playwright).

The page written by ``release`` is titled, headed and identified as the ontology (not as one of its concept
schemes), every heading and table-of-contents entry is one English label, each class is listed once, and the
page loads nothing from the network. The same checks, run on what pyLODE makes of the raw ontology file, find
the faults issue 29 reported: they can fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from culturegraph.api import CultureGraph
from culturegraph.export.release import _pylode_version_shim, _restore_logging, write_release
from culturegraph.namespaces import ONTOLOGY_IRI
from tests.conftest import copy_project
from tests.test_views_browser import Log

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ONTO = ROOT / "ontology" / "culturegraph.ttl"
TITLE = "culturegraph ontology"
SECTIONS = {"Metadata", "Classes", "Object Properties", "Datatype Properties", "Annotation Properties",
            "Namespaces", "Legend"}
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


def labels(lang: str, kind: URIRef | None = None) -> dict[URIRef, list[str]]:
    """The ontology's own terms (of ``kind``, else all) and their labels in ``lang``."""
    g = Graph().parse(ONTO, format="turtle")
    terms = {s for s in g.subjects(RDF.type, kind)} if kind else set(g.subjects())
    return {t: sorted(str(o) for o in g.objects(t, RDFS.label) if isinstance(o, Literal) and o.language == lang)
            for t in terms if isinstance(t, URIRef) and str(t).startswith(ONTOLOGY_IRI + "#")}


READ_PAGE = """() => {
  const text = (el) => [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent).join(" ").replace(/\\s+/g, " ").trim();
  const toc = {};
  for (const li of document.querySelectorAll("#toc ul.first > li")) {
    const h4 = li.querySelector("h4");
    toc[h4.innerText.trim()] = [...li.querySelectorAll("ul.second a")].map((a) => a.innerText.trim());
  }
  const iri = [...document.querySelectorAll("#metadata dl > div")]
      .filter((d) => d.querySelector("dt").innerText.trim() === "IRI")
      .map((d) => d.querySelector("dd").innerText.trim());
  return {title: document.title, h1: [...document.querySelectorAll("h1")].map((h) => h.innerText.trim()),
          h2: [...document.querySelectorAll("#content h2")].map((h) => h.innerText.trim()),
          h3: [...document.querySelectorAll("#content h3")].map(text), toc, iri,
          body: document.body.innerText};
}"""


def read(browser, path: Path, screenshot: Path | None = None) -> tuple[dict, Log]:
    page = browser.new_page()
    try:
        log = Log(page)
        page.goto(path.as_uri())
        got = page.evaluate(READ_PAGE)
        if screenshot:
            page.screenshot(path=str(screenshot))
    finally:
        page.close()
    return got, log


def problems(got: dict) -> list[str]:
    """What a reader would stumble on; empty when the page reads right."""
    english = {label for ls in labels("en").values() for label in ls}
    found = []
    if got["title"] != TITLE:
        found.append(f"browser title {got['title']!r}")
    if got["h1"] != [TITLE]:
        found.append(f"H1 {got['h1']!r}")
    if got["iri"] != [ONTOLOGY_IRI]:
        found.append(f"IRI shown {got['iri']!r}")
    for where, texts in [("heading", got["h3"]), *((f"contents ({s})", t) for s, t in got["toc"].items()
                                                 if s != "Namespaces")]:
        found += [f"{where} {t!r} is not one English label" for t in texts if t not in english]
    found += [f"{where} {t!r} is Korean" for where, texts in (("H2", got["h2"]), ("contents", list(got["toc"])))
              for t in texts if HANGUL.search(t)]
    classes = got["toc"].get("Classes", [])
    found += [f"class {c!r} listed {classes.count(c)} times" for c in sorted(set(classes)) if classes.count(c) > 1]
    return found


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``ontology/index.html`` as ``release`` writes it (the fixture project, the real ontology)."""
    root = copy_project(tmp_path_factory.mktemp("ontology-docs") / "mini")
    folder, _ = write_release(CultureGraph(root), root / "release")
    return folder / "ontology" / "index.html"


def test_ontology_docs_read_right(browser, released: Path, artifacts: Path) -> None:
    got, log = read(browser, released, artifacts / "ontology-docs.png")
    assert got["title"] == TITLE and got["h1"] == [TITLE]
    assert got["iri"] == [ONTOLOGY_IRI]
    assert problems(got) == []
    assert not HANGUL.search(got["body"]), "Korean text on an English page"
    assert log.outside() == [] and log.errors == [] and log.dialogs == []


def test_each_class_once_by_its_english_label(browser, released: Path) -> None:
    got, _ = read(browser, released)
    classes = labels("en", OWL.Class)
    assert all(len(ls) == 1 for ls in classes.values()), "a class without exactly one English label"
    assert sorted(got["toc"]["Classes"]) == sorted(ls[0] for ls in classes.values())
    assert got["toc"]["Classes"] == sorted(got["toc"]["Classes"], key=str.casefold)  # alphabetical
    props = labels("en", OWL.ObjectProperty) | labels("en", OWL.DatatypeProperty)
    assert len(got["toc"]["Object Properties"]) + len(got["toc"]["Datatype Properties"]) == len(props)
    assert set(got["toc"]) <= SECTIONS
    # no two terms of a section share a label ("year" was both cg:startYear and cg:year)
    twice = {(section, t) for section, texts in got["toc"].items() for t in texts if texts.count(t) > 1}
    assert not twice, sorted(twice)


def test_the_checks_find_what_pylode_makes_of_the_raw_file(browser, tmp_path: Path) -> None:
    """pyLODE given the file itself (as release did before): the faults of issue 29, item 7, all found."""
    _pylode_version_shim()
    with _restore_logging():
        from pylode import OntPub

        html = OntPub(ontology=str(ONTO)).make_html()
    raw = tmp_path / "raw.html"
    raw.write_text(html, encoding="utf-8")
    found = problems(read(browser, raw)[0])
    assert any(p.startswith("browser title") for p in found), found
    assert any(p.startswith("H1") for p in found), found
    assert any(p.startswith("IRI shown") for p in found), found
    assert any(p.startswith("contents (Classes)") for p in found), found  # languages run together
    assert "class 'Organization' listed 2 times" in found, found
