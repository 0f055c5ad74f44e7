"""The endpoint under hostile load, on loopback only (not a test: a record to read, with its pass/fail).

    .venv/bin/python -m benchmarks.load [--root .] [--mixed 1000] [--timeouts 200] [--out DIR]

Starts ``culturegraph serve`` (2 query workers, a 2 s query limit, everything else default) and, in one run:

1. **mixed**: ``--mixed`` requests at 16-way concurrency — named queries, SPARQL SELECT/ASK/CONSTRUCT by GET
   and POST, entity pages as HTML and Turtle, the query list, a view, static files, and junk each with the
   4xx it must get (syntax errors, SERVICE in its escape-trick spellings, updates, a missing entity, an ASK
   asked for as CSV, a 32 KB ``a.a.a…`` body, 10,000 nested brackets, a malformed ``Accept``);
2. **timeouts**: ``--timeouts`` queries that can only end by the time limit, at 8-way concurrency (a 504
   when a worker took it and was killed, a 503 when every worker stayed busy past the limit);
3. **recovery**: how long until a cheap query is answered again, then the mixed set once more.

Every response is checked against the status it must have; latency p50/p95 per phase; the server's query
workers are counted after each phase (there must be as many as configured) and every process the server
started must be gone once it stops. Exit status 1 when any status was unexpected or a process leaked.
Results go to ``benchmarks/results/load-<time>.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
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
WORKERS = 2
QUERY_TIMEOUT = 2.0
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ESCAPED_SERVICE = ('SELECT * WHERE { BIND("a\\u0022" AS ?x) SERVICE <http://127.0.0.1:9/sparql> { ?a ?b ?c } '
                   'BIND("b" AS ?y) }')

# (method, path, body, content type, accept, expected statuses)
Request = tuple[str, str, bytes, str, str, tuple[int, ...]]


def _sparql(query: str, accept: str = "application/sparql-results+json", expect: tuple[int, ...] = (200,),
            method: str = "GET") -> Request:
    if method == "GET":
        return ("GET", "/sparql?" + urlencode({"query": query}), b"", "", accept, expect)
    return ("POST", "/sparql", query.encode(), "application/sparql-query", accept, expect)


def mixed_requests(root: Path) -> list[Request]:
    """One of each kind of request, good and bad, with the statuses each must get."""
    from culturegraph.api import CultureGraph

    cg = CultureGraph(root)
    people = [str(r[0]) for r in cg.query("SELECT ?p WHERE { ?p a cg:Person } ORDER BY ?p LIMIT 5").rows]
    entity = people[0].split("/id/", 1)[1]
    named = [q.name for q in cg.named_queries() if not q.params or all(p.default is not None for p in q.params)]
    good: list[Request] = [("GET", f"/queries/{n}", b"", "", "application/sparql-results+json", (200,))
                           for n in named[:12]]
    good += [
        _sparql(f"SELECT ?p ?o WHERE {{ <{people[1]}> ?p ?o }}"),
        _sparql(f"ASK {{ <{people[2]}> ?p ?o }}", method="POST"),
        _sparql("SELECT ?e ?y WHERE { ?e a cg:Edition ; cg:year ?y } ORDER BY ?y", accept="text/csv"),
        _sparql(f"CONSTRUCT {{ <{people[3]}> ?p ?o }} WHERE {{ <{people[3]}> ?p ?o }}", accept="text/turtle"),
        ("GET", f"/id/{entity}", b"", "", "text/html", (200,)),
        ("GET", f"/id/{entity}", b"", "", "text/turtle", (200,)),
        ("GET", "/queries", b"", "", "application/json", (200,)),
        ("GET", "/", b"", "", "text/html", (200,)),
        ("GET", "/static/app.js", b"", "", "*/*", (200,)),
        ("GET", "/views/themes", b"", "", "text/html", (200,)),
        ("POST", "/-/labels", json.dumps({"iris": people, "lang": "ko"}).encode(), "application/json", "*/*", (200,)),
    ]
    junk: list[Request] = [
        _sparql("SELECT * WHERE {", expect=(400,)),
        _sparql(ESCAPED_SERVICE, expect=(403,)),
        _sparql(ESCAPED_SERVICE, expect=(403,), method="POST"),
        _sparql("SELECT * WHERE { ?s ?p ?o SERVICE:x { } }", expect=(403,)),
        _sparql("INSERT DATA { <urn:a> <urn:b> <urn:c> }", expect=(403,), method="POST"),
        _sparql("ASK {}", accept="text/csv", expect=(406,)),
        _sparql("a." * 16_384, expect=(400,), method="POST"),
        _sparql("SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }", expect=(400,), method="POST"),
        _sparql("ASK {}", accept=",", expect=(200,)),
        ("GET", "/id/person/%ff", b"", "", "text/html", (404,)),
        ("GET", "/id/person/no-such-person", b"", "", "application/json", (404,)),
        ("GET", "/views/ego?entity=%3Cimg%3E", b"", "", "text/html", (404,)),
    ]
    return good * 3 + junk


async def _one(client: Any, req: Request) -> tuple[int, float, tuple[int, ...], str]:
    method, path, body, ctype, accept, expect = req
    headers = {"Accept": accept}
    if ctype:
        headers["Content-Type"] = ctype
    t = time.perf_counter()
    try:
        r = await client.request(method, path, content=body or None, headers=headers)
        status = r.status_code
    except Exception as exc:  # a dropped connection counts as an unexpected status
        status = 0
        path = f"{path} ({type(exc).__name__})"
    return status, time.perf_counter() - t, expect, f"{method} {path[:80]}"


async def _phase(url: str, requests: list[Request], concurrency: int) -> dict[str, Any]:
    import httpx

    queue: asyncio.Queue[Request] = asyncio.Queue()
    for req in requests:
        queue.put_nowait(req)
    results: list[tuple[int, float, tuple[int, ...], str]] = []

    async def client_loop() -> None:
        async with httpx.AsyncClient(base_url=url, timeout=120) as client:
            while not queue.empty():
                results.append(await _one(client, queue.get_nowait()))

    t = time.perf_counter()
    await asyncio.gather(*(client_loop() for _ in range(concurrency)))
    wall = time.perf_counter() - t
    lat = sorted(r[1] for r in results)
    statuses: dict[str, int] = {}
    for status, *_ in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    unexpected = [(s, what) for s, _, expect, what in results if s not in expect]
    p95 = lat[int(0.95 * (len(lat) - 1))]
    return {"requests": len(results), "concurrency": concurrency, "wall_s": round(wall, 2),
            "p50_ms": round(statistics.median(lat) * 1000, 1), "p95_ms": round(p95 * 1000, 1),
            "max_ms": round(lat[-1] * 1000, 1), "statuses": dict(sorted(statuses.items())),
            "unexpected": len(unexpected), "unexpected_examples": unexpected[:5]}


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except OSError:
                continue
    return out


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        for child in _children(todo.pop()):
            out.append(child)
            todo.append(child)
    return sorted(out)


def _running(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _workers(pid: int) -> int:
    """The server's query workers: its descendants named ``cg-query-worker`` (forked from it, or started
    by a multiprocessing fork server), not counting zombies."""
    from culturegraph.query_run import WORKER_NAME

    count = 0
    for child in _tree(pid):
        try:
            with open(f"/proc/{child}/comm", encoding="utf-8") as fh:
                count += fh.read().strip() == WORKER_NAME and _running(child)
        except OSError:
            continue
    return count


def run(root: Path, mixed: int, timeouts: int, seed: int = 20261205) -> dict[str, Any]:
    import httpx

    proc = subprocess.Popen([str(Path(sys.executable).with_name("culturegraph")), "serve", "--root", str(root),
                             "--port", "0", "--workers", str(WORKERS), "--timeout", str(QUERY_TIMEOUT)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                            check=False).stdout.strip()
    record: dict[str, Any] = {"root": str(root), "commit": commit, "cpus": os.cpu_count(), "workers": WORKERS,
                              "query_timeout": QUERY_TIMEOUT}
    try:
        assert proc.stdout is not None
        url = ""
        notes = []
        for line in proc.stdout:
            notes.append(line.strip())
            m = re.search(r"serving (http://127\.0\.0\.1:\d+)/", line)
            if m:
                url = m.group(1)
                break
        if not url:
            raise RuntimeError("server did not start:\n" + "\n".join(notes))
        record["start_notes"] = notes
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=10).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        rnd = random.Random(seed)
        kinds = mixed_requests(root)
        batch = [rnd.choice(kinds) for _ in range(mixed)]
        record["mixed"] = asyncio.run(_phase(url, batch, 16))
        record["mixed"]["workers_after"] = _workers(proc.pid)
        slow = _sparql(CARTESIAN, expect=(503, 504))
        record["timeouts"] = asyncio.run(_phase(url, [slow] * timeouts, 8))
        t = time.perf_counter()
        while True:
            r = httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=60)
            if r.status_code == 200 or time.perf_counter() - t > 60:
                break
            time.sleep(0.05)
        record["recovery"] = {"first_answer_s": round(time.perf_counter() - t, 3), "status": r.status_code}
        record["recovery"].update(asyncio.run(_phase(url, batch[: max(1, mixed // 5)], 16)))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _workers(proc.pid) != WORKERS:
            time.sleep(0.1)
        record["recovery"]["workers_after"] = _workers(proc.pid)
    finally:
        started = _tree(proc.pid)
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        deadline = time.monotonic() + 10
        while (alive := [p for p in started if _running(p)]) and time.monotonic() < deadline:
            time.sleep(0.2)
        record["processes"] = {"started": len(started), "left_after_stop": alive}
    phases = [record[k] for k in ("mixed", "timeouts", "recovery") if k in record]
    record["ok"] = (all(p["unexpected"] == 0 for p in phases) and not record["processes"]["left_after_stop"]
                    and record.get("recovery", {}).get("status") == 200
                    and record["mixed"]["workers_after"] == WORKERS == record["recovery"]["workers_after"])
    return record


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", default=str(REPO), help="project to serve (default: the repository)")
    ap.add_argument("--mixed", type=int, default=1000, help="requests in the mixed phase")
    ap.add_argument("--timeouts", type=int, default=200, help="timeout-bound queries")
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "results"), help="folder for the JSON record")
    args = ap.parse_args(argv)
    record = run(Path(args.root), args.mixed, args.timeouts)
    for phase in ("mixed", "timeouts", "recovery"):
        p = record.get(phase, {})
        print(f"{phase:9} {p.get('requests', 0):5} requests at {p.get('concurrency', 0):2}-way: "
              f"p50 {p.get('p50_ms')} ms, p95 {p.get('p95_ms')} ms, max {p.get('max_ms')} ms, "
              f"statuses {p.get('statuses')}, unexpected {p.get('unexpected')}")
    print(f"recovery: first answer after {record['recovery']['first_answer_s']} s; query workers "
          f"{record['mixed']['workers_after']} → {record['recovery']['workers_after']} (of {WORKERS}); "
          f"processes left after stop: {record['processes']['left_after_stop'] or 'none'}")
    print("OK" if record["ok"] else "FAILED")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / time.strftime("load-%Y%m%dT%H%M%S.json")
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"saved {path}")
    return 0 if record["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
