"""`culturegraph build`: deterministic, atomic dumps that keep provenance."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from culturegraph.api import CultureGraph
from culturegraph.derived import is_aid_graph

from .conftest import run_cli


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("project", ["mini", "real_copy"])
def test_dumps_are_byte_identical_across_hash_seeds(project: str, request: pytest.FixtureRequest,
                                                     tmp_path: Path) -> None:
    root: Path = request.getfixturevalue(project)
    digests = []
    for seed in ("0", "1", "4242"):
        out = tmp_path / f"out-{seed}"
        res = run_cli("build", "--out", str(out), cwd=root, env={"PYTHONHASHSEED": seed})
        assert res.returncode == 0, res.stderr
        digests.append(digest(out))
    assert digests[0] == digests[1] == digests[2]
    assert set(digests[0]) == {"culturegraph.ttl", "culturegraph.nq", "culturegraph.trig",
                               "culturegraph.key.json"}  # content key: lets `query` reuse the dump


def test_dumps_agree_with_each_other_and_keep_one_graph_per_record(mini: Path) -> None:
    assert run_cli("build", cwd=mini).returncode == 0
    dist = mini / "dist"
    ttl = Graph().parse(dist / "culturegraph.ttl", format="turtle")
    ds = Dataset()
    ds.parse(dist / "culturegraph.nq", format="nquads")
    cg = CultureGraph(mini)
    union = Graph()  # the Turtle dump merges the public graphs; the N-Quads snapshot has the working aids too
    for s, p, o, g in ds.quads((None, None, None, None)):
        if not is_aid_graph(str(getattr(g, "identifier", g)), cg.settings.base_iri):
            union.add((s, p, o))
    assert isomorphic(ttl, union)
    trig = Dataset()
    trig.parse(dist / "culturegraph.trig", format="trig")
    aids = {str(g.identifier) for g in ds.graphs() if len(g)} - {str(g.identifier) for g in trig.graphs() if len(g)}
    assert aids and all(is_aid_graph(g, cg.settings.base_iri) for g in aids)
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    base = cg.settings.base_iri
    # every record has its own named graph, named after its kind and id
    for rid, rec in cg.loaded.records.items():
        assert f"{base}graph/{rec.kind.path}/{rid}" in graphs
    assert f"{base}graph/ontology" in graphs


def test_no_temporary_files_left_behind(mini: Path) -> None:
    assert run_cli("build", cwd=mini).returncode == 0
    assert sorted(p.name for p in (mini / "dist").iterdir()) == [
        "culturegraph.key.json", "culturegraph.nq", "culturegraph.trig", "culturegraph.ttl"]


def test_build_refuses_non_conforming_data_and_keeps_dist(mini: Path) -> None:
    assert run_cli("build", cwd=mini).returncode == 0
    before = digest(mini / "dist")
    people = mini / "data" / "people.yaml"
    # a person whose only label is untagged would be caught while loading; a venue without a city is
    # caught by SHACL: remove the city line from the venue record
    places = mini / "data" / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8").replace("    city: singapore\n", ""), encoding="utf-8")
    res = run_cli("build", cwd=mini)
    assert res.returncode == 1
    assert "venue" in res.stderr
    assert digest(mini / "dist") == before
    del people


def test_validate_exit_codes(mini: Path) -> None:
    ok = run_cli("validate", cwd=mini)
    assert ok.returncode == 0 and "valid:" in ok.stdout
    (mini / "data" / "themes.yaml").write_text(
        (mini / "data" / "themes.yaml").read_text(encoding="utf-8").replace("broader: ai", "broader: a1"),
        encoding="utf-8")
    bad = run_cli("validate", cwd=mini)
    assert bad.returncode == 1
    assert "data/themes.yaml:" in bad.stderr and "dangling reference 'a1'" in bad.stderr
