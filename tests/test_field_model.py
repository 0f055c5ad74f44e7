"""The field's model (issue 27) on a small project: every new kind loads into the triples its docs promise,
and every new kind of mistake gets one located message."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from culturegraph.api import CultureGraph
from culturegraph.errors import DataError
from culturegraph.namespaces import CG, ORG, RDF, SCHEMA

FIELD = """\
countries:
  - id: kr
    name: {en: Republic of Korea}
    iso_alpha2: KR
    iso_alpha3: KOR
    sources: [cityweekly-2025-11-08]
  - id: tl
    name: {en: Timor-Leste}
    iso_alpha2: TL
    iso_alpha3: TLS
    asean_member: true
    asean_member_since: 2025-10-26
    sources: [cityweekly-2025-11-08]
cities:
  - id: busan
    name: {en: Busan}
    country: kr
    sources: [cityweekly-2025-11-08]
venues:
  - id: hall
    name: {en: Example Hall}
    city: busan
    organisation: centre
    sources: [cityweekly-2025-11-08]
people:
  - id: first-head
    name: {en: First Head}
    sources: [cityweekly-2025-11-08]
  - id: second-head
    name: {ko: 둘째}
    sources: [cityweekly-2025-11-08]
organisations:
  - id: centre
    name: {en: Example Centre}
    premises: [hall]
    leaders:
      - {who: first-head, position: {en: Secretary-General}, ordinal: 1, start: 2009-03-13, end: 2012}
      - who: second-head
        position: {en: Secretary-General}
        ordinal: 2
        start:
          value: 2012-02
          sources: [cityweekly-2025-11-08]
          alternatives: [{value: 2012-03, sources: [sportsworldi-20251104]}]
        confidence: low
    sources: [cityweekly-2025-11-08]
funds:
  - id: fund
    name: {en: Example Fund}
    founded: 1990
    managed_by: [centre]
    contributors: [kr]
    sources: [cityweekly-2025-11-08]
series:
  - id: meetings
    name: {en: Example ministers' meetings}
    kind: ministerial-meeting
    run_by: [centre]
    funded_by: [fund]
    started: 2014
    sources: [cityweekly-2025-11-08]
editions:
  - id: meeting-3
    name: {en: 3rd Example Meeting}
    series: meetings
    ordinal: 3
    start: 2018-10-24
    host_city: busan
    host_country: kr
    participants:
      - {who: kr, role: chair}
      - {who: first-head, role: head-of-delegation, affiliation: centre}
    sources: [cityweekly-2025-11-08]
  - id: meeting-special
    name: {en: Special Example Meeting}
    series: meetings
    start: 2019
    occasion: year-2017
    sources: [cityweekly-2025-11-08]
agreements:
  - id: plan
    name: {en: Example Work Plan 2015-2018}
    kind: work-plan
    adopted_at: meeting-3
    start: 2015
    end: 2018
    parties: [centre, kr]
    sources: [cityweekly-2025-11-08]
events:
  - id: side
    name: {en: Example side event}
    kind: ceremony
    edition: meeting-3
    country: kr
    occasion: year-2017
    sources: [cityweekly-2025-11-08]
designated_years:
  - id: year-2017
    name: {en: Example Exchange Year}
    start: 2017
    countries: [kr, tl]
    designated_at: meeting-3
    sources: [cityweekly-2025-11-08]
sites:
  - id: temple
    name: {en: Example Temple}
    country: kr
    city: busan
    sources: [cityweekly-2025-11-08]
  - id: shrine
    name: {en: Example Shrine}
    country: kr
    part_of: temple
    sources: [cityweekly-2025-11-08]
projects:
  - id: restoration
    name: {en: Example Restoration}
    kind: heritage-restoration
    start: 2013
    end: 2025
    countries: [kr]
    sites: [shrine]
    funded_by: [fund]
    implemented_by: [centre]
    participants: [{who: fund, role: funder}]
    sources: [cityweekly-2025-11-08]
  - id: restoration-phase-1
    name: {en: "Example Restoration, phase 1"}
    phase_of: restoration
    ordinal: 1
    start: 2013
    end: 2018
    sources: [cityweekly-2025-11-08]
"""


@pytest.fixture()
def field(mini: Path) -> Path:
    # the mini fixture has its own Singapore records; the field file adds the rest
    (mini / "data" / "field.yaml").write_text(FIELD, encoding="utf-8")
    return mini


def test_every_new_kind_becomes_the_documented_triples(field: Path) -> None:
    cg = CultureGraph(field)
    assert cg.validate().conforms, cg.validate().text
    i = cg.iri
    g = cg.graph

    def has(s: URIRef, p: URIRef, o: object) -> bool:
        return (s, p, o if isinstance(o, (URIRef, Literal)) else Literal(o)) in g

    # a series of another kind: cg:Series (a cg:Programme by the ontology), never a forum series
    assert has(i("meetings"), RDF.type, CG.Series) and not has(i("meetings"), RDF.type, CG.ForumSeries)
    assert has(i("meetings"), CG.seriesKind, CG.MinisterialMeetingSeries)
    assert has(i("meetings"), CG.fundedBy, i("fund"))
    # its editions: cg:SeriesEdition, never a forum event; the forum edition is both
    assert has(i("meeting-3"), RDF.type, CG.SeriesEdition)
    assert not has(i("meeting-3"), RDF.type, CG.ForumEvent)
    assert has(i("forum-2025"), RDF.type, CG.SeriesEdition) and has(i("forum-2025"), RDF.type, CG.Edition)
    assert has(i("meeting-3"), CG.partOfSeries, i("meetings"))
    assert has(i("meeting-special"), CG.occasion, i("year-2017"))
    # a state takes part as a participant with a role
    rows = cg.query("SELECT ?e ?who ?role WHERE { ?p cg:inEvent ?e ; cg:participant ?who ; cg:role ?role }",
                    params={"e": i("meeting-3")}).rows
    assert {(str(w), str(r)) for _e, w, r in rows} == {(str(i("kr")), str(CG.Chair)),
                                                   (str(i("first-head")), str(CG.HeadOfDelegation))}
    # leaders over time
    tenures = cg.query("""SELECT ?org ?who ?n ?start ?end WHERE { ?org cg:hasTenure ?t . ?t org:member ?who ;
        org:organization ?org ; cg:ordinal ?n . OPTIONAL { ?t schema:startDate ?start }
        OPTIONAL { ?t schema:endDate ?end } } ORDER BY ?n""", params={"org": i("centre")}).rows
    assert [(str(w), int(n)) for _o, w, n, _s, _e in tenures] == [(str(i("first-head")), 1), (str(i("second-head")), 2)]
    assert str(tenures[0][3]) == "2009-03-13" and str(tenures[0][4]) == "2012"
    second = cg.query("SELECT ?who ?t WHERE { ?t org:member ?who }", params={"who": i("second-head")}).rows[0][1]
    assert has(second, CG.confidence, CG.Low)
    # the disputed start keeps both readings, the followed one asserted
    readings = cg.query("""SELECT ?t ?v ?asserted WHERE { ?c a cg:Conflict ; cg:about ?t ; cg:reading ?r .
        ?r rdf:predicate schema:startDate ; rdf:object ?v ; cg:asserted ?asserted } ORDER BY ?v""",
                        params={"t": second}).rows
    assert [(str(v), bool(a.toPython())) for _t, v, a in readings] == [("2012-02", True), ("2012-03", False)]
    # premises both ways; the venue says whose it is
    assert has(i("centre"), ORG.hasSite, i("hall")) and has(i("hall"), ORG.siteOf, i("centre"))
    # fund, project and its phase, site within a site
    assert has(i("fund"), RDF.type, CG.Fund) and has(i("fund"), CG.contributor, i("kr"))
    assert has(i("restoration"), CG.site, i("shrine")) and has(i("restoration"), CG.implementedBy, i("centre"))
    assert has(i("restoration-phase-1"), CG.phaseOf, i("restoration"))
    assert has(i("shrine"), SCHEMA.containedInPlace, i("temple"))
    assert has(i("temple"), RDF.type, CG.HeritageSite)
    # outcome document, designated year, membership date
    assert has(i("plan"), CG.adoptedAt, i("meeting-3")) and has(i("plan"), CG.agreementKind, CG.WorkPlan)
    assert has(i("year-2017"), CG.designatedAt, i("meeting-3"))
    assert str(g.value(i("tl"), CG.aseanMemberSince)) == "2025-10-26"
    # a plain year on every dated record
    for rid, year in (("meeting-3", 2018), ("meeting-special", 2019), ("plan", 2015), ("side", None),
                      ("year-2017", 2017), ("restoration", 2013), ("meetings", 2014), ("forum-2025", 2025)):
        got = g.value(i(rid), CG.startYear)
        assert (int(got) if got is not None else None) == year, rid


@pytest.mark.parametrize(("snippet", "message"), [
    ("editions:\n  id: x\n", "'editions' must be a list of records"),
    ("series:\n  - id: s2\n    name: {en: S}\n    sources: [cityweekly-2025-11-08]\n",
     "series 's2' is missing required key 'kind'"),
    ("series:\n  - id: s2\n    name: {en: S}\n    kind: festivl\n    sources: [cityweekly-2025-11-08]\n",
     "festivl"),
    ("editions:\n  - id: e2\n    name: {en: E}\n    series: meetings\n    start: 2019\n    precursor: true\n"
     "    sources: [cityweekly-2025-11-08]\n", "'precursor' is for the forum series"),
    ("organisations:\n  - id: o2\n    name: {en: O}\n    sources: [cityweekly-2025-11-08]\n"
     "    leaders:\n      - {who: first-head, positon: {en: Head}}\n", "unknown key 'positon' in leader"),
    ("organisations:\n  - id: o2\n    name: {en: O}\n    sources: [cityweekly-2025-11-08]\n"
     "    leaders:\n      - {who: centre}\n", "'centre' is a organisation; expected person"),
    ("organisations:\n  - id: o2\n    name: {en: O}\n    sources: [cityweekly-2025-11-08]\n"
     "    leaders:\n      - {who: first-head, start: 2015, end: 2012}\n", "end 2012 is before start 2015"),
    ("projects:\n  - id: p2\n    name: {en: P}\n    phase_of: temple\n    sources: [cityweekly-2025-11-08]\n",
     "'temple' is a site; expected project"),
    ("sites:\n  - id: s3\n    name: {en: S}\n    sources: [cityweekly-2025-11-08]\n",
     "site 's3' is missing required key 'country'"),
])
def test_field_mistakes_get_one_located_message(field: Path, snippet: str, message: str) -> None:
    bad = field / "data" / "zz-bad.yaml"
    bad.write_text(snippet, encoding="utf-8")
    with pytest.raises(DataError) as info:
        CultureGraph(field).loaded  # noqa: B018 - loading is the point
    text = str(info.value)
    assert message in text, text
    assert "zz-bad.yaml:" in text


def test_same_as_may_name_another_record(field: Path) -> None:
    """The same meeting curated twice keeps both IRIs and says they are one (owl:sameAs), and validates."""
    extra = field / "data" / "zz-same.yaml"
    extra.write_text("events:\n  - id: meeting-3-as-side-event\n    name: {en: The 3rd meeting as a side event}\n"
                     "    edition: null\n    same_as: meeting-3\n    sources: [cityweekly-2025-11-08]\n",
                     encoding="utf-8")
    cg = CultureGraph(field)
    assert cg.validate().conforms, cg.validate().text
    from culturegraph.namespaces import OWL

    assert (cg.iri("meeting-3-as-side-event"), OWL.sameAs, cg.iri("meeting-3")) in cg.graph
    extra.write_text(extra.read_text(encoding="utf-8").replace("same_as: meeting-3", "same_as: Meeting 3"),
                     encoding="utf-8")
    with pytest.raises(DataError, match="neither a Wikidata id like Q884 nor a record id"):
        CultureGraph(field).loaded  # noqa: B018
