"""A pool of worker processes that run endpoint queries, each boxed in by the operating system.

A thread cannot interrupt pyoxigraph while it evaluates a query, so every endpoint query runs in a
worker process holding its own copy of the store (loaded once, at start; what a worker does is
:mod:`culturegraph.query_run`). Each worker has **no network** (unless ``allow_service`` lists endpoints),
a **memory budget** (``worker_memory``: past it the client gets a 422 and the worker is replaced), runs the
**guard** itself, so no query text is tokenized on the server's event loop, and caps results by rows and
bytes. A query that overruns ``query_timeout`` gets its worker killed (SIGKILL) and replaced, and the client
a 504. A worker found dead while idle is replaced before a job is given to it.

The hand-off is asyncio-native: each worker's end of its socket pair is an asyncio stream, a job is written
and its reply read in ``multiprocessing.connection`` framing (a 4-byte length, or -1 and an 8-byte one, then
the pickle), so the event loop never waits on a pipe and no thread is woken per request. The exchange runs
as its own task, shielded from the request: a client that goes away does not leave a worker half-used —
the task still reads the reply and gives the worker back.

Workers are started with the ``forkserver`` method: the fork server is a small single-threaded process,
so a replacement never forks the server's threads or event loop, starts in milliseconds (pyoxigraph and
the worker's modules are preloaded there), and can enter a new user namespace (which needs one thread).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import pickle
import signal
import socket
import struct
from dataclasses import dataclass
from typing import Any

from .errors import CultureGraphError, Overloaded, QueryError, QueryRefused, QueryTimeout, QueryTooLarge
from .query_run import Job, Outcome, WorkerConfig, term_spec, worker_main

__all__ = ["Job", "Outcome", "WorkerDied", "WorkerPool", "syntax_error", "term_spec"]


class WorkerDied(CultureGraphError):
    """A query worker exited while running a query (a crash)."""

    http_status = 500


class _Gone(Exception):
    """The worker had died before the job reached it: try another."""


@dataclass(eq=False)
class _Worker:
    process: Any
    sock: socket.socket
    notes: dict[str, str | None]
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None


def _frame(payload: bytes) -> bytes:
    """``payload`` as ``multiprocessing.connection.Connection.recv_bytes`` reads it."""
    if len(payload) > 0x7FFFFFFF:
        return struct.pack("!i", -1) + struct.pack("!Q", len(payload)) + payload
    return struct.pack("!i", len(payload)) + payload


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
        self._waiting = 0
        self._all: set[_Worker] = set()
        self._tasks: set[asyncio.Task] = set()
        self._closed = False
        methods = multiprocessing.get_all_start_methods()
        self._ctx: Any = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            self._ctx.set_forkserver_preload(["culturegraph.query_run", "culturegraph.sparql_guard",
                                              "culturegraph.sandbox", "pyoxigraph"])

    # -------------------------------------------------------------- starting and stopping workers
    def _spawn(self) -> _Worker:
        """Start one worker and wait until it holds the store (blocking; run in a thread)."""
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=worker_main, args=(child, self.config), name="culturegraph-query-worker",
                                 daemon=True)
        proc.start()
        child.close()
        try:
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
            sock = socket.socket(fileno=os.dup(parent.fileno()))  # the same socket, for the event loop to stream
        finally:
            with contextlib.suppress(Exception):
                parent.close()
        return _Worker(proc, sock, detail)

    async def _started(self) -> _Worker:
        w = await asyncio.to_thread(self._spawn)
        w.reader, w.writer = await asyncio.open_unix_connection(sock=w.sock, limit=1 << 20)
        return w

    async def start(self) -> None:
        """Start every worker (in parallel) and wait until all are ready."""
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(*(self._started() for _ in range(self.size)))
        self.notes = dict(workers[0].notes)
        for w in workers:
            self._all.add(w)
            self._idle.put_nowait(w)

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
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
        """(loop) ``w`` is dead or must die: kill it, close its stream, reap it off the loop, and start a
        replacement in the background."""
        self._all.discard(w)
        _stop(w)
        asyncio.get_running_loop().run_in_executor(None, w.process.join, 5)
        if self._closed:
            return

        async def respawn() -> None:
            new = await self._started()
            if self._closed:
                _stop(new)
                return
            self._all.add(new)
            assert self._idle is not None
            self._idle.put_nowait(new)

        self._background(respawn())

    def _background(self, coro: Any) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _acquire(self) -> _Worker:
        assert self._idle is not None, "WorkerPool.start() was not awaited"
        if self._idle.empty() and self._waiting >= self.queue_limit:
            raise Overloaded(f"all {self.size} query workers are busy and {self._waiting} requests are "
                             "already waiting; try again in a few seconds")
        while not self._idle.empty():  # a worker is free: no waiting, no timer
            w = self._idle.get_nowait()
            if _alive(w):
                return w
            self._replace(w)
        self._waiting += 1
        try:
            async with asyncio.timeout(self.timeout):
                while True:
                    w = await self._idle.get()
                    if _alive(w):
                        return w
                    self._replace(w)  # died while idle (killed from outside): replace it, take another
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
        payload = _frame(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
        for _ in range(self.size + 1):
            w = await self._acquire()
            exchange = self._background(self._exchange(w, payload))
            exchange.add_done_callback(_consume)
            try:
                reply = await asyncio.shield(exchange)
            except _Gone:
                continue
            return self._outcome(reply)
        raise WorkerDied("every query worker died before it could take the query; they are being restarted")

    async def _exchange(self, w: _Worker, payload: bytes) -> tuple[Any, ...]:
        """Send one job to ``w`` and read its reply; give ``w`` back, or replace it, whatever happens."""
        assert w.reader is not None and w.writer is not None and self._idle is not None
        try:
            w.writer.write(payload)
            await w.writer.drain()
        except (ConnectionError, OSError):
            self._replace(w)
            raise _Gone from None
        try:
            async with asyncio.timeout(self.timeout):
                size = struct.unpack("!i", await w.reader.readexactly(4))[0]
                if size == -1:
                    size = struct.unpack("!Q", await w.reader.readexactly(8))[0]
                data = await w.reader.readexactly(size)
        except TimeoutError:
            self.kills += 1
            self._replace(w)
            raise QueryTimeout(f"the query ran longer than the {self.timeout:g} s limit and was stopped (setting "
                               "query_timeout); anchor it on a resource, add LIMIT, or precompute global joins"
                               ) from None
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            await asyncio.to_thread(w.process.join, 2)
            code = w.process.exitcode
            self._replace(w)
            if code == -signal.SIGABRT and self.memory_mb:  # Oxigraph aborts when an allocation fails
                raise self._too_large() from None
            raise WorkerDied(f"the query worker died while running this query (exit code {code}); "
                             "it has been restarted") from None
        except asyncio.CancelledError:  # the server is stopping
            self._replace(w)
            raise
        if self._closed:
            _stop(w)
        else:
            self._idle.put_nowait(w)
        return pickle.loads(data)

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


def _alive(w: _Worker) -> bool:
    """False once the worker's end of the socket has closed (it died while idle: the loop has seen the end
    of its stream). A death the loop has not seen yet shows as a failed write (:class:`_Gone`)."""
    return w.reader is not None and not w.reader.at_eof() and w.writer is not None and not w.writer.is_closing()


def _consume(task: asyncio.Task) -> None:
    """Retrieve a finished exchange's error, so one whose client went away logs nothing."""
    if not task.cancelled():
        task.exception()


def _stop(w: _Worker) -> None:
    """(loop) Kill ``w`` and close its end of the socket; the caller reaps the process."""
    with contextlib.suppress(Exception):
        w.process.kill()
    with contextlib.suppress(Exception):
        if w.writer is not None:
            w.writer.transport.abort()
        else:
            w.sock.close()


def syntax_error(message: str) -> QueryError:
    """A :class:`QueryError` from an Oxigraph parser message ``error at LINE:COL: …``."""
    import re

    m = re.match(r"error at (\d+):(\d+)(?:-\d+:\d+)?: ?(.*)", message, re.DOTALL)
    if m:
        return QueryError(f"SPARQL syntax error: {m.group(3)}", line=int(m.group(1)), column=int(m.group(2)))
    return QueryError(f"SPARQL syntax error: {message}")
