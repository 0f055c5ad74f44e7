"""One benchmark job in a fresh process, so that its peak memory (``ru_maxrss``) is its own.

``python -m benchmarks.worker JOB PROJECT [--repeat N] [--budget S]`` prints one JSON object on its last
line. Jobs:

- ``build``      YAML → quads → derived graph → dumps + content key written to ``PROJECT/dist`` (no SHACL)
- ``shacl``      the SHACL gate alone (``CultureGraph.validate``), after loading
- ``cold``       YAML → queryable Oxigraph engine, ignoring any prebuilt dump (what a data change costs)
- ``oxigraph``   our default: load the prebuilt dump, then every named query (and plain pyoxigraph), labels
- ``views``      every network view preset as offline HTML (``CultureGraph.view_html``), if the module exists
- ``disk``       the persistent on-disk store (``store_path``): first fill, then reopen
- ``raw``        plain pyoxigraph loading the same dump (its query times are taken in ``oxigraph``, run
                 alternately with ours on the same texts: that ratio is our overhead)
- ``rdflib``     our facade on rdflib's memory store (``store = "memory"``), every named query
- ``oracles``    each named query's earlier text (``tests/oracles/``) against today's, plain pyoxigraph
- ``release``    the portal bundle without the SHACL gate (``CultureGraph.release``): every dump, JSON-LD,
                 tables, networks, DCAT/VoID/PROV, written to a temporary folder
"""

from __future__ import annotations

import argparse
import json
import resource
import signal
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def peak_mb() -> float:
    """Peak resident memory of this process so far (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timeout(BaseException):  # not an Exception: the engines must not wrap it in a QueryError
    pass


def _alarm(_signum: int, _frame: Any) -> None:
    raise Timeout


def timed(fn: Callable[[], Any], *, repeat: int, budget: float, limit: float | None = None) -> dict[str, Any]:
    """Run ``fn`` up to ``repeat`` times (fewer once ``budget`` seconds are spent); median and p95 in ms.

    With ``limit``, one run longer than ``limit`` seconds is interrupted (SIGALRM: works for pure-Python
    engines such as rdflib; Oxigraph returns first) and reported as ``timeout``.
    """
    samples: list[float] = []
    spent = 0.0
    rows = None
    while len(samples) < repeat and (not samples or spent < budget):
        if limit:
            signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, limit)
        t = time.perf_counter()
        try:
            rows = fn()
        except Timeout:
            return {"timeout_s": limit, "runs": len(samples)}
        finally:
            if limit:
                signal.setitimer(signal.ITIMER_REAL, 0)
        dt = time.perf_counter() - t
        samples.append(dt)
        spent += dt
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": statistics.median(samples) * 1000, "p95_ms": p95 * 1000, "min_ms": ordered[0] * 1000,
            "max_ms": ordered[-1] * 1000, "runs": len(samples), "rows": rows}


def named_queries(root: Path, folder: Path | None = None) -> list[tuple[str, str, dict[str, Any]]]:
    """(name, SPARQL, bound parameters) for every ``queries/*.rq``, parameters at their defaults — except
    that an entity parameter of the synthetic data points at a synthetic hub of the same kind. Parameters
    are bound the way :func:`culturegraph.queries.run_local` binds them (:func:`culturegraph.queries.bound`:
    a VALUES block, or substitution for queries marked ``# bind: substitute``)."""
    from culturegraph.queries import bound, load_queries

    from .synth import hub_entity

    synthetic = (root / "data" / "editions" / "00001.yaml").is_file()
    out = []
    for name, nq in load_queries(folder or root / "queries").items():
        values = {}
        if synthetic:
            for p in nq.params:
                if p.type == "iri" and p.default and ":" in p.default:
                    kind = p.default.split(":", 1)[0]
                    hub = hub_entity(kind)
                    if hub:
                        values[p.name] = f"{kind}:{hub}"
        text, substitutions = bound(nq, nq.bind(values))
        out.append((name, text, substitutions))
    return out


def _facade_queries(cg: Any, root: Path, repeat: int, budget: float, limit: float | None) -> dict[str, Any]:
    out = {}
    for name, sparql, bindings in named_queries(root):
        def run(sparql: str = sparql, bindings: dict = bindings) -> int:
            return len(cg.query(sparql, params=bindings, limit=10**9).rows)
        out[name] = timed(run, repeat=repeat, budget=budget, limit=limit)
    return out


def _raw_runner(store: Any, sparql: str, bindings: dict[str, Any]) -> Callable[[], int]:
    """Plain pyoxigraph: the same text, prefixes and substitutions; every value of every row touched."""
    import pyoxigraph as ox

    from culturegraph.namespaces import all_prefixes

    prefixes = all_prefixes()
    subs = {ox.Variable(k): v for k, v in bindings.items()} or None

    def run() -> int:
        n = 0
        for sol in store.query(sparql, prefixes=prefixes, use_default_graph_as_union=True, substitutions=subs):
            for _value in sol:
                pass
            n += 1
        return n
    return run


def _interleaved(cg: Any, root: Path, args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, Any]]:
    """Our facade and plain pyoxigraph (a second store loaded from the same dump), run alternately per
    query so that a noisy machine slows both alike; the ratio is our overhead."""
    import pyoxigraph as ox

    raw = ox.Store()
    raw.load(path=str(root / "dist" / "culturegraph.nq"), format=ox.RdfFormat.N_QUADS, lenient=True)
    ours_out, raw_out = {}, {}
    for name, sparql, bindings in named_queries(root):
        def mine(sparql: str = sparql, bindings: dict = bindings) -> int:
            return len(cg.query(sparql, params=bindings, limit=10**9).rows)
        ours_out[name], raw_out[name] = _alternate(mine, _raw_runner(raw, sparql, bindings), args)
    return ours_out, raw_out


def _alternate(first: Callable[[], int], second: Callable[[], int],
               args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, Any]]:
    """Both runners, one run each in turn, which goes first alternating (until ``--repeat`` or the first has
    spent ``--budget``)."""
    a: list[dict[str, Any]] = []
    b: list[dict[str, Any]] = []
    for i in range(args.repeat):
        for fn, runs in ((first, a), (second, b)) if i % 2 == 0 else ((second, b), (first, a)):
            runs.append(timed(fn, repeat=1, budget=args.budget))
        if sum(x["median_ms"] for x in a) > args.budget * 1000:
            break
    return _merge(a), _merge(b)


def _merge(runs: list[dict[str, Any]]) -> dict[str, Any]:
    samples = sorted(r["median_ms"] for r in runs)
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return {"median_ms": statistics.median(samples), "p95_ms": p95, "min_ms": samples[0], "max_ms": samples[-1],
            "runs": len(samples), "rows": runs[-1]["rows"]}


def job_build(root: Path, args: argparse.Namespace) -> dict[str, Any]:
    from culturegraph.api import CultureGraph

    t0 = time.perf_counter()
    cg = CultureGraph(root)
    t = time.perf_counter()
    loaded = cg.loaded
    yaml_s = time.perf_counter() - t
    data_quads = len(loaded.quads)
    del loaded
    t = time.perf_counter()
    cg.build(root / "dist", validate=False)  # quads streamed from the YAML to the sort on disk, then dumps
    write_s = time.perf_counter() - t
    build_s = time.perf_counter() - t0
    peak = peak_mb()
    derived = display = quads = 0
    with (root / "dist" / "culturegraph.nq").open("rb") as fh:  # counted after the peak was taken
        for line in fh:
            quads += 1
            derived += line.endswith(b"/graph/derived> .\n")
            display += b"/graph/display/" in line[-60:]
    return {"build_s": build_s, "yaml_to_quads_s": yaml_s, "derive_sort_and_write_s": write_s,
            "data_quads": data_quads, "derived_quads": derived, "display_quads": display, "store_quads": quads,
            "peak_mb": peak}


def job_shacl(root: Path, args: argparse.Namespace) -> dict[str, Any]:
    from culturegraph.api import CultureGraph

    cg = CultureGraph(root)
    cg.loaded  # noqa: B018
    t = time.perf_counter()
    report = cg.validate()
    return {"shacl_s": time.perf_counter() - t, "conforms": report.conforms, "peak_mb": peak_mb()}


def job_cold(root: Path, args: argparse.Namespace) -> dict[str, Any]:
    from culturegraph import snapshot
    from culturegraph.api import CultureGraph

    snapshot.prebuilt_store = lambda *a, **k: None  # type: ignore[assignment]  # force the YAML path
    snapshot.dumped_quads = lambda *a, **k: None  # type: ignore[assignment]
    t = time.perf_counter()
    cg = CultureGraph(root)
    cg.engine  # noqa: B018
    # the YAML may be read by a forked child (snapshot._store_from_child): its peak is reported beside ours
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"load_s": time.perf_counter() - t, "peak_mb": peak_mb(), "child_peak_mb": child or None}


def job_oxigraph(root: Path, args: argparse.Namespace) -> dict[str, Any]:
    from culturegraph.api import CultureGraph

    t = time.perf_counter()
    cg = CultureGraph(root)
    cg.engine  # noqa: B018
    load_s = time.perf_counter() - t
    out: dict[str, Any] = {"load_s": load_s, "from_dump": "loaded" not in cg.__dict__, "load_peak_mb": peak_mb(),
                           "quads": len(cg.engine)}
    out["queries"], out["raw_queries"] = _interleaved(cg, root, args)
    name = named_queries(root)[0][0]
    out["run_named"] = timed(lambda: len(cg.run_named(name).rows), repeat=args.repeat, budget=args.budget)
    out["run_named"]["query"] = name
    iri = "https://w3id.org/culturegraph/id/organisation/" + ("synth-org-00001" if (
        root / "data" / "editions" / "00001.yaml").is_file() else "kofice")
    out["label_ms"] = timed(lambda: cg.label(iri, "ko"), repeat=200, budget=2)["median_ms"]
    out["peak_mb"] = peak_mb()
    return out


def job_views(root: Path, args: argparse.Namespace) -> dict[str, Any]:
    from culturegraph.api import CultureGraph

    cg = CultureGraph(root)
    cg.engine  # noqa: B018
    return {"views": _views(cg, args), "peak_mb": peak_mb()}


def _views(cg: Any, args: argparse.Namespace) -> dict[str, Any] | None:
    try:
        from culturegraph.network import PRESET_NAMES
    except ImportError:
        return None
    hub = "synth-org-00001" if (cg.root / "data" / "editions" / "00001.yaml").is_file() else "kofice"
    out: dict[str, Any] = {}
    for preset in PRESET_NAMES:
        kw = {"entity": hub} if preset in ("ego", "entity") else {}
        try:
            out[preset] = timed(lambda p=preset, k=kw: len(cg.view_html(p, **k)), repeat=min(3, args.repeat),
                                budget=args.budget)
        except Exception as exc:  # e.g. a view too large to draw: report, do not stop the run
            out[preset] = {"error": f"{type(exc).__name__}: {exc}"[:200]}
    return out


def job_disk(root: Path, args: argparse.Namespace) -> dict[str, Any]:
    import shutil
    import tempfile

    from culturegraph.api import CultureGraph

    tmp = Path(tempfile.mkdtemp(prefix="cg-disk-"))
    try:
        t = time.perf_counter()
        CultureGraph(root, store_path=str(tmp / "store")).engine  # noqa: B018
        fill_s = time.perf_counter() - t
        t = time.perf_counter()
        cg = CultureGraph(root, store_path=str(tmp / "store"))
        cg.engine  # noqa: B018
        reopen_s = time.perf_counter() - t
        queries = _facade_queries(cg, root, min(3, args.repeat), args.budget, None)
        return {"fill_s": fill_s, "reopen_s": reopen_s, "queries": queries, "peak_mb": peak_mb()}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def job_raw(root: Path, args: argparse.Namespace) -> dict[str, Any]:
    import pyoxigraph as ox

    dump = str(root / "dist" / "culturegraph.nq")
    t = time.perf_counter()
    store = ox.Store()
    store.load(path=dump, format=ox.RdfFormat.N_QUADS, lenient=True)  # as ours does (snapshot.load_dump)
    load_s = time.perf_counter() - t
    out: dict[str, Any] = {"load_s": load_s, "load_peak_mb": peak_mb(), "quads": len(store)}
    del store
    t = time.perf_counter()
    ox.Store().load(path=dump, format=ox.RdfFormat.N_QUADS)  # the validating parser, for reference
    out["load_strict_s"] = time.perf_counter() - t
    # query times of plain pyoxigraph are taken in the ``oxigraph`` job, interleaved with ours
    out["peak_mb"] = peak_mb()
    return out


def job_rdflib(root: Path, args: argparse.Namespace) -> dict[str, Any]:
    from culturegraph.api import CultureGraph

    t = time.perf_counter()
    cg = CultureGraph(root, store="memory")
    cg.engine  # noqa: B018
    out: dict[str, Any] = {"load_s": time.perf_counter() - t, "load_peak_mb": peak_mb()}
    out["queries"] = _facade_queries(cg, root, min(3, args.repeat), args.budget, args.limit)
    out["peak_mb"] = peak_mb()
    return out


def job_release(root: Path, args: argparse.Namespace) -> dict[str, Any]:
    import shutil
    import tempfile

    from culturegraph.api import CultureGraph

    tmp = Path(tempfile.mkdtemp(prefix="cg-release-"))
    try:
        t = time.perf_counter()
        _folder, files = CultureGraph(root).release(tmp, validate=False)
        return {"release_s": time.perf_counter() - t, "files": len(files),
                "bytes": sum(len(data) for data in files.values()), "peak_mb": peak_mb()}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


ORACLES = Path(__file__).resolve().parents[1] / "tests" / "oracles"


def job_oracles(root: Path, args: argparse.Namespace) -> dict[str, Any]:
    """What the derived graph and the display graphs buy, in the same run: each named query's earlier text
    (``tests/oracles/``: joins and label tiers at query time) against today's, both on plain pyoxigraph
    over the same store, run alternately. The two give the same rows (``tests/test_query_oracles.py``)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(root / "dist" / "culturegraph.nq"), format=ox.RdfFormat.N_QUADS, lenient=True)
    now = {name: (sparql, b) for name, sparql, b in named_queries(root)}
    out: dict[str, Any] = {}
    for name, sparql, bindings in named_queries(root, ORACLES):
        if name not in now:
            continue
        before, after = _alternate(_raw_runner(store, sparql, bindings), _raw_runner(store, *now[name]), args)
        out[name] = {"before": before, "now": after}
    return {"queries": out, "peak_mb": peak_mb()}


JOBS = {"oracles": job_oracles, "build": job_build, "shacl": job_shacl, "cold": job_cold, "oxigraph": job_oxigraph,
        "disk": job_disk, "raw": job_raw, "rdflib": job_rdflib, "views": job_views, "release": job_release}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("job", choices=sorted(JOBS))
    ap.add_argument("project", type=Path)
    ap.add_argument("--repeat", type=int, default=7, help="runs per query (fewer when slow)")
    ap.add_argument("--budget", type=float, default=10.0, help="seconds per query before stopping repeats")
    ap.add_argument("--limit", type=float, default=120.0, help="rdflib: seconds before one run is stopped")
    args = ap.parse_args(argv)
    result = JOBS[args.job](args.project.resolve(), args)
    sys.stdout.write("\n" + json.dumps(result, default=str) + "\n")


if __name__ == "__main__":
    main()
