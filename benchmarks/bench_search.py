"""Search by name, measured (not a test: figures to read, on a noisy machine).

    .venv/bin/python -m benchmarks.bench_search [--project PATH] [--repeat 5]

On a project (default: the repository's data), times ``CultureGraph.search`` on a fixed mix of queries —
whole names, starts, Hangul, typos, names in the other order, misses — against the baseline a user had
before: the named query ``search`` (SPARQL ``CONTAINS`` on every name, no typos forgiven). The two are
alternated query by query; each figure is the p50 / p95 / max over ``--repeat`` rounds. Targets (issue 28):
p95 ≤ 50 ms on the real data, ≤ 200 ms at the 1M synthetic size.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

REAL = ["kofice", "korea foundation", "한국국제문화교류", "kofcie", "lee kyogu", "da lat", "asean",
        "natinal gallery singapore", "fly", "hong nang sida", "qqqqqqqq"]
SYNTHETIC = ["synth", "synthetic person 0001", "persn 00012", "합성", "synthetic forum", "edition 00005",
             "city", "theme", "organisation 0003", "qqqqqqqq"]


def measure(project: Path, repeat: int) -> dict:
    from culturegraph.api import CultureGraph

    started = time.perf_counter()
    cg = CultureGraph(project)
    cg.query("ASK {}")
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    cg.search("warm-up")  # builds the index
    index_s = time.perf_counter() - started
    texts = REAL if (project / "data" / "field").is_dir() else SYNTHETIC
    ours: list[float] = []
    baseline: list[float] = []
    for _ in range(repeat):
        for text in texts:  # alternated, query by query
            t = time.perf_counter()
            cg.search(text)
            ours.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            cg.run_named("search", {"q": text})
            baseline.append((time.perf_counter() - t) * 1000)

    def spread(xs: list[float]) -> dict:
        xs = sorted(xs)
        return {"p50_ms": round(statistics.median(xs), 2), "p95_ms": round(xs[max(0, int(len(xs) * 0.95) - 1)], 2),
                "max_ms": round(xs[-1], 2)}

    return {"project": str(project), "load_s": round(load_s, 2), "index_s": round(index_s, 3),
            "queries": len(texts), "repeat": repeat, "search": spread(ours), "named_query_search": spread(baseline),
            "p95_ratio_ours_to_named": round(spread(ours)["p95_ms"] / max(spread(baseline)["p95_ms"], 1e-9), 3)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--project", type=Path, default=Path(__file__).resolve().parents[1])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    print(json.dumps(measure(args.project, args.repeat), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
