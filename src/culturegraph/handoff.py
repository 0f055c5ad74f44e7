"""What the server and a query worker say to each other: a :class:`Job` one way, a reply the other.

Each message travels in ``multiprocessing.connection`` framing (a 4-byte big-endian length, or -1 and an
8-byte one, then the payload; the worker reads and writes with ``Connection.recv_bytes``/``send_bytes``).
The payloads are cheaper than pickled dataclasses (an ASK's job and reply cost 1.6 + 2.3 and 1.5 + 1.7 µs
to pickle and unpickle, against 0.3–0.4 µs each as below), and a result's body is sent as it is:

- a job: a pickled tuple of the :class:`Job`'s fields, in their order;
- a reply: ``b"K"``, a fixed header (:data:`_OK`: the query's form, the format, rows, why it was cut,
  seconds) and the body's raw bytes; or ``b"E"`` and an error tuple as JSON (see :func:`error_reply`).

Nothing a worker sends is unpickled: a worker runs untrusted queries, and unpickling its bytes in the server
would let a worker that had been subverted run code there. Jobs go the other way, from the server.
"""

from __future__ import annotations

import json
import pickle
import struct
from dataclasses import dataclass, field, fields
from typing import Any

# A term sent to a worker for substitution: ("iri", value) or ("literal", value, language, datatype).
TermSpec = tuple[str, ...]


@dataclass
class Job:
    """One query for a worker. The format keys (see :mod:`culturegraph.sparql_protocol`) are what the
    client accepts for each form; ``not_acceptable`` holds the 406 message of a form it accepts nothing
    for (checked once the worker knows the form)."""

    query: str
    result_format: str = "json"
    ask_format: str = "json"
    graph_format: str = "turtle"
    not_acceptable: dict[str, str] = field(default_factory=dict)  # "select" | "ask" | "graph" → message
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None
    max_rows: int = 10_000
    max_bytes: int | None = None
    substitutions: dict[str, TermSpec] | None = None
    drop: tuple[str, ...] = ()  # result columns to leave out (bound parameters: constant columns)


@dataclass
class Outcome:
    """A serialised result: ``kind`` is ``select``, ``ask`` or ``graph``; ``fmt`` the format key used;
    ``truncated`` is ``"rows"`` or ``"bytes"`` when the result was cut, else ``""``."""

    kind: str
    fmt: str
    body: bytes
    rows: int
    truncated: str
    seconds: float


_JOB_FIELDS = tuple(f.name for f in fields(Job))
_KINDS = ("select", "ask", "graph")
_FORMATS = ("json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml")
_CUTS = ("", "rows", "bytes")
_OK = struct.Struct("!cBBqBd")  # b"K", kind, format, rows, cut, seconds


def frame(payload: bytes) -> bytes:
    """``payload`` as ``multiprocessing.connection.Connection.recv_bytes`` reads it."""
    if len(payload) > 0x7FFFFFFF:
        return struct.pack("!iQ", -1, len(payload)) + payload
    return struct.pack("!i", len(payload)) + payload


def encode_job(job: Job) -> bytes:
    """``job`` as a worker reads it (:func:`decode_job`)."""
    d = job.__dict__
    return pickle.dumps(tuple(d[name] for name in _JOB_FIELDS), protocol=pickle.HIGHEST_PROTOCOL)


def decode_job(data: bytes) -> Job:
    return Job(*pickle.loads(data))


def ok_reply(outcome: Outcome) -> bytes:
    """A result as the server reads it (:func:`decode_reply`)."""
    head = _OK.pack(b"K", _KINDS.index(outcome.kind), _FORMATS.index(outcome.fmt), outcome.rows,
                    _CUTS.index(outcome.truncated), outcome.seconds)
    return head + outcome.body


def error_reply(*reply: str | int | None) -> bytes:
    """A refusal or failure: ``("syntax", message)`` or ``("error", class name, message, line, column)``."""
    return b"E" + json.dumps(reply).encode()


def decode_reply(data: bytes | memoryview) -> Outcome | tuple[Any, ...]:
    """The :class:`Outcome`, or the error tuple of :func:`error_reply`."""
    if data[:1] == b"K":
        _, kind, fmt, rows, cut, seconds = _OK.unpack_from(data)
        return Outcome(_KINDS[kind], _FORMATS[fmt], bytes(data[_OK.size:]), rows, _CUTS[cut], seconds)
    return tuple(json.loads(bytes(data[1:])))


def status_message(status: str, detail: Any) -> bytes:
    """A worker's word once it has loaded the data: ``("ready", notes)`` or ``("failed", why)``."""
    return json.dumps([status, detail]).encode()


def decode_status(data: bytes) -> tuple[str, Any]:
    status, detail = json.loads(data)
    return str(status), detail
