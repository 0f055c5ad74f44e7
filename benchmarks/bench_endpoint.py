"""Endpoint speed (not a test: figures to read, on a noisy machine).

    .venv/bin/python -m benchmarks.bench_endpoint [--seconds 5] [--concurrency 8] [--root .]

Starts ``culturegraph serve`` on the real data (loopback, free port, default settings: 2 query workers)
and, in the same run, a plain rdflib-backed endpoint with the same process model (Starlette + uvicorn,
queries run by ``rdflib.Graph.query`` in a pool of 2 worker processes that each hold the graph). A
keep-alive asyncio client (raw HTTP/1.1, so the client costs little CPU on the same cores) sends requests
from ``--concurrency`` connections for ``--seconds`` each:

1. a cheap named query (``/queries/host-countries``) — target ≥ 500 queries/s with p95 ≤ 50 ms on
   2 cores — and one anchored on a person (``/queries/person-roles``);
2. the same query text on ``/sparql`` (culturegraph and rdflib; their ratio is reported);
3. an entity page (``/id/person/…`` as HTML) — target p95 ≤ 50 ms.

Prints a table and saves ``benchmarks/results/bench_endpoint.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
NAMED = "host-countries"  # cheap: ~0.2 ms in Oxigraph
ANCHORED = "person-roles"  # anchored on one person: ~4 ms in Oxigraph
PERSON = "lee-kyogu"


# ---------------------------------------------------------------------------------------------- client
async def _one_connection(port: int, request: bytes, stop: float, latencies: list[float], errors: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < stop:
            t = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            m = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
            if m:
                await reader.readexactly(int(m.group(1)))
            else:  # chunked (not used by our endpoints, but be safe)
                while True:
                    size = int((await reader.readline()).strip(), 16)
                    await reader.readexactly(size + 2)
                    if size == 0:
                        break
            latencies.append(time.perf_counter() - t)
            if status != 200:
                errors.append(status)
    finally:
        writer.close()


async def _load(port: int, path: str, accept: str, seconds: float, concurrency: int) -> dict[str, Any]:
    request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: {accept}\r\n"
               "Connection: keep-alive\r\n\r\n").encode()
    latencies: list[float] = []
    errors: list[int] = []
    # warm-up
    await asyncio.gather(*(_one_connection(port, request, time.perf_counter() + 0.5, [], [])
                           for _ in range(concurrency)))
    start = time.perf_counter()
    stop = start + seconds
    await asyncio.gather(*(_one_connection(port, request, stop, latencies, errors) for _ in range(concurrency)))
    elapsed = time.perf_counter() - start
    lat = sorted(latencies)
    return {
        "requests": len(lat), "errors": len(errors), "seconds": round(elapsed, 2),
        "qps": round(len(lat) / elapsed, 1),
        "p50_ms": round(statistics.median(lat) * 1000, 2) if lat else None,
        "p95_ms": round(lat[int(0.95 * (len(lat) - 1))] * 1000, 2) if lat else None,
        "p99_ms": round(lat[int(0.99 * (len(lat) - 1))] * 1000, 2) if lat else None,
    }


def measure(port: int, path: str, accept: str, seconds: float, concurrency: int) -> dict[str, Any]:
    """Requests per second and latency percentiles for ``GET path`` from ``concurrency`` connections."""
    return asyncio.run(_load(port, path, accept, seconds, concurrency))


# ---------------------------------------------------------------------------------------------- rdflib endpoint
_GRAPH: Any = None


def _rdflib_init(nquads: bytes) -> None:
    global _GRAPH
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    ds.parse(data=nquads, format="nquads")
    _GRAPH = ds


def _rdflib_query(text: str, prefixes: dict[str, str], bindings: dict[str, Any]) -> bytes:
    res = _GRAPH.query(text, initNs=prefixes, initBindings=bindings)
    return res.serialize(format="json")


def rdflib_app(root: Path, workers: int = 2):
    """Starlette app: ``/sparql?query=`` and ``/queries/{name}`` answered by rdflib in worker processes."""
    import contextlib
    from concurrent.futures import ProcessPoolExecutor

    import pyoxigraph as ox
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from culturegraph.api import CultureGraph
    from culturegraph.namespaces import all_prefixes

    cg = CultureGraph(root)
    prefixes = all_prefixes(cg.settings.base_iri)
    registry = {q.name: q for q in cg.named_queries()}
    nquads = ox.serialize(cg.ox_quads, format=ox.RdfFormat.N_QUADS) or b""
    state: dict[str, Any] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app):
        pool = ProcessPoolExecutor(workers, initializer=_rdflib_init, initargs=(nquads,))
        await asyncio.gather(*(asyncio.get_running_loop().run_in_executor(pool, _rdflib_query, "ASK {}", {}, {})
                               for _ in range(workers * 2)))
        state["pool"] = pool
        yield
        pool.shutdown(cancel_futures=True)

    async def run(text: str, bindings: dict[str, Any]) -> Response:
        body = await asyncio.get_running_loop().run_in_executor(state["pool"], _rdflib_query, text, prefixes,
                                                                 bindings)
        return Response(body, media_type="application/sparql-results+json")

    async def sparql(request: Request) -> Response:
        return await run(request.query_params["query"], {})

    async def named(request: Request) -> Response:
        from culturegraph.store import from_ox

        q = registry[request.path_params["name"]]
        values = dict(request.query_params)
        lang = values.pop("lang", None)
        bound = q.bind(values, lang=lang, resolve=lambda rid: str(cg.iri(rid)))
        return await run(q.sparql, {k: from_ox(v) for k, v in bound.items()})

    return Starlette(routes=[Route("/sparql", sparql), Route("/queries/{name}", named)], lifespan=lifespan)


# ---------------------------------------------------------------------------------------------- servers
def start(cmd: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, **(env or {})}, start_new_session=True)
    assert proc.stdout is not None
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if m:
            port = int(m.group(1))
            for _ in range(600):
                try:
                    measure_once(port)
                    return proc, port
                except OSError:
                    time.sleep(0.1)
        if not line and proc.poll() is not None:
            break
    stop(proc)
    raise RuntimeError(f"server did not start: {cmd}")


def measure_once(port: int) -> None:
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", timeout=10) as r:
        r.read()


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def serve_rdflib(root: Path) -> None:
    """``--rdflib-server``: run the rdflib endpoint on a free port and print its URL."""
    import socket

    import uvicorn

    app = rdflib_app(root)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # so asyncio sets TCP_NODELAY
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    print(f"rdflib endpoint http://127.0.0.1:{sock.getsockname()[1]}/", flush=True)
    uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False)).run(sockets=[sock])


# ---------------------------------------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--root", type=Path, default=REPO)
    ap.add_argument("--rdflib-server", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.rdflib_server:
        serve_rdflib(args.root)
        return

    from culturegraph.api import CultureGraph

    cg = CultureGraph(args.root)
    named_path = f"/queries/{NAMED}?lang=en"
    anchored_path = f"/queries/{ANCHORED}?" + urlencode({"person": f"person:{PERSON}", "lang": "en"})
    cheap_text = (f"SELECT ?p ?o WHERE {{ <{cg.settings.base_iri}id/person/{PERSON}> ?p ?o }}")
    sparql_path = "/sparql?" + urlencode({"query": cheap_text})
    entity_path = f"/id/person/{PERSON}"
    json_accept = "application/sparql-results+json"

    exe = str(Path(sys.executable).with_name("culturegraph"))
    rows: list[tuple[str, str, dict[str, Any]]] = []
    ours, port = start([exe, "serve", "--root", str(args.root), "--port", "0"])
    try:
        rows.append(("culturegraph", f"named query {NAMED}", measure(port, named_path, json_accept, args.seconds,
                                                                      args.concurrency)))
        rows.append(("culturegraph", f"named query {ANCHORED}", measure(port, anchored_path, json_accept,
                                                                         args.seconds, args.concurrency)))
        rows.append(("culturegraph", "cheap /sparql query", measure(port, sparql_path, json_accept, args.seconds,
                                                                     args.concurrency)))
        rows.append(("culturegraph", "entity page (HTML)", measure(port, entity_path, "text/html", args.seconds,
                                                                    args.concurrency)))
        rows.append(("culturegraph", "entity document (Turtle)", measure(port, entity_path, "text/turtle",
                                                                          args.seconds, args.concurrency)))
    finally:
        stop(ours)
    rdf, port = start([sys.executable, "-m", "benchmarks.bench_endpoint", "--rdflib-server", "--root",
                       str(args.root)])
    try:
        rows.append(("rdflib", f"named query {NAMED}", measure(port, named_path, json_accept, args.seconds,
                                                                args.concurrency)))
        rows.append(("rdflib", f"named query {ANCHORED}", measure(port, anchored_path, json_accept, args.seconds,
                                                                   args.concurrency)))
        rows.append(("rdflib", "cheap /sparql query", measure(port, sparql_path, json_accept, args.seconds,
                                                               args.concurrency)))
    finally:
        stop(rdf)

    print(f"\n{'engine':<13} {'what':<28} {'q/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for engine, what, r in rows:
        print(f"{engine:<13} {what:<28} {r['qps']:>8} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['p99_ms']:>8} "
              f"{r['errors']:>7}")
    by = {(e, w): r for e, w, r in rows}
    ratios = {w: round(by[("culturegraph", w)]["qps"] / max(by[("rdflib", w)]["qps"], 0.001), 1)
              for e, w in by if e == "rdflib"}
    for what, ratio in ratios.items():
        print(f"culturegraph / rdflib throughput, {what}: {ratio}×")
    named = by[("culturegraph", f"named query {NAMED}")]
    entity = by[("culturegraph", "entity page (HTML)")]
    targets = {"named_query_qps_ge_500": named["qps"] >= 500, "named_query_p95_le_50ms": named["p95_ms"] <= 50,
               "entity_page_p95_le_50ms": entity["p95_ms"] <= 50}
    print("targets:", ", ".join(f"{k} {'met' if v else 'MISSED'}" for k, v in targets.items()))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = {"when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "machine": {"cpus": os.cpu_count(),
                                                                        "python": platform.python_version(),
                                                                        "platform": platform.platform()},
           "concurrency": args.concurrency, "seconds": args.seconds, "triples": len(cg.ox_quads),
           "results": [{"engine": e, "what": w, **r} for e, w, r in rows], "ratios": ratios, "targets": targets}
    path = RESULTS / "bench_endpoint.json"
    path.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"saved {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
