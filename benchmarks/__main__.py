"""Benchmark runner: ``python -m benchmarks [--sizes 10k,100k,1M]``.

For each size a synthetic project is generated (``benchmarks/synth.py``, cached under
``benchmarks/results/tmp/``) and every measurement runs in its own process (``benchmarks/worker.py``), so
peak memory is per job: build, SHACL, cold load from YAML, our default engine (Oxigraph, loading the
prebuilt dump), plain pyoxigraph on the same dump and query texts, rdflib's memory store behind our facade,
the on-disk store, and endpoint throughput. The real dataset is measured too (build + validate, ``--help``,
``query`` start-up, endpoint). A table is printed and everything is saved as JSON in ``benchmarks/results/``
with a description of the machine. Not part of the test suite's pass/fail (a smoke test runs 10k).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from .report import print_report, summarise
from .synth import PROFILES, REPO, generate, parse_size

RESULTS = REPO / "benchmarks" / "results"
TARGETS = {"load_s": 10.0, "peak_mb": 1536, "speedup": 20.0, "overhead": 1.15, "overhead_max": 1.5,
           "real_build_validate_s": 5.0, "help_s": 0.3, "endpoint_qps": 500.0, "vs_oxigraph": 0.5,
           "rising": 1.0, "starved_p95_ms": 20.0,
           "build_peak_mb": 2048, "serve_cold_s": 30.0, "serve_tree_mb": 2560}


def machine() -> dict[str, Any]:
    """CPU, memory, Python and library versions, git commit, and the machine's speed on two fixed workloads
    (:mod:`benchmarks.calibrate`)."""
    from .calibrate import measured

    model = ""
    try:
        model = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                      if ln.startswith("model name")), "")
        mem_kb = next(int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines()
                      if ln.startswith("MemTotal"))
    except (OSError, StopIteration):
        mem_kb = 0
    libs = {}
    for lib in ("culturegraph", "pyoxigraph", "rdflib", "pyshacl", "PyYAML", "starlette", "uvicorn"):
        try:
            libs[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            libs[lib] = None
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                                text=True, check=False).stdout.strip()
    except OSError:
        commit = ""
    return {"cpus": os.cpu_count(), "cpu_model": model, "memory_gb": round(mem_kb / 1024 / 1024, 1),
            "platform": platform.platform(), "python": platform.python_version(), "libraries": libs,
            "commit": commit, "loadavg_at_start": os.getloadavg(), "speed": measured()}


def run_job(job: str, project: Path, args: argparse.Namespace, timeout: float) -> dict[str, Any]:
    """One job in a fresh Python process; its JSON (or an error record)."""
    cmd = [sys.executable, "-m", "benchmarks.worker", job, str(project), "--repeat", str(args.repeat),
           "--budget", str(args.budget), "--limit", str(args.limit)]
    t = time.perf_counter()
    try:
        res = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"stopped after {timeout:.0f} s"}
    if res.returncode != 0:
        return {"error": (res.stderr.strip().splitlines() or ["failed"])[-1][:300]}
    out = json.loads(res.stdout.strip().splitlines()[-1])
    out["wall_s"] = time.perf_counter() - t
    return out


def synthetic_project(size: str, seed: int, work: Path, profile: str = "dense") -> tuple[Path, dict[str, Any]]:
    """The generated project for ``size`` (reused when the generator, size, seed and profile are unchanged)."""
    project = work / (f"synth-{size}-seed{seed}" if profile == "dense" else f"synth-{size}-{profile}-seed{seed}")
    marker = project / "synth.json"
    fingerprint = {"size": size, "seed": seed, "profile": profile,
                   "generator": (REPO / "benchmarks" / "synth.py").stat().st_size,
                   "ontology": (REPO / "ontology" / "culturegraph.ttl").stat().st_size}
    if marker.is_file() and json.loads(marker.read_text())["fingerprint"] == fingerprint:
        # the data is reused; the queries are always today's (they are not part of the content key)
        shutil.rmtree(project / "queries", ignore_errors=True)
        shutil.copytree(REPO / "queries", project / "queries")
        return project, json.loads(marker.read_text())["shape"]
    t = time.perf_counter()
    shape = generate(project, parse_size(size), seed=seed, profile=profile)
    info = {"fingerprint": fingerprint, "shape": shape.__dict__, "generate_s": time.perf_counter() - t}
    marker.write_text(json.dumps(info))
    return project, info["shape"]


def bench_size(size: str, args: argparse.Namespace) -> dict[str, Any]:
    from .endpoint import serve_start, starvation, versus_oxigraph
    from .synth import hub_entity

    n = parse_size(size)
    project, shape = synthetic_project(size, args.seed, args.work, args.profile)
    out: dict[str, Any] = {"target_triples": n, "shape": shape, "project": str(project)}
    jobs = ["build", "cold", "oxigraph", "oracles", "raw", "disk"] + ([] if args.no_views else ["views"]) + (
        [] if args.no_release else ["release"])
    if not args.no_rdflib and n <= parse_size(args.rdflib_max):
        jobs.append("rdflib")
    if not args.no_shacl and n <= parse_size(args.shacl_max):
        jobs.append("shacl")
    for job in jobs:  # build first: it writes the dump the others load
        log(f"[{size}] {job} …")
        out[job] = run_job(job, project, args, timeout=args.job_timeout)
    if not args.no_endpoint:
        log(f"[{size}] serve start-up, from the YAML and from the prebuilt dump …")
        out["serve_cold"] = serve_start(project, cold=True)
        out["serve_warm"] = serve_start(project, cold=False)
        log(f"[{size}] endpoint against Oxigraph server, and beside a heavy page …")
        hub = hub_entity("organisation")
        iri = f"https://w3id.org/culturegraph/id/organisation/{hub}"
        out["endpoint"] = versus_oxigraph(project, iri, seconds=args.endpoint_seconds)
        out["starvation"] = starvation(project, f"https://w3id.org/culturegraph/id/person/{hub_entity('person')}",
                                       f"/id/organisation/{hub}", seconds=args.endpoint_seconds)
    return out


def bench_real(args: argparse.Namespace) -> dict[str, Any]:
    """The repository's own data, in a copy (so that dist/ of the checkout is never touched)."""
    from .endpoint import starvation, versus_oxigraph

    exe = str(Path(sys.executable).with_name("culturegraph"))
    project = args.work / "real"
    if project.exists():
        shutil.rmtree(project)
    for sub in ("ontology", "data", "queries"):
        shutil.copytree(REPO / sub, project / sub)
    out: dict[str, Any] = {}

    def wall(cmd: list[str], runs: int) -> tuple[float, int]:
        times, code = [], 0
        for _ in range(runs):
            t = time.perf_counter()
            code = subprocess.run(cmd, cwd=project, capture_output=True, check=False).returncode
            times.append(time.perf_counter() - t)
        return statistics.median(times), code

    out["help_s"], _ = wall([exe, "--help"], 5)
    out["build_validate_s"], code = wall([exe, "build", "--out", str(project / "out")], 3)
    out["build_validate_exit"] = code  # 1 while the data does not conform (the dumps are then not written)
    out["build_no_validate_s"], _ = wall([exe, "build", "--no-validate"], 3)
    ask = ["query", "--sparql", "ASK { ?e a cg:ForumEvent }"]
    out["query_startup_prebuilt_s"], _ = wall([exe, *ask], 5)
    (project / "dist" / "culturegraph.key.json").unlink()
    out["query_startup_cold_s"], _ = wall([exe, *ask], 3)
    log("[real] jobs …")
    for job in ("build", "shacl", "oxigraph"):
        out[job] = run_job(job, project, args, timeout=args.job_timeout)
    if not args.no_endpoint:
        log("[real] endpoint against Oxigraph server, and beside a heavy page …")
        if not (project / "dist" / "culturegraph.nq").is_file():
            wall([exe, "build", "--no-validate"], 1)
        person = "https://w3id.org/culturegraph/id/person/lee-kyogu"
        out["endpoint"] = versus_oxigraph(project, person, seconds=args.endpoint_seconds)
        out["starvation"] = starvation(project, person, "/id/organisation/kofice", seconds=args.endpoint_seconds)
    return out


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10k,100k,1M", help="synthetic sizes in data triples (10k,100k,1M,5M)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--profile", choices=PROFILES, default="dense",
                    help="shape of the synthetic graph (benchmarks/synth.py): dense (stress) or forum (real averages)")
    ap.add_argument("--repeat", type=int, default=15,
                    help="runs per query (median, min, max), ours and raw pyoxigraph alternating; rdflib at most 3")
    ap.add_argument("--budget", type=float, default=10.0, help="seconds per query before repeats stop")
    ap.add_argument("--limit", type=float, default=120.0, help="rdflib: seconds before one query run is stopped")
    ap.add_argument("--job-timeout", type=float, default=5400.0, help="seconds before a whole job is stopped")
    ap.add_argument("--rdflib-max", default="1M", help="largest size run on rdflib's memory store")
    ap.add_argument("--shacl-max", default="1M", help="largest size validated with pySHACL")
    ap.add_argument("--endpoint-seconds", type=float, default=4.0,
                    help="seconds per wrk run (3 rounds × 1, 4, 16 connections × 2 servers), and per starvation half")
    ap.add_argument("--no-rdflib", action="store_true")
    ap.add_argument("--no-shacl", action="store_true")
    ap.add_argument("--no-endpoint", action="store_true")
    ap.add_argument("--no-views", action="store_true")
    ap.add_argument("--no-release", action="store_true", help="skip the release bundle job")
    ap.add_argument("--no-real", action="store_true", help="skip the repository's own dataset")
    ap.add_argument("--out", type=Path, default=RESULTS, help="directory for the JSON result")
    ap.add_argument("--work", type=Path, default=RESULTS / "tmp",
                    help="where generated projects are kept (and reused) between runs")
    args = ap.parse_args(argv)
    started = time.strftime("%Y-%m-%dT%H:%M:%S")
    result: dict[str, Any] = {"started": started, "machine": machine(), "targets": TARGETS,
                              "args": {k: str(v) for k, v in vars(args).items()}, "sizes": {}}
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"bench-{started.replace(':', '').replace('-', '')}.json"

    def save() -> None:  # after every size, so a crash at 1M keeps the smaller sizes
        result["summary"] = summarise(result)
        path.write_text(json.dumps(result, indent=1, default=str) + "\n", encoding="utf-8")

    for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
        result["sizes"][size] = bench_size(size, args)
        save()
    if not args.no_real:
        result["real"] = bench_real(args)
    result["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    from .calibrate import measured

    result["machine"]["speed_at_end"] = measured()  # shared machines change speed during a long run
    save()
    print_report(result)
    print(f"\nsaved {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
