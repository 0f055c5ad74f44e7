"""A pool of worker processes that run endpoint queries and can be killed.

A thread cannot interrupt pyoxigraph while it evaluates a query, so every endpoint query runs in a
worker process holding its own copy of the store (loaded once, from the N-Quads the server sends it at
start). A query that overruns ``query_timeout`` gets its worker killed (SIGKILL) and replaced, and the
client a 504; the other workers keep answering meanwhile. Workers also serialise the results (with
pyoxigraph), so the server process only moves bytes.

Workers are started with the ``forkserver`` method: the fork server is a small single-threaded process,
so a replacement never forks the server's threads or event loop, and it starts in milliseconds because
this module (and pyoxigraph) is preloaded there.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import multiprocessing
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from .errors import CultureGraphError, Overloaded, QueryError, QueryTimeout

# A term sent to a worker for substitution: ("iri", value) or ("literal", value, language, datatype).
TermSpec = tuple[str, ...]


@dataclass
class Job:
    """One query for a worker. ``result_format`` / ``graph_format`` are format keys (see
    :mod:`culturegraph.sparql_protocol`); the one matching the query's result kind is used."""

    query: str
    result_format: str = "json"
    graph_format: str = "turtle"
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None
    union: bool = True
    max_rows: int = 10_000
    substitutions: dict[str, TermSpec] | None = None
    drop: tuple[str, ...] = ()  # result columns to leave out (bound parameters: constant columns)


@dataclass
class Outcome:
    """A serialised result: ``kind`` is ``select``, ``ask`` or ``graph``; ``fmt`` the format key used."""

    kind: str
    fmt: str
    body: bytes
    rows: int
    truncated: bool
    seconds: float


class WorkerDied(CultureGraphError):
    """A query worker exited while running a query (out of memory, crash)."""

    http_status = 500


# ---------------------------------------------------------------------------------------------- worker side
def _worker_main(conn: Connection, prefixes: dict[str, str], base_iri: str) -> None:
    """Receive what to load (see :class:`WorkerPool`), load it, then answer jobs until the pipe closes."""

    kind, value = conn.recv()
    try:
        store = _open(kind, value)
    except Exception as exc:  # reported to the server, which refuses to start rather than serve nothing
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            return
        start = time.perf_counter()
        try:
            reply: tuple[str, Any] = ("ok", _execute(store, job, prefixes, base_iri, start))
        except SyntaxError as exc:
            reply = ("syntax", str(exc))
        except Exception as exc:  # an evaluation error is the query's fault: report it, keep serving
            reply = ("error", f"{type(exc).__name__}: {exc}")
        conn.send(reply)


def _open(kind: str, value: Any) -> Any:
    """The worker's store: the on-disk store read-only, the prebuilt dump (checked), or N-Quads bytes."""
    import pyoxigraph as ox

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


def _execute(store, job: Job, prefixes: dict[str, str], base_iri: str, start: float) -> Outcome:
    import pyoxigraph as ox

    from .tsv_rows import tsv_lines

    kwargs: dict[str, Any] = {"prefixes": prefixes, "base_iri": base_iri}
    if job.default_graphs is not None or job.named_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or []]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or []]
    elif job.union:
        kwargs["use_default_graph_as_union"] = True
    if job.substitutions:
        kwargs["substitutions"] = {ox.Variable(k): _term(v) for k, v in job.substitutions.items()}
    res = store.query(job.query, **kwargs)
    cap = job.max_rows
    if isinstance(res, ox.QueryBoolean):
        fmt = job.result_format
        body = res.serialize(format=_RESULTS[fmt]())
        return Outcome("ask", fmt, body or b"", 1, False, time.perf_counter() - start)
    if isinstance(res, ox.QuerySolutions):
        fmt = job.result_format
        names = [str(v) for v in res.variables]
        keep = [i for i, v in enumerate(res.variables) if v.value not in job.drop]
        # pyoxigraph writes the capped rows as TSV (tsv_rows.py), dropped columns are cut out of the lines,
        # and the other formats are written by pyoxigraph from that TSV: nothing is encoded by hand.
        lines, truncated = tsv_lines(res, cap)
        if len(keep) < len(names):
            lines = ["\t".join(cells[i] for i in keep) for cells in (line.split("\t") for line in lines)]
        rows = len(lines)
        data = ("\n".join(["\t".join(names[i] for i in keep), *lines]) + "\n").encode()
        if fmt != "tsv":
            parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV)
            data = parsed.serialize(format=_RESULTS[fmt]()) or b""
        return Outcome("select", fmt, data, rows, truncated, time.perf_counter() - start)
    fmt = job.graph_format
    triples = list(itertools.islice(res, cap + 1))
    truncated = len(triples) > cap
    triples = triples[:cap]
    used = None
    if fmt in ("turtle", "rdfxml"):
        iris = {t.value for tr in triples for t in (tr.subject, tr.predicate, tr.object)
                if isinstance(t, ox.NamedNode)}
        iris |= {tr.object.datatype.value for tr in triples if isinstance(tr.object, ox.Literal)}
        used = {p: ns for p, ns in prefixes.items() if p != "cgr" and any(i.startswith(ns) for i in iris)}
    body = ox.serialize(triples, format=_GRAPHS[fmt](), prefixes=used) or b""
    return Outcome("graph", fmt, body, len(triples), truncated, time.perf_counter() - start)


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


_RESULTS = {"json": _results_format("JSON"), "xml": _results_format("XML"), "csv": _results_format("CSV"),
            "tsv": _results_format("TSV")}
_GRAPHS = {"turtle": _graph_format("TURTLE"), "ntriples": _graph_format("N_TRIPLES"),
           "jsonld": _graph_format("JSON_LD"), "rdfxml": _graph_format("RDF_XML")}


# ---------------------------------------------------------------------------------------------- server side
@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection


class WorkerPool:
    """``size`` worker processes, each holding the store; :meth:`run` sends a job to an idle one.

    :param source: what each worker loads once (:func:`culturegraph.snapshot.worker_source`): ``("nquads",
        bytes)``, ``("file", path of an N-Quads dump)`` or ``("disk", on-disk store opened read-only)``;
        plain ``bytes`` are N-Quads.
    :param timeout: seconds a query may run before its worker is killed (:class:`QueryTimeout`, 504).
    :param queue_limit: requests that may wait for a busy pool before :class:`Overloaded` (503).
    """

    def __init__(self, source: tuple[str, Any] | bytes, *, size: int, timeout: float, prefixes: dict[str, str],
                 base_iri: str, queue_limit: int | None = None):
        self.source = ("nquads", source) if isinstance(source, bytes) else source
        self.size = max(1, size)
        self.timeout = timeout
        self.prefixes = prefixes
        self.base_iri = base_iri
        self.queue_limit = queue_limit if queue_limit is not None else 8 * self.size
        self.kills = 0
        self._idle: asyncio.Queue[_Worker] | None = None
        self._waiting = 0
        self._all: set[_Worker] = set()
        self._tasks: set[asyncio.Task] = set()
        self._closed = False
        methods = multiprocessing.get_all_start_methods()
        self._ctx: Any = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            self._ctx.set_forkserver_preload(["culturegraph.query_workers", "pyoxigraph"])

    def _spawn(self) -> _Worker:
        """Start one worker and wait until it holds the store (blocking; run in a thread)."""
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker_main, args=(child, self.prefixes, self.base_iri),
                                 name="culturegraph-query-worker", daemon=True)
        proc.start()
        child.close()
        parent.send(self.source)
        if not parent.poll(300):
            proc.kill()
            raise WorkerDied("a query worker did not start within 300 s")
        try:
            status, detail = parent.recv()
        except EOFError:
            status, detail = "failed", "it exited while loading the data"
        if status != "ready":
            proc.kill()
            raise WorkerDied(f"a query worker could not load the data: {detail}")
        return _Worker(proc, parent)

    async def start(self) -> None:
        """Start every worker (in parallel) and wait until all are ready."""
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(*(asyncio.to_thread(self._spawn) for _ in range(self.size)))
        for w in workers:
            self._all.add(w)
            self._idle.put_nowait(w)

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        for w in list(self._all):
            self._stop(w)

    def _stop(self, w: _Worker) -> None:
        self._all.discard(w)
        with contextlib.suppress(Exception):
            w.process.kill()
            w.process.join(5)
        with contextlib.suppress(Exception):
            w.conn.close()

    def _replace(self, w: _Worker) -> None:
        """Kill ``w`` and start a replacement in the background."""
        self._stop(w)
        if self._closed:
            return

        async def respawn() -> None:
            new = await asyncio.to_thread(self._spawn)
            if self._closed:
                self._stop(new)
                return
            self._all.add(new)
            assert self._idle is not None
            self._idle.put_nowait(new)

        task = asyncio.get_running_loop().create_task(respawn())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _acquire(self) -> _Worker:
        assert self._idle is not None, "WorkerPool.start() was not awaited"
        if self._idle.empty() and self._waiting >= self.queue_limit:
            raise Overloaded(f"all {self.size} query workers are busy and {self._waiting} requests are "
                             "already waiting; try again in a few seconds")
        self._waiting += 1
        try:
            return await asyncio.wait_for(self._idle.get(), self.timeout)
        except TimeoutError:
            raise Overloaded(f"all {self.size} query workers stayed busy for {self.timeout:g} s; "
                             "try again later") from None
        finally:
            self._waiting -= 1

    async def run(self, job: Job) -> Outcome:
        """Run ``job`` on an idle worker.

        :raises Overloaded: every worker busy and the queue full (503).
        :raises QueryTimeout: the query ran past the time limit; its worker was killed (504).
        :raises QueryError: syntax (with line and column) or evaluation error (400).
        """
        w = await self._acquire()
        loop = asyncio.get_running_loop()
        fd = w.conn.fileno()
        done = False
        try:
            readable: asyncio.Future[None] = loop.create_future()
            w.conn.send(job)
            loop.add_reader(fd, _resolve, readable)
            try:
                await asyncio.wait_for(readable, self.timeout)
            except TimeoutError:
                self.kills += 1
                raise QueryTimeout(f"the query ran longer than the {self.timeout:g} s limit and was "
                                   "stopped (setting query_timeout); anchor it on a resource, add LIMIT, "
                                   "or precompute global joins") from None
            finally:
                loop.remove_reader(fd)
            try:
                status, payload = w.conn.recv()
            except (EOFError, OSError):
                raise WorkerDied("the query worker died while running this query "
                                 "(probably out of memory); it has been restarted") from None
            done = True
        finally:
            if done:
                self._idle.put_nowait(w)  # type: ignore[union-attr]
            else:
                self._replace(w)
        if status == "ok":
            return payload
        if status == "syntax":
            raise syntax_error(payload)
        raise QueryError(f"query evaluation failed: {payload}")


def _resolve(fut: asyncio.Future[None]) -> None:
    if not fut.done():
        fut.set_result(None)


def syntax_error(message: str) -> QueryError:
    """A :class:`QueryError` from an Oxigraph parser message ``error at LINE:COL: …``."""
    import re

    m = re.match(r"error at (\d+):(\d+)(?:-\d+:\d+)?: ?(.*)", message, re.DOTALL)
    if m:
        return QueryError(f"SPARQL syntax error: {m.group(3)}", line=int(m.group(1)), column=int(m.group(2)))
    return QueryError(f"SPARQL syntax error: {message}")
