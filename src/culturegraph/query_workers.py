"""A pool of worker processes that run endpoint queries, each boxed in by the operating system.

A thread cannot interrupt pyoxigraph while it evaluates a query, so every endpoint query runs in a
worker process holding its own copy of the store (loaded once, at start; what a worker does is
:mod:`culturegraph.query_run`). Each worker has **no network** (unless ``allow_service`` lists endpoints),
a **memory budget** (``worker_memory``: past it the client gets a 422 and the worker is replaced), runs the
**guard** itself, so no query text is tokenized on the server's event loop, and caps results by rows and
bytes. A query that overruns ``query_timeout`` gets its worker killed (SIGKILL) and replaced, and the client
a 504. A worker found dead while idle is replaced before a job is given to it.

The hand-off runs on the event loop: each worker's end of its socket pair is read by a small
:class:`asyncio.Protocol` (:class:`_Worker`), a job is written to it in ``multiprocessing.connection`` framing
(:mod:`culturegraph.handoff`), and the reply resolves a future the request awaits. The worker's state — busy,
its timer, giving it back — lives in the protocol, not in the request's task, so a client that goes away
while its query runs cannot leave a worker half-used: the reply still arrives and the worker goes back to
the pool (no task or ``asyncio.shield`` per request; decisions.md, 2026-12-05).

Workers are started with the ``forkserver`` method: the fork server is a small single-threaded process,
so a replacement never forks the server's threads or event loop, starts in milliseconds (pyoxigraph and
the worker's modules are preloaded there), and can enter a new user namespace (which needs one thread).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import multiprocessing
import os
import signal
import socket
import threading
from typing import Any

from .errors import CultureGraphError, Overloaded, QueryError, QueryRefused, QueryTimeout, QueryTooLarge
from .forked import available as forked_available
from .forked import fork_worker
from .handoff import Job, Outcome, decode_reply, decode_status, encode_job, frame
from .query_run import WorkerConfig, term_spec, worker_main

__all__ = ["Job", "Outcome", "WorkerDied", "WorkerPool", "syntax_error", "term_spec"]


class WorkerDied(CultureGraphError):
    """A query worker exited while running a query (a crash)."""

    http_status = 500


class _Worker(asyncio.Protocol):
    """One worker process and the server's end of its socket: reads reply frames, tells the pool."""

    def __init__(self, pool: WorkerPool, process: Any, notes: dict[str, str | None]):
        self.pool, self.process, self.notes = pool, process, notes
        self.transport: Any = None
        self.buffer = bytearray()
        self.pending: asyncio.Future[Any] | None = None  # the reply a request waits for
        self.timer: asyncio.TimerHandle | None = None  # that query's time limit
        self.gone = False  # dead, or stopped by the pool

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if not self.buffer and len(data) > 4 and int.from_bytes(data[:4], "big", signed=True) == len(data) - 4:
            self.pool._replied(self, memoryview(data)[4:])  # the usual case: one whole reply in one read
            return
        buf = self.buffer
        buf += data
        while len(buf) >= 4:
            size, start = int.from_bytes(buf[:4], "big", signed=True), 4
            if size == -1:  # a reply of 2 GB or more: an 8-byte length follows
                if len(buf) < 12:
                    return
                size, start = int.from_bytes(buf[4:12], "big"), 12
            if len(buf) < start + size:
                return
            reply = bytes(buf[start:start + size])
            del buf[:start + size]
            self.pool._replied(self, reply)

    def connection_lost(self, exc: Exception | None) -> None:
        self.pool._lost(self)


class WorkerPool:
    """``size`` worker processes, each holding the store; :meth:`run` sends a job to an idle one.

    :param source: what each worker holds (:func:`culturegraph.snapshot.pool_source`): ``("store", a
        pyoxigraph store)`` — workers are forked from this process and share it (:mod:`culturegraph.forked`,
        Linux only) — or what each loads once: ``("nquads",
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
        self.source: tuple[str, Any] = ("nquads", source) if isinstance(source, bytes) else source
        if self.source[0] == "store" and not forked_available():
            raise ValueError("a shared store needs workers forked from this process (Linux): pass what each "
                             "worker loads instead (snapshot.pool_source chooses)")
        self._fork_lock = threading.Lock()
        self.size = max(1, size)
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.config = WorkerConfig(prefixes, base_iri, tuple(allow_service), memory_mb * 1024 * 1024, guard)
        self.queue_limit = queue_limit if queue_limit is not None else 8 * self.size
        self.kills = 0
        #: what the first worker reported: "network" / "memory" → None (in force) or why not
        self.notes: dict[str, str | None] = {}
        self._free: list[_Worker] = []  # idle workers
        self._waiters: collections.deque[asyncio.Future[_Worker]] = collections.deque()  # requests, in order
        self._waiting = 0
        self._all: set[_Worker] = set()
        self._tasks: set[asyncio.Task] = set()
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None  # kept: asyncio.get_running_loop() costs a getpid()
        methods = multiprocessing.get_all_start_methods()
        self._ctx: Any = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            self._ctx.set_forkserver_preload(["culturegraph.query_run", "culturegraph.sparql_guard",
                                              "culturegraph.sandbox", "pyoxigraph"])

    # -------------------------------------------------------------- starting and stopping workers
    def _spawn(self) -> tuple[Any, socket.socket, dict[str, str | None]]:
        """Start one worker and wait until it holds the store (blocking; run in a thread)."""
        source = self.source
        if source[0] == "store":  # forked from this process: it shares the store's pages (forked.py)
            parent, child = multiprocessing.Pipe()
            with self._fork_lock:
                proc: Any = fork_worker(source[1], worker_main, child.fileno(), child, self.config)
            source = ("inherited", None)
        else:
            parent, child = self._ctx.Pipe()
            proc = self._ctx.Process(target=worker_main, args=(child, self.config),
                                     name="culturegraph-query-worker", daemon=True)
            proc.start()
        child.close()
        try:
            parent.send(source)
            if not parent.poll(300):
                proc.kill()
                raise WorkerDied("a query worker did not start within 300 s")
            try:
                status, detail = decode_status(parent.recv_bytes())
            except EOFError:
                status, detail = "failed", "it exited while loading the data"
            if status != "ready":
                proc.kill()
                raise WorkerDied(f"a query worker could not load the data: {detail}")
            sock = socket.socket(fileno=os.dup(parent.fileno()))  # the same socket, for the event loop to read
        finally:
            with contextlib.suppress(Exception):
                parent.close()
        return proc, sock, detail

    async def _started(self) -> _Worker:
        proc, sock, notes = await asyncio.to_thread(self._spawn)
        w = _Worker(self, proc, notes)
        await asyncio.get_running_loop().create_unix_connection(lambda: w, sock=sock)
        return w

    async def start(self) -> None:
        """Start every worker (in parallel) and wait until all are ready."""
        self._loop = asyncio.get_running_loop()
        workers = await asyncio.gather(*(self._started() for _ in range(self.size)))
        self.notes = dict(workers[0].notes)
        for w in workers:
            self._all.add(w)
            self._free.append(w)

    async def close(self) -> None:
        """Stop every worker; requests still waiting for one are cancelled."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        for fut in [*self._waiters, *(w.pending for w in self._all if w.pending is not None)]:
            fut.cancel()
        workers = list(self._all)
        self._all.clear()
        for w in workers:
            _stop(w)
        for w in workers:
            await asyncio.to_thread(w.process.join, 5)

    def pids(self) -> list[int]:
        """Process ids of the current workers."""
        return sorted(w.process.pid for w in self._all)

    def _replace(self, w: _Worker) -> None:
        """(loop) ``w`` is dead or must die: kill it, close its socket, reap it off the loop, and start a
        replacement in the background."""
        self._all.discard(w)
        _stop(w)
        with contextlib.suppress(RuntimeError):  # the loop's executor is gone: the interpreter is exiting
            asyncio.get_running_loop().run_in_executor(None, w.process.join, 5)
        if self._closed:
            return

        async def respawn() -> None:
            new = await self._started()
            if self._closed:
                _stop(new)
                return
            self._all.add(new)
            self._release(new)

        self._background(respawn())

    def _background(self, coro: Any) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # -------------------------------------------------------------- taking and giving back a worker
    async def _acquire(self) -> _Worker:
        while self._free:  # a worker is free: no waiting, no timer
            w = self._free.pop()
            if not w.gone:  # (one that died while idle is already being replaced)
                return w
        if self._waiting >= self.queue_limit:
            raise Overloaded(f"all {self.size} query workers are busy and {self._waiting} requests are "
                             "already waiting; try again in a few seconds")
        loop = self._loop
        assert loop is not None, "WorkerPool.start() was not awaited"
        fut: asyncio.Future[_Worker] = loop.create_future()
        self._waiters.append(fut)
        timer = loop.call_later(self.timeout, _expire, fut, self.size, self.timeout)
        self._waiting += 1
        try:
            return await fut
        except asyncio.CancelledError:  # handed a worker just as the request was cancelled: give it back
            if fut.done() and not fut.cancelled() and fut.exception() is None:
                self._release(fut.result())
            raise
        finally:
            self._waiting -= 1
            timer.cancel()

    def _release(self, w: _Worker) -> None:
        """(loop) ``w`` is idle: to the longest-waiting request, or to the free list."""
        if self._closed:
            _stop(w)
            return
        while self._waiters:
            fut = self._waiters.popleft()
            if not fut.done():
                fut.set_result(w)
                return
        self._free.append(w)

    # -------------------------------------------------------------- running a job
    async def run(self, job: Job) -> Outcome:
        """Run ``job`` on an idle worker.

        :raises Overloaded: every worker busy and the queue full (503).
        :raises QueryTimeout: the query ran past the time limit; its worker was killed (504).
        :raises QueryTooLarge: the query needed more than the worker's memory budget (422).
        :raises QueryRefused: update, SERVICE, LOAD (403). :raises ProtocolError: no acceptable format (406).
        :raises QueryError: syntax (with line and column), shape or evaluation error (400).
        """
        payload = frame(encode_job(job))
        loop = self._loop
        assert loop is not None, "WorkerPool.start() was not awaited"
        for _ in range(self.size + 1):
            w = await self._acquire()
            w.transport.write(payload)
            if w.transport.is_closing():  # the write failed: it died while idle, unseen yet; try another
                self._replace(w)
                continue
            w.pending = fut = loop.create_future()
            w.timer = loop.call_later(self.timeout, self._timed_out, w)
            return self._outcome(decode_reply(await fut))
        raise WorkerDied("every query worker died before it could take the query; they are being restarted")

    def _replied(self, w: _Worker, data: bytes | memoryview) -> None:
        """(loop, from ``w``'s protocol) The reply to ``w``'s job: give ``w`` back, then wake its request."""
        fut, w.pending = w.pending, None
        if w.timer is not None:
            w.timer.cancel()
            w.timer = None
        self._release(w)
        if fut is not None and not fut.done():
            fut.set_result(data)

    def _timed_out(self, w: _Worker) -> None:
        w.timer = None
        fut, w.pending = w.pending, None
        self.kills += 1
        self._replace(w)
        if fut is not None and not fut.done():
            fut.set_exception(QueryTimeout(
                f"the query ran longer than the {self.timeout:g} s limit and was stopped (setting query_timeout); "
                "anchor it on a resource, add LIMIT, or precompute global joins"))

    def _lost(self, w: _Worker) -> None:
        """(loop, from ``w``'s protocol) Its socket closed: the pool stopped it, or it died."""
        if w.gone:
            return
        fut, w.pending = w.pending, None
        if w.timer is not None:
            w.timer.cancel()
            w.timer = None
        if fut is None:  # died while idle: replace it now
            self._replace(w)
            return
        w.gone = True

        async def died() -> None:  # while running a query: how it ended says why
            await asyncio.to_thread(w.process.join, 2)
            code = w.process.exitcode
            self._replace(w)
            if fut.done():
                return
            if code == -signal.SIGABRT and self.memory_mb:  # Oxigraph aborts when an allocation fails
                fut.set_exception(self._too_large())
            else:
                fut.set_exception(WorkerDied(f"the query worker died while running this query (exit code "
                                             f"{code}); it has been restarted"))

        self._background(died())

    def _too_large(self) -> QueryTooLarge:
        return QueryTooLarge(f"the query needed more than {self.memory_mb:,} MB of memory and was stopped "
                             "(setting worker_memory); anchor it on a resource, or aggregate less at once")

    def _outcome(self, reply: Outcome | tuple[Any, ...]) -> Outcome:
        if isinstance(reply, Outcome):
            return reply
        if reply[0] == "syntax":
            raise syntax_error(reply[1])
        _, kind, message, line, column = reply
        if kind == "QueryTooLarge":
            raise self._too_large()
        if kind == "ProtocolError":
            from .sparql_protocol import ProtocolError

            raise ProtocolError(406, message)
        cls = QueryRefused if kind == "QueryRefused" else QueryError
        raise cls(message, line=line, column=column)


def _expire(fut: asyncio.Future[Any], size: int, timeout: float) -> None:
    """(loop) A request waited ``timeout`` seconds for a worker: a 503."""
    if not fut.done():
        fut.set_exception(Overloaded(f"all {size} query workers stayed busy for {timeout:g} s; try again later"))


def _stop(w: _Worker) -> None:
    """(loop) Kill ``w`` and close its end of the socket; the caller reaps the process."""
    w.gone = True
    with contextlib.suppress(Exception):
        w.process.kill()
    with contextlib.suppress(Exception):
        w.transport.abort()


def syntax_error(message: str) -> QueryError:
    """A :class:`QueryError` from an Oxigraph parser message ``error at LINE:COL: …``."""
    import re

    m = re.match(r"error at (\d+):(\d+)(?:-\d+:\d+)?: ?(.*)", message, re.DOTALL)
    if m:
        return QueryError(f"SPARQL syntax error: {m.group(3)}", line=int(m.group(1)), column=int(m.group(2)))
    return QueryError(f"SPARQL syntax error: {message}")
