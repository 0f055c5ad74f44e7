"""The endpoint against Oxigraph's own server, and a cheap query beside a heavy page (loopback only).

Both servers hold the same prebuilt dump: ``culturegraph serve`` (2 query workers) and ``oxigraph
serve-read-only`` (the ``oxigraph`` package's binary, on an on-disk store loaded from that dump). `wrk`
(Debian's package; ``scripts/test.sh`` installs it) sends an ASK on one IRI from 1, 4 and 16 connections for
``seconds`` each; the two servers take turns in every round (which goes first alternates), so a noisy
machine slows both alike. Reported per concurrency: each server's requests per second (median, min, max
over the rounds) and the ratio of the medians, ours / Oxigraph's.

The starvation test: a cheap ASK sent one after another by a Python client (p50, p95) first alone, then while
``wrk`` loops on the heaviest entity page (the hub organisation, as HTML) on one connection.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import http.client
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ASK = "ASK {{ <{iri}> ?p ?o }}"


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def _wait(url: str, timeout: float = 900) -> float:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        with contextlib.suppress(OSError):
            parts = urllib.parse.urlsplit(url)
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            conn.request("GET", parts.path + "?" + parts.query, headers={"Accept": "application/sparql-results+json"})
            resp = conn.getresponse()
            resp.read()
            conn.close()
            if resp.status == 200:
                return time.perf_counter() - t0
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:g} s")


@contextlib.contextmanager
def ours(project: Path, workers: int = 2) -> Iterator[str]:
    """``culturegraph serve`` on a free port; yields its base URL."""
    proc = subprocess.Popen([_bin("culturegraph"), "serve", "--root", str(project), "--port", "0", "--workers",
                             str(workers)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            m = re.search(r"serving (http://127\.0\.0\.1:\d+)/", line)
            if m:
                yield m.group(1)
                return
        raise RuntimeError("culturegraph serve did not start")
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    """Terminate ``proc``, killing it after 20 s."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextlib.contextmanager
def oxigraph(dump: Path) -> Iterator[str]:
    """Oxigraph's own server, read-only, on an on-disk store loaded from ``dump``; yields its base URL."""
    folder = Path(tempfile.mkdtemp(prefix="oxigraph-"))
    try:
        subprocess.run([_bin("oxigraph"), "load", "--location", str(folder / "store"), "--file", str(dump)],
                       check=True, capture_output=True)
        from socket import socket

        with socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        proc = subprocess.Popen([_bin("oxigraph"), "serve-read-only", "--location", str(folder / "store"), "--bind",
                                 f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def wrk(url: str, connections: int, seconds: float, accept: str = "application/sparql-results+json") -> float:
    """Requests per second that ``wrk`` gets from ``url`` (non-2xx answers are an error)."""
    res = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "-H", f"Accept: {accept}",
                          url], capture_output=True, text=True, check=True)
    if "Non-2xx" in res.stdout:
        raise RuntimeError(f"{url}: {res.stdout}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", res.stdout).group(1))  # type: ignore[union-attr]


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def versus_oxigraph(project: Path, iri: str, *, seconds: float = 4, rounds: int = 3,
                    concurrency: tuple[int, ...] = (1, 4, 16)) -> dict[str, Any]:
    """Requests per second for an ASK on ``iri``: ours and Oxigraph server's, alternating, per concurrency."""
    if shutil.which("wrk") is None:
        return {"error": "wrk is not installed (apt-get install wrk)"}
    query = urllib.parse.quote(ASK.format(iri=iri))
    with ours(project) as mine, oxigraph(project / "dist" / "culturegraph.nq") as theirs:
        urls = {"ours": f"{mine}/sparql?query={query}", "oxigraph": f"{theirs}/query?query={query}&union-default-graph"}
        startup = {name: _wait(url) for name, url in urls.items()}
        rates: dict[int, dict[str, list[float]]] = {c: {"ours": [], "oxigraph": []} for c in concurrency}
        for r in range(rounds):
            for c in concurrency:
                for name in (("ours", "oxigraph") if r % 2 == 0 else ("oxigraph", "ours")):
                    rates[c][name].append(wrk(urls[name], c, seconds))
    out: dict[str, Any] = {"seconds": seconds, "rounds": rounds, "startup_s": startup, "by_connections": {}}
    for c, both in rates.items():
        o, x = _spread(both["ours"]), _spread(both["oxigraph"])
        out["by_connections"][str(c)] = {"ours": o, "oxigraph": x, "ratio": o["median"] / x["median"]}
    first, fourth = (out["by_connections"].get(str(c), {}).get("ours", {}).get("median") for c in (1, 4))
    out["ours_4_over_1"] = fourth / first if first and fourth else None
    return out


def _latencies(base: str, path: str, seconds: float) -> dict[str, float]:
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    lat: list[float] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t = time.perf_counter()
        conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
        resp = conn.getresponse()
        resp.read()
        if resp.status != 200:
            raise RuntimeError(f"{path}: {resp.status}")
        lat.append(time.perf_counter() - t)
    conn.close()
    lat.sort()
    return {"requests": len(lat), "p50_ms": lat[len(lat) // 2] * 1000, "p95_ms": lat[int(0.95 * (len(lat) - 1))] * 1000}


def starvation(project: Path, cheap_iri: str, heavy_path: str, *, seconds: float = 5) -> dict[str, Any]:
    """A cheap ASK's latency alone and beside a client looping on ``heavy_path`` (an entity page)."""
    if shutil.which("wrk") is None:
        return {"error": "wrk is not installed (apt-get install wrk)"}
    path = "/sparql?" + urllib.parse.urlencode({"query": ASK.format(iri=cheap_iri)})
    with ours(project) as base:
        _wait(base + path)
        wrk(base + heavy_path, 1, 1, accept="text/html")  # the page's labels are cached once, as in use
        alone = _latencies(base, path, seconds)
        heavy = subprocess.Popen(["wrk", "-t1", "-c1", f"-d{round(seconds) + 2}s", "-H", "Accept: text/html",
                                  base + heavy_path], stdout=subprocess.PIPE, text=True)
        time.sleep(1)
        beside = _latencies(base, path, seconds)
        out = heavy.communicate()[0]
    pages = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return {"alone": alone, "beside_heavy_page": beside, "heavy_path": heavy_path,
            "heavy_pages_per_s": float(pages.group(1)) if pages else None}


def _tree(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux ``/proc``)."""
    out = [pid]
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        for task in tasks:
            for child in (task / "children").read_text().split():
                out += _tree(int(child))
    except OSError:
        pass
    return out


def _pss_mb(pid: int) -> float:
    """Proportional set size: a page shared by n processes counts 1/n in each, so the sum over a process
    tree is the memory the tree holds (the sum of RSS would count shared pages again for every process)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def serve_start(project: Path, *, cold: bool, workers: int = 2, settle: float = 3.0) -> dict[str, Any]:
    """``culturegraph serve`` started on ``project`` (``cold``: on a copy without ``dist/``, so it builds its
    store from the YAML): seconds until an ASK is answered over HTTP, and the memory of the whole process
    tree (PSS, summed) while starting, ``settle`` s after the first answer, and after every worker has run
    a query that walks every quad (pages a worker shares with the server become its own once it writes
    them); the largest of these is the tree's peak."""
    if not Path("/proc/self/smaps_rollup").exists():
        return {"error": "needs Linux /proc for the process tree's memory"}
    with tempfile.TemporaryDirectory(prefix="culturegraph-cold-") as tmp:
        root = project
        if cold:
            root = Path(tmp)
            for part in ("data", "ontology", "queries"):
                (root / part).symlink_to(project / part)
        with socket_port() as port:
            pass
        t0 = time.perf_counter()
        proc = subprocess.Popen([_bin("culturegraph"), "serve", "--root", str(root), "--port", str(port),
                                 "--workers", str(workers)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }")
        peak = 0.0
        try:
            while True:
                if proc.poll() is not None:
                    return {"error": f"serve exited with {proc.returncode}"}
                with contextlib.suppress(OSError):
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    conn.request("GET", url, headers={"Accept": "application/sparql-results+json"})
                    status = conn.getresponse().status
                    conn.close()
                    if status == 200:
                        break
                peak = max(peak, sum(_pss_mb(p) for p in _tree(proc.pid)))
                time.sleep(0.2)
            first = time.perf_counter() - t0
            time.sleep(settle)
            after = {p: _pss_mb(p) for p in _tree(proc.pid)}
            # every worker walks every quad once (the worst case for pages shared with the server)
            scan = urllib.parse.quote("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")
            with concurrent.futures.ThreadPoolExecutor(workers) as pool:
                list(pool.map(lambda _: _get(port, f"/sparql?query={scan}"), range(2 * workers)))
            scanned = sum(_pss_mb(p) for p in _tree(proc.pid))
        finally:
            _stop(proc)
    return {"first_answer_s": first, "tree_pss_peak_mb": max(peak, sum(after.values()), scanned),
            "tree_pss_after_mb": sum(after.values()), "tree_pss_after_scans_mb": scanned,
            "processes": len(after), "main_pss_mb": after.get(proc.pid)}


def _get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp.status


@contextlib.contextmanager
def socket_port() -> Iterator[int]:
    """A free TCP port on 127.0.0.1 (bound and released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield s.getsockname()[1]
