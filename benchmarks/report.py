"""Turn the raw benchmark record into ratios, target checks and a plain-text table."""

from __future__ import annotations

import math
from typing import Any


def _geomean(values: list[float]) -> float | None:
    values = [v for v in values if v and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def _median(job: dict[str, Any] | None, name: str) -> float | None:
    q = ((job or {}).get("queries") or {}).get(name) or {}
    return q.get("median_ms")


def summarise_size(rec: dict[str, Any], targets: dict[str, float]) -> dict[str, Any]:
    ours, rdf = rec.get("oxigraph") or {}, rec.get("rdflib")
    names = sorted(ours.get("queries") or {})
    per: dict[str, Any] = {}
    speedups, overheads, materialised = [], [], []
    oracles = (rec.get("oracles") or {}).get("queries") or {}
    for name in names:
        o, r = _median(ours, name), ((ours.get("raw_queries") or {}).get(name) or {}).get("median_ms")
        mine = ours["queries"][name]
        row: dict[str, Any] = {"ours_ms": o, "ours_p95_ms": mine.get("p95_ms"), "ours_min_ms": mine.get("min_ms"),
                               "ours_max_ms": mine.get("max_ms"), "raw_ms": r, "rows": mine.get("rows")}
        if row["rows"] == 0:  # an empty answer measures nothing: shown, left out of every mean
            row["no_rows"] = True
            per[name] = row
            continue
        if r and o:
            row["overhead"] = o / r
            overheads.append(o / r)
        if rdf is not None and "queries" in rdf:
            q = rdf["queries"].get(name, {})
            if "median_ms" in q:
                row["rdflib_ms"] = q["median_ms"]
            elif "timeout_s" in q:  # a lower bound: rdflib needed more than the limit
                row["rdflib_ms"] = q["timeout_s"] * 1000
                row["rdflib_timeout"] = True
            if row.get("rdflib_ms") and o:
                row["speedup"] = row["rdflib_ms"] / o
                speedups.append(row["speedup"])
        orc = oracles.get(name)
        if orc and orc["before"].get("median_ms") and orc["now"].get("median_ms"):
            row["before_ms"] = orc["before"]["median_ms"]  # the earlier text (tests/oracles), plain pyoxigraph
            row["materialised"] = orc["before"]["median_ms"] / orc["now"]["median_ms"]
            materialised.append(row["materialised"])
        per[name] = row
    medians = [row["ours_ms"] for row in per.values() if row["ours_ms"] is not None]
    over = sorted(n for n, row in per.items() if (row.get("overhead") or 0) > targets["overhead_max"])
    return {
        "queries": per,
        "speedup_geomean": _geomean(speedups),
        "overhead_geomean": _geomean(overheads),
        "overhead_max": max(overheads) if overheads else None,
        "materialised_geomean": _geomean(materialised),
        "slowest_query_ms": max(medians) if medians else None,
        "queries_over_overhead_max": over,
        "no_rows": sorted(n for n, row in per.items() if row.get("no_rows")),
        "endpoint": _endpoint(rec),
        "load_s": ours.get("load_s"),
        "load_peak_mb": ours.get("load_peak_mb"),
        "cold_load_s": (rec.get("cold") or {}).get("load_s"),
        "cold_peak_mb": (rec.get("cold") or {}).get("peak_mb"),
        "build_peak_mb": (rec.get("build") or {}).get("peak_mb"),
        "serve_cold": rec.get("serve_cold") or {},
        "serve_warm": rec.get("serve_warm") or {},
    }


def summarise(result: dict[str, Any]) -> dict[str, Any]:
    """Ratios per size, and each target checked (at 1M where measured, else at the largest size)."""
    targets = result["targets"]
    sizes = {size: summarise_size(rec, targets) for size, rec in result["sizes"].items()}
    out: dict[str, Any] = {"sizes": sizes, "targets": {}}
    by_n = sorted(result["sizes"], key=lambda s: result["sizes"][s]["target_triples"])
    at = "1M" if "1M" in sizes else (by_n[-1] if by_n else None)
    checks = out["targets"]
    if at:
        s = sizes[at]

        def check(name: str, value: float | None, ok: bool | None) -> None:
            checks[name] = {"at": at, "value": value, "target": targets.get(name.split(" ")[0]),
                            "met": ok}

        check("load_s (prebuilt dump)", s["load_s"], s["load_s"] is not None and s["load_s"] <= targets["load_s"])
        check("load_s (cold, from YAML)", s["cold_load_s"],
              s["cold_load_s"] is not None and s["cold_load_s"] <= targets["load_s"])
        check("peak_mb (prebuilt dump)", s["load_peak_mb"],
              s["load_peak_mb"] is not None and s["load_peak_mb"] <= targets["peak_mb"])
        check("peak_mb (cold, from YAML)", s["cold_peak_mb"],
              s["cold_peak_mb"] is not None and s["cold_peak_mb"] <= targets["peak_mb"])
        check("overhead_max (slowest query vs raw pyoxigraph)", s["overhead_max"],
              None if s["overhead_max"] is None else s["overhead_max"] <= targets["overhead_max"])
        check("speedup (geomean vs rdflib)", s["speedup_geomean"],
              None if s["speedup_geomean"] is None else s["speedup_geomean"] >= targets["speedup"])
        check("overhead (geomean vs raw pyoxigraph)", s["overhead_geomean"],
              None if s["overhead_geomean"] is None else s["overhead_geomean"] <= targets["overhead"])
        check("build_peak_mb (build from YAML, no SHACL)", s["build_peak_mb"],
              None if s["build_peak_mb"] is None else s["build_peak_mb"] <= targets["build_peak_mb"])
        first, tree = s["serve_cold"].get("first_answer_s"), s["serve_cold"].get("tree_pss_peak_mb")
        check("serve_cold_s (serve from YAML to its first answer)", first,
              None if first is None else first <= targets["serve_cold_s"])
        check("serve_tree_mb (serve from YAML, whole process tree)", tree,
              None if tree is None else tree <= targets["serve_tree_mb"])
        for name, value in _endpoint_checks(s["endpoint"]):
            check(name, value, _met(name.split(" ")[0], value, targets))
    real = result.get("real")
    if real:
        ep = _endpoint(real)
        for name, value in _endpoint_checks(ep):
            key = name.split(" ")[0]
            checks[name + " [real]"] = {"at": "real", "value": value, "target": targets[key],
                                        "met": _met(key, value, targets)}
        bv = real.get("build_validate_s")
        checks["real_build_validate_s"] = {"at": "real", "value": bv, "target": targets["real_build_validate_s"],
                                           "met": bv is not None and bv <= targets["real_build_validate_s"]}
        checks["help_s"] = {"at": "real", "value": real.get("help_s"), "target": targets["help_s"],
                            "met": (real.get("help_s") or 99) <= targets["help_s"]}
        qps = ep.get("ours_16")
        checks["endpoint_qps"] = {"at": "real", "value": qps, "target": targets["endpoint_qps"],
                                  "met": None if qps is None else qps >= targets["endpoint_qps"]}
    return out


def _endpoint(rec: dict[str, Any]) -> dict[str, Any]:
    """The endpoint's figures of one size (or the real data): ASK rate against Oxigraph server, starvation."""
    ep, st = rec.get("endpoint") or {}, rec.get("starvation") or {}
    by = ep.get("by_connections") or {}
    sixteen = by.get("16") or {}
    return {"ours_16": (sixteen.get("ours") or {}).get("median"),
            "oxigraph_16": (sixteen.get("oxigraph") or {}).get("median"),
            "vs_oxigraph_16": sixteen.get("ratio"), "ours_4_over_1": ep.get("ours_4_over_1"),
            "by_connections": by, "starved_p95_ms": (st.get("beside_heavy_page") or {}).get("p95_ms"),
            "alone_p95_ms": (st.get("alone") or {}).get("p95_ms"), "heavy_pages_per_s": st.get("heavy_pages_per_s"),
            "error": ep.get("error") or st.get("error")}


def _met(key: str, value: float | None, targets: dict[str, float]) -> bool | None:
    """Whether an endpoint figure meets its target: at most (starvation), above (rising), at least (rest)."""
    if value is None:
        return None
    if key == "starved_p95_ms":
        return value <= targets[key]
    if key == "rising":
        return value > targets[key]
    return value >= targets[key]


def _endpoint_checks(ep: dict[str, Any]) -> list[tuple[str, float | None]]:
    return [("vs_oxigraph (ASK, 16 connections, ours/Oxigraph server)", ep.get("vs_oxigraph_16")),
            ("rising (ours, 4 connections / 1)", ep.get("ours_4_over_1")),
            ("starved_p95_ms (cheap ASK beside the heaviest page)", ep.get("starved_p95_ms"))]


def _f(v: Any, unit: str = "", digits: int = 1) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:,.{digits}f}{unit}"
    return f"{v}{unit}"


def print_report(result: dict[str, Any]) -> None:
    m = result["machine"]
    print(f"\nmachine: {m['cpus']} × {m['cpu_model']}, {m['memory_gb']} GB, Python {m['python']}, "
          f"pyoxigraph {m['libraries'].get('pyoxigraph')}, rdflib {m['libraries'].get('rdflib')}, "
          f"commit {m['commit']}")
    if m.get("speed"):
        print(f"machine speed: Python loop {m['speed']['python_loop_s']} s, "
              f"Oxigraph join {m['speed']['oxigraph_join_us']} µs per solution, load "
              f"{m['speed'].get('oxigraph_load_us')} µs per quad (benchmarks/calibrate.py)"
              + (f"; at the end: {m['speed_at_end']}" if m.get("speed_at_end") else ""))
    summary = result["summary"]
    for size, rec in result["sizes"].items():
        s = summary["sizes"][size]
        b, ox, rdf, raw = (rec.get(k) or {} for k in ("build", "oxigraph", "rdflib", "raw"))
        shape = rec.get("shape") or {}
        print(f"\n== {size} ({shape.get('profile', 'dense')} profile: {shape.get('editions', 'n/a')} editions, "
              f"{shape.get('people', 'n/a')} people): {b.get('data_quads', 'n/a')} data quads + "
              f"{b.get('derived_quads', 'n/a')} derived + {b.get('display_quads', 'n/a')} display "
              f"({ox.get('quads', 'n/a')} in the store)")
        print(f"  build (YAML → dumps, no SHACL) {_f(b.get('build_s'), ' s', 2)} / {_f(b.get('peak_mb'), ' MB', 0)}"
              f" peak  [YAML read {_f(b.get('yaml_to_quads_s'), ' s', 2)}, quads + derive + sort + write "
              f"{_f(b.get('derive_sort_and_write_s'), ' s', 2)}]")
        for kind in ("serve_cold", "serve_warm"):
            sv = s[kind]
            what = "from the YAML" if kind == "serve_cold" else "from the prebuilt dump"
            err = f" ({sv['error']})" if sv.get("error") else ""
            print(f"  serve {what}: first answer {_f(sv.get('first_answer_s'), ' s', 1)}, process tree "
                  f"{_f(sv.get('tree_pss_peak_mb'), ' MB', 0)} PSS at most ({_f(sv.get('tree_pss_after_mb'), ' MB', 0)}"
                  f" once answering, {_f(sv.get('tree_pss_after_scans_mb'), ' MB', 0)} after full scans; "
                  f"{sv.get('processes', 'n/a')} processes){err}")
        print(f"  SHACL {_f((rec.get('shacl') or {}).get('shacl_s'), ' s', 2)}   "
              f"load cold (YAML) {_f(s['cold_load_s'], ' s', 2)} / {_f(s['cold_peak_mb'], ' MB', 0)} peak"
              f" (the child reading the YAML: {_f((rec.get('cold') or {}).get('child_peak_mb'), ' MB', 0)})")
        print(f"  load from prebuilt dump: ours {_f(ox.get('load_s'), ' s', 2)} / "
              f"{_f(ox.get('load_peak_mb'), ' MB', 0)}"
              f"   raw pyoxigraph {_f(raw.get('load_s'), ' s', 2)} / {_f(raw.get('load_peak_mb'), ' MB', 0)}"
              f" (validating parser {_f(raw.get('load_strict_s'), ' s', 2)})"
              f"   rdflib {_f(rdf.get('load_s'), ' s', 2)} / {_f(rdf.get('load_peak_mb'), ' MB', 0)}")
        disk = rec.get("disk") or {}
        print(f"  on-disk store: fill {_f(disk.get('fill_s'), ' s', 2)}, reopen {_f(disk.get('reopen_s'), ' s', 3)}"
              f"   peak memory: ours {_f(ox.get('peak_mb'), ' MB', 0)}, rdflib {_f(rdf.get('peak_mb'), ' MB', 0)}")
        print(f"  {'query':32} {'ours med':>9} {'min–max':>13} {'raw':>8} {'ovh':>5} {'rdflib':>10} {'speed-up':>9}"
              f" {'before':>9} {'gain':>6}")
        for name, row in s["queries"].items():
            rd = _f(row.get("rdflib_ms"), "", 1) + (">" if row.get("rdflib_timeout") else "")
            sp = _f(row.get("speedup"), "×", 0) if row.get("speedup") else "n/a"
            spread = f"{_f(row.get('ours_min_ms'), '', 1)}–{_f(row.get('ours_max_ms'), '', 1)}"
            note = "  no rows: left out of the means" if row.get("no_rows") else ""
            print(f"  {name:32} {_f(row['ours_ms'], '', 1):>9} {spread:>13} "
                  f"{_f(row['raw_ms'], '', 1):>8} {_f(row.get('overhead'), '', 2):>5} {rd:>10} {sp:>9}"
                  f" {_f(row.get('before_ms'), '', 1):>9} {_f(row.get('materialised'), '×', 1):>6}{note}")
        print(f"  geomean speed-up over rdflib {_f(s['speedup_geomean'], '×', 1)}; overhead over raw pyoxigraph "
              f"geomean {_f(s['overhead_geomean'], '×', 2)}, max {_f(s['overhead_max'], '×', 2)} (ms; ovh = ours/raw)")
        print(f"  before = the query's earlier text (tests/oracles: joins and label tiers at query time), plain "
              f"pyoxigraph; gain = before/now, geomean {_f(s.get('materialised_geomean'), '×', 1)}")
        views = (rec.get("views") or {}).get("views")
        if views:
            print("  views (HTML): " + ", ".join(
                f"{p} {_f(v.get('median_ms'), ' ms', 0)}" if "median_ms" in v else f"{p} {v.get('error', 'n/a')[:60]}"
                for p, v in views.items()))
        else:
            print("  views: n/a")
        rel = rec.get("release") or {}
        print(f"  release bundle (no SHACL): {_f(rel.get('release_s'), ' s', 1)} / {_f(rel.get('peak_mb'), ' MB', 0)}"
              f" peak, {rel.get('files', 'n/a')} files, {_f((rel.get('bytes') or 0) / 1e6 or None, ' MB', 0)}"
              + (f" ({rel['error']})" if rel.get("error") else ""))
        print("  " + _endpoint_line(s["endpoint"]))
    real = result.get("real")
    if real:
        print(f"\n== real dataset: --help {_f(real.get('help_s'), ' s', 3)}, build + validate "
              f"{_f(real.get('build_validate_s'), ' s', 2)} (exit {real.get('build_validate_exit')}), "
              f"query start-up {_f(real.get('query_startup_prebuilt_s'), ' s', 3)} prebuilt / "
              f"{_f(real.get('query_startup_cold_s'), ' s', 3)} cold")
        print("  " + _endpoint_line(_endpoint(real)))
    print("\ntargets:")
    for name, c in summary["targets"].items():
        mark = {True: "met ", False: "MISS", None: "n/a "}[c["met"]]
        print(f"  {mark} {name:40} {_f(c['value'], '', 2):>10}  (target {c['target']}, at {c['at']})")


def _endpoint_line(ep: dict[str, Any]) -> str:
    if ep.get("error"):
        return f"endpoint: {ep['error']}"
    rates = "; ".join(f"{c} conn. {_f((v.get('ours') or {}).get('median'), '', 0)} vs "
                      f"{_f((v.get('oxigraph') or {}).get('median'), '', 0)} ({_f(v.get('ratio'), '×', 2)})"
                      for c, v in (ep.get("by_connections") or {}).items())
    return (f"endpoint, ASK requests/s ours vs Oxigraph server: {rates or 'n/a'}; a cheap ASK's p95 "
            f"{_f(ep.get('alone_p95_ms'), ' ms', 2)} alone, {_f(ep.get('starved_p95_ms'), ' ms', 2)} beside "
            f"{_f(ep.get('heavy_pages_per_s'), '', 0)} heaviest pages/s")
