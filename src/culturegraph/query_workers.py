"""A pool of worker processes that run endpoint queries, each boxed in by the operating system.

A thread cannot interrupt pyoxigraph while it evaluates a query, so every endpoint query runs in a
worker process holding its own copy of the store (loaded once, at start). Each worker

- has **no network** (:func:`culturegraph.sandbox.isolate_network`): a ``SERVICE`` that got past the guard
  connects nowhere — unless ``allow_service`` lists endpoints, when the guard's allowlist is the boundary;
- has a **memory budget** (setting ``worker_memory``): past it an allocation fails, the worker ends, the
  client gets a 422 saying so, and a new worker takes its place;
- runs the **guard** itself (:func:`culturegraph.sparql_guard.check_query`: updates, ``SERVICE``, nesting
  and length), so no query text is tokenized on the server's event loop, and runs queries on a thread with
  a deep stack;
- picks the result format for the query's form from the formats the server negotiated, and caps the
  result by rows (``max_rows``) and bytes (``max_response_bytes``), saying when it cut.

A query that overruns ``query_timeout`` gets its worker killed (SIGKILL) and replaced, and the client a 504.
The hand-off to a worker (send, wait, receive) runs on a thread of its own, one per worker, so the event
loop never waits on a pipe; the thread that used a worker gives it back, or replaces it, when it is done,
even if the client has gone. A worker found dead while idle is replaced before a job is given to it.

Workers are started with the ``forkserver`` method: the fork server is a small single-threaded process,
so a replacement never forks the server's threads or event loop, starts in milliseconds (this module and
pyoxigraph are preloaded there), and can enter a new user namespace (which needs a single thread).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import multiprocessing
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from .errors import CultureGraphError, Overloaded, QueryError, QueryRefused, QueryTimeout, QueryTooLarge

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


@dataclass(frozen=True)
class WorkerConfig:
    """What every worker is started with."""

    prefixes: dict[str, str]
    base_iri: str
    allow_service: tuple[str, ...] = ()
    memory: int = 0  # bytes a worker may grow by after loading; 0 = no limit
    guard: bool = True  # False only in the tests that prove the sandbox holds without it


class WorkerDied(CultureGraphError):
    """A query worker exited while running a query (a crash)."""

    http_status = 500


class _Gone(Exception):
    """The worker had died before the job reached it: try another."""


# ---------------------------------------------------------------------------------------------- worker side
def _worker_main(conn: Connection, config: WorkerConfig) -> None:
    """Leave the network (while single-threaded), then serve on a thread with a deep stack."""
    from .sandbox import isolate_network, run_with_stack

    network: str | None
    if config.allow_service:
        network = "SERVICE may call the endpoints listed in allow_service, so query workers keep the network"
    else:
        network = isolate_network()
    run_with_stack(lambda: _serve(conn, config, network))


def _serve(conn: Connection, config: WorkerConfig, network: str | None) -> None:
    """Load what the pool sends (see :class:`WorkerPool`), set the memory budget, answer jobs until the
    pipe closes."""
    from .sandbox import limit_memory

    kind, value = conn.recv()
    try:
        store = _open(kind, value)
    except Exception as exc:  # reported to the server, which refuses to start rather than serve nothing
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    memory = limit_memory(config.memory) if config.memory else "no memory limit is set (worker_memory = 0)"
    conn.send(("ready", {"network": network, "memory": memory}))
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            return
        start = time.perf_counter()
        try:
            reply: tuple[Any, ...] = ("ok", _execute(store, job, config, start))
        except CultureGraphError as exc:  # refused, shape, no acceptable format
            reply = ("error", type(exc).__name__, getattr(exc, "message", str(exc)), getattr(exc, "line", None),
                     getattr(exc, "column", None))
        except SyntaxError as exc:
            reply = ("syntax", str(exc))
        except MemoryError:
            reply = ("error", "QueryTooLarge", "", None, None)
        except Exception as exc:  # an evaluation error is the query's fault: report it, keep serving
            reply = ("error", "QueryError", f"query evaluation failed: {type(exc).__name__}: {exc}", None, None)
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("error", "QueryTooLarge", "", None, None))


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


def _execute(store, job: Job, config: WorkerConfig, start: float) -> Outcome:
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
        body = res.serialize(format=_RESULTS[job.ask_format]())
        return Outcome("ask", job.ask_format, body or b"", 1, "", time.perf_counter() - start)
    if isinstance(res, ox.QuerySolutions):
        return _solutions(res, job, start)
    return _triples(res, job, config.prefixes, start)


def _form(text: str) -> str | None:
    """The query form, read without the guard (for the tests that switch it off)."""
    import re

    m = re.search(r"\b(select|ask|construct|describe)\b", text, re.IGNORECASE)
    return m.group(1).lower() if m else None


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
        return parsed.serialize(format=_RESULTS[fmt]()) or b""

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
        return ox.serialize(part, format=_GRAPHS[fmt](), prefixes=used) or b""

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


_RESULTS = {"json": _results_format("JSON"), "xml": _results_format("XML"), "csv": _results_format("CSV"),
            "tsv": _results_format("TSV")}
_GRAPHS = {"turtle": _graph_format("TURTLE"), "ntriples": _graph_format("N_TRIPLES"),
           "jsonld": _graph_format("JSON_LD"), "rdfxml": _graph_format("RDF_XML")}


# ---------------------------------------------------------------------------------------------- server side
@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection
    notes: dict[str, str | None]


class WorkerPool:
    """``size`` worker processes, each holding the store; :meth:`run` sends a job to an idle one.

    :param source: what each worker loads once (:func:`culturegraph.snapshot.worker_source`): ``("nquads",
        bytes)``, ``("file", path of an N-Quads dump)`` or ``("disk", on-disk store opened read-only)``;
        plain ``bytes`` are N-Quads.
    :param timeout: seconds a query may run before its worker is killed (:class:`QueryTimeout`, 504).
    :param queue_limit: requests that may wait for a busy pool before :class:`Overloaded` (503).
    :param allow_service: SERVICE endpoints a query may call (then workers keep the network).
    :param memory_mb: megabytes a worker may use beyond the loaded store (0 = no limit).
    :param guard: False runs queries unchecked — only for tests proving the workers' sandbox on its own.
    """

    def __init__(self, source: tuple[str, Any] | bytes, *, size: int, timeout: float, prefixes: dict[str, str],
                 base_iri: str, queue_limit: int | None = None, allow_service: tuple[str, ...] = (),
                 memory_mb: int = 0, guard: bool = True):
        self.source = ("nquads", source) if isinstance(source, bytes) else source
        self.size = max(1, size)
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.config = WorkerConfig(prefixes, base_iri, tuple(allow_service), memory_mb * 1024 * 1024, guard)
        self.queue_limit = queue_limit if queue_limit is not None else 8 * self.size
        self.kills = 0
        #: what the first worker reported: "network" / "memory" → None (in force) or why not
        self.notes: dict[str, str | None] = {}
        self._idle: asyncio.Queue[_Worker] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiting = 0
        self._all: set[_Worker] = set()
        self._tasks: set[asyncio.Task] = set()
        self._closed = False
        # one hand-off thread per worker: the event loop never blocks on a pipe
        self._handoff = ThreadPoolExecutor(self.size, thread_name_prefix="culturegraph-handoff")
        methods = multiprocessing.get_all_start_methods()
        self._ctx: Any = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            self._ctx.set_forkserver_preload(["culturegraph.query_workers", "culturegraph.sparql_guard",
                                              "culturegraph.sandbox", "pyoxigraph"])

    def _spawn(self) -> _Worker:
        """Start one worker and wait until it holds the store (blocking; run in a thread)."""
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker_main, args=(child, self.config), name="culturegraph-query-worker",
                                 daemon=True)
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
        return _Worker(proc, parent, detail)

    async def start(self) -> None:
        """Start every worker (in parallel) and wait until all are ready."""
        self._loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(*(asyncio.to_thread(self._spawn) for _ in range(self.size)))
        self.notes = dict(workers[0].notes)
        for w in workers:
            self._all.add(w)
            self._idle.put_nowait(w)

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        for w in list(self._all):
            self._all.discard(w)
            _retire(w)
        self._handoff.shutdown(wait=False)

    def pids(self) -> list[int]:
        """Process ids of the current workers."""
        return sorted(w.process.pid for w in self._all)

    # -------------------------------------------------------------- giving workers back, replacing them
    def _release(self, w: _Worker) -> None:
        """(loop) ``w`` is idle again."""
        if self._closed:
            return
        assert self._idle is not None
        self._idle.put_nowait(w)

    def _respawn(self, w: _Worker) -> None:
        """(loop) ``w`` is gone (already killed): start a replacement in the background."""
        self._all.discard(w)
        if self._closed:
            return

        async def respawn() -> None:
            new = await asyncio.to_thread(self._spawn)
            if self._closed:
                _retire(new)
                return
            self._all.add(new)
            self._release(new)

        task = asyncio.get_running_loop().create_task(respawn())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _from_thread(self, callback: Any, w: _Worker) -> None:
        assert self._loop is not None
        with contextlib.suppress(RuntimeError):  # the loop has closed: the server is stopping
            self._loop.call_soon_threadsafe(callback, w)

    async def _acquire(self) -> _Worker:
        assert self._idle is not None, "WorkerPool.start() was not awaited"
        if self._idle.empty() and self._waiting >= self.queue_limit:
            raise Overloaded(f"all {self.size} query workers are busy and {self._waiting} requests are "
                             "already waiting; try again in a few seconds")
        self._waiting += 1
        try:
            async with asyncio.timeout(self.timeout):
                while True:
                    w = await self._idle.get()
                    if w.process.is_alive():
                        return w
                    # died while idle (killed from outside, out of memory): replace it, take another
                    self._respawn(w)
                    asyncio.get_running_loop().run_in_executor(None, _retire, w)  # reaps it, off the loop
        except TimeoutError:
            raise Overloaded(f"all {self.size} query workers stayed busy for {self.timeout:g} s; "
                             "try again later") from None
        finally:
            self._waiting -= 1

    # -------------------------------------------------------------- running a job
    async def run(self, job: Job) -> Outcome:
        """Run ``job`` on an idle worker.

        :raises Overloaded: every worker busy and the queue full (503).
        :raises QueryTimeout: the query ran past the time limit; its worker was killed (504).
        :raises QueryTooLarge: the query needed more than the worker's memory budget (422).
        :raises QueryRefused: update, SERVICE, LOAD (403). :raises ProtocolError: no acceptable format (406).
        :raises QueryError: syntax (with line and column), shape or evaluation error (400).
        """
        loop = asyncio.get_running_loop()
        for _ in range(self.size + 1):
            w = await self._acquire()
            try:
                reply = await loop.run_in_executor(self._handoff, self._call, w, job)
            except _Gone:
                continue
            return self._outcome(reply)
        raise WorkerDied("every query worker died before it could take the query; they are being restarted")

    def _call(self, w: _Worker, job: Job) -> tuple[Any, ...]:
        """(hand-off thread) send, wait, receive; give ``w`` back or replace it, whatever happens."""
        try:
            w.conn.send(job)
        except (OSError, ValueError):
            _retire(w)
            self._from_thread(self._respawn, w)
            raise _Gone from None
        if not w.conn.poll(self.timeout):
            self.kills += 1
            _retire(w)
            self._from_thread(self._respawn, w)
            raise QueryTimeout(f"the query ran longer than the {self.timeout:g} s limit and was stopped (setting "
                               "query_timeout); anchor it on a resource, add LIMIT, or precompute global joins")
        try:
            reply = w.conn.recv()
        except (EOFError, OSError):
            w.process.join(2)
            code = w.process.exitcode
            _retire(w)
            self._from_thread(self._respawn, w)
            if code == -signal.SIGABRT and self.memory_mb:  # Oxigraph aborts when an allocation fails
                raise self._too_large() from None
            raise WorkerDied(f"the query worker died while running this query (exit code {code}); "
                             "it has been restarted") from None
        self._from_thread(self._release, w)
        return reply

    def _too_large(self) -> QueryTooLarge:
        return QueryTooLarge(f"the query needed more than {self.memory_mb:,} MB of memory and was stopped "
                             "(setting worker_memory); anchor it on a resource, or aggregate less at once")

    def _outcome(self, reply: tuple[Any, ...]) -> Outcome:
        status = reply[0]
        if status == "ok":
            return reply[1]
        if status == "syntax":
            raise syntax_error(reply[1])
        _, kind, message, line, column = reply
        if kind == "QueryTooLarge":
            raise self._too_large()
        if kind == "ProtocolError":
            from .sparql_protocol import ProtocolError

            raise ProtocolError(406, message)
        cls = QueryRefused if kind == "QueryRefused" else QueryError
        raise cls(message, line=line, column=column)


def _retire(w: _Worker) -> None:
    """Kill ``w`` and reap it (blocking: not on the event loop)."""
    with contextlib.suppress(Exception):
        w.process.kill()
        w.process.join(5)
    with contextlib.suppress(Exception):
        w.conn.close()


def syntax_error(message: str) -> QueryError:
    """A :class:`QueryError` from an Oxigraph parser message ``error at LINE:COL: …``."""
    import re

    m = re.match(r"error at (\d+):(\d+)(?:-\d+:\d+)?: ?(.*)", message, re.DOTALL)
    if m:
        return QueryError(f"SPARQL syntax error: {m.group(3)}", line=int(m.group(1)), column=int(m.group(2)))
    return QueryError(f"SPARQL syntax error: {message}")
