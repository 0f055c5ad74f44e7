"""What a query worker process runs (the pool that starts them is :mod:`culturegraph.query_workers`).

A worker leaves the network (:func:`culturegraph.sandbox.isolate_network`) while it has one thread, then on a
thread with a deep stack loads its copy of the store, sets its memory budget
(:func:`culturegraph.sandbox.limit_memory`) and answers jobs from its pipe until the pipe closes. For each job
it runs the guard (:func:`culturegraph.sparql_guard.check_query`), picks the result format for the query's
form from those the server negotiated, runs the query with pyoxigraph and writes the result, cut at
``max_rows`` rows or ``max_bytes`` bytes. Messages on the pipe are those of :mod:`culturegraph.handoff`.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from .errors import CultureGraphError
from .handoff import Job, Outcome, TermSpec, decode_job, error_reply, ok_reply, status_message

__all__ = ["GRAPHS", "RESULTS", "Job", "Outcome", "TermSpec", "WorkerConfig", "execute", "term_spec",
           "worker_main"]


@dataclass(frozen=True)
class WorkerConfig:
    """What every worker is started with."""

    prefixes: dict[str, str]
    base_iri: str
    allow_service: tuple[str, ...] = ()
    memory: int = 0  # bytes a worker may grow by after loading; 0 = no limit
    guard: bool = True  # False only in the tests that prove the sandbox holds without it


#: the process name of a query worker (``/proc/PID/comm``, at most 15 characters)
WORKER_NAME = "cg-query-worker"


def worker_main(conn: Connection, config: WorkerConfig) -> None:
    """Leave the network (while single-threaded), then serve on a thread with a deep stack."""
    from .sandbox import isolate_network, run_with_stack

    # the name ps and top show (Linux), whether forked or spawned
    with contextlib.suppress(OSError), open("/proc/self/comm", "w") as fh:
        fh.write(WORKER_NAME)

    network: str | None
    if config.allow_service:
        network = "SERVICE may call the endpoints listed in allow_service, so query workers keep the network"
    else:
        network = isolate_network()
    batch_scheduling()
    run_with_stack(lambda: serve_jobs(conn, config, network))


def batch_scheduling() -> None:
    """Mark this thread, and the threads it starts, ``SCHED_BATCH`` (Linux; no privilege needed): woken by a
    job, a worker then waits for a free core instead of preempting the server's event loop mid-request.
    Measured (ASK, 16 clients): the server's loop was preempted 1.3 times a request; decisions.md, 2026-12-05."""
    import os

    with contextlib.suppress(AttributeError, OSError):  # not Linux: the default policy
        os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))


def serve_jobs(conn: Connection, config: WorkerConfig, network: str | None) -> None:
    """Load what the pool sends (see :class:`WorkerPool`), set the memory budget, answer jobs until the
    pipe closes."""
    from .sandbox import limit_memory

    kind, value = conn.recv()
    try:
        store = _open(kind, value)
    except Exception as exc:  # reported to the server, which refuses to start rather than serve nothing
        conn.send_bytes(status_message("failed", f"{type(exc).__name__}: {exc}"))
        return
    memory = limit_memory(config.memory) if config.memory else "no memory limit is set (worker_memory = 0)"
    conn.send_bytes(status_message("ready", {"network": network, "memory": memory}))
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return
        start = time.perf_counter()
        try:
            reply = ok_reply(execute(store, decode_job(data), config, start))
        except CultureGraphError as exc:  # refused, shape, no acceptable format
            reply = error_reply("error", type(exc).__name__, getattr(exc, "message", str(exc)),
                                getattr(exc, "line", None), getattr(exc, "column", None))
        except SyntaxError as exc:
            reply = error_reply("syntax", str(exc))
        except MemoryError:
            reply = error_reply("error", "QueryTooLarge", "", None, None)
        except Exception as exc:  # an evaluation error is the query's fault: report it, keep serving
            reply = error_reply("error", "QueryError", f"query evaluation failed: {type(exc).__name__}: {exc}",
                                None, None)
        try:
            conn.send_bytes(reply)
        except MemoryError:
            conn.send_bytes(error_reply("error", "QueryTooLarge", "", None, None))


def _open(kind: str, value: Any) -> Any:
    """The worker's store: the server's, inherited by forking (:mod:`culturegraph.forked`), the on-disk
    store read-only, the prebuilt dump (checked), or N-Quads bytes."""
    import pyoxigraph as ox

    if kind == "inherited":
        from .forked import INHERITED

        if INHERITED is None:
            raise ValueError("this worker was not forked from the server: it inherited no store")
        return INHERITED
    if kind == "disk":
        return ox.Store.read_only(value)
    store = ox.Store()
    if kind == "file":
        from pathlib import Path

        from .snapshot import load_dump

        if not load_dump(store, Path(value)):
            raise ValueError(f"{value} is not the dump the server checked (it changed): restart the server")
    else:
        store.load(value, format=ox.RdfFormat.N_QUADS)
    return store


def term_spec(term: Any) -> TermSpec:
    """A pyoxigraph IRI or literal as a picklable :data:`TermSpec`."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    return ("literal", term.value, term.language or "", "" if term.language else term.datatype.value)


def _term(spec: TermSpec):
    import pyoxigraph as ox

    if spec[0] == "iri":
        return ox.NamedNode(spec[1])
    _, value, lang, datatype = spec
    if lang:
        return ox.Literal(value, language=lang)
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)


def execute(store, job: Job, config: WorkerConfig, start: float) -> Outcome:
    import pyoxigraph as ox

    from .sparql_guard import QueryInfo, check_query

    info = check_query(job.query, config.allow_service) if config.guard else QueryInfo(_form(job.query))
    form = {"construct": "graph", "describe": "graph", "ask": "ask"}.get(info.form or "", "select")
    if form in job.not_acceptable:
        from .sparql_protocol import ProtocolError

        raise ProtocolError(406, job.not_acceptable[form])
    kwargs: dict[str, Any] = {"prefixes": config.prefixes, "base_iri": config.base_iri}
    if job.default_graphs is not None or job.named_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or []]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or []]
    elif not info.has_from:
        kwargs["use_default_graph_as_union"] = True
    if job.substitutions:
        kwargs["substitutions"] = {ox.Variable(k): _term(v) for k, v in job.substitutions.items()}
    res = store.query(job.query, **kwargs)
    if isinstance(res, ox.QueryBoolean):
        body = res.serialize(format=RESULTS[job.ask_format]())
        return Outcome("ask", job.ask_format, body or b"", 1, "", time.perf_counter() - start)
    if isinstance(res, ox.QuerySolutions):
        return _solutions(res, job, start)
    from .derived import described

    return _triples(described(res, describe=info.form == "describe"), job, config.prefixes, start)


def _form(text: str) -> str | None:
    """The query form, read without the guard's refusals (for the tests that switch it off)."""
    from .sparql_guard import QUERY_FORMS, tokenize

    return next((t.text.lower() for t in tokenize(text) if t.kind == "name" and t.text.lower() in QUERY_FORMS),
                None)


def _solutions(res: Any, job: Job, start: float) -> Outcome:
    """SELECT: pyoxigraph writes the capped rows as TSV (tsv_rows.py), dropped columns are cut out of the
    lines, and the other formats are written by pyoxigraph from that TSV: nothing is encoded by hand."""
    import pyoxigraph as ox

    from .tsv_rows import tsv_lines

    fmt = job.result_format
    names = [str(v) for v in res.variables]
    keep = [i for i, v in enumerate(res.variables) if v.value not in job.drop]
    lines, cut = tsv_lines(res, job.max_rows, job.max_bytes)
    if len(keep) < len(names):
        lines = ["\t".join(cells[i] for i in keep) for cells in (line.split("\t") for line in lines)]
    header = "\t".join(names[i] for i in keep)

    def write(rows: list[str]) -> bytes:
        data = ("\n".join([header, *rows]) + "\n").encode()
        if fmt == "tsv":
            return data
        parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV)
        return parsed.serialize(format=RESULTS[fmt]()) or b""

    body, lines, cut = _fit(write, lines, cut, job.max_bytes)
    return Outcome("select", fmt, body, len(lines), cut, time.perf_counter() - start)


def _triples(res: Any, job: Job, prefixes: dict[str, str], start: float) -> Outcome:
    """CONSTRUCT / DESCRIBE: at most ``max_rows`` triples, and about ``max_bytes`` of their N-Triples."""
    import pyoxigraph as ox

    fmt = job.graph_format
    budget = job.max_bytes
    triples: list[Any] = []
    cut, size = "", 0
    for t in itertools.islice(res, job.max_rows + 1):
        if len(triples) == job.max_rows:
            cut = "rows"
            break
        if budget is not None:
            size += len(str(t)) + 3
            if size > budget:
                cut = "bytes"
                break
        triples.append(t)

    def write(part: list[Any]) -> bytes:
        used = None
        if fmt in ("turtle", "rdfxml"):
            iris = {x.value for tr in part for x in (tr.subject, tr.predicate, tr.object)
                    if isinstance(x, ox.NamedNode)}
            iris |= {tr.object.datatype.value for tr in part if isinstance(tr.object, ox.Literal)}
            used = {p: ns for p, ns in prefixes.items() if p != "cgr" and any(i.startswith(ns) for i in iris)}
        return ox.serialize(part, format=GRAPHS[fmt](), prefixes=used) or b""

    body, triples, cut = _fit(write, triples, cut, budget)
    return Outcome("graph", fmt, body, len(triples), cut, time.perf_counter() - start)


def _fit(write: Any, items: list[Any], cut: str, budget: int | None) -> tuple[bytes, list[Any], str]:
    """``write(items)``, with items dropped from the end until the body fits in ``budget`` bytes."""
    body = write(items)
    while budget is not None and len(body) > budget and items:
        keep = min(len(items) - 1, int(len(items) * budget / len(body) * 0.95))
        items, cut = items[:max(keep, 0)], "bytes"
        body = write(items)
    return body, items, cut


def _results_format(name: str):
    def get():
        import pyoxigraph as ox

        return getattr(ox.QueryResultsFormat, name)
    return get


def _graph_format(name: str):
    def get():
        import pyoxigraph as ox

        return getattr(ox.RdfFormat, name)
    return get


RESULTS = {"json": _results_format("JSON"), "xml": _results_format("XML"), "csv": _results_format("CSV"),
            "tsv": _results_format("TSV")}
GRAPHS = {"turtle": _graph_format("TURTLE"), "ntriples": _graph_format("N_TRIPLES"),
           "jsonld": _graph_format("JSON_LD"), "rdfxml": _graph_format("RDF_XML")}
