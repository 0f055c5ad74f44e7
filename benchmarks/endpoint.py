"""Endpoint throughput: a real ``culturegraph serve`` on loopback, hammered by concurrent keep-alive clients."""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

CHEAP = "SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"


def _exe() -> str:
    return str(Path(sys.executable).with_name("culturegraph"))


def _get(port: int, path: str, timeout: float = 30) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


def throughput(root: Path, iri: str, *, seconds: float = 5.0, clients: int = 8, workers: int = 2,
               ready_timeout: float = 900.0) -> dict[str, Any]:
    """Queries per second of one cheap look-up (by IRI) against ``culturegraph serve`` on 127.0.0.1."""
    err = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 -- closed in the finally below
    proc = subprocess.Popen([_exe(), "serve", "--root", str(root), "--port", "0", "--workers", str(workers)],
                            stdout=subprocess.PIPE, stderr=err, text=True)
    try:
        t0 = time.perf_counter()
        port = None
        assert proc.stdout is not None
        for line in proc.stdout:
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if m:
                port = int(m.group(1))
                break
        if port is None:
            err.seek(0)
            return {"error": err.read()[-500:] or "server did not start"}
        path = "/sparql?" + urllib.parse.urlencode({"query": CHEAP.format(iri=iri)})
        while True:  # the workers load the graph after the socket is bound
            try:
                if _get(port, path) == 200:
                    break
            except OSError:
                pass
            if time.perf_counter() - t0 > ready_timeout:
                return {"error": "endpoint not ready"}
            time.sleep(0.2)
        startup_s = time.perf_counter() - t0
        counts = [0] * clients
        errors = [0] * clients
        stop = time.perf_counter() + seconds

        def client(i: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            while time.perf_counter() < stop:
                try:
                    conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
                    resp = conn.getresponse()
                    resp.read()
                    if resp.status == 200:
                        counts[i] += 1
                    else:
                        errors[i] += 1
                except OSError:
                    errors[i] += 1
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.close()

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        t = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        elapsed = time.perf_counter() - t
        return {"qps": sum(counts) / elapsed, "requests": sum(counts), "errors": sum(errors), "clients": clients,
                "workers": workers, "seconds": elapsed, "startup_s": startup_s}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        err.close()
