"""The benchmark runner works end to end at the smallest size (figures are not checked: noisy machines)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_runner_at_10k(tmp_path: Path) -> None:
    res = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--sizes", "10k", "--repeat", "1", "--endpoint-seconds", "1",
         "--no-real", "--out", str(tmp_path / "results"), "--work", str(tmp_path / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=240, check=False)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "targets:" in res.stdout and "speed-up" in res.stdout
    (saved,) = (tmp_path / "results").glob("bench-*.json")
    record = json.loads(saved.read_text(encoding="utf-8"))
    assert record["machine"]["cpus"] and record["machine"]["libraries"]["pyoxigraph"]
    size = record["sizes"]["10k"]
    for job in ("build", "cold", "oxigraph", "oracles", "raw", "disk", "rdflib", "shacl", "release"):
        assert "error" not in size[job], (job, size[job])
    named = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    assert sorted(size["oxigraph"]["queries"]) == named
    assert sorted(size["rdflib"]["queries"]) == named
    assert size["build"]["derived_quads"] > 0 and size["build"]["display_quads"] > 0
    assert size["oxigraph"]["from_dump"] is True
    assert size["raw"]["quads"] == size["oxigraph"]["quads"] and size["raw"]["load_strict_s"] > 0
    oracles = sorted(p.stem for p in (ROOT / "tests" / "oracles").glob("*.rq"))
    assert sorted(size["oracles"]["queries"]) == oracles
    speed = record["machine"]["speed"]
    assert set(speed) == {"python_loop_s", "oxigraph_join_us", "oxigraph_load_us"} and all(speed.values())
    assert set(record["machine"]["speed_at_end"]) == set(speed)
    assert size["release"]["files"] >= 20 and size["release"]["bytes"] > 0
    # the endpoint against Oxigraph's own server (wrk, alternating) and beside the heaviest page
    versus = size["endpoint"]["by_connections"]
    assert set(versus) == {"1", "4", "16"} and all(v["ours"]["median"] > 0 and v["ratio"] > 0 for v in versus.values())
    assert size["starvation"]["beside_heavy_page"]["requests"] > 0 and size["starvation"]["heavy_pages_per_s"] > 0
    summary = record["summary"]["sizes"]["10k"]
    for row in summary["queries"].values():  # an empty answer is marked and left out of the means
        assert bool(row.get("no_rows")) == (row["rows"] == 0)
    assert "vs_oxigraph (ASK, 16 connections, ours/Oxigraph server)" in record["summary"]["targets"]
    summary = record["summary"]["sizes"]["10k"]
    assert summary["speedup_geomean"] > 1 and summary["overhead_geomean"] > 0
    assert summary["materialised_geomean"] > 0


@pytest.mark.slow
def test_load_benchmark_small(tmp_path: Path) -> None:
    """``python -m benchmarks.load`` with few requests: every status as it must be, workers back after the
    timeouts, no process left behind."""
    res = subprocess.run([sys.executable, "-m", "benchmarks.load", "--mixed", "120", "--timeouts", "8",
                          "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    (saved,) = tmp_path.glob("load-*.json")
    record = json.loads(saved.read_text(encoding="utf-8"))
    assert record["ok"] and record["mixed"]["unexpected"] == 0 and record["timeouts"]["unexpected"] == 0
    assert set(record["mixed"]["statuses"]) >= {"200", "400", "403", "404"}
    assert record["processes"]["left_after_stop"] == [] and record["recovery"]["workers_after"] == 2


def test_draft_evaluation_set_agrees_with_the_data() -> None:
    """Every fact the evaluation articles are scored against is in the curated data (and in the article)."""
    from benchmarks.draft_eval.check_expected import main

    assert main([]) == 0


def test_draft_evaluation_meets_the_issues_aims() -> None:
    """The drafter on the 16 evaluation articles: precision ≥ 0.9 on every field, recall ≥ 0.8 on dates,
    places and organisations (benchmarks/bench_draft.py; the numbers are in benchmarks/README.md)."""
    from benchmarks.bench_draft import evaluate

    result = evaluate()
    assert len(result["articles"]) == 16
    assert not [name for name, a in result["articles"].items() if a["error"]]
    assert result["aims_met"], {f: (s["precision"], s["recall"]) for f, s in result["scores"].items()}
