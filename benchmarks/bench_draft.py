"""How well ``culturegraph draft`` reads announcements: precision and recall per field.

The articles in ``benchmarks/draft_eval/articles/`` were written for this evaluation (own sentences, in
Indonesian, Korean, English and Japanese, in the style of real announcements) about events the curated data
already holds; ``benchmarks/draft_eval/expected/`` lists, per article, exactly the facts it states, as data
ids (``check_expected.py`` verifies them against the graph). Each article is drafted and every field scored
against its expected facts, micro-averaged over the articles:

- **dates** — the start and the end day; **places** — host city, host country, venue;
- **organisations**, **people** — the records the article names, linked; **roles** — (record, role) pairs;
- **sessions** — the session titles (compared squashed: case, spacing and punctuation ignored);
- **ordinal**, **event** (the edition linked or proposed), **series**, **language** (identified).

Aims (issue 30): precision ≥ 0.9 on every field, recall ≥ 0.8 on dates, places and organisations.

    python -m benchmarks.bench_draft [--json FILE] [--show NAME]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EVAL = HERE / "draft_eval"
FIELDS = ("dates", "places", "organisations", "people", "roles", "sessions", "ordinal", "event", "series",
          "language")
AIMS = {"precision": {f: 0.9 for f in FIELDS}, "recall": {"dates": 0.8, "places": 0.8, "organisations": 0.8}}


def _squash(s: str) -> str:
    from culturegraph.draft.linker import squash

    return squash(s)[0]


def expected_facts(exp: dict[str, Any]) -> dict[str, set[tuple[Any, ...]]]:
    """An expected file as sets of facts per field."""
    out: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    for key in ("start", "end"):
        if exp.get(key):
            out["dates"].add((key, str(exp[key])))
    for key in ("city", "country", "venue"):
        if exp.get(key):
            out["places"].add((key, exp[key]))
    for kind in ("organisations", "people"):
        for item in exp.get(kind) or []:
            out[kind].add((item["id"],))
            if item.get("role"):
                out["roles"].add((item["id"], item["role"]))
    for title in exp.get("sessions") or []:
        out["sessions"].add((_squash(str(title)),))
    for key in ("ordinal", "event", "series", "language"):
        if exp.get(key) is not None:
            out[key].add((exp[key],))
    return out


def drafted_facts(d: Any) -> dict[str, set[tuple[Any, ...]]]:
    """A :class:`culturegraph.draft.Draft` as sets of facts per field."""
    out: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    if d.start:
        out["dates"].add(("start", d.start.isoformat()))
    if d.end:
        out["dates"].add(("end", d.end.isoformat()))
    for key, link in (("city", d.city), ("country", d.country), ("venue", d.venue)):
        if link:
            out["places"].add((key, link.id))
    for kind, links in (("organisations", d.organisations), ("people", d.people)):
        for x in links:
            out[kind].add((x.id,))
            if x.role:
                out["roles"].add((x.id, x.role))
    for title in d.sessions:
        out["sessions"].add((_squash(title),))
    if d.ordinal:
        out["ordinal"].add((d.ordinal[0],))
    if d.event:
        out["event"].add((d.event,))
    if d.series:
        out["series"].add((d.series.id,))
    out["language"].add((d.article.language,))
    return out


def evaluate(show: str | None = None) -> dict[str, Any]:
    """Draft every article and score it; the per-field totals and the per-article misses."""
    from culturegraph.api import CultureGraph
    from culturegraph.draft import DraftError, draft_article

    cg = CultureGraph(ROOT)
    totals = {f: {"tp": 0, "drafted": 0, "expected": 0} for f in FIELDS}
    articles: dict[str, Any] = {}
    for path in sorted((EVAL / "expected").glob("*.yaml")):
        exp = yaml.safe_load(path.read_text(encoding="utf-8"))
        want = expected_facts(exp)
        try:
            d = draft_article(cg, EVAL / "articles" / exp["article"])
            got = drafted_facts(d)
            error = None
        except DraftError as exc:
            got, error = defaultdict(set), str(exc)
        if show and show in path.stem:
            print(d.to_yaml() if error is None else error)
        misses: dict[str, Any] = {}
        for f in FIELDS:
            tp = len(got[f] & want[f])
            totals[f]["tp"] += tp
            totals[f]["drafted"] += len(got[f])
            totals[f]["expected"] += len(want[f])
            if got[f] != want[f]:
                misses[f] = {"wrong": sorted(map(list, got[f] - want[f])),
                             "missed": sorted(map(list, want[f] - got[f]))}
        articles[path.stem] = {"language": exp.get("language"), "error": error, "misses": misses}
    scores = {f: {"precision": t["tp"] / t["drafted"] if t["drafted"] else None,
                  "recall": t["tp"] / t["expected"] if t["expected"] else None, **t} for f, t in totals.items()}
    met = all((scores[f][k] is None or scores[f][k] >= aim) for k, aims in AIMS.items() for f, aim in aims.items())
    return {"articles": articles, "scores": scores, "aims": AIMS, "aims_met": met}


def _pct(v: float | None) -> str:
    return "  n/a" if v is None else f"{v:5.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", type=Path, help="also write the result as JSON here")
    ap.add_argument("--show", help="print the draft of the articles whose name contains this")
    args = ap.parse_args(argv)
    result = evaluate(args.show)
    print(f"{len(result['articles'])} articles")
    print(f"{'field':14} {'precision':>9} {'recall':>7} {'drafted':>8} {'expected':>9}")
    for f, s in result["scores"].items():
        print(f"{f:14} {_pct(s['precision']):>9} {_pct(s['recall']):>7} {s['drafted']:8} {s['expected']:9}")
    for name, a in result["articles"].items():
        if a["error"] or a["misses"]:
            print(f"- {name}: {a['error'] or ''}" + "".join(
                f"\n    {f}: wrong {m['wrong']} missed {m['missed']}" for f, m in a["misses"].items()))
    print("aims met" if result["aims_met"] else "aims NOT met (precision ≥ 0.9 everywhere; recall ≥ 0.8 on dates, "
          "places, organisations)")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0 if result["aims_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
