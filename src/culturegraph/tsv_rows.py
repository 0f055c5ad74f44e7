"""SELECT results of pyoxigraph as rows of rdflib terms, read through pyoxigraph's own TSV serializer.

Iterating a ``QuerySolutions`` makes a Python object per value and takes the GIL back for every row: a
listing of 14,000 rows spends 20–35 ms in that loop on top of the engine, and while another Python thread
is busy each row waits for the GIL — one such listing took 24 s beside a spinning thread, 228 ms alone
(``benchmarks/README.md``). ``QuerySolutions.serialize`` instead runs the whole evaluation in Rust and
hands over TSV in 8 KB chunks; the rows are then split with ``str.split`` and each cell (the term's
N-Triples/Turtle syntax, ``""`` when unbound) is looked up in a memo of rdflib terms. A cell not seen before
is parsed by pyoxigraph itself (``parse_query_results``), so no term syntax is decoded by hand.

The sink stops the serializer once it holds more than ``limit`` rows, so a large result costs no more
memory than the rows kept. The endpoint's workers (:mod:`culturegraph.query_run`) take the same capped
lines (:func:`tsv_lines`) and have pyoxigraph write the client's format from them.

pyoxigraph offers no bulk read of solutions other than serialising them, hence this module.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

_TSV = ox.QueryResultsFormat.TSV


class _Enough(Exception):
    """Raised from the sink's ``write`` to stop the serializer once the rows asked for are in."""


class _CappedSink:
    """A binary file-like object for ``serialize``: keeps the chunks, counts the lines, stops the writer
    once it holds the header and ``limit + 1`` rows (one more than kept says the result was cut), or more
    than ``max_bytes``."""

    def __init__(self, limit: int, max_bytes: int | None):
        self.parts: list[bytes] = []
        self.lines = 0
        self.size = 0
        self.stop_at = limit + 2
        self.max_bytes = max_bytes
        self.full = False  # stopped for the bytes
        self.stopped = False

    def write(self, chunk: Any) -> int:
        if self.stopped:  # pyoxigraph's buffered writer offers its last chunk again when dropped
            raise _Enough
        data = bytes(chunk)
        self.parts.append(data)
        self.lines += data.count(b"\n")
        self.size += len(data)
        if self.max_bytes is not None and self.size > self.max_bytes:
            self.full = self.stopped = True
            raise _Enough
        if self.lines >= self.stop_at:
            self.stopped = True
            raise _Enough
        return len(data)

    def flush(self) -> None:
        pass


def tsv_lines(solutions: ox.QuerySolutions, limit: int | None, max_bytes: int | None = None) -> tuple[list[str], str]:
    """The TSV lines of the rows (no header, no line ends; at most ``limit``, ``None`` = all; at most
    ``max_bytes`` of them with their line ends) and why more rows were left out: ``"rows"``, ``"bytes"`` or ``""`` (none
    were). Cells are the terms' Turtle syntax, ``""`` when unbound; a cell never holds a tab or a line break
    (the writer escapes them in strings)."""
    full = False
    if (limit is None or limit < 0) and max_bytes is None:
        parts = [solutions.serialize(format=_TSV) or b""]
        limit = -1
    else:
        if limit is None or limit < 0:
            limit = -1
        sink = _CappedSink(limit if limit >= 0 else 1 << 62, max_bytes)
        with contextlib.suppress(_Enough):
            solutions.serialize(sink, format=_TSV)  # type: ignore[arg-type]  # write + flush suffice
        parts, full = sink.parts, sink.full
    body = b"".join(parts).decode().split("\n")[1:-1]  # after the header; the last line may be cut off
    if 0 <= limit < len(body):
        return body[:limit], "rows"
    if full:  # keep the lines that fit in max_bytes (with their line ends)
        size, n = 0, 0
        for line in body:
            size += len(line.encode()) + 1
            if size > max_bytes:  # type: ignore[operator]
                break
            n += 1
        return body[:n], "bytes"
    return body, ""


class TsvRows:
    """Read ``QuerySolutions`` into tuples of rdflib terms (``None`` for unbound), memoising cells.

    ``convert`` turns a pyoxigraph term into an rdflib term (:func:`culturegraph.store.from_stored`).
    The memo is kept between queries (results repeat terms a lot) and emptied when it reaches ``size``.
    """

    def __init__(self, convert: Callable[[Any], Any], size: int = 200_000):
        self.convert = convert
        self.size = size
        self.memo: dict[str, Any] = {"": None}

    def read(self, solutions: ox.QuerySolutions, limit: int | None) -> tuple[list[tuple[Any, ...]], bool]:
        """The rows (at most ``limit``; ``None`` = all) and whether more existed."""
        width = len(solutions.variables)
        body, cut = tsv_lines(solutions, limit)
        truncated = bool(cut)
        if not width:  # no variables: every row is an empty line
            return [()] * len(body), truncated
        return self.convert_cells([line.split("\t") for line in body]), truncated

    def convert_cells(self, split: list[list[str]]) -> list[tuple[Any, ...]]:
        """Rows of rdflib terms from rows of TSV cells."""
        known = self.memo.__getitem__
        try:
            rows = [tuple(map(known, cells)) for cells in split]
        except KeyError:  # cells not seen before: parse them all at once, then read again
            self._learn(split)
            rows = [tuple(map(known, cells)) for cells in split]
        return rows

    def _learn(self, split: list[list[str]]) -> None:
        """Parse every cell not in the memo with pyoxigraph (one TSV result of one column) and keep them."""
        memo = self.memo
        seen = dict.fromkeys(c for cells in split for c in cells)
        new = [c for c in seen if c not in memo]
        if len(memo) + len(new) > self.size:  # start afresh; this result's own cells stay until the next one
            memo.clear()
            memo[""] = None
            new = [c for c in seen if c]
        if not new:
            return
        doc = ("?t\n" + "\n".join(new) + "\n").encode()
        parsed = ox.parse_query_results(doc, format=_TSV)
        assert isinstance(parsed, ox.QuerySolutions)
        terms = [sol[0] for sol in parsed]
        if len(terms) != len(new):  # cannot happen with pyoxigraph's own output; never pair values wrongly
            raise ValueError(f"read {len(terms)} terms from {len(new)} TSV cells")
        convert = self.convert
        for cell, term in zip(new, terms, strict=True):
            memo[cell] = convert(term)
