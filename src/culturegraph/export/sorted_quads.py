"""The dataset's quads sorted once, on disk, for every RDF dump: an external merge sort in bounded memory.

At a million data triples the dumps hold 2.8M quads; sorting them as Python objects held the whole
dataset several times over (4.7 GB to ``build``). Here each quad becomes two short lines as it arrives
(its N-Quads terms, in two orders), the lines are sorted in chunks of :data:`CHUNK_CHARS` characters and
spilled to run files, and :func:`heapq.merge` reads the runs back in order, dropping duplicates; every
format is then written from the merged lines as a stream (Oxigraph parses them and serialises Turtle, TriG
and RDF/XML). Memory is one chunk, whatever the size of the data. Written by hand because no maintained
Python library sorts RDF on disk; the pieces are the standard library's (``heapq.merge``, ``tempfile``).

The orders (deterministic: code point order of the N-Triples forms, the same for any ``PYTHONHASHSEED``):

- **N-Quads**: by subject, predicate, object, graph — every quad of a subject on adjacent lines. The prebuilt
  store is loaded from this file, and Oxigraph's in-memory store finds a subject's quads by walking a list
  of them in load order: loaded together, they lie together in memory (``docs/decisions.md`` 2026-12-03).
- **TriG**: by graph, then subject, predicate, object (one ``GRAPH`` block per record).
- **triple formats** (Turtle, N-Triples, RDF/XML, JSON-LD's input): the distinct triples by subject,
  predicate, object — the N-Quads order with the graphs dropped.

Every writer takes a graph filter: the public dumps leave out the working-aid graphs (:func:`public_graphs`),
``culturegraph-aids.nq`` holds only them (:func:`aid_graphs_only`); ``build``'s N-Quads snapshot holds all.
"""

from __future__ import annotations

import heapq
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from ..derived import aid_graphs
from ..io import FORMATS
from ..namespaces import all_prefixes

CHUNK_CHARS = 48_000_000  # characters of run lines held before a spill (~100 MB of str at 1M triples)


#: accepts or refuses a graph, given as its N-Quads term (``<iri>``, or empty for the default graph)
GraphFilter = Callable[[bytes], bool] | None


def public_graphs(base_iri: str) -> Callable[[bytes], bool]:
    """The public dumps' graphs: every graph but the working aids (:func:`culturegraph.derived.aid_graphs`)."""
    index, display = (g.encode("utf-8") for g in aid_graphs(base_iri))
    return lambda graph: not (graph == b"<" + index + b">" or graph.startswith(b"<" + display))


def aid_graphs_only(base_iri: str) -> Callable[[bytes], bool]:
    """The working-aid graphs only (``culturegraph-aids.nq``)."""
    public = public_graphs(base_iri)
    return lambda graph: not public(graph)


class SortedQuads:
    """Collects quads (:meth:`add`), then yields them sorted per format (:meth:`write`).

    The run files live in a temporary folder (``folder``, else the system's) removed by :meth:`close` or
    when the object is collected. ``count`` is the number of distinct quads, known once the N-Quads lines
    have been read (:meth:`nquads_lines`, or writing N-Quads).
    """

    def __init__(self, folder: str | Path | None = None, *, chunk_chars: int = CHUNK_CHARS):
        self._tmp = tempfile.TemporaryDirectory(prefix="culturegraph-sort-", dir=folder)
        self._dir = Path(self._tmp.name)
        self._chunk_chars = chunk_chars
        self._runs: dict[str, list[Path]] = {"spog": [], "gspo": []}
        self._spog: list[str] = []  # "S P O\tG\n" (G empty for the default graph)
        self._gspo: list[str] = []  # "G\tS P O\n"
        self._chars = 0
        self.count: int | None = None

    def add(self, quad: ox.Quad) -> None:
        """Take one quad (duplicates are dropped when the runs are merged)."""
        triple = str(quad.triple)
        g = quad.graph_name
        graph = "" if isinstance(g, ox.DefaultGraph) else str(g)  # an IRI or blank node: never a tab
        self._spog.append(f"{triple}\t{graph}\n")
        self._gspo.append(f"{graph}\t{triple}\n")
        self._chars += 2 * len(triple) + 2 * len(graph)
        if self._chars >= self._chunk_chars:
            self._spill()

    def extend(self, quads: Iterable[ox.Quad]) -> SortedQuads:
        """Take every quad of ``quads``; returns ``self``."""
        add = self.add
        for q in quads:
            add(q)
        return self

    def _spill(self) -> None:
        for order, lines in (("spog", self._spog), ("gspo", self._gspo)):
            if not lines:
                continue
            lines.sort()  # code point order of str = byte order of its UTF-8, which the merge compares
            path = self._dir / f"{order}-{len(self._runs[order]):05d}"
            with path.open("wb") as fh:
                fh.write("".join(lines).encode("utf-8"))
            self._runs[order].append(path)
            lines.clear()
        self._chars = 0

    def finish(self) -> SortedQuads:
        """Spill what is left; returns ``self``."""
        self._spill()
        return self

    def _merged(self, order: str) -> Iterator[bytes]:
        """The distinct lines of one order, sorted."""
        self._spill()
        files = [path.open("rb") for path in self._runs[order]]
        try:
            last = None
            for line in heapq.merge(*files):
                if line != last:
                    yield line
                    last = line
        finally:
            for fh in files:
                fh.close()

    def nquads_lines(self, keep: GraphFilter = None) -> Iterator[bytes]:
        """The distinct quads as N-Quads lines, by subject, predicate, object, graph (once all are read,
        ``count`` holds their number); with ``keep``, only the quads of the graphs it accepts."""
        n = 0
        for line in self._merged("spog"):
            triple, _, graph = line[:-1].rpartition(b"\t")
            if keep is None or keep(graph):
                yield triple + b" " + graph + b" .\n" if graph else triple + b" .\n"
                n += 1
        self.count = n

    def trig_lines(self, keep: GraphFilter = None) -> Iterator[bytes]:
        """The distinct quads as N-Quads lines, by graph, subject, predicate, object."""
        for line in self._merged("gspo"):
            graph, _, triple = line[:-1].partition(b"\t")
            if keep is None or keep(graph):
                yield triple + b" " + graph + b" .\n" if graph else triple + b" .\n"

    def ntriples_lines(self, keep: GraphFilter = None) -> Iterator[bytes]:
        """The distinct triples (named graphs merged) as N-Triples lines, by subject, predicate, object."""
        last = None
        for line in self._merged("spog"):
            triple, _, graph = line[:-1].rpartition(b"\t")
            if triple != last and (keep is None or keep(graph)):  # a triple's quads are adjacent
                yield triple + b" .\n"
                last = triple

    def triples(self, keep: GraphFilter = None) -> Iterator[ox.Triple]:
        """The distinct triples as pyoxigraph triples, in the triple formats' order."""
        for q in ox.parse(_reader(self.ntriples_lines(keep)), format=ox.RdfFormat.N_TRIPLES, lenient=True):
            yield q.triple

    def write(self, fmt: str, out: IO[bytes], base_iri: str, keep: GraphFilter = None) -> None:
        """Write the dump in ``fmt`` (a name of :data:`culturegraph.io.FORMATS`) to the binary file ``out``;
        with ``keep``, only the quads of the graphs it accepts (:func:`public_graphs`, :func:`aid_graphs_only`)."""
        rdf_format, is_dataset = FORMATS[fmt]
        if fmt == "nquads":
            _write_lines(out, self.nquads_lines(keep))
        elif fmt == "ntriples":
            _write_lines(out, self.ntriples_lines(keep))
        else:
            prefixes = all_prefixes(base_iri)
            del prefixes["cgr"]  # its local names would need escaped slashes; the kind prefixes read better
            lines = self.trig_lines(keep) if is_dataset else self.ntriples_lines(keep)
            parsed = ox.parse(_reader(lines), format=ox.RdfFormat.N_QUADS if is_dataset else ox.RdfFormat.N_TRIPLES,
                              lenient=True)  # every line was written by pyoxigraph itself
            items: Iterable[Any] = parsed if is_dataset else (q.triple for q in parsed)
            sink: Any = _SortedPrefixes(out) if fmt in ("turtle", "trig") else out
            ox.serialize(items, output=sink, format=rdf_format, prefixes=prefixes)
            if isinstance(sink, _SortedPrefixes):
                sink.close()

    def dump(self, fmt: str, base_iri: str, keep: GraphFilter = None) -> bytes:
        """The dump in ``fmt`` as bytes."""
        buf = io.BytesIO()
        self.write(fmt, buf, base_iri, keep)
        return buf.getvalue()

    def close(self) -> None:
        """Remove the run files."""
        self._tmp.cleanup()

    def __enter__(self) -> SortedQuads:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _write_lines(out: IO[bytes], lines: Iterable[bytes], size: int = 1 << 20) -> None:
    buf: list[bytes] = []
    n = 0
    for line in lines:
        buf.append(line)
        n += len(line)
        if n >= size:
            out.write(b"".join(buf))
            buf.clear()
            n = 0
    out.write(b"".join(buf))


class _IterReader(io.RawIOBase):
    """A readable binary stream over an iterator of byte strings (so Oxigraph parses a generator)."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._buf = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self._buf:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._buf = memoryview(chunk)
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n


def _reader(lines: Iterator[bytes]) -> io.BufferedReader:
    return io.BufferedReader(_IterReader(lines), buffer_size=1 << 20)


class _SortedPrefixes:
    """A write-through file that puts the ``@prefix`` header first in a fixed order: Oxigraph's serialiser
    keeps the prefixes in a hash map, so their order would change from run to run."""

    def __init__(self, out: IO[bytes]):
        self._out = out
        self._head: bytearray | None = bytearray()
        self.write: Callable[[Any], int] = self._write_head

    def _write_head(self, data: Any) -> int:
        assert self._head is not None
        self._head += data
        lines = bytes(self._head).split(b"\n")
        n = 0
        while n < len(lines) - 1 and lines[n].startswith(b"@prefix "):
            n += 1
        if n < len(lines) - 1 or (lines[n] and not b"@prefix ".startswith(lines[n][:8])):
            self._release(lines, n)
        return len(data)

    def _release(self, lines: list[bytes], n: int) -> None:
        self._out.write(b"\n".join(sorted(lines[:n]) + lines[n:]))
        self._head = None
        self.write = self._out.write

    def flush(self) -> None:
        pass

    def close(self) -> None:
        if self._head is not None:
            lines = bytes(self._head).split(b"\n")
            n = 0
            while n < len(lines) and lines[n].startswith(b"@prefix "):
                n += 1
            self._release(lines, n)
