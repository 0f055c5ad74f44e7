"""Benchmarks for the network views (not tests: figures to read, on a noisy machine).

    .venv/bin/python -m benchmarks.bench_views [--nodes 1500] [--repeat 5] [--no-browser] [--real]

1. Writing a view of ``--nodes`` nodes (a synthetic, seeded graph shaped like the forum data: editions,
   sessions, people, organisations, themes, countries; ~2.7 edges per node): HTML render + atomic write, and
   the PNG brief. Target: HTML ≤ 2 s at 1,500 nodes.
2. The same page in headless Chromium: time until physics has stabilised (the page's own
   ``cgView.state.stabilizedMs``) and wall time from navigation. Target: ≤ 5 s at 1,500 nodes.
3. With ``--real``: every preset on the repository's data (index build, projection, HTML).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
MIX = (("Person", 0.45), ("Organisation", 0.2), ("Session", 0.15), ("RelatedEvent", 0.06), ("Theme", 0.06),
       ("Country", 0.03), ("City", 0.02), ("Venue", 0.02))


def synthetic_view(n: int, seed: int = 7):
    """A View of ``n`` nodes with synthetic labels ("Synthetic Person 0042"), years, sources and edges."""
    import networkx as nx

    from culturegraph.network import STYLES, View, ViewOptions, get_preset, size_nodes

    rnd = random.Random(seed)
    years = list(range(2019, 2026))
    g = nx.Graph()
    editions = [f"https://example.org/id/edition/e{y}" for y in years]
    for y, e in zip(years, editions, strict=True):
        g.add_node(e, label=f"Synthetic Edition {y}", type="Edition", years=[y], start=f"{y}-11-01", end=None,
                   iri=e, id=f"edition/e{y}", sources=[(f"https://example.org/src/{y}", f"Synthetic source {y}")],
                   country="")
    nodes = list(editions)
    for i in range(n - len(editions)):
        r, acc = rnd.random(), 0.0
        cls = MIX[-1][0]
        for c, share in MIX:
            acc += share
            if r < acc:
                cls = c
                break
        iri = f"https://example.org/id/{cls.lower()}/n{i:05d}"
        ys = sorted(rnd.sample(years, rnd.choice((1, 1, 1, 2, 3))))
        g.add_node(iri, label=f"Synthetic {cls} {i:05d}", type=cls, years=ys, start=None, end=None, iri=iri,
                   id=f"{cls.lower()}/n{i:05d}", country="",
                   sources=[(f"https://example.org/src/{i % 300}", f"Synthetic source {i % 300}")])
        nodes.append(iri)
        ed = editions[years.index(ys[0])]
        g.add_edge(iri, ed, relations=["took part in"], label="took part in", weight=1, years=ys[:1],
                   statements=[], sources=g.nodes[iri]["sources"])
    for _ in range(int(n * 1.7)):
        a, b = rnd.sample(nodes, 2)
        if not g.has_edge(a, b):
            ys = sorted(set(g.nodes[a]["years"]) & set(g.nodes[b]["years"])) or g.nodes[a]["years"][:1]
            g.add_edge(a, b, relations=[rnd.choice(("affiliation at the time", "speaker", "theme", "partner"))],
                       label="", weight=rnd.choice((1, 1, 1, 2, 3)), years=ys, statements=[],
                       sources=g.nodes[a]["sources"])
    for _, _, d in g.edges(data=True):
        d["label"] = ", ".join(d["relations"])
    size_nodes(g, "degree")
    for _, d in g.nodes(data=True):
        d["type_label"] = d["type"].lower()
    counts: dict[str, int] = {}
    for _, d in g.nodes(data=True):
        counts[d["type"]] = counts.get(d["type"], 0) + 1
    legend = [(c, c.lower(), counts[c]) for c in STYLES if c in counts]
    return View(graph=g, options=ViewOptions(preset="entity"), preset=get_preset("entity"),
                title="Synthetic benchmark view", subtitle=f"{n} nodes", years=years, data_date="2025-11-08",
                original_nodes=n, legend=legend, node_limit=max(n, 1500))


def timed(func, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def bench_write(n: int, repeat: int, out: Path) -> Path:
    from culturegraph.brief import image_bytes
    from culturegraph.io import write_files
    from culturegraph.viewhtml import render_html

    view = synthetic_view(n)
    path = out / f"synthetic-{n}.html"
    secs, _ = timed(lambda: write_files({path: render_html(view)}), repeat)
    print(f"write HTML, {n:,} nodes / {view.graph.number_of_edges():,} edges: {secs:.3f} s median of {repeat} "
          f"({path.stat().st_size / 1e6:.2f} MB)  [target ≤ 2 s]")
    secs, _ = timed(lambda: image_bytes(view, "png"), max(1, repeat // 2))
    print(f"PNG brief, {n:,} nodes: {secs:.2f} s")
    return path


def bench_browser(path: Path, repeat: int) -> None:
    if not Path(CHROMIUM).exists():
        print("browser: skipped (no /usr/bin/chromium)")
        return
    from playwright.sync_api import sync_playwright

    stab, wall = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(repeat):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            t = time.perf_counter()
            page.goto(path.as_uri())
            page.wait_for_function("() => window.cgView && window.cgView.state.stable", timeout=120_000)
            wall.append(time.perf_counter() - t)
            stab.append(page.evaluate("() => cgView.state.stabilizedMs") / 1000)
            page.close()
        browser.close()
    print(f"Chromium, {path.name}: physics stabilised in {statistics.median(stab):.2f} s (page clock), "
          f"{statistics.median(wall):.2f} s wall from navigation, median of {repeat}  [target ≤ 5 s]")


def bench_real(repeat: int) -> None:
    from culturegraph.api import CultureGraph
    from culturegraph.network import PRESET_NAMES
    from culturegraph.viewhtml import render_html

    cg = CultureGraph()
    t = time.perf_counter()
    cg.projection("countries")
    print(f"real data: load + index + first projection {time.perf_counter() - t:.2f} s")
    for preset in PRESET_NAMES:
        kw = {"entity": "kofice", "radius": 2} if preset == "ego" else {}
        secs, _ = timed(lambda p=preset, k=kw: render_html(cg.projection(p, **k)), repeat)
        print(f"  {preset:<14} projection + HTML {secs * 1000:7.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nodes", type=int, default=1500)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--real", action="store_true", help="also time every preset on the repository's data")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = bench_write(args.nodes, args.repeat, Path(tmp))
        if not args.no_browser:
            bench_browser(path, min(args.repeat, 3))
    if args.real:
        bench_real(args.repeat)


if __name__ == "__main__":
    main()
