"""The field's named queries give the answers the field fact sheets (../shared/research) state."""

from __future__ import annotations

from culturegraph.api import CultureGraph

BASE = "https://w3id.org/culturegraph/id/"


def rows(cg: CultureGraph, name: str, **params) -> list[dict[str, str]]:
    res = cg.run_named(name, params or None)
    return [{k: (str(v) if v is not None else None) for k, v in zip(res.variables, r, strict=True)}
            for r in res.rows]


def tail(iri: str | None) -> str | None:
    return iri.rsplit("/", 1)[-1] if iri else None


def test_fly_editions_in_order_with_the_sheets_host_rotation(cg: CultureGraph) -> None:
    # facts-field-policy.yaml, fly-film-leaders-incubator: PH 2012, TH 2013, MM 2014, MY 2015, KH 2016,
    # ID 2017, SG 2018, BN 2019, VN 2023 (Da Lat); the institutions sheet adds the 10th in Laos, 2024
    got = rows(cg, "programme-editions", series="fly")
    years = [int(r["year"]) for r in got]
    assert years == sorted(years) and years[0] == 2012
    hosts = {int(r["year"]): tail(r["country"]) for r in got}
    assert {y: hosts.get(y) for y in (2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2023, 2024)} == {
        2012: "ph", 2013: "th", 2014: "mm", 2015: "my", 2016: "kh", 2017: "id", 2018: "sg", 2019: "bn",
        2023: "vn", 2024: "la"}
    assert not {2020, 2021, 2022} & set(years)  # paused by COVID-19, per the sheet


def test_the_ministers_meetings_in_order(cg: CultureGraph) -> None:
    got = rows(cg, "programme-editions", series="amca-rok")
    by_id = {tail(r["edition"]): r for r in got}
    assert [tail(r["edition"]) for r in got][-4:] == ["amca-rok-special-2019", "amca-rok-4-2020",
                                                     "amca-rok-5-2022", "amca-rok-6-2024"]
    assert by_id["amca-rok-3-2018"]["ordinal"] == "3" and tail(by_id["amca-rok-3-2018"]["city"]) == "yogyakarta"
    assert by_id["amca-rok-special-2019"]["ordinal"] is None  # a special meeting is not numbered
    assert tail(by_id["amca-rok-6-2024"]["city"]) == "melaka"
    assert by_id["amca-rok-2014-hue"]["confidence"] == "low"  # the first AMCA+ROK only by inference


def test_everything_in_2019_across_programmes(cg: CultureGraph) -> None:
    got = rows(cg, "year-in-review", year=2019)
    items = {tail(r["item"]) for r in got}
    # the special ministers' meeting (Gwangju, Oct), the commemorative summit (Busan, Nov), its culture
    # innovation summit (the forum's precursor), FLY in Brunei, ASEAN Week's first edition
    assert {"amca-rok-special-2019", "summit-2019-busan", "summit-2019", "fly-2019", "asean-week-2019"} <= items
    programmes = {(tail(r["item"]), tail(r["programme"])) for r in got}
    assert ("fly-2019", "fly") in programmes and ("amca-rok-special-2019", "amca-rok") in programmes
    assert all(r["kind"] in {"edition", "event", "document", "project", "designated year"} for r in got)


def test_a_timeline_of_all_cooperation_by_kind(cg: CultureGraph) -> None:
    got = rows(cg, "cooperation-timeline")
    kinds = {r["kind"] for r in got}
    assert {"forum", "ministerial-meeting", "summit", "film-incubator", "festival", "culture-week",
            "designated year", "project", "document"} <= kinds
    by_item = {tail(r["item"]): r for r in got}
    assert by_item["summit-2009-jeju"]["kind"] == "summit" and by_item["summit-2009-jeju"]["year"] == "2009"
    assert by_item["cultural-exchange-year-2017"]["kind"] == "designated year"


def test_cities_and_countries_ranked_by_what_they_hosted(cg: CultureGraph) -> None:
    got = rows(cg, "host-places-ranked")
    cities = [r for r in got if r["placeKind"] == "city"]
    countries = [r for r in got if r["placeKind"] == "country"]
    progs = [int(r["programmes"]) for r in cities]
    assert progs == sorted(progs, reverse=True)
    busan = next(r for r in cities if tail(r["place"]) == "busan")
    # Busan: the 2014 and 2019 summits, the forum's 2019 precursor, ASEAN Film Week at the Culture House
    assert int(busan["programmes"]) >= 3
    assert tail(countries[0]["place"]) == "kr"


def test_organisations_and_people_across_programmes(cg: CultureGraph) -> None:
    orgs = rows(cg, "cross-programme-organisations")
    mcst = {tail(r["programme"]) for r in orgs if tail(r["organisation"]) == "mcst"}
    assert {"aki-forum", "amca-rok", "amca-plus-three"} <= mcst
    assert all(int(r["programmes"]) >= 2 for r in orgs)
    akcf = {tail(r["programme"]) for r in orgs if tail(r["organisation"]) == "akcf"}
    assert {"konnect-asean", "asean-rok-film-community-programme"} <= akcf
    people = rows(cg, "cross-programme-people")
    park = {tail(r["programme"]) for r in people if tail(r["person"]) == "park-yang-woo"}
    assert {"amca-rok", "amca-plus-three"} <= park  # the 4th AMCA+ROK and the 9th AMCA+3, 22 Oct 2020
    assert rows(cg, "cross-programme-people", min=99) == []


def test_the_asean_korea_centres_secretaries_general(cg: CultureGraph) -> None:
    got = rows(cg, "institution-leaders", organisation="asean-korea-centre")
    assert [(int(r["ordinal"]), tail(r["person"])) for r in got] == [
        (1, "cho-young-jae"), (2, "chung-hae-moon"), (3, "kim-young-sun"), (4, "lee-hyuk"), (5, "kim-hae-yong"),
        (6, "kim-jae-shin")]
    lee = next(r for r in got if tail(r["person"]) == "lee-hyuk")
    assert lee["start"] == "2018-04-16"  # the asserted reading; 2018-04-23 is kept as an alternative
    assert all(r["position"] for r in got)


def test_projects_by_country_with_their_funders(cg: CultureGraph) -> None:
    got = rows(cg, "projects-by-country")
    by_country: dict[str, set[str]] = {}
    for r in got:
        by_country.setdefault(tail(r["country"]), set()).add(tail(r["project"]))
    assert "hong-nang-sida-restoration" in by_country["la"]
    assert {"preah-pithu-restoration", "angkor-wat-bakan-project"} <= by_country["kh"]
    assert "bagan-heritage-oda" in by_country["mm"]
    # phases are listed under their project, not as projects of their own
    assert not {"preah-pithu-phase1", "bagan-oda-phase1", "hns-preservation-2013-2020"} & {
        tail(r["project"]) for r in got}


def test_what_the_cooperation_fund_paid_for(cg: CultureGraph) -> None:
    got = rows(cg, "fund-portfolio", fund="akcf")
    items = {tail(r["item"]) for r in got}
    assert {"konnect-asean", "asean-rok-film-community-programme"} <= items


def test_who_chaired_the_2019_special_meeting(cg: CultureGraph) -> None:
    got = rows(cg, "took-part", item="amca-rok-special-2019", role="chair")
    assert {tail(r["who"]) for r in got} == {"park-yang-woo"}
    every = rows(cg, "took-part", item="amca-rok-special-2019")
    assert {"chair", "co-chair"} <= {r["roleKey"] for r in every}


def test_the_five_query_shapes_in_queries_readme_answer(cg: CultureGraph) -> None:
    import re

    from .conftest import ROOT

    text = (ROOT / "queries" / "README.md").read_text(encoding="utf-8")
    block = text.split("## Five query shapes", 1)[1].split("```sparql\n", 1)[1].split("```", 1)[0]
    shapes = re.split(r"\n(?=# \d\.)", block.strip())
    assert len(shapes) == 5
    for shape in shapes:
        assert cg.query(shape).rows, shape.splitlines()[0]
