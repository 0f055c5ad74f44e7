"""Public graph and working aids: the look-up keys and display labels the server and the named queries read
(``graph/index``, ``graph/display/*``) stay out of the public dumps and out of ``DESCRIBE``; they ship on
their own (``culturegraph export --format aids``, ``culturegraph-aids.nq.gz`` in a release), and a store
loaded with a public dump plus that file answers every named query as the local engine does."""

from __future__ import annotations

import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from culturegraph.api import CultureGraph
from culturegraph.derived import INDEX_ONLY, is_aid_graph
from culturegraph.queries import load_queries, run_local, run_remote

from .conftest import ROOT, oxigraph_server, run_cli
from .server_helpers import real_server

BASE = "https://w3id.org/culturegraph/"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exported")
    for fmt, name in (("nquads", "cg.nq"), ("ntriples", "cg.nt"), ("turtle", "cg.ttl"), ("aids", "aids.nq")):
        res = run_cli("export", "--format", fmt, "-o", str(out / name), cwd=ROOT)
        assert res.returncode == 0, res.stderr
    return out


def _quads(path: Path, fmt: ox.RdfFormat) -> list[ox.Quad]:
    return list(ox.parse(path=str(path), format=fmt))


def test_public_dumps_leave_the_working_aids_out(exported: Path, cg: CultureGraph) -> None:
    public = _quads(exported / "cg.nq", ox.RdfFormat.N_QUADS)
    aids = _quads(exported / "aids.nq", ox.RdfFormat.N_QUADS)
    assert public and aids
    assert not [q for q in public if is_aid_graph(q.graph_name.value, BASE)]
    assert all(is_aid_graph(q.graph_name.value, BASE) for q in aids)
    for path, fmt in (("cg.nq", ox.RdfFormat.N_QUADS), ("cg.nt", ox.RdfFormat.N_TRIPLES),
                      ("cg.ttl", ox.RdfFormat.TURTLE)):
        used = {q.predicate.value for q in _quads(exported / path, fmt)}
        assert not used & INDEX_ONLY, (path, used & INDEX_ONLY)
    # the aids carry every look-up predicate, and the two files together are the whole store
    assert {q.predicate.value for q in aids} >= INDEX_ONLY
    assert set(public) | set(aids) == set(cg.ox_quads) and not set(public) & set(aids)
    # the derived analytics stay public (documented terms, facts computed from the data)
    assert any(q.graph_name.value == BASE + "graph/derived" for q in public)


def test_release_ships_the_aids_beside_the_dumps(tmp_path: Path) -> None:
    res = run_cli("release", "--out", str(tmp_path), "--no-validate", cwd=ROOT)
    assert res.returncode == 0, res.stderr
    folder = next(p for p in tmp_path.iterdir() if p.is_dir())
    import gzip

    nt = gzip.decompress((folder / "culturegraph.nt.gz").read_bytes())
    used = {t.predicate.value for t in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)}
    assert len(used) > 50 and not used & INDEX_ONLY
    aids = gzip.decompress((folder / "culturegraph-aids.nq.gz").read_bytes())
    assert b"<https://w3id.org/culturegraph/graph/index> ." in aids
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "culturegraph-aids.nq.gz" in readme and "working aids" in readme
    void = (folder / "void.ttl").read_text(encoding="utf-8")
    assert "culturegraph-aids" not in void  # VoID describes the dataset's dumps only
    assert "culturegraph-aids.nq.gz" in (folder / "catalog.ttl").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def portal(exported: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server loaded the way a portal would: the public N-Quads dump, then the aids file."""
    location = tmp_path_factory.mktemp("portal")
    exe = str(Path(sys.executable).with_name("oxigraph"))
    for name in ("cg.nq", "aids.nq"):
        subprocess.run([exe, "load", "--location", str(location), "--file", str(exported / name)], check=True,
                       capture_output=True)
    with oxigraph_server("serve-read-only", location) as url:
        yield url + "/query"


def test_a_public_dump_plus_the_aids_answers_every_named_query(portal: str, cg: CultureGraph) -> None:
    queries = load_queries(ROOT / "queries")
    for name, query in queries.items():
        local = run_local(cg, query, limit=10**6)
        remote = run_remote(portal, query, limit=10**6, timeout=120)
        assert (remote.rows, remote.boolean) == (local.rows, local.boolean), name


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with real_server() as url:
        yield url


ENTITIES = ["organisation/kofice", "person/choi-eung-chon", "edition/forum-2025", "city/busan",
            "conflict/c1-first-forum", "session/forum-2025-s3"]


def _get(url: str, accept: str) -> str:
    req = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return resp.read().decode("utf-8")


@pytest.mark.parametrize("entity", ENTITIES)
def test_describe_and_entity_data_hold_no_aids_and_no_duplicates(server: str, entity: str) -> None:
    iri = BASE + "id/" + entity
    query = urllib.parse.urlencode({"query": f"DESCRIBE <{iri}>"})
    for text in (_get(f"{server}/sparql?{query}", "application/n-triples"),
                 _get(f"{server}/id/{entity}", "application/n-triples")):
        lines = [line for line in text.splitlines() if line.strip()]
        assert lines, entity
        assert len(lines) == len(set(lines)), [line for line in lines if lines.count(line) > 1][:3]
        triples = list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))
        assert not {t.predicate.value for t in triples} & INDEX_ONLY
        assert any(t.subject.value == iri for t in triples)
