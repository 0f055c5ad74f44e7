"""The field overview view and the views' handling of the field's classes, on the real data."""

from __future__ import annotations

from culturegraph.network import view_for

BASE = "https://w3id.org/culturegraph/id/"


def test_field_overview_lays_programmes_against_years(cg) -> None:
    view = view_for(cg, "field")
    g, pos = view.graph, view.positions
    assert pos is not None
    fly = BASE + "series/fly"
    editions = sorted((n for n in g.neighbors(fly) if g.nodes[n]["type"] == "SeriesEdition"),
                      key=lambda n: g.nodes[n]["years"][0])
    assert len(editions) >= 10
    # one row per programme: every FLY edition is in FLY's row band, left to right by year
    rows = {round(pos[n][1] - pos[fly][1]) for n in editions}
    assert min(rows) >= 0 and max(rows) < 90
    xs = [pos[n][0] for n in editions]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    # each occurrence is at its year and says where: FLY 2012 was in Davao (facts-field-institutions.yaml)
    first = g.nodes[BASE + "edition/fly-2012"]
    assert first["years"] == [2012] and "Davao" in first["label"]
    assert "FLY" in first["full_label"]
    # the year axis labels the columns the occurrences stand in
    axis = {text: x for text, x, _y in view.axis}
    assert axis["2012"] == pos[BASE + "edition/fly-2012"][0]
    # an occurrence is drawn once: FLY's editions (also in the film community programme) only in FLY's row
    assert all(set(g.neighbors(n)) == {fly} for n in editions)
    # the rows cover the field, not only the forum
    kinds = {d["type"] for _, d in g.nodes(data=True)}
    assert {"ForumSeries", "Series", "Project", "DesignatedYear", "SeriesEdition", "Edition"} <= kinds
    assert view.timeline and view.years[0] <= 2009


def test_field_overview_year_filter(cg) -> None:
    g = view_for(cg, "field", year_from=2020, year_to=2021).graph
    for _, d in g.nodes(data=True):
        if d["type"] in ("SeriesEdition", "Edition", "RelatedEvent"):
            assert all(2020 <= y <= 2021 for y in d["years"]), d["label"]


def test_leaders_are_drawn_as_lines_in_the_ego_view(cg) -> None:
    g = view_for(cg, "ego", entity="asean-korea-centre").graph
    people = {n for n in g.neighbors(BASE + "organisation/asean-korea-centre") if g.nodes[n]["type"] == "Person"}
    assert {BASE + "person/cho-young-jae", BASE + "person/kim-jae-shin"} <= people


def test_field_view_page_renders_offline(cg, tmp_path) -> None:
    from culturegraph.viewhtml import render_html

    html = render_html(view_for(cg, "field")).decode("utf-8")
    assert "Field overview" in html
    # sources are cited by URL inside the data, but nothing is loaded from the network
    import re

    assert not re.search(r'<(?:script|link|img|iframe|style)\b[^>]*\b(?:src|href)="https?:', html)
    assert "connect-src 'none'" in html or "default-src 'none'" in html
