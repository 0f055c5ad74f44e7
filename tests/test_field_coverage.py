"""Both field fact sheets are in the graph: every record (or a reasoned entry in tests/data/field-map/), every
source page, every conflict with all its readings."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from culturegraph.api import CultureGraph

from .conftest import FIXTURES, ROOT

RESEARCH = ROOT.parent / "shared" / "research"
SHEETS = ("facts-field-policy.yaml", "facts-field-institutions.yaml")
NOT_RECORDS = {"sources", "conflicts", "gaps"}

pytestmark = pytest.mark.skipif(not RESEARCH.is_dir(), reason="the research sheets (../shared/research) are absent")


def sheet(name: str) -> dict:
    return yaml.safe_load((RESEARCH / name).read_text(encoding="utf-8"))


def field_map() -> dict[str, dict]:
    out: dict[str, dict] = {}
    for path in sorted((FIXTURES / "field-map").glob("*.yaml")):
        for sid, entry in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            assert isinstance(entry, dict) and ({"merged_into", "excluded"} & set(entry)), (path, sid)
            out.setdefault(sid, entry)
    return out


def test_every_sheet_record_has_its_counterpart(cg: CultureGraph) -> None:
    records = cg.loaded.records
    mapping = field_map()
    missing, bad = [], []
    for name in SHEETS:
        for section, items in sheet(name).items():
            if section in NOT_RECORDS:
                continue
            for item in items:
                sid = item["id"]
                if sid in records and records[sid].kind.name != "source":
                    continue
                entry = mapping.get(sid)
                if entry is None:
                    missing.append(f"{name}:{section}:{sid}")
                elif "merged_into" in entry and entry["merged_into"] not in records:
                    bad.append(f"{sid} → {entry['merged_into']} (no such record)")
                elif "excluded" in entry and len(str(entry["excluded"]).split()) < 5:
                    bad.append(f"{sid}: an exclusion needs its reason")
    assert not missing, f"{len(missing)} sheet records have no counterpart: {missing}"
    assert not bad, bad


def test_every_sheet_source_page_is_a_source_record(cg: CultureGraph) -> None:
    urls = {str(u) for u in cg.query("SELECT ?u WHERE { ?s a cg:Source ; schema:url ?u }").column("u")}
    missing = [f"{name}:{s['id']}" for name in SHEETS for s in sheet(name)["sources"]
               if str(s["url"]).strip() not in urls]
    assert not missing, missing


def test_every_sheet_conflict_is_kept_with_all_its_readings(cg: CultureGraph) -> None:
    """A sheet conflict is kept when one conflict of the data has, for each of the sheet's readings, a
    reading that cites at least one of that reading's pages."""
    url_of = {s["id"]: str(s["url"]).strip() for name in SHEETS for s in sheet(name)["sources"]}
    rows = cg.query("""SELECT ?c ?r ?u WHERE { ?c a cg:Conflict ; cg:reading ?r .
                       ?r dcterms:source ?s . ?s schema:url ?u }""").rows
    conflicts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for c, r, u in rows:
        conflicts[str(c)][str(r)].add(str(u))
    lost = []
    for name in SHEETS:
        for conflict in sheet(name)["conflicts"]:
            wanted = [{url_of[s] for s in reading["sources"]} for reading in conflict["readings"]]
            kept = any(all(any(w & urls for urls in readings.values()) for w in wanted)
                       and len(readings) >= len(wanted) for readings in conflicts.values())
            if not kept:
                lost.append(f"{name}: {conflict['about']}")
    assert not lost, f"{len(lost)} sheet conflicts are not kept with all readings: {lost}"


def test_the_field_map_names_only_sheet_ids() -> None:
    ids = {item["id"] for name in SHEETS for section, items in sheet(name).items()
           if section not in NOT_RECORDS for item in items}
    stray = sorted(set(field_map()) - ids)
    assert not stray, f"tests/data/field-map/ names ids no sheet has: {stray}"


def test_field_map_files_are_yaml_mappings() -> None:
    for path in sorted(Path(FIXTURES / "field-map").glob("*.yaml")):
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")) or {}, dict), path
