"""How fast this machine is, on fixed workloads, so results from different machines can be set side by side.

The targets of issue 7 are absolute (milliseconds, seconds), but the machines this project runs on are
shared virtual machines whose speed varies from one to the next (measured here: a 1M dump that loaded in
7.4 s on one took 15.4 s on another of the same kind). Every results file therefore records:

- ``python_loop_s`` — a pure-Python loop of ten million additions (the interpreter: loaders, views);
- ``oxigraph_join_us`` — microseconds per solution of a two-pattern join over 200,000 triples in a
  pyoxigraph in-memory store (index look-ups: what named queries spend their time on);
- ``oxigraph_load_us`` — microseconds per quad to load 200,000 N-Quads (spread over 5,000 graphs, as the
  dumps are) into a new in-memory store: what loading a dump costs, which depends on memory more than on
  the interpreter.

All are medians of five runs (three for the load), taken when a run starts and again when it ends (the
speed of a shared machine drifts). A run on a machine with twice the figures is expected to take about
twice as long.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path


def _median(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _loop() -> int:
    s = 0
    for i in range(10_000_000):
        s += i
    return s


def calibrate() -> dict[str, float]:
    """The reference figures of this machine (about 8 s in all)."""
    import pyoxigraph as ox

    n = 100_000
    p, q = ox.NamedNode("urn:calibrate:p"), ox.NamedNode("urn:calibrate:q")
    store = ox.Store()
    store.extend(ox.Quad(ox.NamedNode(f"urn:calibrate:s{i}"), p, ox.NamedNode(f"urn:calibrate:o{i}"))
                 for i in range(n))
    store.extend(ox.Quad(ox.NamedNode(f"urn:calibrate:o{i}"), q, ox.Literal(str(i))) for i in range(n))
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:calibrate:p> ?o . ?o <urn:calibrate:q> ?v }"

    def join() -> None:
        (row,) = list(store.query(text))
        assert int(row[0].value) == n

    lines = "".join(f"<urn:calibrate:s{i % 50_000}> <urn:calibrate:p{i % 40}> \"value {i}\"@en "
                    f"<urn:calibrate:g{i % 5_000}> .\n" for i in range(200_000)).encode()

    def load() -> None:
        ox.Store().load(input=lines, format=ox.RdfFormat.N_QUADS)

    return {"python_loop_s": round(_median(_loop), 3), "oxigraph_join_us": round(_median(join) / n * 1e6, 3),
            "oxigraph_load_us": round(_median(load, 3) / 200_000 * 1e6, 3)}


def measured() -> dict[str, float]:
    """:func:`calibrate` in a child process: the runner itself must stay small, because on Linux a worker it
    starts inherits its peak resident memory (``ru_maxrss`` survives ``fork`` and ``exec``), which would then
    be reported as the worker's own."""
    import json
    import subprocess
    import sys

    res = subprocess.run([sys.executable, "-m", "benchmarks.calibrate"], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[1])
    return json.loads(res.stdout)


if __name__ == "__main__":
    import json

    print(json.dumps(calibrate()))
