"""Entity dashboards, measured (not a test: figures to read).

    .venv/bin/python -m benchmarks.bench_dashboard [--project PATH] [--repeat 5]

The whole HTML of an entity page — summary card, panels from named queries, statements — through the real
app (Starlette TestClient, in process), for a mix of entities: an institution with leaders, the busiest
organisation, a person, a series, an edition, a fund. Each figure is p50 / p95 / max over ``--repeat``
rounds; the baseline, alternated with it, is the same page's RDF (Turtle) document, which has no dashboard.
Target (issue 28): the HTML in ≤ 300 ms on the real data.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import warnings
from pathlib import Path

PATHS = ["organisation/asean-korea-centre", "organisation/mcst", "person/lee-kyogu", "series/fly",
         "edition/forum-2025", "fund/akcf"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--project", type=Path, default=Path(__file__).resolve().parents[1])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    from culturegraph.api import CultureGraph
    from culturegraph.server import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    cg = CultureGraph(args.project, query_workers=1)
    html: list[float] = []
    turtle: list[float] = []
    with TestClient(create_app(cg, cg.settings)) as client:
        for path in PATHS:  # warm: labels, named queries parsed
            client.get(f"/id/{path}", headers={"Accept": "text/html"})
        for _ in range(args.repeat):
            for path in PATHS:
                t = time.perf_counter()
                assert client.get(f"/id/{path}", headers={"Accept": "text/html"}).status_code == 200
                html.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                client.get(f"/id/{path}", headers={"Accept": "text/turtle"})
                turtle.append((time.perf_counter() - t) * 1000)

    def spread(xs: list[float]) -> dict:
        xs = sorted(xs)
        return {"p50_ms": round(statistics.median(xs), 1), "p95_ms": round(xs[max(0, int(len(xs) * 0.95) - 1)], 1),
                "max_ms": round(xs[-1], 1)}

    print(json.dumps({"project": str(args.project), "pages": PATHS, "repeat": args.repeat,
                      "dashboard_html": spread(html), "turtle_document": spread(turtle)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
