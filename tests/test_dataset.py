"""The curated dataset: traceable, honest about doubt and disagreement, linked only where verified."""

from __future__ import annotations

import csv
from collections import Counter

from rdflib import URIRef

from culturegraph.namespaces import CG, DCTERMS, OWL, RDF, RDFS

from .conftest import FIXTURES, ROOT

SHARED_CSV = ROOT.parent / "shared" / "research" / "wikidata_ids.csv"


def verified_qids() -> dict[str, str]:
    rows = list(csv.DictReader((FIXTURES / "wikidata_ids.csv").open(encoding="utf-8")))
    return {r["qid"]: r["entity"] for r in rows if r["qid"] and r["confidence"] in ("high", "medium")}


def test_fixture_copy_matches_research_list() -> None:
    if SHARED_CSV.exists():
        assert (FIXTURES / "wikidata_ids.csv").read_bytes() == SHARED_CSV.read_bytes()


def test_every_described_subject_cites_a_source(cg) -> None:
    quads = cg.loaded.quads
    sourced = {q[0] for q in quads if q[1] == DCTERMS.source}
    types = {}
    for q in quads:
        if q[1] == RDF.type:
            types.setdefault(q[0], set()).add(q[2])
    claim_subject = {q[0]: q[2] for q in quads if q[1] == RDF.subject}
    unsourced = []
    for s in {q[0] for q in quads}:
        t = types.get(s, set())
        if CG.Source in t or s in sourced:
            continue
        if CG.Claim in t and claim_subject.get(s) in sourced:
            continue  # a claim that only flags confidence inherits its record's sources
        unsourced.append(s)
    assert not unsourced, sorted(map(str, unsourced))[:20]


def test_same_as_only_to_verified_wikidata_ids(cg) -> None:
    allowed = verified_qids()
    every = [(q[0], q[2]) for q in cg.loaded.quads if q[1] == OWL.sameAs]
    # a record may also be owl:sameAs another record of the data (the same meeting curated twice)
    records = {str(cg.loaded.iri(r)) for r in cg.loaded.records}
    links = [(s, o) for s, o in every if str(o) not in records]
    assert all(str(s) in records for s, _ in every)
    assert links, "the verified countries and cities should be linked"
    for s, o in links:
        qid = str(o).rsplit("/", 1)[-1]
        assert str(o) == f"http://www.wikidata.org/entity/{qid}"
        assert qid in allowed, (s, o)
    per_qid = Counter(str(o) for _, o in set(links))
    assert max(per_qid.values()) == 1, "two nodes sameAs one Wikidata item would make them the same"
    singapore = [s for s, o in links if str(o).endswith("/Q334")]
    assert singapore == [URIRef(cg.settings.base_iri + "id/country/sg")]


def test_low_confidence_is_flagged_and_queryable(cg) -> None:
    res = cg.query("SELECT (COUNT(*) AS ?n) WHERE { ?x cg:confidence cg:Low }")
    assert int(res.rows[0][0]) > 0


def test_conflicts_keep_readings_with_sources(cg) -> None:
    res = cg.query("""
        SELECT ?c (COUNT(DISTINCT ?r) AS ?readings) (COUNT(DISTINCT ?src) AS ?sources) WHERE {
          ?c a cg:Conflict ; cg:reading ?r . ?r dcterms:source ?src } GROUP BY ?c""")
    assert len(res.rows) >= 10
    for c, readings, _sources in res.rows:
        assert int(readings) >= 2, c


def test_seven_forum_events_and_label_languages(cg) -> None:
    stats = cg.stats()
    assert stats["events"] == 7
    assert stats["editions"] == 6 and stats["precursor events"] == 1
    for lang in ("en", "ko", "id", "ja", "vi"):
        assert stats["label languages"].get(lang, 0) > 0, lang


def test_every_english_label_exists_except_unattested_names(cg) -> None:
    res = cg.query("""
        SELECT ?s WHERE {
          ?s a ?c . VALUES ?c { cg:ForumEvent cg:Session cg:RelatedEvent cg:Country cg:City cg:Venue
                                cg:Theme cg:Programme cg:Agreement cg:ForumSeries cg:Conflict }
          FILTER NOT EXISTS { ?s rdfs:label ?l FILTER(LANG(?l) = "en") } }""")
    assert res.rows == []


def test_all_asean_members_timor_leste_and_korea_with_iso_codes(cg) -> None:
    res = cg.query("SELECT ?a2 ?a3 WHERE { ?c a cg:Country ; cg:isoAlpha2 ?a2 ; cg:isoAlpha3 ?a3 }")
    codes = {str(r[0]): str(r[1]) for r in res.rows}
    expected = {r["iso_alpha2"]: r["iso_alpha3"] for r in csv.DictReader(
        (FIXTURES / "wikidata_ids.csv").open(encoding="utf-8")) if r["kind"] == "country"}
    assert len(expected) == 12
    for a2, a3 in expected.items():
        assert codes.get(a2) == a3, a2


def test_hangul_names_are_tagged_ko(cg) -> None:
    for s, p, o, _g in cg.loaded.quads:
        if p == RDFS.label and any("\uac00" <= ch <= "\ud7a3" for ch in str(o)):
            assert o.language in ("ko", None) or o.language.startswith("ko"), (s, o)

