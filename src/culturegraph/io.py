"""Deterministic, atomic output.

Every file culturegraph writes goes through here: serialised from quads sorted by a fixed key (so the
same data gives the same bytes whatever ``PYTHONHASHSEED`` is), written to a temporary file in the
target directory, and renamed into place only when every file of the batch is complete — so a failure
never leaves a half-written dump and never touches the previous ``dist/``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import BinaryIO

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


def _quad_key(q: OxQuad) -> tuple[str, str, str, str]:
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def _triple_key(t: ox.Triple) -> tuple[str, str, str]:
    return (str(t.subject), str(t.predicate), str(t.object))


def sorted_triples(quads: Iterable[OxQuad]) -> list[ox.Triple]:
    """The distinct triples of ``quads`` (named graphs merged) in (s, p, o) order, as the triple dumps hold them."""
    return sorted({q.triple for q in quads}, key=_triple_key)


def serialize(quads: Iterable[OxQuad] | Iterable[ox.Triple], fmt: str, base_iri: str, *,
              extra_prefixes: dict[str, str] | None = None) -> bytes:
    """Serialise a small graph in a fixed order (quads by graph, subject, predicate, object; triple formats
    merge the named graphs, duplicates dropped). ``extra_prefixes`` (e.g. ``dcat:``, ``void:`` for release
    descriptions) are added to the project's. The dataset's own dumps are written from a sort on disk
    (:mod:`culturegraph.export.sorted_quads`)."""
    rdf_format, is_dataset = FORMATS[fmt]
    prefixes = all_prefixes(base_iri)
    del prefixes["cgr"]  # its local names would need escaped slashes; the kind prefixes read better
    prefixes.update(extra_prefixes or {})
    data: list = sorted(quads, key=_quad_key) if is_dataset else sorted_triples(quads)  # type: ignore[arg-type]
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


Content = bytes | Callable[[BinaryIO], None]


def write_files(files: Mapping[Path, Content], *, base: Path | None = None) -> None:
    """Write every file to a temporary sibling first; rename them into place only when all are written.

    A file's content is bytes, or a function that writes it to the open file (a dump streamed from disk
    without holding it in memory); files are written in the order given.

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
                if isinstance(data, bytes):
                    fh.write(data)
                else:
                    data(fh)
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


def write_file(target: Path, data: Content) -> None:
    """Atomically write one file into an existing folder."""
    write_files({target: data})
