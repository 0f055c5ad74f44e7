"""Named queries: the registry, typed parameter binding, and the competency questions answered on the
real data with the answers the public sources give (``../shared/research/*.yaml``)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal

from culturegraph.errors import NotFound, QueryError
from culturegraph.queries import inject_values, load_queries, parse_query, tokenize

from .conftest import ROOT

BASE = "https://w3id.org/culturegraph/id/"
NAMES = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
INJECTION = 'x" } ; DROP ALL ; #'


def rid(value: object) -> str | None:
    """``https://…/id/city/busan`` → ``busan`` (other values as they are)."""
    return str(value).rsplit("/", 1)[-1] if value is not None else None


def rows(cg, name: str, **params):
    lang = params.pop("lang", None)
    return cg.run_named(name, params, lang=lang).dicts()


# ---------------------------------------------------------------------------------------------- registry
def test_registry_holds_the_named_queries_and_competency_questions(cg) -> None:
    queries = cg.named_queries()
    assert [q.name for q in queries] == NAMES
    assert len(queries) >= 25
    assert sum(q.cq for q in queries) >= 20
    for q in queries:
        assert q.title and q.description, q.name
        assert q.view in ("table", "graph", "timeline", "map")
        assert q.form == "SELECT"
        assert q.file == f"queries/{q.name}.rq"


@pytest.mark.parametrize("name", NAMES)
def test_every_query_runs_on_the_real_data(cg, name: str) -> None:
    query = next(q for q in cg.named_queries() if q.name == name)
    res = cg.run_named(name)
    assert res.kind == "select" and res.rows, f"{name} returned nothing"
    assert not res.truncated
    assert not {p.name for p in query.params} & set(res.variables), "parameter columns are dropped"
    assert len(set(res.rows)) == len(res.rows), f"{name} returns duplicate rows"
    for column in ("first", "last", "year"):  # MIN/MAX over an unbound value would blank these
        if column in res.variables and name not in ("organisers-and-signatories", "programme-membership"):
            assert None not in res.column(column), f"{name}: {column} is empty on some row"
    assert len(res.dicts()) == len(res.rows)


@pytest.mark.parametrize("name", NAMES)
def test_values_binding_gives_the_same_answer_as_substitution(cg, name: str) -> None:
    """The VALUES block opening the WHERE group (how named queries are bound, locally and remotely)
    answers like SEP-0007 substitution of the same values — which needs the parameters projected, so
    they are added to the SELECT (and outer GROUP BY) lines of the text for the comparison."""
    query = next(q for q in cg.named_queries() if q.name == name)
    bindings = query.bind(resolve=lambda r: str(cg.iri(r)))
    local = cg.run_named(name)
    if not bindings:
        return
    extra = " " + " ".join("?" + p for p in bindings)
    lines = query.sparql.split("\n")
    select = next(i for i, line in enumerate(lines) if line.startswith("SELECT"))
    head = "SELECT DISTINCT" if lines[select].startswith("SELECT DISTINCT") else "SELECT"
    lines[select] = head + extra + lines[select][len(head):]
    lines = [line.replace("GROUP BY", "GROUP BY" + extra, 1) if line.startswith("GROUP BY") else line
             for line in lines]
    substituted = cg.query("\n".join(lines), params=bindings)
    keep = [substituted.variables.index(v) for v in local.variables]
    assert set(substituted.variables) - set(local.variables) == set(bindings)
    assert normalise(local.rows) == normalise([tuple(r[i] for i in keep) for r in substituted.rows])


def normalise(result_rows) -> list[str]:
    """Rows as sortable text; space-separated lists (GROUP_CONCAT, order engine-defined) sorted."""
    out = []
    for row in result_rows:
        cells = []
        for t in row:
            if isinstance(t, Literal) and t.datatype is None and not t.language:
                t = " ".join(sorted(str(t).split(" ")))
            cells.append(repr(t))
        out.append("|".join(cells))
    return sorted(out)


def test_result_helpers_work_for_named_queries(cg) -> None:
    res = cg.run_named("host-cities")
    df = res.to_dataframe()
    assert list(df.columns) == res.variables
    assert len(df) == 7
    assert res.column("start")[0] == datetime.date(2019, 11, 25)


# ---------------------------------------------------------------------------------------------- competency questions
def test_host_cities_in_chronological_order(cg) -> None:
    got = rows(cg, "host-cities")
    assert [(r["start"].year, rid(r["city"]), r["cityLabel"], rid(r["country"])) for r in got] == [
        (2019, "busan", "Busan", "kr"),
        (2020, "gwangju", "Gwangju", "kr"),
        (2021, "seoul", "Seoul", "kr"),
        (2022, "vientiane", "Vientiane", "la"),
        (2023, "jakarta", "Jakarta", "id"),
        (2024, "kuala-lumpur", "Kuala Lumpur", "my"),
        (2025, "singapore", "Singapore", "sg"),
    ]
    assert [r["ordinal"] for r in got] == [None, 1, 2, 3, 4, 5, 6]  # 2019 is the precursor
    assert [r["mode"] for r in got] == ["offline", "online", "online", "offline", "offline", "offline", "offline"]


def test_editions_held_online(cg) -> None:
    got = rows(cg, "online-editions")
    assert [(rid(r["edition"]), r["start"], rid(r["city"])) for r in got] == [
        ("forum-2020", datetime.date(2020, 10, 21), "gwangju"),
        ("forum-2021", datetime.date(2021, 9, 3), "seoul"),  # online, produced in Seoul
    ]


def test_sessions_of_2025_in_the_order_of_the_korean_sources(cg) -> None:
    got = rows(cg, "sessions-in-order", year=2025)
    assert [(r["order"], r["sessionLabel"]) for r in got] == [
        (None, "Inclusive AI for Cultural Sustainability"),  # the keynote
        (1, "Navigating Cultural Diversity in Inclusive AI"),
        (2, "Creative Industry Shifts in the Age of AI"),
        (3, "AI Literacy for an Inclusive ASEAN Culture"),
        (4, "The Future of Cultural Heritage"),
    ]
    ko = rows(cg, "sessions-in-order", year="2025", lang="ko")
    assert [r["sessionLabel"] for r in ko][1:] == [
        "AI 시대 문화 다양성의 실천", "AI 시대 창조산업의 이동성",
        "AI 시대의 문화 이해력(리터러시)", "AI와 문화유산의 미래"]


def test_the_english_press_release_order_is_kept_as_a_conflicting_reading(cg) -> None:
    got = rows(cg, "session-order-conflicts", year=2025)
    readings = {(rid(r["session"]), r["readingOrder"], r["asserted"]): set(r["sources"].split()) for r in got}
    assert set(readings) == {("forum-2025-s3", 3, True), ("forum-2025-s3", 4, False),
                             ("forum-2025-s4", 4, True), ("forum-2025-s4", 3, False)}
    assert readings[("forum-2025-s3", 4, False)] == {"cityweekly-2025-11-08"}
    assert readings[("forum-2025-s4", 3, False)] == {"cityweekly-2025-11-08"}
    assert {"sportsworldi-20251104", "news1-5963689"} <= readings[("forum-2025-s3", 3, True)]


def test_organisations_in_several_editions(cg) -> None:
    got = {rid(r["organisation"]): r for r in rows(cg, "recurring-organisations")}
    for org in ("mcst", "kofice"):  # host ministry and organiser of every edition 2020-2025
        assert (got[org]["editions"], got[org]["first"], got[org]["last"]) == (6, 2020, 2025)
    assert (got["asean-foundation"]["first"], got["asean-foundation"]["last"]) == (2023, 2025)
    assert all(r["editions"] >= 2 for r in got.values())
    assert "mofa" not in got  # hosted only the 2019 precursor
    three = {rid(r["organisation"]) for r in rows(cg, "recurring-organisations", min=3)}
    assert {"mcst", "kofice"} <= three and "asean-foundation" not in three


def test_people_in_several_editions(cg) -> None:
    got = {rid(r["person"]): r for r in rows(cg, "recurring-people")}
    assert (got["park-changsik"]["first"], got["park-changsik"]["last"]) == (2024, 2025)
    assert (got["jung-kilhwa"]["first"], got["jung-kilhwa"]["last"]) == (2021, 2023)
    assert "opening-remarks" in got["park-changsik"]["roles"].split()


def test_themes_per_year(cg) -> None:
    got = rows(cg, "themes-per-year")
    by_year: dict[int, set[str]] = {}
    for r in got:
        by_year.setdefault(r["year"], set()).add(rid(r["theme"]) or "")
    assert set(by_year) == set(range(2019, 2026))
    for year in (2023, 2024, 2025):
        assert "ai" in by_year[year]
    assert {"webtoon", "publishing", "inclusive-society"} <= by_year[2024]
    assert {"ai-literacy", "cultural-heritage", "cultural-diversity"} <= by_year[2025]
    assert "resilience" in by_year[2022]  # Leap Forward with Cultural Resilience


def test_how_themes_moved_over_time(cg) -> None:
    top_of_ai = cg.query("SELECT ?t WHERE { theme:ai skos:broader* ?t FILTER NOT EXISTS { ?t skos:broader [] } }")
    top = {str(t) for t in top_of_ai.column("t")}
    years = {r["year"] for r in rows(cg, "theme-timeline") if r["theme"] in top}
    assert {2023, 2024, 2025} <= years


def test_the_mou(cg) -> None:
    got = rows(cg, "mou")
    assert {rid(r["party"]) for r in got} == {"kofice", "asean-foundation"}
    for r in got:
        assert r["date"] == datetime.date(2025, 11, 8)
        assert rid(r["place"]) == "national-gallery-singapore-venue"
        assert r["placeLabel"] == "National Gallery Singapore"
        assert rid(r["city"]) == "singapore"
        assert rid(r["edition"]) == "forum-2025"


def test_sources_behind_a_fact(cg) -> None:
    got = rows(cg, "sources-of", entity="edition:forum-2025")
    record = {rid(r["source"]) for r in got if r["kind"] == "record"}
    assert {"cityweekly-2025-11-08", "sportsworldi-20251104"} <= record
    start = {rid(r["source"]) for r in got if r["kind"] == "statement" and rid(r["property"]) == "startDate"}
    assert start == {"cityweekly-2025-11-08", "koreaun-3848542", "4cu-tag-hanasean", "koreanet-id-281614"}
    assert all(r["url"].startswith("http") and r["publisher"] for r in got)
    # the same entity given as a full IRI, a prefixed name or a bare record id
    assert rows(cg, "sources-of", entity=f"<{BASE}edition/forum-2025>") == got
    assert rows(cg, "sources-of", entity="forum-2025") == got
    keynote = rows(cg, "sources-of", entity="person:lee-kyogu")
    assert {rid(r["value"]) for r in keynote if r["kind"] == "participation"} == {"forum-2025-keynote"}


def test_conflicts_with_readings_and_sources(cg) -> None:
    got = rows(cg, "conflicts")
    per_conflict: dict[str, list] = {}
    for r in got:
        per_conflict.setdefault(r["conflict"], []).append(r)
        assert r["sources"], f"reading {r['reading']} has no source"
        assert r["readingText"] is not None
    assert all(len(v) >= 2 for v in per_conflict.values())
    first = per_conflict[f"{BASE}conflict/c1-first-forum"]
    assert {r["asserted"] for r in first} == {True, False}
    order = per_conflict[f"{BASE}conflict/session/forum-2025-s3/order"]
    assert {(r["readingText"], r["asserted"]) for r in order} == {(3, True), (4, False)}


def test_low_confidence_facts(cg) -> None:
    got = rows(cg, "low-confidence")
    statements = {(rid(r["subject"]), rid(r["statement"])) for r in got if r["kind"] == "statement"}
    assert ("forum-2021", "ontology#ordinal") in statements  # 2nd edition: inferred, no source numbers it
    assert ("trung-bao-nguyen", "rdf-schema#label") in statements  # a guessed romanisation
    remarks = {rid(r["subject"]) for r in got if r["kind"] == "participation"}
    assert {"choi-hwi-young", "park-changsik"} <= remarks  # attributed only by an AI-adapted source
    assert {r["kind"] for r in got} <= {"record", "statement", "reading", "participation"}


def test_keynote_speakers_with_affiliation_and_position_at_the_time(cg) -> None:
    got = {r["year"]: r for r in rows(cg, "keynote-speakers")}
    assert {y: rid(r["person"]) for y, r in got.items()} == {
        2020: "rithy-panh", 2021: "lee-sung-ho", 2022: "han-sang-il", 2023: "kim-jaein",
        2024: "kang-jungseok", 2025: "lee-kyogu"}
    assert rid(got[2021]["affiliation"]) == "dstrict"
    assert rid(got[2024]["affiliation"]) == "aizen-global"
    assert rid(got[2025]["affiliation"]) == "snu-gscst"
    assert got[2025]["talkTitle"] == "Inclusive AI for Cultural Sustainability"
    assert "Kyung Hee" in got[2023]["position"]


def test_who_organised_and_signed_what(cg) -> None:
    got = {(rid(r["agent"]), r["role"], rid(r["what"])) for r in rows(cg, "organisers-and-signatories")}
    assert ("mofa", "host", "summit-2019") in got
    assert {("kofice", "co-organiser", "forum-2020"), ("acc", "co-organiser", "forum-2020")} <= got
    assert {("kofice", "party", "kofice-asean-foundation-mou-2025"),
            ("asean-foundation", "party", "kofice-asean-foundation-mou-2025")} <= got


def test_countries_that_hosted(cg) -> None:
    got = {rid(r["country"]): (r["editions"], r["first"], r["last"], r["asean"]) for r in rows(cg, "host-countries")}
    assert got == {"kr": (3, 2019, 2021, False), "la": (1, 2022, 2022, True), "id": (1, 2023, 2023, True),
                   "my": (1, 2024, 2024, True), "sg": (1, 2025, 2025, True)}


def test_number_of_participating_countries(cg) -> None:
    got = {r["year"]: r for r in rows(cg, "participating-countries")}
    for year in (2020, 2021, 2023, 2024, 2025):  # Korea plus the ten ASEAN member states
        assert (got[year]["stated"], got[year]["listed"], got[year]["aseanListed"]) == (11, 11, 10)
    assert got[2022]["stated"] is None  # no source gives a figure for 2022


def test_side_events_by_edition_and_kind(cg) -> None:
    got = {(r["year"], rid(r["event"])): r for r in rows(cg, "side-events")}
    assert rid(got[(2025, "concert-2025")]["kind"]) == "ontology#Concert"
    assert rid(got[(2025, "concert-2025")]["city"]) == "ho-chi-minh-city"
    assert rid(got[(2024, "fffluid-apparatus-2024")]["kind"]) == "ontology#Exhibition"
    assert rid(got[(2024, "webtoon-workshop-2024")]["kind"]) == "ontology#WorkshopEvent"
    assert (2022, "ensemble-2022") in got and (2020, "encounters-2020") in got


def test_venues_with_city_and_country(cg) -> None:
    got = {rid(r["venue"]): (rid(r["city"]), rid(r["country"]), rid(r["partOf"])) for r in rows(cg, "venues")}
    assert got["national-gallery-singapore-venue"][:2] == ("singapore", "sg")
    assert got["teater-wahyu-sihombing"] == ("jakarta", "id", "taman-ismail-marzuki")
    assert got["don-chan-palace"][:2] == ("vientiane", "la")


def test_label_coverage_per_language(cg) -> None:
    got = {(rid(r["class"]), r["language"]): (r["labelled"], r["total"]) for r in rows(cg, "label-coverage")}
    assert got[("ontology#ForumEvent", "en")] == (7, 7)
    assert got[("ontology#ForumEvent", "ko")] == (7, 7)
    assert all(0 < n <= total for n, total in got.values())


def test_speakers_by_nationality(cg) -> None:
    got = rows(cg, "speakers-by-nationality")
    assert rid(got[0]["country"]) == "kr"
    assert {"kh", "sg", "vn", "ph", "id", "la", "mm", "bn"} <= {rid(r["country"]) for r in got}


def test_sessions_per_theme(cg) -> None:
    got = rows(cg, "sessions-per-theme")
    assert rid(got[0]["theme"]) == "ai"
    assert got[0]["sessions"] >= 9  # every 2024 and 2025 session is about AI
    assert got[0]["last"] == 2025


def test_organisations_alongside_kofice(cg) -> None:
    got = {rid(r["other"]): (r["first"], r["last"]) for r in rows(cg, "co-participants")}
    assert got["mcst"] == (2020, 2025) and got["asean-foundation"] == (2023, 2025)
    assert "kofice" not in got


def test_search_by_label_substring(cg) -> None:
    assert f"{BASE}organisation/kofice" in [r["entity"] for r in rows(cg, "search", q="KOFICE")]
    assert f"{BASE}city/busan" in [r["entity"] for r in rows(cg, "search", q="부산")]


def test_programme_membership(cg) -> None:
    got = {(r["relation"], rid(r["member"])) for r in rows(cg, "programme-membership")
           if rid(r["programme"]) == "future-innovation-exchange"}
    assert got == {("member", "forum-2025"), ("member", "concert-2025"), ("run by", "mcst"), ("run by", "kofice")}


def test_what_changed_in_the_series_name(cg) -> None:
    names = {r["year"]: r["name"] for r in rows(cg, "series-names") if r["form"] == "name"}
    for year in (2020, 2021):
        assert "ASEAN-ROK Culture Innovation Summit" in names[year]
    for year in (2022, 2023, 2024, 2025):
        assert "ASEAN-KOREA Innovative Culture Forum" in names[year]
    korean = [r["name"] for r in rows(cg, "series-names", lang="ko") if r["form"] == "name"]
    assert len(korean) == 7 and all("문화혁신" in n for n in korean)  # the Korean name stayed


# ---------------------------------------------------------------------------------------------- languages
def test_lang_picks_korean_labels_and_falls_back_to_english(cg) -> None:
    ko = {rid(r["city"]): r["cityLabel"] for r in rows(cg, "host-cities", lang="ko")}
    assert ko["busan"] == "부산"
    has_ko = cg.query('ASK { city:seoul rdfs:label ?l FILTER(lang(?l) = "ko") }').boolean
    if not has_ko:
        assert ko["seoul"] == "Seoul"  # no Korean label: English
    fr = {rid(r["city"]): r["cityLabel"] for r in rows(cg, "host-cities", lang="fr")}
    assert fr["busan"] == "Busan"


LANG_QUERIES = sorted(q.stem for q in (ROOT / "queries").glob("*.rq") if "# param: lang " in q.read_text())


def _expected_labels(cg, iri: str, lang: str) -> set[str]:
    """The labels the three tiers allow for ``iri``: those in ``lang``, else English, else any."""
    labels = [(q.object.value, q.object.language or "") for q in cg.store.quads_for_pattern(
        ox.NamedNode(iri), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None)]
    for wanted in (lang, "en"):
        tier = {v for v, tag in labels if tag.lower() == wanted or tag.lower().startswith(wanted + "-")}
        if tier:
            return tier
    return {v for v, _tag in labels}


@pytest.mark.parametrize("name", LANG_QUERIES)
@pytest.mark.parametrize("lang", ["ko", "en", "id"])
def test_every_label_column_follows_the_language_tiers(cg, name: str, lang: str) -> None:
    """Each ``xLabel`` column next to an entity column ``x`` holds a label of that entity in the requested
    language when it has one, else in English, else in any language."""
    res = cg.run_named(name, {}, lang=lang)
    pairs = [(v, v + "Label") for v in res.variables if v + "Label" in res.variables]
    assert pairs or name in ("series-names", "theme-titles"), name  # these list names, not entities
    checked = 0
    for row in res.dicts():
        for entity, label in pairs:
            if row[entity] is None or not str(row[entity]).startswith("http"):
                continue
            allowed = _expected_labels(cg, str(row[entity]), lang)
            if not allowed:  # an IRI with no label at all (dcterms:source, say)
                assert row[label] is None, f"{name}: {row[entity]} has no label, shown as {row[label]!r}"
                continue
            assert str(row[label]) in allowed, f"{name} {lang}: {row[entity]} shown as {row[label]!r}, not {allowed}"
            checked += 1
    assert checked or not pairs, f"{name}: no labelled entity checked"


def test_a_label_only_in_korean_is_shown_for_english(cg) -> None:
    got = {rid(r["person"]): r["personLabel"] for r in rows(cg, "keynote-speakers")}
    assert got["kim-jaein"] == "김재인"  # no English spelling in the sources: any language


# ---------------------------------------------------------------------------------------------- binding
def test_an_injection_attempt_is_just_a_string(cg) -> None:
    before = len(cg.store)
    assert rows(cg, "search", q=INJECTION) == []
    assert len(cg.store) == before
    assert cg.query("ASK { ?s a cg:Edition }").boolean


def test_inject_values_escapes_and_parses() -> None:
    text = "SELECT ?q ?x WHERE { ?x rdfs:label ?l FILTER(CONTAINS(STR(?l), ?q)) }"
    out = inject_values(text, {"q": ox.Literal(INJECTION)})
    braces = [t.text for t in tokenize(out) if t.text in ("{", "}")]
    assert braces == ["{", "{", "}", "}"]  # the value stays one string token: no brace escapes it
    assert '"x\\" } ; DROP ALL ; #"' in out
    store = ox.Store()
    res = store.query(out, prefixes={"rdfs": "http://www.w3.org/2000/01/rdf-schema#"})
    assert list(res) == []


@pytest.mark.parametrize("params, message", [
    ({"year": "twenty"}, "not a valid integer"),
    ({"year": "2025", "colour": "red"}, "unknown parameter 'colour'"),
    ({"lang": "k o"}, "not a valid lang"),
    ({"lang": "*"}, "not a valid lang"),
])
def test_bad_parameter_values_are_query_errors(cg, params: dict, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        cg.run_named("sessions-in-order", params)


@pytest.mark.parametrize("value", ["not an iri", "<https://x/a b>", "https://x/a>b", "nosuch:thing",
                                   "no-record-has-this-id"])
def test_bad_iri_parameters_are_query_errors(cg, value: str) -> None:
    with pytest.raises(QueryError, match="entity"):
        cg.run_named("sources-of", {"entity": value})


def test_typed_parameters() -> None:
    q = parse_query("# title: t\n# param: d date\n# param: n integer 7\n# param: e iri cg:Edition\n"
                    "SELECT ?d ?n ?e WHERE { }")
    with pytest.raises(QueryError, match="needs a value for parameter 'd'"):
        q.bind()
    b = q.bind({"d": datetime.date(2025, 11, 8)})
    assert b["d"] == ox.Literal("2025-11-08", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    assert b["n"].value == "7" and b["e"] == ox.NamedNode("https://w3id.org/culturegraph/ontology#Edition")
    for bad in ("2025-13-01", "8 Nov 2025", "20251108"):
        with pytest.raises(QueryError, match="YYYY-MM-DD"):
            q.bind({"d": bad})
    with pytest.raises(QueryError):
        q.bind({"d": "2025-11-08", "n": True})


def test_unknown_query_name_suggests_a_close_one(cg) -> None:
    with pytest.raises(NotFound, match="did you mean 'host-cities'"):
        cg.run_named("host-citys")


# ---------------------------------------------------------------------------------------------- headers
@pytest.mark.parametrize("text, line, message", [
    ("# title: t\n# titel: u\nSELECT * WHERE {}", 2, "unknown header key 'titel' (did you mean 'title'?)"),
    ("# title: t\n# param: y year 2025\nSELECT ?y WHERE {}", 2, "unknown type 'year'"),
    ("# title: t\n# param: y integer soon\nSELECT ?y WHERE {}", 2, "default"),
    ("# title: t\n# param: y integer\nSELECT ?x WHERE { ?x ?p ?o }", 2, "?y is not in the query"),
    ("# title: t\n# param: y integer\n# bind: substitute\nSELECT ?x WHERE { ?x ?p ?y }", 2,
     "put ?y in the SELECT clause"),
    ("# title: t\n# param: 9y integer\nSELECT ?x WHERE {}", 2, "not a SPARQL variable name"),
    ("# title: t\n# view: chart\nSELECT * WHERE {}", 2, "view 'chart'"),
    ("# title: t\n# title: u\nSELECT * WHERE {}", 2, "given twice"),
    ("# title: t\n# cq: maybe\nSELECT * WHERE {}", 2, "cq 'maybe'"),
    ("# title: t\n#\n# just a remark\nSELECT * WHERE {}", 3, "header lines look like"),
    ("# description: d\nSELECT * WHERE {}", 1, "needs '# title"),
    ("# title: t\n# description: d\n", None, "no SELECT, ASK, CONSTRUCT or DESCRIBE"),
])
def test_header_errors_name_file_and_line(text: str, line: int | None, message: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_query(text, name="x", file="queries/x.rq", require_title=True)
    where = f"queries/x.rq:{line}:" if line else "queries/x.rq:"
    assert str(info.value).startswith(where), str(info.value)
    assert message in str(info.value)
    assert info.value.line == line


def test_header_continuation_lines_and_quoted_defaults() -> None:
    q = parse_query('# title: A long\n#   title\n# param: q string "Kuala Lumpur" -- a city\n'
                    "SELECT ?q WHERE { ?s ?p ?q }")
    assert q.title == "A long title"
    assert (q.params[0].default, q.params[0].help) == ("Kuala Lumpur", "a city")


def test_a_bad_file_in_queries_dir_is_reported_with_its_path(tmp_path: Path) -> None:
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "ok.rq").write_text("# title: ok\n# description: d\nSELECT * WHERE {}\n")
    (tmp_path / "queries" / "broken.rq").write_text("# title: b\n# colour: red\nSELECT * WHERE {}\n")
    with pytest.raises(QueryError, match=r"^queries/broken.rq:2: unknown header key 'colour'"):
        load_queries(tmp_path / "queries", root=tmp_path)


def test_readme_documents_every_query(monkeypatch: pytest.MonkeyPatch) -> None:
    """queries/README.md lists every query (generated with cog); regenerate with `cog -r` when this fails."""
    from cogapp import Cog

    monkeypatch.chdir(ROOT)
    assert Cog().main(["cog", "--check", "queries/README.md"]) == 0, "run: .venv/bin/cog -r queries/README.md"
    text = (ROOT / "queries" / "README.md").read_text(encoding="utf-8")
    for name in NAMES:
        assert f"[`{name}`]({name}.rq)" in text
