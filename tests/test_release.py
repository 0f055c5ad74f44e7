"""Release bundle: DCAT-AP conformance, honest sizes and checksums, VoID numbers, PROV with a canonical hash,
byte-identical bundles across hash seeds and rebuilds, nothing from the clock or the network."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from culturegraph.api import CultureGraph
from culturegraph.errors import ExportError
from culturegraph.export import export
from culturegraph.export.describe import DCAT_VERSION, SPDX, canonical_hash
from culturegraph.export.release import build_release, default_version, gzip_bytes, write_release

from .conftest import ROOT, run_cli

SHAPES = ROOT / "ontology" / "dcat-ap-shapes.ttl"


@pytest.fixture(scope="module")
def bundle(cg: CultureGraph) -> dict[str, bytes]:
    """The release of the real data, built once (in memory; validation is the validate command's job)."""
    return build_release(cg)


@pytest.fixture(scope="module")
def catalog(bundle: dict[str, bytes]) -> Graph:
    return Graph().parse(data=bundle["catalog.ttl"], format="turtle")


def _shacl(data: Graph) -> list[tuple[str, str]]:
    from pyshacl import validate

    _, report, _ = validate(data, shacl_graph=Graph().parse(SHAPES), inference="none")
    sh = "http://www.w3.org/ns/shacl#"
    out = []
    for r in report.subjects(RDF.type, URIRef(sh + "ValidationResult")):
        out.append((str(report.value(r, URIRef(sh + "resultSeverity"))).rsplit("#", 1)[-1],
                    str(report.value(r, URIRef(sh + "resultMessage")))))
    return sorted(out)


def test_catalog_passes_the_dcat_ap_shapes(catalog: Graph) -> None:
    results = _shacl(catalog)
    assert not [r for r in results if r[0] == "Violation"], results
    # the one recommendation left open: the publisher's ADMS type is not known to the project
    assert results == [("Warning", "Agent: dcterms:type is recommended (an ADMS publisher type)")]


def test_shapes_catch_a_missing_mandatory_property(catalog: Graph) -> None:
    broken = Graph()
    for t in catalog:
        broken.add(t)
    dataset = URIRef("https://w3id.org/culturegraph/dataset")
    broken.remove((dataset, DCTERMS.title, None))
    broken.remove((None, DCAT.accessURL, None))
    violations = {m for sev, m in _shacl(broken) if sev == "Violation"}
    assert "Dataset: dcterms:title is mandatory" in violations
    assert "Distribution: dcat:accessURL is mandatory" in violations


def test_distributions_describe_the_files(bundle: dict[str, bytes], catalog: Graph, cg: CultureGraph) -> None:
    base = cg.settings.base_iri
    dataset = URIRef(base + "dataset")
    version = str(catalog.value(dataset, DCAT_VERSION))
    dists = {d for d in catalog.objects(dataset, DCAT.distribution) if catalog.value(d, DCAT.downloadURL)}
    paths = {str(catalog.value(d, DCAT.downloadURL)).removeprefix(f"{base}release/{version}/"): d for d in dists}
    assert set(paths) == set(bundle) - {"catalog.ttl", "README.md", "SHA256SUMS"}
    for path, dist in paths.items():
        assert catalog.value(dist, DCAT.byteSize) == Literal(len(bundle[path]), datatype=XSD.nonNegativeInteger)
        checksum = catalog.value(dist, SPDX.checksum)
        assert catalog.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(catalog.value(checksum, SPDX.checksumValue)) == hashlib.sha256(bundle[path]).hexdigest()
        assert catalog.value(dist, DCAT.mediaType) is not None
    service = catalog.value(URIRef(base + "catalog"), DCAT.service)
    assert (service, RDF.type, DCAT.DataService) in catalog
    assert catalog.value(service, DCAT.endpointURL) == URIRef(base + "sparql")
    for lang in ("en", "ko", "id"):
        assert any(t.language == lang for t in catalog.objects(dataset, DCTERMS.title))  # type: ignore[attr-defined]
        assert any(t.language == lang for t in catalog.objects(dataset, DCTERMS.description))  # type: ignore[attr-defined]


def test_temporal_and_spatial_coverage_come_from_the_data(catalog: Graph, cg: CultureGraph) -> None:
    dataset = URIRef(cg.settings.base_iri + "dataset")
    period = catalog.value(dataset, DCTERMS.temporal)
    start, end = str(catalog.value(period, DCAT.startDate)), str(catalog.value(period, DCAT.endDate))
    # every dated record of the field (editions, events, documents, projects, terms of office …), not the
    # publication dates of the sources
    dates = cg.query("SELECT ?d WHERE { ?e schema:startDate|schema:endDate|dcterms:date ?d "
                     "FILTER NOT EXISTS { ?e a cg:Source } }", limit=10**9).column("d")
    texts = sorted(str(d) for d in dates)
    assert start == min(texts, key=lambda d: (d + "-01-01")[:10])
    assert end[:4] == max(t[:4] for t in texts)
    hosts = set(cg.query("SELECT ?c WHERE { ?e cg:hostCountry ?c }", limit=10**9).column("c"))
    assert {URIRef(c) for c in hosts} <= set(catalog.objects(dataset, DCTERMS.spatial))


def test_void_statistics(bundle: dict[str, bytes], cg: CultureGraph) -> None:
    void = Graph().parse(data=bundle["void.ttl"], format="turtle")
    dataset = URIRef(cg.settings.base_iri + "dataset")
    from culturegraph.derived import is_aid_graph  # VoID describes the public dumps: the working aids are apart

    triples = {q.triple for q in cg.ox_quads if not is_aid_graph(q.graph_name.value, cg.settings.base_iri)}
    assert void.value(dataset, VOID.triples).toPython() == len(triples)  # type: ignore[union-attr]
    assert void.value(dataset, VOID.distinctSubjects).toPython() == len({t.subject for t in triples})  # type: ignore[union-attr]
    assert void.value(dataset, VOID.distinctObjects).toPython() == len({t.object for t in triples})  # type: ignore[union-attr]
    same_as = cg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s owl:sameAs ?o FILTER(STRSTARTS(STR(?o), STR(wd:))) }")
    linkset = void.value(dataset, VOID.subset)
    assert void.value(linkset, VOID.triples).toPython() == same_as.rows[0][0].toPython()  # type: ignore[union-attr]
    parts = {void.value(p, VOID["class"]): void.value(p, VOID.entities).toPython()  # type: ignore[union-attr]
             for p in void.objects(dataset, VOID.classPartition)}
    editions = cg.query("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a cg:Edition }").rows[0][0].toPython()
    assert parts[URIRef("https://w3id.org/culturegraph/ontology#Edition")] == editions
    dumps = {str(u).rsplit("/", 1)[-1] for u in void.objects(dataset, VOID.dataDump)}
    assert dumps == {n for n in bundle if n.startswith("culturegraph.") and n.endswith(".gz")}
    assert void.value(dataset, VOID.sparqlEndpoint) is not None
    assert len(list(void.objects(dataset, VOID.exampleResource))) >= 3


def test_prov_records_the_data_version_and_canonical_hash(bundle: dict[str, bytes], cg: CultureGraph) -> None:
    prov = bundle["prov.ttl"].decode("utf-8")
    assert canonical_hash(cg) in prov
    assert "prov:SoftwareAgent" in prov and "prov:used" in prov and "rdf-canon" in prov
    # the canonical hash does not depend on quad order, and changes with the data
    shuffled = CultureGraph(cg.root)
    shuffled.__dict__["ox_quads"] = list(reversed(cg.ox_quads))
    assert canonical_hash(shuffled) == canonical_hash(cg)
    fewer = CultureGraph(cg.root)
    data = next(i for i, q in enumerate(cg.ox_quads) if "/graph/ontology" in q.graph_name.value)
    fewer.__dict__["ox_quads"] = cg.ox_quads[:data] + cg.ox_quads[data + 1:]
    assert canonical_hash(fewer) != canonical_hash(cg)
    # a portal can check it against the N-Quads dump it downloaded (no blank nodes: RDFC-1.0 keeps the lines)
    import gzip

    lines = sorted(set(gzip.decompress(bundle["culturegraph.nq.gz"]).split(b"\n")) - {b""})
    assert hashlib.sha256(b"".join(line + b"\n" for line in lines)).hexdigest() == canonical_hash(cg)


def _rdfc_by_dataset(quads: list[ox.Quad]) -> str:
    """The hash the long way: pyoxigraph's RDFC-1.0 canonicalisation of a Dataset, distinct sorted lines."""
    ds = ox.Dataset(quads)
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    lines = sorted({line for line in ox.serialize(ds, format=ox.RdfFormat.N_QUADS).split(b"\n") if line})
    return hashlib.sha256(b"".join(line + b"\n" for line in lines)).hexdigest()


def test_canonical_hash_is_rdfc_1_0_with_and_without_blank_nodes(cg: CultureGraph) -> None:
    """Without blank nodes the hash skips canonicalisation (it would relabel nothing); it must still be the
    RDFC-1.0 hash. With blank nodes it canonicalises: relabelled, isomorphic data hashes the same."""
    from types import SimpleNamespace

    from culturegraph.derived import is_aid_graph

    assert not any(isinstance(t, ox.BlankNode) for q in cg.ox_quads for t in (q.subject, q.object))
    public = [q for q in cg.ox_quads if not is_aid_graph(q.graph_name.value, cg.settings.base_iri)]
    doubled = cg.ox_quads + cg.ox_quads[:50]  # duplicates count once; the working aids not at all
    assert canonical_hash(SimpleNamespace(ox_quads=doubled, settings=cg.settings)) == _rdfc_by_dataset(public)  # type: ignore[arg-type]
    p, g = ox.NamedNode("https://example.org/p"), ox.NamedNode("https://example.org/g")

    def chain(a: str, b: str) -> list[ox.Quad]:
        x, y = ox.BlankNode(a), ox.BlankNode(b)
        return [ox.Quad(x, p, y, g), ox.Quad(y, p, ox.Literal("end"), g), *public[:20]]

    one, other = chain("a1", "a2"), chain("zz", "b0")
    def facade(quads: list[ox.Quad]) -> SimpleNamespace:
        return SimpleNamespace(ox_quads=quads, settings=cg.settings)

    assert canonical_hash(facade(one)) == canonical_hash(facade(other))  # type: ignore[arg-type]
    assert canonical_hash(facade(one)) == _rdfc_by_dataset(one)  # type: ignore[arg-type]


def test_checksums_readme_and_gzip(bundle: dict[str, bytes], cg: CultureGraph) -> None:
    sums = dict(line.split("  ", 1)[::-1] for line in bundle["SHA256SUMS"].decode().splitlines())
    assert set(sums) == set(bundle) - {"SHA256SUMS"}
    assert all(hashlib.sha256(bundle[p]).hexdigest() == h for p, h in sums.items())
    ttl = bundle["culturegraph.ttl.gz"]
    assert ttl[4:8] == b"\0\0\0\0"  # gzip mtime 0
    assert gzip.decompress(ttl) == export(cg, "turtle")["culturegraph.ttl"]
    assert gzip_bytes(b"x") == gzip_bytes(b"x")
    assert b"culturegraph.ttl.gz" in bundle["README.md"]


def test_ontology_documentation_is_offline(bundle: dict[str, bytes]) -> None:
    html = bundle["ontology/index.html"].decode("utf-8")
    assert "forum edition" in html and "<html" in html
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', html), "loads something from the network"


def test_bundle_is_byte_identical_across_hash_seeds_and_rebuilds(mini: Path) -> None:
    """The CLI in three processes with different PYTHONHASHSEED values, then a rebuild: same bytes."""
    results = []
    for seed in ("1", "2", "3"):
        out = mini / f"out-{seed}"
        res = run_cli("release", "--out", str(out), cwd=mini, env={"PYTHONHASHSEED": seed})
        assert res.returncode == 0, res.stderr
        assert res.stderr == "", res.stderr  # no stray logging from pyLODE
        results.append({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert results[0] == results[1] == results[2]
    again = run_cli("release", "--out", str(mini / "out-1"), cwd=mini, env={"PYTHONHASHSEED": "4"})
    assert again.returncode == 0, again.stderr
    rebuilt = {p.relative_to(mini / "out-1").as_posix(): p.read_bytes()
               for p in (mini / "out-1").rglob("*") if p.is_file()}
    assert rebuilt == results[0]
    version = default_version(CultureGraph(mini))
    assert all(p.startswith(version + "/") for p in rebuilt if p != version + ".key.json")
    assert version + ".key.json" in rebuilt  # the bundle key serve checks before reusing the folder
    assert not [p for p in rebuilt if p.rsplit("/", 1)[-1].startswith(".")], "temp files left behind"


def test_options_and_bad_input(mini: Path) -> None:
    cg = CultureGraph(mini)
    folder, files = write_release(cg, mini / "rel", version="2.0.0", issued="2025-01-02", modified="2025-12-01",
                                  endpoint_url="https://example.org/sparql")
    assert folder == mini / "rel" / "2.0.0"
    assert b'"2025-12-01"^^xsd:date' in files["catalog.ttl"] and b"https://example.org/sparql" in files["catalog.ttl"]
    assert b"release/2.0.0/culturegraph.nq.gz" in files["catalog.ttl"]
    (folder / "stale.txt").write_text("mine", encoding="utf-8")
    for bad in ({"version": "latest"}, {"version": "../1.0.0"}, {"modified": "yesterday"}):
        with pytest.raises(ExportError):
            write_release(cg, mini / "rel", validate=False, **bad)  # type: ignore[arg-type]
    assert (folder / "stale.txt").is_file()  # not ours: left alone
    res = run_cli("release", "--version", "nope", "--out", "x", cwd=mini)
    assert res.returncode == 1 and "version 'nope'" in res.stderr and not (mini / "x").exists()


def test_release_refuses_invalid_data(mini: Path) -> None:
    people = mini / "data" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + "  - id: broken\n", encoding="utf-8")
    res = run_cli("release", "--out", "rel", cwd=mini)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert not (mini / "rel").exists()


def test_release_dumps_parse(bundle: dict[str, bytes]) -> None:
    for name in ("culturegraph.nq.gz", "culturegraph.ttl.gz"):
        fmt = ox.RdfFormat.N_QUADS if name.endswith(".nq.gz") else ox.RdfFormat.TURTLE
        assert sum(1 for _ in ox.parse(gzip.decompress(bundle[name]), format=fmt)) > 1000


def test_publishing_routes(mini: Path) -> None:
    """The routes `culturegraph serve` mounts: VoID, catalog (content negotiation), context, release files."""
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from culturegraph.export.routes import publishing_routes

    cg = CultureGraph(mini)
    client = TestClient(Starlette(routes=publishing_routes(cg)))
    files = build_release(cg)
    void = client.get("/.well-known/void")
    assert void.status_code == 200 and void.content == files["void.ttl"]
    assert void.headers["content-type"].startswith("text/turtle")
    cat = client.get("/catalog", headers={"Accept": "application/n-triples"})
    assert cat.status_code == 200 and cat.headers["content-type"].startswith("application/n-triples")
    assert len(Graph().parse(data=cat.content, format="nt")) == len(Graph().parse(data=files["catalog.ttl"]))
    assert client.get("/catalog", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/context.jsonld").json()["@context"]["name"]["@id"] == "rdfs:label"
    version = default_version(cg)
    dump = client.get(f"/release/{version}/culturegraph.nq.gz")
    assert dump.status_code == 200 and dump.content == files["culturegraph.nq.gz"]
    assert client.get(f"/release/{version}/../../etc/passwd").status_code == 404
    assert client.get("/release/9.9.9/culturegraph.nq.gz").status_code == 404


def test_the_server_bundle_is_built_once_when_requests_come_together(monkeypatch: pytest.MonkeyPatch,
                                                                      mini: Path) -> None:
    """/catalog, /.well-known/void and /release/… share one bundle per facade; first requests arriving
    together wait for one build instead of each starting their own (minutes and gigabytes at 1M)."""
    import threading
    import time

    from culturegraph.export import release

    builds: list[int] = []

    def slow_build(cg: CultureGraph) -> dict[str, bytes]:
        builds.append(1)
        time.sleep(0.3)
        return {"void.ttl": b"", "n": str(len(builds)).encode()}

    monkeypatch.setattr(release, "build_release", slow_build)
    cg = CultureGraph(mini)
    got: list[dict[str, bytes]] = []
    threads = [threading.Thread(target=lambda: got.append(release.release_files(cg))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(builds) == 1 and len(got) == 4 and all(g is got[0] for g in got)


def _no_build(cg: CultureGraph, **options: object) -> dict[str, bytes]:
    raise AssertionError("built a bundle in memory instead of serving the written one")


def test_serve_reuses_the_bundle_release_wrote(monkeypatch: pytest.MonkeyPatch, mini: Path) -> None:
    """`culturegraph release` then `serve`: the catalog and files come from dist/release/{version}/ (no
    in-memory build, which costs minutes and gigabytes at 1M) and are the written bytes."""
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from culturegraph.export import release
    from culturegraph.export.routes import publishing_routes

    res = run_cli("release", cwd=mini)
    assert res.returncode == 0, res.stderr
    version = default_version(CultureGraph(mini))
    folder = mini / "dist" / "release" / version
    monkeypatch.setattr(release, "build_release", _no_build)
    cg = CultureGraph(mini)
    assert release.release_files(cg) == {p.relative_to(folder).as_posix(): p.read_bytes()
                                         for p in folder.rglob("*") if p.is_file()}
    client = TestClient(Starlette(routes=publishing_routes(cg)))
    assert client.get("/catalog").content == (folder / "catalog.ttl").read_bytes()
    assert client.get(f"/release/{version}/culturegraph.nq.gz").content == (folder / "culturegraph.nq.gz").read_bytes()


@pytest.mark.parametrize("change", ["data", "tampered file", "other options", "no key"])
def test_serve_builds_when_the_written_bundle_is_not_current(monkeypatch: pytest.MonkeyPatch, mini: Path,
                                                             change: str) -> None:
    """A written bundle is served only if it is what serve would build: same data, code and options, and
    every file as SHA256SUMS says. Otherwise serve builds in memory, and the result is the current data's."""
    from culturegraph.export import release

    cg = CultureGraph(mini)
    version = default_version(cg)
    folder = mini / "dist" / "release" / version
    if change == "other options":
        write_release(cg, validate=False, endpoint_url="https://example.org/sparql")
    else:
        write_release(cg, validate=False)
    if change == "data":
        people = mini / "data" / "people.yaml"
        people.write_text(people.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    elif change == "tampered file":
        (folder / "tables" / "people.csv").write_bytes(b"id,name\nx,not what SHA256SUMS says\n")
    elif change == "no key":
        (folder.parent / f"{version}.key.json").unlink()
    built: list[int] = []
    real_build = release.build_release

    def counting_build(cg: CultureGraph, **options: object) -> dict[str, bytes]:
        built.append(1)
        return real_build(cg)

    monkeypatch.setattr(release, "build_release", counting_build)
    fresh = CultureGraph(mini)
    files = release.release_files(fresh)
    assert built == [1]
    assert files == real_build(CultureGraph(mini))
    assert b"https://example.org/sparql" not in files["catalog.ttl"]


def test_an_interrupted_release_leaves_no_matching_key(monkeypatch: pytest.MonkeyPatch, mini: Path) -> None:
    """The key is removed before the files are replaced and written after them: a release cut off half-way
    (here: the disk fails while writing) cannot leave a key that vouches for a mixed folder."""
    from culturegraph import io as cg_io

    cg = CultureGraph(mini)
    folder, _ = write_release(cg, validate=False)
    key = folder.parent / f"{folder.name}.key.json"
    assert key.is_file()

    def failing_write(files: dict[Path, bytes], **_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(cg_io, "write_files", failing_write)
    with pytest.raises(OSError, match="disk full"):
        write_release(cg, validate=False)
    assert not key.exists()
