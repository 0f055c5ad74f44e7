"""The audit of the curated forum data (issue 27, item 3): each fix holds in the built graph."""

from __future__ import annotations

from culturegraph.api import CultureGraph

BASE = "https://w3id.org/culturegraph/"


def _labels(cg: CultureGraph, iri: str, lang: str) -> set[str]:
    res = cg.query(f'SELECT ?l WHERE {{ <{iri}> rdfs:label ?l FILTER(LANG(?l) = "{lang}") }}')
    return {str(row[0]) for row in res.rows}


def test_the_2025_indonesian_name_is_the_articles_without_an_added_year(cg: CultureGraph) -> None:
    # Korea.net (Indonesian, 281614) names the series without a year; "2025" had been added by hand
    assert _labels(cg, f"{BASE}id/edition/forum-2025", "id") == {"Forum Budaya Inovatif ASEAN-Korea"}
    # and its headline was not recorded: the title is a placeholder, said so
    res = cg.query(f"SELECT ?t ?n WHERE {{ <{BASE}id/source/koreanet-id-281614> dcterms:title ?t ; "
                   "skos:note ?n }")
    assert [(str(t), "placeholder" in str(n)) for t, n in res.rows] == [
        ("Forum Budaya Inovatif ASEAN-Korea (2025 preview)", True)]


def test_the_guessed_2024_english_name_is_low_confidence(cg: CultureGraph) -> None:
    rows = cg.run_named("low-confidence").dicts()
    name = "2024 ASEAN-KOREA Innovative Culture Forum"
    assert any(r["subject"] == f"{BASE}id/edition/forum-2024" and r["value"] == name for r in rows)


def test_the_heritage_theme_has_only_the_indonesian_words_its_source_uses(cg: CultureGraph) -> None:
    theme = f"{BASE}id/theme/cultural-heritage"
    assert _labels(cg, theme, "id") == {"warisan benda dan takbenda"}
    assert not cg.query('ASK { ?s ?p "warisan budaya"@id }').boolean


def test_no_romanisation_is_credited_to_a_source_that_lacks_it(cg: CultureGraph) -> None:
    # "Chung Kil-hwa" was cited to a Korean-only KOFICE release (kofice-20408) that does not carry it
    assert not cg.query('ASK { ?s ?p ?o FILTER(STR(?o) = "Chung Kil-hwa") }').boolean
    assert _labels(cg, f"{BASE}id/person/jung-kilhwa", "en") == {"Jung Kilhwa"}


def test_the_indonesian_preview_is_cited_for_the_2025_session_order(cg: CultureGraph) -> None:
    """Korea.net (Indonesian, 281614) describes sessions one to four in order; sessions 1 and 2 did not cite it."""
    for n in (1, 2, 3):
        res = cg.query(f"SELECT ?o WHERE {{ ?c rdf:subject session:forum-2025-s{n} ; rdf:predicate cg:order ; "
                       "rdf:object ?o ; dcterms:source source:koreanet-id-281614 }")
        assert [int(row[0]) for row in res.rows] == [n], n
