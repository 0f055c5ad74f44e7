"""The query workers' sandbox, on its own: no network (a SERVICE run with the guard switched off reaches
no loopback listener), a memory budget (a memory bomb ends in a clean error and the next query answers),
dead idle workers replaced before use, and the byte cap next to the row cap."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import signal
import sys
import time
from typing import Any

import pyoxigraph as ox
import pytest

from culturegraph import forked
from culturegraph.errors import QueryError, QueryRefused, QueryTooLarge
from culturegraph.query_workers import Job, WorkerPool
from tests.server_helpers import Listener

X = "http://example.org/"
NQUADS = "".join(f"<{X}s{i}> <{X}p> \"value {i} {'x' * 200}\" <{X}g> .\n" for i in range(3000)).encode()


def doubling(times: int) -> str:
    """One string of 10 × 2**times characters, built by doubling (the last BINDs hold most of the memory)."""
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(times))
    return f'SELECT (STRLEN(?s{times}) AS ?n) WHERE {{ BIND("0123456789" AS ?s0) {binds} }}'


def memory_bomb(kb: int = 10) -> str:
    """Every pair of triples with a string of ``kb`` kB each, all concatenated into one: on the mini project
    (2,736 quads) that asks for ~75 GB, and grows by ~0.6 GB a second."""
    doublings = max(0, (kb * 1024 // 10).bit_length() - 1)
    binds = " ".join(f"BIND(CONCAT(?b{i}, ?b{i}) AS ?b{i + 1})" for i in range(doublings))
    return (f'SELECT (STRLEN(GROUP_CONCAT(?k)) AS ?n) WHERE {{ BIND("0123456789" AS ?b0) {binds} '
            f'?a ?b ?c . ?d ?e ?f BIND(CONCAT(STR(?c), ?b{doublings}) AS ?k) }}')


def run_loop(coro: Any) -> Any:
    """``asyncio.run(coro)`` on a thread of its own: the browser tests' session-wide Playwright keeps an event
    loop running on the main thread, where ``asyncio.run`` refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coro).result()


def run(pool: WorkerPool, *jobs: Job) -> list:
    """Start ``pool``, run ``jobs`` one after another (results or the errors raised), close it."""

    async def main() -> list:
        await pool.start()
        out: list = []
        try:
            for job in jobs:
                try:
                    out.append(await pool.run(job))
                except Exception as exc:
                    out.append(exc)
            out.append(pool.notes)
        finally:
            await pool.close()
        return out

    return run_loop(main())


@pytest.fixture(params=["spawned", "forked"])
def pool(request: pytest.FixtureRequest) -> Any:
    """Pools of one worker that loads the N-Quads itself (``forkserver``), or that is forked from this process
    and shares its store (``forked.py``, what ``serve`` does on Linux): every promise holds for both."""

    def make(**kw: Any) -> WorkerPool:
        if request.param == "spawned":
            return WorkerPool(NQUADS, size=1, timeout=30, prefixes={}, base_iri=X, **kw)
        if not forked.available():
            pytest.skip("forking workers needs Linux")
        store = ox.Store()
        store.load(NQUADS, format=ox.RdfFormat.N_QUADS)
        return WorkerPool(("store", store), size=1, timeout=30, prefixes={}, base_iri=X, **kw)

    return make


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="network namespaces are a Linux feature")
def test_a_worker_has_no_network_even_without_the_guard(pool):
    listener = Listener()
    try:
        query = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
        # the control: the same query run in this process does reach the listener
        with pytest.raises(OSError):
            list(ox.Store().query(query))
        assert listener.accepted == 1
        unguarded, notes = run(pool(guard=False), Job(query))
        assert isinstance(unguarded, QueryError), unguarded
        assert "unreachable" in str(unguarded).lower() or "network" in str(unguarded).lower(), unguarded
        assert notes["network"] is None, notes
        time.sleep(0.2)
        assert listener.accepted == 1, "the worker connected to the loopback listener"
        guarded, _ = run(pool(), Job(query))
        assert isinstance(guarded, QueryRefused)
    finally:
        listener.close()


def test_a_worker_allowed_to_call_services_keeps_the_network_and_says_so(pool):
    (notes,) = run(pool(allow_service=("http://example.org/sparql",)))
    assert "allow_service" in (notes["network"] or "")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_DATA is enforced on Linux")
def test_a_memory_bomb_ends_cleanly_and_the_worker_is_replaced(pool):
    small, bomb, after, notes = run(pool(memory_mb=256), Job(doubling(10)), Job(doubling(26)), Job(doubling(10)))
    assert notes["memory"] is None
    assert b"10240" in small.body
    assert isinstance(bomb, QueryTooLarge) and bomb.http_status == 422
    assert "more than 256 MB" in str(bomb) and "worker_memory" in str(bomb)
    assert b"10240" in after.body, "the next query was not answered after the memory bomb"


def test_a_worker_dead_while_idle_is_replaced_before_a_job_reaches_it(pool):
    p = pool()

    async def main():
        await p.start()
        try:
            (pid,) = p.pids()
            os.kill(pid, signal.SIGKILL)
            await asyncio.sleep(0.3)
            out = await p.run(Job("ASK { ?s ?p ?o }"))
            return pid, out, p.pids()
        finally:
            await p.close()

    dead, out, now = run_loop(main())
    assert out.kind == "ask" and b"true" in out.body
    assert now and dead not in now


def test_results_are_cut_by_bytes_as_by_rows(pool):
    query = f"SELECT ?s ?o WHERE {{ ?s <{X}p> ?o }} ORDER BY ?s"
    jobs = [Job(query, result_format=fmt, max_rows=10_000, max_bytes=50_000) for fmt in ("json", "xml", "csv", "tsv")]
    jobs.append(Job(f"CONSTRUCT {{ ?s <{X}p> ?o }} WHERE {{ ?s <{X}p> ?o }}", max_bytes=50_000))
    jobs.append(Job(query, max_rows=5, max_bytes=50_000))
    *outs, _ = run(pool(), *jobs)
    for out in outs[:-1]:
        assert out.truncated == "bytes" and 0 < len(out.body) <= 50_000 and 100 < out.rows < 3000, out.fmt
    assert (outs[-1].truncated, outs[-1].rows) == ("rows", 5)
    parsed = ox.parse_query_results(outs[0].body, format=ox.QueryResultsFormat.JSON)
    assert len(list(parsed)) == outs[0].rows


def test_ask_has_no_csv_form(pool):
    (out, _) = run(pool(), Job("ASK {}", ask_format="json", not_acceptable={"ask": "no CSV form"}))
    assert getattr(out, "http_status", None) == 406 and "no CSV form" in str(out)
