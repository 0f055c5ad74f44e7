"""The dumps' sort on disk (export/sorted_quads.py): same bytes whatever the chunk size, every quad once."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from culturegraph.api import CultureGraph
from culturegraph.export.sorted_quads import SortedQuads
from culturegraph.io import FORMATS

BASE = "https://w3id.org/culturegraph/"


def _tricky() -> list[ox.Quad]:
    """Quads whose N-Triples forms are prefixes of each other, hold tabs, newlines, quotes and Hangul, or
    sit in the default graph; each given twice, in scrambled order."""
    s = [ox.NamedNode(f"{BASE}id/person/p{i}") for i in ("1", "12", "2")] + [ox.BlankNode("b1"), ox.BlankNode("b12")]
    p = [ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.NamedNode(f"{BASE}ontology#x")]
    o = [ox.Literal("a"), ox.Literal("a", language="en"), ox.Literal("a", language="en-gb"),
         ox.Literal("a\tb\nc \"q\""), ox.Literal("한국"), ox.Literal("05", datatype=ox.NamedNode(
             "http://www.w3.org/2001/XMLSchema#integer")), ox.NamedNode(f"{BASE}id/place/busan")]
    g = [ox.NamedNode(f"{BASE}graph/person/p1"), ox.NamedNode(f"{BASE}graph/person/p12"), ox.DefaultGraph()]
    quads = [ox.Quad(a, b, c, d) for a in s for b in p for c in o for d in g]
    return (quads[::-1] + quads)[::7] + (quads[::-1] + quads)[1::7] + quads


def _in_memory(quads: list[ox.Quad], fmt: str) -> bytes:
    """The reference: the same orders sorted in memory on the terms' N-Triples forms."""
    rdf_format, is_dataset = FORMATS[fmt]
    distinct = set(quads)
    if is_dataset:
        key = ((lambda q: (str(q.subject), str(q.predicate), str(q.object), _g(q))) if fmt == "nquads"
               else (lambda q: (_g(q), str(q.subject), str(q.predicate), str(q.object))))
        data: list = sorted(distinct, key=key)
    else:
        data = sorted({q.triple for q in distinct}, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    if fmt in ("nquads", "ntriples"):
        return b"".join(f"{x} .\n".encode() for x in data)
    return ox.serialize(data, format=rdf_format) or b""


def _g(q: ox.Quad) -> str:
    return "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)


@pytest.mark.parametrize("chunk", [1, 37, 10**9])
def test_every_chunk_size_gives_the_same_sorted_distinct_dump(chunk: int) -> None:
    quads = _tricky()
    with SortedQuads(chunk_chars=chunk) as sq:
        sq.extend(quads).finish()
        if chunk == 1:
            assert len(list(sq._dir.iterdir())) > 100  # it really spilled: many runs merged
        for fmt in ("nquads", "ntriples"):
            assert sq.dump(fmt, BASE) == _in_memory(quads, fmt), fmt
        assert sq.count == len(set(quads))  # counted while the N-Quads were written
        # the formats Oxigraph writes from the merged lines parse back to exactly the distinct quads
        for fmt in ("nquads", "trig"):
            assert set(ox.parse(sq.dump(fmt, BASE), format=FORMATS[fmt][0])) == set(quads), fmt
        for fmt in ("turtle", "ntriples", "rdfxml"):
            got = {q.triple for q in ox.parse(sq.dump(fmt, BASE), format=FORMATS[fmt][0])}
            assert got == {q.triple for q in quads}, fmt
        assert list(sq.triples()) == [q.triple for q in ox.parse(sq.dump("ntriples", BASE),
                                                                 format=ox.RdfFormat.N_TRIPLES)]
        runs = sq._dir
    assert not runs.exists()  # closing removes the run files


def test_turtle_header_is_in_a_fixed_order() -> None:
    quads = _tricky()
    with SortedQuads(chunk_chars=50) as sq:
        sq.extend(quads).finish()
        ttl = sq.dump("turtle", BASE)
    head = [line for line in ttl.split(b"\n") if line.startswith(b"@prefix ")]
    assert len(head) > 5 and head == sorted(head)
    assert ttl.startswith(b"".join(line + b"\n" for line in head))


def test_build_streams_the_dumps_and_matches_export(tmp_path) -> None:
    """``build`` sorts the quads as they are made from the YAML, without keeping them as objects; its Turtle
    and TriG are the bytes ``export`` gives, and its N-Quads snapshot is the public N-Quads dump with the
    working aids (``export --format aids``) merged in, in the same order."""
    cg = CultureGraph()
    files = cg.build(tmp_path / "dist", validate=False)
    assert "ox_quads" not in cg.__dict__  # no list of every quad was made
    for fmt, name in (("turtle", "culturegraph.ttl"), ("trig", "culturegraph.trig")):
        assert files[name].read_bytes() == CultureGraph().export(fmt)[name], fmt
    public = CultureGraph().export("nquads")["culturegraph.nq"]
    aids = CultureGraph().export("aids")["culturegraph-aids.nq"]
    merged = sorted(public.splitlines(keepends=True) + aids.splitlines(keepends=True))
    assert files["culturegraph.nq"].read_bytes().splitlines(keepends=True) == merged
    leftovers = [p for p in (*tmp_path.iterdir(), *(tmp_path / "dist").iterdir()) if "culturegraph-sort-" in p.name]
    assert not leftovers  # the run files (beside the output) are removed
