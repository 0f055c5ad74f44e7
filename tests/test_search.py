"""Search by name (issue 28): every name in every language, typed the way people type them."""

from __future__ import annotations

import json

import pytest

from culturegraph.api import CultureGraph
from culturegraph.search import key

from .conftest import run_cli


@pytest.mark.parametrize(("typed", "found"), [
    ("kofice", "organisation/kofice"),                          # an acronym, lower case
    ("Korea Foundation for Int", "organisation/kofice"),        # the start of its English name
    ("한국국제문화교류", "organisation/kofice"),                    # the start of its Korean name
    ("kofcie", "organisation/kofice"),                          # two letters swapped
    ("asean korea centre", "organisation/asean-korea-centre"),  # the hyphen left out
    ("ASEAN-Korea-Centre", "organisation/asean-korea-centre"),  # a hyphen too many
    ("lee kyogu", "person/lee-kyogu"),                          # the name in the other order
    ("이교구", "person/lee-kyogu"),                               # Hangul
    ("da lat", "city/da-lat"),                                  # without the diacritics of Đà Lạt
    ("Đà Lạt", "city/da-lat"),
    ("natinal gallery singapore", "organisation/national-gallery-singapore"),  # a letter missing
    ("fly", "series/fly"),
])
def test_a_name_typed_loosely_finds_its_record_first(cg: CultureGraph, typed: str, found: str) -> None:
    hits = cg.search(typed).hits
    assert hits and hits[0].id == found, [(h.id, h.score) for h in hits[:5]]


def test_hits_are_grouped_by_kind_and_labelled_in_the_chosen_language(cg: CultureGraph) -> None:
    res = cg.search("asean korea", lang="ko")
    kinds = [k for k, _ in res.groups()]
    assert len(kinds) == len(set(kinds)) > 1
    centre = next(h for h in res.hits if h.id == "organisation/asean-korea-centre")
    assert centre.label == "한-아세안센터"
    assert [h.score for h in res.hits] == sorted((h.score for h in res.hits), reverse=True)


def test_nothing_found_suggests_the_closest_names(cg: CultureGraph) -> None:
    res = cg.search("zqxwv kofce")
    assert not res.hits or res.hits[0].score < 80
    empty = cg.search("qqqqqqqq")
    assert empty.hits == [] and 0 < len(empty.suggestions) <= 5


def test_the_key_ignores_case_accents_spaces_and_hyphens() -> None:
    assert key("Đà Lạt") == key("da-lat") == key("DA LAT") == "dalat"
    assert key("한-아세안 센터") == key("한아세안센터")
    assert key("   ") == ""


def test_cli_search_prints_a_table_json_or_a_located_miss(root) -> None:
    res = run_cli("search", "kofice", "--limit", "3", cwd=root)
    assert res.returncode == 0 and "organisation" in res.stdout and "kofice" in res.stdout
    data = json.loads(run_cli("search", "이교구", "--json", cwd=root).stdout)
    assert data["hits"][0]["iri"].endswith("/id/person/lee-kyogu")
    miss = run_cli("search", "qqqqqqqq", cwd=root)
    assert miss.returncode == 1 and "no name matches 'qqqqqqqq'; closest:" in miss.stderr
