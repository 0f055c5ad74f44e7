"""The same answers on the stores users run: every named query gives the same rows locally, on our own
``/sparql``, on a real Oxigraph server and on a real Virtuoso 7, after ``culturegraph push`` loaded both;
the datatypes the dumps state are the ones every endpoint serves, and satisfy the ontology's ranges.

Both servers are started by the fixtures on loopback, each with its own database folder (Virtuoso is
Debian's ``virtuoso-opensource``, installed by ``scripts/test.sh``; Oxigraph the ``oxigraph`` pip package).
Where a store is wrong and no portable query exists, the deviation is listed in :data:`DEVIATIONS` (and in
``docs/publishing.md``) and checked to be exactly that deviation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from culturegraph.api import CultureGraph
from culturegraph.queries import load_queries, run_local, run_remote

from .conftest import ROOT, oxigraph_server, run_cli, virtuoso_server
from .server_helpers import Server

pytestmark = pytest.mark.server

QUERIES = load_queries(ROOT / "queries")
XSD = "http://www.w3.org/2001/XMLSchema#"

# parameter values beyond each query's declared defaults
EXTRA: dict[str, list[dict[str, object]]] = {
    "recurring-people": [{"min": 1}, {"min": 3}],
    "recurring-organisations": [{"min": 1}, {"min": 3}],
    "organisation-network": [{"min": 1}],
    "edition-participants": [{"year": 2019}, {"year": 2023}],
    "search": [{"q": "문화"}, {"q": "asean"}, {"q": "zzz-no-such-name"}],
    "conflicts": [{"lang": "ko"}],
    "institution-leaders": [{"lang": "ko"}],
    "cross-programme-organisations": [{"min": 3}],
}


def _virtuoso_boolean(row: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f'"{int(v.startswith(chr(34) + "true"))}"^^<{XSD}integer>' if v.endswith(f"<{XSD}boolean>") else v
                 for v in row)


#: (query, store) → how that store's rows differ from the local ones, and why (docs/publishing.md)
DEVIATIONS: dict[tuple[str, str], tuple[str, Callable[[tuple[str, ...]], tuple[str, ...]]]] = {
    ("theme-titles", "virtuoso"): ("Virtuoso 7 returns a computed boolean (BIND(true AS ?asserted)) as the "
                                   "xsd:integer 1 or 0; no SPARQL form makes it keep the boolean",
                                   _virtuoso_boolean),
}


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory, cg: CultureGraph) -> Iterator[dict[str, str]]:
    """Query URLs: our own ``/sparql`` (``culturegraph serve``), an Oxigraph server and a Virtuoso, the two
    servers loaded with ``culturegraph push`` as a user would."""
    n = len(set(cg.ox_quads))
    with oxigraph_server("serve", tmp_path_factory.mktemp("oxigraph")) as oxi, \
            virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as virt:
        res = run_cli("push", "--store", oxi + "/store", "--replace", cwd=ROOT)
        assert res.returncode == 0 and f"the store holds {n:,}" in res.stdout, res.stderr
        res = run_cli("push", "--store", virt + "/sparql-graph-crud-auth", "--auth", "dba:dba", cwd=ROOT)
        assert res.returncode == 0, res.stderr
        assert f"pushed {n:,} statements into named graphs" in res.stdout and f"the store holds {n:,}" in res.stdout
        # Virtuoso keeps no graph of N-Quads sent to its graph store: push saw it and used INSERT DATA
        assert "kept no named graph" in res.stderr and "SPARQL Update (INSERT DATA)" in res.stdout
        srv = Server(ROOT, "--workers", "2")
        try:
            yield {"sparql": srv.url + "/sparql", "oxigraph": oxi + "/query", "virtuoso": virt + "/sparql",
                   "virtuoso-base": virt}
        finally:
            srv.stop()


def _rows(result: Any) -> list[tuple[str, ...]]:
    if result.kind == "ask":
        return [(str(result.boolean),)]
    return [tuple("" if v is None else v.n3() for v in row) for row in result.rows]


def _cases() -> list[tuple[str, dict[str, object]]]:
    return [(name, values) for name in QUERIES for values in [{}, *EXTRA.get(name, [])]]


@pytest.mark.parametrize(("name", "values"), _cases(), ids=lambda v: v if isinstance(v, str) else
                         ",".join(f"{k}={x}" for k, x in v.items()) or "defaults")
def test_named_query_same_rows_on_every_store(stores: dict[str, str], cg: CultureGraph, name: str,
                                              values: dict[str, object]) -> None:
    query = QUERIES[name]
    local = _rows(run_local(cg, query, values, limit=10**6))
    for store in ("sparql", "oxigraph", "virtuoso"):
        remote = _rows(run_remote(stores[store], query, values, limit=10**6, timeout=120))
        why, deviate = DEVIATIONS.get((name, store), ("", None))
        expected = [deviate(row) for row in local] if deviate else local
        if deviate:
            assert expected != local, f"{name}: the listed deviation ({why}) no longer applies to this data"
        first = next(((a, b) for a, b in zip(remote, expected, strict=False) if a != b), None)
        assert remote == expected, f"{name} on {store}: {len(remote)} rows, locally {len(local)}; first: {first}"


def test_every_deviation_is_documented() -> None:
    text = (ROOT / "docs" / "publishing.md").read_text(encoding="utf-8")
    for name, store in DEVIATIONS:
        assert f"`{name}`" in text and store.capitalize() in text


# the public graphs (what the dumps hold): not the working aids in graph/index and graph/display/*
DATATYPES = ("SELECT ?p ?dt (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
             "FILTER(isLiteral(?o) && lang(?o) = \"\" && STRSTARTS(STR(?g), \"https://w3id.org/culturegraph/graph/\") "
             "&& ?g != <https://w3id.org/culturegraph/graph/index> "
             "&& !STRSTARTS(STR(?g), \"https://w3id.org/culturegraph/graph/display/\")) "
             "BIND(DATATYPE(?o) AS ?dt) FILTER(?dt != xsd:string) } GROUP BY ?p ?dt")


def _dump_datatypes(dump: Path) -> Counter[tuple[str, str]]:
    out: Counter[tuple[str, str]] = Counter()
    for q in ox.parse(path=str(dump), format=ox.RdfFormat.N_QUADS):
        o = q.object
        if isinstance(o, ox.Literal) and not o.language and o.datatype.value != XSD + "string":
            out[(q.predicate.value, o.datatype.value)] += 1
    return out


def test_datatypes_same_in_dumps_endpoint_and_stores(stores: dict[str, str], tmp_path: Path) -> None:
    """Per property and datatype, the N-Quads dump and every endpoint count the same literals."""
    from culturegraph.queries import parse_query

    res = run_cli("export", "--format", "nquads", "-o", str(tmp_path / "cg.nq"), cwd=ROOT)
    assert res.returncode == 0, res.stderr
    dumped = _dump_datatypes(tmp_path / "cg.nq")
    assert dumped[("https://w3id.org/culturegraph/ontology#ordinal", XSD + "integer")] > 0
    query = parse_query(DATATYPES, name="datatypes")
    for store in ("sparql", "oxigraph", "virtuoso"):
        served = Counter({(str(p), str(dt)): int(n) for p, dt, n in
                          run_remote(stores[store], query, limit=10**6, timeout=120).rows})
        assert served == dumped, (store, set(served.items()) ^ set(dumped.items()))


def test_dumps_satisfy_the_ontologys_datatype_ranges(cg: CultureGraph) -> None:
    """Every literal of a property whose declared range is an XSD datatype has that datatype."""
    ranges = {str(p): str(r) for p, r in cg.query(
        "SELECT ?p ?r WHERE { GRAPH <https://w3id.org/culturegraph/graph/ontology> { ?p rdfs:range ?r } "
        "FILTER(STRSTARTS(STR(?r), STR(xsd:))) }").rows}
    assert ranges["https://w3id.org/culturegraph/ontology#ordinal"] == XSD + "integer"
    wrong = [(q.predicate.value, q.object.datatype.value) for q in cg.ox_quads
             if isinstance(q.object, ox.Literal) and q.predicate.value in ranges
             and q.object.datatype.value != ranges[q.predicate.value]]
    assert not wrong, Counter(wrong)


def test_ordinals_are_integers_with_their_bound_in_the_shapes(tmp_path: Path) -> None:
    """An ordinal of 0 is refused by the shapes (sh:minInclusive 1), as xsd:positiveInteger refused it."""
    from .conftest import copy_project

    root = copy_project(tmp_path / "p")
    edition = root / "data" / "editions" / "2025.yaml"
    text = edition.read_text(encoding="utf-8")
    assert "ordinal: {value: 6," in text
    edition.write_text(text.replace("ordinal: {value: 6,", "ordinal: {value: 0,", 1), encoding="utf-8")
    res = run_cli("validate", cwd=root)
    assert res.returncode != 0 and "ordinal" in (res.stdout + res.stderr)


def _virtuoso_update(base: str, text: str) -> None:
    """SPARQL Update on Virtuoso as its administrator (Digest, as Virtuoso asks)."""
    import urllib.parse
    import urllib.request

    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, base, "dba", "dba")
    opener = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords))
    with opener.open(urllib.request.Request(base + "/sparql-auth", data=urllib.parse.urlencode(
            {"update": text}).encode(), method="POST"), timeout=60) as resp:
        assert resp.status == 200


def test_push_auth_schemes_on_virtuoso(stores: dict[str, str], cg: CultureGraph) -> None:
    """Virtuoso refuses Basic without a challenge: ``--auth-scheme basic`` fails with one readable line,
    ``digest`` works, and a wrong password is a 401, not a traceback. The graphs are dropped after, so the
    other tests see the data once."""
    crud = stores["virtuoso-base"] + "/sparql-graph-crud-auth"
    try:
        res = run_cli("push", "--store", crud, "--auth", "dba:dba", "--auth-scheme", "basic", "--graph",
                      "https://example.org/basic", cwd=ROOT)
        assert res.returncode == 1 and "HTTP 401" in res.stderr and "Traceback" not in res.stderr
        res = run_cli("push", "--store", crud, "--auth", "dba:wrong", "--graph", "https://example.org/wrong",
                      cwd=ROOT)
        assert res.returncode == 1 and "HTTP 401" in res.stderr and "Traceback" not in res.stderr
        triples = len({q.triple for q in cg.ox_quads})
        res = run_cli("push", "--store", crud, "--auth", "dba:dba", "--auth-scheme", "digest", "--graph",
                      "https://example.org/digest", "--replace", cwd=ROOT)
        assert res.returncode == 0, res.stderr
        # one graph: N-Triples to ?graph= is kept by Virtuoso's graph store, so no fallback
        assert (f"pushed {triples:,} statements into https://example.org/digest with Graph Store Protocol"
                in res.stdout)
        assert f"the store holds {triples:,}" in res.stdout
    finally:
        _virtuoso_update(stores["virtuoso-base"], " ; ".join(
            f"DROP SILENT GRAPH <https://example.org/{g}>" for g in ("basic", "wrong", "digest")))


def test_virtuoso_answers_a_pushed_literal_with_its_datatype(stores: dict[str, str]) -> None:
    """The integer ordinals come back from Virtuoso as integers (xsd:positiveInteger came back as true)."""
    from culturegraph.queries import parse_query

    query = parse_query("SELECT ?o WHERE { <https://w3id.org/culturegraph/id/edition/forum-2025> "
                        "cg:ordinal ?o }", name="ordinal")
    rows = run_remote(stores["virtuoso"], query, timeout=60).rows
    assert rows == [(Literal("6", datatype=URIRef(XSD + "integer")),)]
