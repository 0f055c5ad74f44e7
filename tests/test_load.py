"""Loading: every bad-data fixture fails with one readable, located message and loses nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from culturegraph.api import CultureGraph
from culturegraph.errors import DataError

from .conftest import FIXTURES, run_cli

BAD = sorted(p.name for p in (FIXTURES / "bad").iterdir() if p.is_dir())


def overlay(project: Path, defect: str) -> tuple[str, str]:
    src = FIXTURES / "bad" / defect
    for f in src.rglob("*"):
        if f.is_file() and f.name != "expect.txt":
            target = project / "data" / f.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(f, target)
    where, phrase = (src / "expect.txt").read_text(encoding="utf-8").splitlines()[:2]
    return where, phrase


def test_fixture_project_builds(mini: Path) -> None:
    res = run_cli("build", cwd=mini)
    assert res.returncode == 0, res.stderr
    assert (mini / "dist" / "culturegraph.ttl").stat().st_size > 0


@pytest.mark.parametrize("defect", BAD)
def test_bad_data_fails_cleanly(mini: Path, defect: str) -> None:
    """Build once (good), lay the defect over, build again: non-zero, located message, dist/ unchanged."""
    assert run_cli("build", cwd=mini).returncode == 0
    before = {p.name: p.read_bytes() for p in (mini / "dist").iterdir()}
    where, phrase = overlay(mini, defect)
    res = run_cli("build", cwd=mini)
    assert res.returncode != 0
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    hit = [ln for ln in lines if ln.startswith(where + ":") and phrase in ln]
    assert hit, f"expected a line starting {where!r} containing {phrase!r}, got:\n{res.stderr}"
    assert "Traceback" not in res.stderr
    after = {p.name: p.read_bytes() for p in (mini / "dist").iterdir()}
    assert after == before, "dist/ changed (or gained a temp file) after a failed build"


def test_every_problem_is_reported_in_one_pass(mini: Path) -> None:
    people = mini / "data" / "people.yaml"
    people.write_text(
        "people:\n  - id: a-person\n    name: {en: A}\n    colour: red\n"
        "  - id: b-person\n    name: {en: B}\n    nationality: atlantis\n    sources: [nope]\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        _ = CultureGraph(mini).loaded
    text = str(info.value)
    assert "data/people.yaml:4: unknown key 'colour'" in text
    assert "data/people.yaml:2: person 'a-person' has no sources" in text
    assert "dangling reference 'atlantis'" in text
    assert "dangling reference 'nope'" in text


def test_annotated_value_keeps_statement_sources_and_alternatives(mini: Path) -> None:
    cg = CultureGraph(mini)
    res = cg.query("""
        SELECT ?value ?asserted ?src WHERE {
          ?c a cg:Conflict ; cg:about ?s ; cg:reading ?r .
          ?r rdf:predicate cg:order ; rdf:object ?value ; cg:asserted ?asserted ; dcterms:source ?src .
        } ORDER BY ?value""")
    got = [(int(r[0]), bool(r[1].toPython()), str(r[2]).rsplit("/", 1)[-1]) for r in res.rows]
    assert got == [(3, True, "sportsworldi-20251104"), (4, False, "cityweekly-2025-11-08")]
    # the asserted reading is the one in the graph; the alternative is not asserted
    orders = cg.query("SELECT ?o WHERE { session:forum-2025-s3 cg:order ?o }").column("o")
    assert orders == [3]


def test_yaml_one_point_one_booleans_stay_words(mini: Path) -> None:
    # 'no' is Norway's code and a word; YAML 1.1 would silently read it as false
    (mini / "data" / "extra.yaml").write_text(
        "countries:\n  - id: no\n    name: {en: Norway}\n    iso_alpha2: 'NO'\n    iso_alpha3: NOR\n"
        "    sources: [cityweekly-2025-11-08]\n", encoding="utf-8")
    cg = CultureGraph(mini)
    assert cg.query("ASK { country:no cg:isoAlpha2 'NO' }").boolean


def test_malformed_ontology_names_file_and_line(mini: Path) -> None:
    onto = mini / "ontology" / "culturegraph.ttl"
    text = onto.read_text(encoding="utf-8").splitlines()
    text.insert(40, "cg:Broken a owl:Class ;; ]")
    onto.write_text("\n".join(text), encoding="utf-8")
    res = run_cli("build", cwd=mini)
    assert res.returncode != 0
    assert "ontology/culturegraph.ttl" in res.stderr and "Turtle syntax error" in res.stderr
    assert "Traceback" not in res.stderr



def test_a_gloss_names_a_record_in_its_language_only(cg: CultureGraph) -> None:
    """Session 2a of 2020 has a Korean title and an English gloss (real data): the gloss gives it its
    English label, and the Korean label stays the title."""
    from culturegraph.namespaces import CG, RDFS

    s = cg.loaded.iri("forum-2020-s2a")
    quads = [q for q in cg.loaded.quads if q[0] == s]
    labels = {o.language: str(o) for _, p, o, _ in quads if p == RDFS.label}
    glosses = {o.language: str(o) for _, p, o, _ in quads if p == CG.gloss}
    assert set(glosses) == {"en"}
    assert set(labels) == {"en", "ko"}
    assert labels["en"] == glosses["en"]
    assert labels["ko"] != glosses["en"]
