"""Deterministic, atomic output.

Every file culturegraph writes goes through here: serialised from quads sorted by a fixed key (so the
same data gives the same bytes whatever ``PYTHONHASHSEED`` is), written to a temporary file in the
target directory, and renamed into place only when every file of the batch is complete — so a failure
never leaves a half-written dump and never touches the previous ``dist/``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from .namespaces import all_prefixes
from .store import OxQuad

FORMATS: dict[str, tuple[ox.RdfFormat, bool]] = {
    # name: (pyoxigraph format, is a dataset format)
    "turtle": (ox.RdfFormat.TURTLE, False),
    "ntriples": (ox.RdfFormat.N_TRIPLES, False),
    "rdfxml": (ox.RdfFormat.RDF_XML, False),
    "nquads": (ox.RdfFormat.N_QUADS, True),
    "trig": (ox.RdfFormat.TRIG, True),
}


def sort_key(q: OxQuad) -> tuple[str, str, str, str]:
    """TriG's order: by graph, then subject, predicate, object (one ``GRAPH`` block per record)."""
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def nquads_key(q: OxQuad) -> tuple[str, str, str, str]:
    """N-Quads' order: by subject, then graph, predicate, object — every quad of a subject on adjacent
    lines. The prebuilt store is loaded from this file, and Oxigraph's in-memory store finds a subject's
    quads by walking a list of them in load order: loaded together, they lie together in memory, and a
    look-up by subject misses the cache less (at 1M triples, named queries 0.91x geometric mean,
    ``keynote-speakers`` 0.82x, load 0.95x; ``docs/decisions.md`` 2026-12-03)."""
    return (str(q.subject), str(q.graph_name), str(q.predicate), str(q.object))


def _triple_key(t: ox.Triple) -> tuple[str, str, str]:
    return (str(t.subject), str(t.predicate), str(t.object))


def sorted_triples(quads: Iterable[OxQuad]) -> list[ox.Triple]:
    """The distinct triples of ``quads`` (named graphs merged) in (s, p, o) order, as the triple dumps hold them."""
    return sorted({q.triple for q in quads}, key=_triple_key)


class DumpOrders(NamedTuple):
    """The three orders the dumps are written in."""

    trig: list[OxQuad]  # :func:`sort_key`
    nquads: list[OxQuad]  # :func:`nquads_key`
    triples: list[ox.Triple]  # distinct triples, (s, p, o)

    def of(self, fmt: str) -> list[OxQuad] | list[ox.Triple]:
        """What the dump in ``fmt`` is written from."""
        if not FORMATS[fmt][1]:
            return self.triples
        return self.nquads if fmt == "nquads" else self.trig


def dataset_key(fmt: str) -> Callable[[OxQuad], tuple[str, str, str, str]]:
    """The order of a dataset format's quads: :func:`nquads_key` for N-Quads, :func:`sort_key` otherwise."""
    return nquads_key if fmt == "nquads" else sort_key


def dump_orders(quads: Iterable[OxQuad]) -> DumpOrders:
    """The quads in both dataset orders and the distinct triples in (s, p, o) order, from one pass.

    Each term is turned into a string once: the string keys serve the sorts and the triples' de-duplication
    (the N-Triples form of a term is unique to it), instead of hashing ``ox.Triple`` objects and keying
    them again for the triple formats. Graph names, subjects and predicates repeat, so each distinct one is
    turned into a string once and that string is shared by every key holding it (at 1M quads: 12.9 → 8.6 s,
    peak 4.0 → 3.2 GB; the same order, since the strings are the same). The N-Quads order is the TriG
    order re-sorted by subject alone: the sort is stable, so ties keep (graph, predicate, object).
    """
    name = lru_cache(maxsize=None)(str)  # one string per distinct term, freed with ``name`` on return
    keyed = sorted((((name(q.graph_name), name(q.subject), name(q.predicate), str(q.object)), q) for q in quads),
                   key=itemgetter(0))
    by_subject = sorted(keyed, key=lambda kq: kq[0][1])
    distinct: dict[tuple[str, str, str], OxQuad] = {}
    for (_, s, p, o), q in keyed:
        distinct.setdefault((s, p, o), q)
    return DumpOrders([q for _, q in keyed], [q for _, q in by_subject], [distinct[k].triple for k in sorted(distinct)])


def serialize(quads: Iterable[OxQuad] | Iterable[ox.Triple], fmt: str, base_iri: str, *,
              extra_prefixes: dict[str, str] | None = None, presorted: bool = False) -> bytes:
    """Serialise quads in a fixed order. Triple formats merge the named graphs (duplicates dropped).
    ``extra_prefixes`` (e.g. ``dcat:``, ``void:`` for release descriptions) are added to the project's;
    ``presorted``: the input is already in order, as :func:`dump_orders` gives it (quads by
    :func:`nquads_key` for N-Quads, by :func:`sort_key` for TriG, distinct triples for a triple format)."""
    rdf_format, is_dataset = FORMATS[fmt]
    prefixes = all_prefixes(base_iri)
    del prefixes["cgr"]  # its local names would need escaped slashes; the kind prefixes read better
    prefixes.update(extra_prefixes or {})
    data: list
    if presorted:
        data = list(quads)
    elif is_dataset:
        data = sorted(quads, key=dataset_key(fmt))  # type: ignore[arg-type]
    else:
        data = sorted_triples(quads)  # type: ignore[arg-type]
    use_prefixes = prefixes if fmt in ("turtle", "trig", "rdfxml") else None
    out = ox.serialize(data, format=rdf_format, prefixes=use_prefixes)
    assert out is not None
    if fmt in ("turtle", "trig"):
        out = _sort_prefix_lines(out)
    return out


def _sort_prefix_lines(data: bytes) -> bytes:
    """Put the @prefix header in a fixed order (the serializer keeps prefixes in a hash map)."""
    lines = data.split(b"\n")
    n = 0
    while n < len(lines) and lines[n].startswith(b"@prefix "):
        n += 1
    return b"\n".join(sorted(lines[:n]) + lines[n:])


def write_files(files: dict[Path, bytes], *, base: Path | None = None) -> None:
    """Write every file to a temporary sibling first; rename them into place only when all are written.

    Files get the mode a plain ``open()`` would give them (``0o666`` less the umask: 0644 under umask 022),
    so a folder copied to a web server serves them. ``base`` is a folder the caller named (``--out``,
    ``-o DIR``): it and the folders below it are created, but its own parent must exist. Without ``base``
    every file's folder must exist already.

    :raises ExportError: a folder that must exist does not (named in the message); nothing is written then.
    """
    from .errors import ExportError

    for target in files:
        must = base.parent if base is not None and target.is_relative_to(base) else target.parent
        if not must.is_dir():
            raise ExportError(f"cannot write {target}: the folder {must} does not exist")
    temps: list[tuple[Path, Path]] = []
    try:
        for target, data in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp, fd = _create_temp(target)
            temps.append((tmp, target))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, target in temps:
            os.replace(tmp, target)
    finally:
        for leftover, _ in temps:
            if leftover.exists():
                leftover.unlink()


def _create_temp(target: Path) -> tuple[Path, int]:
    """A new file beside ``target``, opened for writing with mode ``0o666`` (the kernel applies the umask,
    as for ``open()``; ``tempfile.mkstemp`` would make it 0600, and the rename keeps that)."""
    for _ in range(100):
        tmp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            return tmp, os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {target}")


def write_file(target: Path, data: bytes) -> None:
    """Atomically write one file into an existing folder."""
    write_files({target: data})
