"""Exports: every RDF format round-trips to the built graph; JSON-LD is readable and never goes online;
GraphML/GEXF/CSV describe the same entities; the registry matches the CLI."""

from __future__ import annotations

import csv
import io
import json
import socket
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from culturegraph.api import CultureGraph
from culturegraph.errors import ExportError, NotFound
from culturegraph.export import EXPORTERS, FORMATS, RDF_FORMATS, export, get_exporter
from culturegraph.export.jsonld import context, framed_documents, offline_loader, refuse_remote
from culturegraph.store import from_ox

from .conftest import run_cli

RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig", "jsonld": "json-ld",
                 "rdfxml": "xml"}


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a non-loopback connection fails the test (remote JSON-LD contexts included)."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else str(address)
        if str(host) not in ("127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"network access attempted: {address!r}")
        return real_connect(self, address)  # type: ignore[arg-type]

    def no_dns(*args: object, **kwargs: object) -> object:
        raise AssertionError(f"DNS lookup attempted: {args[0]!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket, "getaddrinfo", no_dns)


@pytest.fixture(scope="module")
def dumps(cg: CultureGraph) -> dict[str, bytes]:
    return {fmt: next(iter(export(cg, fmt).values())) for fmt in RDF_FORMATS}


def public_quads(cg: CultureGraph) -> list:
    """The quads the public dumps hold: every graph but the working aids (graph/index, graph/display/*)."""
    from culturegraph.derived import is_aid_graph

    return [q for q in cg.ox_quads if not is_aid_graph(getattr(q.graph_name, "value", ""), cg.settings.base_iri)]


@pytest.fixture(scope="module")
def built(cg: CultureGraph) -> Graph:
    """The graph the dumps are made from (the public graphs, merged)."""
    g = Graph()
    for q in public_quads(cg):
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))  # type: ignore[arg-type]
    return g


def test_registry_matches_cli() -> None:
    from culturegraph.cli_publish import FORMAT_NAMES

    assert set(FORMAT_NAMES) == set(EXPORTERS) == set(FORMATS)
    assert set(RDF_FORMATS) == {"turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"}
    with pytest.raises(NotFound, match="unknown export format 'xlsx'"):
        get_exporter("xlsx")


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_dump_round_trips(fmt: str, dumps: dict[str, bytes], built: Graph, no_network: None) -> None:
    """Each dump parses back (with rdflib, offline) to a graph isomorphic to the built one."""
    if fmt in ("nquads", "trig"):
        ds = Dataset()
        ds.parse(data=dumps[fmt], format=RDFLIB_FORMAT[fmt])
        g = Graph()
        for s, p, o, _ in ds.quads():
            g.add((s, p, o))
    else:
        g = Graph().parse(data=dumps[fmt], format=RDFLIB_FORMAT[fmt])
    assert len(g) == len(built)
    assert isomorphic(g, built)


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_dataset_dumps_keep_one_named_graph_per_record(fmt: str, dumps: dict[str, bytes], cg: CultureGraph) -> None:
    ds = Dataset()
    ds.parse(data=dumps[fmt], format=RDFLIB_FORMAT[fmt])
    got = {(s, p, o, g.identifier if hasattr(g, "identifier") else g) for s, p, o, g in ds.quads()}
    want = {tuple(from_ox(t) for t in (q.subject, q.predicate, q.object, q.graph_name)) for q in public_quads(cg)}
    assert got == want


def test_nquads_lines_group_each_subject_and_trig_each_graph(cg: CultureGraph, dumps: dict[str, bytes]) -> None:
    """N-Quads holds every quad of a subject on adjacent lines (the prebuilt store is loaded from it, and
    Oxigraph's memory store walks a subject's quads in load order); TriG keeps one block per graph. Both
    orders also hold inside ``release``'s shared sort."""
    import pyoxigraph as ox

    from culturegraph.export import sharing

    def order(data: bytes, fmt: ox.RdfFormat) -> list[tuple[str, str, str, str]]:
        return [(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
                for q in ox.parse(data, format=fmt)]

    nq = order(dumps["nquads"], ox.RdfFormat.N_QUADS)
    assert nq == sorted(nq) and len(nq) == len(set(public_quads(cg)))  # (s, p, o, g), each quad once
    trig = order(dumps["trig"], ox.RdfFormat.TRIG)
    assert trig == sorted(trig, key=lambda q: (q[3], q[0], q[1], q[2]))  # (g, s, p, o)
    assert [g for *_, g in trig] != [g for *_, g in nq]  # the two orders differ on the real data
    with sharing(cg):
        assert export(cg, "nquads")["culturegraph.nq"] == dumps["nquads"]
        assert export(cg, "trig")["culturegraph.trig"] == dumps["trig"]


def test_exports_are_repeatable(cg: CultureGraph, dumps: dict[str, bytes]) -> None:
    again = {fmt: next(iter(export(cg, fmt).values())) for fmt in RDF_FORMATS}
    assert again == dumps


def test_jsonld_uses_readable_keys(dumps: dict[str, bytes], cg: CultureGraph) -> None:
    """Every property of the data (not the ontology's annotations) compacts to a plain key of the context."""
    doc = json.loads(dumps["jsonld"])
    assert doc["@context"] == context(cg.settings.base_iri)
    data_keys: set[str] = set()
    base = cg.settings.base_iri
    for node in doc["@graph"]:
        if str(node.get("@id", "")).startswith(("cg:", "schema:", "skos:", "rdf:", "rdfs:", "owl:", "org:", "prov:",
                                                "dcterms:", "http", "../", "derived/")):
            continue  # vocabulary terms and build-time analytics
        data_keys |= set(node)
    full = sorted(k for k in data_keys if ":" in k or "/" in k)
    assert not full, f"properties without a readable key in the @context: {full}"
    edition = next(n for n in doc["@graph"] if str(n.get("@id", "")).startswith("edition/"))
    assert {"name", "startDate", "hostCity"} <= set(edition), sorted(edition)
    assert base + "id/" == doc["@context"]["@base"]


def test_memoised_compaction_gives_plain_pylds_document(dumps: dict[str, bytes], cg: CultureGraph) -> None:
    """The export's memoised processor changes the speed only: plain pyLD, expanding its input again as
    by default, compacts the real graph to the same document."""
    from pyld import jsonld

    from culturegraph.export.jsonld import _expand, processor

    assert type(processor()) is not jsonld.JsonLdProcessor  # the memoised one is in use
    triples = sorted({q.triple for q in public_quads(cg)},
                     key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    plain = jsonld.compact(_expand(triples), {"@context": context(cg.settings.base_iri)},
                           {"documentLoader": refuse_remote})
    assert json.loads(dumps["jsonld"]) == plain


# A graph made to hit what the real data does not: a literal without a language on a language-map
# property, a datatype other than the term's, native numbers and booleans (and lexical forms pyLD leaves
# alone), node references to IRIs that are terms, @id- and @vocab-typed terms given a literal, several
# types, a blank node subject and object, unknown properties (vocab-relative and absolute), and subjects
# whose N-Triples order differs from their id order (`x` / `x#frag` / `x-y`).
ODD_GRAPH = """
@prefix cg: <https://w3id.org/culturegraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix id: <https://w3id.org/culturegraph/id/> .
id:x a cg:Person, <http://example.org/Other> ;
    rdfs:label "A"@en, "A2"@en, "에이"@ko, "no language", "B"@pt-BR ;
    cg:ordinal "3"^^xsd:positiveInteger, "4"^^xsd:integer, "05"^^xsd:integer, "+6"^^xsd:integer ;
    schema:startDate "2020-01-01"^^xsd:date, "2020"^^xsd:gYear ;
    cg:hostCity id:city-busan, _:b1, "not an IRI" ;
    cg:role cg:KeynoteSpeaker, <http://example.org/role>, cg:role, "literal role" ;
    cg:confidence cg:low ;
    cg:unknownProperty "u"@en, id:x-y ;
    <http://example.org/p> "true"^^xsd:boolean, "1"^^xsd:boolean, "0"^^xsd:boolean, "yes"^^xsd:boolean,
        "1.5E0"^^xsd:double, "NaN"^^xsd:double, "INF"^^xsd:double, "2.50"^^xsd:decimal ;
    dcterms:title "t"@en, "t" ;
    owl:sameAs <http://www.wikidata.org/entity/Q1> .
<https://w3id.org/culturegraph/id/x#frag> rdfs:label "frag"@en .
id:x-y rdfs:label "dash"@en ; cg:participant id:x .
_:b1 rdfs:label "blank"@en ; a cg:City .
<http://example.org/outside> rdfs:comment "outside"@en .
"""


@pytest.mark.parametrize("source", ["real", "odd"])
def test_node_by_node_writer_gives_plain_pylds_document(cg: CultureGraph, source: str) -> None:
    """The JSON-LD dump is written node by node (export/jsonld_writer.py); plain pyLD (from_rdf, then
    compact with expansion, no memo) must give the same document, on the real data and on the odd graph."""
    from pyld import jsonld

    from culturegraph.export.jsonld import _expand
    from culturegraph.export.jsonld_writer import compact_document
    from culturegraph.io import sorted_triples

    if source == "real":
        quads = cg.ox_quads
    else:
        quads = [ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(ODD_GRAPH, format=ox.RdfFormat.TURTLE)]
    triples = sorted_triples(quads)
    ctx = context(cg.settings.base_iri)
    ours = compact_document(triples, ctx)
    assert ours is not None
    plain = jsonld.compact(_expand(triples), {"@context": ctx}, {"documentLoader": refuse_remote})
    assert ours == plain


def test_node_by_node_writer_leaves_lists_to_pyld(cg: CultureGraph) -> None:
    """RDF lists become @list in pyLD's from_rdf; the writer does not build them and says so (None), and the
    export then gives pyLD's document."""
    from culturegraph.export.jsonld import compact_with_pyld
    from culturegraph.export.jsonld_writer import compact_document
    from culturegraph.io import sorted_triples

    text = ("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
            "@prefix cg: <https://w3id.org/culturegraph/ontology#> .\n"
            "cg:A owl:unionOf ( cg:B cg:C ) .\n"
            "cg:B owl:disjointWith cg:C .\n")
    triples = sorted_triples([ox.Quad(t.subject, t.predicate, t.object)
                              for t in ox.parse(text, format=ox.RdfFormat.TURTLE)])
    ctx = context(cg.settings.base_iri)
    assert compact_document(triples, ctx) is None
    doc = compact_with_pyld(triples, ctx)
    assert any("@list" in json.dumps(n) for n in doc["@graph"])


def test_memoisation_steps_aside_if_pylds_internals_change(monkeypatch: pytest.MonkeyPatch) -> None:
    from pyld import jsonld

    from culturegraph.export.jsonld import _processor_class, processor
    from culturegraph.export.jsonld_writer import compact_document

    monkeypatch.setattr(jsonld.JsonLdProcessor, "_compact_iri", lambda self, active_ctx, iri, **kw: iri)
    _processor_class.cache_clear()
    try:
        assert type(processor()) is jsonld.JsonLdProcessor
        assert compact_document([], {"@vocab": "https://example.org/"}) is None  # the writer steps aside too
    finally:
        _processor_class.cache_clear()


def test_packaged_context_is_the_published_one(cg: CultureGraph) -> None:
    from culturegraph.export.jsonld import CONTEXT_FILE

    shipped = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    assert shipped["@context"] == context("https://w3id.org/culturegraph/")


def test_no_remote_context_is_ever_loaded(no_network: None) -> None:
    from pyld import jsonld

    doc = {"@context": "https://example.org/remote-context.jsonld", "@id": "https://example.org/x", "name": "x"}
    with pytest.raises(Exception, match="loading remote context failed"):
        jsonld.expand(doc, {"documentLoader": refuse_remote})
    with pytest.raises(ExportError):
        offline_loader("https://w3id.org/culturegraph/")("https://example.org/other.jsonld")
    # rdflib's JSON-LD parser would fetch it: the guard proves the round-trip tests cannot go online
    with pytest.raises(Exception, match="attempted"):
        Graph().parse(data=json.dumps(doc), format="json-ld")


def test_framed_documents_hold_each_record_graph(cg: CultureGraph) -> None:
    """One document per record, rooted at the record's IRI, holding exactly the triples of its named graph."""
    from pyld import jsonld

    docs = framed_documents(cg)
    records = cg.loaded.records
    assert len(docs) == len(records) + 1 and "context.jsonld" in docs
    base = cg.settings.base_iri
    loader = offline_loader(base)
    by_graph: dict[str, set[str]] = {}
    for q in cg.ox_quads:
        by_graph.setdefault(q.graph_name.value, set()).add(f"{q.subject} {q.predicate} {q.object} .")  # type: ignore[union-attr]
    for rid, rec in sorted(records.items()):
        doc = json.loads(docs[f"{rec.kind.path}/{rid}.jsonld"])
        assert doc["@context"] == base + "context.jsonld"
        assert base + "id/" + doc["@id"] == str(cg.loaded.iri(rid))
        nq = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": loader})
        got = {_canonical_line(line) for line in nq.splitlines() if line}
        want = {_canonical_line(line) for line in by_graph[f"{base}graph/{rec.kind.path}/{rid}"]}
        assert got == want, f"{rid}: missing {sorted(want - got)[:3]}, extra {sorted(got - want)[:3]}"


def _canonical_line(line: str) -> str:
    """One N-Triples line through pyoxigraph, so escaping and native JSON numbers compare equal."""
    import pyoxigraph as ox

    (t,) = ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    obj = t.object
    if isinstance(obj, ox.Literal) and obj.datatype.value.endswith(("#integer", "#boolean")):
        obj = ox.Literal(obj.value)  # JSON native numbers and booleans come back typed xsd:integer/boolean
    return f"{t.subject} {t.predicate} {obj}"


def test_network_exports_list_the_entities(cg: CultureGraph, tmp_path: Path) -> None:
    import networkx as nx

    from culturegraph.export.graphml import entity_view

    g = entity_view(cg).graph
    assert g.number_of_nodes() > 10 and g.number_of_edges() > 10
    graphml = export(cg, "graphml")["culturegraph.graphml"]
    gexf = export(cg, "gexf")["culturegraph.gexf"]
    (tmp_path / "g.graphml").write_bytes(graphml)
    (tmp_path / "g.gexf").write_bytes(gexf)
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert set(back.nodes) == set(g.nodes)
    assert set(nx.read_gexf(tmp_path / "g.gexf").nodes) == set(g.nodes)
    editions = cg.query("SELECT ?e WHERE { ?e a cg:Edition }", limit=10**9).column("e")
    assert set(editions) <= set(g.nodes)
    assert export(cg, "gexf")["culturegraph.gexf"] == gexf


def test_csv_tables_and_dictionary(cg: CultureGraph) -> None:
    files = export(cg, "csv")
    expected = {"editions", "sessions", "events", "participations", "organisations", "people", "places", "themes",
                "agreements", "sources"}
    assert {name.removesuffix(".csv") for name in files} == expected | {"data-dictionary"}
    tables = {name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
              for name, data in files.items()}
    kinds: dict[str, int] = {}
    for rec in cg.loaded.records.values():
        kinds[rec.kind.name] = kinds.get(rec.kind.name, 0) + 1
    assert len(tables["editions"]) == kinds.get("edition", 0)
    assert len(tables["people"]) == kinds.get("person", 0)
    assert len(tables["places"]) == sum(kinds.get(k, 0) for k in ("country", "city", "venue"))
    n_part = len(cg.query("SELECT ?p WHERE { ?p a cg:Participation }", limit=10**9).rows)
    assert len(tables["participations"]) == n_part
    described = {(row["table"], row["column"]) for row in tables["data-dictionary"]}
    for name, data in files.items():
        if name != "data-dictionary.csv":
            header = next(csv.reader(io.StringIO(data.decode("utf-8"))))
            assert {(name.removesuffix(".csv"), col) for col in header} <= described
    people = {row["id"]: row for row in tables["people"]}
    some = sorted(people)[0]
    assert people[some]["iri"] == str(cg.iri(some))


def test_cli_export(mini: Path) -> None:
    (mini / "out").mkdir()  # -o writes into an existing folder (tests/test_io.py: a missing one is an error)
    res = run_cli("export", "--format", "ntriples", "-o", "out/cg.nt", cwd=mini)
    assert res.returncode == 0, res.stderr
    text = (mini / "out" / "cg.nt").read_text(encoding="utf-8")
    assert text.splitlines() == sorted(text.splitlines())
    res = run_cli("export", "--format", "csv", cwd=mini)
    assert res.returncode == 1 and "give a folder with -o" in res.stderr and "Traceback" not in res.stderr
    res = run_cli("export", "--format", "csv", "-o", "tables", "--framed", "framed", cwd=mini)
    assert res.returncode == 0, res.stderr
    assert (mini / "tables" / "data-dictionary.csv").is_file()
    assert (mini / "framed" / "edition" / "forum-2025.jsonld").is_file()
    assert (mini / "framed" / "context.jsonld").is_file()
    res = run_cli("export", "--format", "xlsx", cwd=mini)
    assert res.returncode == 2 and "xlsx" in res.stderr


def test_exporters_share_work_only_inside_a_sharing_block(cg: CultureGraph, dumps: dict[str, bytes]) -> None:
    """``release`` sorts once for five dumps and builds one network for GraphML and GEXF; outside its block
    nothing is kept, so a long-lived facade (``serve``) holds none of it."""
    from culturegraph.export import _SHARED, shared, sharing

    calls: list[int] = []

    def make() -> list[int]:
        calls.append(1)
        return [len(calls)]

    assert shared(cg, "k", make) == [1] and shared(cg, "k", make) == [2]  # outside: computed each time
    with sharing(cg):
        first = shared(cg, "k", make)
        with sharing(cg):  # nested: the outer block's work stays
            assert shared(cg, "k", make) is first
        assert shared(cg, "k", make) is first and len(calls) == 3
        assert export(cg, "turtle")["culturegraph.ttl"] == dumps["turtle"]  # the same bytes, from one sort
        runs = _SHARED[cg]["sorted-quads"]._dir  # the sort (on disk) was kept for the next format
        assert any(runs.iterdir())
    assert cg not in _SHARED and not runs.exists()  # and its run files removed with the block
